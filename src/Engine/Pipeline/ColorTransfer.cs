using System.Diagnostics;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Cpu;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Vgg;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Pipeline;

/// <summary>
/// The colour transfer of Carrillo, Clément and Bugeau (2021) from a reference onto a target:
/// SLIC superpixels, VGG-19 super-features, attention, fusion, regrain (DESIGN section 3). The
/// stages run on one <see cref="IBackend"/>; the images are uploaded once and only the result
/// comes back.
/// </summary>
public sealed class ColorTransfer(IBackend backend, VggNetwork network, TransferSettings settings)
{
    /// <summary>
    /// Told when each stage starts and when it finishes, with its duration; reported on the thread
    /// that runs the transfer. When set, the device is synchronised at the end of each stage, so that
    /// kernels launched asynchronously count in the stage that launched them.
    /// </summary>
    public IProgress<TransferProgress>? Progress { get; init; }

    /// <summary>The stages in the order they run (upload and release of device buffers included).</summary>
    public IReadOnlyList<string> Stages => StageArray;

    private string[] StageArray => settings.Render == RenderMode.Global
        ? settings.Regrains ? GlobalStages : GlobalStagesWithoutRegrain
        : settings.Regrains ? LocalStages : LocalStagesWithoutRegrain;

    private static readonly string[] MatchingStages =
    [
        "slic target", "slic reference", "statistics target", "statistics reference", "super-features target",
        "super-features reference", "attention", "fusion",
    ];

    private static readonly string[] LocalStages = ["upload", .. MatchingStages, "regrain", "download", "release"];
    private static readonly string[] LocalStagesWithoutRegrain = [.. LocalStages.Where(s => s != "regrain")];
    private static readonly string[] GlobalStagesWithoutRegrain = ["resize", "upload", .. MatchingStages, "download", "release", "fit", "render"];
    private static readonly string[] GlobalStages = [.. GlobalStagesWithoutRegrain, "regrain"];

    /// <summary>Receives the pictures of the intermediate steps when set.</summary>
    public IntermediateWriter? Intermediates { get; init; }

    /// <summary>Transfers the colours of <paramref name="reference"/> onto <paramref name="target"/>; keeps the target's size and alpha.</summary>
    /// <exception cref="WorkTooLargeException">The job exceeds <see cref="TransferSettings.Limits"/>; nothing was allocated.</exception>
    public RgbImage Run(RgbImage target, RgbImage reference)
    {
        settings.Limits.Check(new TransferJob(target.Width, target.Height, reference.Width, reference.Height, settings),
            stagesOnHost: backend.Accelerator.AcceleratorType == AcceleratorType.CPU);
        var result = settings.Render == RenderMode.Global ? RunGlobal(target, reference) : OnBackend(target, reference, regrain: settings.Regrains);
        if (settings.Strength != 1f) result.BlendFrom(target, settings.Strength);
        result.Alpha = target.Alpha;
        return result;
    }

    /// <summary>
    /// The global render (DESIGN section 7): the matching at the working size, a colour map fitted
    /// there from the target to its fusion, applied to the full-resolution target.
    /// </summary>
    private RgbImage RunGlobal(RgbImage target, RgbImage reference)
    {
        var clock = Started("resize");
        var workTarget = WorkingCopy(target);
        var workReference = WorkingCopy(reference);
        Completed("resize", clock);
        var fused = OnBackend(workTarget, workReference, regrain: false);
        clock = Started("fit");
        var map = ColorMapFit.Fit(ColorPairs.FromImages(workTarget, fused), settings);
        Completed("fit", clock);
        clock = Started("render");
        var result = ColorMapRender.Apply(map, target);
        result.Clamp();
        Completed("render", clock);
        FittedMap = map;
        return settings.Regrains ? Regrain(target, result) : result;
    }

    /// <summary>Pitié's regrain of the mapped full-resolution target (upload, sweeps, download, release in one stage).</summary>
    private RgbImage Regrain(RgbImage target, RgbImage mapped)
    {
        var clock = Started("regrain");
        using var t = backend.Upload(target);
        using var m = backend.Upload(mapped);
        using var regrained = backend.Regrain(t, m, settings.Smoothness);
        var result = backend.Download(regrained);
        result.Clamp();
        Completed("regrain", clock);
        return result;
    }

