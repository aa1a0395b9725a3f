using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Methods;

/// <summary>
/// Reinhard, Ashikhmin, Gooch and Shirley, "Color transfer between images" (2001), in CIELAB
/// (D65) rather than the paper's l-alpha-beta: each channel of the target is shifted and scaled
/// to the reference's mean and standard deviation, out = (x - mu_T) sigma_R / sigma_T + mu_R.
/// </summary>
public sealed class Reinhard : IColorTransferMethod
{
    /// <inheritdoc />
    public string Name => "reinhard";

    /// <summary>An image's pixels in CIELAB, as three planes.</summary>
    public static float[] ToLab(RgbImage image)
    {
        int n = image.PixelCount;
        var lab = new float[3 * n];
        var p = image.Planes;
        ParallelBlocks.For(n, (start, end) =>
        {
            for (int i = start; i < end; i++)
                ColorMath.RgbToLab(p[i], p[n + i], p[2 * n + i], out lab[i], out lab[n + i], out lab[2 * n + i]);
        });
        return lab;
    }

    /// <summary>The mean and standard deviation of a plane.</summary>
    internal static (double Mean, double Std) Moments(ReadOnlySpan<float> plane)
    {
        double sum = 0, sq = 0;
        foreach (float v in plane) { sum += v; sq += (double)v * v; }
        double mean = sum / plane.Length;
        return (mean, Math.Sqrt(Math.Max(sq / plane.Length - mean * mean, 0)));
    }

    /// <inheritdoc />
    public RgbImage Transfer(RgbImage target, RgbImage reference)
    {
        var t = ToLab(target);
        var r = ToLab(reference);
        int n = target.PixelCount, m = reference.PixelCount;
        for (int c = 0; c < 3; c++)
        {
            var (mt, st) = Moments(t.AsSpan(c * n, n));
            var (mr, sr) = Moments(r.AsSpan(c * m, m));
            float scale = (float)(st > 1e-6 ? sr / st : 1), shift = (float)(mr - mt * (st > 1e-6 ? sr / st : 1));
            for (int i = c * n; i < (c + 1) * n; i++) t[i] = t[i] * scale + shift;
        }
        var result = new RgbImage(target.Width, target.Height);
        var o = result.Planes;
        ParallelBlocks.For(n, (start, end) =>
        {
            for (int i = start; i < end; i++)
                ColorMath.LabToRgb(t[i], t[n + i], t[2 * n + i], out o[i], out o[n + i], out o[2 * n + i]);
        });
        return result;
    }
}
