using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using GpuColorTransfer.Shaders;

namespace GpuColorTransfer.Engine.Cpu;

/// <summary>
/// Colour fusion (paper section 3.3, eqs. 3-6) in its factorised form. Because the rows of A sum
/// to 1, eqs. 3-4 give
///   I_T^(p) = sum_j W(p,j) Ibar_R(j) / sum_j W(p,j) = sum_i d(p,i) C(i) / sum_i d(p,i),
/// so each pixel sums over target superpixels only. d(p,i) = exp(-D(p,i) / sigma) (eq. 5) with
/// D the squared Mahalanobis distance of v(p) = [x/W, y/H, r, g, b] to the centroid of
/// superpixel i under Sigma (eq. 6, + 1e-4 I). exp(-(D - min_i D) / sigma) is used instead, which
/// leaves the normalised sum unchanged and cannot underflow to 0/0.
/// Pixels are processed superpixel by superpixel: the candidate superpixels (all, or those whose
/// centroid lies within the radius of the pixel's own centroid) are gathered once into
/// structure-of-arrays scratch and every pixel of the superpixel sweeps them with Vector256.
/// </summary>
internal static class CpuFusion
{
    private const int Lanes = 8;

    public static unsafe float[] Run(float* planes, int w, int h, int[] labels, SuperpixelStatistics[] stats, float[] colors,
        TransferSettings settings)
    {
        int n = w * h, count = stats.Length;
        var metrics = new FusionMetric[count];
        for (int i = 0; i < count; i++) metrics[i] = FusionMetric.From(stats[i], settings.DeltaS, settings.DeltaC);

        // Pixels grouped by superpixel (counting sort).
        var start = new int[count + 1];
        foreach (int l in labels) start[l + 1]++;
        for (int i = 0; i < count; i++) start[i + 1] += start[i];
        var order = new int[n];
        var fill = (int[])start.Clone();
        for (int p = 0; p < n; p++) order[fill[labels[p]]++] = p;

        var output = new float[3 * n];
        float* src = planes;
        Parallel.For(0, count, () => new Scratch(count), (s, _, scratch) =>
        {
            int m = scratch.Gather(s, stats, metrics, colors, settings);
            for (int k = start[s]; k < start[s + 1]; k++)
            {
                int p = order[k];
                scratch.Fuse(m, (float)(p % w) / w, (float)(p / w) / h, src[p], src[n + p], src[2 * n + p], settings.FusionSigma, out float r, out float g, out float b);
                output[p] = r;
                output[n + p] = g;
                output[2 * n + p] = b;
            }
            return scratch;
        }, _ => { });
        return output;
    }

    /// <summary>Per-thread candidate arrays (structure of arrays, padded to whole vectors).</summary>
    private sealed class Scratch(int count)
    {
        private readonly float[][] _a = Enumerable.Range(0, 17).Select(_ => new float[count + Lanes]).ToArray();
        private float[] X => _a[0]; private float[] Y => _a[1]; private float[] R => _a[2]; private float[] G => _a[3]; private float[] B => _a[4];
        private float[] Sxx => _a[5]; private float[] Sxy => _a[6]; private float[] Syy => _a[7];
        private float[] Crr => _a[8]; private float[] Crg => _a[9]; private float[] Crb => _a[10];
        private float[] Cgg => _a[11]; private float[] Cgb => _a[12]; private float[] Cbb => _a[13];
        private float[] OutR => _a[14]; private float[] OutG => _a[15]; private float[] OutB => _a[16];
        private readonly float[] _d = new float[count + Lanes];

