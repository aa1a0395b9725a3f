using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>Per-superpixel statistics (mean colour and position, covariances).</summary>
public sealed class SuperpixelStatisticsSet(int count, MemoryBuffer1D<SuperpixelStatistics, Stride1D.Dense> values) : IDisposable
{
    /// <summary>Number of superpixels.</summary>
    public int Count { get; } = count;
    /// <summary>One record per superpixel.</summary>
    public MemoryBuffer1D<SuperpixelStatistics, Stride1D.Dense> Values { get; } = values;
    /// <inheritdoc />
    public void Dispose() => Values.Dispose();
}
