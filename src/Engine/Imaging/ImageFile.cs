using System.Runtime.InteropServices;
using GpuColorTransfer.Engine.Files;
using SkiaSharp;

namespace GpuColorTransfer.Engine.Imaging;

/// <summary>
/// An image file read and checked from its header, decoded as its use needs (SkiaSharp): whole as
/// float planes (<see cref="Decode"/>), at a reduced scale for what only feeds the matching
/// (<see cref="DecodeResized"/>: JPEG's DCT scaling, then an exact resize), or whole as 8-bit
/// RGBA for a render that needs no float planes (<see cref="DecodeRgba8"/>). Every decode applies
/// the EXIF orientation and converts an embedded ICC profile to sRGB; grayscale becomes three
/// equal channels and alpha is kept.
/// </summary>
public sealed class ImageFile
{
    private readonly byte[] _bytes;
    private readonly SKEncodedOrigin _origin;
    private readonly int _storedWidth, _storedHeight;

    private ImageFile(string path, byte[] bytes, SKCodec codec)
    {
        (Path, _bytes) = (path, bytes);
        _origin = codec.EncodedOrigin;
        (_storedWidth, _storedHeight) = (codec.Info.Width, codec.Info.Height);
        var upright = Orientation.Of(_origin, _storedWidth, _storedHeight);
        (Width, Height) = (upright.Width, upright.Height);
        HasAlpha = codec.Info.AlphaType != SKAlphaType.Opaque;
        Format = codec.EncodedFormat;
        // Skia reports 16-bit PNGs as 8-bit; the IHDR chunk's bit depth (byte 24) tells.
        IsDeep = Format == SKEncodedImageFormat.Png && bytes.Length > 24 && bytes[24] == 16;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Upright width (after the EXIF orientation).</summary>
    public int Width { get; }

    /// <summary>Upright height (after the EXIF orientation).</summary>
    public int Height { get; }

    /// <summary>Whether the image has an alpha channel.</summary>
    public bool HasAlpha { get; }

    /// <summary>Whether it has more than 8 bits per channel (a 16-bit PNG), which <see cref="DecodeRgba8"/> would round.</summary>
    public bool IsDeep { get; }

    /// <summary>The encoded format.</summary>
    public SKEncodedImageFormat Format { get; }

    /// <summary>
    /// Reads <paramref name="path"/> and checks it from its header: an image Skia reads, a non-empty
    /// size of at most <paramref name="maxPixels"/>, a JPEG not cut short. Nothing is decoded yet.
    /// </summary>
    /// <exception cref="GctException">The file is missing, unreadable, not an image or truncated.</exception>
    /// <exception cref="ImageTooLargeException">It has more than <paramref name="maxPixels"/> pixels.</exception>
    public static ImageFile Open(string path, long maxPixels = ImageCodec.DefaultMaxPixels) =>
        FromBytes(InputFile.ReadAll(path, "an image file"), path, maxPixels);

    /// <summary>
    /// An image held in memory (an upload), checked from its header as <see cref="Open"/> checks a
    /// file: its format is sniffed from the bytes, never from <paramref name="name"/>, which only names
    /// it in messages.
    /// </summary>
    /// <exception cref="GctException">The bytes are not an image Skia reads, or are truncated.</exception>
    /// <exception cref="ImageTooLargeException">It has more than <paramref name="maxPixels"/> pixels.</exception>
    public static ImageFile FromBytes(byte[] bytes, string name, long maxPixels = ImageCodec.DefaultMaxPixels)
    {
        string path = name;
        using var codec = CodecOf(bytes, out var created) ?? throw GctException.ForFile(path, $"not a readable image ({Describe(created)}); use JPEG, PNG or WebP");
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
            throw GctException.ForFile(path, "the header gives an empty image size");
        if (codec.EncodedFormat == SKEncodedImageFormat.Jpeg && !HasJpegEnd(bytes))
            throw GctException.ForFile(path, "the JPEG data is truncated (no end marker after the last scan); re-export or re-download the file");
        if ((long)info.Width * info.Height > maxPixels)
            throw new ImageTooLargeException(path, info.Width, info.Height, maxPixels);
        return new ImageFile(path, bytes, codec);
    }

    /// <summary>The whole image as float planes: 8-bit sources exactly (v / 255), 16-bit PNGs through half floats (about 11 significant bits).</summary>
    /// <exception cref="GctException">The image data is damaged.</exception>
    public RgbImage Decode()
    {
        if (IsDeep && TryDecode<Half, HalfSample>(SKColorType.RgbaF16, _storedWidth, _storedHeight) is { } deep) return deep;
        return TryDecode<byte, ByteSample>(SKColorType.Rgba8888, _storedWidth, _storedHeight) ?? throw Damaged(SKCodecResult.InvalidConversion);
    }

    /// <summary>
    /// The image at exactly <paramref name="width"/> x <paramref name="height"/> for the matching: decoded
    /// at the smallest scale the codec offers (JPEG: 1/8, 1/4, 1/2) that keeps at least twice that size
    /// on both sides, then resized (<see cref="RgbImage.Resize"/>, antialiased); a format without scaled
    /// decoding, or a size that needs the whole image, is decoded whole first.
    /// </summary>
    /// <exception cref="GctException">The image data is damaged.</exception>
    public RgbImage DecodeResized(int width, int height)
    {
        var (w, h) = ScaledSize(width, height);
        var image = (w, h) == (_storedWidth, _storedHeight) ? Decode()
            : TryDecode<byte, ByteSample>(SKColorType.Rgba8888, w, h) ?? Decode();
        return image.Width == width && image.Height == height ? image : image.Resize(width, height);
    }

    /// <summary>The stored size of the smallest scaled decode that is at least twice (<paramref name="width"/>, <paramref name="height"/>) upright.</summary>
    private (int Width, int Height) ScaledSize(int width, int height)
    {
        if (IsDeep) return (_storedWidth, _storedHeight);
        using var codec = CodecOf(_bytes, out _)!;
        foreach (float scale in new[] { 0.125f, 0.25f, 0.5f })
        {
            var size = codec.GetScaledDimensions(scale);
            var upright = Orientation.Of(_origin, size.Width, size.Height);
            if (upright.Width >= 2 * width && upright.Height >= 2 * height) return (size.Width, size.Height);
        }
        return (_storedWidth, _storedHeight);
    }

    /// <summary>The whole image upright as 8-bit RGBA (for a 16-bit PNG, rounded to 8 bits by the codec).</summary>
    /// <exception cref="GctException">The image data is damaged.</exception>
    public Rgba8Image DecodeRgba8()
    {
        var stored = GC.AllocateUninitializedArray<byte>(checked(4 * _storedWidth * _storedHeight));
        var result = Pixels(SKColorType.Rgba8888, _storedWidth, _storedHeight, stored);
        if (result != SKCodecResult.Success) throw Damaged(result);
        var orientation = Orientation.Of(_origin, _storedWidth, _storedHeight);
        if (orientation.IsUpright) return new Rgba8Image(Width, Height, stored, HasAlpha);
        var upright = GC.AllocateUninitializedArray<byte>(stored.Length);
        Parallel.For(0, Height, y =>
        {
            long s = orientation.Start + y * orientation.StepY;
            for (long x = 0, d = 4L * y * Width; x < Width; x++, d += 4, s += orientation.StepX)
                for (int c = 0; c < 4; c++) upright[d + c] = stored[4 * s + c];
        });
        return new Rgba8Image(Width, Height, upright, HasAlpha);
    }

    /// <summary>Decodes at a stored size of <paramref name="w"/> x <paramref name="h"/> into float planes, upright; null when Skia cannot give this sample type.</summary>
    private RgbImage? TryDecode<T, TSample>(SKColorType colorType, int w, int h) where T : unmanaged where TSample : ISample<T>
    {
        var samples = GC.AllocateUninitializedArray<T>(checked(4 * w * h));
        var result = Pixels(colorType, w, h, samples);
        if (result == SKCodecResult.InvalidConversion) return null;
        if (result != SKCodecResult.Success) throw Damaged(result);
        return ToPlanes<T, TSample>(samples, Orientation.Of(_origin, w, h), HasAlpha);
    }

    /// <summary>Skia's decode into <paramref name="samples"/> (unpremultiplied, sRGB: an ICC profile is converted).</summary>
    private SKCodecResult Pixels<T>(SKColorType colorType, int w, int h, T[] samples) where T : unmanaged
    {
        using var codec = CodecOf(_bytes, out _)!;
        var info = new SKImageInfo(w, h, colorType, SKAlphaType.Unpremul, SKColorSpace.CreateSrgb());
        var handle = GCHandle.Alloc(samples, GCHandleType.Pinned);
        try { return codec.GetPixels(info, handle.AddrOfPinnedObject()); }
        finally { handle.Free(); }
    }

    private static SKCodec? CodecOf(byte[] bytes, out SKCodecResult result) => SKCodec.Create(new MemoryStream(bytes, writable: false), out result);

    private GctException Damaged(SKCodecResult result) =>
        GctException.ForFile(Path, $"the image data is damaged ({Describe(result)}); re-export or re-download the file");

    /// <summary>A decoded sample type and its value in [0,1] (a struct, so that the conversion is compiled inline for each type).</summary>
    private interface ISample<T>
    {
        static abstract float ToFloat(T v);
    }

    /// <summary>8-bit samples: v / 255, by table.</summary>
    private readonly struct ByteSample : ISample<byte>
    {
        public static float ToFloat(byte v) => Rgba8Image.Values[v];
    }

    /// <summary>Half-float samples (16-bit PNGs), non-finite values as 0.</summary>
    private readonly struct HalfSample : ISample<Half>
    {
        public static float ToFloat(Half v) => float.IsFinite((float)v) ? (float)v : 0f;
    }

    /// <summary>Copies interleaved RGBA into planes, turned upright by <paramref name="orientation"/>.</summary>
    private static RgbImage ToPlanes<T, TSample>(T[] rgba, Orientation orientation, bool hasAlpha) where TSample : ISample<T>
    {
        int ow = orientation.Width, oh = orientation.Height, n = ow * oh;
        var img = new RgbImage(ow, oh);
        float[] planes = img.Planes;
        float[]? alpha = hasAlpha ? new float[n] : null;
        Parallel.For(0, oh, y =>
        {
            long s = orientation.Start + y * orientation.StepY;
            for (int x = 0, d = y * ow; x < ow; x++, d++, s += orientation.StepX)
            {
                long i = 4 * s;
                planes[d] = TSample.ToFloat(rgba[i]);
                planes[n + d] = TSample.ToFloat(rgba[i + 1]);
                planes[2 * n + d] = TSample.ToFloat(rgba[i + 2]);
                if (alpha is not null) alpha[d] = TSample.ToFloat(rgba[i + 3]);
            }
        });
        img.Alpha = alpha;
        return img;
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
}
