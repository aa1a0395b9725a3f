using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Batch;
using GpuColorTransfer.Engine.Files;

namespace GpuColorTransfer.Tests.Batch;

/// <summary>`gct batch` and its plan: many images after one reference, shards, resumption, bad inputs.</summary>
public class BatchTests
{
    private static readonly string Reference = TestData.Sample("reference.jpg");
    private static readonly string[] Photos = ["castle_day.jpg", "dune_sea.jpg", "cat_chelsea.png", "desert_canyon.jpg", "city_night_bridge.jpg"];

    /// <summary>A folder of photos: two at the top, the rest in sub/ (a small long side keeps the test quick).</summary>
    private static string PhotoFolder()
    {
        string dir = Path.Combine(TestData.TempFolder(), "in");
        Directory.CreateDirectory(Path.Combine(dir, "sub"));
        for (int i = 0; i < Photos.Length; i++)
            Engine.Imaging.ImageCodec.Encode(TestData.Photo(Photos[i], 200), Path.Combine(dir, i < 2 ? "" : "sub", Path.ChangeExtension(Photos[i], ".png")));
        return dir;
    }

    private static Dictionary<string, byte[]> Outputs(string dir) =>
        Directory.GetFiles(dir, "*.png", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);

    [Fact]
    public void The_plan_keeps_relative_paths_sorted_and_skips_the_output_folder()
    {
        string root = TestData.TempFolder(), input = Path.Combine(root, "shoot");
        Directory.CreateDirectory(Path.Combine(input, "day2"));
        Directory.CreateDirectory(Path.Combine(input, "out"));
        foreach (var f in new[] { "b.jpg", "a.PNG", "day2/c.webp", "notes.txt", "out/old.png" }) File.WriteAllText(Path.Combine(input, f), "x");
        var items = BatchPlan.List([input], "png", Path.Combine(input, "out")).Items;
        Assert.Equal(["a.png", "b.png", Path.Combine("day2", "c.png")], items.Select(i => i.Output));
        var glob = BatchPlan.List([Path.Combine(input, "**", "*.webp")], "same", Path.Combine(root, "o")).Items;
        Assert.Equal([Path.Combine("day2", "c.webp")], glob.Select(i => i.Output));
        // A file named and also found in its folder is taken once; two files that would share an output are refused.
        Assert.Single(BatchPlan.List([Path.Combine(input, "day2", "c.webp"), Path.Combine(input, "day2")], "jpg", Path.Combine(root, "o")).Items);
        Directory.CreateDirectory(Path.Combine(root, "day3"));
        File.WriteAllText(Path.Combine(root, "day3", "c.png"), "x");
        var e = Assert.Throws<GctException>(() => BatchPlan.List([Path.Combine(input, "day2"), Path.Combine(root, "day3")], "jpg", Path.Combine(root, "o")));
        Assert.Contains("would both be written as c.jpg", e.Message);
        Assert.Contains("holds no image", Assert.Throws<GctException>(() => BatchPlan.List([Path.Combine(root, "*.tif")], "same", root)).Message);
        Assert.Contains("no such file or folder", Assert.Throws<GctException>(() => BatchPlan.List([Path.Combine(root, "nope.jpg")], "same", root)).Message);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(2, 5)]
    [InlineData(100, 7)]
    public void Shards_cover_every_item_once_in_contiguous_runs(int items, int shards)
    {
        var all = Enumerable.Range(0, items).ToArray();
        var parts = Enumerable.Range(0, shards).Select(i => BatchPlan.Shard(all, i, shards)).ToList();
        Assert.Equal(all, parts.SelectMany(p => p));
        Assert.All(parts, p => Assert.InRange(p.Count, items / shards, items / shards + 1));
    }