        /// <summary>Gathers the candidates of pixels of superpixel s; returns their count rounded up to whole vectors.</summary>
        public int Gather(int s, SuperpixelStatistics[] stats, FusionMetric[] metrics, float[] colors, TransferSettings settings)
        {
            float radius2 = settings.FusionRadius is float r ? r * r : float.PositiveInfinity;
            bool own = settings.FusionCovariance == FusionCovariance.Own;
            int m = 0;
            for (int i = 0; i < stats.Length; i++)
            {
                float dx = stats[i].X - stats[s].X, dy = stats[i].Y - stats[s].Y;
                if (dx * dx + dy * dy > radius2 || stats[i].Count == 0) continue;
                Put(m++, stats[i], metrics[own ? s : i], colors[3 * i], colors[3 * i + 1], colors[3 * i + 2]);
            }
            int padded = (m + Lanes - 1) / Lanes * Lanes;
            // Padding: a centroid so far away that its weight is exactly 0.
            for (int k = m; k < padded; k++)
                Put(k, new SuperpixelStatistics { X = 1e6f, Y = 1e6f }, metrics[s], 0, 0, 0);
            return padded;
        }

        private void Put(int k, in SuperpixelStatistics st, in FusionMetric f, float r, float g, float b)
        {
            X[k] = st.X; Y[k] = st.Y; R[k] = st.R; G[k] = st.G; B[k] = st.B;
            Sxx[k] = f.Sxx; Sxy[k] = 2 * f.Sxy; Syy[k] = f.Syy;
            Crr[k] = f.Crr; Crg[k] = 2 * f.Crg; Crb[k] = 2 * f.Crb; Cgg[k] = f.Cgg; Cgb[k] = 2 * f.Cgb; Cbb[k] = f.Cbb;
            OutR[k] = r; OutG[k] = g; OutB[k] = b;
        }

        /// <summary>The fused colour of one pixel v = (x, y, r, g, b) over the m gathered candidates.</summary>
        public void Fuse(int m, float x, float y, float r, float g, float b, float? fixedSigma, out float outR, out float outG, out float outB)
        {
            var vx = Vector256.Create(x); var vy = Vector256.Create(y);
            var vr = Vector256.Create(r); var vg = Vector256.Create(g); var vb = Vector256.Create(b);
            var min = Vector256.Create(float.PositiveInfinity);
            for (int k = 0; k < m; k += Lanes)
            {
                var dx = vx - Vector256.Create(X, k); var dy = vy - Vector256.Create(Y, k);
                var dr = vr - Vector256.Create(R, k); var dg = vg - Vector256.Create(G, k); var db = vb - Vector256.Create(B, k);
                // D = v^T Sigma^-1 v with the off-diagonal terms pre-doubled (see Put).
                var d = Vector256.Create(Sxx, k) * dx * dx + Vector256.Create(Sxy, k) * dx * dy + Vector256.Create(Syy, k) * dy * dy
                      + Vector256.Create(Crr, k) * dr * dr + Vector256.Create(Cgg, k) * dg * dg + Vector256.Create(Cbb, k) * db * db
                      + Vector256.Create(Crg, k) * dr * dg + Vector256.Create(Crb, k) * dr * db + Vector256.Create(Cgb, k) * dg * db;
                d.CopyTo(_d, k);
                min = Vector256.Min(min, d);
            }
            float dmin = float.PositiveInfinity;
            for (int l = 0; l < Lanes; l++) dmin = MathF.Min(dmin, min[l]);
            float sigma = fixedSigma ?? dmin + 1e-5f;
            var weights = _d.AsSpan(0, m);
            // d(p,i) / d(p,i_min) = exp(-(D - D_min) / sigma)
            TensorPrimitives.Subtract(weights, dmin, weights);
            TensorPrimitives.Multiply(weights, -1f / sigma, weights);
            TensorPrimitives.Exp(weights, weights);
            float sum = TensorPrimitives.Sum(weights);
            outR = TensorPrimitives.Dot(weights, OutR.AsSpan(0, m)) / sum;
            outG = TensorPrimitives.Dot(weights, OutG.AsSpan(0, m)) / sum;
            outB = TensorPrimitives.Dot(weights, OutB.AsSpan(0, m)) / sum;
        }
    }
}
