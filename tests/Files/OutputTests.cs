using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Files;

namespace GpuColorTransfer.Tests.Files;

/// <summary>
/// The one guarded writer (<see cref="OutputSet"/>) and every output of every command through it:
/// inputs are never written, existing files only with --force, outputs checked before any work and
/// written all or nothing.
/// </summary>
public class OutputTests
{
    private static readonly string Target = TestData.Sample("target.jpg");
    private static readonly string Reference = TestData.Sample("reference.jpg");

    private static string[] Leftovers(string dir) => Directory.GetFiles(dir, ".*.tmp");

    [Fact]
    public void A_set_refuses_inputs_directories_names_given_twice_and_existing_files_without_replace()
    {
        string dir = TestData.TempFolder(), input = Path.Combine(dir, "in.png"), existing = Path.Combine(dir, "old.png");
        File.WriteAllText(input, "input");
        File.WriteAllText(existing, "old");
        File.CreateSymbolicLink(Path.Combine(dir, "link.png"), input);
        using var set = new OutputSet(replace: false, [input]);
        Assert.Equal(OutputProblem.Input, Assert.Throws<OutputRefusedException>(() => set.Add(Path.Combine(dir, "link.png"))).Problem);
        Assert.Equal(OutputProblem.Directory, Assert.Throws<OutputRefusedException>(() => set.Add(dir)).Problem);
        Assert.Equal(OutputProblem.Exists, Assert.Throws<OutputRefusedException>(() => set.Add(existing)).Problem);
        set.Add(Path.Combine(dir, "new.png"));
        Assert.Equal(OutputProblem.Duplicate, Assert.Throws<OutputRefusedException>(() => set.Add(Path.Combine(dir, ".", "new.png"))).Problem);
        Assert.Equal("old", File.ReadAllText(existing));
    }

    [Fact]
    public void Outputs_appear_together_at_commit_and_replace_only_when_allowed()
    {
        string dir = TestData.TempFolder(), a = Path.Combine(dir, "a.txt"), b = Path.Combine(dir, "b.txt");
        File.WriteAllText(b, "old");
        using (var set = new OutputSet(replace: true, []))
        {
            set.Add(a);
            set.Add(b);
            Assert.Equal(2, Leftovers(dir).Length); // created at Add: the folder is known to be writable before any work
            set.Write(a, AtomicFile.Text("A"));
            set.Write(b, AtomicFile.Text("B"));
            Assert.False(File.Exists(a));
            Assert.Equal("old", File.ReadAllText(b));
            set.Commit();
        }
        Assert.Equal("A", File.ReadAllText(a));
        Assert.Equal("B", File.ReadAllText(b));
        Assert.Empty(Leftovers(dir));
    }

    [Fact]
    public void A_file_that_appears_during_the_work_is_kept_and_nothing_else_is_left()
    {
        string dir = TestData.TempFolder(), a = Path.Combine(dir, "a.txt"), b = Path.Combine(dir, "b.txt");
        using var set = new OutputSet(replace: false, []);
        set.Add(a);
        set.Add(b);
        set.Write(a, AtomicFile.Text("A"));
        set.Write(b, AtomicFile.Text("B"));
        File.WriteAllText(b, "someone else's"); // another process creates b meanwhile
        var e = Assert.Throws<OutputRefusedException>(set.Commit);
        Assert.Equal(OutputProblem.Exists, e.Problem);
        Assert.Contains("b.txt", e.Message);
        Assert.False(File.Exists(a)); // all or nothing: a, created by this commit, is removed again
        Assert.Equal("someone else's", File.ReadAllText(b));
        set.Dispose();
        Assert.Empty(Leftovers(dir));
    }

