using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Tests.Cli;

/// <summary>The `gct` command as a user meets it: exit codes, messages, files written.</summary>
public class CliTests
{
    private static readonly string Target = TestData.Sample("target.jpg");
    private static readonly string Reference = TestData.Sample("reference.jpg");

    private static void AssertOneLineError(Gct.Result r, int code, params string[] fragments)
    {
        Assert.Equal(code, r.ExitCode);
        Assert.DoesNotContain("   at ", r.Stderr);
        foreach (var f in fragments) Assert.Contains(f, r.Stderr);
    }

    [Theory]
    [InlineData("--tau", "-1", "--tau must be a number greater than 0")]
    [InlineData("--superpixels", "0", "--superpixels must be a whole number between 1 and 2147483647")]
    [InlineData("--layers", "relu9_9", "valid layers: relu1_1")]
    [InlineData("--fusion-sigma", "-3", "'auto' or a number greater than 0")]
    [InlineData("--fusion-covariance", "mine", "mine")]
    [InlineData("--quality", "101", "between 1 and 100")]
    [InlineData("--device", "gpu", "gpu")]
    public void Out_of_range_options_are_usage_errors_naming_the_valid_range(string option, string value, string message)
    {
        var r = Gct.Run("transfer", Target, Reference, "-o", Path.Combine(TestData.TempFolder(), "o.png"), option, value);
        AssertOneLineError(r, 2, message);
    }

    [Fact]
    public void Missing_arguments_and_unknown_commands_are_usage_errors()
    {
        AssertOneLineError(Gct.Run("transfer", Target), 2, "--help");
        AssertOneLineError(Gct.Run("colorize"), 2);
        AssertOneLineError(Gct.Run("transfer", Target, Reference, "-o", Path.Combine(TestData.TempFolder(), "o.tiff")), 2, "o.tiff", ".png");
    }

