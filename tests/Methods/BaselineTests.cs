using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Tests.Methods;

/// <summary>The baselines (Reinhard, MKL, IDT, Welsh) against their defining properties.</summary>
public class BaselineTests
{
    /// <summary>An image of two flat halves with the given CIELAB colours (left, right).</summary>
    private static RgbImage Halves(int w, int h, (float L, float A, float B) left, (float L, float A, float B) right)
    {
        var image = new RgbImage(w, h);
        int n = w * h;
        var p = image.Planes;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (l, a, b) = x < w / 2 ? left : right;
                int i = y * w + x;
                GpuColorTransfer.Kernels.ColorMath.LabToRgb(l, a, b, out p[i], out p[n + i], out p[2 * n + i]);
            }
        return image;
    }

    [Fact]
    public void Welsh_gives_each_grey_pixel_the_chroma_of_the_reference_pixels_of_its_lightness_and_keeps_its_lightness()
    {
        // Reference: dark red | light blue. Target, grey: light | dark (the other way round), the same two lightnesses.
        var reference = Halves(64, 48, (35, 45, 30), (75, -10, -40));
        var target = Halves(80, 40, (75, 0, 0), (35, 0, 0));
        var output = Reinhard.ToLab(new Welsh().Transfer(target, reference));
        var truth = Reinhard.ToLab(target);
        int n = target.PixelCount;
        for (int y = 0; y < 40; y += 7)
            foreach (int x in new[] { 5, 30, 50, 75 }) // away from the edge, where the local deviation differs
            {
                int i = y * 80 + x;
                bool light = x < 40;
                Assert.Equal(truth[i], output[i], 0.5);
                Assert.Equal(light ? -10 : 45, output[n + i], 1.0);
                Assert.Equal(light ? -40 : 30, output[2 * n + i], 1.0);
            }
    }

    [Fact]
    public void Reinhard_output_has_the_reference_mean_and_standard_deviation_in_lab()
    {
        var (target, reference) = MildPair();
        var output = new Reinhard().Transfer(target, reference);
        var o = Reinhard.ToLab(output);
        var r = Reinhard.ToLab(reference);
        int n = output.PixelCount, m = reference.PixelCount;
        for (int c = 0; c < 3; c++)
        {
            var (mo, so) = Stats(o.AsSpan(c * n, n).ToArray());
            var (mr, sr) = Stats(r.AsSpan(c * m, m).ToArray());
            Assert.Equal(mr, mo, 0.05);
            Assert.Equal(sr, so, 0.05);
        }
    }

    [Fact]
    public void Mkl_output_has_the_reference_mean_and_covariance()
    {
        var (target, reference) = MildPair();
        var output = new Mkl().Transfer(target, reference);
        var (mo, co) = Mkl.Moments(output);
        var (mr, cr) = Mkl.Moments(reference);
        Assert.True((mo - mr).AbsoluteMaximum() < 1e-4, $"means {mo} vs {mr}");
        Assert.True((co - cr).Enumerate().Max(Math.Abs) < 1e-4 * cr.Diagonal().Maximum(), $"covariances\n{co}\nvs\n{cr}");
        // T is symmetric: the least-displacement map, not any map with the right covariance.
        var t = Mkl.Map(Mkl.Moments(target).Covariance, cr);
        Assert.True((t - t.Transpose()).Enumerate().Max(Math.Abs) < 1e-9);
    }

    [Fact]
    public void The_mkl_map_is_symmetric_and_takes_one_covariance_to_the_other()
    {
        var build = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build;
        var a = build.DenseOfArray(new[,] { { 0.04, 0.01, -0.005 }, { 0.01, 0.03, 0.002 }, { -0.005, 0.002, 0.02 } });
        var b = build.DenseOfArray(new[,] { { 0.01, -0.002, 0.001 }, { -0.002, 0.05, 0.01 }, { 0.001, 0.01, 0.03 } });
        var t = Mkl.Map(a, b);
        Assert.True((t - t.Transpose()).Enumerate().Max(Math.Abs) < 1e-9);
        Assert.True((t * a * t - b).Enumerate().Max(Math.Abs) < 1e-8);
        Assert.All(t.Evd().EigenValues, e => Assert.True(e.Real > 0));
    }

    [Fact]
    public void Idt_output_marginals_along_the_final_axes_match_the_reference()
    {
        var target = TestData.Photo("green_hills_sky.jpg", 96);
        var reference = TestData.Photo("sunset_clouds.jpg", 80);
        var idt = new Idt(regrain: null);
        var output = idt.Transfer(target, reference);
        var axes = idt.Rotations[^1];
        double worst = 0;
        for (int a = 0; a < axes.RowCount; a++)
        {
            double[] Project(RgbImage img) => Enumerable.Range(0, img.PixelCount)
                .Select(i => axes[a, 0] * img.Planes[i] + axes[a, 1] * img.Planes[img.PixelCount + i] + axes[a, 2] * img.Planes[2 * img.PixelCount + i]).Order().ToArray();
            var po = Project(output);
            var pr = Project(reference);
            for (int q = 1; q < 20; q++)
                worst = Math.Max(worst, Math.Abs(po[q * po.Length / 20] - pr[q * pr.Length / 20]));
        }
        // Within a few of the 300 histogram bins (about 0.005 each) at every 5% quantile.
        Assert.True(worst < 0.03, $"largest quantile gap along the final axes {worst:F4}");
        var before = TestData.Photo("green_hills_sky.jpg", 96);
        Assert.True(Metrics.SlicedWasserstein(Metrics.Lab(output), Metrics.Lab(reference)) < Metrics.SlicedWasserstein(Metrics.Lab(before), Metrics.Lab(reference)) / 2);
    }

    private static (RgbImage Target, RgbImage Reference) MildPair()
    {
        // The reference is a faded copy of the target: an affine change of colours well inside [0,1],
        // so no clipping disturbs the moments of the outputs.
        return (TestData.Photo("forest_path.jpg", 96), Grading.Fade.Apply(TestData.Photo("forest_path.jpg", 80)));
    }

    private static (double Mean, double Std) Stats(float[] v)
    {
        double mean = v.Average(x => (double)x);
        return (mean, Math.Sqrt(v.Average(x => (x - mean) * (x - mean))));
    }
}
