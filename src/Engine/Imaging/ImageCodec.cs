using System.Runtime.InteropServices;
using GpuColorTransfer.Engine.Files;
using SkiaSharp;

namespace GpuColorTransfer.Engine.Imaging;

/// <summary>
/// Decodes and encodes images with SkiaSharp. Decoding yields sRGB-encoded float planes: EXIF
/// orientation is applied, embedded ICC profiles are converted to sRGB, grayscale becomes three
/// equal channels and alpha is kept. Encoding chooses the format from the file extension and
/// writes atomically.
/// </summary>
public static class ImageCodec
{
    /// <summary>The default limit on the pixel count of an input image (100 MP).</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>Decodes an image file whole (<see cref="ImageFile.Decode"/>); <paramref name="maxPixels"/> is checked from the header before decoding.</summary>
    public static RgbImage Decode(string path, long maxPixels = DefaultMaxPixels) => ImageFile.Open(path, maxPixels).Decode();

    /// <summary>The encoded format for an output path, from its extension.</summary>
    public static SKEncodedImageFormat FormatFor(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => SKEncodedImageFormat.Png,
            ".jpg" or ".jpeg" => SKEncodedImageFormat.Jpeg,
            ".webp" => SKEncodedImageFormat.Webp,
            var ext => throw new GctException($"{path}: cannot write '{(ext.Length == 0 ? "(no extension)" : ext)}' files; use .png, .jpg/.jpeg or .webp"),
        };

    /// <summary>
    /// Encodes the image (values clamped to [0,1], rounded to 8 bits) in the format of the path's
    /// extension and writes it atomically: to a temporary file in the same folder, then renamed.
    /// </summary>
    public static void Encode(RgbImage image, string path, int quality = 95) => AtomicFile.Write(path, Encoder(image, path, quality));

    /// <summary>A writer that encodes the image in the format of <paramref name="path"/>'s extension (for <see cref="OutputSet.Write"/>).</summary>
    public static Action<Stream> Encoder(RgbImage image, string path, int quality = 95)
    {
        var format = FormatFor(path);
        return stream => Encode(image, stream, format, quality);
    }

    /// <summary>
    /// PNG at zlib level 1 with the Sub filter: 5.6x faster than Skia's default (level 6, all
    /// filters) on a 1920x1080 photo, 159 vs 894 ms, for a file 13% larger (docs/performance.md, "Codecs").
    /// </summary>
    private static readonly SKPngEncoderOptions FastPng = new(SKPngEncoderFilterFlags.Sub, 1);

    /// <summary>Encodes the image to a stream in the given format (PNG: <see cref="FastPng"/>; JPEG and WebP at <paramref name="quality"/>), rounded to 8 bits.</summary>
    public static void Encode(RgbImage image, Stream stream, SKEncodedImageFormat format, int quality) =>
        Encode(Rgba8Image.From(image), stream, format, quality);

    /// <summary>A writer that encodes 8-bit pixels in the format of <paramref name="path"/>'s extension (for <see cref="OutputSet.Write"/>).</summary>
    public static Action<Stream> Encoder(Rgba8Image image, string path, int quality = 95)
    {
        var format = FormatFor(path);
        return stream => Encode(image, stream, format, quality);
    }

    /// <summary>Encodes 8-bit pixels to a stream in the given format (JPEG through <see cref="JpegEncoder"/>); the alpha is written where the image has one and the format keeps it (PNG, WebP).</summary>
    public static void Encode(Rgba8Image image, Stream stream, SKEncodedImageFormat format, int quality)
    {
        if (format == SKEncodedImageFormat.Jpeg)
        {
            JpegEncoder.Encode(image, stream, quality);
            return;
        }
        int w = image.Width, h = image.Height;
        bool alpha = image.HasAlpha;
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, alpha ? SKAlphaType.Unpremul : SKAlphaType.Opaque, SKColorSpace.CreateSrgb());
        var handle = GCHandle.Alloc(image.Pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), 4 * w);
            using var data = (format == SKEncodedImageFormat.Png ? pixmap.Encode(FastPng) : pixmap.Encode(format, quality))
                ?? throw new GctException($"the {format} encoder failed for a {w}x{h} image");
            data.SaveTo(stream);
        }
        finally { handle.Free(); }
    }

    /// <summary>
    /// A writer of <paramref name="values"/> (row-major, 0..65535) as a 16-bit grey PNG: an
    /// RGBA 16-bit bitmap with R = G = B = value; encoded now, so that a failure names
    /// <paramref name="path"/> before anything is written.
    /// </summary>
    public static Action<Stream> Gray16PngEncoder(int[] values, int width, int height, string path)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba16161616, SKAlphaType.Opaque, null);
        var data = new ushort[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = (ushort)values[i];
            data[4 * i + 3] = ushort.MaxValue;
        }
        var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), 8 * width);
            using var encoded = pixmap.Encode(SKEncodedImageFormat.Png, 100) ?? throw new GctException($"{path}: the PNG encoder failed");
            byte[] bytes = encoded.ToArray();
            return stream => stream.Write(bytes);
        }
        finally { handle.Free(); }
    }

    /// <summary>Rounds a [0,1] value to 8 bits (clamping; NaN becomes 0).</summary>
    public static byte ToByte(float v) => v > 0f ? (v < 1f ? (byte)(v * 255f + 0.5f) : (byte)255) : (byte)0;
}
