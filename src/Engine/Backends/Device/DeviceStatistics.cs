using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends.Device;

/// <summary>Per-superpixel statistics on any ILGPU accelerator (<see cref="StatisticsKernels"/>).</summary>
internal sealed class DeviceStatistics(Accelerator accelerator)
{
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<double>> _accumulate =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<double>>(StatisticsKernels.Accumulate);
    private readonly Action<Index1D, int, int, ArrayView<double>, ArrayView<SuperpixelStatistics>> _finish =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<double>, ArrayView<SuperpixelStatistics>>(StatisticsKernels.Finish);

    private (int Threads, int Chunk) Split(long n) => KernelGrid.Split(accelerator, n);

    /// <summary>The statistics of the <paramref name="count"/> superpixels of a labelled image (planar RGB, w x h).</summary>
    public MemoryBuffer1D<SuperpixelStatistics, Stride1D.Dense> Run(ArrayView<float> planes, ArrayView<int> labels, int w, int h, int count)
    {
        using var moments = accelerator.Allocate1D<double>((long)count * SuperpixelMoments.Count);
        moments.MemSetToZero();
        var (t1, c1) = Split(PixelRun.Count(new Rect(0, 0, w, h)));
        _accumulate(t1, c1, w, h, planes, labels, moments.View);
        var stats = accelerator.Allocate1D<SuperpixelStatistics>(count);
        var (t2, c2) = Split(count);
        _finish(t2, c2, count, moments.View, stats.View);
        accelerator.Synchronize();
        return stats;
    }
}
