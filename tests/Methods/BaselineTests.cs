using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Tests.Methods;

/// <summary>The baselines (Reinhard, MKL, IDT) against their defining properties.</summary>
public class BaselineTests
{
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
