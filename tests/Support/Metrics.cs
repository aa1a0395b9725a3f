using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Tests.Support;

/// <summary>Image comparisons used by the tests, written directly from their definitions.</summary>
internal static class Metrics
{
    /// <summary>PSNR in dB between two images on the 8-bit scale (values rounded to 8 bits first).</summary>
    public static double Psnr8(RgbImage a, RgbImage b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        double se = 0;
        for (int i = 0; i < a.Planes.Length; i++)
        {
            double d = ImageCodec.ToByte(a.Planes[i]) - ImageCodec.ToByte(b.Planes[i]);
            se += d * d;
        }
        double mse = se / a.Planes.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    /// <summary>The pixels of an image in CIELAB, as n rows of (L, a, b).</summary>
    public static double[][] Lab(RgbImage img)
    {
        int n = img.PixelCount;
        var lab = new double[n][];
        for (int i = 0; i < n; i++)
        {
            ColorMath.RgbToLab(img.Planes[i], img.Planes[n + i], img.Planes[2 * n + i], out float l, out float a, out float b);
            lab[i] = [l, a, b];
        }
        return lab;
    }

    /// <summary>
    /// Sliced Wasserstein distance (order 1) between two point clouds in Lab: the mean over
    /// <paramref name="directions"/> fixed random unit directions of the 1-D Wasserstein distance
    /// between the projections (quantile functions compared at 256 levels).
    /// </summary>
    public static double SlicedWasserstein(double[][] x, double[][] y, int directions = 64)
    {
        var rng = new Random(1234);
        double total = 0;
        for (int d = 0; d < directions; d++)
        {
            double u0 = Gauss(rng), u1 = Gauss(rng), u2 = Gauss(rng), norm = Math.Sqrt(u0 * u0 + u1 * u1 + u2 * u2);
            double[] px = x.Select(p => (p[0] * u0 + p[1] * u1 + p[2] * u2) / norm).Order().ToArray();
            double[] py = y.Select(p => (p[0] * u0 + p[1] * u1 + p[2] * u2) / norm).Order().ToArray();
            double sum = 0;
            for (int q = 0; q < 256; q++)
            {
                double t = (q + 0.5) / 256;
                sum += Math.Abs(px[(int)(t * px.Length)] - py[(int)(t * py.Length)]);
            }
            total += sum / 256;
        }
        return total / directions;
    }

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