    [Fact]
    public void A_batch_gives_the_bytes_of_single_transfers_skips_what_exists_and_reports_a_bad_input()
    {
        string input = PhotoFolder(), output = Path.Combine(Path.GetDirectoryName(input)!, "out");
        File.WriteAllText(Path.Combine(input, "sub", "broken.jpg"), "not an image");
        var r = Gct.Run("batch", Reference, input, "-o", output, "--format", "png", "--device", "cpu");
        Assert.True(r.ExitCode == 1, r.Stderr); // one bad input: the others are written, exit 1 at the end with the list
        Assert.Contains("broken.jpg: not a readable image", r.Stderr);
        Assert.Contains("5 written, 0 skipped", r.Stdout);
        var manifest = BatchManifest.Read(File.ReadAllText(Path.Combine(output, "manifest.jsonl")));
        Assert.Equal(6, manifest.Count);
        Assert.Equal(["done", "done", "failed", "done", "done", "done"], manifest.Select(l => l.Status));

        foreach (string name in new[] { "castle_day.png", Path.Combine("sub", "cat_chelsea.png") })
        {
            string single = Path.Combine(Path.GetDirectoryName(input)!, "single.png");
            Assert.Equal(0, Gct.Run("transfer", Path.Combine(input, name), Reference, "-o", single, "--device", "cpu", "--force").ExitCode);
            Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(Path.Combine(output, name)));
        }

