using System.Diagnostics;
using System.Globalization;
using System.Text;
using GpuColorTransfer.Engine.Batch;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.Bench;

/// <summary>
/// Throughput of one frame size with the reference analysed once: medians over the frames of the
/// transfer apart (for the global render, its matching and its rendering apart too), of decoding
/// and encoding a JPEG (quality 95) apart, and the frames per second of the whole batch pipeline
/// (files decoded, transferred and encoded, the codecs beside the transfer); the process's peak
/// working set so far.
/// </summary>
public sealed record StreamTiming(int Width, int Height, int Frames, double TransferMs, double? MatchMs, double? RenderMs,
    double DecodeMs, double EncodeMs, double TransferFps, double PipelineFps, double PeakHostMemoryMb);

/// <summary>A stream benchmark report: the machine, the backend, each size.</summary>
public sealed record StreamReport(string Machine, string Backend, IReadOnlyList<StreamTiming> Sizes);

/// <summary>Measures <see cref="StreamTiming"/> for each size: a warm-up frame, then the frames (see the record).</summary>
public sealed class StreamBenchmark(ColorTransferEngine engine)
{
    /// <summary>Reports (what) as it goes.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>Runs the benchmark with <paramref name="frames"/> frames per size (the target resized to it).</summary>
    public StreamReport Run(string targetPath, string referencePath, IReadOnlyList<(int Width, int Height)> sizes, int frames)
    {
        var target = ImageCodec.Decode(targetPath);
        using var analysis = engine.Analyse(ImageCodec.Decode(referencePath));
        var results = new List<StreamTiming>();
        string folder = Path.Combine(Path.GetTempPath(), $"gct-stream-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            foreach (var (w, h) in sizes)
            {
                var frame = target.Resize(w, h);
                Progress?.Report($"{w}x{h} warm-up");
                engine.Transfer(frame, analysis);
                var total = new List<double>();
                var match = new List<double>();
                var render = new List<double>();
                for (int i = 0; i < frames; i++)
                {
                    Progress?.Report($"{w}x{h} transfer {i + 1}/{frames}");
                    var clock = Stopwatch.StartNew();
                    if (engine.Settings.Render == RenderMode.Global)
                    {
                        var map = engine.Match(frame, analysis);
                        match.Add(clock.Elapsed.TotalMilliseconds);
                        var split = Stopwatch.StartNew();
                        engine.Render(frame, map);
                        render.Add(split.Elapsed.TotalMilliseconds);
                    }
                    else engine.Transfer(frame, analysis);
                    total.Add(clock.Elapsed.TotalMilliseconds);
                }

                Directory.CreateDirectory(Path.Combine(folder, "in"));
                string file = Path.Combine(folder, "in", "frame.jpg");
                var decode = new List<double>();
                var encode = new List<double>();
                for (int i = 0; i < Math.Min(frames, 5); i++)
                {
                    var clock = Stopwatch.StartNew();
                    ImageCodec.Encode(frame, file, 95);
                    encode.Add(clock.Elapsed.TotalMilliseconds);
                    clock.Restart();
                    ImageCodec.Decode(file);
                    decode.Add(clock.Elapsed.TotalMilliseconds);
                }
                var items = new List<BatchItem>();
                for (int i = 0; i < frames; i++)
                {
                    string name = $"frame{i:D5}.jpg";
                    File.Copy(file, Path.Combine(folder, "in", name), overwrite: true);
                    items.Add(new BatchItem(Path.Combine(folder, "in", name), name));
                }
                File.Delete(file);
                Progress?.Report($"{w}x{h} pipeline ({frames} files)");
                var runner = new BatchRunner(f => engine.Transfer(f, analysis)) { Replace = true };
                var whole = Stopwatch.StartNew();
                var done = runner.Run(items, Path.Combine(folder, "out"));
                double seconds = whole.Elapsed.TotalSeconds;
                if (done.FirstOrDefault(r => r.Status != BatchStatus.Done) is { } bad) throw new GctException($"the stream benchmark failed: {bad.Error}");
                double transferMs = Benchmark.Median(total);
                results.Add(new StreamTiming(w, h, frames, transferMs, match.Count > 0 ? Benchmark.Median(match) : null, render.Count > 0 ? Benchmark.Median(render) : null,
                    Benchmark.Median(decode), Benchmark.Median(encode), 1000 / transferMs, frames / seconds, Process.GetCurrentProcess().PeakWorkingSet64 / 1e6));
                Directory.Delete(folder, recursive: true);
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        return new StreamReport(Benchmark.Machine(), engine.Backend.Name, results);
    }

    /// <summary>The report as a plain-text table.</summary>
    public static string Table(StreamReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"machine: {report.Machine}");
        sb.AppendLine($"backend: {report.Backend}");
        sb.AppendLine($"{"size",-10} {"frames",6} {"transfer ms",11} {"match ms",9} {"render ms",9} {"decode ms",9} {"encode ms",9} {"transfer fps",12} {"pipeline fps",12} {"peak MB",8}");
        foreach (var s in report.Sizes)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{$"{s.Width}x{s.Height}",-10} {s.Frames,6} {s.TransferMs,11:F1} {Text(s.MatchMs),9} {Text(s.RenderMs),9} {s.DecodeMs,9:F1} {s.EncodeMs,9:F1} {s.TransferFps,12:F2} {s.PipelineFps,12:F2} {s.PeakHostMemoryMb,8:F0}"));
        sb.AppendLine("transfer fps: the transfer apart (reference kept); pipeline fps: JPEG files decoded, transferred and encoded (quality 95), codecs beside the transfer.");
        return sb.ToString();
    }

    private static string Text(double? ms) => ms is double v ? v.ToString("F1", CultureInfo.InvariantCulture) : "-";
}
