using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Pipeline;

/// <summary>
/// Colourisation at full resolution: every pixel keeps its CIELAB lightness L* and takes the chroma
/// a* = s_a L* + o_a, b* = s_b L* + o_b of a <see cref="ChromaField"/>, its coefficients read bilinearly at
/// the pixel's place on the working grid (pixel centres aligned). The lightness edges are the full-size
/// target's own, so the chroma neither bleeds across them nor blurs with the upsampling. A colour sRGB
/// cannot show keeps its lightness and hue and loses chroma to the gamut's edge. One pass, the powers by
/// table (<see cref="LabTables"/>).
/// </summary>
public static class ChromaRender
{
    /// <summary>The colourised <paramref name="target"/>, rows in parallel (its alpha not carried).</summary>
    public static RgbImage Apply(ChromaField field, RgbImage target)
    {
        var result = new RgbImage(target.Width, target.Height);
        var columns = Columns(field, target.Width);
        ParallelBlocks.For(target.Height, (from, to) => Rows(field, columns, target, 0, target.Height, result, from, to));
        return result;
    }

    /// <summary>Where each column of an image <paramref name="width"/> wide falls on the field's grid: computed once per image, for <see cref="ApplyTo"/>.</summary>
    internal static (int, int, float)[] Columns(ChromaField field, int width) => [.. Enumerable.Range(0, width).Select(x => Sample(x, width, field.Width))];

    /// <summary>
    /// Colourises a band of rows of a target <paramref name="fullHeight"/> rows high whose first row is row
    /// <paramref name="top"/>, into <paramref name="output"/> (the band's size); <paramref name="columns"/> from <see cref="Columns"/>.
    /// </summary>
    internal static void ApplyTo(ChromaField field, (int, int, float)[] columns, RgbImage band, int top, int fullHeight, RgbImage output) =>
        Rows(field, columns, band, top, fullHeight, output, 0, band.Height);

    private static void Rows(ChromaField field, (int, int, float)[] columns, RgbImage band, int top, int fullHeight, RgbImage output, int from, int to)
    {
        int w = band.Width, n = band.PixelCount, gw = field.Width, gh = field.Height, g = gw * gh;
        float[] s = field.Slopes, o = field.Offsets, p = band.Planes, q = output.Planes;
        for (int row = from; row < to; row++)
        {
            var (y0, y1, fy) = Sample(top + row, fullHeight, gh);
            int r0 = y0 * gw, r1 = y1 * gw;
            for (int x = 0; x < w; x++)
            {
                var (x0, x1, fx) = columns[x];
                float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
                int i00 = r0 + x0, i01 = r0 + x1, i10 = r1 + x0, i11 = r1 + x1, i = row * w + x;
                float lightness = LabTables.Lightness(p[i], p[n + i], p[2 * n + i]);
                float a = (w00 * s[i00] + w01 * s[i01] + w10 * s[i10] + w11 * s[i11]) * lightness
                    + w00 * o[i00] + w01 * o[i01] + w10 * o[i10] + w11 * o[i11];
                float b = (w00 * s[g + i00] + w01 * s[g + i01] + w10 * s[g + i10] + w11 * s[g + i11]) * lightness
                    + w00 * o[g + i00] + w01 * o[g + i01] + w10 * o[g + i10] + w11 * o[g + i11];
                ColorMath.LabToLinear(lightness, a, b, out float lr, out float lg, out float lb);
                if (!InGamut(lr, lg, lb)) ToGamut(lightness, a, b, out lr, out lg, out lb);
                q[i] = LabTables.ToSrgb(lr);
                q[n + i] = LabTables.ToSrgb(lg);
                q[2 * n + i] = LabTables.ToSrgb(lb);
            }
        }
    }

    private static bool InGamut(float r, float g, float b) =>
        r >= -1e-4f && g >= -1e-4f && b >= -1e-4f && r <= 1 + 1e-4f && g <= 1 + 1e-4f && b <= 1 + 1e-4f;

    /// <summary>
    /// The colour of lightness <paramref name="l"/> and hue a*:b* with the most chroma up to (a*, b*) that sRGB
    /// holds (bisection on the chroma's scale; the grey of that lightness is always held): the lightness
    /// stays the target's, black stays black and white white, instead of a channel clipped alone tinting them.
    /// </summary>
    private static void ToGamut(float l, float a, float b, out float lr, out float lg, out float lb)
    {
        float inside = 0, outside = 1;
        for (int k = 0; k < 12; k++)
        {
            float t = 0.5f * (inside + outside);
            ColorMath.LabToLinear(l, t * a, t * b, out lr, out lg, out lb);
            if (InGamut(lr, lg, lb)) inside = t;
            else outside = t;
        }
        ColorMath.LabToLinear(l, inside * a, inside * b, out lr, out lg, out lb);
    }

    /// <summary>The two grid indices around full-size pixel <paramref name="x"/>'s centre and the weight of the second.</summary>
    private static (int, int, float) Sample(int x, int full, int grid)
    {
        float at = Math.Clamp((x + 0.5f) * grid / full - 0.5f, 0f, grid - 1);
        int i0 = (int)at;
        return (i0, Math.Min(i0 + 1, grid - 1), at - i0);
    }
}
