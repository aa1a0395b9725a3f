using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Engine.Bench;

/// <summary>Median, minimum and maximum of a stage's durations over the measured runs, in milliseconds.</summary>
public sealed record StageTiming(string Stage, double MedianMs, double MinMs, double MaxMs);

/// <summary>The timings of one size: every stage, decode and encode apart, the total and the throughput.</summary>
public sealed record SizeTiming(int Width, int Height, int Runs, IReadOnlyList<StageTiming> Stages, double MedianTotalMs, double MegapixelsPerSecond);

/// <summary>
/// A benchmark report: the machine, the backend and each size; peak host memory (working set),
/// and on a CUDA device the most device memory held at the end of a stage (buffers that live only
/// inside a stage are not seen), null elsewhere.
/// </summary>
public sealed record BenchmarkReport(string Machine, string Backend, string Target, string Reference, IReadOnlyList<SizeTiming> Sizes,
    double PeakHostMemoryMb, double? PeakDeviceMemoryMb);

/// <summary>
/// Times an engine's transfer on a target and a reference resized to each size: one warm-up run,
/// then <c>runs</c> measured runs; each stage as the pipeline reports it, plus decoding the two
/// files and encoding the result (PNG, in memory), which are kept apart from the transfer total.
/// </summary>
public sealed class Benchmark(ColorTransferEngine engine)
{
    /// <summary>Reports (what) before each run.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>Runs the benchmark.</summary>
    public BenchmarkReport Run(string targetPath, string referencePath, IReadOnlyList<(int Width, int Height)> sizes, int runs)
    {
        var results = new List<SizeTiming>();
        bool device = engine.Backend.FreeMemoryBytes is not null;
        long baseline = engine.Backend.FreeMemoryBytes ?? 0, leastFree = baseline;
        void Sample() => leastFree = Math.Min(leastFree, engine.Backend.FreeMemoryBytes ?? 0);
        foreach (var (w, h) in sizes)
        {
            var samples = new Dictionary<string, List<double>>();
            bool measured = false;
            void Add(string stage, TimeSpan t)
            {
                if (!samples.TryGetValue(stage, out var list)) samples[stage] = list = [];
                list.Add(t.TotalMilliseconds);
            }
            void Stage(string stage, TimeSpan t)
            {
                Sample();
                if (measured) Add(stage, t);
            }
            for (int run = 0; run <= runs; run++)
            {
                Progress?.Report(run == 0 ? $"{w}x{h} warm-up" : $"{w}x{h} run {run}/{runs}");
                measured = run > 0;
                var clock = Stopwatch.StartNew();
                var target = ImageCodec.Decode(targetPath);
                var reference = ImageCodec.Decode(referencePath);
                var decode = clock.Elapsed;
                target = target.Resize(w, h);
                reference = reference.Resize(w, h);
                var progress = !device && !measured ? null : new StageTimes((stage, t) => Stage(stage, t));
                clock.Restart();
                var result = engine.Transfer(target, reference, progress);
                var total = clock.Elapsed;
                clock.Restart();
                using (var sink = new MemoryStream()) ImageCodec.Encode(result, sink, SkiaSharp.SKEncodedImageFormat.Png, 95);
                if (measured)
                {
                    Add("decode (apart)", decode);
                    Add("encode (apart)", clock.Elapsed);
                    Add("transfer total", total);
                }
            }
            var stages = samples.Select(kv => new StageTiming(kv.Key, Median(kv.Value), kv.Value.Min(), kv.Value.Max())).ToList();
            double medianTotal = Median(samples["transfer total"]);
            results.Add(new SizeTiming(w, h, runs, stages, medianTotal, w * (double)h / 1e6 / (medianTotal / 1000)));
        }
        return new BenchmarkReport(Machine(), engine.Backend.Name, targetPath, referencePath, results, Process.GetCurrentProcess().PeakWorkingSet64 / 1e6,
            device ? (baseline - leastFree) / 1e6 : null);
    }

    internal static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>The CPU model (from /proc/cpuinfo when readable), core count and OS.</summary>
    public static string Machine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return $"{cpu}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
    }

    /// <summary>The report as a plain-text table.</summary>
    public static string Table(BenchmarkReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"machine: {report.Machine}");
        sb.AppendLine($"backend: {report.Backend}");
        foreach (var size in report.Sizes)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{size.Width}x{size.Height}, {size.Runs} runs: transfer {size.MedianTotalMs:F1} ms median, {size.MegapixelsPerSecond:F2} MP/s"));
            sb.AppendLine($"  {"stage",-26} {"median ms",10} {"min",10} {"max",10}");
            foreach (var s in size.Stages)
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {s.Stage,-26} {s.MedianMs,10:F1} {s.MinMs,10:F1} {s.MaxMs,10:F1}"));
        }
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"peak host memory: {report.PeakHostMemoryMb:F0} MB"));
        if (report.PeakDeviceMemoryMb is double device)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"peak device memory held between stages: {device:F0} MB"));
        return sb.ToString();
    }

    /// <summary>A report (this one's or a <see cref="StreamReport"/>) as indented JSON.</summary>
    public static string Json<T>(T report) =>
        JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
}

/// <summary>Passes each finished stage's duration on, on the thread that runs the transfer.</summary>
internal sealed class StageTimes(Action<string, TimeSpan> finished) : IProgress<TransferProgress>
{
    public void Report(TransferProgress value)
    {
        if (value.Finished) finished(value.Stage, value.Elapsed);
    }
}
