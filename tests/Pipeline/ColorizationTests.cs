using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;
using GpuColorTransfer.Engine.Pipeline;
using GpuColorTransfer.Kernels;

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
        float[] Filtered(int radius)
        {
            // q = mean(a) I + mean(b) (eq. 10)
            var (slopes, offsets) = (new float[n], new float[n]);
            GuidedFilter.Coefficients(guide, input, slopes, offsets, w, h, radius, 25);
            return [.. Enumerable.Range(0, n).Select(i => slopes[i] * guide[i] + offsets[i])];
        }
        var output = Filtered(4);
        double Error(float[] x, int column) => Enumerable.Range(0, h).Average(y => Math.Abs(x[y * w + column] - (column >= w / 2 ? 30 : -20)));
        foreach (int column in new[] { 5, w / 2 - 1, w / 2, w - 5 }) // the two pixels at the edge included
            Assert.True(Error(output, column) < Error(input, column) / 2, $"column {column}: {Error(output, column):F2} vs {Error(input, column):F2}");
        // Radius 0: the input itself.
        // Radius 0: each window one pixel, no variance: a = 0, b = the input itself.
        Assert.Equal(input, Filtered(0));
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
        var auto = Gct.Run("transfer", grey, reference, "-o", Path.Combine(dir, "a.png"), "--device", "cpu", "--save-intermediates", Path.Combine(dir, "steps"));
        Assert.True(auto.ExitCode == 0, auto.Stderr);
        Assert.Contains("is grey: coloured after the reference", auto.Stderr);
        Assert.True(File.Exists(Path.Combine(dir, "steps", "superpixels_reference.png")) && File.Exists(Path.Combine(dir, "steps", "fused_before_regrain.png")));
        var plain = Gct.Run("transfer", toned, reference, "-o", Path.Combine(dir, "b.png"), "--device", "cpu");
        Assert.DoesNotContain("is grey", plain.Stderr);
        var forced = Gct.Run("transfer", toned, reference, "-o", Path.Combine(dir, "c.png"), "--device", "cpu", "--colorize");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(dir, "b.png")), File.ReadAllBytes(Path.Combine(dir, "c.png")));
        Assert.Equal(2, Gct.Run("transfer", grey, reference, "-o", Path.Combine(dir, "d.png"), "--colorize", "--no-colorize").ExitCode);
    }

    /// <summary>A grey image w x h, lightness 30 left of column <paramref name="edge"/> and 70 from it on.</summary>
    private static RgbImage Step(int w, int h, double edge)
    {
        var image = new RgbImage(w, h);
        int n = w * h;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                // The fraction of the pixel right of the edge: a box-sampled step.
                double right = Math.Clamp(x + 1 - edge, 0, 1);
                ColorMath.LabToRgb((float)(30 + 40 * right), 0, 0, out float v, out _, out _);
                image.Planes[y * w + x] = image.Planes[n + y * w + x] = image.Planes[2 * n + y * w + x] = v;
            }
        return image;
    }

    [Fact]
    public void The_chroma_follows_full_size_edges_that_fall_between_working_pixels_where_resizing_it_would_bleed()
    {
        // Working grid 40 x 12, full size 8x that: the edge at full-size column 163 (working column 20.375).
        const int scale = 8, gw = 40, gh = 12;
        double edge = 163;
        var full = Step(gw * scale, gh * scale, edge);
        var work = Step(gw, gh, edge / scale);
        // The matching's answer at the working size: red (a* = +30) on the dark side, green (a* = -30) on the bright one.
        var fused = new RgbImage(gw, gh);
        int m = gw * gh;
        var workLab = Reinhard.ToLab(work);
        for (int i = 0; i < m; i++)
        {
            float a = workLab[i] < 50 ? 30 : -30;
            ColorMath.LabToRgb(workLab[i], a, 0, out fused.Planes[i], out fused.Planes[m + i], out fused.Planes[2 * m + i]);
        }
        var field = ChromaField.Fit(work, fused);
        var output = Reinhard.ToLab(ChromaRender.Apply(field, full));
        var fusedChroma = new RgbImage(gw, gh, [.. Reinhard.ToLab(fused)]).Resize(full.Width, full.Height); // the fused Lab resized: what bleeds
        var fullLab = Reinhard.ToLab(full);
        int n = full.PixelCount, w = full.Width, y0 = full.Height / 2;
        double worstOurs = 0, worstResized = 0;
        for (int x = (int)edge - 6; x <= (int)edge + 6; x++)
        {
            float truth = x < edge ? 30 : -30;
            worstOurs = Math.Max(worstOurs, Math.Abs(output[n + y0 * w + x] - truth));
            Assert.True(output[n + y0 * w + x] * truth > 0, $"column {x}: a* {output[n + y0 * w + x]:F1} on the side of {truth}");
            worstResized = Math.Max(worstResized, Math.Abs(fusedChroma.Planes[n + y0 * w + x] - truth));
            Assert.InRange(output[y0 * w + x] - fullLab[y0 * w + x], -0.5, 0.5); // the full-size lightness kept
        }
        // The fit is linear in the lightness over each window, so the two sides are a few units off their 30, never mixed.
        Assert.True(worstOurs < 12, $"a* off by up to {worstOurs:F1} within 6 px of the edge");
        Assert.True(worstResized > 25, $"resizing the chroma bleeds by {worstResized:F1} only: the test does not test");
    }

    [Fact]
    public void A_mean_of_chroma_fields_is_the_weighted_mean_of_their_coefficients()
    {
        var target = Grey(TestData.Photo("forest_path.jpg", 60));
        var one = ChromaField.Fit(target, TestData.Photo("forest_path.jpg", 60));
        var two = ChromaField.Fit(target, TestData.Photo("dusk_rocket.jpg", 60).Resize(target.Width, target.Height));
        var mean = ChromaField.Mean([(one, 1), (two, 3)]);
        for (int i = 0; i < one.Slopes.Length; i += 37)
        {
            Assert.Equal((one.Slopes[i] + 3 * two.Slopes[i]) / 4, mean.Slopes[i], 4);
            Assert.Equal((one.Offsets[i] + 3 * two.Offsets[i]) / 4, mean.Offsets[i], 3);
        }
        Assert.Throws<ArgumentException>(() => ChromaField.Mean([(one, 0)]));
    }

    [Fact]
    public void A_grey_file_is_colourised_in_rows_with_the_bytes_of_the_whole_image_path_and_no_lut_is_written_for_it()
    {
        string dir = TestData.TempFolder(), grey = Path.Combine(dir, "grey.png"), reference = Path.Combine(dir, "reference.png");
        ImageCodec.Encode(Grey(TestData.Photo("forest_path.jpg", 700)), grey);
        ImageCodec.Encode(TestData.Photo("dusk_rocket.jpg", 500), reference);
        using var engine = TestData.CpuEngine();
        var rows = engine.Transfer(ImageFile.Open(grey), ImageFile.Open(reference));
        Assert.True(engine.Colorized);
        var whole = Rgba8Image.From(engine.Transfer(ImageCodec.Decode(grey), ImageCodec.Decode(reference)));
        Assert.True(engine.Colorized);
        Assert.Equal(whole.Pixels, rows.Pixels);

        var lut = Gct.Run("transfer", grey, reference, "-o", Path.Combine(dir, "o.png"), "--lut-out", Path.Combine(dir, "o.cube"), "--device", "cpu");
        Assert.Equal(1, lut.ExitCode);
        Assert.Contains("is grey and was colourised, which no LUT can do", lut.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "o.png")) || File.Exists(Path.Combine(dir, "o.cube")));
        Assert.Equal(2, Gct.Run("transfer", grey, reference, "-o", Path.Combine(dir, "o.png"), "--lut-out", Path.Combine(dir, "o.cube"), "--colorize").ExitCode);
        Assert.Equal(0, Gct.Run("transfer", grey, reference, "-o", Path.Combine(dir, "o.png"), "--lut-out", Path.Combine(dir, "o.cube"), "--no-colorize", "--device", "cpu").ExitCode);
    }

    [Fact]
    public void Black_and_white_stay_so_and_the_lightness_is_kept_where_srgb_cannot_show_the_chroma()
    {
        // Bands of black, dark grey, mid grey, light grey and white, after a saturated reference.
        int w = 200, h = 100, n = w * h;
        var target = new RgbImage(w, h);
        float[] levels = [0, 0.1f, 0.5f, 0.9f, 1];
        for (int i = 0; i < n; i++) target.Planes[i] = target.Planes[n + i] = target.Planes[2 * n + i] = levels[i % w * levels.Length / w];
        using var engine = TestData.CpuEngine();
        var output = engine.Transfer(target, TestData.Photo("waterfall_autumn.jpg", 200));
        Assert.True(engine.Colorized);
        var o = Reinhard.ToLab(output);
        var t = Reinhard.ToLab(target);
        for (int i = 0; i < n; i++)
        {
            Assert.InRange(o[i] - t[i], -0.3, 0.3);
            if (target.Planes[i] is 0 or 1) // black and white have no chroma to show
                for (int c = 0; c < 3; c++) Assert.InRange(output.Planes[c * n + i] - target.Planes[i], -1 / 255f, 1 / 255f);
        }
    }

    [Fact]
    public void A_grey_target_too_small_to_colourise_is_a_clear_error_and_other_methods_refuse_the_choice()
    {
        string dir = TestData.TempFolder(), tiny = Path.Combine(dir, "tiny.png"), output = Path.Combine(dir, "o.png");
        ImageCodec.Encode(Grey(TestData.Photo("forest_path.jpg", 3)), tiny);
        string reference = TestData.Image("dusk_rocket.jpg");
        var r = Gct.Run("transfer", tiny, reference, "-o", output, "--device", "cpu");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("too small to colourise", r.Stderr);
        Assert.Contains("--no-colorize", r.Stderr);
        Assert.False(File.Exists(output));
        Assert.Equal(0, Gct.Run("transfer", tiny, reference, "-o", output, "--device", "cpu", "--no-colorize").ExitCode);
        var mkl = Gct.Run("transfer", tiny, reference, "-o", output, "--method", "mkl", "--colorize", "-f");
        Assert.Equal(2, mkl.ExitCode);
        Assert.Contains("--method mkl has no such choice", mkl.Stderr);
    }
}
