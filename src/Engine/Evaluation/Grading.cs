using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>Which set a <see cref="Grading"/> belongs to.</summary>
public enum GradingFamily
{
    /// <summary>The four mild synthetic gradings of DESIGN section 6 (wb, hue, teal_orange, fade) and the curve.</summary>
    Mild,
    /// <summary>A strong creative look of the kinds users apply (<see cref="Looks"/>), applied as a 3D LUT.</summary>
    Look,
    /// <summary>A spatially varying grading (graduated), reported apart.</summary>
    Spatial,
    /// <summary>
    /// Colourisation (<see cref="Grading.Colorize"/>): the target is the true crop without its colour,
    /// the reference the other crop as it is; reported apart.
    /// </summary>
    Colorize,
}

/// <summary>
/// A known colour grading of the ground-truth protocol: a function of sRGB values in [0,1]
/// (and, for the spatial one, of the row), each result clamped to [0,1].
/// </summary>
public sealed class Grading
{
    private readonly Func<float, float, float, float, (float R, float G, float B)> _pixel;
    private readonly Lazy<LatticeColorMap>? _lut;

    private Grading(string name, GradingFamily family, string description, Func<float, float, float, float, (float, float, float)> pixel, bool asLut)
    {
        Name = name;
        Family = family;
        Description = description;
        _pixel = pixel;
        if (asLut) _lut = new(() => LatticeColorMap.Sample(new PixelMap(pixel), LutSize));
    }

    /// <summary>Nodes per axis of the 3D LUT a look is applied through, as a .cube look would be.</summary>
    public const int LutSize = 33;

    /// <summary>The name used on the command line and in reports.</summary>
    public string Name { get; }

    /// <summary>The set it belongs to.</summary>
    public GradingFamily Family { get; }

    /// <summary>What it does, in a few words.</summary>
    public string Description { get; }

    /// <summary>
    /// The look as a 3D LUT (<see cref="LutSize"/> nodes per axis, the defining function sampled at
    /// the nodes), for a look; null for the others, which are applied through their formula.
    /// </summary>
    public LatticeColorMap? Lut => _lut?.Value;

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>A colour grading defined by a formula of the pixel (and its row, 0 at the top, 1 at the bottom).</summary>
    internal static Grading Formula(string name, GradingFamily family, string description, Func<float, float, float, float, (float, float, float)> pixel) =>
        new(name, family, description, pixel, asLut: false);

    /// <summary>A look: a function of the colour alone, applied through its 3D LUT.</summary>
    internal static Grading Look(string name, string description, Func<float, float, float, (float, float, float)> pixel) =>
        new(name, GradingFamily.Look, description, (r, g, b, _) => pixel(r, g, b), asLut: true);

    /// <summary>The graded copy of an image, values clamped to [0,1].</summary>
    public RgbImage Apply(RgbImage image)
    {
        var result = new RgbImage(image.Width, image.Height);
        int n = image.PixelCount;
        var s = image.Planes;
        var d = result.Planes;
        var lut = Lut;
        for (int i = 0; i < n; i++)
        {
            float row = image.Height > 1 ? (float)(i / image.Width) / (image.Height - 1) : 0f;
            var (r, g, b) = lut is null ? _pixel(s[i], s[n + i], s[2 * n + i], row) : lut.Map(s[i], s[n + i], s[2 * n + i]);
            d[i] = Math.Clamp(r, 0f, 1f);
            d[n + i] = Math.Clamp(g, 0f, 1f);
            d[2 * n + i] = Math.Clamp(b, 0f, 1f);
        }
        return result;
    }

    /// <summary>The defining function at one colour (not through the LUT), clamped to [0,1]: what a look's tests check.</summary>
    public (float R, float G, float B) Defined(float r, float g, float b)
    {
        var (x, y, z) = _pixel(r, g, b, 0f);
        return (Math.Clamp(x, 0f, 1f), Math.Clamp(y, 0f, 1f), Math.Clamp(z, 0f, 1f));
    }

    /// <summary>White balance: linear RGB times (1.25, 1.0, 0.75).</summary>
    public static Grading Wb { get; } = Formula("wb", GradingFamily.Mild, "white balance: linear RGB x (1.25, 1, 0.75)",
        (r, g, b, _) => (Srgb(ColorMath.SrgbToLinear(r) * 1.25f), Srgb(ColorMath.SrgbToLinear(g)), Srgb(ColorMath.SrgbToLinear(b) * 0.75f)));

    /// <summary>Tone curve: y = x^0.8, then y + 1.2 y (1 - y) (y - 0.5).</summary>
    public static Grading Curve { get; } = Formula("curve", GradingFamily.Mild, "tone curve x^0.8 then an S", (r, g, b, _) => (ToneCurve(r), ToneCurve(g), ToneCurve(b)));

    /// <summary>Hue: (a, b) of CIELAB rotated by +25 degrees, L kept.</summary>
    public static Grading Hue { get; } = Formula("hue", GradingFamily.Mild, "CIELAB hue +25 degrees", (r, g, b, _) =>
    {
        ColorMath.RgbToLab(r, g, b, out float l, out float a, out float bb);
        float c = MathF.Cos(25f * MathF.PI / 180f), s = MathF.Sin(25f * MathF.PI / 180f);
        ColorMath.LabToRgb(l, c * a - s * bb, s * a + c * bb, out r, out g, out b);
        return (r, g, b);
    });

