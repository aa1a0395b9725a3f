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

    /// <summary>The stages of <see cref="Run(RgbImage, RgbImage)"/> in the order they run (upload and release of device buffers included); a run with a kept <see cref="ReferenceAnalysis"/> skips the reference's.</summary>
    public IReadOnlyList<string> Stages => StageArray;

    /// <summary>Whether this pipeline colourises (<see cref="Colorize"/>): its stages are <see cref="ColorizeStages"/>.</summary>
    public bool Colorizing { get; init; }

    private string[] StageArray => Colorizing ? ColorizeStages : settings.Render == RenderMode.Global
        ? settings.Regrains ? GlobalStages : FromFiles ? FileStages : GlobalStagesWithoutRegrain
        : settings.Regrains ? LocalStages : LocalStagesWithoutRegrain;

    /// <summary>
    /// Whether the images come as files (<see cref="Run(ImageFile, ImageFile, float, Func{RgbImage, bool})"/>): the matched
    /// copies are decoded at a reduced scale and the target decoded whole for the render, each a stage.
    /// </summary>
    public bool FromFiles { get; init; }


    private static readonly string[] ReferenceStages = ["upload reference", "slic reference", "statistics reference", "super-features reference"];
    private static readonly string[] TargetStages = ["upload target", "slic target", "statistics target", "super-features target", "attention", "fusion"];
    private static readonly string[] TargetStagesWithRelease = [.. TargetStages, "download", "release"];
    private static readonly string[] ColorizeStages =
        ["upload reference", "slic reference", "statistics reference", "super-features reference", .. TargetStagesWithRelease, "chroma"];
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
        Analyse(reference.Width, reference.Height, (w, h) => Sized(reference, w, h), "resize reference");

    /// <summary>As <see cref="Analyse(RgbImage)"/>, the matched copy decoded from the file at a reduced scale (<see cref="ImageFile.DecodeResized"/>).</summary>
    public ReferenceAnalysis Analyse(ImageFile reference) =>
        Analyse(reference.Width, reference.Height, reference.DecodeResized, "decode reference");

    private ReferenceAnalysis Analyse(int width, int height, Func<int, int, RgbImage> copyAt, string copyStage)
    {
        var held = new Stack<IDisposable>();
        try
        {
            RgbImage work;
            if (settings.Render == RenderMode.Global)
            {
                var clock = Started(copyStage);
                var (w, h) = settings.MatchedSize(width, height);
                work = copyAt(w, h);
                Completed(copyStage, clock);
            }
            else work = copyAt(width, height);
            var r = Stage(held, "upload reference", () => backend.Upload(work));
            var map = Stage(held, "slic reference", () => backend.Superpixels(r, settings.SuperpixelCountFor((long)r.Width * r.Height), settings));
            var stats = Stage(held, "statistics reference", () => backend.Statistics(r, map));
            var features = Stage(held, "super-features reference", () => FeaturesOf(work, r, map));
            held.Clear();
            return new ReferenceAnalysis(backend, settings, width, height, r, map, stats, features);
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
    /// rows at a time (<see cref="BandedRender"/>), so no float planes of the full size exist. Needs the global render without regrain.
    /// </summary>
    /// <param name="target">The target file.</param>
    /// <param name="reference">The reference file.</param>
    /// <param name="strength">The blend with the target.</param>
    /// <param name="colorizes">Told the target's matched copy first: true stops here (null), the target is to be colourised.</param>
    public Rgba8Image? Run(ImageFile target, ImageFile reference, float strength, Func<RgbImage, bool> colorizes)
    {
        RequireRows();
        var workTarget = DecodeWorking(target);
        if (colorizes(workTarget)) return null;
        // The whole target is decoded on another core (the codec is serial) while the matching runs.
        var whole = Task.Run(target.DecodeRgba8);
        IColorMap map;
        using (var analysis = Analyse(reference))
        {
            map = Fit(workTarget, analysis);
            var clock = Started("release reference");
            analysis.Dispose();
            Completed("release reference", clock);
        }
        return Render(whole, map, strength);
    }

    /// <summary>As <see cref="Run(ImageFile, ImageFile, float, Func{RgbImage, bool})"/> with a reference analysed ahead (kept), never colourising.</summary>
    public Rgba8Image Run(ImageFile target, ReferenceAnalysis reference, float strength)
    {
        RequireRows();
        var whole = Task.Run(target.DecodeRgba8);
        return Render(whole, Fit(DecodeWorking(target), reference), strength);
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
    private Rgba8Image Render(Task<Rgba8Image> whole, IColorMap map, float strength)
    {
        var decode = Started("decode target");
        var image = whole.GetAwaiter().GetResult();
        Completed("decode target", decode);
        var render = Started("render");
        BandedRender.Apply(map, image, strength);
        Completed("render", render);
        return image;
    }

    /// <summary>
    /// Colourisation of a grey <paramref name="target"/> after a colour <paramref name="reference"/>:
    /// the reference's superpixels and super-features from its luma (what the target has), its
    /// colour statistics from its colours; the target matched and fused at the working size; the
    /// output the target's lightness with the fused chroma (<see cref="Colorization.Compose"/>).
    /// </summary>
    public RgbImage Colorize(RgbImage target, RgbImage reference)
    {
        var held = new Stack<IDisposable>();
        ReferenceAnalysis analysis;
        try
        {
            var (rw, rh) = settings.WorkingSize(reference.Width, reference.Height);
            var colour = Sized(reference, rw, rh);
            var grey = Colorization.Luma(colour);
            var rc = Stage(held, "upload reference", () => backend.Upload(colour));
            var rg = backend.Upload(grey);
            held.Push(rg);
            var map = Stage(held, "slic reference", () => backend.Superpixels(rg, settings.SuperpixelCountFor((long)rg.Width * rg.Height), settings));
            var stats = Stage(held, "statistics reference", () => backend.Statistics(rc, map));
            var features = Stage(held, "super-features reference", () => FeaturesOf(grey, rg, map));
            rg.Dispose();
            held.Clear();
            analysis = new ReferenceAnalysis(backend, settings, reference.Width, reference.Height, rc, map, stats, features);
        }
        finally
        {
            Release(held);
        }
        using (analysis)
        {
            var (tw, th) = settings.WorkingSize(target.Width, target.Height);
            var fused = OnBackend(Sized(target, tw, th), analysis, regrain: false);
            var clock = Started("chroma");
            var result = Colorization.Compose(target, fused);
            Completed("chroma", clock);
            return result;
        }
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
    private SuperFeatureMatrix FeaturesOf(RgbImage host, BackendImage image, SuperpixelMap map)
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
        var (rMap, rStats, rFeatures) = (reference.Map, reference.Statistics, reference.Features);
        var tMap = Stage(held, "slic target", () => backend.Superpixels(t, settings.SuperpixelCountFor((long)t.Width * t.Height), settings));
        var tStats = Stage(held, "statistics target", () => backend.Statistics(t, tMap));
        var tFeatures = Stage(held, "super-features target", () => FeaturesOf(target, t, tMap));
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
