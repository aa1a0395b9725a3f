using System.Diagnostics;
using GpuColorTransfer.Engine.Backends;
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
    /// Called after each stage with its name and duration. When set, the device is synchronised at
    /// the end of each stage, so that kernels launched asynchronously count in the stage that
    /// launched them.
    /// </summary>
    public Action<string, TimeSpan>? StageCompleted { get; init; }

    /// <summary>Receives the pictures of the intermediate steps when set.</summary>
    public IntermediateWriter? Intermediates { get; init; }

    /// <summary>Transfers the colours of <paramref name="reference"/> onto <paramref name="target"/>; keeps the target's size and alpha.</summary>
    public RgbImage Run(RgbImage target, RgbImage reference)
    {
        // The host images are not referenced after the upload, so the caller's copies can be
        // collected while the transfer runs. The device buffers are released at the end, timed as
        // a stage of their own (freeing device memory waits for the device).
        var alpha = target.Alpha;
        backend.CheckCapacity(target.Width, target.Height, reference.Width, reference.Height, settings);
        var held = new Stack<IDisposable>();
        try
        {
            var clock = Stopwatch.StartNew();
            var t = Hold(held, backend.Upload(target));
            var r = Hold(held, backend.Upload(reference));
            Completed("upload", clock);
            var result = Run(t, r, held);
            clock.Restart();
            Release(held);
            Completed("release", clock);
            result.Alpha = alpha;
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

    private RgbImage Run(DeviceImage t, DeviceImage r, Stack<IDisposable> held)
    {
        var clock = Stopwatch.StartNew();
        T Stage<T>(string name, Func<T> run) where T : IDisposable
        {
            clock.Restart();
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

        var last = settings.Regrain ? Stage("regrain", () => backend.Regrain(t, fused, settings.Smoothness)) : fused;
        clock.Restart();
        var result = backend.Download(last);
        result.Clamp();
        Completed("download", clock);
        return result;
    }

    private void Completed(string stage, Stopwatch clock)
    {
        if (StageCompleted is null) return;
        backend.Accelerator.Synchronize();
        StageCompleted(stage, clock.Elapsed);
    }
}
