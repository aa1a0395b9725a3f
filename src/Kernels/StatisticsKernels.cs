using ILGPU;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// Per-superpixel statistics (paper section 3.3; see the CPU stage CpuStatistics) as kernels: the
/// 15 moments of each superpixel (<see cref="SuperpixelMoments"/>) summed in double precision
/// over a <see cref="PixelRun"/> per thread and added with one set of atomics per superpixel the
/// run meets, then turned into means and population covariances. Chunk-loop style. The atomic
/// order varies between runs on a GPU, so the sums may differ in their last bits from run to run.
/// </summary>
public static class StatisticsKernels
{
    /// <summary>Adds every pixel's moments to its superpixel's 15 sums (moments must start at zero).</summary>
    public static void Accumulate(Index1D thread, int chunk, int w, int h, ArrayView<float> planes, ArrayView<int> labels, ArrayView<double> moments)
    {
        int n = w * h;
        var image = new Rect(0, 0, w, h);
        for (long e = (long)thread.X * chunk; e < PixelRun.Count(image) && e < (thread.X + 1L) * chunk; e++)
        {
            var run = new PixelRun((int)e, image);
            var sums = new SuperpixelMoments();
            int label = labels[run.Y0 * w + run.X];
            double x = (double)run.X / w;
            for (int y = run.Y0; y < run.Y1; y++)
            {
                int p = y * w + run.X;
                if (labels[p] != label)
                {
                    sums.AddAtomically(moments, label * SuperpixelMoments.Count);
                    sums = new SuperpixelMoments();
                    label = labels[p];
                }
                sums.Add(x, (double)y / h, planes[p], planes[n + p], planes[2 * n + p]);
            }
            sums.AddAtomically(moments, label * SuperpixelMoments.Count);
        }
    }

    /// <summary>The statistics from the sums.</summary>
    public static void Finish(Index1D thread, int chunk, int count, ArrayView<double> moments, ArrayView<SuperpixelStatistics> stats)
    {
        for (int s = thread * chunk; s < count && s < (thread + 1) * chunk; s++)
            stats[s] = SuperpixelMoments.Read(moments, s * SuperpixelMoments.Count).ToStatistics();
    }
}
