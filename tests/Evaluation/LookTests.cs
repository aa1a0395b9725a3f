using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Tests.Evaluation;

/// <summary>
/// Each look of the development set is what its name says, checked on chosen colours through its
/// defining function against properties written independently of it (greys stay grey in a
/// black-and-white look, a red filter renders red brighter than blue, a washout lifts black...);
/// and its 3D LUT reproduces the function.
/// </summary>
public class LookTests
{
    private static Grading Look(string name) => Looks.All.Single(g => g.Name == name);

    private static (float R, float G, float B) Of(string name, float r, float g, float b) => Look(name).Defined(r, g, b);

    private static float Grey(string name, float v) => Of(name, v, v, v).G;

    private static double Chroma((float R, float G, float B) c)
    {
        ColorMath.RgbToLab(c.R, c.G, c.B, out _, out float a, out float b);
        return Math.Sqrt(a * a + b * b);
    }

    private static double Lightness((float R, float G, float B) c)
    {
        ColorMath.RgbToLab(c.R, c.G, c.B, out float l, out _, out _);
        return l;
    }

    private static readonly (float, float, float)[] Colours =
        [(0.8f, 0.1f, 0.1f), (0.1f, 0.6f, 0.2f), (0.15f, 0.25f, 0.8f), (0.9f, 0.8f, 0.2f), (0.8f, 0.6f, 0.5f), (0.3f, 0.3f, 0.3f), (0.05f, 0.05f, 0.1f), (0.95f, 0.95f, 0.9f)];

    [Fact]
    public void There_are_at_least_16_looks_with_distinct_names_and_every_kind_the_issue_names()
    {
        Assert.True(Looks.All.Count >= 16);
        Assert.Equal(Looks.All.Count, Looks.All.Select(g => g.Name).Distinct().Count());
        foreach (string kind in new[] { "bw_", "sepia", "bleach", "cross_process", "washout", "split_tone", "teal_orange", "selective_", "tint_", "film_" })
            Assert.Contains(Looks.All, g => g.Name.StartsWith(kind, StringComparison.Ordinal));
        Assert.All(Looks.All, g => Assert.Equal(GradingFamily.Look, g.Family));
    }

    [Fact]
    public void Each_lut_reproduces_its_look_within_a_fiftieth_nearly_everywhere()
    {
        // Trilinear interpolation between nodes 1/32 apart: close on smooth looks; where a look bends
        // sharply (a selective colour's hue edge, a clamp at the gamut's edge) a LUT cannot follow,
        // as any .cube file of it could not.
        var rng = new Random(5);
        foreach (var look in Looks.All)
        {
            var errors = new List<float>();
            for (int i = 0; i < 2000; i++)
            {
                float r = (float)rng.NextDouble(), g = (float)rng.NextDouble(), b = (float)rng.NextDouble();
                var expected = look.Defined(r, g, b);
                var actual = look.Lut!.Map(r, g, b);
                errors.Add(Math.Max(Math.Abs(actual.R - expected.R), Math.Max(Math.Abs(actual.G - expected.G), Math.Abs(actual.B - expected.B))));
            }
            errors.Sort();
            Assert.True(errors[(int)(0.99 * errors.Count)] <= 0.02f, $"{look.Name}: 99th percentile error {errors[(int)(0.99 * errors.Count)]}");
            Assert.True(errors[^1] <= 0.2f, $"{look.Name}: largest error {errors[^1]}");
        }
    }

    [Theory]
    [InlineData("bw_luma")]
    [InlineData("bw_red_filter")]
    [InlineData("bw_high_key")]
    public void Black_and_white_looks_have_no_colour(string name)
    {
        foreach (var (r, g, b) in Colours)
        {
            var o = Of(name, r, g, b);
            Assert.True(o.R == o.G && o.G == o.B, $"{name}({r}, {g}, {b}) = {o}");
        }
    }

