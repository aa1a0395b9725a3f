namespace GpuColorTransfer.Kernels;

/// <summary>
/// sRGB and CIELAB (D65) conversions, written as plain static methods so that the same code
/// runs inside an ILGPU kernel and in a CPU loop.
/// </summary>
public static class ColorMath
{
    /// <summary>D65 reference white, X component.</summary>
    public const float WhiteX = 0.95047f;
    /// <summary>D65 reference white, Z component.</summary>
    public const float WhiteZ = 1.08883f;

    /// <summary>sRGB transfer function inverse: encoded value in [0,1] to linear light.</summary>
    public static float SrgbToLinear(float c) =>
        c <= 0.04045f ? c / 12.92f : MathF.Pow((c + 0.055f) / 1.055f, 2.4f);

    /// <summary>sRGB transfer function: linear light to encoded value.</summary>
    public static float LinearToSrgb(float c) =>
        c <= 0.0031308f ? 12.92f * c : 1.055f * MathF.Pow(c, 1f / 2.4f) - 0.055f;

    private static float LabF(float t) =>
        t > 216f / 24389f ? Cbrt(t) : t * (24389f / 27f / 116f) + 16f / 116f;

    /// <summary>
    /// The cube root of t &gt; 0: a power, then one Newton step (within an ulp or two of
    /// MathF.Cbrt). MathF.Cbrt itself has no device mapping in ILGPU: it becomes an extern call
    /// that the CUDA driver's JIT cannot resolve.
    /// </summary>
    public static float Cbrt(float t)
    {
        float y = MathF.Pow(t, 1f / 3f);
        return y - (y * y * y - t) / (3f * y * y);
    }

    private static float LabFInverse(float f) =>
        f > 6f / 29f ? f * f * f : (f - 16f / 116f) * (27f * 116f / 24389f);

    /// <summary>sRGB-encoded RGB in [0,1] to CIELAB (D65): L in [0,100].</summary>
    public static void RgbToLab(float r, float g, float b, out float l, out float a, out float bb)
    {
        float lr = SrgbToLinear(r), lg = SrgbToLinear(g), lb = SrgbToLinear(b);
        float x = (0.4124564f * lr + 0.3575761f * lg + 0.1804375f * lb) / WhiteX;
        float y = Luminance(lr, lg, lb);
        float z = (0.0193339f * lr + 0.1191920f * lg + 0.9503041f * lb) / WhiteZ;
        float fx = LabF(x), fy = LabF(y), fz = LabF(z);
        l = 116f * fy - 16f;
        a = 500f * (fx - fy);
        bb = 200f * (fy - fz);
    }

    /// <summary>The relative luminance Y (D65, white 1) of linear-light RGB.</summary>
    public static float Luminance(float lr, float lg, float lb) => 0.2126729f * lr + 0.7151522f * lg + 0.0721750f * lb;

    /// <summary>The CIELAB lightness L* (0-100) of a relative luminance Y (white 1): 116 f(Y) - 16, as in <see cref="RgbToLab"/>.</summary>
    public static float Lightness(float y) => 116f * LabF(y) - 16f;

    /// <summary>CIELAB (D65) to linear-light RGB (not clamped).</summary>
    public static void LabToLinear(float l, float a, float bb, out float lr, out float lg, out float lb)
    {
        float fy = (l + 16f) / 116f, fx = fy + a / 500f, fz = fy - bb / 200f;
        float x = LabFInverse(fx) * WhiteX, y = LabFInverse(fy), z = LabFInverse(fz) * WhiteZ;
        lr = 3.2404542f * x - 1.5371385f * y - 0.4985314f * z;
        lg = -0.9692660f * x + 1.8760108f * y + 0.0415560f * z;
        lb = 0.0556434f * x - 0.2040259f * y + 1.0572252f * z;
    }

    /// <summary>CIELAB (D65) to sRGB-encoded RGB (not clamped).</summary>
    public static void LabToRgb(float l, float a, float bb, out float r, out float g, out float b)
    {
        LabToLinear(l, a, bb, out float lr, out float lg, out float lb);
        r = LinearToSrgb(lr);
        g = LinearToSrgb(lg);
        b = LinearToSrgb(lb);
    }
}
