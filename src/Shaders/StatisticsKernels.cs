using ILGPU;

namespace GpuColorTransfer.Shaders;

/// <summary>
/// Per-superpixel statistics (paper section 3.3; see the CPU stage CpuStatistics) as kernels: the
/// 15 moments of each superpixel (count, sums of x, y, r, g, b, and of their second-order
/// products) accumulated with double-precision atomics, then turned into means and population
/// covariances. Chunk-loop style. The atomic order varies between runs on a GPU, so the sums may
/// differ in their last bits from run to run.
/// </summary>
public static class StatisticsKernels
{
    /// <summary>Moments per superpixel.</summary>
    public const int Moments = 15;

    /// <summary>Adds every pixel's moments to its superpixel's 15 sums (moments must start at zero).</summary>
    public static void Accumulate(Index1D thread, int chunk, int w, int h, ArrayView<float> planes, ArrayView<int> labels, ArrayView<double> moments)
    {
        int n = w * h;
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            double x = (double)(p % w) / w, y = (double)(p / w) / h;
            double r = planes[p], g = planes[n + p], b = planes[2 * n + p];
            int o = labels[p] * Moments;
            Atomic.Add(ref moments[o], 1.0);
            Atomic.Add(ref moments[o + 1], x); Atomic.Add(ref moments[o + 2], y);
            Atomic.Add(ref moments[o + 3], r); Atomic.Add(ref moments[o + 4], g); Atomic.Add(ref moments[o + 5], b);
            Atomic.Add(ref moments[o + 6], x * x); Atomic.Add(ref moments[o + 7], x * y); Atomic.Add(ref moments[o + 8], y * y);
            Atomic.Add(ref moments[o + 9], r * r); Atomic.Add(ref moments[o + 10], r * g); Atomic.Add(ref moments[o + 11], r * b);
            Atomic.Add(ref moments[o + 12], g * g); Atomic.Add(ref moments[o + 13], g * b); Atomic.Add(ref moments[o + 14], b * b);
        }
    }

    /// <summary>The statistics from the sums (<see cref="SuperpixelStatistics.FromMoments"/>).</summary>
    public static void Finish(Index1D thread, int chunk, int count, ArrayView<double> moments, ArrayView<SuperpixelStatistics> stats)
    {
        for (int s = thread * chunk; s < count && s < (thread + 1) * chunk; s++)
        {
            int o = s * Moments;
            stats[s] = SuperpixelStatistics.FromMoments(moments[o], moments[o + 1], moments[o + 2], moments[o + 3], moments[o + 4],
                moments[o + 5], moments[o + 6], moments[o + 7], moments[o + 8], moments[o + 9], moments[o + 10], moments[o + 11],
                moments[o + 12], moments[o + 13], moments[o + 14]);
        }
    }
}
