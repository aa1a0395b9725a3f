using GpuColorTransfer.Engine.Cpu;
using GpuColorTransfer.Shaders;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Gpu;

/// <summary>
/// The colour fusion on any ILGPU accelerator (<see cref="FusionKernels"/>; the method as in
/// <see cref="CpuFusion"/>, which also builds the per-superpixel affine maps). Every term of the
/// sum is evaluated; the CPU stage skips those below e^-30 of the largest.
/// </summary>
internal sealed class DeviceFusion(Accelerator accelerator)
{
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<SuperpixelStatistics>, ArrayView<FusionMetric>,
        ArrayView<float>, int, float, float, int, ArrayView<float>> _fuse =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<SuperpixelStatistics>, ArrayView<FusionMetric>,
            ArrayView<float>, int, float, float, int, ArrayView<float>>(FusionKernels.Fuse);

    /// <summary>Fuses the target (planar RGB, w x h) with the matched colours of its superpixels; returns a new buffer.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Run(ArrayView<float> planes, ArrayView<int> labels, int w, int h,
        SuperpixelStatistics[] stats, float[] colors, TransferSettings settings)
    {
        var metrics = stats.Select(s => FusionMetric.From(s, settings.DeltaS, settings.DeltaC)).ToArray();
        var maps = CpuFusion.AffineMaps(stats, colors, settings.FusionMode).SelectMany(m => m).ToArray();
        using var statsBuffer = accelerator.Allocate1D(stats);
        using var metricsBuffer = accelerator.Allocate1D(metrics);
        using var mapsBuffer = accelerator.Allocate1D(maps);
        var output = accelerator.Allocate1D<float>(3L * w * h);
        int n = w * h;
        var (threads, chunk) = KernelGrid.Split(accelerator, n);
        float radius2 = settings.FusionRadius is float r ? r * r : float.PositiveInfinity;
        _fuse(threads, chunk, w, h, planes, labels, statsBuffer.View, metricsBuffer.View, mapsBuffer.View, stats.Length,
            radius2, settings.FusionSigma ?? 0f,
            (settings.FusionCovariance == FusionCovariance.Own ? FusionKernels.OwnCovariance : 0)
            | (settings.FusionMode == FusionMode.Statistics ? FusionKernels.Affine : 0)
            | (settings.FusionMode == FusionMode.Shift ? FusionKernels.Shift : 0), output.View);
        accelerator.Synchronize();
        return output;
    }
}
