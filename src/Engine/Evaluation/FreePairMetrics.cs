using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>
/// No-reference scores for pairs without ground truth: how close the output's colours are to the
/// reference's (sliced Wasserstein distance and histogram intersection in CIELAB, colourfulness
/// difference) and how much of the target's structure it keeps (SSIM of lightness, correlation of
/// gradient magnitudes). They correlate only loosely with the true error and never decide alone.
/// </summary>
public static class FreePairMetrics
{
    /// <summary>The pixels in CIELAB, as n rows of (L, a, b).</summary>
    public static float[][] Lab(RgbImage img)
    {
        int n = img.PixelCount;
        var lab = new float[n][];
        var p = img.Planes;
        for (int i = 0; i < n; i++)
        {
            ColorMath.RgbToLab(p[i], p[n + i], p[2 * n + i], out float l, out float a, out float b);
            lab[i] = [l, a, b];
        }
        return lab;
    }

    /// <summary>
    /// Sliced Wasserstein distance (order 1) between two colour clouds in CIELAB: the mean over 64
    /// fixed unit directions (seeded) of the 1-D Wasserstein distance of the projections, compared
    /// at 256 quantiles.
    /// </summary>
    public static double SlicedWasserstein(float[][] x, float[][] y)
    {
        var rng = new Random(1234);
        double total = 0;
        const int directions = 64, quantiles = 256;
        for (int d = 0; d < directions; d++)
        {
            double u0 = Gauss(rng), u1 = Gauss(rng), u2 = Gauss(rng), norm = Math.Sqrt(u0 * u0 + u1 * u1 + u2 * u2);
            var px = x.Select(p => (p[0] * u0 + p[1] * u1 + p[2] * u2) / norm).Order().ToArray();
            var py = y.Select(p => (p[0] * u0 + p[1] * u1 + p[2] * u2) / norm).Order().ToArray();
            double sum = 0;
            for (int q = 0; q < quantiles; q++)
            {
                double t = (q + 0.5) / quantiles;
                sum += Math.Abs(px[(int)(t * px.Length)] - py[(int)(t * py.Length)]);
            }
            total += sum / quantiles;
        }
        return total / directions;
    }

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    /// <summary>
    /// Intersection sum_k min(h_x(k), h_y(k)) of the normalised 3-D CIELAB histograms (16 bins per
    /// axis over L in [0,100], a and b in [-128,128)): 1 for the same distribution, 0 for disjoint ones.
    /// </summary>
    public static double HistogramIntersection(float[][] x, float[][] y)
    {
        const int bins = 16;
        double[] Histogram(float[][] v)
        {
            var h = new double[bins * bins * bins];
            foreach (var p in v)
            {
                int l = Math.Clamp((int)(p[0] / 100 * bins), 0, bins - 1);
                int a = Math.Clamp((int)((p[1] + 128) / 256 * bins), 0, bins - 1);
                int b = Math.Clamp((int)((p[2] + 128) / 256 * bins), 0, bins - 1);
                h[(l * bins + a) * bins + b] += 1.0 / v.Length;
            }
            return h;
        }
        var hx = Histogram(x);
        var hy = Histogram(y);
        return hx.Zip(hy, Math.Min).Sum();
    }

    /// <summary>
    /// Colourfulness of Hasler and Süsstrunk (2003) on 0..255 values: with rg = R - G and
    /// yb = (R + G) / 2 - B, M = sqrt(sd(rg)^2 + sd(yb)^2) + 0.3 sqrt(mean(rg)^2 + mean(yb)^2).
    /// </summary>
    public static double Colourfulness(RgbImage img)
    {
        int n = img.PixelCount;
        var p = img.Planes;
        double srg = 0, syb = 0, qrg = 0, qyb = 0;
        for (int i = 0; i < n; i++)
        {
            double r = 255.0 * p[i], g = 255.0 * p[n + i], b = 255.0 * p[2 * n + i];
            double rg = r - g, yb = 0.5 * (r + g) - b;
            srg += rg; syb += yb; qrg += rg * rg; qyb += yb * yb;
        }
        double mrg = srg / n, myb = syb / n;
        double vrg = Math.Max(qrg / n - mrg * mrg, 0), vyb = Math.Max(qyb / n - myb * myb, 0);
        return Math.Sqrt(vrg + vyb) + 0.3 * Math.Sqrt(mrg * mrg + myb * myb);
    }

    /// <summary>CIELAB lightness L of each pixel.</summary>
    public static double[] Lightness(RgbImage img) => Lab(img).Select(p => (double)p[0]).ToArray();

    /// <summary>
    /// SSIM (Wang, Bovik, Sheikh and Simoncelli 2004) of two lightness maps (range 100): mean over
    /// the pixels of the index computed with an 11x11 Gaussian window (sigma 1.5), K1 = 0.01,
    /// K2 = 0.03, borders replicated.
    /// </summary>
    public static double Ssim(double[] x, double[] y, int w, int h)
    {
        const double range = 100, c1 = 0.01 * range * 0.01 * range, c2 = 0.03 * range * 0.03 * range;
        var mx = Blur(x, w, h);
        var my = Blur(y, w, h);
        var xx = Blur(x.Select(v => v * v).ToArray(), w, h);
        var yy = Blur(y.Select(v => v * v).ToArray(), w, h);
        var xy = Blur(x.Zip(y, (a, b) => a * b).ToArray(), w, h);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double vx = xx[i] - mx[i] * mx[i], vy = yy[i] - my[i] * my[i], cxy = xy[i] - mx[i] * my[i];
            sum += (2 * mx[i] * my[i] + c1) * (2 * cxy + c2) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
        }
        return sum / x.Length;
    }

    private static double[] Blur(double[] v, int w, int h)
    {
        var k = Enumerable.Range(-5, 11).Select(d => Math.Exp(-d * d / (2 * 1.5 * 1.5))).ToArray();
        double ks = k.Sum();
        var tmp = new double[v.Length];
        var result = new double[v.Length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double s = 0;
                for (int d = -5; d <= 5; d++) s += k[d + 5] * v[y * w + Math.Clamp(x + d, 0, w - 1)];
                tmp[y * w + x] = s / ks;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double s = 0;
                for (int d = -5; d <= 5; d++) s += k[d + 5] * tmp[Math.Clamp(y + d, 0, h - 1) * w + x];
                result[y * w + x] = s / ks;
            }
        return result;
    }

    /// <summary>Pearson correlation of the gradient magnitudes (central differences, replicated borders) of two lightness maps.</summary>
    public static double GradientCorrelation(double[] x, double[] y, int w, int h)
    {
        double[] Magnitude(double[] v)
        {
            var m = new double[v.Length];
            for (int yy = 0; yy < h; yy++)
                for (int xx = 0; xx < w; xx++)
                {
                    double gx = v[yy * w + Math.Min(xx + 1, w - 1)] - v[yy * w + Math.Max(xx - 1, 0)];
                    double gy = v[Math.Min(yy + 1, h - 1) * w + xx] - v[Math.Max(yy - 1, 0) * w + xx];
                    m[yy * w + xx] = Math.Sqrt(gx * gx + gy * gy);
                }
            return m;
        }
        var a = Magnitude(x);
        var b = Magnitude(y);
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa * sbb == 0 ? (saa == sbb ? 1 : 0) : sab / Math.Sqrt(saa * sbb);
    }
}
