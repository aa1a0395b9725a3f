using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>An RGB image held by a backend: three planes of Width * Height floats in one buffer.</summary>
public sealed class DeviceImage(int width, int height, MemoryBuffer1D<float, Stride1D.Dense> planes) : IDisposable
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

/// <summary>
/// The colour each target superpixel receives through the attention, C(i) = sum_j A(i,j) Ibar_R(j),
/// and the attention-weighted covariance of the reference colours around it,
/// sum_j A(i,j) (Cov_R(j) + Ibar_R(j) Ibar_R(j)^T) - C(i) C(i)^T: Count rows of
/// (r, g, b, rr, rg, rb, gg, gb, bb).
/// </summary>
public sealed class MatchedColors(int count, MemoryBuffer1D<float, Stride1D.Dense> values) : IDisposable
{
    /// <summary>Floats per superpixel.</summary>
    public const int Stride = 9;

    /// <summary>Number of target superpixels.</summary>
    public int Count { get; } = count;
    /// <summary>Row-major Count x 3 values.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Values { get; } = values;
    /// <inheritdoc />
    public void Dispose() => Values.Dispose();
}
