using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>
/// Strong creative looks of the kinds users apply, written as functions of an sRGB colour and
/// applied as 3D LUTs (<see cref="Grading.Lut"/>): black-and-white channel mixes with contrast
/// curves, sepia, bleach bypass, cross-process channel curves, washouts and matte fades with
/// lifted blacks, split toning, a strong teal-and-orange, selective colour, strong tints,
/// film-like tone curves with saturation roll-off, day for night, desaturated high contrast.
/// They are the development set of strong looks (gct eval --gradings looks); each has a test
/// that it is what its name says.
/// </summary>
public static class Looks
{
    /// <summary>Every look, in the order of reports.</summary>
    public static IReadOnlyList<Grading> All { get; } =
    [
        Grading.Look("bw_luma", "black and white from Rec. 709 luma, strong S-curve", (r, g, b) => Grey(Sig(Luma(r, g, b), 7f))),
        Grading.Look("bw_red_filter", "black and white through a red filter (reds bright, skies dark), hard contrast",
            (r, g, b) => Grey(Sig(Clamp(0.9f * r + 0.3f * g - 0.2f * b), 8f))),
        Grading.Look("bw_high_key", "black and white weighted to blue and green, lifted and bright",
            (r, g, b) => Grey(0.15f + 0.85f * MathF.Pow(Clamp(0.1f * r + 0.4f * g + 0.5f * b), 0.55f))),
        Grading.Look("sepia", "black and white toned: brown shadows, cream highlights", (r, g, b) =>
        {
            float y = Sig(Luma(r, g, b), 5f);
            return (0.06f + 0.98f * MathF.Pow(y, 0.85f), 0.03f + 0.95f * y, 0.9f * MathF.Pow(y, 1.3f));
        }),
        Grading.Look("bleach_bypass", "silver kept: hard contrast, then half the saturation", (r, g, b) =>
        {
            var (x, y, z) = (Sig(r, 7f), Sig(g, 7f), Sig(b, 7f));
            return Saturate(x, y, z, 0.35f);
        }),
        Grading.Look("cross_process", "slide film in negative chemistry: contrasty red, blue flattened and lifted (blue shadows, yellow highlights)",
            (r, g, b) => (Sig(r, 9f), 0.03f + 0.95f * Sig(g, 5f), 0.22f + 0.55f * MathF.Pow(b, 0.6f))),
        Grading.Look("cross_process_green", "negative film in slide chemistry: green-cyan cast, crushed red",
            (r, g, b) => (0.05f + 0.85f * MathF.Pow(r, 1.5f), 0.04f + 0.96f * Sig(g, 6f), 0.15f + 0.6f * MathF.Pow(b, 0.7f))),
        Grading.Look("washout", "washed out: blacks lifted to 0.22, whites down to 0.84, half the saturation", (r, g, b) =>
        {
            float l = Luma(r, g, b);
            return (0.22f + 0.62f * MathF.Pow(Mix(l, r, 0.55f), 0.7f), 0.22f + 0.62f * MathF.Pow(Mix(l, g, 0.55f), 0.7f),
                0.22f + 0.62f * MathF.Pow(Mix(l, b, 0.55f), 0.7f));
        }),
        Grading.Look("matte_fade", "matte: lifted blacks, dimmed whites, contrast in between",
            (r, g, b) => (0.12f + 0.8f * Sig(r, 6f), 0.12f + 0.8f * Sig(g, 6f), 0.12f + 0.8f * Sig(b, 6f))),
        Grading.Look("split_tone", "blue shadows, amber highlights", (r, g, b) =>
        {
            float l = Luma(r, g, b), shadow = (1 - l) * (1 - l) * (1 - l), light = l * l * l;
            return (r - 0.12f * shadow + 0.2f * light, g + 0.06f * light, b + 0.2f * shadow - 0.16f * light);
        }),
        Grading.Look("teal_orange_strong", "strong teal shadows and orange highlights, contrast, saturation x1.35", (r, g, b) =>
        {
            float l = Luma(r, g, b);
            var (x, y, z) = Saturate(r + (1 - l) * -0.12f + l * 0.14f, g + (1 - l) * 0.04f + l * 0.02f, b + (1 - l) * 0.10f + l * -0.14f, 1.35f);
            return (Sig(x, 5f), Sig(y, 5f), Sig(z, 5f));
        }),
        Grading.Look("selective_red", "reds kept, everything else grey", (r, g, b) => KeepHue(r, g, b, 40f, 35f)),
        Grading.Look("selective_blue", "blues kept, everything else grey", (r, g, b) => KeepHue(r, g, b, 285f, 50f)),
        Grading.Look("tint_green", "strong green cast", (r, g, b) => (0.85f * MathF.Pow(r, 1.4f), 0.05f + 0.95f * MathF.Pow(g, 0.8f), 0.85f * MathF.Pow(b, 1.3f))),
        Grading.Look("tint_magenta", "strong magenta-purple cast", (r, g, b) => (MathF.Pow(r, 0.8f), 0.85f * MathF.Pow(g, 1.3f), MathF.Pow(b, 0.75f))),
        Grading.Look("film_warm", "warm print film: toe and shoulder, warm highlights, saturation rolled off in the highlights", (r, g, b) =>
        {
            float l = Luma(r, g, b);
            var (x, y, z) = Saturate(0.03f + 0.97f * Sig(r, 6f), 0.03f + 0.97f * Sig(g, 6f), 0.03f + 0.97f * Sig(b, 6f), 1.15f - 0.8f * l * l);
            return (1.04f * x, y, 0.9f * z);
        }),
        Grading.Look("film_cool", "cool print film: green shadows, cool highlights, lifted, less saturated", (r, g, b) =>
        {
            float l = Luma(r, g, b);
            var (x, y, z) = Saturate(0.04f + 0.96f * Sig(r, 5f), 0.04f + 0.96f * Sig(g, 5f), 0.04f + 0.96f * Sig(b, 5f), 0.85f);
            return (x - 0.04f * (1 - l) - 0.02f * l, y + 0.05f * (1 - l), z + 0.02f * (1 - l) + 0.06f * l);
        }),
        Grading.Look("day_for_night", "day for night: dark, blue, mostly desaturated", (r, g, b) =>
        {
            float l = Luma(r, g, b);
            return (0.4f * MathF.Pow(Mix(l, r, 0.4f), 1.5f), 0.02f + 0.5f * MathF.Pow(Mix(l, g, 0.4f), 1.4f), 0.06f + 0.65f * MathF.Pow(Mix(l, b, 0.4f), 1.2f));
        }),
        Grading.Look("noir_colour", "very hard contrast, then a quarter of the saturation", (r, g, b) => Saturate(Sig(r, 10f), Sig(g, 10f), Sig(b, 10f), 0.25f)),
    ];

