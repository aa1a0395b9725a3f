using System.Diagnostics;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Vgg;

namespace GpuColorTransfer.Engine.Pipeline;

/// <summary>
/// The colour transfer of Carrillo, Clément and Bugeau (2021) from a reference onto a target:
/// SLIC superpixels, VGG-19 super-features, attention, fusion, regrain (DESIGN section 3). The
/// stages run on one <see cref="IBackend"/>; each image is uploaded once, and what comes back is
/// the fused image (at the working size for the global render, which fits its colour map on the
/// host) or the regrained one. The caller (<see cref="ColorTransferEngine"/>) has checked the job
/// (<see cref="TransferJob.CheckOn"/>) and finishes the result (<see cref="TransferFinish"/>).
/// </summary>
internal sealed class ColorTransfer(IBackend backend, VggNetwork network, TransferSettings settings)
{
    /// <summary>
    /// Told when each stage starts and when it finishes, with its duration; reported on the thread
    /// that runs the transfer. When set, the device is synchronised at the end of each stage, so that
    /// kernels launched asynchronously count in the stage that launched them.
    /// </summary>
    public IProgress<TransferProgress>? Progress { get; init; }

    /// <summary>The stages of this pipeline's run in the order they run (upload and release of device buffers included): a transfer's, or a colourisation's once <see cref="Colorizing"/>; a run with a kept <see cref="ReferenceAnalysis"/> skips the reference's.</summary>
    public IReadOnlyList<string> Stages => StageArray;

    /// <summary>Whether this pipeline colourises its target (set when it decides, before the target's matching): its stages are then colourisation's.</summary>
    public bool Colorizing { get; private set; }

    private string[] StageArray => Colorizing ? FromFiles ? ColorizeFileStages : ColorizeStages : settings.Render == RenderMode.Global
        ? settings.Regrains ? GlobalStages : FromFiles ? FileStages : GlobalStagesWithoutRegrain
        : settings.Regrains ? LocalStages : LocalStagesWithoutRegrain;

    /// <summary>
    /// Whether the images come as files (<see cref="Run(ImageFile, ImageFile, float)"/>): the matched
    /// copies are decoded at a reduced scale and the target decoded whole for the render, each a stage.
    /// </summary>
    public bool FromFiles { get; init; }


    private static readonly string[] ReferenceStages = ["upload reference", "slic reference", "statistics reference", "super-features reference"];
    private static readonly string[] TargetStages = ["upload target", "slic target", "statistics target", "super-features target", "attention", "fusion"];
    private static readonly string[] TargetStagesWithRelease = [.. TargetStages, "download", "release"];
    // The reference's copy is uploaded twice (colours for the statistics, luma for the matching).
    private static readonly string[] ColorizeStages =
        ["resize reference", .. ReferenceStages, "resize target", .. TargetStagesWithRelease, "chroma fit", "render", "release reference"];
    private static readonly string[] LocalStages = [.. ReferenceStages, .. TargetStages, "regrain", "download", "release", "release reference"];
    private static readonly string[] LocalStagesWithoutRegrain = [.. LocalStages.Where(s => s != "regrain")];
    private static readonly string[] GlobalStagesWithoutRegrain =
        ["resize reference", .. ReferenceStages, "resize target", .. TargetStages, "download", "release", "fit", "render", "release reference"];
    private static readonly string[] GlobalStages = [.. GlobalStagesWithoutRegrain.SkipLast(1), "regrain", "release reference"];
    // The target's matched copy first (it decides colourisation); the reference is released once the target is matched.
    private static readonly string[] FileStages = ["decode target at working size", .. GlobalStagesWithoutRegrain.Where(s => s != "release reference").SelectMany<string, string>(s => s switch
    {
        "resize reference" => ["decode reference"],
        "resize target" => [],
        "fit" => ["fit", "release reference"],
        "render" => ["decode target", "render"],
        _ => [s],
    })];
    // A reference analysed ahead is resized from its matched copy for colourisation ("resize reference").
    private static readonly string[] ColorizeFileStages =
        ["decode target at working size", "decode reference", "resize reference", .. ReferenceStages, "resize target", .. TargetStagesWithRelease, "chroma fit", "release reference", "decode target", "render"];

