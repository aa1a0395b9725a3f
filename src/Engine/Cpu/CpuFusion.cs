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

    public static unsafe void Run(float* planes, int w, int h, int* labels, SuperpixelStatistics[] stats, float[] colors,
        TransferSettings settings, float* output)
    {
        int n = w * h, count = stats.Length;
        var metrics = new FusionMetric[count];
        for (int i = 0; i < count; i++) metrics[i] = FusionMetric.From(stats[i], settings.DeltaS, settings.DeltaC);

        // Pixels grouped by superpixel (counting sort).
        var start = new int[count + 1];
        for (int p = 0; p < n; p++) start[labels[p] + 1]++;
        for (int i = 0; i < count; i++) start[i + 1] += start[i];
        var order = new int[n];
        var fill = (int[])start.Clone();
        for (int p = 0; p < n; p++) order[fill[labels[p]]++] = p;

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
    }

    /// <summary>Fields of a gathered candidate, each a contiguous array (structure of arrays).</summary>
    private enum Field { X, Y, R, G, B, Sxx, Sxy, Syy, Crr, Crg, Crb, Cgg, Cgb, Cbb, OutR, OutG, OutB, D, Count }

    /// <summary>
    /// Terms whose weight relative to the largest, exp(-(D - D_min) / sigma), is below e^-30 are
    /// skipped eight at a time: with at most a few thousand terms the normalised sum changes by
    /// less than 1e-9.
    /// </summary>
    private const float CutOff = -30f;

    /// <summary>Per-thread candidate arrays, padded to whole vectors.</summary>
    private sealed unsafe class Scratch
    {
        private readonly int _stride;
        private readonly float[] _data;
        private readonly float* _base;

        public Scratch(int count)
        {
            _stride = (count + Lanes) / Lanes * Lanes;
            // Pinned for the scratch's lifetime, so the kernel loops can use raw pointers.
            _data = GC.AllocateArray<float>(_stride * (int)Field.Count, pinned: true);
            _base = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _data[0]);
        }

        private float* F(Field f) => _base + (int)f * _stride;

        private ref float At(Field f, int k) => ref _data[(int)f * _stride + k];

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
            At(Field.X, k) = st.X; At(Field.Y, k) = st.Y; At(Field.R, k) = st.R; At(Field.G, k) = st.G; At(Field.B, k) = st.B;
            // Off-diagonal terms doubled: D = sum of the diagonal terms + 2 x the upper triangle.
            At(Field.Sxx, k) = f.Sxx; At(Field.Sxy, k) = 2 * f.Sxy; At(Field.Syy, k) = f.Syy;
            At(Field.Crr, k) = f.Crr; At(Field.Crg, k) = 2 * f.Crg; At(Field.Crb, k) = 2 * f.Crb;
            At(Field.Cgg, k) = f.Cgg; At(Field.Cgb, k) = 2 * f.Cgb; At(Field.Cbb, k) = f.Cbb;
            At(Field.OutR, k) = r; At(Field.OutG, k) = g; At(Field.OutB, k) = b;
        }

        /// <summary>The fused colour of one pixel v = (x, y, r, g, b) over the m gathered candidates.</summary>
        public void Fuse(int m, float x, float y, float r, float g, float b, float? fixedSigma, out float outR, out float outG, out float outB)
        {
            {
                float* cx = F(Field.X), cy = F(Field.Y), cr = F(Field.R), cg = F(Field.G), cb = F(Field.B);
                float* sxx = F(Field.Sxx), sxy = F(Field.Sxy), syy = F(Field.Syy);
                float* crr = F(Field.Crr), crg = F(Field.Crg), crb = F(Field.Crb), cgg = F(Field.Cgg), cgb = F(Field.Cgb), cbb = F(Field.Cbb);
                float* dist = F(Field.D);
                var vx = Vector256.Create(x); var vy = Vector256.Create(y);
                var vr = Vector256.Create(r); var vg = Vector256.Create(g); var vb = Vector256.Create(b);
                var min = Vector256.Create(float.PositiveInfinity);
                for (int k = 0; k < m; k += Lanes)
                {
                    var dx = vx - Vector256.Load(cx + k); var dy = vy - Vector256.Load(cy + k);
                    var dr = vr - Vector256.Load(cr + k); var dg = vg - Vector256.Load(cg + k); var db = vb - Vector256.Load(cb + k);
                    var d = (Vector256.Load(sxx + k) * dx + Vector256.Load(sxy + k) * dy) * dx + Vector256.Load(syy + k) * dy * dy
                          + (Vector256.Load(crr + k) * dr + Vector256.Load(crg + k) * dg + Vector256.Load(crb + k) * db) * dr
                          + (Vector256.Load(cgg + k) * dg + Vector256.Load(cgb + k) * db) * dg + Vector256.Load(cbb + k) * db * db;
                    d.Store(dist + k);
                    min = Vector256.Min(min, d);
                }
                float dmin = float.PositiveInfinity;
                for (int l = 0; l < Lanes; l++) dmin = MathF.Min(dmin, min[l]);
                float sigma = fixedSigma ?? dmin + 1e-5f;
                // d(p,i) / d(p,i_min) = exp(-(D - D_min) / sigma)
                var vmin = Vector256.Create(dmin);
                var scale = Vector256.Create(-1f / sigma);
                var cut = Vector256.Create(CutOff);
                Vector256<float> sum = default, sr = default, sg = default, sb = default;
                float* outr = F(Field.OutR), outg = F(Field.OutG), outb = F(Field.OutB);
                for (int k = 0; k < m; k += Lanes)
                {
                    var arg = (Vector256.Load(dist + k) - vmin) * scale;
                    if (Vector256.GreaterThanAll(cut, arg)) continue;
                    var weight = Vector256.Exp(Vector256.Max(arg, cut));
                    weight = Vector256.ConditionalSelect(Vector256.GreaterThan(cut, arg), Vector256<float>.Zero, weight);
                    sum += weight;
                    sr += weight * Vector256.Load(outr + k);
                    sg += weight * Vector256.Load(outg + k);
                    sb += weight * Vector256.Load(outb + k);
                }
                float total = Vector256.Sum(sum);
                outR = Vector256.Sum(sr) / total;
                outG = Vector256.Sum(sg) / total;
                outB = Vector256.Sum(sb) / total;
            }
        }
    }
}
