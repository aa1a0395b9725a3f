namespace GpuColorTransfer.Shaders;

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

    private static float LabF(float t) =>
        t > 216f / 24389f ? MathF.Cbrt(t) : t * (24389f / 27f / 116f) + 16f / 116f;

    /// <summary>sRGB-encoded RGB in [0,1] to CIELAB (D65): L in [0,100].</summary>
    public static void RgbToLab(float r, float g, float b, out float l, out float a, out float bb)
    {
        float lr = SrgbToLinear(r), lg = SrgbToLinear(g), lb = SrgbToLinear(b);
        float x = (0.4124564f * lr + 0.3575761f * lg + 0.1804375f * lb) / WhiteX;
        float y = 0.2126729f * lr + 0.7151522f * lg + 0.0721750f * lb;
        float z = (0.0193339f * lr + 0.1191920f * lg + 0.9503041f * lb) / WhiteZ;
        float fx = LabF(x), fy = LabF(y), fz = LabF(z);
        l = 116f * fy - 16f;
        a = 500f * (fx - fy);
        bb = 200f * (fy - fz);
    }
}
