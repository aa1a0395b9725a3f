using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Batch;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Tests;

/// <summary>The engine as a library: the README's sample, backend selection, progress and typed errors.</summary>
public class LibraryTests
{
    [Fact]
    public void The_readme_sample_recolours_an_image_and_is_the_one_in_the_readme()
    {
        string output = Path.Combine(TestData.TempFolder(), "result.jpg");
        string target = TestData.Sample("target.jpg"), reference = TestData.Sample("reference.jpg");
        // README sample begin
        using var engine = ColorTransferEngine.Create();
        var result = engine.Transfer(ImageCodec.Decode(target), ImageCodec.Decode(reference));
        ImageCodec.Encode(result, output);
        // README sample end
        var written = ImageCodec.Decode(output);
        var original = ImageCodec.Decode(target);
        Assert.Equal((original.Width, original.Height), (written.Width, written.Height));
        Assert.True(Metrics.Psnr8(original, written) < 30, "the sample did not change the colours");

        var sample = File.ReadAllLines(Path.Combine(TestData.RepositoryRoot, "tests", "LibraryTests.cs"))
            .SkipWhile(l => !l.Contains("README sample begin")).Skip(1).TakeWhile(l => !l.Contains("README sample end")).Select(l => l.Trim()).ToArray();
        string readme = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "README.md"));
        Assert.Equal(3, sample.Length);
        foreach (string line in sample) Assert.Contains(line, readme);
    }

    [Fact]
    public void The_readme_folder_sample_grades_a_folder_as_gct_batch_does_and_is_the_one_in_the_readme()
    {
        string dir = TestData.TempFolder(), shoot = Path.Combine(dir, "shoot");
        Directory.CreateDirectory(shoot);
        File.Copy(TestData.Image("castle_day.jpg"), Path.Combine(shoot, "a.jpg"));
        File.Copy(TestData.Image("dune_sea.jpg"), Path.Combine(shoot, "b.jpg"));
        File.Copy(TestData.Sample("reference.jpg"), Path.Combine(dir, "look.jpg"));
        string reference = Path.Combine(dir, "look.jpg"), folder = shoot, output = Path.Combine(dir, "graded");
        // README folder sample begin
        var report = new BatchJob { Reference = reference, Inputs = [folder], OutputFolder = output }.Run();
        Console.WriteLine($"{report.Done} written, {report.Failed.Count} failed; manifest {report.ManifestPath}");
        // README folder sample end
        Assert.Equal(2, report.Done);
        var cli = Gct.Run("batch", Path.Combine(dir, "look.jpg"), shoot, "-o", Path.Combine(dir, "cli"), "--device", "cpu");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        foreach (string name in new[] { "a.jpg", "b.jpg" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "cli", name)), File.ReadAllBytes(Path.Combine(dir, "graded", name)));

        var sample = File.ReadAllLines(Path.Combine(TestData.RepositoryRoot, "tests", "LibraryTests.cs"))
            .SkipWhile(l => !l.Contains("README folder sample begin")).Skip(1).TakeWhile(l => !l.Contains("README folder sample end")).Select(l => l.Trim()).ToArray();
        string readme = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "README.md"));
        Assert.Equal(2, sample.Length);
        foreach (string line in sample) Assert.Contains(line, readme);
    }

    [Fact]
    public void Auto_says_why_it_runs_on_the_cpu()
    {
        using var engine = ColorTransferEngine.Create(new EngineOptions { Device = DevicePreference.Auto });
        if (DeviceInventory.List().Any(d => d.Kind == "Cuda")) return; // a machine with a GPU: nothing falls back
        Assert.Equal("no CUDA device found", engine.FallbackReason);
        Assert.StartsWith("cpu", engine.Backend.Name);
        using var cpu = ColorTransferEngine.Create(new EngineOptions { Device = DevicePreference.Cpu });
        Assert.Null(cpu.FallbackReason);
    }

    [Fact]
    public void Cuda_without_a_gpu_is_a_typed_error_that_names_no_option()
    {
        if (DeviceInventory.List().Any(d => d.Kind == "Cuda")) return;
        var e = Assert.Throws<DeviceException>(() => ColorTransferEngine.Create(new EngineOptions { Device = DevicePreference.Cuda }));
        Assert.Equal(DeviceProblem.Unavailable, e.Problem);
        Assert.DoesNotContain("--", e.Message);
    }

    [Fact]
    public void Progress_reports_every_stage_start_and_end_in_order()
    {
        var reports = new List<TransferProgress>();
        using var engine = ColorTransferEngine.Create(new EngineOptions { Device = DevicePreference.Cpu, Settings = new TransferSettings { Superpixels = 60 } });
        engine.Transfer(TestData.Photo("castle_day.jpg", 64), TestData.Photo("sunset_clouds.jpg", 56), new Recorder(reports));
        var stages = new ColorTransfer(engine.Backend, TestData.Network, new TransferSettings()).Stages;
        Assert.Equal(2 * stages.Count, reports.Count);
        for (int i = 0; i < stages.Count; i++)
        {
            Assert.Equal((stages[i], i, false), (reports[2 * i].Stage, reports[2 * i].StageIndex, reports[2 * i].Finished));
            Assert.Equal((stages[i], i, true), (reports[2 * i + 1].Stage, reports[2 * i + 1].StageIndex, reports[2 * i + 1].Finished));
        }
        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Fraction <= p.Second.Fraction));
    }

    [Fact]
    public void Every_method_runs_through_the_engine_and_an_unknown_one_is_refused()
    {
        var target = TestData.Photo("glacier.jpg", 48);
        foreach (string method in Engine.Methods.MethodRegistry.NamesWithIdentity)
        {
            using var engine = ColorTransferEngine.Create(new EngineOptions { Method = method, Device = DevicePreference.Cpu, Settings = new TransferSettings { Superpixels = 40 } });
            var result = engine.Transfer(target, TestData.Photo("desert_canyon.jpg", 40));
            Assert.Equal((target.Width, target.Height), (result.Width, result.Height));
            Assert.All(result.Planes, v => Assert.InRange(v, 0f, 1f));
        }
        var e = Assert.Throws<ArgumentException>(() => ColorTransferEngine.Create(new EngineOptions { Method = "sct" }));
        Assert.Contains("carrillo", e.Message);
    }

    private sealed class Recorder(List<TransferProgress> into) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => into.Add(value);
    }
}
