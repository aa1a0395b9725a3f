using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>An RGB image held by a backend: three planes of Width * Height floats in one buffer.</summary>
public sealed class BackendImage(int width, int height, MemoryBuffer1D<float, Stride1D.Dense> planes) : IDisposable
{
    /// <summary>Width in pixels.</summary>
    public int Width { get; } = width;
    /// <summary>Height in pixels.</summary>
    public int Height { get; } = height;
    /// <summary>Planes R, G, B.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Planes { get; } = planes;
    /// <inheritdoc />
    public void Dispose() => Planes.Dispose();
}
