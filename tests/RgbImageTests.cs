using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Tests;

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
}
