using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>An RGB image held by a backend: three planes of Width * Height floats in one buffer.</summary>
public sealed class BackendImage : IDisposable
{
    internal BackendImage(int width, int height, MemoryBuffer1D<float, Stride1D.Dense> planes)
    {
        Width = width;
        Height = height;
        Planes = planes;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>Planes R, G, B.</summary>
    internal MemoryBuffer1D<float, Stride1D.Dense> Planes { get; }
    /// <inheritdoc />
    public void Dispose() => Planes.Dispose();
}
