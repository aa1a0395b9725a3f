using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace GpuColorTransfer.Engine.Backends.Device;

/// <summary>
/// The backend that runs every stage as ILGPU kernels (src/Kernels) with the data in device
/// buffers: on a CUDA GPU, or on ILGPU's CPU accelerator (a slow simulator, for tests). Between
/// the upload and the download, only small arrays that depend on the sizes alone go up (resize
/// weights, network weights, search bounds) and a few numbers come back (superpixel counts, the
/// fusion's list total); and, when intermediates are saved, what they show.
/// </summary>
internal sealed class DeviceBackend : IBackend
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly DeviceSlic _slic;
    private readonly DeviceStatistics _statistics;
    private readonly DeviceSuperFeatures _features;
    private readonly DeviceAttention _attention;
    private readonly DeviceFusion _fusion;
    private readonly DeviceRegrain _regrain;
    private readonly HostStaging _staging;
    private readonly int _tileSize;

    private DeviceBackend(Context context, Accelerator accelerator, string name)
    {
        _context = context;
        _accelerator = accelerator;
        Name = name;
        _slic = new DeviceSlic(accelerator);
        _statistics = new DeviceStatistics(accelerator);
        _tileSize = accelerator.AcceleratorType == AcceleratorType.CPU ? 64 : TransferSettings.CudaTileSize;
        _features = new DeviceSuperFeatures(accelerator,
            accelerator.AcceleratorType == AcceleratorType.CPU ? VggKernels.TileWidth : VggKernels.MaxConvGroupSize);
        _attention = new DeviceAttention(accelerator);
        _fusion = new DeviceFusion(accelerator);
        _regrain = new DeviceRegrain(accelerator);
        _staging = new HostStaging(accelerator);
    }

    /// <summary>The first CUDA device; a <see cref="DeviceException"/> when there is none or it cannot start.</summary>
    public static DeviceBackend CreateCuda()
    {
        DeviceInventory.RegisterCudaResolver();
        var context = Context.Create(b => b.Cuda().EnableAlgorithms().Optimize(KernelGrid.Optimization));
        try
        {
            if (context.GetCudaDevices().Count == 0)
                throw new DeviceException(DeviceProblem.Unavailable, "no CUDA device found");
            var accelerator = context.CreateCudaAccelerator(0);
            return new DeviceBackend(context, accelerator, $"cuda ({accelerator.Name}, {accelerator.MemorySize / (1024.0 * 1024 * 1024):F0} GiB)");
        }
        catch (Exception e) when (e is not GctException)
        {
            context.Dispose();
            throw new DeviceException(DeviceProblem.Unavailable, $"the CUDA device could not be started ({e.Message})", e);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>The kernels on ILGPU's CPU accelerator: slow, for checking them without a GPU.</summary>
    public static DeviceBackend CreateSimulator()
    {
        var context = Context.Create(b => b.CPU(KernelGrid.CpuDevice).EnableAlgorithms().Optimize(KernelGrid.Optimization));
        return new DeviceBackend(context, context.CreateCPUAccelerator(0), "kernels on ILGPU's CPU accelerator (simulator)");
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The ILGPU accelerator that owns the buffers (for the tests that run single stages).</summary>
    internal Accelerator Accelerator => _accelerator;

    /// <inheritdoc />
    /// <remarks>True on ILGPU's CPU accelerator (the simulator), whose buffers are host memory.</remarks>
    public bool StagesOnHost => _accelerator.AcceleratorType == AcceleratorType.CPU;

    /// <inheritdoc />
    /// <remarks><see cref="TransferSettings.CudaTileSize"/> on CUDA; 64 on the simulator.</remarks>
    public int DefaultTileSize => _tileSize;

    /// <inheritdoc />
    public long? FreeMemoryBytes => _accelerator is CudaAccelerator cuda ? cuda.GetFreeMemory() : null;

    /// <inheritdoc />
    public void Synchronize() => _accelerator.Synchronize();

    /// <inheritdoc />
    /// <remarks>Compares <see cref="StageMemory.Estimate"/> with the CUDA device's free memory (the simulator has no limit).</remarks>
    public void CheckCapacity(int targetWidth, int targetHeight, int referenceWidth, int referenceHeight, TransferSettings settings)
    {
        if (FreeMemoryBytes is not long free) return;
        long needed = StageMemory.Estimate(targetWidth, targetHeight, referenceWidth, referenceHeight, settings, settings.TileSize ?? _tileSize);
        StageMemory.CheckDevice(needed, free, Name, targetWidth, targetHeight, referenceWidth, referenceHeight);
    }

    /// <summary>
    /// Runs a stage, turning the device's errors into a <see cref="DeviceException"/> that names the
    /// stage: out of memory (should the estimate of <see cref="CheckCapacity"/>
    /// fall short), or any other CUDA error (a launch the device refuses, a driver fault).
    /// </summary>
    private T Guarded<T>(string stage, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (CudaException e) when (e.Error == nameof(CudaError.CUDA_ERROR_OUT_OF_MEMORY))
        {
            throw new DeviceException(DeviceProblem.Capacity, $"{Name} ran out of memory in {stage}", e);
        }
        catch (CudaException e)
        {
            throw new DeviceException(DeviceProblem.Failure, $"{Name} failed in {stage} ({e.Error}: {e.Message})", e);
        }
    }

    /// <inheritdoc />
    public BackendImage Upload(RgbImage image) => Guarded("upload", () => new BackendImage(image.Width, image.Height, _staging.Upload(image.Planes)));

    /// <inheritdoc />
    public RgbImage Download(BackendImage image) => Guarded("download", () => new RgbImage(image.Width, image.Height, _staging.Download(image.Planes.View)));

    /// <inheritdoc />
    public SuperpixelMap Superpixels(BackendImage image, int superpixels, TransferSettings settings)
    {
        return Guarded("SLIC", () =>
        {
            var labels = _slic.Run(image.Planes.View, image.Width, image.Height, superpixels, settings.Compactness, settings.SlicIterations, out int count);
            return new SuperpixelMap(image.Width, image.Height, count, labels);
        });
    }

    /// <inheritdoc />
    public SuperpixelStatisticsSet Statistics(BackendImage image, SuperpixelMap map) => Guarded("statistics", () =>
        new SuperpixelStatisticsSet(map.Count, _statistics.Run(image.Planes.View, map.Labels.View, image.Width, image.Height, map.Count)));

    /// <inheritdoc />
    public SuperFeatureMatrix SuperFeatures(BackendImage image, SuperpixelMap map, VggNetwork network, TransferSettings settings)
    {
        var values = Guarded("super-features", () =>
            _features.Run(image.Planes.View, map.Labels.View, image.Width, image.Height, map.Count, network, settings.Layers, settings.Pooling,
                settings.TileSize ?? _tileSize));
        return new SuperFeatureMatrix(map.Count, settings.Layers.Sum(t => t.Channels()), values);
    }

    /// <inheritdoc />
    public SuperFeatureMatrix Concatenate(SuperFeatureMatrix first, SuperFeatureMatrix second) => Guarded("super-features", () =>
        new SuperFeatureMatrix(first.Count, first.Channels + second.Channels,
            _features.Concatenate(first.Values.View, first.Channels, second.Values.View, second.Channels, first.Count)));

    /// <inheritdoc />
    public MatchedColors Attention(SuperFeatureMatrix target, SuperFeatureMatrix reference, SuperpixelStatisticsSet referenceStatistics,
        TransferSettings settings)
    {
        var values = Guarded("attention", () => _attention.Run(target.Values.View, target.Count, reference.Values.View, reference.Count,
            target.Channels, referenceStatistics.Values.View, settings));
        return new MatchedColors(target.Count, values);
    }

    /// <inheritdoc />
    public float[] AttentionMatrix(SuperFeatureMatrix target, SuperFeatureMatrix reference, SuperpixelStatisticsSet referenceStatistics, TransferSettings settings) =>
        Guarded("attention", () =>
        {
            using var weights = _accelerator.Allocate1D<float>(Math.Max(1L, (long)target.Count * reference.Count));
            using var colors = _attention.Run(target.Values.View, target.Count, reference.Values.View, reference.Count, target.Channels,
                referenceStatistics.Values.View, settings, weights.View);
            return weights.GetAsArray1D()[..(target.Count * reference.Count)];
        });

    /// <inheritdoc />
    public BackendImage Fusion(BackendImage target, SuperpixelMap map, SuperpixelStatisticsSet statistics, MatchedColors colors, TransferSettings settings) =>
        Guarded("fusion", () => new BackendImage(target.Width, target.Height, _fusion.Run(target.Planes.View, map.Labels.View, target.Width, target.Height,
            statistics.Values.View, statistics.Count, colors.Values.View, settings)));

    /// <inheritdoc />
    public BackendImage Regrain(BackendImage original, BackendImage transferred, float smoothness) =>
        Guarded("regrain", () => new BackendImage(original.Width, original.Height,
            _regrain.Run(original.Planes.View, transferred.Planes.View, original.Width, original.Height, smoothness)));

    /// <inheritdoc />
    public void Dispose()
    {
        _features.Dispose();
        _staging.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }
}
