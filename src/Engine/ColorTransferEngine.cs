using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;
using GpuColorTransfer.Engine.Pipeline;
using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Engine.Weights;

namespace GpuColorTransfer.Engine;

/// <summary>How a <see cref="ColorTransferEngine"/> transfers colours.</summary>
public sealed record EngineOptions
{
    /// <summary>One of <see cref="MethodRegistry.Names"/>; default the paper's method.</summary>
    public string Method { get; init; } = MethodRegistry.Default;

    /// <summary>The method's settings (superpixels, features, attention, fusion, regrain).</summary>
    public TransferSettings Settings { get; init; } = new();

    /// <summary>Where the stages run; default a CUDA GPU when one can run the job, else the CPU.</summary>
    public DevicePreference Device { get; init; } = DevicePreference.Auto;

    /// <summary>A folder of VGG-19 weights to use instead of the built-in copy (then $GCT_WEIGHTS); null for the default.</summary>
    public string? WeightsFolder { get; init; }
}

/// <summary>
/// Recolours images after a reference with one method on one backend, chosen once:
/// <code>
/// using var engine = ColorTransferEngine.Create();
/// var result = engine.Transfer(ImageCodec.Decode("target.jpg"), ImageCodec.Decode("reference.jpg"));
/// ImageCodec.Encode(result, "result.jpg");
/// </code>
/// The VGG-19 weights are loaded on the first transfer that needs them. Not thread-safe: one
/// transfer at a time per engine.
/// </summary>
public sealed class ColorTransferEngine : IDisposable
{
    private readonly EngineOptions _options;
    private readonly DevicePreference _preference;
    private IBackend _backend;
    private VggNetwork? _network;

    private ColorTransferEngine(EngineOptions options, BackendSelection selection)
    {
        _options = options;
        _preference = options.Device;
        _backend = selection.Backend;
        FallbackReason = selection.FallbackReason;
    }

    /// <summary>
    /// Chooses the backend (with <see cref="DevicePreference.Auto"/>, one that can hold <paramref name="job"/>
    /// when given) and checks the method and the weights folder.
    /// </summary>
    /// <exception cref="ArgumentException">The method is unknown.</exception>
    /// <exception cref="DeviceException"><see cref="DevicePreference.Cuda"/> was asked for and no CUDA device starts.</exception>
    /// <exception cref="GctException">The weights folder given is not usable.</exception>
    public static ColorTransferEngine Create(EngineOptions? options = null, TransferJob? job = null)
    {
        options ??= new EngineOptions();
        MethodRegistry.Require(options.Method, nameof(options));
        WeightStore.ResolveFolder(options.WeightsFolder);
        return new ColorTransferEngine(options, BackendSelector.Select(options.Device, job));
    }

    /// <summary>The backend the transfers run on.</summary>
    public IBackend Backend => _backend;

    /// <summary>Why the CPU backend runs the transfers although a GPU was looked for (<see cref="DevicePreference.Auto"/>); null otherwise. Once on the CPU, an engine stays there.</summary>
    public string? FallbackReason { get; private set; }