    [Fact]
    public void Channel_mixes_and_curves_render_what_their_names_say()
    {
        // A red filter: red brighter than blue; the S-curve: darks darker, lights lighter.
        Assert.True(Of("bw_red_filter", 0.8f, 0.1f, 0.1f).R > Of("bw_red_filter", 0.15f, 0.25f, 0.8f).R + 0.4f);
        Assert.True(Grey("bw_luma", 0.25f) < 0.2f && Grey("bw_luma", 0.75f) > 0.8f);
        // High key weighted to blue: blue brighter than red; black lifted.
        Assert.True(Of("bw_high_key", 0.15f, 0.25f, 0.8f).R > Of("bw_high_key", 0.8f, 0.1f, 0.1f).R);
        Assert.True(Grey("bw_high_key", 0f) >= 0.14f);
    }

    [Fact]
    public void Sepia_tones_every_grey_brown()
    {
        foreach (float v in new[] { 0.2f, 0.5f, 0.8f })
        {
            var o = Of("sepia", v, v, v);
            Assert.True(o.R > o.G && o.G > o.B, $"sepia({v}) = {o}");
        }
        Assert.True(Of("sepia", 0.1f, 0.6f, 0.2f).R > Of("sepia", 0.1f, 0.6f, 0.2f).B);
    }

    [Fact]
    public void Bleach_bypass_and_noir_take_saturation_out_and_put_contrast_in()
    {
        foreach (string name in new[] { "bleach_bypass", "noir_colour" })
        {
            Assert.True(Chroma(Of(name, 0.7f, 0.35f, 0.3f)) < 0.7 * Chroma((0.7f, 0.35f, 0.3f)), $"{name}: chroma {Chroma(Of(name, 0.7f, 0.35f, 0.3f)):F1} of {Chroma((0.7f, 0.35f, 0.3f)):F1}");
            Assert.True(Grey(name, 0.75f) - Grey(name, 0.25f) > 0.6f, $"{name}: {Grey(name, 0.75f) - Grey(name, 0.25f)}");
        }
    }

    [Fact]
    public void Cross_processing_lifts_the_blue_shadows_and_yellows_the_highlights()
    {
        var black = Of("cross_process", 0f, 0f, 0f);
        var white = Of("cross_process", 1f, 1f, 1f);
        Assert.True(black.B >= 0.2f && black.B > black.R + 0.15f);
        Assert.True(white.B < white.R - 0.15f && white.G > white.B);
        var grey = Of("cross_process_green", 0.5f, 0.5f, 0.5f);
        Assert.True(grey.G > grey.R + 0.1f && grey.G > grey.B);
    }

    [Fact]
    public void Washout_and_matte_lift_the_blacks_and_dim_the_whites()
    {
        foreach (var (name, floor, ceiling) in new[] { ("washout", 0.2f, 0.86f), ("matte_fade", 0.1f, 0.93f) })
        {
            var black = Of(name, 0f, 0f, 0f);
            var white = Of(name, 1f, 1f, 1f);
            Assert.True(Math.Min(black.R, Math.Min(black.G, black.B)) >= floor, $"{name} black {black}");
            Assert.True(Math.Max(white.R, Math.Max(white.G, white.B)) <= ceiling, $"{name} white {white}");
        }
        Assert.True(Chroma(Of("washout", 0.8f, 0.1f, 0.1f)) < 0.6 * Chroma((0.8f, 0.1f, 0.1f)));
    }

    [Fact]
    public void Split_toning_and_teal_orange_colour_shadows_and_highlights_apart()
    {
        foreach (string name in new[] { "split_tone", "teal_orange_strong" })
        {
            var dark = Of(name, 0.15f, 0.15f, 0.15f);
            var light = Of(name, 0.85f, 0.85f, 0.85f);
            Assert.True(dark.B > dark.R + 0.03f, $"{name} shadows {dark}");
            Assert.True(light.R > light.B + 0.05f, $"{name} highlights {light}");
        }
        var teal = Of("teal_orange_strong", 0.15f, 0.15f, 0.15f);
        Assert.True(teal.G > teal.R, $"teal shadows {teal}");
    }

