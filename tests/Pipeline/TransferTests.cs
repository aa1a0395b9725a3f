using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends.Cpu;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Tests.Pipeline;

/// <summary>The whole pipeline on real photos.</summary>
public class TransferTests
{
    private static RgbImage Transfer(RgbImage target, RgbImage reference, TransferSettings? settings = null)
    {
        using var engine = TestData.CpuEngine(settings);
        return engine.Transfer(target, reference);
    }

    [Theory]
    [InlineData("castle_day.jpg")]
    [InlineData("forest_path.jpg")]
    public void Self_transfer_changes_the_image_little(string photo)
    {
        var img = TestData.Photo(photo, 192);
        var result = Transfer(img, img);
        double psnr = Metrics.Psnr8(result, img);
        Assert.True(psnr >= 30, $"self-transfer PSNR {psnr:F2} dB < 30 dB");
    }

    [Theory]
    [InlineData("glacier.jpg", "desert_canyon.jpg")]
    [InlineData("green_hills_sky.jpg", "sunset_clouds.jpg")]
    [InlineData("desert_canyon.jpg", "snow_trees.jpg")]
    public void A_real_pair_keeps_the_target_size_and_moves_colours_towards_the_reference(string target, string reference)
    {
        Assert.Contains($"{target}\t{reference}", File.ReadAllText(TestData.Image("pairs.tsv")));
        var t = TestData.Photo(target, 200);
        var r = TestData.Photo(reference, 170);
        var result = Transfer(t, r);
        Assert.Equal((t.Width, t.Height), (result.Width, result.Height));
        Assert.All(result.Planes, v => Assert.InRange(v, 0f, 1f));
        var refLab = Metrics.Lab(r);
        double before = Metrics.SlicedWasserstein(Metrics.Lab(t), refLab);
        double after = Metrics.SlicedWasserstein(Metrics.Lab(result), refLab);
        Assert.True(after < before, $"sliced Wasserstein distance to the reference {after:F2} is not below the target's {before:F2}");
    }

    [Fact]
    public void Every_option_variant_runs_and_output_is_deterministic()
    {
        var t = TestData.Photo("snow_trees.jpg", 96);
        var r = TestData.Photo("sea_sunset_boats.jpg", 80);
        TransferSettings[] variants =
        [
            new() { Layers = [FeatureTap.Relu1_2, FeatureTap.Relu2_2, FeatureTap.Relu3_1], TileSize = 32 },
            new() { Pooling = FeaturePooling.Max, Centring = Centring.Vector },
            new() { FusionCovariance = FusionCovariance.Own, FusionSigma = 5f, FusionRadius = null },
            new() { Regrain = false, Superpixels = 40 },
            new() { FusionMode = FusionMode.Statistics, AttentionTopK = 3 },
            new() { FusionMode = FusionMode.Colour, Render = RenderMode.Local },
            new() { Render = RenderMode.Local, Strength = 0.5f },
            new() { ColorMap = ColorMapKind.Lattice, LatticeSize = 9, WorkMegapixels = 0.002 },
        ];
        foreach (var s in variants)
        {
            var a = Transfer(t, r, s);
            var b = Transfer(t, r, s);
            Assert.Equal(a.Planes, b.Planes);
            Assert.All(a.Planes, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Theory]
    [InlineData(6028, 3391, 0.1)]
    [InlineData(3840, 2160, 0.25)]
    [InlineData(100000, 3, 0.1)]
    [InlineData(300, 200, 0.1)]
    public void The_working_size_keeps_the_aspect_holds_the_area_and_never_enlarges(int w, int h, double megapixels)
    {
        var (ww, wh) = new TransferSettings { WorkMegapixels = megapixels }.WorkingSize(w, h);
        Assert.True(ww <= w && wh <= h && ww >= 1 && wh >= 1);
        if ((double)w * h <= megapixels * 1e6)
        {
            Assert.Equal((w, h), (ww, wh));
            return;
        }
        // Both sides scaled by one factor s with s^2 w h = the working area, each rounded (at least 1 px).
        double s = Math.Sqrt(megapixels * 1e6 / ((double)w * h));
        Assert.InRange(ww, Math.Max(1, w * s - 0.5), Math.Max(1, w * s + 0.5));
        Assert.InRange(wh, Math.Max(1, h * s - 0.5), Math.Max(1, h * s + 0.5));
    }

    [Fact]
    public void Alpha_of_the_target_is_kept()
    {
        var t = TestData.Photo("castle_day.jpg", 64);
        t.Alpha = Enumerable.Range(0, t.PixelCount).Select(i => (i % 7) / 6f).ToArray();
        var result = Transfer(t, TestData.Photo("city_night_bridge.jpg", 64));
        Assert.Equal(t.Alpha, result.Alpha);
    }
}
