using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Tests.Imaging;

/// <summary>The tabled powers of full-resolution colourisation against the exact conversions.</summary>
public class LabTablesTests
{
    [Fact]
    public void The_tables_are_within_two_hundred_thousandths_of_the_exact_powers_and_clamp_outside()
    {
        var random = new Random(3);
        for (int k = 0; k < 20000; k++)
        {
            float x = k < 256 ? k / 255f : (float)random.NextDouble();
            Assert.InRange(LabTables.ToLinear(x) - ColorMath.SrgbToLinear(x), -2e-5f, 2e-5f);
            Assert.InRange(LabTables.ToSrgb(x) - ColorMath.LinearToSrgb(x), -2e-5f, 2e-5f);
            float r = (float)random.NextDouble(), g = (float)random.NextDouble(), b = (float)random.NextDouble();
            ColorMath.RgbToLab(r, g, b, out float l, out _, out _);
            Assert.InRange(LabTables.Lightness(r, g, b) - l, -2e-3f, 2e-3f);
        }
        Assert.Equal(0f, LabTables.ToSrgb(-0.3f));
        Assert.Equal(1f, LabTables.ToSrgb(1.7f), 5);
    }
}
