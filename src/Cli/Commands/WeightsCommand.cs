using System.CommandLine;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Weights;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct weights fetch|verify`: obtain and check the VGG-19 weights.</summary>
internal static class WeightsCommand
{
    public static Command Create()
    {
        var fetchDir = new Option<string>("--dir") { Description = "Download into this folder instead of the user cache.", HelpName = "DIR" };
        var url = new Option<string>("--url")
        {
            Description = $"Base URL to download from (default ${WeightStore.UrlVariable}, else the public source).",
            HelpName = "URL",
        };
        var fetch = new Command("fetch",
            $"Download model.json and the five weight shards (2.2 MB) into the user cache ({WeightStore.CacheFolder}), " +
            "checking each file's SHA-256; a mismatch is refused.")
        { fetchDir, url };
        fetch.SetAction(p => Run.Guarded(false, () =>
        {
            string folder = p.GetValue(fetchDir) ?? WeightStore.CacheFolder;
            string source = p.GetValue(url) ?? WeightStore.BaseUrl;
            Console.Error.WriteLine($"fetching the VGG-19 weights from {source} into {folder}");
            WeightStore.Fetch(folder, source, ProgressBar());
            Console.Error.WriteLine();
            Console.WriteLine($"{folder}: all {WeightStore.Manifest.Count} files present and verified");
            return 0;
        }));

        var verifyDir = new Argument<string?>("DIR")
        {
            Description = "Folder to check (default: --weights lookup order: $GCT_WEIGHTS, then the user cache).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var verify = new Command("verify", "Check that a folder holds every weight file with the expected SHA-256.") { verifyDir };
        verify.SetAction(p => Run.Guarded(false, () =>
        {
            string folder = p.GetValue(verifyDir)
                ?? (Environment.GetEnvironmentVariable(WeightStore.FolderVariable) is { Length: > 0 } env ? env : WeightStore.CacheFolder);
            var problems = WeightStore.Verify(folder);
            if (problems.Count == 0)
            {
                Console.WriteLine($"{folder}: all {WeightStore.Manifest.Count} files present and verified");
                return 0;
            }
            foreach (var problem in problems) Console.Error.WriteLine($"gct: error: {problem}");
            Console.Error.WriteLine($"gct: to repair: {WeightStore.HowToGet}");
            return Program.Failure;
        }));

        return new Command("weights", "Obtain and verify the VGG-19 weights (conv1_1..conv3_1, Oxford VGG, CC BY 4.0).") { fetch, verify };
    }

    /// <summary>A one-line progress bar on stderr.</summary>
    public static IProgress<WeightStore.FetchProgress> ProgressBar() => new SyncProgress<WeightStore.FetchProgress>(p =>
    {
        double fraction = p.Total is > 0 ? (double)p.Done / p.Total.Value : 0;
        int filled = (int)(fraction * 20);
        string size = p.Total is long t ? $"{p.Done / 1e6:F2}/{t / 1e6:F2} MB" : $"{p.Done / 1e6:F2} MB";
        Console.Error.Write($"\r  {p.File,-18} [{new string('#', filled)}{new string('-', 20 - filled)}] {fraction,4:P0}  {size}   ");
    });
}
