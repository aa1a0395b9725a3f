using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>A superpixel segmentation: one label in 0..Count-1 per pixel, each label one 4-connected region.</summary>
public sealed class SuperpixelMap : IDisposable
{
    internal SuperpixelMap(int width, int height, int count, MemoryBuffer1D<int, Stride1D.Dense> labels)
    {
        Width = width;
        Height = height;
        Count = count;
        Labels = labels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>Number of superpixels N.</summary>
    public int Count { get; }
    /// <summary>Labels, row-major.</summary>
    internal MemoryBuffer1D<int, Stride1D.Dense> Labels { get; }
    /// <summary>A host copy of the labels, row-major.</summary>
    public int[] CopyLabels() => Labels.GetAsArray1D();
    /// <inheritdoc />
    public void Dispose() => Labels.Dispose();
}