    /// <summary>
    /// The colours of <paramref name="reference"/> transferred onto <paramref name="target"/>: the
    /// target's size and alpha, values in [0,1]. With <see cref="DevicePreference.Auto"/>, a GPU
    /// that lacks the memory this pair needs is given up for the CPU (see <see cref="FallbackReason"/>).
    /// </summary>
    /// <param name="target">The image to recolour.</param>
    /// <param name="reference">The image whose colours are transferred.</param>
    /// <param name="progress">Told when each stage starts and finishes (the paper's method only), on the calling thread.</param>
    /// <param name="intermediates">Receives pictures of the steps (the paper's method only); null for none.</param>
    /// <exception cref="DeviceException">The GPU asked for cannot hold or run this transfer.</exception>
    public RgbImage Transfer(RgbImage target, RgbImage reference, IProgress<TransferProgress>? progress = null, IntermediateWriter? intermediates = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reference);
        Prepare(new TransferJob(target.Width, target.Height, reference.Width, reference.Height, _options.Settings));
        LastColorMap = null;
        if (_options.Method == MethodRegistry.Default)
        {
            var transfer = Pipeline(progress, intermediates);
            var image = transfer.Run(target, reference);
            LastColorMap = transfer.FittedMap;
            return image;
        }
        var result = MethodRegistry.Create(_options.Method, _backend, Network, _options.Settings).Transfer(target, reference);
        result.Alpha = target.Alpha;
        return result;
    }

    /// <summary>
    /// Analyses <paramref name="reference"/> once for many targets (the paper's method only): its
    /// superpixels and super-features stay on the backend until the analysis is disposed, and each
    /// <see cref="Transfer(RgbImage, ReferenceAnalysis, IProgress{TransferProgress}?)"/> computes only the target's.
    /// The backend is the engine's at this call; an <see cref="DevicePreference.Auto"/> engine moves to the
    /// CPU first if the device cannot hold a pair of this reference's size.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine's method is not the paper's.</exception>
    public ReferenceAnalysis Analyse(RgbImage reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (_options.Method != MethodRegistry.Default)
            throw new InvalidOperationException($"only the method {MethodRegistry.Default} analyses a reference ahead; use Transfer with two images");
        Prepare(new TransferJob(reference.Width, reference.Height, reference.Width, reference.Height, _options.Settings));
        return Pipeline().Analyse(reference);
    }

    /// <summary>The colours of an analysed reference (see <see cref="Analyse"/>) transferred onto <paramref name="target"/>; as <see cref="Transfer(RgbImage, RgbImage, IProgress{TransferProgress}?, IntermediateWriter?)"/> otherwise.</summary>
    public RgbImage Transfer(RgbImage target, ReferenceAnalysis reference, IProgress<TransferProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reference);
        var transfer = Pipeline(progress);
        var image = transfer.Run(target, reference);
        LastColorMap = transfer.FittedMap;
        return image;
    }

    /// <summary>
    /// The global render's colour map from <paramref name="target"/> to its matching with an analysed
    /// reference, without rendering: for callers that combine maps (a film's frames smoothed over time)
    /// before <see cref="Render"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The settings' render is not <see cref="RenderMode.Global"/>.</exception>
    public ColorMaps.IColorMap Match(RgbImage target, ReferenceAnalysis reference)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reference);
        if (_options.Settings.Render != RenderMode.Global) throw new InvalidOperationException("a colour map is fitted by the global render only");
        return Pipeline().Match(target, reference);
    }

    /// <summary>The full-resolution <paramref name="target"/> through <paramref name="map"/> (with the settings' regrain and strength).</summary>
    public RgbImage Render(RgbImage target, ColorMaps.IColorMap map) => Pipeline().Render(target, map);

    private ColorTransfer Pipeline(IProgress<TransferProgress>? progress = null, IntermediateWriter? intermediates = null) =>
        new(_backend, Network(), _options.Settings) { Progress = progress, Intermediates = intermediates };

    /// <summary>The colour map the last transfer applied (a global render of the paper's method); null otherwise.</summary>
    public ColorMaps.IColorMap? LastColorMap { get; private set; }

    /// <summary>With <see cref="DevicePreference.Auto"/>, gives up a device that cannot hold <paramref name="job"/> for the CPU.</summary>
    private void Prepare(TransferJob job)
    {
        try { job.CheckOn(_backend); }
        catch (DeviceException e) when (_preference == DevicePreference.Auto)
        {
            _backend.Dispose();
            _backend = BackendSelector.Select(DevicePreference.Cpu).Backend;
            FallbackReason = e.Message;
        }
    }

    private VggNetwork Network() => _network ??= WeightStore.Load(_options.WeightsFolder);

    /// <summary>Releases the backend (and its device memory).</summary>
    public void Dispose() => _backend.Dispose();
}
