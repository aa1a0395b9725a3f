using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Tests.Evaluation;

/// <summary>The evaluation protocol's parts against published values, hand computations and defining properties.</summary>
public class EvaluationTests
{
    /// <summary>Sharma, Wu and Dalal (2005), Table 1: the 34 CIEDE2000 test pairs.</summary>
    public static readonly TheoryData<double, double, double, double, double, double, double> SharmaPairs = new()
    {
        { 50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425 }, { 50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615 },
        { 50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412 }, { 50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000 },
        { 50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000 }, { 50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000 },
        { 50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669 }, { 50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669 },
        { 50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792 }, { 50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792 },
        { 50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195 }, { 50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195 },
        { 50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045 }, { 50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045 },
        { 50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461 }, { 50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065 },
        { 50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492 }, { 50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977 },
        { 50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030 }, { 50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535 },
        { 50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000 }, { 50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000 },
        { 50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000 }, { 50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000 },
        { 60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644 }, { 63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630 },
        { 61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731 }, { 35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645 },
        { 22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373 }, { 36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146 },
        { 90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441 }, { 90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381 },
        { 6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377 }, { 2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082 },
    };

    [Theory]
    [MemberData(nameof(SharmaPairs))]
    public void Ciede2000_matches_the_published_test_pairs_in_both_orders(double l1, double a1, double b1, double l2, double a2, double b2, double expected)
    {
        Assert.Equal(expected, Ciede2000.DeltaE(l1, a1, b1, l2, a2, b2), 1e-4);
        Assert.Equal(expected, Ciede2000.DeltaE(l2, a2, b2, l1, a1, b1), 1e-4);
    }

    /// <summary>Expected values computed by hand from DESIGN section 6 (an independent Python transcription).</summary>
    [Theory]
    [InlineData("wb", 0.2f, 0.5f, 0.8f, 0.224846f, 0.5f, 0.703417f)]
    [InlineData("wb", 0.9f, 0.3f, 0.1f, 0.993051f, 0.3f, 0.082491f)]
    [InlineData("curve", 0.2f, 0.5f, 0.8f, 0.222227f, 0.596161f, 0.891737f)]
    [InlineData("hue", 0.2f, 0.5f, 0.8f, 0.480521f, 0.451019f, 0.763810f)]
    [InlineData("hue", 0.9f, 0.3f, 0.1f, 0.758376f, 0.424778f, 0f)]
    [InlineData("teal_orange", 0.2f, 0.5f, 0.8f, 0.143591f, 0.522667f, 0.853743f)]
    [InlineData("teal_orange", 0.9f, 0.3f, 0.1f, 0.989404f, 0.296f, 0.034596f)]
    [InlineData("fade", 0.2f, 0.5f, 0.8f, 0.3906f, 0.525f, 0.6102f)]
    [InlineData("fade", 0.9f, 0.3f, 0.1f, 0.74165f, 0.400333f, 0.2685f)]
    public void Gradings_follow_their_definitions(string grading, float r, float g, float b, float er, float eg, float eb)
    {
        var img = new RgbImage(1, 1, [r, g, b]);
        var graded = Grading.ParseList(grading).Single().Apply(img);
        Assert.Equal([er, eg, eb], graded.Planes, (x, y) => Math.Abs(x - y) < 2e-5);
    }

    [Fact]
    public void Quantiles_interpolate_linearly_between_order_statistics()
    {
        Assert.Equal(3.7, RecoveryReport.Quantile([4, 1, 3, 2], 0.9), 1e-12);
        Assert.Equal(2.5, RecoveryReport.Quantile([4, 1, 3, 2], 0.5), 1e-12);
    }

    [Theory]
    [InlineData(0.5, 256)]
    [InlineData(0.0, 192)]
    public void The_protocol_crops_overlap_by_f_and_grade_the_reference(double overlap, int expectedWidth)
    {
        var photo = RecoveryProtocol.Prepare(TestData.Photo("castle_day.jpg", 1000), 384);
        Assert.Equal(384, Math.Max(photo.Width, photo.Height));
        var c = RecoveryProtocol.Make("castle", photo, overlap, Grading.Wb);
        Assert.Equal(expectedWidth, c.Target.Width);
        Assert.Equal(photo.CropColumns(photo.Width - expectedWidth, expectedWidth).Planes, c.Target.Planes);
        Assert.Equal(Grading.Wb.Apply(c.Target).Planes, c.Truth.Planes);
        Assert.All(c.Reference.Planes, v => Assert.Equal(Math.Round(v * 255), v * 255, 1e-3));
        Assert.True(Scores.MeanDeltaE00(c.Target, c.Truth) > 1);
        Assert.Equal(0, Scores.MeanDeltaE00(c.Truth, c.Truth), 1e-9);
    }

    [Fact]
    public void The_colourisation_case_has_a_grey_target_of_the_truths_luma_and_the_other_crop_as_reference()
    {
        var photo = RecoveryProtocol.Prepare(TestData.Photo("castle_day.jpg", 1000), 384);
        var c = RecoveryProtocol.Make("castle", photo, 0.5, Grading.Colorize);
        int w = c.Truth.Width, n = c.Truth.PixelCount;
        Assert.Equal(photo.CropColumns(photo.Width - w, w).Planes, c.Truth.Planes);
        Assert.Equal(photo.CropColumns(0, w).Planes, c.Reference.Planes);
        var t = c.Target.Planes;
        var truth = c.Truth.Planes;
        for (int i = 0; i < n; i++)
        {
            // Rec. 709 luma of the truth, rounded to 8 bits, in all three channels.
            double luma = 0.2126 * truth[i] + 0.7152 * truth[n + i] + 0.0722 * truth[2 * n + i];
            Assert.Equal(Math.Round(luma * 255) / 255, t[i], 1e-5);
            Assert.Equal(t[i], t[n + i]);
            Assert.Equal(t[i], t[2 * n + i]);
        }
        Assert.Contains(Grading.Colorize, Grading.ParseList("colorize"));
        Assert.DoesNotContain(Grading.Colorize, Grading.ParseList("mild,looks"));
    }

    [Fact]
    public void The_applied_share_is_0_for_the_target_1_for_the_truth_and_scales_a_change_along_itself()
    {
        var target = TestData.Photo("castle_day.jpg", 64);
        var truth = Grading.Wb.Apply(target);
        Assert.Equal(0, Scores.AppliedShare(target, target, truth), 12);
        Assert.Equal(1, Scores.AppliedShare(truth, target, truth), 6);
        // A grey target and outputs that move only its lightness: in CIELAB the changes lie on one line,
        // so the share is the ratio of the lightness changes (here from the L of each grey).
        var grey = new RgbImage(4, 4);
        Array.Fill(grey.Planes, 0.3f);
        RgbImage Grey(float v) { var g = new RgbImage(4, 4); Array.Fill(g.Planes, v); return g; }
        double L(float v) { ColorMath.RgbToLab(v, v, v, out float l, out _, out _); return l; }
        Assert.Equal((L(0.4f) - L(0.3f)) / (L(0.6f) - L(0.3f)), Scores.AppliedShare(Grey(0.4f), grey, Grey(0.6f)), 5);
        Assert.True(double.IsNaN(Scores.AppliedShare(grey, grey, grey)));
    }
}
