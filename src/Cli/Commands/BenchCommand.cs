using System.CommandLine;
using System.Globalization;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Bench;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct bench TARGET REFERENCE`: per-stage timings of the transfer at several sizes.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("TARGET") { Description = "Target photo (resized to each size)." };
        var reference = new Argument<string>("REFERENCE") { Description = "Reference photo (resized to each size)." };
        var sizes = new Option<string>("--sizes") { Description = "Sizes WxH, comma-separated (default 1024x768,1920x1080; with --stream 1920x1080,3840x2160).", HelpName = "LIST" };
        sizes.Validators.Add(r => { try { ParseSizes(r.GetValueOrDefault<string>() ?? ""); } catch (FormatException e) { r.AddError($"--sizes: {e.Message}"); } });
        var runs = NumberOption.Create("--runs", "Measured runs per size, after one warm-up run (with --stream: frames per size).", 5, 1, 1000, "N");
        var stream = new Option<bool>("--stream") { Description = "Throughput with the reference analysed once: frames per second of the transfer apart and of the batch pipeline (JPEG files decoded, transferred, encoded), codecs apart, peak memory." };
        var serve = new Option<string>("--serve") { Description = "Load a running gct serve at this URL instead: TARGET posted with REFERENCE's id by --clients clients for --duration seconds; latency percentiles and answers per second.", HelpName = "URL" };
        var clients = NumberOption.Create("--clients", "With --serve: concurrent clients.", 16, 1, 1024, "N");
        var duration = NumberOption.Create("--duration", "With --serve: seconds of load.", 30, 1, 3600, "S");
        var tokenFile = new Option<string>("--token-file") { Description = "With --serve: the bearer token's file.", HelpName = "FILE" };
        var json = new Option<string>("--json") { Description = "Also write the report as JSON (machine, backend, sizes, per-stage medians).", HelpName = "FILE" };
        var force = CommonOptions.Force();
        var weights = new WeightsOptions();
        var device = new DeviceOption();
        var method = new TransferOptions();
        var command = new Command("bench",
            "Time the colour transfer on a target and a reference resized to each size: one warm-up, then the median, minimum and maximum " +
            "of N runs for every stage and in total, megapixels per second and peak host memory. Decoding and encoding are timed apart.")
        { target, reference, sizes, runs, stream, serve, clients, duration, tokenFile, json, force };
        foreach (var o in weights.All) command.Add(o);
        command.Add(device.Option);
        foreach (var o in method.All) command.Add(o);
        command.SetAction(p => Run.Guarded(false, () =>
        {
            string? jsonPath = p.GetValue(json);
            using var outputs = new OutputSet(p.GetValue(force), [p.GetValue(target)!, p.GetValue(reference)!]);
            if (jsonPath is not null) outputs.Add(jsonPath);
            var settings = method.Read(p);
            if (p.GetValue(serve) is { } url)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
                    throw new UsageException($"--serve: '{url}' is not an http(s) URL");
                string? token = p.GetValue(tokenFile) is { } tf ? Serve.ServeCommand.Token(tf) : null;
                var load = Serve.LoadGenerator.RunAsync(server, p.GetValue(target)!, p.GetValue(reference)!, p.GetValue(clients), TimeSpan.FromSeconds(p.GetValue(duration)), token).GetAwaiter().GetResult();
                Console.WriteLine(load.Text());
                return load.Failures == 0 && load.Wrong == 0 ? 0 : Program.Failure;
            }
            bool streaming = p.GetValue(stream);
            var sizeList = ParseSizes(p.GetValue(sizes) ?? (streaming ? "1920x1080,3840x2160" : "1024x768,1920x1080"));
            var largest = sizeList.MaxBy(s => (long)s.Item1 * s.Item2);
            using var engine = device.CreateEngine(p, weights, MethodRegistry.Default, settings, new TransferJob(largest.Item1, largest.Item2, largest.Item1, largest.Item2, settings));
            var progress = Console.IsErrorRedirected ? null : new SyncProgress<string>(s => Console.Error.Write($"\r\x1b[Kgct bench: {s}"));
            var (table, text) = streaming
                ? Report(new StreamBenchmark(engine) { Progress = progress }.Run(p.GetValue(target)!, p.GetValue(reference)!, sizeList, p.GetValue(runs)), StreamBenchmark.Table)
                : Report(new Benchmark(engine) { Progress = progress }.Run(p.GetValue(target)!, p.GetValue(reference)!, sizeList, p.GetValue(runs)), Benchmark.Table);
            if (!Console.IsErrorRedirected) Console.Error.Write("\r\x1b[K");
            Console.Write(table);
            if (jsonPath is not null)
            {
                outputs.Write(jsonPath, AtomicFile.Text(text));
                outputs.Commit();
            }
            return 0;
        }));
        return command;
    }

    /// <summary>A report as its table and its JSON.</summary>
    private static (string Table, string Json) Report<T>(T report, Func<T, string> table) => (table(report), Benchmark.Json(report));

    private static IReadOnlyList<(int Width, int Height)> ParseSizes(string list)
    {
        var sizes = new List<(int, int)>();
        foreach (var item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.ToLowerInvariant().Split('x');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w) ||
                !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h) || w < 1 || h < 1 || (long)w * h > 400_000_000)
                throw new FormatException($"'{item}' is not a size WxH (e.g. 1920x1080)");
            sizes.Add((w, h));
        }
        return sizes.Count > 0 ? sizes : throw new FormatException("no size given");
    }
}