    [Fact]
    public void A_missing_input_fails_with_the_file_name_and_writes_nothing()
    {
        string dir = TestData.TempFolder(), output = Path.Combine(dir, "o.png");
        var r = Gct.Run("transfer", Path.Combine(dir, "nope.jpg"), Reference, "-o", output);
        AssertOneLineError(r, 1, "nope.jpg", "no such file");
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void An_existing_output_needs_force_and_an_input_is_never_overwritten()
    {
        string dir = TestData.TempFolder(), output = Path.Combine(dir, "o.png");
        File.WriteAllText(output, "keep");
        AssertOneLineError(Gct.Run("transfer", Target, Reference, "-o", output), 1, "--force");
        Assert.Equal("keep", File.ReadAllText(output));
        AssertOneLineError(Gct.Run("transfer", Target, Reference, "-o", Target, "--force"), 2, "is also an input");
    }

    [Fact]
    public void An_output_folder_that_is_missing_or_unwritable_is_a_clear_error()
    {
        string missing = Path.Combine(TestData.TempFolder(), "no", "such", "o.png");
        AssertOneLineError(Gct.Run("regrain", Target, Target, "-o", missing), 1, "does not exist");
        // Found before any work: one line, no backend note, no transfer.
        AssertOneLineError(Gct.Run("transfer", Target, Reference, "-o", missing), 1, "does not exist");
        // /proc accepts no new files, even from root.
        AssertOneLineError(Gct.Run("regrain", Target, Target, "-o", "/proc/gct-test-output.png"), 1, "/proc/gct-test-output.png", "cannot be written");
    }

    /// <summary>Every numeric option of every command, each given values that do not parse or lie outside any range.</summary>
    public static TheoryData<string, string> NumericOptions => new()
    {
        { "transfer", "--superpixels" }, { "transfer", "--superpixel-factor" }, { "transfer", "--tau" }, { "transfer", "--attention-top" },
        { "transfer", "--delta-s" }, { "transfer", "--delta-c" }, { "transfer", "--smoothness" }, { "transfer", "--tile-size" },
        { "transfer", "--work-size" }, { "transfer", "--lattice-size" }, { "transfer", "--lattice-smoothness" }, { "transfer", "--strength" },
        { "transfer", "--quality" }, { "transfer", "--max-pixels" }, { "transfer", "--lut-out-size" },
        { "regrain", "--smoothness" }, { "regrain", "--max-pixels" }, { "superpixels", "--superpixels" }, { "superpixels", "--superpixel-factor" },
        { "apply", "--strength" }, { "apply", "--quality" }, { "eval", "--size" }, { "bench", "--runs" },
    };

    [Theory]
    [MemberData(nameof(NumericOptions))]
    public void A_value_that_does_not_parse_or_is_out_of_range_is_a_usage_error_naming_the_option(string command, string option)
    {
        string[] inputs = command switch
        {
            "transfer" or "bench" or "regrain" => [Target, Reference],
            "eval" => [TestData.Image("castle_day.jpg")],
            _ => [Target],
        };
        string[] extra = command switch
        {
            "bench" or "eval" => [],
            "apply" => ["--lut", "x.cube", "-o", "o.png"],
            _ => ["-o", "o.png"],
        };
        foreach (string value in new[] { "abc", "nan", "inf", "-1e999", "99999999999999999999", "1,5" })
        {
            var r = Gct.Run([command, .. inputs, .. extra, option, value]);
            Assert.True(r.ExitCode == 2, $"{command} {option} {value}: exit {r.ExitCode}\n{r.Stderr}");
            Assert.Contains($"{option} must be", r.Stderr);
            Assert.Contains($"not '{value}'", r.Stderr);
            Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
        }
    }

    [Fact]
    public void A_file_name_that_starts_with_a_dash_is_explained()
    {
        string dir = TestData.TempFolder();
        File.Copy(Target, Path.Combine(dir, "-v"));
        File.Copy(Target, Path.Combine(dir, "-t.jpg"));
        // "-v" is --verbose's short form: the usage error says how to name such a file.
        var r = Gct.RunIn(dir, null, "transfer", "-v", Reference, "-o", "o.png");
        AssertOneLineError(r, 2, "'-v' is read as an option", "./-v", "'--'");
        // "-v.jpg" parses as the flag -v and the operand ".jpg": refused with the same advice, nothing read.
        File.Copy(Target, Path.Combine(dir, "-v.jpg"));
        AssertOneLineError(Gct.RunIn(dir, null, "transfer", "-v.jpg", Reference, "-o", "v.png", "--device", "cpu"), 2, "'-v.jpg' is read as an option", "./-v.jpg");
        Assert.Equal(0, Gct.RunIn(dir, null, "transfer", "./-v.jpg", Reference, "-o", "v.png", "--device", "cpu").ExitCode);
        // A name that is no option is an operand; after "--" any name is.
        Assert.Equal(0, Gct.RunIn(dir, null, "transfer", "-t.jpg", Reference, "-o", "a.png", "--device", "cpu").ExitCode);
        Assert.Equal(0, Gct.RunIn(dir, null, "transfer", "-o", "b.png", "--device", "cpu", "--", "-v", Reference).ExitCode);
        Assert.True(File.Exists(Path.Combine(dir, "a.png")) && File.Exists(Path.Combine(dir, "b.png")));
        // Files named like real options ("-o", "--device") in the folder change nothing when the command line parses.
        File.Copy(Target, Path.Combine(dir, "-o"));
        File.Copy(Target, Path.Combine(dir, "--device"));
        var options = Gct.RunIn(dir, null, "transfer", "./-t.jpg", Reference, "-o", "c.png", "--device", "cpu");
        Assert.True(options.ExitCode == 0, options.Stderr);
    }

    [Theory]
    [InlineData("transfer", "", "REF", "-o", "e.png")]
    [InlineData("apply", "TARGET", "--lut", "", "-o", "e.png")]
    [InlineData("batch", "REF", "", "-o", "out")]
    [InlineData("video", "", "REF", "-o", "e.mp4")]
    [InlineData("steadiness", "", "TARGET")]
    public void An_empty_path_is_a_usage_error(params string[] args)
    {
        string dir = TestData.TempFolder();
        var r = Gct.RunIn(dir, null, [.. args.Select(a => a == "REF" ? Reference : a == "TARGET" ? Target : a)]);
        AssertOneLineError(r, 2, "a path given is empty");
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void An_input_reached_through_a_link_is_never_an_output()
    {
        string dir = TestData.TempFolder(), input = Path.Combine(dir, "in", "t.png");
        Directory.CreateDirectory(Path.GetDirectoryName(input)!);
        File.Copy(TestData.Image("cat_chelsea.png"), input);
        byte[] before = File.ReadAllBytes(input);
        Directory.CreateSymbolicLink(Path.Combine(dir, "folder-link"), Path.Combine(dir, "in"));
        File.CreateSymbolicLink(Path.Combine(dir, "file-link.png"), input);
        using (var ln = System.Diagnostics.Process.Start("ln", [input, Path.Combine(dir, "hard-link.png")])) ln.WaitForExit();
        foreach (string output in new[] { Path.Combine(dir, "folder-link", "t.png"), Path.Combine(dir, "file-link.png"), Path.Combine(dir, "hard-link.png") })
        {
            AssertOneLineError(Gct.Run("transfer", input, Reference, "-o", output, "--force"), 2, "is also an input");
            AssertOneLineError(Gct.Run("apply", input, "--lut", "x.cube", "-o", output, "--force"), 2, "is also an input");
        }
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void The_temporary_file_of_a_killed_process_is_removed_by_the_next_write()
    {
        string dir = TestData.TempFolder(), output = Path.Combine(dir, "o.png");
        // What SIGKILL leaves during a write: ".NAME.PID.GUID.tmp" of a process that no longer runs.
        int dead;
        using (var gone = System.Diagnostics.Process.Start("true")!) { gone.WaitForExit(); dead = gone.Id; }
        string leftover = Path.Combine(dir, $".o.png.{dead}.0123456789abcdef.tmp");
        string running = Path.Combine(dir, $".o.png.{Environment.ProcessId}.0123456789abcdef.tmp");
        File.WriteAllText(leftover, "partial");
        File.WriteAllText(running, "being written by a running process");
        var r = Gct.Run("regrain", Target, Target, "-o", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.False(File.Exists(leftover), "the dead process's temporary file is still there");
        Assert.True(File.Exists(running), "a running process's temporary file was removed");
    }

    [Fact]
    public void Contradicting_regrain_flags_are_a_usage_error()
    {
        AssertOneLineError(Gct.Run("transfer", Target, Reference, "-o", Path.Combine(TestData.TempFolder(), "o.png"), "--regrain", "--no-regrain"), 2, "contradict");
    }

    [Fact]
    public void Help_explains_every_option_with_its_default()
    {
        var r = Gct.Run("transfer", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var option in new[] { "--superpixels", "--superpixel-factor", "--layers", "--tau", "--delta-s", "--delta-c", "--fusion-covariance",
                     "--fusion-sigma", "--fusion-radius", "--no-regrain", "--smoothness", "--weights", "--save-intermediates", "--quality",
                     "--render", "--work-size", "--color-map", "--lattice-size", "--lattice-smoothness", "--strength", "--lut-out", "--lut-out-size" })
            Assert.Contains(option, r.Stdout);
        Assert.Contains("0.015", r.Stdout);
        Assert.Contains("relu1_1", r.Stdout);
    }

    [Fact]
    public void Transfer_writes_the_result_and_the_intermediate_pictures()
    {
        string dir = TestData.TempFolder(), output = Path.Combine(dir, "out.jpg"), steps = Path.Combine(dir, "steps");
        var r = Gct.Run("transfer", Target, Reference, "-o", output, "--save-intermediates", steps, "--verbose");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var result = ImageCodec.Decode(output);
        var target = ImageCodec.Decode(Target);
        Assert.Equal((target.Width, target.Height), (result.Width, result.Height));
        foreach (var stage in new[] { "resize", "slic target", "super-features target", "attention", "fusion", "fit", "render", "total" })
            Assert.Contains(stage, r.Stderr);
        foreach (var name in new[] { "superpixels_target", "superpixels_reference", "direct_matching", "attention", "fused_before_regrain" })
            Assert.True(File.Exists(Path.Combine(steps, name + ".png")), name);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void The_same_inputs_and_options_give_byte_identical_files()
    {
        string dir = TestData.TempFolder(), a = Path.Combine(dir, "a.png"), b = Path.Combine(dir, "b.png");
        Assert.Equal(0, Gct.Run("transfer", Target, Reference, "-o", a, "--superpixels", "400").ExitCode);
        Assert.Equal(0, Gct.Run("transfer", Target, Reference, "-o", b, "--superpixels", "400").ExitCode);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void Eval_writes_the_table_the_csv_the_json_and_the_contact_sheets()
    {
        string dir = TestData.TempFolder();
        var r = Gct.Run("eval", TestData.Image("castle_day.jpg"), "--methods", "identity,reinhard,mkl", "--size", "96", "--gradings", "wb,fade", "--out", dir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("reinhard", r.Stdout);
        Assert.Equal(1 + 3 * 2 * 2, File.ReadAllLines(Path.Combine(dir, "results.csv")).Length);
        Assert.Contains("medianDeltaE00", File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dir, "sheets"), "*.png").Length);
    }

    [Fact]
    public void Eval_of_free_pairs_scores_each_method_beside_the_identity_anchor()
    {
        string dir = TestData.TempFolder(), file = Path.Combine(dir, "pairs.tsv");
        File.WriteAllText(file, $"target\treference\tintent\n{TestData.Image("glacier.jpg")}\t{TestData.Image("desert_canyon.jpg")}\tstrong change\n");
        var r = Gct.Run("eval", "--pairs", file, "--methods", "mkl", "--size", "96", "--out", dir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("identity", r.Stdout);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "pairs.csv")).Length);
        Assert.True(File.Exists(Path.Combine(dir, "pairs.png")));
        AssertOneLineError(Gct.Run("eval", "--pairs", file, TestData.Image("glacier.jpg")), 2, "either IMAGES");
    }

    [Fact]
    public void The_paper_preset_is_the_papers_settings_and_explicit_options_override_a_preset()
    {
        string dir = TestData.TempFolder();
        string Run(string name, params string[] options)
        {
            string output = Path.Combine(dir, name + ".png");
            var r = Gct.Run(["transfer", Target, Reference, "-o", output, "--superpixels", "300", .. options]);
            Assert.True(r.ExitCode == 0, r.Stderr);
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(output)));
        }
        string paper = Run("paper", "--preset", "paper");
        Assert.Equal(paper, Run("explicit", "--fusion-mode", "colour", "--fusion-radius", "all", "--render", "local", "--feature-input", "colour", "--tau", "0.02"));
        string standard = Run("default");
        Assert.NotEqual(paper, standard);
        Assert.Equal(standard, Run("paper-overridden", "--preset", "paper", "--fusion-mode", "shift", "--fusion-radius", "0.3", "--render", "global",
            "--feature-input", "both", "--tau", "0.015"));
    }

    [Fact]
    public void Bench_times_every_stage_at_each_size_and_writes_json()
    {
        string json = Path.Combine(TestData.TempFolder(), "bench.json");
        var r = Gct.Run("bench", Target, Reference, "--sizes", "96x64,64x48", "--runs", "2", "--json", json);
        Assert.True(r.ExitCode == 0, r.Stderr);
        foreach (var stage in new[] { "slic target", "super-features reference", "attention", "fusion", "fit", "render", "decode (apart)", "encode (apart)", "96x64", "64x48", "MP/s" })
            Assert.Contains(stage, r.Stdout);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(2, doc.RootElement.GetProperty("sizes").GetArrayLength());
        Assert.True(doc.RootElement.GetProperty("sizes")[0].GetProperty("medianTotalMs").GetDouble() > 0);
        AssertOneLineError(Gct.Run("bench", Target, Reference, "--sizes", "12xx"), 2, "--sizes");
    }

    [Theory]
    [InlineData("transfer")]
    [InlineData("regrain")]
    [InlineData("superpixels")]
    public void Asking_for_cuda_without_a_cuda_device_is_a_clear_error(string command)
    {
        if (Engine.Backends.DeviceInventory.List().Any(d => d.Kind == "Cuda")) return; // a machine with a GPU has nothing to refuse
        string[] inputs = command == "superpixels" ? [Target] : [Target, command == "regrain" ? Target : Reference];
        var r = Gct.Run([command, .. inputs, "-o", Path.Combine(TestData.TempFolder(), "o.png"), "--device", "cuda"]);
        AssertOneLineError(r, 1, "no CUDA device", "--device cpu");
    }

    [Fact]
    public void Compare_reports_psnr_and_delta_e_and_refuses_different_sizes()
    {
        var same = Gct.Run("compare", Target, Target);
        Assert.Equal(0, same.ExitCode);
        Assert.Contains("PSNR Infinity dB, mean CIEDE2000 0.0000", same.Stdout.Replace("∞", "Infinity"));
        AssertOneLineError(Gct.Run("compare", Target, Reference), 1, "same size");
    }

    [Fact]
    public void Devices_lists_at_least_the_cpu()
    {
        var r = Gct.Run("devices");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"\n\s*0 CPU\s+host", r.Stdout);
    }

    [Fact]
    public void Superpixels_writes_the_overlay_and_a_16_bit_label_map()
    {
        string dir = TestData.TempFolder(), output = Path.Combine(dir, "sp.png"), labels = Path.Combine(dir, "labels.png");
        var r = Gct.Run("superpixels", Target, "-o", output, "--labels", labels, "--superpixels", "300");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.True(File.Exists(output));
        int count = int.Parse(r.Stdout.Split(' ')[0]);
        Assert.InRange(count, 255, 345);
        var map = ImageCodec.Decode(labels);
        int max = (int)Math.Round(map.Planes.Take(map.PixelCount).Max() * 65535);
        Assert.Equal(count - 1, max);
    }
}
