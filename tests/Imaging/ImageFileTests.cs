using System.Runtime.InteropServices;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Imaging;
using SkiaSharp;

namespace GpuColorTransfer.Tests.Imaging;

/// <summary>Decoding only what is needed (reduced decodes, 8-bit rows), the JPEG encoder, and the transfer between files.</summary>
public class ImageFileTests
{
    private static string Written(RgbImage image, string name)
    {
        string path = Path.Combine(TestData.TempFolder(), name);
        ImageCodec.Encode(image, path, 95);
        return path;
    }

    private static double MeanAbsoluteDifference(RgbImage a, RgbImage b) =>
        a.Planes.Zip(b.Planes, (x, y) => Math.Abs(x - y)).Average();

    [Fact]
    public void A_reduced_decode_is_close_to_the_whole_decode_resized_and_equal_where_no_scale_is_offered()
    {
        // A 1600x1200 JPEG matched at 100x75: decoded at 1/8 (200x150), then resized.
        var photo = TestData.Photo("castle_day.jpg", 1600);
        string jpeg = Written(photo, "big.jpg");
        var file = ImageFile.Open(jpeg);
        var reduced = file.DecodeResized(100, 75);
        var whole = file.Decode().Resize(100, 75);
        Assert.Equal((100, 75), (reduced.Width, reduced.Height));
        Assert.InRange(MeanAbsoluteDifference(reduced, whole), 0, 0.01); // under 3/255 on average
        Assert.True(MeanAbsoluteDifference(reduced, whole) > 0, "the reduced decode took the whole image");

        // PNG has no scaled decode: the whole image, resized, exactly.
        string png = Written(photo, "big.png");
        var pngFile = ImageFile.Open(png);
        Assert.Equal(pngFile.Decode().Resize(100, 75).Planes, pngFile.DecodeResized(100, 75).Planes);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(95)]
    public void The_jpeg_encoder_writes_the_pixels_of_skias_encoder_at_the_same_quality(int quality)
    {
        var image = Rgba8Image.From(TestData.Photo("dune_sea.jpg", 333));
        using var ours = new MemoryStream();
        ImageCodec.Encode(image, ours, SKEncodedImageFormat.Jpeg, quality);
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque, SKColorSpace.CreateSrgb());
        var handle = GCHandle.Alloc(image.Pixels, GCHandleType.Pinned);
        byte[] skia;
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), 4 * image.Width);
            skia = pixmap.Encode(SKEncodedImageFormat.Jpeg, quality)!.ToArray();
        }
        finally { handle.Free(); }
        string dir = TestData.TempFolder(), a = Path.Combine(dir, "ours.jpg"), b = Path.Combine(dir, "skia.jpg");
        File.WriteAllBytes(a, ours.ToArray());
        File.WriteAllBytes(b, skia);
        Assert.Equal(ImageFile.Open(b).DecodeRgba8().Pixels, ImageFile.Open(a).DecodeRgba8().Pixels);
        Assert.Contains("ICC_PROFILE", System.Text.Encoding.Latin1.GetString(ours.ToArray(), 0, 4096)); // sRGB said, as Skia says it
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.4f)]
    public void The_render_in_rows_gives_the_bytes_of_the_float_render_and_keeps_alpha(float strength)
    {
        // A transparent target: the rows keep its alpha bytes; the colours are those of the float render, rounded.
        var photo = TestData.Photo("forest_path.jpg", 211);
        photo.Alpha = [.. Enumerable.Range(0, photo.PixelCount).Select(i => (i % 7) / 6f)];
        var rows = Rgba8Image.From(photo);
        // The float render's input: the same 8-bit values as floats (v / 255), planar.
        int n = photo.PixelCount;
        var target = new RgbImage(photo.Width, photo.Height, [.. Enumerable.Range(0, 3 * n).Select(k => rows.Pixels[4 * (k % n) + k / n] / 255f)])
        {
            Alpha = [.. Enumerable.Range(0, n).Select(i => rows.Pixels[4 * i + 3] / 255f)],
        };
        var map = new QuadraticColorMap([0.02f, 0.9f, 0.1f, 0, 0.1f, 0, 0, 0, 0, 0, -0.03f, 0, 1.1f, 0, 0, -0.1f, 0, 0, 0, 0, 0.05f, 0, 0.1f, 0.8f, 0, 0, 0.05f, 0, 0, 0]);
        var expected = Rgba8Image.From(TransferFinish.Apply(target, ColorMapRender.Apply(map, target), strength));
        BandedRender.Apply(map, rows, strength);
        Assert.Equal(expected.Pixels, rows.Pixels);
    }

    [Fact]
    public void A_transfer_between_files_gives_the_bytes_of_the_transfer_of_decoded_images_where_nothing_is_reduced()
    {
        // 320x240 matched at 320x240 (under the working size): the same matching, the same render.
        string target = Written(TestData.Photo("glacier.jpg", 320), "t.png"), reference = Written(TestData.Photo("dusk_rocket.jpg", 300), "r.jpg");
        using var engine = TestData.CpuEngine(new TransferSettings { Strength = 0.8f });
        var fromFiles = engine.Transfer(ImageFile.Open(target), ImageFile.Open(reference));
        var mapFromFiles = engine.LastColorMap;
        var decoded = Rgba8Image.From(engine.Transfer(ImageCodec.Decode(target), ImageCodec.Decode(reference)));
        Assert.Equal(decoded.Pixels, fromFiles.Pixels);
        Assert.NotNull(mapFromFiles);
    }
}