    /// <summary>Receives the pictures of the intermediate steps when set.</summary>
    public IntermediateWriter? Intermediates { get; init; }

    /// <summary>Transfers the colours of <paramref name="reference"/> onto <paramref name="target"/>: the target's size, clamped, not yet finished.</summary>
    public RgbImage Run(RgbImage target, RgbImage reference)
    {
        var analysis = Analyse(reference);
        try
        {
            return Run(target, analysis);
        }
        finally
        {
            var clock = Started("release reference");
            analysis.Dispose();
            Completed("release reference", clock);
        }
    }

    /// <summary>Transfers the colours of an analysed reference onto <paramref name="target"/> (see <see cref="Analyse(RgbImage)"/>): the target's size, clamped, not yet finished.</summary>
    public RgbImage Run(RgbImage target, ReferenceAnalysis reference) => settings.Render == RenderMode.Global
        ? Render(target, Match(target, reference))
        : OnBackend(target, reference, regrain: settings.Regrains);

    /// <summary>
    /// Stages 1-3 for the reference (at the working size for the global render), kept on the
    /// backend for any number of targets; dispose it when done.
    /// </summary>
    public ReferenceAnalysis Analyse(RgbImage reference) =>
        Analyse(reference.Width, reference.Height, (w, h) => Sized(reference, w, h), "resize reference", colorize: false);

    /// <summary>As <see cref="Analyse(RgbImage)"/>, the matched copy decoded from the file at a reduced scale (<see cref="ImageFile.DecodeResized"/>).</summary>
    public ReferenceAnalysis Analyse(ImageFile reference) =>
        Analyse(reference.Width, reference.Height, reference.DecodeResized, "decode reference", colorize: false);

    /// <summary>
    /// The reference analysed for colourisation (<see cref="Colorize(RgbImage, ReferenceAnalysis)"/>): at the working size,
    /// its superpixels and super-features from its luma (what a grey target has too), its colour statistics
    /// from its colours, with <see cref="TransferSettings.ForColorization"/>.
    /// </summary>
    public ReferenceAnalysis AnalyseForColorization(RgbImage reference) =>
        Analyse(reference.Width, reference.Height, (w, h) => Sized(reference, w, h), "resize reference", colorize: true);

    /// <summary>As <see cref="AnalyseForColorization(RgbImage)"/>, the working copy decoded from the file at a reduced scale.</summary>
    public ReferenceAnalysis AnalyseForColorization(ImageFile reference) =>
        Analyse(reference.Width, reference.Height, reference.DecodeResized, "decode reference", colorize: true);

    /// <summary>
    /// The colourisation analysis of a reference analysed for the colour transfer, made from its matched
    /// copy on the first call and kept with it (disposed with it).
    /// </summary>
    public ReferenceAnalysis ColorizationOf(ReferenceAnalysis reference)
    {
        if (reference.Settings.Colorizing) return reference;
        return reference.Colorization ??= Analyse(reference.OriginalWidth, reference.OriginalHeight, (w, h) => Sized(backend.Download(reference.Image), w, h), "resize reference", colorize: true);
    }

    private ReferenceAnalysis Analyse(int width, int height, Func<int, int, RgbImage> copyAt, string copyStage, bool colorize)
    {
        var s = colorize ? settings.ForColorization() : settings;
        var held = new Stack<IDisposable>();
        try
        {
            if (colorize) RequireColorizable("reference", width, height);
            var (w, h) = colorize ? s.WorkingSize(width, height) : s.MatchedSize(width, height);
            RgbImage work;
            if (colorize || s.Render == RenderMode.Global)
            {
                var clock = Started(copyStage);
                work = copyAt(w, h);
                Completed(copyStage, clock);
            }
            else work = copyAt(w, h);
            var r = Stage(held, "upload reference", () => backend.Upload(work));
            // Colourisation matches on what a grey target has: the reference's luma.
            var matched = colorize ? Colorization.Luma(work) : work;
            var m = colorize ? Stage(held, "upload reference", () => backend.Upload(matched)) : r;
            var map = Stage(held, "slic reference", () => backend.Superpixels(m, s.SuperpixelCountFor((long)m.Width * m.Height), s));
            var stats = Stage(held, "statistics reference", () => backend.Statistics(r, map));
            var features = Stage(held, "super-features reference", () => FeaturesOf(matched, m, map, s));
            if (colorize) m.Dispose();
            held.Clear();
            return new ReferenceAnalysis(backend, s, width, height, r, map, stats, features);
        }
        finally
        {
            Release(held);
        }
    }

