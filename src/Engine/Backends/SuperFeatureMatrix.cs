using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>The super-features F (paper section 3.1): Count rows of Channels floats.</summary>
public sealed class SuperFeatureMatrix(int count, int channels, MemoryBuffer1D<float, Stride1D.Dense> values) : IDisposable
{
    /// <summary>Number of superpixels.</summary>
    public int Count { get; } = count;
    /// <summary>Feature channels C.</summary>
    public int Channels { get; } = channels;
    /// <summary>Row-major Count x Channels values.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Values { get; } = values;
    /// <inheritdoc />
    public void Dispose() => Values.Dispose();
}
