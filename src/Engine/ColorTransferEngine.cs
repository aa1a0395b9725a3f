using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;
using GpuColorTransfer.Engine.Pipeline;
using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Engine.Weights;

namespace GpuColorTransfer.Engine;

/// <summary>
/// Recolours images after a reference with one method on one backend, chosen once:
/// <code>
/// using var engine = ColorTransferEngine.Create();
/// var result = engine.Transfer(ImageCodec.Decode("target.jpg"), ImageCodec.Decode("reference.jpg"));
/// ImageCodec.Encode(result, "result.jpg");
/// </code>
/// The one entrance to the backends: it chooses the backend (and gives up a GPU that cannot hold
/// a job for the CPU), checks each job once before anything is allocated
/// (<see cref="TransferJob.CheckOn"/>), and finishes every method's output the same way
/// (<see cref="TransferFinish"/>). The VGG-19 weights are loaded on the first transfer that needs
/// them. Not thread-safe: one transfer at a time per engine.
/// </summary>
public sealed class ColorTransferEngine : IDisposable
{
    private readonly EngineOptions _options;
    private IBackend _backend;
    private VggNetwork? _network;
    private TransferJob? _admitted;

    private ColorTransferEngine(EngineOptions options, BackendSelection selection)
    {
        _options = options;
        _backend = selection.Backend;
        FallbackReason = selection.FallbackReason;
    }

