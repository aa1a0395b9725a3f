using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Backends.Cpu;

/// <summary>
/// Per-superpixel statistics (paper section 3.3): P_i, the centroids Xbar(i) (normalised x/W, y/H)
/// and Ibar(i), and the population covariances of positions and colours, accumulated in double.
/// </summary>
internal static class CpuStatistics
{
    public static unsafe SuperpixelStatistics[] Run(float* planes, int w, int h, int* labels, int count)
    {
        int n = w * h;
        int groups = Math.Min(h, Environment.ProcessorCount);
        var partial = new SuperpixelMoments[groups][];
        float* p = planes;
        Parallel.For(0, groups, g =>
        {
            var m = partial[g] = new SuperpixelMoments[count];
            for (int y = g * h / groups; y < (g + 1) * h / groups; y++)
            {
                double ny = (double)y / h;
                for (int x = 0; x < w; x++)
                {
                    int i = y * w + x;
                    m[labels[i]].Add((double)x / w, ny, p[i], p[n + i], p[2 * n + i]);
                }
            }
        });
        var total = partial[0];
        for (int g = 1; g < groups; g++)
            for (int s = 0; s < count; s++) total[s].Add(partial[g][s]);
        return Array.ConvertAll(total, m => m.ToStatistics());
    }
}
