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

    /// <summary>Decodes an image file; <paramref name="maxPixels"/> is checked from the header before decoding.</summary>
    public static RgbImage Decode(string path, long maxPixels = DefaultMaxPixels)
    {
        byte[] bytes = InputFile.ReadAll(path, "an image file");

        using var data = new MemoryStream(bytes, writable: false);
        using var codec = SKCodec.Create(data, out var created);
        if (codec is null)
            throw GctException.ForFile(path, $"not a readable image ({Describe(created)}); use JPEG, PNG or WebP");
        var info = codec.Info;
        long pixels = (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0)
            throw GctException.ForFile(path, "the header gives an empty image size");
        if (codec.EncodedFormat == SKEncodedImageFormat.Jpeg && !HasJpegEnd(bytes))
            throw GctException.ForFile(path, "the JPEG data is truncated (no end marker after the last scan); re-export or re-download the file");
        if (pixels > maxPixels)
            throw new ImageTooLargeException(path, info.Width, info.Height, maxPixels);

        // Skia converts any embedded ICC profile to the sRGB destination. 8-bit sources decode
        // exactly to 8-bit RGBA. 16-bit PNGs (which Skia reports as 8-bit; the IHDR chunk's bit
        // depth, byte 24, tells) decode to half floats, Skia's only deep destination: about 11
        // significant bits per channel.
        bool deep = codec.EncodedFormat == SKEncodedImageFormat.Png && bytes.Length > 24 && bytes[24] == 16;
        RgbImage? image = null;
        var result = deep ? DecodeAs<Half>(codec, SKColorType.RgbaF16, h => (float)h, ref image) : SKCodecResult.InvalidConversion;
        if (result == SKCodecResult.InvalidConversion) result = DecodeAs<byte>(codec, SKColorType.Rgba8888, b => b / 255f, ref image);
        if (result != SKCodecResult.Success || image is null)
            throw GctException.ForFile(path, $"the image data is damaged ({Describe(result)}); re-export or re-download the file");
        return image;
    }

    /// <summary>Decodes into RGBA samples of <paramref name="colorType"/>, then into oriented float planes.</summary>
    private static SKCodecResult DecodeAs<T>(SKCodec codec, SKColorType colorType, Func<T, float> toFloat, ref RgbImage? image)
        where T : unmanaged
    {
        var info = codec.Info;
        var dst = new SKImageInfo(info.Width, info.Height, colorType, SKAlphaType.Unpremul, SKColorSpace.CreateSrgb());
        var samples = new T[4L * info.Width * info.Height];
        SKCodecResult result;
        var handle = GCHandle.Alloc(samples, GCHandleType.Pinned);
        try { result = codec.GetPixels(dst, handle.AddrOfPinnedObject()); }
        finally { handle.Free(); }
        if (result == SKCodecResult.Success)
            image = Orient(samples, toFloat, info.Width, info.Height, codec.EncodedOrigin, info.AlphaType != SKAlphaType.Opaque);
        return result;
    }

    /// <summary>
    /// Whether an end-of-image marker (FF D9) follows the last start-of-scan (FF DA). Entropy-coded
    /// data cannot contain either (0xFF is stuffed as FF 00), so a file cut inside its image data
    /// lacks it; the decoder itself would fill the missing rows with grey and report success.
    /// </summary>
    private static bool HasJpegEnd(ReadOnlySpan<byte> bytes)
    {
        int sos = bytes.LastIndexOf([(byte)0xFF, (byte)0xDA]);
        return sos >= 0 && bytes[sos..].IndexOf([(byte)0xFF, (byte)0xD9]) >= 0;
    }

    private static string Describe(SKCodecResult r) => r switch
    {
        SKCodecResult.IncompleteInput => "the file is truncated",
        SKCodecResult.ErrorInInput => "the data is corrupt",
        SKCodecResult.Unimplemented => "this format or variant is not supported",
        SKCodecResult.InvalidInput or SKCodecResult.CouldNotRewind => "the data is not an image",
        _ => r.ToString(),
    };

    /// <summary>Copies interleaved RGBA into planes, applying the EXIF orientation.</summary>
    private static RgbImage Orient<T>(T[] rgba, Func<T, float> toFloat, int w, int h, SKEncodedOrigin origin, bool hasAlpha)
    {
        bool swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int ow = swap ? h : w, oh = swap ? w : h;
        var img = new RgbImage(ow, oh);
        float[] planes = img.Planes;
        float[]? alpha = hasAlpha ? new float[ow * oh] : null;
        int n = ow * oh;
        Parallel.For(0, oh, y =>
        {
            for (int x = 0; x < ow; x++)
            {
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    SKEncodedOrigin.LeftBottom => (w - 1 - y, x),
                    _ => (x, y),
                };
                int s = 4 * (sy * w + sx), d = y * ow + x;
                planes[d] = Finite(toFloat(rgba[s]));
                planes[n + d] = Finite(toFloat(rgba[s + 1]));
                planes[2 * n + d] = Finite(toFloat(rgba[s + 2]));
                if (alpha is not null) alpha[d] = Finite(toFloat(rgba[s + 3]));
            }
        });
        img.Alpha = alpha;
        return img;
    }

    private static float Finite(float v) => float.IsFinite(v) ? v : 0f;

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

    /// <summary>Encodes the image to a stream in the given format (PNG: <see cref="FastPng"/>; JPEG and WebP at <paramref name="quality"/>).</summary>
    public static void Encode(RgbImage image, Stream stream, SKEncodedImageFormat format, int quality)
    {
        int w = image.Width, h = image.Height, n = w * h;
        bool alpha = image.Alpha is not null && format != SKEncodedImageFormat.Jpeg;
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, alpha ? SKAlphaType.Unpremul : SKAlphaType.Opaque, SKColorSpace.CreateSrgb());
        var bytes = new byte[4 * n];
        float[] p = image.Planes;
        float[]? a = image.Alpha;
        Parallel.For(0, h, y =>
        {
            for (int i = y * w; i < (y + 1) * w; i++)
            {
                bytes[4 * i] = ToByte(p[i]);
                bytes[4 * i + 1] = ToByte(p[n + i]);
                bytes[4 * i + 2] = ToByte(p[2 * n + i]);
                bytes[4 * i + 3] = alpha ? ToByte(a![i]) : (byte)255;
            }
        });
        var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
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