    /// <summary>The colour map the last global render applied; null after a local one.</summary>
    public IColorMap? FittedMap { get; private set; }

    /// <summary>The image at the working size of <see cref="TransferSettings.WorkMegapixels"/> (itself when no larger).</summary>
    private RgbImage WorkingCopy(RgbImage image)
    {
        var (w, h) = settings.WorkingSize(image.Width, image.Height);
        return w == image.Width && h == image.Height ? image : image.Resize(w, h);
    }

    /// <summary>The matching stages (and regrain) on the backend; only the fused or regrained image comes back.</summary>
    private RgbImage OnBackend(RgbImage target, RgbImage reference, bool regrain)
    {
        // The host images are not referenced after the upload, so the caller's copies can be
        // collected while the transfer runs. The device buffers are released at the end, timed as
        // a stage of their own (freeing device memory waits for the device).
        backend.CheckCapacity(target.Width, target.Height, reference.Width, reference.Height, settings);
        var held = new Stack<IDisposable>();
        try
        {
            var clock = Started("upload");
            var t = Hold(held, backend.Upload(target));
            var r = Hold(held, backend.Upload(reference));
            Completed("upload", clock);
            var result = Run(t, r, held, regrain);
            clock = Started("release");
            Release(held);
            Completed("release", clock);
            return result;
        }
        finally
        {
            Release(held);
        }
    }

    private static T Hold<T>(Stack<IDisposable> held, T resource) where T : IDisposable
    {
        held.Push(resource);
        return resource;
    }

    private static void Release(Stack<IDisposable> held)
    {
        while (held.Count > 0) held.Pop().Dispose();
    }

    private RgbImage Run(DeviceImage t, DeviceImage r, Stack<IDisposable> held, bool regrain)
    {
        T Stage<T>(string name, Func<T> run) where T : IDisposable
        {
            var clock = Started(name);
            var result = Hold(held, run());
            Completed(name, clock);
            return result;
        }

        var tMap = Stage("slic target", () => backend.Superpixels(t, settings.SuperpixelCountFor((long)t.Width * t.Height), settings));
        var rMap = Stage("slic reference", () => backend.Superpixels(r, settings.SuperpixelCountFor((long)r.Width * r.Height), settings));
        var tStats = Stage("statistics target", () => backend.Statistics(t, tMap));
        var rStats = Stage("statistics reference", () => backend.Statistics(r, rMap));
        var tFeatures = Stage("super-features target", () => backend.SuperFeatures(t, tMap, network, settings));
        var rFeatures = Stage("super-features reference", () => backend.SuperFeatures(r, rMap, network, settings));
        var colors = Stage("attention", () => backend.Attention(tFeatures, rFeatures, rStats, settings));
        var fused = Stage("fusion", () => backend.Fusion(t, tMap, tStats, colors, settings));

        if (Intermediates is { } sink)
        {
            sink.Superpixels("superpixels_target", backend.Download(t), tMap);
            sink.Superpixels("superpixels_reference", backend.Download(r), rMap);
            sink.DirectMatching(tMap, colors);
            if ((long)tMap.Count * rMap.Count <= IntermediateWriter.MaxAttentionEntries)
            {
                // The matrix A itself, for the picture only: the stage keeps no N_T x N_R matrix.
                var attention = new float[tMap.Count * rMap.Count];
                CpuAttention.MatchedColors(tFeatures.Values.GetAsArray1D(), tMap.Count, rFeatures.Values.GetAsArray1D(), rMap.Count, tFeatures.Channels,
                    rStats.Values.GetAsArray1D(), settings.Centring, settings.Tau, settings.AttentionTopK, attention);
                sink.Attention(attention, tMap.Count, rMap.Count);
            }
            sink.Image("fused_before_regrain", backend.Download(fused));
        }

        var last = regrain ? Stage("regrain", () => backend.Regrain(t, fused, settings.Smoothness)) : fused;
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
        backend.Accelerator.Synchronize();
        Progress.Report(new TransferProgress(stage, IndexOf(stage), Stages.Count, true, clock.Elapsed));
    }

    private int IndexOf(string stage)
    {
        int i = Array.IndexOf(StageArray, stage);
        return i >= 0 ? i : throw new InvalidOperationException($"stage '{stage}' is not in the list of stages");
    }
}