    [Fact]
    public void Disposing_without_commit_leaves_the_disk_as_it_was()
    {
        string root = TestData.TempFolder(), folder = Path.Combine(root, "new", "deeper");
        using (var set = new OutputSet(replace: false, []))
        {
            set.AddFolder(folder);
            set.Write(Path.Combine(folder, "x.txt"), AtomicFile.Text("x"));
        }
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    /// <summary>Every output of every command: (command line with OUT where the output goes, the file OUT names inside the output, if OUT is a folder).</summary>
    public static TheoryData<string, string> EveryOutput => new()
    {
        { "transfer TARGET REFERENCE -o OUT", "" },
        { "transfer TARGET REFERENCE -o o.png --lut-out OUT", "" },
        { "transfer TARGET REFERENCE -o o.png --save-intermediates OUT", "attention.png" },
        { "regrain TARGET TARGET -o OUT", "" },
        { "superpixels TARGET -o OUT", "" },
        { "superpixels TARGET -o o.png --labels OUT", "" },
        { "apply TARGET --lut LUT -o OUT", "" },
        { "eval TARGET --size 32 --methods identity --out OUT", "results.csv" },
        { "eval --pairs PAIRS --size 32 --methods identity --out OUT", "pairs.csv" },
        { "bench TARGET REFERENCE --sizes 16x16 --runs 1 --json OUT", "" },
        { "batch REFERENCE TARGET -o OUT", "manifest.jsonl" },
        { "video TARGET REFERENCE -o OUT", "" },
    };

    private static string Extension(string template) =>
        template.Contains("--lut-out") ? ".cube" : template.Contains("--json") ? ".json" : template.StartsWith("video") ? ".mp4" : ".png";

    private static string[] Line(string template, string dir, string output)
    {
        string lut = Path.Combine(dir, "identity.cube"), pairs = Path.Combine(dir, "pairs.tsv");
        File.WriteAllText(lut, "LUT_3D_SIZE 2\n0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n");
        File.WriteAllText(pairs, $"target\treference\n{Target}\t{Reference}\n");
        return [.. template.Split(' ').Select(w => w switch
        {
            "TARGET" => Target, "REFERENCE" => Reference, "LUT" => lut, "PAIRS" => pairs, "OUT" => output,
            _ when w.Contains('.') && !w.StartsWith('-') => Path.Combine(dir, w),
            _ => w,
        })];
    }

    [Theory]
    [MemberData(nameof(EveryOutput))]
    public void No_command_replaces_an_existing_output_without_force(string template, string inside)
    {
        string dir = TestData.TempFolder();
        string output = Path.Combine(dir, inside.Length > 0 ? "out" : "out" + Extension(template));
        string existing = inside.Length > 0 ? Path.Combine(output, inside) : output;
        Directory.CreateDirectory(Path.GetDirectoryName(existing)!);
        File.WriteAllText(existing, "keep");
        var r = Gct.Run(Line(template, dir, output));
        Assert.True(r.ExitCode == 1, $"{template}: exit {r.ExitCode}\n{r.Stderr}");
        Assert.Contains("already exists", r.Stderr);
        Assert.Contains("--force", r.Stderr);
        Assert.Equal("keep", File.ReadAllText(existing));
        Assert.False(File.Exists(Path.Combine(dir, "o.png")), "a command wrote one output and refused another");
        Assert.DoesNotContain(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories), f => Path.GetFileName(f).StartsWith('.'));
    }

