using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Methods;

/// <summary>
/// Welsh, Ashikhmin and Mueller, "Transferring color to greyscale images" (SIGGRAPH 2002), the
/// global version, in CIELAB (D65) rather than the paper's l-alpha-beta: the reference's lightness
/// is remapped to the target's mean and standard deviation; about 200 samples are taken from the
/// reference on a randomly jittered grid, each with its lightness, the standard deviation of the
/// lightness in its 5x5 neighbourhood and its chroma (a*, b*); every target pixel takes the chroma
/// of the sample that minimises 0.5 |L - L_s| + 0.5 |sigma - sigma_s|, and keeps its own lightness.
/// </summary>
public sealed class Welsh : IColorTransferMethod
{
    /// <summary>Samples per side of the jittered grid (14 x 14 = 196, the paper's "approximately 200").</summary>
    private const int Grid = 14;

    /// <inheritdoc />
    public string Name => "welsh";

    /// <inheritdoc />
    public RgbImage Transfer(RgbImage target, RgbImage reference)
    {
        var t = Reinhard.ToLab(target);
        var r = Reinhard.ToLab(reference);
        int n = target.PixelCount, m = reference.PixelCount;
        // Luminance remapping: the reference's L to the target's mean and standard deviation.
        var (mt, st) = Reinhard.Moments(t.AsSpan(0, n));
        var (mr, sr) = Reinhard.Moments(r.AsSpan(0, m));
        var lr = new float[m];
        for (int i = 0; i < m; i++) lr[i] = (float)((r[i] - mr) * (sr > 1e-6 ? st / sr : 1) + mt);
        var sigmaT = LocalDeviation(t.AsSpan(0, n).ToArray(), target.Width, target.Height);
        var sigmaR = LocalDeviation(lr, reference.Width, reference.Height);

        // The jittered grid (a fixed seed: reproducible).
        var random = new Random(2002);
        var samples = new List<(float L, float Sigma, float A, float B)>();
        for (int gy = 0; gy < Grid; gy++)
            for (int gx = 0; gx < Grid; gx++)
            {
                int x = Math.Min(reference.Width - 1, (int)((gx + random.NextDouble()) * reference.Width / Grid));
                int y = Math.Min(reference.Height - 1, (int)((gy + random.NextDouble()) * reference.Height / Grid));
                int i = y * reference.Width + x;
                samples.Add((lr[i], sigmaR[i], r[m + i], r[2 * m + i]));
            }

        var result = new RgbImage(target.Width, target.Height);
        var o = result.Planes;
        ParallelBlocks.For(n, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                float best = float.MaxValue, a = 0, b = 0;
                foreach (var s in samples)
                {
                    float d = 0.5f * MathF.Abs(t[i] - s.L) + 0.5f * MathF.Abs(sigmaT[i] - s.Sigma);
                    if (d < best) (best, a, b) = (d, s.A, s.B);
                }
                ColorMath.LabToRgb(t[i], a, b, out o[i], out o[n + i], out o[2 * n + i]);
            }
        });
        return result;
    }

    /// <summary>The standard deviation of <paramref name="l"/> over each pixel's 5x5 neighbourhood (clipped at the borders).</summary>
    private static float[] LocalDeviation(float[] l, int w, int h)
    {
        var sigma = new float[l.Length];
        Parallel.For(0, h, y =>
        {
            for (int x = 0; x < w; x++)
            {
                double sum = 0, sq = 0;
                int count = 0;
                for (int yy = Math.Max(0, y - 2); yy <= Math.Min(h - 1, y + 2); yy++)
                    for (int xx = Math.Max(0, x - 2); xx <= Math.Min(w - 1, x + 2); xx++)
                    {
                        double v = l[yy * w + xx];
                        sum += v;
                        sq += v * v;
                        count++;
                    }
                double mean = sum / count;
                sigma[y * w + x] = (float)Math.Sqrt(Math.Max(sq / count - mean * mean, 0));
            }
        });
        return sigma;
    }
}
