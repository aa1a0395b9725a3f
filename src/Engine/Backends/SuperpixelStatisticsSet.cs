using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>Per-superpixel statistics (mean colour and position, covariances).</summary>
public sealed class SuperpixelStatisticsSet : IDisposable
{
    internal SuperpixelStatisticsSet(int count, MemoryBuffer1D<SuperpixelStatistics, Stride1D.Dense> values)
    {
        Count = count;
        Values = values;
    }

    /// <summary>Number of superpixels.</summary>
    public int Count { get; }
    /// <summary>One record per superpixel.</summary>
    internal MemoryBuffer1D<SuperpixelStatistics, Stride1D.Dense> Values { get; }
    /// <inheritdoc />
    public void Dispose() => Values.Dispose();
}
