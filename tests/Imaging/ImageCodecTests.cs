using System.Runtime.InteropServices;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Imaging;
using SkiaSharp;

namespace GpuColorTransfer.Tests.Imaging;

/// <summary>Decoding: EXIF orientation, ICC conversion, grayscale, alpha; encoding round trips.</summary>
public class ImageCodecTests
{
    /// <summary>A 12x8 image of four flat blocks (6x4 each) so that JPEG compression cannot blur the test.</summary>
    private static RgbImage Blocks()
    {
        var img = new RgbImage(12, 8);
        float[][] colours = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]];
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 12; x++)
                for (int c = 0; c < 3; c++) img.Planes[c * 96 + y * 12 + x] = colours[(y / 4) * 2 + x / 6][c];
        return img;
    }

    /// <summary>Inserts an APP1 Exif segment with one Orientation tag right after the JPEG's SOI marker.</summary>
    private static byte[] WithOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff = [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0, 0, 0, 0, 0];
        byte[] exif = [.. "Exif\0\0"u8.ToArray(), .. tiff];
        int length = exif.Length + 2;
        return [.. jpeg[..2], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. exif, .. jpeg[2..]];
    }

    private static RgbImage Rotate90Clockwise(RgbImage s)
    {
        var d = new RgbImage(s.Height, s.Width);
        for (int y = 0; y < s.Height; y++)
            for (int x = 0; x < s.Width; x++)
                for (int c = 0; c < 3; c++)
                    d.Planes[c * d.PixelCount + x * d.Width + (s.Height - 1 - y)] = s.Planes[c * s.PixelCount + y * s.Width + x];
        return d;
    }

    private static RgbImage MirrorHorizontally(RgbImage s)
    {
        var d = new RgbImage(s.Width, s.Height);
        for (int y = 0; y < s.Height; y++)
            for (int x = 0; x < s.Width; x++)
                for (int c = 0; c < 3; c++)
                    d.Planes[c * s.PixelCount + y * s.Width + (s.Width - 1 - x)] = s.Planes[c * s.PixelCount + y * s.Width + x];
        return d;
    }

    /// <summary>What a viewer shows for each EXIF orientation value (TIFF 6.0 / EXIF 2.3 definitions).</summary>
    private static RgbImage Displayed(RgbImage stored, int orientation) => orientation switch
    {
        1 => stored,
        2 => MirrorHorizontally(stored),
        3 => Rotate90Clockwise(Rotate90Clockwise(stored)),
        4 => MirrorHorizontally(Rotate90Clockwise(Rotate90Clockwise(stored))),
        5 => MirrorHorizontally(Rotate90Clockwise(stored)),             // transpose
        6 => Rotate90Clockwise(stored),
        7 => Rotate90Clockwise(MirrorHorizontally(stored)),             // transverse
        _ => Rotate90Clockwise(Rotate90Clockwise(Rotate90Clockwise(stored))),
    };

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)]
    [InlineData(5)] [InlineData(6)] [InlineData(7)] [InlineData(8)]
    public void Exif_orientation_is_applied(int orientation)
    {
        var stored = Blocks();
        using var ms = new MemoryStream();
        ImageCodec.Encode(stored, ms, SKEncodedImageFormat.Jpeg, 100);
        string path = Path.Combine(TestData.TempFolder(), "o.jpg");
        File.WriteAllBytes(path, WithOrientation(ms.ToArray(), (ushort)orientation));
        var decoded = ImageCodec.Decode(path);
        var expected = Displayed(stored, orientation);
        Assert.Equal((expected.Width, expected.Height), (decoded.Width, decoded.Height));
        // Block centres only: JPEG may blur the edges between blocks.
        for (int y = 0; y < decoded.Height; y++)
            for (int x = 0; x < decoded.Width; x++)
            {
                int p = y * decoded.Width + x;
                bool interior = Enumerable.Range(0, 3).All(c => expected.Planes[c * decoded.PixelCount + p] is 0f or 1f)
                    && (decoded.Width == 12 ? x % 6 is 2 or 3 && y % 4 is 1 or 2 : x % 4 is 1 or 2 && y % 6 is 2 or 3);
                if (!interior) continue;
                for (int c = 0; c < 3; c++)
                    Assert.True(Math.Abs(decoded.Planes[c * decoded.PixelCount + p] - expected.Planes[c * decoded.PixelCount + p]) < 0.15f,
                        $"orientation {orientation}: pixel ({x},{y}) channel {c}");
            }
        // The 8-bit decode (for the render in rows) is turned upright by the same rule: the float decode's bytes.
        var bytes = ImageFile.Open(path).DecodeRgba8();
        Assert.Equal((decoded.Width, decoded.Height), (bytes.Width, bytes.Height));
        Assert.Equal(Rgba8Image.From(decoded).Pixels, bytes.Pixels);
    }

    [Fact]
    public void An_Adobe_RGB_profile_is_converted_to_sRGB()
    {
        string path = TestData.Image("dusk_rocket.jpg");
        var ours = ImageCodec.Decode(path);
        // Independent reference: the raw encoded values, converted with the published Adobe RGB
        // (1998) definition (gamma 563/256, D65 primaries) to XYZ, then to linear and encoded sRGB.
        using var codec = SKCodec.Create(path);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul, null);
        var raw = new byte[info.BytesSize];
        var h = GCHandle.Alloc(raw, GCHandleType.Pinned);
        try { Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, h.AddrOfPinnedObject())); } finally { h.Free(); }
        double[,] adobeToXyz = { { 0.5767309, 0.1855540, 0.1881852 }, { 0.2973769, 0.6273491, 0.0752741 }, { 0.0270343, 0.0706872, 0.9911085 } };
        double[,] xyzToSrgb = { { 3.2404542, -1.5371385, -0.4985314 }, { -0.9692660, 1.8760108, 0.0415560 }, { 0.0556434, -0.2040259, 1.0572252 } };
        double sumDiff = 0, sumRawDiff = 0;
        int n = ours.PixelCount;
        for (int p = 0; p < n; p++)
        {
            var lin = Enumerable.Range(0, 3).Select(c => Math.Pow(raw[4 * p + c] / 255.0, 563.0 / 256)).ToArray();
            var xyz = Enumerable.Range(0, 3).Select(r => Enumerable.Range(0, 3).Sum(c => adobeToXyz[r, c] * lin[c])).ToArray();
            for (int r = 0; r < 3; r++)
            {
                double s = Math.Clamp(Enumerable.Range(0, 3).Sum(c => xyzToSrgb[r, c] * xyz[c]), 0, 1);
                double encoded = s <= 0.0031308 ? 12.92 * s : 1.055 * Math.Pow(s, 1 / 2.4) - 0.055;
                sumDiff += Math.Abs(ours.Planes[r * n + p] - encoded);
                sumRawDiff += Math.Abs(ours.Planes[r * n + p] - raw[4 * p + r] / 255.0);
            }
        }
        double mean = sumDiff / (3.0 * n) * 255, meanRaw = sumRawDiff / (3.0 * n) * 255;
        Assert.True(mean < 1.0, $"mean |ours - Adobe RGB reference| = {mean:F2}/255");
        Assert.True(meanRaw > 2 * mean, $"the decode is no closer to the converted values ({mean:F2}) than to the raw ones ({meanRaw:F2})");
    }

    [Fact]
    public void Grayscale_becomes_three_equal_channels_and_alpha_is_kept_through_png()
    {
        var img = new RgbImage(5, 3);
        for (int i = 0; i < 15; i++) img.Planes[i] = img.Planes[15 + i] = img.Planes[30 + i] = i / 14f;
        img.Alpha = Enumerable.Range(0, 15).Select(i => (15 - i) / 15f).ToArray();
        string path = Path.Combine(TestData.TempFolder(), "a.png");
        ImageCodec.Encode(img, path);
        var back = ImageCodec.Decode(path);
        Assert.Equal(img.Planes.Select(ImageCodec.ToByte), back.Planes.Select(ImageCodec.ToByte));
        Assert.Equal(img.Alpha.Select(ImageCodec.ToByte), back.Alpha!.Select(ImageCodec.ToByte));
    }

    [Theory]
    [InlineData("", "is empty or not a regular file")]
    [InlineData("not an image at all", "not a readable image")]
    public void Bad_files_fail_with_the_file_name(string content, string reason)
    {
        string path = Path.Combine(TestData.TempFolder(), "bad.jpg");
        File.WriteAllText(path, content);
        var e = Assert.Throws<GctException>(() => ImageCodec.Decode(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(reason, e.Message);
    }

    /// <summary>Every reader of an input file, each returning the message of its refusal.</summary>
    private static string Refusal(string reader, string path) => reader switch
    {
        "image" => Assert.Throws<GctException>(() => ImageCodec.Decode(path)).Message,
        "cube" => Assert.Throws<GctException>(() => Engine.ColorMaps.CubeFile.Read(path)).Message,
        "pairs" => Assert.Throws<GctException>(() => Engine.Evaluation.FreePairEvaluation.ReadPairs(path)).Message,
        "weights" => WeightsFolderRefusal(path),
        _ => throw new ArgumentException(reader),
    };

    /// <summary>A weights folder whose model.json is the special file.</summary>
    private static string WeightsFolderRefusal(string path)
    {
        string dir = TestData.TempFolder();
        foreach (var f in Directory.GetFiles(TestData.WeightsFolder)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        File.Delete(Path.Combine(dir, "model.json"));
        File.CreateSymbolicLink(Path.Combine(dir, "model.json"), path);
        return string.Join("\n", Engine.Weights.WeightStore.Verify(dir));
    }

    [Theory]
    [InlineData("/dev/zero", "image")]
    [InlineData("fifo", "image")]
    [InlineData("link to /dev/zero", "image")]
    [InlineData("/dev/zero", "cube")]
    [InlineData("fifo", "cube")]
    [InlineData("/dev/zero", "pairs")]
    [InlineData("fifo", "pairs")]
    [InlineData("/dev/zero", "weights")]
    [InlineData("fifo", "weights")]
    public async Task A_device_or_a_pipe_is_refused_before_it_is_read(string source, string reader)
    {
        string path = source;
        if (source == "fifo")
        {
            path = Path.Combine(TestData.TempFolder(), "pipe");
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path])!;
            mkfifo.WaitForExit();
        }
        if (source.StartsWith("link to "))
        {
            path = Path.Combine(TestData.TempFolder(), "link.jpg");
            File.CreateSymbolicLink(path, source["link to ".Length..]);
        }
        // Reading either would never end (an endless stream) or block (a pipe nobody writes).
        var read = Task.Run(() => Refusal(reader, path));
        Assert.True(await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(20))) == read, $"{source} was read without end by the {reader} reader");
        string message = await read;
        Assert.Contains("not a regular file", message);
        Assert.Contains(reader == "weights" ? "model.json" : path, message);
    }

    [Fact]
    public void The_pixel_limit_is_checked_from_the_header()
    {
        var e = Assert.Throws<ImageTooLargeException>(() => ImageCodec.Decode(TestData.Image("castle_day.jpg"), maxPixels: 1000));
        Assert.Equal(1000, e.Limit);
        Assert.Contains("1024x681", e.Message);
        Assert.DoesNotContain("--", e.Message); // the engine names no command-line option; the CLI adds its advice
        var cli = Gct.Run("transfer", TestData.Image("castle_day.jpg"), TestData.Sample("reference.jpg"), "-o", Path.Combine(TestData.TempFolder(), "o.png"), "--max-pixels", "1000");
        Assert.Equal(1, cli.ExitCode);
        Assert.Contains("raise --max-pixels", cli.Stderr);
    }
}