    /// <summary>Rec. 709 luma of the sRGB values.</summary>
    private static float Luma(float r, float g, float b) => 0.2126f * r + 0.7152f * g + 0.0722f * b;

    /// <summary>
    /// A contrast S-curve fixing 0, 0.5 and 1: the logistic function of k (x - 0.5), rescaled to
    /// [0,1]; steeper for a larger k (slope at 0.5 about k/4 over its range, 1.66 at k = 6).
    /// </summary>
    private static float Sig(float x, float k)
    {
        static float Logistic(float t) => 1f / (1f + MathF.Exp(-t));
        float lo = Logistic(-k / 2), hi = Logistic(k / 2);
        return (Logistic(k * (Clamp(x) - 0.5f)) - lo) / (hi - lo);
    }

    private static float Mix(float a, float b, float t) => a + t * (b - a);

    private static float Clamp(float x) => Math.Clamp(x, 0f, 1f);

    private static (float, float, float) Grey(float y) => (y, y, y);

    /// <summary>Saturation about the luma: each channel L + s (c - L).</summary>
    private static (float, float, float) Saturate(float r, float g, float b, float s)
    {
        float l = Luma(r, g, b);
        return (l + s * (r - l), l + s * (g - l), l + s * (b - l));
    }

    /// <summary>
    /// Selective colour in CIELAB: the chroma of colours within <paramref name="width"/> degrees of
    /// hue <paramref name="hue"/> kept (falling off linearly to the edge, and for near-greys), every
    /// other colour's chroma removed; lightness kept.
    /// </summary>
    private static (float, float, float) KeepHue(float r, float g, float b, float hue, float width)
    {
        ColorMath.RgbToLab(r, g, b, out float l, out float a, out float bb);
        float h = MathF.Atan2(bb, a) * 180f / MathF.PI;
        float distance = MathF.Abs(((h - hue) % 360f + 540f) % 360f - 180f);
        float keep = Clamp(1 - distance / width) * Clamp(MathF.Sqrt(a * a + bb * bb) / 20f);
        ColorMath.LabToRgb(l, keep * a, keep * bb, out float x, out float y, out float z);
        return (x, y, z);
    }
}
