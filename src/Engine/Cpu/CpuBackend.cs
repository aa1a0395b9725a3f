using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Shaders;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace GpuColorTransfer.Engine.Cpu;

/// <summary>
/// The backend for machines without a GPU: every stage is SIMD C# working in place on the
/// buffers of ILGPU's CPU accelerator, which are plain host memory.
/// </summary>
public sealed unsafe class CpuBackend : IBackend
{
    private readonly Context _context;
    private readonly CPUAccelerator _accelerator;

    /// <summary>Creates the backend and its ILGPU CPU accelerator.</summary>
    public CpuBackend()
    {
        _context = Context.Create(b => b.CPU().EnableAlgorithms());
        _accelerator = _context.CreateCPUAccelerator(0);
    }

    /// <inheritdoc />
    public string Name => $"cpu (SIMD C#, {Environment.ProcessorCount} threads)";

    /// <inheritdoc />
    public Accelerator Accelerator => _accelerator;

    private MemoryBuffer1D<T, Stride1D.Dense> Allocate<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        var buffer = _accelerator.Allocate1D<T>(Math.Max(values.Length, 1));
        values.CopyTo(buffer.Span());
        return buffer;
    }

    /// <inheritdoc />
    public DeviceImage Upload(RgbImage image) => new(image.Width, image.Height, Allocate<float>(image.Planes));

    /// <inheritdoc />
    public RgbImage Download(DeviceImage image) => new(image.Width, image.Height, image.Planes.ToArray());

    /// <inheritdoc />
    public SuperpixelMap Superpixels(DeviceImage image, int superpixels, TransferSettings settings)
    {
        var labels = CpuSlic.Run(image.Planes.Span(), image.Width, image.Height, superpixels, settings.Compactness, settings.SlicIterations, out int count);
        return new SuperpixelMap(image.Width, image.Height, count, Allocate<int>(labels));
    }

    /// <inheritdoc />
    public SuperpixelStatisticsSet Statistics(DeviceImage image, SuperpixelMap map)
    {
        var stats = CpuStatistics.Run((float*)image.Planes.NativePtr, image.Width, image.Height, map.Labels.ToArray(), map.Count);
        return new SuperpixelStatisticsSet(map.Count, Allocate<SuperpixelStatistics>(stats));
    }

    /// <inheritdoc />
    public SuperFeatureMatrix SuperFeatures(DeviceImage image, SuperpixelMap map, VggNetwork network, TransferSettings settings)
    {
        var features = CpuSuperFeatures.Run((float*)image.Planes.NativePtr, image.Width, image.Height, map.Labels.ToArray(), map.Count,
            network, settings.Layers, settings.Pooling, settings.TileSize);
        return new SuperFeatureMatrix(map.Count, features.Length / Math.Max(map.Count, 1), Allocate<float>(features));
    }

    /// <inheritdoc />
    public MatchedColors Attention(SuperFeatureMatrix target, SuperFeatureMatrix reference, SuperpixelStatisticsSet referenceStatistics,
        TransferSettings settings, float[]? attention = null)
    {
        var colors = CpuAttention.MatchedColors(target.Values.Span(), target.Count, reference.Values.Span(), reference.Count, target.Channels,
            referenceStatistics.Values.Span(), settings.Centring, settings.Tau, attention);
        return new MatchedColors(target.Count, Allocate<float>(colors));
    }

    /// <inheritdoc />
    public DeviceImage Fusion(DeviceImage target, SuperpixelMap map, SuperpixelStatisticsSet statistics, MatchedColors colors, TransferSettings settings)
    {
        var fused = CpuFusion.Run((float*)target.Planes.NativePtr, target.Width, target.Height, map.Labels.ToArray(),
            statistics.Values.ToArray(), colors.Values.ToArray(), settings);
        return new DeviceImage(target.Width, target.Height, Allocate<float>(fused));
    }

    /// <inheritdoc />
    public DeviceImage Regrain(DeviceImage original, DeviceImage transferred, float smoothness)
    {
        var result = CpuRegrain.Run(original.Planes.Span(), transferred.Planes.Span(), original.Width, original.Height, smoothness);
        return new DeviceImage(original.Width, original.Height, Allocate<float>(result));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }
}
