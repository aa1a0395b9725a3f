using GpuColorTransfer.Shaders;

namespace GpuColorTransfer.Engine.Cpu;

/// <summary>
/// Per-superpixel statistics (paper section 3.3): P_i, the centroids Xbar(i) (normalised x/W, y/H)
/// and Ibar(i), and the population covariances of positions and colours, accumulated in double.
/// </summary>
internal static class CpuStatistics
{
    private const int Moments = 15; // count, 5 sums, 3 + 6 second moments

    public static unsafe SuperpixelStatistics[] Run(float* planes, int w, int h, int* labels, int count)
    {
        int n = w * h;
        int groups = Math.Min(h, Environment.ProcessorCount);
        var partial = new double[groups][];
        float* p = planes;
        Parallel.For(0, groups, g =>
        {
            var m = partial[g] = new double[count * Moments];
            for (int y = g * h / groups; y < (g + 1) * h / groups; y++)
            {
                double ny = (double)y / h;
                for (int x = 0; x < w; x++)
                {
                    int i = y * w + x;
                    double nx = (double)x / w, r = p[i], gg = p[n + i], b = p[2 * n + i];
                    int o = labels[i] * Moments;
                    m[o] += 1; m[o + 1] += nx; m[o + 2] += ny; m[o + 3] += r; m[o + 4] += gg; m[o + 5] += b;
                    m[o + 6] += nx * nx; m[o + 7] += nx * ny; m[o + 8] += ny * ny;
                    m[o + 9] += r * r; m[o + 10] += r * gg; m[o + 11] += r * b;
                    m[o + 12] += gg * gg; m[o + 13] += gg * b; m[o + 14] += b * b;
                }
            }
        });
        var total = partial[0];
        for (int g = 1; g < groups; g++)
            for (int k = 0; k < total.Length; k++) total[k] += partial[g][k];

        var stats = new SuperpixelStatistics[count];
        for (int s = 0; s < count; s++)
        {
            var m = total.AsSpan(s * Moments, Moments);
            stats[s] = SuperpixelStatistics.FromMoments(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[11], m[12], m[13], m[14]);
        }
        return stats;
    }
}
