using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends.Cpu;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;
using ILGPU.Runtime;
using MathNet.Numerics.LinearAlgebra;

namespace GpuColorTransfer.Tests.Backends.Cpu;

/// <summary>
/// Attention (eqs. 1-2) and fusion (eqs. 3-6) against naive double-precision implementations
/// written from the paper's equations, on a small real pair.
/// </summary>
public class MatchingTests : IDisposable
{
    private readonly CpuBackend _backend = new();
    private readonly RgbImage _target = TestData.Photo("forest_path.jpg", 48);
    private readonly RgbImage _reference = TestData.Photo("waterfall_autumn.jpg", 40);

    public void Dispose() => _backend.Dispose();

    private sealed record Stage(int[] Labels, int Count, SuperpixelStatistics[] Stats, float[] Features, int Channels);

    private Stage Run(RgbImage img, TransferSettings s)
    {
        using var d = _backend.Upload(img);
        using var map = _backend.Superpixels(d, s.SuperpixelCountFor(img.PixelCount), s);
        using var stats = _backend.Statistics(d, map);
        using var f = _backend.SuperFeatures(d, map, TestData.Network, s);
        return new Stage(map.Labels.GetAsArray1D(), map.Count, stats.Values.GetAsArray1D(), f.Values.GetAsArray1D(), f.Channels);
    }

    private static unsafe float[] Fuse(RgbImage image, Stage t, float[] colors, TransferSettings s)
    {
        var fused = new float[image.Planes.Length];
        fixed (float* p = image.Planes, o = fused)
        fixed (int* l = t.Labels)
            CpuFusion.Run(p, image.Width, image.Height, l, t.Stats, colors, s, o);
        return fused;
    }

    /// <summary>A by eqs. 1-2 in double: centre, cosine similarity (norm + 1e-5), softmax of M / tau per row.</summary>
    private static double[,] NaiveAttention(Stage t, Stage r, Centring centring, double tau)
    {
        double[][] Prepare(Stage s)
        {
            int c = s.Channels;
            var rows = Enumerable.Range(0, s.Count).Select(i => s.Features.Skip(i * c).Take(c).Select(v => (double)v).ToArray()).ToArray();
            var mu = Enumerable.Range(0, c).Select(k => rows.Average(row => row[k])).ToArray();
            foreach (var row in rows)
            {
                double own = row.Average();
                for (int k = 0; k < c; k++) row[k] -= centring == Centring.Channel ? mu[k] : own;
                double norm = Math.Sqrt(row.Sum(v => v * v)) + 1e-5;
                for (int k = 0; k < c; k++) row[k] /= norm;
            }
            return rows;
        }
        var ft = Prepare(t);
        var fr = Prepare(r);
        var a = new double[t.Count, r.Count];
        for (int i = 0; i < t.Count; i++)
        {
            var m = fr.Select(row => row.Zip(ft[i], (x, y) => x * y).Sum() / tau).ToArray();
            double max = m.Max(), sum = m.Sum(v => Math.Exp(v - max));
            for (int j = 0; j < r.Count; j++) a[i, j] = Math.Exp(m[j] - max) / sum;
        }
        return a;
    }

    [Theory]
    [InlineData(Centring.Channel, 0.02f)]
    [InlineData(Centring.Vector, 0.02f)]
    [InlineData(Centring.Channel, 0.001f)] // a very sharp softmax must stay finite
    public void Attention_rows_sum_to_one_and_match_the_naive_softmax(Centring centring, float tau)
    {
        var s = new TransferSettings { Centring = centring, Tau = tau };
        var t = Run(_target, s);
        var r = Run(_reference, s);
        var a = new float[t.Count * r.Count];
        var colors = CpuAttention.MatchedColors(t.Features, t.Count, r.Features, r.Count, t.Channels, r.Stats, centring, tau, 0, a);
        var naive = NaiveAttention(t, r, centring, tau);
        for (int i = 0; i < t.Count; i++)
        {
            double sum = 0, c0 = 0;
            for (int j = 0; j < r.Count; j++)
            {
                Assert.True(Math.Abs(a[i * r.Count + j] - naive[i, j]) < 1e-4, $"A({i},{j}) = {a[i * r.Count + j]}, naive {naive[i, j]}");
                sum += a[i * r.Count + j];
                c0 += naive[i, j] * r.Stats[j].R;
            }
            Assert.True(Math.Abs(sum - 1) < 1e-5, $"row {i} sums to {sum}");
            Assert.True(Math.Abs(colors[Engine.Backends.MatchedColors.Stride * i] - c0) < 1e-4, $"C({i}).r differs from the naive {c0}");
        }
    }

