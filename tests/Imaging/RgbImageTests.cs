using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Tests.Imaging;

public class RgbImageTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 5)]       // not a whole number of SIMD vectors
    [InlineData(1031, 1029)] // several blocks of a million values, and a partial one
    public void Clamp_maps_every_value_as_the_scalar_rule_does(int w, int h)
    {
        var random = new Random(w);
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1f, 1.0000001f, -1e-30f, 0.5f, 2f];
        var image = new RgbImage(w, h);
        for (int i = 0; i < image.Planes.Length; i++)
            image.Planes[i] = random.Next(4) == 0 ? special[random.Next(special.Length)] : (float)(random.NextDouble() * 3 - 1);
        var expected = image.Planes.Select(v => v > 0f ? (v < 1f ? v : 1f) : 0f).ToArray();
        image.Clamp();
        Assert.Equal(expected, image.Planes);
    }

    [Theory]
    [InlineData(1920, 1080, 370, 208, 0)]
    [InlineData(37, 23, 11, 7, 1)]
    [InlineData(13, 9, 29, 17, 0)]
    [InlineData(100, 3, 7, 50, 1)]
    public unsafe void Resizing_a_row_at_a_time_gives_the_sample_by_sample_sums_to_the_bit(int w, int h, int ow, int oh, int kernel)
    {
        var k = (Engine.Imaging.ResizeKernel)kernel;
        var image = TestData.Patterned(w, h, 5);
        float[] fast;
        fixed (float* p = image.Planes) fast = Engine.Imaging.ImResize.Resize(p, 3, w, h, ow, oh, k);
        // The naive formula: every output sample its own sum over the taps, rows first, then columns.
        var vertical = Engine.Imaging.ImResize.Contributions(h, oh, k);
        var horizontal = Engine.Imaging.ImResize.Contributions(w, ow, k);
        var expected = new float[3 * ow * oh];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < oh; y++)
            {
                var mid = new float[w];
                for (int x = 0; x < w; x++)
                    for (int t = 0; t < vertical.Taps; t++)
                        if (vertical.Weight[y * vertical.Taps + t] is var wt && wt != 0) mid[x] += wt * image.Planes[c * w * h + vertical.Index[y * vertical.Taps + t] * w + x];
                for (int x = 0; x < ow; x++)
                    for (int t = 0; t < horizontal.Taps; t++)
                        if (horizontal.Weight[x * horizontal.Taps + t] is var wt && wt != 0) expected[c * ow * oh + y * ow + x] += wt * mid[horizontal.Index[x * horizontal.Taps + t]];
            }
        Assert.Equal(expected, fast);
    }
}