    [Fact]
    public void Selective_colour_keeps_one_hue_and_greys_the_rest()
    {
        var red = (0.8f, 0.1f, 0.1f);
        Assert.True(Chroma(Of("selective_red", red.Item1, red.Item2, red.Item3)) >= 0.9 * Chroma(red), $"red kept {Chroma(Of("selective_red", red.Item1, red.Item2, red.Item3)):F1} of {Chroma(red):F1}");
        foreach (var (r, g, b) in new[] { (0.1f, 0.6f, 0.2f), (0.15f, 0.25f, 0.8f), (0.2f, 0.5f, 0.8f) })
        {
            var o = Of("selective_red", r, g, b);
            Assert.True(Chroma(o) < 3, $"selective_red({r}, {g}, {b}) = {o}");
            Assert.Equal(Lightness((r, g, b)), Lightness(o), 0.5);
        }
        var blue = (0.2f, 0.4f, 0.8f);
        Assert.True(Chroma(Of("selective_blue", blue.Item1, blue.Item2, blue.Item3)) >= 0.9 * Chroma(blue), $"blue kept {Chroma(Of("selective_blue", blue.Item1, blue.Item2, blue.Item3)):F1} of {Chroma(blue):F1}");
        Assert.True(Chroma(Of("selective_blue", 0.8f, 0.1f, 0.1f)) < 3);
        Assert.True(Chroma(Of("selective_blue", 0.1f, 0.6f, 0.2f)) < 3);
    }

    [Fact]
    public void Tints_cast_every_grey()
    {
        foreach (float v in new[] { 0.3f, 0.5f, 0.7f })
        {
            var green = Of("tint_green", v, v, v);
            Assert.True(green.G > green.R + 0.08f && green.G > green.B + 0.08f, $"tint_green({v}) = {green}");
            var magenta = Of("tint_magenta", v, v, v);
            Assert.True(magenta.R > magenta.G + 0.08f && magenta.B > magenta.G + 0.08f, $"tint_magenta({v}) = {magenta}");
        }
    }

    [Fact]
    public void Film_looks_have_a_toe_and_shoulder_their_cast_and_roll_saturation_off_in_the_highlights()
    {
        foreach (string name in new[] { "film_warm", "film_cool" })
        {
            var (dark, light) = (Of(name, 0.2f, 0.2f, 0.2f), Of(name, 0.8f, 0.8f, 0.8f));
            Assert.True(Lightness(light) - Lightness(dark) > Lightness((0.8f, 0.8f, 0.8f)) - Lightness((0.2f, 0.2f, 0.2f)), $"{name}: no added contrast");
        }
        var warm = Of("film_warm", 0.6f, 0.6f, 0.6f);
        Assert.True(warm.R > warm.B + 0.05f, $"film_warm grey {warm}");
        var cool = Of("film_cool", 0.7f, 0.7f, 0.7f);
        Assert.True(cool.B > cool.R + 0.05f, $"film_cool grey {cool}");
        // The same hue and saturation, darker and brighter: the bright one keeps less of its chroma.
        double Kept((float, float, float) c) => Chroma(Of("film_warm", c.Item1, c.Item2, c.Item3)) / Chroma(c);
        Assert.True(Kept((0.95f, 0.85f, 0.55f)) < Kept((0.5f, 0.4f, 0.15f)) - 0.2);
    }

    [Fact]
    public void Day_for_night_is_dark_and_blue()
    {
        foreach (var (r, g, b) in Colours)
        {
            var o = Of("day_for_night", r, g, b);
            Assert.True(Lightness(o) < 0.75 * Lightness((r, g, b)) + 1, $"day_for_night({r}, {g}, {b}) = {o}");
        }
        var grey = Of("day_for_night", 0.6f, 0.6f, 0.6f);
        Assert.True(grey.B > grey.R + 0.1f);
    }

    [Fact]
    public void Set_names_expand_in_order_and_unknown_names_are_refused()
    {
        Assert.Equal(Grading.Mild, Grading.ParseList("mild"));
        Assert.Equal([Grading.Wb, .. Looks.All], Grading.ParseList("wb, looks, wb"));
        Assert.Equal("graduated", Grading.ParseList("graduated").Single().Name);
        var e = Assert.Throws<FormatException>(() => Grading.ParseList("looks,sepiaa"));
        Assert.Contains("sepiaa", e.Message);
    }
}