    [Fact]
    public void Top_k_attention_keeps_the_k_largest_entries_of_each_row()
    {
        var s = new TransferSettings();
        var t = Run(_target, s);
        var r = Run(_reference, s);
        const int k = 5;
        var a = new float[t.Count * r.Count];
        CpuAttention.MatchedColors(t.Features, t.Count, r.Features, r.Count, t.Channels, r.Stats, s.Centring, s.Tau, k, a);
        var naive = NaiveAttention(t, r, s.Centring, s.Tau);
        for (int i = 0; i < t.Count; i++)
        {
            // Softmax restricted to the k largest entries of the row (the naive A is monotonic in M).
            var top = Enumerable.Range(0, r.Count).OrderByDescending(j => naive[i, j]).Take(k).ToHashSet();
            double mass = top.Sum(j => naive[i, j]);
            for (int j = 0; j < r.Count; j++)
            {
                double expected = top.Contains(j) ? naive[i, j] / mass : 0;
                Assert.True(Math.Abs(a[i * r.Count + j] - expected) < 1e-4, $"A({i},{j}) = {a[i * r.Count + j]}, expected {expected}");
            }
        }
    }

    /// <summary>Sigma_i of eq. 6 as a 5x5 matrix (+ 1e-4 I), inverted by Gauss-Jordan elimination.</summary>
    private static double[,] InverseSigma(SuperpixelStatistics s, double ds, double dc)
    {
        var m = new double[5, 10];
        double[,] cov =
        {
            { ds * ds * s.Cxx, ds * ds * s.Cxy, 0, 0, 0 },
            { ds * ds * s.Cxy, ds * ds * s.Cyy, 0, 0, 0 },
            { 0, 0, dc * dc * s.Crr, dc * dc * s.Crg, dc * dc * s.Crb },
            { 0, 0, dc * dc * s.Crg, dc * dc * s.Cgg, dc * dc * s.Cgb },
            { 0, 0, dc * dc * s.Crb, dc * dc * s.Cgb, dc * dc * s.Cbb },
        };
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++) m[i, j] = cov[i, j] + (i == j ? 1e-4 : 0);
            m[i, 5 + i] = 1;
        }
        for (int col = 0; col < 5; col++)
        {
            int pivot = Enumerable.Range(col, 5 - col).MaxBy(r => Math.Abs(m[r, col]));
            for (int j = 0; j < 10; j++) (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            double d = m[col, col];
            for (int j = 0; j < 10; j++) m[col, j] /= d;
            for (int r = 0; r < 5; r++)
            {
                if (r == col) continue;
                double f = m[r, col];
                for (int j = 0; j < 10; j++) m[r, j] -= f * m[col, j];
            }
        }
        var inv = new double[5, 5];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) inv[i, j] = m[i, 5 + j];
        return inv;
    }

    [Theory]
    [InlineData(FusionMode.Colour, FusionCovariance.Neighbour, 20f, 1e-5)]
    [InlineData(FusionMode.Colour, FusionCovariance.Own, 20f, 1e-5)]
    [InlineData(FusionMode.Colour, FusionCovariance.Neighbour, 2f, 1e-5)]
    // With sigma = min_i D + 1e-5 the weights are exponentials of ratios of small distances, so
    // float rounding in D shows more; the identity still holds to 1e-4.
    [InlineData(FusionMode.Colour, FusionCovariance.Neighbour, null, 1e-4)]
    [InlineData(FusionMode.Shift, FusionCovariance.Neighbour, 20f, 1e-5)]
    [InlineData(FusionMode.Shift, FusionCovariance.Neighbour, null, 1e-4)]
    public void Factorised_fusion_equals_the_direct_form_of_eqs_3_and_4(FusionMode mode, FusionCovariance covariance, float? sigma, double tolerance)
    {
        var s = new TransferSettings { FusionMode = mode, FusionCovariance = covariance, FusionSigma = sigma, FusionRadius = null };
        var t = Run(_target, s);
        var r = Run(_reference, s);
        var a = NaiveAttention(t, r, s.Centring, s.Tau);
        var colors = CpuAttention.MatchedColors(t.Features, t.Count, r.Features, r.Count, t.Channels, r.Stats, s.Centring, s.Tau, 0, null);
        var fused = Fuse(_target, t, colors, s);
        var inverses = t.Stats.Select(st => InverseSigma(st, s.DeltaS, s.DeltaC)).ToArray();
        int w = _target.Width, h = _target.Height, n = w * h;
        double worst = 0;
        for (int p = 0; p < n; p++)
        {
            double[] v = [(double)(p % w) / w, (double)(p / w) / h, _target.Planes[p], _target.Planes[n + p], _target.Planes[2 * n + p]];
            var dist = new double[t.Count];
            for (int i = 0; i < t.Count; i++)
            {
                var st = t.Stats[i];
                double[] dv = [v[0] - st.X, v[1] - st.Y, v[2] - st.R, v[3] - st.G, v[4] - st.B];
                var inv = inverses[covariance == FusionCovariance.Own ? t.Labels[p] : i];
                for (int x = 0; x < 5; x++) for (int y = 0; y < 5; y++) dist[i] += dv[x] * inv[x, y] * dv[y];
            }
            double dmin = dist.Min(), sg = sigma ?? dmin + 1e-5;
            // eq. 5, shifted by min D (the ratio of eqs. 3-4 does not change)
            var d = dist.Select(x => Math.Exp(-(x - dmin) / sg)).ToArray();
            // eq. 4: W(p,j) = sum_i d(p,i) A(i,j); eq. 3: weighted mean of Ibar_R(j)
            double num0 = 0, num1 = 0, num2 = 0, den = 0;
            for (int j = 0; j < r.Count; j++)
            {
                double wpj = 0;
                for (int i = 0; i < t.Count; i++) wpj += d[i] * a[i, j];
                num0 += wpj * r.Stats[j].R; num1 += wpj * r.Stats[j].G; num2 += wpj * r.Stats[j].B; den += wpj;
            }
            // Shift mode (beyond the paper): I_T(p) + sum_i d(p,i) (C(i) - Ibar_T(i)) / sum_i d(p,i), i.e. the
            // colour of eq. 3 plus the pixel's offset from the d-weighted mean of the target centroids.
            double[] offset = [0, 0, 0];
            if (mode == FusionMode.Shift)
            {
                double dsum = d.Sum();
                for (int i = 0; i < t.Count; i++)
                {
                    offset[0] -= d[i] * t.Stats[i].R / dsum; offset[1] -= d[i] * t.Stats[i].G / dsum; offset[2] -= d[i] * t.Stats[i].B / dsum;
                }
                for (int c = 0; c < 3; c++) offset[c] += v[2 + c];
            }
            worst = Math.Max(worst, Math.Abs(fused[p] - (num0 / den + offset[0])));
            worst = Math.Max(worst, Math.Abs(fused[n + p] - (num1 / den + offset[1])));
            worst = Math.Max(worst, Math.Abs(fused[2 * n + p] - (num2 / den + offset[2])));
        }
        Assert.True(worst <= tolerance, $"max |factorised - direct| = {worst:E2} > {tolerance:E0}");
    }

    [Fact]
    public void The_statistics_mode_map_is_the_monge_kantorovich_map_of_an_eigendecomposition()
    {
        // AffineMap.Statistics (Denman-Beavers square roots, usable in kernels) against the same
        // formula through MathNet's symmetric eigendecomposition, on random covariances of 1e-4 to 1
        // and rank 1 to 3 (+ the 1e-4 floor).
        var rng = new Random(7);
        double f = AffineMap.CovarianceFloor;
        for (int trial = 0; trial < 200; trial++)
        {
            double scale = Math.Pow(10, -rng.Next(0, 5));
            float[] Covariance()
            {
                var g = Enumerable.Range(0, 9).Select(_ => (rng.NextDouble() - 0.5) * Math.Sqrt(scale)).ToArray();
                // G G^T: positive semi-definite, of rank 1 to 3.
                int rank = rng.Next(1, 4);
                double Dot(int i, int j) => Enumerable.Range(0, rank).Sum(k => g[3 * k + i] * g[3 * k + j]);
                return [(float)Dot(0, 0), (float)Dot(0, 1), (float)Dot(0, 2), (float)Dot(1, 1), (float)Dot(1, 2), (float)Dot(2, 2)];
            }
            var a = Covariance();
            var b = Covariance();
            var st = new SuperpixelStatistics { R = 0.3f, G = 0.5f, B = 0.2f, Crr = a[0], Crg = a[1], Crb = a[2], Cgg = a[3], Cgb = a[4], Cbb = a[5] };
            var map = new float[12];
            AffineMap.Statistics(st, 0.6f, 0.4f, 0.1f, b[0], b[1], b[2], b[3], b[4], b[5]).CopyTo(map);

            var ma = Matrix<double>.Build.DenseOfArray(new double[,]
                { { a[0] + f, a[1], a[2] }, { a[1], a[3] + f, a[4] }, { a[2], a[4], a[5] + f } });
            var mb = Matrix<double>.Build.DenseOfArray(new double[,]
                { { b[0] + f, b[1], b[2] }, { b[1], b[3] + f, b[4] }, { b[2], b[4], b[5] + f } });
            static Matrix<double> Power(Matrix<double> m, double p)
            {
                var e = m.Evd(Symmetricity.Symmetric);
                return e.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(
                    e.EigenValues.Real().Map(v => Math.Pow(v, p))) * e.EigenVectors.Transpose();
            }
            var t = Power(ma, -0.5) * Power(Power(ma, 0.5) * mb * Power(ma, 0.5), 0.5) * Power(ma, -0.5);
            double[] mean = [0.3, 0.5, 0.2], c = [0.6, 0.4, 0.1];
            for (int i = 0; i < 3; i++)
            {
                double o = c[i];
                for (int j = 0; j < 3; j++)
                {
                    Assert.True(Math.Abs(map[3 * i + j] - t[i, j]) <= 1e-5 * Math.Max(1, Math.Abs(t[i, j])), $"trial {trial}: T[{i},{j}] {map[3 * i + j]} vs {t[i, j]}");
                    o -= t[i, j] * mean[j];
                }
                Assert.True(Math.Abs(map[9 + i] - o) <= 1e-5 * Math.Max(1, Math.Abs(o)), $"trial {trial}: o[{i}] {map[9 + i]} vs {o}");
            }
        }
    }

    [Fact]
    public void A_flat_image_has_finite_statistics_metric_and_fusion()
    {
        var flat = new RgbImage(40, 30);
        Array.Fill(flat.Planes, 0.5f);
        var s = new TransferSettings();
        var t = Run(flat, s);
        var metric = FusionMetric.From(t.Stats[0], s.DeltaS, s.DeltaC);
        Assert.True(float.IsFinite(metric.Crr) && metric.Crr > 0);
        var colors = Enumerable.Range(0, Engine.Backends.MatchedColors.Stride * t.Count).Select(k => k % Engine.Backends.MatchedColors.Stride < 3 ? 0.25f : 0f).ToArray();
        Assert.All(Fuse(flat, t, colors, s), v => Assert.Equal(0.25f, v, 1e-6f));
    }
}
