namespace GpuColorTransfer.Engine.Imaging;

/// <summary>
/// An upright image as 8-bit sRGB-encoded RGBA, interleaved, row-major: what a codec decodes and
/// encodes. A quarter of the memory of an <see cref="RgbImage"/>'s float planes, so that a large
/// target can be rendered and encoded without float planes at full size.
/// </summary>
public sealed class Rgba8Image
{
    /// <summary>Wraps <paramref name="pixels"/> (4 * width * height bytes: R, G, B, A per pixel).</summary>
    public Rgba8Image(int width, int height, byte[] pixels, bool hasAlpha)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "image sizes must be positive");
        if (pixels.Length != 4L * width * height) throw new ArgumentException("pixels must hold 4 * width * height bytes", nameof(pixels));
        (Width, Height, Pixels, HasAlpha) = (width, height, pixels, hasAlpha);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>R, G, B, A per pixel, row after row.</summary>
    public byte[] Pixels { get; }

    /// <summary>Whether the alpha bytes carry transparency (else they are all 255 and are ignored).</summary>
    public bool HasAlpha { get; }

    /// <summary>The value of each 8-bit sample in [0,1] (v / 255), the one conversion of every decode.</summary>
    internal static readonly float[] Values = [.. Enumerable.Range(0, 256).Select(v => v / 255f)];

    /// <summary>The image's float values rounded to 8 bits (<see cref="ImageCodec.ToByte"/>: clamped, NaN as 0); opaque alpha as 255.</summary>
    public static Rgba8Image From(RgbImage image)
    {
        int w = image.Width, h = image.Height, n = w * h;
        var bytes = new byte[4L * n];
        float[] p = image.Planes;
        float[]? a = image.Alpha;
        Parallel.For(0, h, y =>
        {
            for (int i = y * w; i < (y + 1) * w; i++)
            {
                bytes[4 * i] = ImageCodec.ToByte(p[i]);
                bytes[4 * i + 1] = ImageCodec.ToByte(p[n + i]);
                bytes[4 * i + 2] = ImageCodec.ToByte(p[2 * n + i]);
                bytes[4 * i + 3] = a is null ? (byte)255 : ImageCodec.ToByte(a[i]);
            }
        });
        return new Rgba8Image(w, h, bytes, a is not null);
    }
}