    /// <summary>
    /// Chooses the backend (with <see cref="DevicePreference.Auto"/>, one that can run <paramref name="job"/>
    /// when given) and checks the method and the weights folder.
    /// </summary>
    /// <exception cref="ArgumentException">The method is unknown.</exception>
    /// <exception cref="DeviceException"><see cref="DevicePreference.Cuda"/> was asked for and no CUDA device starts or can hold the job.</exception>
    /// <exception cref="WorkTooLargeException"><paramref name="job"/> exceeds the settings' caps.</exception>
    /// <exception cref="GctException">The weights folder given is not usable.</exception>
    public static ColorTransferEngine Create(EngineOptions? options = null, TransferJob? job = null)
    {
        options ??= new EngineOptions();
        MethodRegistry.Require(options.Method, nameof(options));
        WeightStore.ResolveFolder(options.WeightsFolder);
        var engine = new ColorTransferEngine(options, BackendSelector.Select(options.Device));
        try
        {
            if (job is not null) engine.Admit(job, fallback: true);
            return engine;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>The backend the transfers run on.</summary>
    public IBackend Backend => _backend;

    /// <summary>The method's settings.</summary>
    public TransferSettings Settings => _options.Settings;

    /// <summary>Why the CPU backend runs the transfers although a GPU was looked for (<see cref="DevicePreference.Auto"/>); null otherwise. Once on the CPU, an engine stays there.</summary>
    public string? FallbackReason { get; private set; }

    /// <summary>The colour map the last transfer applied (a global render of the paper's method); null otherwise.</summary>
    public IColorMap? LastColorMap { get; private set; }

    /// <summary>
    /// The colours of <paramref name="reference"/> transferred onto <paramref name="target"/> by the
    /// engine's method: the target's size and alpha, values in [0,1], blended with the target by the
    /// settings' strength. With <see cref="DevicePreference.Auto"/>, a GPU that cannot hold this
    /// pair is given up for the CPU (see <see cref="FallbackReason"/>).
    /// </summary>
    /// <param name="target">The image to recolour.</param>
    /// <param name="reference">The image whose colours are transferred.</param>
    /// <param name="progress">Told when each stage starts and finishes (the paper's method only), on the calling thread.</param>
    /// <param name="intermediates">Receives pictures of the steps (the paper's method only); null for none.</param>
    /// <exception cref="DeviceException">The GPU asked for cannot hold or run this transfer.</exception>
    /// <exception cref="WorkTooLargeException">The transfer exceeds the settings' caps; nothing was allocated.</exception>
    public RgbImage Transfer(RgbImage target, RgbImage reference, IProgress<TransferProgress>? progress = null, IntermediateWriter? intermediates = null) =>
        Transfer(_options.Method, target, reference, progress, intermediates);

    /// <summary>
    /// Transfers between two image files, decoding only what each step needs: with the paper's method,
    /// the global render and no regrain, both matched copies are decoded at a reduced scale
    /// (<see cref="ImageFile.DecodeResized"/>) and the target is decoded whole as 8-bit RGBA and
    /// rendered (or colourised, <see cref="Colorized"/>, decided on its matched copy) in place a band of
    /// rows at a time, so no float planes of its full size exist; otherwise (and for a 16-bit target, or
    /// with <paramref name="intermediates"/>) both are decoded whole and transferred as
    /// <see cref="Transfer(RgbImage, RgbImage, IProgress{TransferProgress}?, IntermediateWriter?)"/>.
    /// The result is finished and rounded to 8 bits, ready to encode.
    /// </summary>
    /// <exception cref="GctException">An image's data is damaged.</exception>
    /// <exception cref="DeviceException">The GPU asked for cannot hold or run this transfer.</exception>
    /// <exception cref="WorkTooLargeException">The transfer exceeds the settings' caps; nothing was allocated.</exception>
    public Rgba8Image Transfer(ImageFile target, ImageFile reference, IProgress<TransferProgress>? progress = null, IntermediateWriter? intermediates = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reference);
        if (!RendersRows(target) || intermediates is not null)
            return Rgba8Image.From(Transfer(target.Decode(), reference.Decode(), progress, intermediates));
        LastColorMap = null;
        Admit(target.Width, target.Height, reference.Width, reference.Height, fallback: true);
        var pipeline = new ColorTransfer(_backend, Network(), Settings) { Progress = progress, FromFiles = true };
        var result = pipeline.Run(target, reference, Settings.Strength);
        Colorized = pipeline.Colorizing;
        LastColorMap = pipeline.FittedMap;
        return result;
    }

    /// <summary>
    /// Analyses a reference file once for many targets (see <see cref="Analyse(RgbImage)"/>), its matched
    /// copy decoded at a reduced scale as <see cref="Transfer(ImageFile, ImageFile, IProgress{TransferProgress}?, IntermediateWriter?)"/>
    /// does, so that <see cref="Transfer(ImageFile, ReferenceAnalysis, IProgress{TransferProgress}?, float?)"/> gives the same bytes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine's method is not the paper's.</exception>
    public ReferenceAnalysis Analyse(ImageFile reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        AdmitAnalysis(reference.Width, reference.Height);
        return Pipeline().Analyse(reference);
    }

    /// <summary>
    /// The colours of an analysed reference transferred onto a target file, decoding only what each
    /// step needs (as <see cref="Transfer(ImageFile, ImageFile, IProgress{TransferProgress}?, IntermediateWriter?)"/>); finished, 8-bit.
    /// </summary>
    /// <param name="target">The image file to recolour.</param>
    /// <param name="reference">The analysed reference (<see cref="Analyse(ImageFile)"/>).</param>
    /// <param name="progress">Told when each stage starts and finishes.</param>
    /// <param name="strength">The blend with the target for this call (0..1); null: the settings' <see cref="TransferSettings.Strength"/>.</param>
    /// <exception cref="DeviceException">The backend holding the analysis cannot hold this target.</exception>
    public Rgba8Image Transfer(ImageFile target, ReferenceAnalysis reference, IProgress<TransferProgress>? progress = null, float? strength = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reference);
        float blend = strength ?? Settings.Strength;
        if (!float.IsFinite(blend) || blend < 0 || blend > 1) throw new ArgumentOutOfRangeException(nameof(strength), strength, "the strength is from 0 to 1");
        if (!RendersRows(target)) return Rgba8Image.From(Transfer(target.Decode(), reference, progress, blend));
        AdmitWith(target.Width, target.Height, reference);
        LastColorMap = null;
        var pipeline = new ColorTransfer(_backend, Network(), Settings) { Progress = progress, FromFiles = true };
        var result = pipeline.Run(target, reference, blend);
        Colorized = pipeline.Colorizing;
        LastColorMap = pipeline.FittedMap;
        return result;
    }

