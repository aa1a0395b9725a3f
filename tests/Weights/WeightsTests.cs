using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Engine.Weights;

namespace GpuColorTransfer.Tests.Weights;

/// <summary>The built-in weights, a folder that overrides them, and their verification.</summary>
public class WeightsTests
{
    [Fact]
    public void The_built_in_weights_and_the_repository_copy_match_the_checksums()
    {
        Assert.Equal(6, WeightStore.Manifest.Count);
        Assert.Empty(WeightStore.Verify(null));
        Assert.Empty(WeightStore.Verify(TestData.WeightsFolder));
        // The checksums compiled in are the published ones (weights/README.md): one spot check
        // against the text, independent of how the manifest is read.
        Assert.Contains(WeightStore.Manifest, m => m.File == "group1-shard1of1" && m.Sha256.StartsWith("c68eefa00d6af917", StringComparison.Ordinal));
    }

    [Fact]
    public void A_folder_overrides_the_built_in_copy_and_loads_the_same_network()
    {
        var folder = WeightStore.Load(TestData.WeightsFolder);
        var builtIn = VggNetwork.Load(WeightStore.OpenEmbedded, "built-in");
        Assert.Equal(5, folder.Layers.Count);
        for (int l = 0; l < 5; l++)
        {
            Assert.Equal(builtIn.Layers[l].Kernel, folder.Layers[l].Kernel);
            Assert.Equal(builtIn.Layers[l].Bias, folder.Layers[l].Bias);
        }
        // conv1_1: 3 -> 64, conv3_1: 128 -> 256 (VGG-19 configuration E).
        Assert.Equal((3, 64), (folder.Layers[0].InChannels, folder.Layers[0].OutChannels));
        Assert.Equal((128, 256), (folder.Layers[4].InChannels, folder.Layers[4].OutChannels));
    }

    [Fact]
    public void Verify_names_a_missing_or_damaged_file_and_a_damaged_folder_is_refused()
    {
        string dir = TestData.TempFolder();
        foreach (var (file, _) in WeightStore.Manifest) File.Copy(Path.Combine(TestData.WeightsFolder, file), Path.Combine(dir, file));
        File.Delete(Path.Combine(dir, "group1-shard1of1"));
        using (var s = File.OpenWrite(Path.Combine(dir, "group5-shard1of1"))) s.SetLength(1000);
        var problems = WeightStore.Verify(dir);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("group1-shard1of1") && p.Contains("missing"));
        Assert.Contains(problems, p => p.Contains("group5-shard1of1") && p.Contains("SHA-256"));
        var e = Assert.Throws<GctException>(() => WeightStore.Load(dir));
        Assert.Contains("group1-shard1of1", e.Message);
        Assert.Contains("(and 1 more)", e.Message);
    }

    [Fact]
    public void A_transfer_needs_no_weights_folder_no_network_and_no_home()
    {
        string home = TestData.TempFolder(), output = Path.Combine(home, "out.png");
        var env = new Dictionary<string, string?> { ["HOME"] = home, ["XDG_CACHE_HOME"] = null, ["http_proxy"] = "http://127.0.0.1:9", ["https_proxy"] = "http://127.0.0.1:9" };
        var run = Gct.Run(env, "transfer", TestData.Sample("target.jpg"), TestData.Sample("reference.jpg"), "-o", output, "--superpixels", "200");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(File.Exists(output));
        Assert.Equal([output], Directory.GetFileSystemEntries(home));
    }

    [Fact]
    public void Verify_command_checks_the_built_in_copy_or_a_folder()
    {
        var ok = Gct.Run("weights", "verify");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("built-in weights: all 6 files present and verified", ok.Stdout);
        var bad = Gct.Run("weights", "verify", TestData.TempFolder());
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("model.json: missing", bad.Stderr);
    }
}