    /// <summary>
    /// The global render's matching (DESIGN section 7): the target at the working size matched to
    /// the reference, and the colour map fitted there from the target to its fusion.
    /// </summary>
    public IColorMap Match(RgbImage target, ReferenceAnalysis reference)
    {
        var clock = Started("resize target");
        var (w, h) = settings.MatchedSize(target.Width, target.Height);
        var workTarget = Sized(target, w, h);
        Completed("resize target", clock);
        return Fit(workTarget, reference);
    }

    /// <summary>
    /// The global render of two files, finished (clamped, blended by <paramref name="strength"/>, the
    /// target's alpha kept): both matched copies decoded at a reduced scale, the target then decoded
    /// whole as 8-bit RGBA (on another thread while the matching runs) and rendered in place a band of
    /// rows at a time (<see cref="BandedRender"/>), so no float planes of the full size exist; a target
    /// the settings colourise (<see cref="Colorization.Applies(ColorizeMode, RgbImage)"/>, decided on its matched copy) is
    /// colourised the same way. Needs the global render without regrain.
    /// </summary>
    /// <param name="target">The target file.</param>
    /// <param name="reference">The reference file.</param>
    /// <param name="strength">The blend with the target.</param>
    public Rgba8Image Run(ImageFile target, ImageFile reference, float strength)
    {
        var workTarget = Matched(target, reference.Width, reference.Height);
        return Render(target, workTarget, () => Colorizing ? AnalyseForColorization(reference) : Analyse(reference), strength, release: true);
    }

    /// <summary>As <see cref="Run(ImageFile, ImageFile, float)"/> with a reference analysed ahead (kept; its colourisation analysis made on the first target that needs it, <see cref="ColorizationOf"/>).</summary>
    public Rgba8Image Run(ImageFile target, ReferenceAnalysis reference, float strength)
    {
        var workTarget = Matched(target, reference.OriginalWidth, reference.OriginalHeight);
        return Render(target, workTarget, () => Colorizing ? ColorizationOf(reference) : reference, strength, release: false);
    }

    /// <summary>The colour map <see cref="Run(ImageFile, ReferenceAnalysis, float)"/> would apply, from the target's matched copy alone; null when the target is to be colourised.</summary>
    public IColorMap? Match(ImageFile target, ReferenceAnalysis reference)
    {
        var workTarget = Matched(target, reference.OriginalWidth, reference.OriginalHeight);
        return Colorizing ? null : Fit(workTarget, reference);
    }

    /// <summary>
    /// The target file's matched copy, which decides <see cref="Colorizing"/>; a colourisation of images
    /// too small for it refused here, before anything is decoded whole.
    /// </summary>
    private RgbImage Matched(ImageFile target, int referenceWidth, int referenceHeight)
    {
        RequireRows();
        var workTarget = DecodeWorking(target);
        Colorizing = Colorization.Applies(settings.Colorize, workTarget);
        if (Colorizing) RequireColorizable(target.Width, target.Height, referenceWidth, referenceHeight);
        return workTarget;
    }

