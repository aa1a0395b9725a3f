using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Tests.Evaluation;

/// <summary>No-reference metrics against closed forms and identities.</summary>
public class FreePairMetricsTests
{
    private static RgbImage Flat(int w, int h, float r, float g, float b)
    {
        var img = new RgbImage(w, h);
        img.Plane(0).Fill(r);
        img.Plane(1).Fill(g);
        img.Plane(2).Fill(b);
        return img;
    }

    [Fact]
    public void Ssim_is_one_for_identical_images_and_follows_the_closed_form_for_constants()
    {
        var l = FreePairMetrics.Lightness(TestData.Photo("castle_day.jpg", 64));
        var img = TestData.Photo("castle_day.jpg", 64);
        Assert.Equal(1, FreePairMetrics.Ssim(l, l, img.Width, img.Height), 1e-9);
        // Constant maps a and b: every window has zero variance, SSIM = (2ab + C1) / (a^2 + b^2 + C1), C1 = (0.01 x 100)^2.
        double a = 40, b = 55, c1 = 1;
        var x = Enumerable.Repeat(a, 400).ToArray();
        var y = Enumerable.Repeat(b, 400).ToArray();
        Assert.Equal((2 * a * b + c1) / (a * a + b * b + c1), FreePairMetrics.Ssim(x, y, 20, 20), 1e-9);
    }

    [Fact]
    public void Colourfulness_of_a_flat_colour_is_its_mean_term()
    {
        // R = 200, G = 100, B = 50: rg = 100, yb = 100; no spread, so M = 0.3 sqrt(100^2 + 100^2).
        var img = Flat(8, 8, 200 / 255f, 100 / 255f, 50 / 255f);
        Assert.Equal(0.3 * Math.Sqrt(2) * 100, FreePairMetrics.Colourfulness(img), 1e-3);
        Assert.Equal(0, FreePairMetrics.Colourfulness(Flat(8, 8, 0.5f, 0.5f, 0.5f)), 1e-3);
    }

    [Fact]
    public void Histogram_intersection_is_one_for_the_same_distribution_and_zero_for_disjoint_ones()
    {
        var photo = FreePairMetrics.Lab(TestData.Photo("forest_path.jpg", 64));
        Assert.Equal(1, FreePairMetrics.HistogramIntersection(photo, photo.Reverse().ToArray()), 1e-9);
        Assert.Equal(0, FreePairMetrics.HistogramIntersection(FreePairMetrics.Lab(Flat(4, 4, 0, 0, 0)), FreePairMetrics.Lab(Flat(4, 4, 1, 1, 1))), 1e-12);
    }

    [Fact]
    public void Gradient_correlation_is_invariant_to_affine_changes_of_lightness()
    {
        var img = TestData.Photo("glacier.jpg", 64);
        var l = FreePairMetrics.Lightness(img);
        Assert.Equal(1, FreePairMetrics.GradientCorrelation(l, l.Select(v => 0.5 * v + 20).ToArray(), img.Width, img.Height), 1e-9);
    }

    [Fact]
    public void Sliced_wasserstein_is_zero_for_the_same_cloud_and_bounded_by_a_translation()
    {
        var x = FreePairMetrics.Lab(TestData.Photo("dune_sea.jpg", 64));
        Assert.Equal(0, FreePairMetrics.SlicedWasserstein(x, x.Reverse().ToArray()), 1e-9);
        // A translation by c moves every 1-D projection by u.c: the distance is the mean of |u.c| <= |c|, about |c| / 2 in 3-D.
        var moved = x.Select(p => new[] { p[0] + 3f, p[1] + 4f, p[2] }).ToArray();
        double d = FreePairMetrics.SlicedWasserstein(x, moved);
        Assert.InRange(d, 0.35 * 5, 5.0);
    }
}
