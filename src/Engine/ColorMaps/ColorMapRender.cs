using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>Applies a colour map to every pixel of an image (rows in parallel).</summary>
public static class ColorMapRender
{
    /// <summary>F(image), same size, alpha dropped; values are not clamped.</summary>
    public static RgbImage Apply(IColorMap map, RgbImage image)
    {
        int n = image.PixelCount, w = image.Width;
        var source = image.Planes;
        var result = new RgbImage(image.Width, image.Height);
        var output = result.Planes;
        Parallel.For(0, image.Height, y =>
        {
            for (int p = y * w, end = p + w; p < end; p++)
                (output[p], output[n + p], output[2 * n + p]) = map.Map(source[p], source[n + p], source[2 * n + p]);
        });
        return result;
    }
}
