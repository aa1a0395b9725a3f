using System.CommandLine;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Batch;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;
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
            string r = p.GetValue(reference)!, dir = p.GetValue(output)!;
            var (index, count) = shard.Read(p);
            if (File.Exists(dir)) throw new UsageException($"{dir}: is a file; -o names the output folder");
            var settings = method.Read(p);
            string name = p.GetValue(choice)!;
            var all = BatchPlan.List(p.GetValue(inputs)!, p.GetValue(format)!, dir);
            var items = BatchPlan.Shard(all, index, count);
            string manifestPath = p.GetValue(manifest) ?? Path.Combine(dir, count == 1 ? "manifest.jsonl" : $"manifest-{index}-of-{count}.jsonl");
            if (FileIdentity.Key(manifestPath) is { } k && all.Select(i => i.Input).Append(r).Any(i => FileIdentity.Key(i) == k))
                throw new OutputRefusedException(OutputProblem.Input, $"{manifestPath}: is also an input (the same file); choose another --manifest");
            var referenceImage = ImageCodec.Decode(r, p.GetValue(maxPixels));
            try { Directory.CreateDirectory(dir); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw GctException.ForFile(dir, $"cannot create the folder ({e.Message})"); }
            if (File.Exists(manifestPath) && !p.GetValue(force) && !BatchManifest.IsManifest(manifestPath))
                throw new OutputRefusedException(OutputProblem.Exists, $"{manifestPath}: already exists and is not a gct batch manifest");
            new StagedFile(manifestPath).Dispose(); // the manifest's folder is writable, known before any work

            using var engine = device.CreateEngine(p, weights, name, settings, new TransferJob(referenceImage.Width, referenceImage.Height, referenceImage.Width, referenceImage.Height, settings));
            using var analysis = name == MethodRegistry.Default ? engine.Analyse(referenceImage) : null;
            Func<RgbImage, RgbImage> transfer = analysis is null ? t => engine.Transfer(t, referenceImage) : t => engine.Transfer(t, analysis);

            int threads = p.GetValue(codecThreads);
            string shardText = count == 1 ? "" : $" (shard {index}/{count} of {all.Count})";
            using var bar = ProgressBar.ForTerminal<BatchProgress>(b => b.Total == 0 ? 1 : (double)b.Finished / b.Total, Label);
            var runner = new BatchRunner(transfer)
            {
                Replace = p.GetValue(force), Quality = p.GetValue(quality), MaxPixels = p.GetValue(maxPixels),
                Decoders = threads, Encoders = threads, OtherInputs = [r],
                Progress = bar,
                Checkpoint = results => AtomicFile.WriteText(manifestPath, BatchManifest.Text(results, dir)),
            };
            Console.Error.WriteLine($"gct: {items.Count} images{shardText} onto {engine.Backend.Name}; at most {runner.MaxImagesInFlight} images in memory at once");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var results = runner.Run(items, dir);
            bar.Dispose();
            int done = results.Count(x => x.Status == BatchStatus.Done), skipped = results.Count(x => x.Status == BatchStatus.Skipped);
            var failed = results.Where(x => x.Status == BatchStatus.Failed).ToList();
            foreach (var f in failed) Console.Error.WriteLine($"gct: error: {f.Error}");
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"{done} written, {skipped} skipped (they exist), {failed.Count} failed in {seconds:F1} s" +
                $" ({(done > 0 ? done / seconds : 0):F2} images/s); manifest {manifestPath}");
            return failed.Count == 0 ? 0 : Program.Failure;
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