    /// <summary>Whether the last transfer colourised its target (<see cref="TransferSettings.Colorize"/>): its lightness kept, its chroma matched.</summary>
    public bool Colorized { get; private set; }

    /// <summary>Whether <paramref name="target"/> can be rendered in 8-bit rows: the paper's method with the global render and no regrain, an 8-bit image.</summary>
    private bool RendersRows(ImageFile target) =>
        _options.Method == MethodRegistry.Default && Settings.Render == RenderMode.Global && !Settings.Regrains && !target.IsDeep;

    /// <summary>
    /// The method called <paramref name="name"/> run by this engine (its backend, settings, checks and
    /// finishing step), to compare methods on one backend.
    /// </summary>
    /// <exception cref="ArgumentException">No method has that name.</exception>
    public IColorTransferMethod Method(string name)
    {
        MethodRegistry.Require(name, nameof(name));
        return new EngineMethod(this, name);
    }

    private RgbImage Transfer(string method, RgbImage target, RgbImage reference, IProgress<TransferProgress>? progress, IntermediateWriter? intermediates)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reference);
        LastColorMap = null;
        Colorized = method == MethodRegistry.Default && Colorization.Applies(Settings.Colorize, target);
        RgbImage result;
        if (method == MethodRegistry.Default)
        {
            if (Colorized)
            {
                Admit(target.Width, target.Height, reference.Width, reference.Height, fallback: true);
                result = Pipeline(progress, intermediates).Colorize(target, reference);
            }
            else
            {
                Admit(new TransferJob(target.Width, target.Height, reference.Width, reference.Height, Settings), fallback: true);
                var transfer = Pipeline(progress, intermediates);
                result = transfer.Run(target, reference);
                LastColorMap = transfer.FittedMap;
            }
        }
        else result = MethodRegistry.CreateBaseline(method, Settings, _backend).Transfer(target, reference);
        return TransferFinish.Apply(target, result, Settings.Strength);
    }

    /// <summary>
    /// Analyses <paramref name="reference"/> once for many targets (the paper's method only): its
    /// superpixels and super-features stay on the backend until the analysis is disposed, and each
    /// <see cref="Transfer(RgbImage, ReferenceAnalysis, IProgress{TransferProgress}?)"/> computes only the target's
    /// (the first grey target also analyses the reference for colourisation, kept with it).
    /// The backend is the engine's at this call; an <see cref="DevicePreference.Auto"/> engine moves to the
    /// CPU first if the device cannot hold a pair of this reference's size.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine's method is not the paper's.</exception>
    public ReferenceAnalysis Analyse(RgbImage reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        AdmitAnalysis(reference.Width, reference.Height);
        return Pipeline().Analyse(reference);
    }

    /// <summary>The checks before a reference of this size is analysed ahead: the paper's method, and the job admitted (with fallback).</summary>
    private void AdmitAnalysis(int width, int height)
    {
        if (_options.Method != MethodRegistry.Default)
            throw new InvalidOperationException($"only the method {MethodRegistry.Default} analyses a reference ahead; use Transfer with two images");
        Admit(new TransferJob(width, height, width, height, Settings), fallback: true);
    }

    /// <summary>The colours of an analysed reference (see <see cref="Analyse(RgbImage)"/>) transferred onto <paramref name="target"/>; as <see cref="Transfer(RgbImage, RgbImage, IProgress{TransferProgress}?, IntermediateWriter?)"/> otherwise.</summary>
    /// <exception cref="DeviceException">The backend holding the analysis cannot hold this target.</exception>
    public RgbImage Transfer(RgbImage target, ReferenceAnalysis reference, IProgress<TransferProgress>? progress = null) =>
        Transfer(target, reference, progress, Settings.Strength);

    private RgbImage Transfer(RgbImage target, ReferenceAnalysis reference, IProgress<TransferProgress>? progress, float strength)
    {
        AdmitWith(target, reference);
        LastColorMap = null;
        var transfer = Pipeline(progress);
        Colorized = Colorization.Applies(Settings.Colorize, target);
        var image = Colorized ? transfer.Colorize(target, reference) : transfer.Run(target, reference);
        LastColorMap = transfer.FittedMap;
        return TransferFinish.Apply(target, image, strength);
    }

    /// <summary>
    /// The global render's colour map from <paramref name="target"/> to its matching with an analysed
    /// reference, without rendering: for callers that combine maps (a film's frames smoothed over time)
    /// before <see cref="Render(RgbImage, IColorMap)"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The settings' render is not <see cref="RenderMode.Global"/>.</exception>
    public IColorMap Match(RgbImage target, ReferenceAnalysis reference)
    {
        if (Settings.Render != RenderMode.Global) throw new InvalidOperationException("a colour map is fitted by the global render only");
        AdmitWith(target, reference);
        return Pipeline().Match(target, reference);
    }

    /// <summary>
    /// The colour map a transfer of the file after an analysed reference would apply (the
    /// <see cref="LastColorMap"/> of <see cref="Transfer(ImageFile, ReferenceAnalysis, IProgress{TransferProgress}?, float?)"/>),
    /// fitted without decoding the target whole where that transfer renders in rows; null when the target
    /// would be colourised (<see cref="Colorized"/>), which no colour map can do.
    /// </summary>
    /// <exception cref="InvalidOperationException">The settings' render is not <see cref="RenderMode.Global"/>.</exception>
    public IColorMap? Match(ImageFile target, ReferenceAnalysis reference, IProgress<TransferProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (Settings.Render != RenderMode.Global) throw new InvalidOperationException("a colour map is fitted by the global render only");
        if (!RendersRows(target))
        {
            var image = target.Decode();
            Colorized = Colorization.Applies(Settings.Colorize, image);
            return Colorized ? null : Match(image, reference);
        }
        AdmitWith(target.Width, target.Height, reference);
        var pipeline = new ColorTransfer(_backend, Network(), Settings) { Progress = progress, FromFiles = true };
        var map = pipeline.Match(target, reference);
        Colorized = pipeline.Colorizing;
        return map;
    }

    /// <summary>The full-resolution <paramref name="target"/> through <paramref name="map"/>, with the settings' regrain, finished as a transfer is.</summary>
    public RgbImage Render(RgbImage target, IColorMap map)
    {
        ArgumentNullException.ThrowIfNull(target);
        return TransferFinish.Apply(target, Pipeline().Render(target, map), Settings.Strength);
    }

    /// <summary>
    /// Colourisation's matching of <paramref name="target"/> to an analysed reference, without rendering
    /// (its colourisation analysis made on the first call and kept with it): for callers that combine
    /// fields (a film's frames smoothed over time, <see cref="ChromaField.Mean"/>) before <see cref="Render(RgbImage, ChromaField)"/>.
    /// </summary>
    public ChromaField MatchChroma(RgbImage target, ReferenceAnalysis reference)
    {
        AdmitWith(target, reference);
        var pipeline = Pipeline();
        return pipeline.MatchChroma(target, pipeline.ColorizationOf(reference));
    }

    /// <summary>The full-resolution <paramref name="target"/> colourised after <paramref name="field"/> (its lightness kept), finished as a transfer is.</summary>
    public RgbImage Render(RgbImage target, ChromaField field)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(field);
        return TransferFinish.Apply(target, ChromaRender.Apply(field, target), Settings.Strength);
    }

    /// <summary>Pitié's regrain of <paramref name="transferred"/> onto the gradients of <paramref name="original"/> (same size), with the settings' smoothness; clamped, the original's alpha kept.</summary>
    /// <exception cref="GctException">The two images differ in size.</exception>
    public RgbImage Regrain(RgbImage original, RgbImage transferred)
    {
        if (original.Width != transferred.Width || original.Height != transferred.Height)
            throw new GctException($"the images are {original.Width}x{original.Height} and {transferred.Width}x{transferred.Height}; regrain needs two images of the same size");
        using var o = _backend.Upload(original);
        using var t = _backend.Upload(transferred);
        using var regrained = _backend.Regrain(o, t, Settings.Smoothness);
        return TransferFinish.Apply(original, _backend.Download(regrained), 1f);
    }

    /// <summary>The SLIC superpixels of <paramref name="image"/> at its own size, as many as the settings ask (stage 1).</summary>
    /// <exception cref="WorkTooLargeException">More superpixels are asked than the settings' caps allow.</exception>
    public SuperpixelLabels Superpixels(RgbImage image)
    {
        int requested = Settings.SuperpixelCountFor(image.PixelCount);
        Settings.Limits.CheckSuperpixels(requested, image.Width, image.Height);
        using var planes = _backend.Upload(image);
        using var map = _backend.Superpixels(planes, requested, Settings);
        return new SuperpixelLabels(map.Width, map.Height, map.Count, map.CopyLabels());
    }

    private ColorTransfer Pipeline(IProgress<TransferProgress>? progress = null, IntermediateWriter? intermediates = null) =>
        new(_backend, Network(), Settings) { Progress = progress, Intermediates = intermediates };

    private void AdmitWith(RgbImage target, ReferenceAnalysis reference)
    {
        ArgumentNullException.ThrowIfNull(target);
        AdmitWith(target.Width, target.Height, reference);
    }

    private void AdmitWith(int targetWidth, int targetHeight, ReferenceAnalysis reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!ReferenceEquals(reference.Backend, _backend)) throw new ArgumentException("the reference was analysed by another engine or backend", nameof(reference));
        // The analysis lives on this backend: no fallback.
        Admit(targetWidth, targetHeight, reference.OriginalWidth, reference.OriginalHeight, fallback: false);
    }

    /// <summary>
    /// The checks of a transfer between images of these sizes whose target may turn out grey: the colour
    /// transfer's job and, unless colourisation is off, the colourisation's (other taps), so that either fits.
    /// </summary>
    private void Admit(int targetWidth, int targetHeight, int referenceWidth, int referenceHeight, bool fallback)
    {
        Admit(new TransferJob(targetWidth, targetHeight, referenceWidth, referenceHeight, Settings), fallback);
        // Images too small to colourise are refused by the pipeline itself, with that reason, if they are to be.
        if (Settings.Colorize != ColorizeMode.Never && ColorTransfer.WhyNotColorizable(Settings, "target", targetWidth, targetHeight) is null
            && ColorTransfer.WhyNotColorizable(Settings, "reference", referenceWidth, referenceHeight) is null)
            Admit(new TransferJob(targetWidth, targetHeight, referenceWidth, referenceHeight, Settings.ForColorization()), fallback);
    }

    /// <summary>
    /// The job's one check (<see cref="TransferJob.CheckOn"/>) on the current backend, skipped when
    /// this job was the last one admitted; with <paramref name="fallback"/> and <see cref="DevicePreference.Auto"/>,
    /// a device that cannot hold it is given up for the CPU, where the job is checked again.
    /// </summary>
    private void Admit(TransferJob job, bool fallback)
    {
        if (job == _admitted) return;
        try { job.CheckOn(_backend); }
        catch (DeviceException e) when (fallback && _options.Device == DevicePreference.Auto)
        {
            _backend.Dispose();
            _backend = BackendSelector.Select(DevicePreference.Cpu).Backend;
            FallbackReason = e.Message;
            job.CheckOn(_backend);
        }
        _admitted = job;
    }

    private VggNetwork Network() => _network ??= WeightStore.Load(_options.WeightsFolder);

    /// <summary>Releases the backend (and its device memory).</summary>
    public void Dispose() => _backend.Dispose();

    /// <summary>A method run through the engine (<see cref="Method"/>).</summary>
    private sealed class EngineMethod(ColorTransferEngine engine, string name) : IColorTransferMethod
    {
        public string Name => name;

        public RgbImage Transfer(RgbImage target, RgbImage reference) => engine.Transfer(name, target, reference, null, null);
    }
}
