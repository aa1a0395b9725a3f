using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Imaging;

/// <summary>
/// The powers of the sRGB and CIELAB conversions (<see cref="ColorMath"/>) as tables read with
/// linear interpolation, for per-pixel work at full resolution where a power per channel would
/// cost more than everything else: the sRGB curves within 2e-5 of the exact functions on [0, 1] (an
/// 8-bit value rounds the same but for a value within that of a half step), the lightness within
/// 2e-3 L*; inputs outside [0, 1] clamped.
/// </summary>
internal static class LabTables
{
    private const int Steps = 4096;

    private static readonly float[] Linear = Table(ColorMath.SrgbToLinear);
    private static readonly float[] Encoded = Table(ColorMath.LinearToSrgb);
    private static readonly float[] LightnessOfY = Table(ColorMath.Lightness);

    private static float[] Table(Func<float, float> f) => [.. Enumerable.Range(0, Steps + 2).Select(i => f(Math.Min(i, Steps) / (float)Steps))];

    private static float Read(float[] table, float x)
    {
        float t = Math.Clamp(x, 0f, 1f) * Steps;
        int i = (int)t;
        return table[i] + (t - i) * (table[i + 1] - table[i]);
    }

    /// <summary>sRGB-encoded value to linear light (<see cref="ColorMath.SrgbToLinear"/>).</summary>
    public static float ToLinear(float encoded) => Read(Linear, encoded);

    /// <summary>Linear light to the sRGB-encoded value (<see cref="ColorMath.LinearToSrgb"/>); outside [0, 1] clamped.</summary>
    public static float ToSrgb(float linear) => Read(Encoded, linear);

    /// <summary>The CIELAB lightness L* (0-100) of an sRGB colour: of its relative luminance Y.</summary>
    public static float Lightness(float r, float g, float b) =>
        Read(LightnessOfY, ColorMath.Luminance(ToLinear(r), ToLinear(g), ToLinear(b)));
}
