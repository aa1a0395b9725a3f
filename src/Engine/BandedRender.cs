using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Engine;

/// <summary>
/// The full-resolution render of an 8-bit image in place, a band of rows at a time: each band's
/// values (v / 255) through the colour map (<see cref="ColorMapRender"/>) or colourised
/// (<see cref="ChromaRender"/>) and finished (<see cref="TransferFinish"/>: clamped, blended by the
/// strength), then rounded back to 8 bits. The arithmetic of the float render, without float planes
/// at full size: each thread reuses two bands of 16 rows.
/// </summary>
public static class BandedRender
{
    private const int Rows = 16;

    /// <summary>
    /// <paramref name="file"/> decoded and rendered through <paramref name="map"/>, finished: an 8-bit image
    /// in rows (<see cref="Apply(IColorMap, Rgba8Image, float)"/>); a 16-bit one through float planes, so
    /// that its extra precision enters the map.
    /// </summary>
    /// <exception cref="GctException">The image data is damaged.</exception>
    public static Rgba8Image Apply(IColorMap map, ImageFile file, float strength)
    {
        if (file.IsDeep)
        {
            var source = file.Decode();
            return Rgba8Image.From(TransferFinish.Apply(source, ColorMapRender.Apply(map, source), strength));
        }
        var image = file.DecodeRgba8();
        Apply(map, image, strength);
        return image;
    }

    /// <summary>Maps <paramref name="image"/>'s colours in place (its alpha untouched).</summary>
    public static void Apply(IColorMap map, Rgba8Image image, float strength) =>
        Apply(image, strength, (band, _, mapped) => ColorMapRender.ApplyTo(map, band, mapped));

    /// <summary>Colourises <paramref name="image"/> in place after a chroma field (its alpha untouched).</summary>
    public static void Apply(ChromaField field, Rgba8Image image, float strength)
    {
        var columns = ChromaRender.Columns(field, image.Width);
        Apply(image, strength, (band, top, mapped) => ChromaRender.ApplyTo(field, columns, band, top, image.Height, mapped));
    }

    /// <summary>Each band (its first row's index given) rendered into the second image by <paramref name="render"/>, finished, written back.</summary>
    private static void Apply(Rgba8Image image, float strength, Action<RgbImage, int, RgbImage> render)
    {
        int w = image.Width, h = image.Height;
        byte[] pixels = image.Pixels;
        Parallel.For(0, (h + Rows - 1) / Rows, () => ((RgbImage, RgbImage)?)null, (b, _, bands) =>
        {
            int y0 = b * Rows, rows = Math.Min(Rows, h - y0), n = w * rows;
            if (bands is not { } pair || pair.Item1.Height != rows) bands = pair = (new RgbImage(w, rows), new RgbImage(w, rows));
            var (band, mapped) = pair;
            long offset = 4L * y0 * w;
            float[] p = band.Planes;
            for (int i = 0; i < n; i++)
            {
                long s = offset + 4L * i;
                p[i] = Rgba8Image.Values[pixels[s]];
                p[n + i] = Rgba8Image.Values[pixels[s + 1]];
                p[2 * n + i] = Rgba8Image.Values[pixels[s + 2]];
            }
            render(band, y0, mapped);
            float[] result = TransferFinish.Apply(band, mapped, strength).Planes;
            for (int i = 0; i < n; i++)
            {
                long s = offset + 4L * i;
                pixels[s] = ImageCodec.ToByte(result[i]);
                pixels[s + 1] = ImageCodec.ToByte(result[n + i]);
                pixels[s + 2] = ImageCodec.ToByte(result[2 * n + i]);
            }
            return bands;
        }, _ => { });
    }
}
