using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Tests.Kernels;

/// <summary>sRGB to CIELAB (D65) against published values (B. Lindbloom's colour calculator, sRGB, D65).</summary>
public class ColorMathTests
{
    [Theory]
    [InlineData(1f, 1f, 1f, 100.0, 0.0, 0.0)]
    [InlineData(0f, 0f, 0f, 0.0, 0.0, 0.0)]
    [InlineData(1f, 0f, 0f, 53.2408, 80.0925, 67.2032)]
    [InlineData(0f, 1f, 0f, 87.7347, -86.1827, 83.1793)]
    [InlineData(0f, 0f, 1f, 32.2970, 79.1875, -107.8602)]
    [InlineData(0.5f, 0.5f, 0.5f, 53.3890, 0.0, 0.0)]
    public void Rgb_to_lab_matches_published_values(float r, float g, float b, double l, double a, double bb)
    {
        ColorMath.RgbToLab(r, g, b, out float ol, out float oa, out float ob);
        Assert.Equal(l, ol, 0.02);
        Assert.Equal(a, oa, 0.05);
        Assert.Equal(bb, ob, 0.05);
    }

    [Fact]
    public void Cube_root_is_within_two_ulps_of_the_double_cube_root()
    {
        // The Lab domain (t above 216/24389, up to a little over 1) and a wider range.
        for (double t = 216.0 / 24389; t < 1000; t *= 1.0007)
        {
            float x = (float)t;
            double exact = Math.Cbrt(x);
            Assert.True(Math.Abs(ColorMath.Cbrt(x) - exact) <= 2.5e-7 * exact, $"cbrt({x}) = {ColorMath.Cbrt(x)}, expected {exact}");
        }
    }
}