    /// <summary>
    /// The whole target decoded on another core (the codec is serial) while the reference is analysed
    /// (<paramref name="analyse"/>) and the matched copy matched to it, then rendered in rows through the
    /// fitted map or colourised after the chroma field; the analysis released (a stage of its own) when
    /// <paramref name="release"/>.
    /// </summary>
    private Rgba8Image Render(ImageFile target, RgbImage workTarget, Func<ReferenceAnalysis> analyse, float strength, bool release)
    {
        var whole = Task.Run(target.DecodeRgba8);
        ReferenceAnalysis? reference = null;
        ChromaField? field;
        IColorMap? map;
        try
        {
            reference = analyse();
            field = Colorizing ? MatchChroma(workTarget, reference) : null;
            map = Colorizing ? null : Fit(workTarget, reference);
        }
        catch
        {
            whole.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed: the matching's failure is the one reported
            throw;
        }
        finally
        {
            if (release && reference is not null)
            {
                var clock = Started("release reference");
                reference.Dispose();
                Completed("release reference", clock);
            }
        }
        return field is null ? Render(whole, map!, strength) : Render(whole, field, strength);
    }

    private void RequireRows()
    {
        if (settings.Render != RenderMode.Global || settings.Regrains) throw new InvalidOperationException("files are rendered in rows by the global render without regrain only");
    }

    /// <summary>The target file's matched copy (a reduced decode, <see cref="ImageFile.DecodeResized"/>).</summary>
    private RgbImage DecodeWorking(ImageFile target)
    {
        var clock = Started("decode target at working size");
        var (w, h) = settings.MatchedSize(target.Width, target.Height);
        var workTarget = target.DecodeResized(w, h);
        Completed("decode target at working size", clock);
        return workTarget;
    }

    /// <summary>The whole target (decoding on another thread) rendered in rows through <paramref name="map"/>, finished.</summary>
    private Rgba8Image Render(Task<Rgba8Image> whole, IColorMap map, float strength) =>
        Render(whole, image => BandedRender.Apply(map, image, strength));

    /// <summary>The whole target (decoding on another thread) colourised in rows after <paramref name="field"/>, finished.</summary>
    private Rgba8Image Render(Task<Rgba8Image> whole, ChromaField field, float strength) =>
        Render(whole, image => BandedRender.Apply(field, image, strength));

    private Rgba8Image Render(Task<Rgba8Image> whole, Action<Rgba8Image> render)
    {
        var decode = Started("decode target");
        var image = whole.GetAwaiter().GetResult();
        Completed("decode target", decode);
        var clock = Started("render");
        render(image);
        Completed("render", clock);
        return image;
    }

    /// <summary>
    /// Colourisation of a grey <paramref name="target"/> after a colour <paramref name="reference"/>
    /// (<see cref="AnalyseForColorization(RgbImage)"/>, <see cref="Colorize(RgbImage, ReferenceAnalysis)"/>): the target's size, not yet finished.
    /// </summary>
    public RgbImage Colorize(RgbImage target, RgbImage reference)
    {
        Colorizing = true;
        using var analysis = AnalyseForColorization(reference);
        var result = Colorize(target, analysis);
        var clock = Started("release reference");
        analysis.Dispose();
        Completed("release reference", clock);
        return result;
    }

    /// <summary>
    /// Colourisation of <paramref name="target"/> after an analysed reference (its colourisation analysis
    /// made on the first call, <see cref="ColorizationOf"/>): the target's lightness kept, the chroma of its
    /// matching at the working size (<see cref="MatchChroma"/>) applied at full resolution
    /// (<see cref="ChromaRender"/>); the target's size, not yet finished.
    /// </summary>
    public RgbImage Colorize(RgbImage target, ReferenceAnalysis reference)
    {
        Colorizing = true;
        var field = MatchChroma(target, ColorizationOf(reference));
        var clock = Started("render");
        var result = ChromaRender.Apply(field, target);
        Completed("render", clock);
        return result;
    }

