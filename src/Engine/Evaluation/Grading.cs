using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>The known colour gradings of the ground-truth protocol (DESIGN section 6).</summary>
public enum Grading
{
    /// <summary>White balance: linear RGB times (1.25, 1.0, 0.75).</summary>
    Wb,
    /// <summary>Tone curve: y = x^0.8, then y + 1.2 y (1 - y) (y - 0.5).</summary>
    Curve,
    /// <summary>Hue: (a, b) of CIELAB rotated by +25 degrees, L kept.</summary>
    Hue,
    /// <summary>Teal shadows, orange highlights, then saturation x1.2.</summary>
    TealOrange,
    /// <summary>Faded: saturation x0.6, lifted blacks, warm tint.</summary>
    Fade,
    /// <summary>
    /// A graduated filter, the one spatially varying grading: in linear light the top row times
    /// (1.2, 1.0, 0.78), the bottom row times (0.85, 1.0, 1.2), linearly in between (both crops
    /// share the rows). Not among the default gradings; reported apart.
    /// </summary>
    Graduated,
}

/// <summary>Applies a <see cref="Grading"/> to sRGB values in [0,1]; each result is clamped to [0,1].</summary>
public static class Gradings
{
    /// <summary>The name used on the command line and in reports (wb, curve, hue, teal_orange, fade).</summary>
    public static string Name(this Grading g) => g switch
    {
        Grading.TealOrange => "teal_orange",
        _ => g.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses one name.</summary>
    public static Grading Parse(string name)
    {
        foreach (var g in Enum.GetValues<Grading>())
            if (g.Name() == name.Trim().ToLowerInvariant()) return g;
        throw new FormatException($"unknown grading '{name}'; valid: {string.Join(", ", Enum.GetValues<Grading>().Select(x => x.Name()))}");
    }

    /// <summary>The graded copy of an image.</summary>
    public static RgbImage Apply(this Grading grading, RgbImage image)
    {
        var result = new RgbImage(image.Width, image.Height);
        int n = image.PixelCount;
        var s = image.Planes;
        var d = result.Planes;
        for (int i = 0; i < n; i++)
        {
            float row = image.Height > 1 ? (float)(i / image.Width) / (image.Height - 1) : 0f;
            var (r, g, b) = Apply(grading, s[i], s[n + i], s[2 * n + i], row);
            d[i] = Math.Clamp(r, 0f, 1f);
            d[n + i] = Math.Clamp(g, 0f, 1f);
            d[2 * n + i] = Math.Clamp(b, 0f, 1f);
        }
        return result;
    }

    private static (float, float, float) Apply(Grading grading, float r, float g, float b, float row)
    {
        switch (grading)
        {
            case Grading.Graduated:
                return (Srgb(ColorMath.SrgbToLinear(r) * (1.2f + (0.85f - 1.2f) * row)), g,
                    Srgb(ColorMath.SrgbToLinear(b) * (0.78f + (1.2f - 0.78f) * row)));
            case Grading.Wb:
                return (Srgb(ColorMath.SrgbToLinear(r) * 1.25f), Srgb(ColorMath.SrgbToLinear(g)), Srgb(ColorMath.SrgbToLinear(b) * 0.75f));
            case Grading.Curve:
                return (Curve(r), Curve(g), Curve(b));
            case Grading.Hue:
            {
                ColorMath.RgbToLab(r, g, b, out float l, out float a, out float bb);
                float c = MathF.Cos(25f * MathF.PI / 180f), s = MathF.Sin(25f * MathF.PI / 180f);
                ColorMath.LabToRgb(l, c * a - s * bb, s * a + c * bb, out r, out g, out b);
                return (r, g, b);
            }
            case Grading.TealOrange:
            {
                float l = 0.2126f * r + 0.7152f * g + 0.0722f * b;
                float yr = r + (1 - l) * -0.06f + l * 0.08f, yg = g + (1 - l) * 0.02f + l * 0.02f, yb = b + (1 - l) * 0.06f + l * -0.08f;
                float m = (yr + yg + yb) / 3;
                return (m + 1.2f * (yr - m), m + 1.2f * (yg - m), m + 1.2f * (yb - m));
            }
            default:
            {
                float m = (r + g + b) / 3;
                return ((0.1f + 0.85f * (m + 0.6f * (r - m))) * 1.05f, 0.1f + 0.85f * (m + 0.6f * (g - m)), (0.1f + 0.85f * (m + 0.6f * (b - m))) * 0.9f);
            }
        }
    }

    private static float Srgb(float linear) => ColorMath.LinearToSrgb(Math.Clamp(linear, 0f, 1f));

    private static float Curve(float x)
    {
        float y = MathF.Pow(x, 0.8f);
        return y + 1.2f * y * (1 - y) * (y - 0.5f);
    }
}