    [Theory]
    [MemberData(nameof(EveryOutput))]
    public void No_command_writes_an_input_reached_through_a_hard_link(string template, string inside)
    {
        string dir = TestData.TempFolder(), input = Path.Combine(dir, "input.jpg");
        File.Copy(Target, input);
        byte[] before = File.ReadAllBytes(input);
        string output = Path.Combine(dir, inside.Length > 0 ? "out" : "out" + Extension(template));
        string linked = inside.Length > 0 ? Path.Combine(output, inside) : output;
        Directory.CreateDirectory(Path.GetDirectoryName(linked)!);
        using (var ln = System.Diagnostics.Process.Start("ln", [input, linked])) ln.WaitForExit();
        var line = Line(template.Replace("TARGET", input), dir, output);
        if (template.StartsWith("eval --pairs")) File.WriteAllText(Path.Combine(dir, "pairs.tsv"), $"target\treference\n{input}\t{Reference}\n");
        var r = Gct.Run([.. line, "--force"]);
        Assert.True(r.ExitCode == 2, $"{template}: exit {r.ExitCode}\n{r.Stderr}");
        Assert.Contains("is also an input", r.Stderr);
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void A_second_output_that_cannot_be_written_is_found_before_the_work_and_nothing_is_written()
    {
        Assert.True(Directory.Exists("/sys/kernel"), "the test needs sysfs, where even root cannot create files");
        string dir = TestData.TempFolder(), image = Path.Combine(dir, "o.png");
        var r = Gct.Run("transfer", Target, Reference, "-o", image, "--lut-out", "/sys/gct-test.cube");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("/sys/gct-test.cube: cannot be written (permission denied)", r.Stderr);
        Assert.DoesNotContain("wrote", r.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void Force_replaces_regular_files_only_never_a_pipe_or_a_device()
    {
        string dir = TestData.TempFolder(), fifo = Path.Combine(dir, "out.png");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", fifo)) mk.WaitForExit();
        var r = Gct.Run("transfer", TestData.Sample("target.jpg"), TestData.Sample("reference.jpg"), "-o", fifo, "--force", "--device", "cpu");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("is a pipe, not a regular file", r.Stderr);
        var lut = Gct.Run("transfer", TestData.Sample("target.jpg"), TestData.Sample("reference.jpg"), "-o", Path.Combine(dir, "o.png"), "--lut-out", "/dev/null", "--force");
        Assert.Equal(2, lut.ExitCode);
        Assert.True(System.IO.File.Exists("/dev/null") && new FileInfo("/dev/null").Length == 0);
        Assert.False(System.IO.File.Exists(Path.Combine(dir, "o.png")));
    }

    [Fact]
    public void Replacing_two_outputs_is_all_or_nothing_even_when_the_second_cannot_be_named_at_commit()
    {
        string dir = TestData.TempFolder(), first = Path.Combine(dir, "image.png"), second = Path.Combine(dir, "look.cube");
        File.WriteAllText(first, "old image");
        using (var outputs = new OutputSet(replace: true, []))
        {
            outputs.Write(first, AtomicFile.Text("new image"));
            outputs.Write(second, AtomicFile.Text("new look"));
            Directory.CreateDirectory(second); // appears meanwhile: the second output can no longer be named
            File.WriteAllText(Path.Combine(second, "keep"), "x");
            Assert.Contains("is a directory", Assert.ThrowsAny<GctException>(outputs.Commit).Message);
        }
        Assert.Equal("old image", File.ReadAllText(first));
        Assert.Equal(["image.png", "look.cube"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order());

        // Without the obstacle both are replaced, and no backup is left.
        Directory.Delete(second, recursive: true);
        File.WriteAllText(second, "old look");
        using (var outputs = new OutputSet(replace: true, []))
        {
            outputs.Write(first, AtomicFile.Text("new image"));
            outputs.Write(second, AtomicFile.Text("new look"));
            outputs.Commit();
        }
        Assert.Equal(("new image", "new look"), (File.ReadAllText(first), File.ReadAllText(second)));
        Assert.Equal(2, Directory.GetFiles(dir).Length);
    }

    [Fact]
    public void A_backup_left_by_a_killed_process_is_put_back_by_the_next_write()
    {
        string dir = TestData.TempFolder(), output = Path.Combine(dir, "image.png");
        int dead = DeadProcessId();
        // The killed process had set the earlier file aside and not yet placed the new one.
        File.WriteAllText(Path.Combine(dir, $"{StagedFile.TemporaryPrefix("image.png")}{dead}.{Guid.NewGuid():N}.bak"), "earlier");
        using (new StagedFile(output)) { }
        Assert.Equal("earlier", File.ReadAllText(output));
        Assert.Equal(["image.png"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_long_but_legal_output_name_is_written()
    {
        string dir = TestData.TempFolder(), name = new string('x', 246) + ".png", output = Path.Combine(dir, name);
        var r = Gct.Run("transfer", TestData.Sample("target.jpg"), TestData.Sample("reference.jpg"), "-o", output, "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal([name], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    private static int DeadProcessId()
    {
        using var p = System.Diagnostics.Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }
}