    /// <summary>
    /// The chroma field of <paramref name="target"/> (any size; matched at the working size) after a
    /// reference analysed for colourisation: the target matched and fused there, and the guided fit of the
    /// fused chroma to the target's lightness (<see cref="ChromaField.Fit"/>).
    /// </summary>
    public ChromaField MatchChroma(RgbImage target, ReferenceAnalysis reference)
    {
        if (!reference.Settings.Colorizing) throw new ArgumentException("the reference was not analysed for colourisation", nameof(reference));
        Colorizing = true;
        RequireColorizable("target", target.Width, target.Height);
        var (w, h) = settings.WorkingSize(target.Width, target.Height);
        var clock = Started("resize target");
        var workTarget = Sized(target, w, h);
        Completed("resize target", clock);
        // Matched on its luma, as the reference was analysed (a toned target under --colorize too).
        var fused = OnBackend(Colorization.Luma(workTarget), reference, regrain: false);
        var fit = Started("chroma fit");
        var field = ChromaField.Fit(workTarget, fused);
        Completed("chroma fit", fit);
        return field;
    }

    /// <summary>
    /// Why an image of this size cannot be colourised: its working copy smaller than colourisation's deepest
    /// tap needs; null when it can.
    /// </summary>
    internal static string? WhyNotColorizable(TransferSettings settings, string role, int width, int height)
    {
        var (w, h) = settings.WorkingSize(width, height);
        int least = 1 << settings.ColorizeLayers.Max(t => t.Level());
        return Math.Min(w, h) >= least ? null
            : $"the {role} ({w}x{h} as matched) is too small to colourise: its matching needs {least} pixels per side; give --no-colorize for the colour transfer";
    }

    /// <summary>Refuses to colourise the target and reference of these (full) sizes when either is too small (<see cref="WhyNotColorizable"/>), before anything is decoded whole.</summary>
    private void RequireColorizable(int targetWidth, int targetHeight, int referenceWidth, int referenceHeight)
    {
        RequireColorizable("target", targetWidth, targetHeight);
        RequireColorizable("reference", referenceWidth, referenceHeight);
    }

    private void RequireColorizable(string role, int width, int height)
    {
        if (WhyNotColorizable(settings, role, width, height) is { } why) throw new GctException(why);
    }

    /// <summary>The target at the working size matched to the reference, and the colour map fitted from it to its fusion.</summary>
    private IColorMap Fit(RgbImage workTarget, ReferenceAnalysis reference)
    {
        var fused = OnBackend(workTarget, reference, regrain: false);
        var clock = Started("fit");
        var map = ColorMapFit.Fit(ColorPairs.FromImages(workTarget, fused), settings);
        Completed("fit", clock);
        FittedMap = map;
        return map;
    }

    /// <summary>The full-resolution target through <paramref name="map"/>, regrained (from its clamped values) when the settings say so; not yet finished.</summary>
    public RgbImage Render(RgbImage target, IColorMap map)
    {
        var clock = Started("render");
        var result = ColorMapRender.Apply(map, target);
        Completed("render", clock);
        if (!settings.Regrains) return result;
        result.Clamp();
        return Regrain(target, result);
    }

    /// <summary>Pitié's regrain of the mapped full-resolution target (upload, sweeps, download, release in one stage).</summary>
    private RgbImage Regrain(RgbImage target, RgbImage mapped)
    {
        var clock = Started("regrain");
        using var t = backend.Upload(target);
        using var m = backend.Upload(mapped);
        using var regrained = backend.Regrain(t, m, settings.Smoothness);
        var result = backend.Download(regrained);
        Completed("regrain", clock);
        return result;
    }

    /// <summary>The colour map the last global render applied; null after a local one.</summary>
    public IColorMap? FittedMap { get; private set; }

    /// <summary>The image at <paramref name="width"/> x <paramref name="height"/> (itself when that is its own size).</summary>
    private static RgbImage Sized(RgbImage image, int width, int height) =>
        width == image.Width && height == image.Height ? image : image.Resize(width, height);

    /// <summary>The target's matching stages (and regrain) on the backend; only the fused or regrained image comes back.</summary>
    private RgbImage OnBackend(RgbImage target, ReferenceAnalysis reference, bool regrain)
    {
        if (!ReferenceEquals(reference.Backend, backend)) throw new ArgumentException("the reference was analysed on another backend", nameof(reference));
        // The device buffers are released at the end, timed as a stage of their own (freeing device
        // memory waits for the device).
        var held = new Stack<IDisposable>();
        try
        {
            var t = Stage(held, "upload target", () => backend.Upload(target));
            var result = Run(target, t, reference, held, regrain);
            var clock = Started("release");
            Release(held);
            Completed("release", clock);
            return result;
        }
        finally
        {
            Release(held);
        }
    }