        var again = Gct.Run("batch", Reference, input, "-o", output, "--format", "png", "--device", "cpu");
        Assert.Contains("0 written, 5 skipped", again.Stdout);
    }

    [Fact]
    public void A_grey_image_in_a_batch_is_colourised_with_the_bytes_of_a_single_transfer_and_the_manifest_says_so()
    {
        string root = TestData.TempFolder(), input = Path.Combine(root, "in"), output = Path.Combine(root, "out"), single = Path.Combine(root, "single.png");
        Directory.CreateDirectory(input);
        var colour = TestData.Photo("forest_path.jpg", 200);
        Engine.Imaging.ImageCodec.Encode(colour, Path.Combine(input, "a-colour.png"));
        Engine.Imaging.ImageCodec.Encode(Engine.Pipeline.Colorization.Luma(colour), Path.Combine(input, "b-grey.png"));
        var r = Gct.Run("batch", Reference, input, "-o", output, "--format", "png", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("1 grey image was coloured after the reference", r.Stderr);
        var manifest = BatchManifest.Read(File.ReadAllText(Path.Combine(output, "manifest.jsonl")));
        Assert.Equal([false, true], manifest.Select(l => l.Colorized));
        Assert.Equal(0, Gct.Run("transfer", Path.Combine(input, "b-grey.png"), Reference, "-o", single, "--device", "cpu").ExitCode);
        Assert.Equal(File.ReadAllBytes(single), File.ReadAllBytes(Path.Combine(output, "b-grey.png")));

        // A rerun skips both: whether they were colourised is not known to it. A grey image too small to colourise fails, named.
        Engine.Imaging.ImageCodec.Encode(Engine.Pipeline.Colorization.Luma(TestData.Photo("forest_path.jpg", 3)), Path.Combine(input, "c-tiny.png"));
        var again = Gct.Run("batch", Reference, input, "-o", output, "--format", "png", "--device", "cpu");
        Assert.Equal(1, again.ExitCode);
        var rerun = BatchManifest.Read(File.ReadAllText(Path.Combine(output, "manifest.jsonl")));
        Assert.Equal(["skipped", "skipped", "failed"], rerun.Select(l => l.Status));
        Assert.Equal([null, null, null], rerun.Select(l => l.Colorized));
        Assert.StartsWith(Path.Combine(input, "c-tiny.png") + ": ", rerun[2].Error);
        Assert.Contains("too small to colourise", rerun[2].Error);
    }

    [Fact]
    public void Shards_run_as_separate_processes_give_the_unsharded_bytes_and_a_rerun_finishes_what_is_missing()
    {
        string input = PhotoFolder(), root = Path.GetDirectoryName(input)!, whole = Path.Combine(root, "whole"), sharded = Path.Combine(root, "sharded");
        Assert.Equal(0, Gct.Run("batch", Reference, input, "-o", whole, "--device", "cpu").ExitCode);
        for (int i = 0; i < 3; i++)
        {
            var env = new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = i.ToString() }; // as a Kubernetes Indexed Job sets it
            var r = Gct.Run(env, "batch", Reference, input, "-o", sharded, "--shard", "3", "--device", "cpu");
            Assert.True(r.ExitCode == 0, r.Stderr);
        }
        Assert.Equal(Outputs(whole), Outputs(sharded));
        var lines = Enumerable.Range(0, 3).SelectMany(i => BatchManifest.Read(File.ReadAllText(Path.Combine(sharded, $"manifest-{i}-of-3.jsonl")))).ToList();
        Assert.Equal(Photos.Length, lines.Count);
        Assert.Equal(lines.Count, lines.Select(l => l.Input).Distinct().Count()); // every input exactly once

        // A killed shard: its outputs partly missing, a temporary file of a dead process left behind.
        string lost = Outputs(sharded).Keys.Order(StringComparer.Ordinal).Last();
        File.Delete(Path.Combine(sharded, lost));
        string leftover = Path.Combine(sharded, Path.GetDirectoryName(lost)!, $".{Path.GetFileName(lost)}.{DeadProcessId()}.0123456789abcdef.tmp");
        File.WriteAllText(leftover, "partial");
        var rerun = Gct.Run("batch", Reference, input, "-o", sharded, "--shard", "2/3", "--device", "cpu");
        Assert.True(rerun.ExitCode == 0, rerun.Stderr);
        Assert.Contains("1 written", rerun.Stdout);
        Assert.Equal(Outputs(whole), Outputs(sharded));
        Assert.False(File.Exists(leftover));
    }

    private static int DeadProcessId()
    {
        using var p = System.Diagnostics.Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }

    /// <summary>A folder of two small images for the output-rule tests.</summary>
    private static string TwoImages(string root)
    {
        string input = Path.Combine(root, "in");
        Directory.CreateDirectory(input);
        File.Copy(TestData.Image("castle_day.jpg"), Path.Combine(input, "a.jpg"));
        File.Copy(TestData.Image("dune_sea.jpg"), Path.Combine(input, "b.jpg"));
        return input;
    }

    [Fact]
    public void The_input_folder_as_output_directly_or_through_a_link_is_refused_with_the_reason()
    {
        string root = TestData.TempFolder(), input = TwoImages(root), link = Path.Combine(root, "link");
        Directory.CreateSymbolicLink(link, input);
        foreach (string output in new[] { input, link })
        {
            var r = Gct.Run("batch", Reference, input, "-o", output, "--format", "png", "--device", "cpu");
            Assert.Equal(2, r.ExitCode);
            Assert.Contains("is the input folder", r.Stderr);
            Assert.Equal(["a.jpg", "b.jpg"], Directory.GetFiles(input).Select(Path.GetFileName).Order());
        }
        // Inside the input folder is allowed, and its outputs are never read back.
        string inside = Path.Combine(input, "graded");
        Assert.Equal(0, Gct.Run("batch", Reference, input, "-o", inside, "--device", "cpu").ExitCode);
        Assert.Contains("0 written, 2 skipped", Gct.Run("batch", Reference, input, "-o", inside, "--device", "cpu").Stdout);
    }

    [Fact]
    public void The_manifest_is_an_output_under_the_same_rules_as_the_images()
    {
        string root = TestData.TempFolder(), input = TwoImages(root), output = Path.Combine(root, "out");
        Assert.Equal(0, Gct.Run("batch", Reference, input, "-o", output, "--device", "cpu").ExitCode);
        var graded = File.ReadAllBytes(Path.Combine(output, "a.jpg"));
        // One of its own images: refused before any work, the image kept.
        var own = Gct.Run("batch", Reference, input, "-o", output, "--manifest", Path.Combine(output, "a.jpg"), "--force", "--device", "cpu");
        Assert.Equal(2, own.ExitCode);
        Assert.Contains("is also one of the batch's images", own.Stderr);
        Assert.Equal(graded, File.ReadAllBytes(Path.Combine(output, "a.jpg")));
        // Another batch's manifest: not without --force.
        string other = Path.Combine(root, "other"), otherManifest = Path.Combine(other, "manifest.jsonl");
        Assert.Equal(0, Gct.Run("batch", Reference, Path.Combine(input, "b.jpg"), "-o", other, "--device", "cpu").ExitCode);
        var before = File.ReadAllText(otherManifest);
        var foreign = Gct.Run("batch", Reference, input, "-o", output, "--manifest", otherManifest, "--device", "cpu");
        Assert.Equal(1, foreign.ExitCode);
        Assert.Contains("not a manifest of this batch", foreign.Stderr);
        Assert.Equal(before, File.ReadAllText(otherManifest));
        Assert.Equal(0, Gct.Run("batch", Reference, input, "-o", output, "--manifest", otherManifest, "--force", "--device", "cpu").ExitCode);
        // A pipe is never replaced, not even with --force.
        string fifo = Path.Combine(root, "fifo.jsonl");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", fifo)) mk.WaitForExit();
        var pipe = Gct.Run("batch", Reference, input, "-o", output, "--manifest", fifo, "--force", "--device", "cpu");
        Assert.Equal(2, pipe.ExitCode);
        Assert.Contains("is a pipe, not a regular file", pipe.Stderr);
    }

    [Fact]
    public void Outputs_that_are_not_regular_files_are_never_replaced_and_a_blocked_subfolder_is_named()
    {
        string root = TestData.TempFolder(), input = Path.Combine(root, "in"), output = Path.Combine(root, "out");
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        File.Copy(TestData.Image("castle_day.jpg"), Path.Combine(input, "a.jpg"));
        File.Copy(TestData.Image("dune_sea.jpg"), Path.Combine(input, "b.jpg"));
        File.Copy(TestData.Image("dune_sea.jpg"), Path.Combine(input, "sub", "c.jpg"));
        Directory.CreateDirectory(output);
        using (var mk = System.Diagnostics.Process.Start("mkfifo", Path.Combine(output, "a.jpg"))) mk.WaitForExit();
        File.CreateSymbolicLink(Path.Combine(output, "b.jpg"), "/dev/null");
        File.WriteAllText(Path.Combine(output, "sub"), "a file where the batch wants a folder");
        foreach (var force in new[] { false, true })
        {
            var r = Gct.Run([.. new[] { "batch", Reference, input, "-o", output, "--device", "cpu" }, .. force ? new[] { "--force" } : []]);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("0 written, 0 skipped (they exist), 3 failed", r.Stdout);
            Assert.Contains("a.jpg: is a pipe, not a regular file", r.Stderr);
            Assert.Contains("b.jpg: is a device, not a regular file", r.Stderr);
            Assert.Contains("a file of that name exists", r.Stderr);
            Assert.DoesNotContain("Exception", r.Stderr);
            Assert.Equal(FileKind.Pipe, FileIdentity.KindOf(Path.Combine(output, "a.jpg")));
            Assert.Equal("/dev/null", new FileInfo(Path.Combine(output, "b.jpg")).LinkTarget);
        }
    }

    /// <summary>Runs an action on the first progress report, synchronously (Progress&lt;T&gt; would post it).</summary>
    private sealed class OnFirstReport(Action action) : IProgress<BatchProgress>
    {
        private int _reports;
        public void Report(BatchProgress value) { if (Interlocked.Increment(ref _reports) == 1) action(); }
    }

    [Fact]
    public void A_manifest_that_cannot_be_written_stops_no_image_and_the_report_still_lists_them()
    {
        // The manifest's folder vanishes once the work has begun (as a disk fills): the real write fails.
        string root = TestData.TempFolder(), input = TwoImages(root), output = Path.Combine(root, "out"), notes = Path.Combine(root, "notes");
        Directory.CreateDirectory(notes);
        var report = new BatchJob
        {
            Reference = Reference, Inputs = [input], OutputFolder = output, Manifest = Path.Combine(notes, "manifest.jsonl"),
            Engine = new EngineOptions { Device = DevicePreference.Cpu },
            Progress = new OnFirstReport(() => Directory.Delete(notes, recursive: true)),
        }.Run();
        Assert.Equal(2, report.Done);
        Assert.True(File.Exists(Path.Combine(output, "a.jpg")) && File.Exists(Path.Combine(output, "b.jpg")));
        Assert.NotNull(report.ManifestError);
        Assert.Contains("manifest.jsonl", report.ManifestError);
    }

    [Fact]
    public void Walking_ends_visits_each_file_once_and_reports_broken_links_while_the_rest_goes_on()
    {
        string root = TestData.TempFolder(), input = Path.Combine(root, "shoot"), output = Path.Combine(root, "out");
        Directory.CreateDirectory(Path.Combine(input, "day", "sub"));
        File.Copy(TestData.Image("castle_day.jpg"), Path.Combine(input, "day", "sub", "x.jpg"));
        File.Copy(TestData.Image("dune_sea.jpg"), Path.Combine(input, "y.jpg"));
        Directory.CreateSymbolicLink(Path.Combine(input, "day", "sub", "up"), ".."); // a loop
        Directory.CreateSymbolicLink(Path.Combine(input, "root"), input);             // an ancestor
        File.CreateSymbolicLink(Path.Combine(input, "twice.jpg"), Path.Combine(input, "y.jpg"));
        File.CreateSymbolicLink(Path.Combine(input, "broken.jpg"), Path.Combine(root, "nowhere.jpg"));
        File.CreateSymbolicLink(Path.Combine(input, "self.jpg"), Path.Combine(input, "self.jpg")); // loops on itself
        var r = Gct.Run("batch", Reference, input, "-o", output, "--device", "cpu");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("2 written", r.Stdout);
        var lines = BatchManifest.Read(File.ReadAllText(Path.Combine(output, "manifest.jsonl")));
        Assert.Equal(2, lines.Count(l => l.Status == "done"));
        Assert.Contains(lines, l => l.Input.EndsWith("broken.jpg", StringComparison.Ordinal) && l.Status == "failed" && l.Error!.Contains("broken or looping link"));
        Assert.Contains(lines, l => l.Input.EndsWith("self.jpg", StringComparison.Ordinal) && l.Status == "failed");
        Assert.Equal(4, lines.Count);
    }

    [Theory]
    [InlineData("photos/[ab].jpg")]
    [InlineData("photos/{a,b}.jpg")]
    public void A_pattern_gct_cannot_read_is_a_usage_error_naming_it(string pattern)
    {
        string dir = TestData.TempFolder();
        var r = Gct.RunIn(dir, null, "batch", Reference, pattern, "-o", "out");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(pattern, r.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Theory]
    [InlineData("--shard", "3/3", "I must be from 0 to N - 1")]
    [InlineData("--shard", "a/3", "I must be a whole number")]
    [InlineData("--shard", "0/0", "N must be at least 1")]
    [InlineData("--shard", "4", "neither is set")]
    [InlineData("--format", "tiff", "tiff")]
    public void Bad_batch_options_are_usage_errors(string option, string value, string message)
    {
        string dir = TestData.TempFolder();
        var r = Gct.Run("batch", Reference, TestData.Sample("target.jpg"), "-o", Path.Combine(dir, "out"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Theory]
    [InlineData("JOB_COMPLETION_INDEX", "two")]
    [InlineData("JOB_COMPLETION_INDEX", "-1")]
    [InlineData("SLURM_ARRAY_TASK_ID", "1e3")]
    public void A_bad_job_array_index_is_a_usage_error_naming_the_variable(string variable, string value)
    {
        string dir = TestData.TempFolder();
        var env = new Dictionary<string, string?> { [variable] = value };
        var r = Gct.Run(env, "batch", Reference, TestData.Sample("target.jpg"), "-o", Path.Combine(dir, "out"), "--shard", "3");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"${variable} is '{value}'", r.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Theory]
    [InlineData("kubernetes/gct-batch-job.yaml", "batch")]
    [InlineData("kubernetes/gct-video-job.yaml", "video")]
    [InlineData("kubernetes/gct-video-concat.yaml", "video")]
    [InlineData("slurm/gct-batch.sbatch", "batch")]
    [InlineData("slurm/gct-video.sbatch", "video")]
    [InlineData("slurm/gct-video-concat.sbatch", "video")]
    public void The_shipped_job_files_use_only_options_the_command_has(string file, string command)
    {
        // The commands, not the comments (#SBATCH lines are the scheduler's options).
        string text = string.Join('\n', File.ReadAllLines(Path.Combine(TestData.RepositoryRoot, "deploy", file)).Where(l => !l.TrimStart().StartsWith('#')));
        var help = Gct.Run(command, "--help").Stdout;
        var options = System.Text.RegularExpressions.Regex.Matches(text, @"(?<=[\s""'])--[a-z][a-z-]+").Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(options);
        Assert.All(options, o => Assert.Contains(o, help));
        Assert.Contains(command == "batch" ? "--shard" : "video", text);
    }
}
