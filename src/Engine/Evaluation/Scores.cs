using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>Full-reference scores of an output against the truth.</summary>
public static class Scores
{
    /// <summary>Mean CIEDE2000 over the pixels.</summary>
    public static double MeanDeltaE00(RgbImage output, RgbImage truth)
    {
        Check(output, truth);
        int n = output.PixelCount;
        var o = output.Planes;
        var t = truth.Planes;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            ColorMath.RgbToLab(o[i], o[n + i], o[2 * n + i], out float l1, out float a1, out float b1);
            ColorMath.RgbToLab(t[i], t[n + i], t[2 * n + i], out float l2, out float a2, out float b2);
            sum += Ciede2000.DeltaE(l1, a1, b1, l2, a2, b2);
        }
        return sum / n;
    }

    /// <summary>PSNR in dB over the RGB values in [0,1] (peak 1).</summary>
    public static double Psnr(RgbImage output, RgbImage truth)
    {
        Check(output, truth);
        double se = 0;
        for (int i = 0; i < output.Planes.Length; i++)
        {
            double d = output.Planes[i] - truth.Planes[i];
            se += d * d;
        }
        double mse = se / output.Planes.Length;
        return mse == 0 ? double.PositiveInfinity : -10 * Math.Log10(mse);
    }

    /// <summary>
    /// The share of the true change the output applies: the projection of the output's change onto
    /// the true change in CIELAB, sum((O - T) . (GT - T)) / sum(|GT - T|^2) over the pixels (0: the
    /// target unchanged, 1: the change's full length along it; NaN when the truth is the target).
    /// </summary>
    public static double AppliedShare(RgbImage output, RgbImage target, RgbImage truth)
    {
        Check(output, truth);
        Check(target, truth);
        int n = output.PixelCount;
        var o = output.Planes;
        var t = target.Planes;
        var g = truth.Planes;
        double along = 0, length = 0;
        for (int i = 0; i < n; i++)
        {
            ColorMath.RgbToLab(o[i], o[n + i], o[2 * n + i], out float ol, out float oa, out float ob);
            ColorMath.RgbToLab(t[i], t[n + i], t[2 * n + i], out float tl, out float ta, out float tb);
            ColorMath.RgbToLab(g[i], g[n + i], g[2 * n + i], out float gl, out float ga, out float gb);
            double dl = gl - tl, da = ga - ta, db = gb - tb;
            along += (ol - tl) * dl + (oa - ta) * da + (ob - tb) * db;
            length += dl * dl + da * da + db * db;
        }
        return length > 0 ? along / length : double.NaN;
    }

    private static void Check(RgbImage a, RgbImage b)
    {
        if (a.Width != b.Width || a.Height != b.Height)
            throw new ArgumentException($"sizes differ: {a.Width}x{a.Height} and {b.Width}x{b.Height}");
    }
}
