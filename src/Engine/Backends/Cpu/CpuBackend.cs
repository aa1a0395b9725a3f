using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace GpuColorTransfer.Engine.Backends.Cpu;

/// <summary>
/// The backend for machines without a GPU: every stage is SIMD C# working in place on the
/// buffers of ILGPU's CPU accelerator, which are plain host memory.
/// </summary>
internal sealed unsafe class CpuBackend : IBackend
{
    private readonly Context _context;
    private readonly CPUAccelerator _accelerator;

    /// <summary>Creates the backend and its ILGPU CPU accelerator.</summary>
    public CpuBackend()
    {
        _context = Context.Create(b => b.CPU(KernelGrid.CpuDevice).EnableAlgorithms().Optimize(KernelGrid.Optimization));
        _accelerator = _context.CreateCPUAccelerator(0);
    }

    /// <inheritdoc />
    /// <remarks>Host memory: its bound is the host memory limit (<see cref="WorkLimits"/>), checked with the job.</remarks>
    public void CheckCapacity(int targetWidth, int targetHeight, int referenceWidth, int referenceHeight, TransferSettings settings)
    {
    }

    /// <inheritdoc />
    public string Name => $"cpu (SIMD C#, {Environment.ProcessorCount} threads)";

    /// <inheritdoc />
    public bool StagesOnHost => true;

    /// <inheritdoc />
    public int DefaultTileSize => TransferSettings.CpuTileSize;

    /// <inheritdoc />
    public long? FreeMemoryBytes => null;

    /// <inheritdoc />
    /// <remarks>Every stage has finished when it returns.</remarks>
    public void Synchronize()
    {
    }

    /// <summary>The ILGPU CPU accelerator that owns the buffers (for the tests that run device stages on them).</summary>
    internal CPUAccelerator Accelerator => _accelerator;

    private MemoryBuffer1D<T, Stride1D.Dense> Allocate<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        var buffer = _accelerator.Allocate1D<T>(Math.Max(values.Length, 1));
        values.CopyTo(buffer.Span());
        return buffer;
    }

    /// <inheritdoc />
    public BackendImage Upload(RgbImage image) => new(image.Width, image.Height, Allocate<float>(image.Planes));

    /// <inheritdoc />
    public RgbImage Download(BackendImage image) => new(image.Width, image.Height, image.Planes.ToArray());

    private static float* Pointer(MemoryBuffer1D<float, Stride1D.Dense> b) => (float*)b.NativePtr;
    private static int* Pointer(MemoryBuffer1D<int, Stride1D.Dense> b) => (int*)b.NativePtr;

    /// <inheritdoc />
    public SuperpixelMap Superpixels(BackendImage image, int superpixels, TransferSettings settings)
    {
        var labels = _accelerator.Allocate1D<int>((long)image.Width * image.Height);
        CpuSlic.Run(Pointer(image.Planes), image.Width, image.Height, superpixels, settings.Compactness, settings.SlicIterations, Pointer(labels), out int count);
        return new SuperpixelMap(image.Width, image.Height, count, labels);
    }

    /// <inheritdoc />
    public SuperpixelStatisticsSet Statistics(BackendImage image, SuperpixelMap map)
    {
        var stats = CpuStatistics.Run(Pointer(image.Planes), image.Width, image.Height, Pointer(map.Labels), map.Count);
        return new SuperpixelStatisticsSet(map.Count, Allocate<SuperpixelStatistics>(stats));
    }

    /// <inheritdoc />
    public SuperFeatureMatrix SuperFeatures(BackendImage image, SuperpixelMap map, VggNetwork network, TransferSettings settings)
    {
        var features = CpuSuperFeatures.Run(Pointer(image.Planes), image.Width, image.Height, Pointer(map.Labels), map.Count,
            network, settings.Layers, settings.Pooling, settings.TileSize ?? TransferSettings.CpuTileSize);
        return new SuperFeatureMatrix(map.Count, features.Length / Math.Max(map.Count, 1), Allocate<float>(features));
    }

    /// <inheritdoc />
    public SuperFeatureMatrix Concatenate(SuperFeatureMatrix first, SuperFeatureMatrix second) =>
        new(first.Count, first.Channels + second.Channels, Allocate<float>(CpuSuperFeatures.Concatenate(first.Values.Span(), first.Channels, second.Values.Span(), second.Channels, first.Count)));

    /// <inheritdoc />
    public MatchedColors Attention(SuperFeatureMatrix target, SuperFeatureMatrix reference, SuperpixelStatisticsSet referenceStatistics,
        TransferSettings settings)
    {
        var colors = CpuAttention.MatchedColors(target.Values.Span(), target.Count, reference.Values.Span(), reference.Count, target.Channels,
            referenceStatistics.Values.Span(), settings.Centring, settings.Tau, settings.AttentionTopK, null);
        return new MatchedColors(target.Count, Allocate<float>(colors));
    }

    /// <inheritdoc />
    public float[] AttentionMatrix(SuperFeatureMatrix target, SuperFeatureMatrix reference, SuperpixelStatisticsSet referenceStatistics, TransferSettings settings)
    {
        var attention = new float[target.Count * reference.Count];
        CpuAttention.MatchedColors(target.Values.Span(), target.Count, reference.Values.Span(), reference.Count, target.Channels,
            referenceStatistics.Values.Span(), settings.Centring, settings.Tau, settings.AttentionTopK, attention);
        return attention;
    }

    /// <inheritdoc />
    public BackendImage Fusion(BackendImage target, SuperpixelMap map, SuperpixelStatisticsSet statistics, MatchedColors colors, TransferSettings settings)
    {
        var fused = _accelerator.Allocate1D<float>(target.Planes.Length);
        CpuFusion.Run(Pointer(target.Planes), target.Width, target.Height, Pointer(map.Labels),
            statistics.Values.ToArray(), colors.Values.ToArray(), settings, Pointer(fused));
        return new BackendImage(target.Width, target.Height, fused);
    }

    /// <inheritdoc />
    public BackendImage Regrain(BackendImage original, BackendImage transferred, float smoothness)
    {
        var result = _accelerator.Allocate1D<float>(original.Planes.Length);
        CpuRegrain.Run(Pointer(original.Planes), Pointer(transferred.Planes), original.Width, original.Height, smoothness, Pointer(result));
        return new BackendImage(original.Width, original.Height, result);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _accelerator.Dispose();
        _context.Dispose();
    }
}