    /// <summary>
    /// Stages 2-3 from the input the settings name (<see cref="FeatureInputs"/>): the super-features of
    /// <paramref name="image"/> (on the backend), of its standardised copy (made from <paramref name="host"/>,
    /// the same image on the host), or both side by side.
    /// </summary>
    private SuperFeatureMatrix FeaturesOf(RgbImage host, BackendImage image, SuperpixelMap map, TransferSettings settings)
    {
        if (settings.FeatureInput == FeatureInput.Colour) return backend.SuperFeatures(image, map, network, settings);
        SuperFeatureMatrix standardised;
        using (var input = backend.Upload(FeatureInputs.Standardised(host))) standardised = backend.SuperFeatures(input, map, network, settings);
        if (settings.FeatureInput == FeatureInput.Standardised) return standardised;
        using (standardised)
        using (var own = backend.SuperFeatures(image, map, network, settings))
            return backend.Concatenate(own, standardised);
    }

    private T Stage<T>(Stack<IDisposable> held, string name, Func<T> run) where T : IDisposable
    {
        var clock = Started(name);
        var result = run();
        held.Push(result);
        Completed(name, clock);
        return result;
    }

    private static void Release(Stack<IDisposable> held)
    {
        while (held.Count > 0) held.Pop().Dispose();
    }

    private RgbImage Run(RgbImage target, BackendImage t, ReferenceAnalysis reference, Stack<IDisposable> held, bool regrain)
    {
        // The target is matched as the reference was analysed (for colourisation: other taps).
        var settings = reference.Settings;
        var (rMap, rStats, rFeatures) = (reference.Map, reference.Statistics, reference.Features);
        var tMap = Stage(held, "slic target", () => backend.Superpixels(t, settings.SuperpixelCountFor((long)t.Width * t.Height), settings));
        var tStats = Stage(held, "statistics target", () => backend.Statistics(t, tMap));
        var tFeatures = Stage(held, "super-features target", () => FeaturesOf(target, t, tMap, settings));
        var colors = Stage(held, "attention", () => backend.Attention(tFeatures, rFeatures, rStats, settings));
        var fused = Stage(held, "fusion", () => backend.Fusion(t, tMap, tStats, colors, settings));

        if (Intermediates is { } sink)
        {
            sink.Superpixels("superpixels_target", backend.Download(t), tMap.CopyLabels());
            sink.Superpixels("superpixels_reference", backend.Download(reference.Image), rMap.CopyLabels());
            sink.DirectMatching(tMap.Width, tMap.Height, tMap.CopyLabels(), colors.CopyValues());
            if ((long)tMap.Count * rMap.Count <= IntermediateWriter.MaxAttentionEntries)
                sink.Attention(backend.AttentionMatrix(tFeatures, rFeatures, rStats, settings), tMap.Count, rMap.Count);
            sink.Image("fused_before_regrain", backend.Download(fused));
        }

        var last = regrain ? Stage(held, "regrain", () => backend.Regrain(t, fused, settings.Smoothness)) : fused;
        var download = Started("download");
        var result = backend.Download(last);
        result.Clamp();
        Completed("download", download);
        return result;
    }

    private Stopwatch Started(string stage)
    {
        Progress?.Report(new TransferProgress(stage, IndexOf(stage), Stages.Count, false, TimeSpan.Zero));
        return Stopwatch.StartNew();
    }

    private void Completed(string stage, Stopwatch clock)
    {
        if (Progress is null) return;
        backend.Synchronize();
        Progress.Report(new TransferProgress(stage, IndexOf(stage), Stages.Count, true, clock.Elapsed));
    }

    private int IndexOf(string stage)
    {
        int i = Array.IndexOf(StageArray, stage);
        return i >= 0 ? i : throw new InvalidOperationException($"stage '{stage}' is not in the list of stages");
    }
}
