using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>The super-features F (paper section 3.1): Count rows of Channels floats.</summary>
public sealed class SuperFeatureMatrix : IDisposable
{
    internal SuperFeatureMatrix(int count, int channels, MemoryBuffer1D<float, Stride1D.Dense> values)
    {
        Count = count;
        Channels = channels;
        Values = values;
    }

    /// <summary>Number of superpixels.</summary>
    public int Count { get; }
    /// <summary>Feature channels C.</summary>
    public int Channels { get; }
    /// <summary>Row-major Count x Channels values.</summary>
    internal MemoryBuffer1D<float, Stride1D.Dense> Values { get; }
    /// <inheritdoc />
    public void Dispose() => Values.Dispose();
}
