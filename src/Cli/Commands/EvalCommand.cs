using System.CommandLine;
using System.Globalization;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct eval IMAGES...`: the ground-truth recovery protocol over methods.</summary>
internal static class EvalCommand
{
    private static readonly string[] MethodNames = ["identity", .. MethodRegistry.Names, RecoveryEvaluation.AffineFloorName];

    public static Command Create()
    {
        var images = new Argument<string[]>("IMAGES") { Description = "Photos, or folders of photos (.jpg, .jpeg, .png, .webp).", Arity = ArgumentArity.ZeroOrMore };
        var pairs = new Option<string>("--pairs")
        {
            Description = "Instead of ground truth: free target/reference pairs from a TSV file (target, reference[, intent]; header line), " +
                "scored with no-reference metrics beside the output = target anchor.",
            HelpName = "FILE",
        };
        var overlaps = new Option<string>("--overlaps") { Description = "Overlaps f between the reference and target crops, comma-separated, each in [0, 1).", DefaultValueFactory = _ => "0.5,0", HelpName = "LIST" };
        overlaps.Validators.Add(r => { try { ParseOverlaps(r.GetValueOrDefault<string>() ?? ""); } catch (FormatException e) { r.AddError($"--overlaps: {e.Message}"); } });
        var gradings = new Option<string>("--gradings")
        {
            Description = "Known gradings applied to the reference crop: 'mild' (wb, hue, teal_orange, fade), 'looks' (the strong looks: " +
                $"{string.Join(", ", Looks.All.Select(g => g.Name))}), or names ({string.Join(", ", Grading.All.Where(g => g.Family != GradingFamily.Look).Select(g => g.Name))}); " +
                "'colorize' runs the other way: the target is the right crop's luma, the reference the left crop as it is.",
            DefaultValueFactory = _ => "mild,looks",
            HelpName = "LIST",
        };
        gradings.Validators.Add(r => { try { Grading.ParseList(r.GetValueOrDefault<string>() ?? ""); } catch (FormatException e) { r.AddError($"--gradings: {e.Message}"); } });
        var methods = new Option<string>("--methods") { Description = $"Methods to compare ({string.Join(", ", MethodNames)}; {RecoveryEvaluation.AffineFloorName}: an affine map fitted to the truth, the floor of any affine map, not a method).", DefaultValueFactory = _ => string.Join(',', MethodNames), HelpName = "LIST" };
        methods.Validators.Add(r =>
        {
            foreach (var m in Split(r.GetValueOrDefault<string>() ?? ""))
                if (!MethodNames.Contains(m)) r.AddError($"--methods: unknown method '{m}'; valid: {string.Join(", ", MethodNames)}.");
        });
        var size = NumberOption.Create("--size", "Long side the photos are resized to (Lanczos-3).", 384, 16, 8192, "N");
        var output = new Option<string>("--out") { Description = "Folder for results.csv, summary.json and contact sheets (sheets/), written together at the end.", HelpName = "DIR" };
        var force = CommonOptions.Force();
        var weights = new WeightsOptions();
        var device = new DeviceOption();
        var method = new TransferOptions();
        var command = new Command("eval",
            "Ground-truth recovery: each photo is resized, split into two crops overlapping by f; a known grading of the left crop is the " +
            "reference, the right crop the target, its graded version the truth. Reports median and 90th-percentile CIEDE2000 and PSNR " +
            "per method, overlap and grading.")
        { images, pairs, overlaps, gradings, methods, size, output, force };
        foreach (var o in weights.All) command.Add(o);
        command.Add(device.Option);
        command.Validators.Add(r =>
        {
            bool hasImages = (r.GetValue(images)?.Length ?? 0) > 0, hasPairs = r.GetValue(pairs) is not null;
            if (hasImages == hasPairs) r.AddError("give either IMAGES (ground-truth recovery) or --pairs FILE (free pairs).");
        });
        foreach (var o in method.All) command.Add(o);

        command.SetAction(p => Run.Guarded(false, () =>
        {
            var names = Split(p.GetValue(methods)!);
            using var engine = device.CreateEngine(p, weights, MethodRegistry.Default, method.Read(p));
            var chosen = names.Where(n => n != RecoveryEvaluation.AffineFloorName).Select(engine.Method).ToList();
            string? dir = p.GetValue(output);
            if (p.GetValue(pairs) is { } pairFile)
            {
                if (!names.Contains("identity")) chosen.Insert(0, engine.Method("identity"));
                var list = FreePairEvaluation.ReadPairs(pairFile);
                using var outputs = new OutputSet(p.GetValue(force), [pairFile, .. list.SelectMany(x => new[] { x.Target, x.Reference })]);
                if (dir is not null)
                {
                    outputs.AddFolder(dir);
                    outputs.Add(Path.Combine(dir, "pairs.csv"));
                    outputs.Add(Path.Combine(dir, "pairs.png"));
                }
                var free = new FreePairEvaluation(chosen, p.GetValue(size))
                {
                    Sheet = dir is null ? null : sheet => outputs.Write(Path.Combine(dir, "pairs.png"), ImageCodec.Encoder(sheet, "pairs.png")),
                    Progress = ProgressLine<(int Done, int Total, string What)>(x => $"[{x.Done}/{x.Total}] {x.What}"),
                };
                var scores = free.Run(list);
                EndProgress();
                Console.Write(FreePairEvaluation.Table(scores));
                if (dir is not null)
                {
                    outputs.Write(Path.Combine(dir, "pairs.csv"), AtomicFile.Text(FreePairEvaluation.Csv(scores)));
                    outputs.Commit();
                    Console.Error.WriteLine($"gct: wrote {dir}/pairs.csv and pairs.png (rows: pairs; columns: target, reference, {string.Join(", ", chosen.Select(c => c.Name))})");
                }
                return 0;
            }
            var photos = ListPhotos(p.GetValue(images)!);
            var overlapList = ParseOverlaps(p.GetValue(overlaps)!);
            using var files = new OutputSet(p.GetValue(force), photos);
            string? sheets = dir is null ? null : Path.Combine(dir, "sheets");
            string SheetFile(string name) => Path.Combine(sheets!, name + ".png");
            if (dir is not null)
            {
                files.AddFolder(sheets!);
                files.Add(Path.Combine(dir, "results.csv"));
                files.Add(Path.Combine(dir, "summary.json"));
                foreach (string photo in photos)
                    foreach (double f in overlapList) files.Add(SheetFile(RecoveryEvaluation.SheetName(photo, f)));
            }
            var evaluation = new RecoveryEvaluation(chosen, p.GetValue(size), overlapList, Grading.ParseList(p.GetValue(gradings)!))
            {
                AffineFloor = names.Contains(RecoveryEvaluation.AffineFloorName),
                Sheet = dir is null ? null : (name, sheet) => files.Write(SheetFile(name), ImageCodec.Encoder(sheet, SheetFile(name))),
                Progress = ProgressLine<(int Done, int Total, string What)>(x => $"[{x.Done}/{x.Total}] {x.What}"),
            };
            var results = evaluation.Run(photos);
            EndProgress();
            var summary = RecoveryReport.Summarise(results);
            Console.Write(RecoveryReport.Table(summary));
            if (dir is not null)
            {
                files.Write(Path.Combine(dir, "results.csv"), AtomicFile.Text(RecoveryReport.Csv(results)));
                files.Write(Path.Combine(dir, "summary.json"), AtomicFile.Text(RecoveryReport.Json(summary)));
                files.Commit();
                Console.Error.WriteLine($"gct: wrote {dir}/results.csv, summary.json and {photos.Count * overlapList.Count} contact sheets in {sheets} " +
                    $"(rows: gradings; columns: target, reference, truth, {string.Join(", ", chosen.Select(c => c.Name))})");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>A progress line overwritten in place on a terminal; on a redirected stderr, nothing.</summary>
    private static IProgress<T>? ProgressLine<T>(Func<T, string> text) =>
        Console.IsErrorRedirected ? null : new SyncProgress<T>(x => Console.Error.Write($"\r\x1b[K{text(x)}"));

    private static void EndProgress()
    {
        if (!Console.IsErrorRedirected) Console.Error.Write("\r\x1b[K");
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static IReadOnlyList<double> ParseOverlaps(string list)
    {
        var values = Split(list).Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0 && v < 1
            ? v : throw new FormatException($"'{t}' is not a number in [0, 1)")).ToArray();
        return values.Length > 0 ? values : throw new FormatException("no overlap given");
    }

    private static List<string> ListPhotos(string[] inputs)
    {
        var photos = new List<string>();
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
                photos.AddRange(Directory.GetFiles(input).Where(f => Path.GetExtension(f).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png" or ".webp").Order(StringComparer.Ordinal));
            else if (File.Exists(input)) photos.Add(input);
            else throw GctException.ForFile(input, "no such file or folder");
        }
        return photos.Count > 0 ? photos : throw new GctException($"no photos found in {string.Join(", ", inputs)}");
    }
}
