using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>A superpixel segmentation: one label in 0..Count-1 per pixel, each label one 4-connected region.</summary>
public sealed class SuperpixelMap(int width, int height, int count, MemoryBuffer1D<int, Stride1D.Dense> labels) : IDisposable
{
    /// <summary>Width in pixels.</summary>
    public int Width { get; } = width;
    /// <summary>Height in pixels.</summary>
    public int Height { get; } = height;
    /// <summary>Number of superpixels N.</summary>
    public int Count { get; } = count;
    /// <summary>Labels, row-major.</summary>
    public MemoryBuffer1D<int, Stride1D.Dense> Labels { get; } = labels;
    /// <inheritdoc />
    public void Dispose() => Labels.Dispose();
}
