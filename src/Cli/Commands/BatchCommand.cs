using System.CommandLine;
using GpuColorTransfer.Engine.Batch;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct batch REFERENCE INPUT... -o OUTDIR`: many images graded after one reference, in one process.</summary>
internal static class BatchCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("REFERENCE") { Description = "The image whose colours are transferred (analysed once)." };
        var inputs = new Argument<string[]>("INPUT") { Description = "Images, folders (searched recursively) or quoted glob patterns ('shoot/**/*.jpg').", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "Output folder (created if missing); outputs keep their path relative to their folder or pattern.", Required = true, HelpName = "DIR" };
        var format = new Option<string>("--format") { Description = "Output format; 'same' keeps .jpg/.png/.webp (others become .png).", DefaultValueFactory = _ => "same", HelpName = string.Join('|', BatchPlan.Formats) };
        format.AcceptOnlyFromAmong([.. BatchPlan.Formats]);
        var manifest = new Option<string>("--manifest") { Description = "JSON-lines report (input, output, status, seconds, error); default DIR/manifest.jsonl (manifest-I-of-N.jsonl for a shard).", HelpName = "FILE" };
        // Half the cores, 2 to 8: on 2 cores 1, 2 and 4 measured alike; with a GPU doing the transfer the codecs are the bound.
        var codecThreads = NumberOption.Create("--codec-threads", "Threads decoding and, as many again, encoding while the backend transfers (default: half the cores, 2 to 8).",
            Math.Clamp(Environment.ProcessorCount / 2, 2, 8), 1, 64, "N");
        var shard = new ShardOption();
        var choice = new Option<string>("--method") { Description = "The method (see gct transfer --help).", DefaultValueFactory = _ => MethodRegistry.Default, HelpName = string.Join('|', MethodRegistry.Names) };
        choice.AcceptOnlyFromAmong([.. MethodRegistry.Names]);
        var method = new TransferOptions();
        var weights = new WeightsOptions();
        var device = new DeviceOption();
        var quality = CommonOptions.Quality();
        var maxPixels = CommonOptions.MaxPixels();
        var force = new Option<bool>("--force", "-f") { Description = "Redo and replace outputs that exist (without it they are skipped, so a rerun finishes only what is missing)." };
        var command = new Command("batch",
            "Transfer the colours of REFERENCE onto many images in one process: the reference is analysed once, decoding and encoding run " +
            "beside the transfer, existing outputs are skipped, and an image that fails is reported while the others go on (exit 1 at the end).")
        { reference, inputs, output, format, manifest, codecThreads, shard.Option, choice };
        foreach (var o in method.All) command.Add(o);
        foreach (var o in weights.All) command.Add(o);
        command.Add(device.Option);
        foreach (var o in new Option[] { quality, maxPixels, force }) command.Add(o);

        command.SetAction(p => Run.Guarded(false, () =>
        {
            method.RequireColorizingMethod(p, p.GetValue(choice)!);
            using var bar = ProgressBar.ForTerminal<BatchProgress>(b => b.Total == 0 ? 1 : (double)b.Finished / b.Total, Label);
            var job = new BatchJob
            {
                Reference = p.GetValue(reference)!, Inputs = p.GetValue(inputs)!, OutputFolder = p.GetValue(output)!, Format = p.GetValue(format)!,
                Manifest = p.GetValue(manifest), Shard = shard.Read(p), Replace = p.GetValue(force), Quality = p.GetValue(quality),
                MaxPixels = p.GetValue(maxPixels), CodecThreads = p.GetValue(codecThreads),
                Engine = device.Options(p, weights, p.GetValue(choice)!, method.Read(p)),
                Started = s =>
                {
                    DeviceOption.Fallback(s.FallbackReason);
                    string shardText = s.ShardCount == 1 ? "" : $" (shard {s.ShardIndex}/{s.ShardCount} of {s.AllImages})";
                    Console.Error.WriteLine($"gct: {s.Images} images{shardText} onto {s.Backend}; at most {s.MaxImagesInFlight} images in memory at once");
                },
                Progress = bar,
            };
            var report = job.Run();
            bar.Dispose();
            foreach (var f in report.Failed) Console.Error.WriteLine($"gct: error: {f.Error}");
            if (report.ManifestError is { } manifestError)
            {
                // The manifest is lost: every image's fate goes to standard error instead.
                Console.Error.WriteLine($"gct: error: the manifest was not written: {manifestError}");
                foreach (var r in report.Results.Where(r => r.Status != BatchStatus.Failed))
                    Console.Error.WriteLine($"gct: {r.Status.ToString().ToLowerInvariant()}: {r.Item.Input}");
            }
            int colorized = report.Results.Count(r => r.Colorized);
            if (colorized > 0)
                Console.Error.WriteLine(p.GetValue(method.Colorize)
                    ? $"gct: note: {colorized} image{(colorized == 1 ? " was" : "s were")} colourised (--colorize), their lightness kept (\"colorized\": true in the manifest)"
                    : $"gct: note: {colorized} grey image{(colorized == 1 ? " was" : "s were")} coloured after the reference, their lightness kept (\"colorized\": true in the manifest; --no-colorize gives them a cast instead)");
            double seconds = report.Elapsed.TotalSeconds;
            Console.WriteLine($"{report.Done} written, {report.Skipped} skipped (they exist), {report.Failed.Count} failed in {seconds:F1} s" +
                $" ({(report.Done > 0 ? report.Done / seconds : 0):F2} images/s); " + (report.ManifestError is null ? $"manifest {report.ManifestPath}" : "no manifest"));
            return report.Failed.Count == 0 && report.ManifestError is null ? 0 : Program.Failure;
        }));
        return command;
    }

    private static string Label(BatchProgress b, TimeSpan elapsed)
    {
        double rate = b.Finished / Math.Max(elapsed.TotalSeconds, 1e-3);
        string eta = b.Finished == 0 ? "--" : $"{(b.Total - b.Finished) / rate:F0} s";
        return $"{b.Finished}/{b.Total} images, {rate:F2}/s, ETA {eta}{(b.Failed > 0 ? $", {b.Failed} failed" : "")}";
    }
}
