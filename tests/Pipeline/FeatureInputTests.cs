using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends.Cpu;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Pipeline;
using ILGPU.Runtime;

namespace GpuColorTransfer.Tests.Pipeline;

/// <summary>The inputs of the features (<see cref="FeatureInputs"/>): standardisation, its invariance, the features side by side.</summary>
public class FeatureInputTests
{
    private static (double Mean, double Deviation) Moments(float[] planes, int c, int n)
    {
        var v = planes.AsSpan(c * n, n).ToArray();
        double mean = v.Average(x => (double)x);
        return (mean, Math.Sqrt(v.Average(x => (x - mean) * (x - mean))));
    }

    [Fact]
    public void A_standardised_image_has_each_channel_at_mean_one_half_and_deviation_one_fifth()
    {
        var image = TestData.Photo("sunset_clouds.jpg", 80);
        var s = FeatureInputs.Standardised(image);
        for (int c = 0; c < 3; c++)
        {
            var (mean, deviation) = Moments(s.Planes, c, s.PixelCount);
            Assert.Equal(FeatureInputs.Mean, mean, 1e-4);
            Assert.Equal(FeatureInputs.Deviation, deviation, 1e-4);
        }
    }

    [Fact]
    public void Standardisation_removes_any_per_channel_gain_and_offset_and_keeps_a_flat_channel_flat()
    {
        var image = TestData.Photo("castle_day.jpg", 64);
        var graded = image.Clone();
        float[] gain = [0.4f, 1.3f, 0.7f], offset = [0.3f, -0.1f, 0.05f];
        int n = image.PixelCount;
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < n; i++) graded.Planes[c * n + i] = gain[c] * image.Planes[c * n + i] + offset[c];
        var a = FeatureInputs.Standardised(image).Planes;
        var b = FeatureInputs.Standardised(graded).Planes;
        Assert.True(a.Zip(b, (x, y) => Math.Abs(x - y)).Max() < 1e-4f);

        var flat = new RgbImage(8, 8);
        Array.Fill(flat.Planes, 0.42f);
        Assert.All(FeatureInputs.Standardised(flat).Planes, v => Assert.Equal(FeatureInputs.Mean, v, 1e-5f));
    }

    [Fact]
    public void Features_side_by_side_are_the_rows_of_each_in_turn()
    {
        var image = TestData.Photo("forest_path.jpg", 48);
        var settings = new TransferSettings { Superpixels = 30 };
        using var cpu = new CpuBackend();
        using var planes = cpu.Upload(image);
        using var map = cpu.Superpixels(planes, 30, settings);
        using var own = cpu.SuperFeatures(planes, map, TestData.Network, settings);
        using var standardisedPlanes = cpu.Upload(FeatureInputs.Standardised(image));
        using var standardised = cpu.SuperFeatures(standardisedPlanes, map, TestData.Network, settings);
        using var both = cpu.Concatenate(own, standardised);
        var (o, s, all) = (own.Values.GetAsArray1D(), standardised.Values.GetAsArray1D(), both.Values.GetAsArray1D());
        Assert.Equal(own.Channels + standardised.Channels, both.Channels);
        for (int i = 0; i < map.Count; i++)
            for (int k = 0; k < both.Channels; k++)
            {
                float expected = k < own.Channels ? o[i * own.Channels + k] : s[i * standardised.Channels + k - own.Channels];
                Assert.Equal(expected, all[i * both.Channels + k]);
            }
    }
}
