using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;
using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Tests.Pipeline;

/// <summary>Colourisation: telling a grey target, keeping its lightness, giving it the reference's chroma.</summary>
public class ColorizationTests
{
    private static RgbImage Grey(RgbImage image) => Colorization.Luma(image);

    [Fact]
    public void A_grey_image_is_told_from_a_colour_one_within_the_codecs_noise()
    {
        Assert.True(Colorization.IsGrey(ImageCodec.Decode(Path.Combine(TestData.RepositoryRoot, "tests", "assets", "gray.jpg"))));
        var photo = TestData.Photo("castle_day.jpg", 200);
        Assert.False(Colorization.IsGrey(photo));
        var grey = Grey(photo);
        Assert.True(Colorization.IsGrey(grey));
        // A grey saved as a colour JPEG: its channels differ by the codec's rounding only.
        string path = Path.Combine(TestData.TempFolder(), "grey.jpg");
        ImageCodec.Encode(grey, path, 90);
        Assert.True(Colorization.IsGrey(ImageCodec.Decode(path)));
        // A faint tone is not grey.
        var toned = grey.Clone();
        for (int i = 0; i < toned.PixelCount; i++) toned.Planes[i] = Math.Min(1f, toned.Planes[i] + 0.03f);
        Assert.False(Colorization.IsGrey(toned));
    }

    [Fact]
    public void The_guided_filter_keeps_the_guides_edges_and_smooths_noise_on_either_side()
    {
        // Guide: a step in lightness; input: a chroma step at the same place plus noise.
        int w = 60, h = 40, n = w * h;
        var random = new Random(7);
        var guide = new float[n];
        var input = new float[n];
        for (int i = 0; i < n; i++)
        {
            bool right = i % w >= w / 2;
            guide[i] = right ? 80 : 20;
            input[i] = (right ? 30 : -20) + (float)(random.NextDouble() - 0.5) * 10;
        }
        var output = new float[n];
        GuidedFilter.Apply(guide, input, output, w, h, 4, 25);
        double Error(float[] x, int column) => Enumerable.Range(0, h).Average(y => Math.Abs(x[y * w + column] - (column >= w / 2 ? 30 : -20)));
        foreach (int column in new[] { 5, w / 2 - 1, w / 2, w - 5 }) // the two pixels at the edge included
            Assert.True(Error(output, column) < Error(input, column) / 2, $"column {column}: {Error(output, column):F2} vs {Error(input, column):F2}");
        // Radius 0: the input itself.
        GuidedFilter.Apply(guide, input, output, w, h, 0, 25);
        Assert.Equal(input, output);
    }

    [Fact]
    public void A_grey_target_keeps_its_lightness_and_takes_colour_and_no_colorize_gives_the_colour_transfer()
    {
        var target = Grey(TestData.Photo("forest_path.jpg", 240));
        var reference = TestData.Photo("dusk_rocket.jpg", 240);
        using var engine = TestData.CpuEngine();
        var output = engine.Transfer(target, reference);
        Assert.True(engine.Colorized);
        var lab = Reinhard.ToLab(output);
        var truth = Reinhard.ToLab(target);
        int n = target.PixelCount;
        double lightness = Enumerable.Range(0, n).Average(i => Math.Abs(lab[i] - truth[i]));
        double chroma = Enumerable.Range(0, n).Average(i => Math.Sqrt(lab[n + i] * lab[n + i] + lab[2 * n + i] * lab[2 * n + i]));
        Assert.InRange(lightness, 0, 1.0); // the target's own lightness (gamut clipping aside)
        Assert.True(chroma > 5, $"mean chroma {chroma:F1}: the output stayed grey");

        using var never = TestData.CpuEngine(new TransferSettings { Colorize = ColorizeMode.Never });
        var cast = never.Transfer(target, reference);
        Assert.False(never.Colorized);
        Assert.NotEqual(output.Planes, cast.Planes);
    }

    [Fact]
    public void The_cli_colourises_a_grey_file_with_a_note_and_colorize_forces_it_on_a_toned_one()
    {
        string dir = TestData.TempFolder(), grey = Path.Combine(dir, "grey.png"), toned = Path.Combine(dir, "toned.png");
        var target = Grey(TestData.Photo("forest_path.jpg", 200));
        ImageCodec.Encode(target, grey);
        var sepia = target.Clone();
        for (int i = 0; i < sepia.PixelCount; i++) sepia.Planes[2 * sepia.PixelCount + i] *= 0.85f;
        ImageCodec.Encode(sepia, toned);
        string reference = TestData.Image("dusk_rocket.jpg");
        var auto = Gct.Run("transfer", grey, reference, "-o", Path.Combine(dir, "a.png"), "--device", "cpu");
        Assert.True(auto.ExitCode == 0, auto.Stderr);
        Assert.Contains("is grey: coloured after the reference", auto.Stderr);
        var plain = Gct.Run("transfer", toned, reference, "-o", Path.Combine(dir, "b.png"), "--device", "cpu");
        Assert.DoesNotContain("is grey", plain.Stderr);
        var forced = Gct.Run("transfer", toned, reference, "-o", Path.Combine(dir, "c.png"), "--device", "cpu", "--colorize");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(dir, "b.png")), File.ReadAllBytes(Path.Combine(dir, "c.png")));
        Assert.Equal(2, Gct.Run("transfer", grey, reference, "-o", Path.Combine(dir, "d.png"), "--colorize", "--no-colorize").ExitCode);
    }
}