    /// <summary>Teal shadows, orange highlights, then saturation x1.2.</summary>
    public static Grading TealOrange { get; } = Formula("teal_orange", GradingFamily.Mild, "teal shadows, orange highlights, saturation x1.2", (r, g, b, _) =>
    {
        float l = 0.2126f * r + 0.7152f * g + 0.0722f * b;
        float yr = r + (1 - l) * -0.06f + l * 0.08f, yg = g + (1 - l) * 0.02f + l * 0.02f, yb = b + (1 - l) * 0.06f + l * -0.08f;
        float m = (yr + yg + yb) / 3;
        return (m + 1.2f * (yr - m), m + 1.2f * (yg - m), m + 1.2f * (yb - m));
    });

    /// <summary>Faded: saturation x0.6, lifted blacks, warm tint.</summary>
    public static Grading Fade { get; } = Formula("fade", GradingFamily.Mild, "saturation x0.6, lifted blacks, warm tint", (r, g, b, _) =>
    {
        float m = (r + g + b) / 3;
        return ((0.1f + 0.85f * (m + 0.6f * (r - m))) * 1.05f, 0.1f + 0.85f * (m + 0.6f * (g - m)), (0.1f + 0.85f * (m + 0.6f * (b - m))) * 0.9f);
    });

    /// <summary>
    /// A graduated filter, the one spatially varying grading: in linear light the top row times
    /// (1.2, 1.0, 0.78), the bottom row times (0.85, 1.0, 1.2), linearly in between (both crops
    /// share the rows). Not among the default gradings; reported apart.
    /// </summary>
    public static Grading Graduated { get; } = Formula("graduated", GradingFamily.Spatial, "graduated filter, warm top to cool bottom", (r, g, b, row) =>
        (Srgb(ColorMath.SrgbToLinear(r) * (1.2f + (0.85f - 1.2f) * row)), g, Srgb(ColorMath.SrgbToLinear(b) * (0.78f + (1.2f - 0.78f) * row))));

    /// <summary>
    /// Colourisation's case: the target is the Rec. 709 luma of the right crop as three equal channels,
    /// the reference the left crop, the truth the right crop (<see cref="RecoveryProtocol.Make"/>);
    /// <see cref="Apply"/> is that loss of colour. Not among the default gradings; reported apart.
    /// </summary>
    public static Grading Colorize { get; } = Formula("colorize", GradingFamily.Colorize, "a grey target coloured after a colour reference", (r, g, b, _) =>
    {
        float y = 0.2126f * r + 0.7152f * g + 0.0722f * b;
        return (y, y, y);
    });

    /// <summary>The mild gradings evaluated by default (DESIGN section 6).</summary>
    public static IReadOnlyList<Grading> Mild { get; } = [Wb, Hue, TealOrange, Fade];

    /// <summary>Every grading: the mild ones, the curve, the graduated filter, colourisation and the looks.</summary>
    public static IReadOnlyList<Grading> All { get; } = [Wb, Curve, Hue, TealOrange, Fade, Graduated, Colorize, .. Looks.All];

    /// <summary>The names a list of gradings may use besides each grading's: 'mild' (wb, hue, teal_orange, fade) and 'looks'.</summary>
    public static IReadOnlyList<string> SetNames { get; } = ["mild", "looks"];

    /// <summary>The gradings of a comma-separated list of names and set names (<see cref="SetNames"/>), in order, each once.</summary>
    /// <exception cref="FormatException">A name is unknown, or the list is empty.</exception>
    public static IReadOnlyList<Grading> ParseList(string list)
    {
        var result = new List<Grading>();
        foreach (string item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string name = item.ToLowerInvariant();
            IEnumerable<Grading> named = name switch
            {
                "mild" => Mild,
                "looks" => Looks.All,
                _ => [All.FirstOrDefault(g => g.Name == name)
                    ?? throw new FormatException($"unknown grading '{item}'; valid: {string.Join(", ", SetNames)}, {string.Join(", ", All.Select(g => g.Name))}")],
            };
            foreach (var g in named)
                if (!result.Contains(g)) result.Add(g);
        }
        return result.Count > 0 ? result : throw new FormatException("no grading given");
    }

    private static float Srgb(float linear) => ColorMath.LinearToSrgb(Math.Clamp(linear, 0f, 1f));

    private static float ToneCurve(float x)
    {
        float y = MathF.Pow(x, 0.8f);
        return y + 1.2f * y * (1 - y) * (y - 0.5f);
    }

    /// <summary>A pixel function as a colour map clamped to [0,1], to sample it into a LUT (as a .cube file holds it).</summary>
    private sealed class PixelMap(Func<float, float, float, float, (float, float, float)> pixel) : IColorMap
    {
        public (float R, float G, float B) Map(float r, float g, float b)
        {
            var (x, y, z) = pixel(r, g, b, 0f);
            return (Math.Clamp(x, 0f, 1f), Math.Clamp(y, 0f, 1f), Math.Clamp(z, 0f, 1f));
        }
    }
}
