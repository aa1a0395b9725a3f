using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Imaging;
using SkiaSharp;

namespace GpuColorTransfer.Tests.Cli;

/// <summary>Unusual but valid inputs work; damaged ones fail cleanly.</summary>
public class RobustnessTests
{
    private static string Asset(string name) => Path.Combine(TestData.RepositoryRoot, "tests", "assets", name);

    private static double MeanAbsDiff(RgbImage a, RgbImage b) =>
        a.Planes.Zip(b.Planes, (x, y) => Math.Abs(x - y)).Average();

    [Theory]
    [InlineData("cmyk.jpg", 0.05)]
    [InlineData("palette.png", 0.03)]
    public void Cmyk_jpeg_and_palette_png_decode_to_the_colours_of_their_source(string name, double tolerance)
    {
        var source = ImageCodec.Decode(Asset("rgb.png"));
        var decoded = ImageCodec.Decode(Asset(name));
        Assert.Equal((source.Width, source.Height), (decoded.Width, decoded.Height));
        double diff = MeanAbsDiff(source, decoded);
        Assert.True(diff < tolerance, $"mean |diff| {diff:F4} >= {tolerance}");
    }

    [Theory]
    [InlineData("gray16.png")]
    [InlineData("gray.jpg")]
    public void Grayscale_files_give_three_equal_channels(string name)
    {
        var img = ImageCodec.Decode(Asset(name));
        int n = img.PixelCount;
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(img.Planes[i], img.Planes[n + i], 1e-6f);
            Assert.Equal(img.Planes[i], img.Planes[2 * n + i], 1e-6f);
        }
        Assert.True(img.Planes.Distinct().Count() > 50, "the gray levels were lost");
    }

    [Theory]
    [InlineData("castle_day.jpg")]
    [InlineData("cat_chelsea.png")]
    public void A_truncated_file_is_a_clean_error(string name)
    {
        var bytes = File.ReadAllBytes(TestData.Image(name));
        string path = Path.Combine(TestData.TempFolder(), "cut" + Path.GetExtension(name));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<GctException>(() => ImageCodec.Decode(path));
        Assert.Contains(path, e.Message);
    }

    /// <summary>
    /// A PNG whose header claims 100000 x 100000 RGB pixels (10 gigapixels, 30 GB decoded): a
    /// few kilobytes of deflated zeros, as a real decompression bomb.
    /// </summary>
    private static byte[] BombPng()
    {
        using var zlib = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(zlib, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
            z.Write(new byte[4_000_000]);
        return
        [
            0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10,
            .. Chunk("IHDR", [0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 2, 0, 0, 0]),
            .. Chunk("IDAT", zlib.ToArray()),
            .. Chunk("IEND", []),
        ];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        uint crc = Crc32(typed);
        int n = data.Length;
        return [(byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n, .. typed, (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    /// <summary>CRC-32 as PNG defines it (ISO 3309, polynomial 0xEDB88320, reflected).</summary>
    private static uint Crc32(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    [Fact]
    public void A_decompression_bomb_is_refused_from_its_header()
    {
        string path = Path.Combine(TestData.TempFolder(), "bomb.png");
        File.WriteAllBytes(path, BombPng());
        long before = GC.GetTotalAllocatedBytes();
        var e = Assert.Throws<ImageTooLargeException>(() => ImageCodec.Decode(path));
        Assert.Contains("100000x100000", e.Message);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 10_000_000, "memory was allocated for the claimed size");
    }

    private static RgbImage Transfer(RgbImage target, RgbImage reference, bool regrain = true, ColorizeMode colorize = ColorizeMode.Auto)
    {
        using var engine = TestData.CpuEngine(new TransferSettings { Render = RenderMode.Local, Regrain = regrain, Colorize = colorize });
        return engine.Transfer(target, reference);
    }

    [Theory]
    [MemberData(nameof(TestData.ExtremeSizes), MemberType = typeof(TestData))]
    public void Tiny_and_extreme_sizes_give_a_finite_image_of_the_target_size(int tw, int th, int rw, int rh)
    {
        var result = Transfer(TestData.Patterned(tw, th, 1), TestData.Patterned(rw, rh, 2));
        Assert.Equal((tw, th), (result.Width, result.Height));
        Assert.All(result.Planes, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Flat_images_stay_finite()
    {
        var flat = new RgbImage(50, 40);
        Array.Fill(flat.Planes, 0.3f);
        var other = new RgbImage(30, 20);
        Array.Fill(other.Planes, 0.7f);
        // Zero covariances: the 1e-4 I regularisation keeps the fusion finite, and every matched colour is the reference's.
        Assert.All(Transfer(flat, other, regrain: false, colorize: ColorizeMode.Never).Planes, v => Assert.Equal(0.7f, v, 1e-5f));
        // Regrain weighs the colours by the target's gradient (psi = 0 on a flat image) and so, like regrain.m, keeps a flat target.
        Assert.All(Transfer(flat, other, colorize: ColorizeMode.Never).Planes, v => Assert.Equal(0.3f, v, 1e-5f));
        // Colourised (a flat grey target is grey): its own lightness, the grey reference's (zero) chroma.
        Assert.All(Transfer(flat, other).Planes, v => Assert.Equal(0.3f, v, 1e-3f));
        Assert.All(Transfer(TestData.Photo("glacier.jpg", 64), flat).Planes, v => Assert.InRange(v, 0f, 1f));
    }

    /// <summary>
    /// Real photos encoded as JPEG, PNG and WebP, corrupted 300 ways (fixed seed): truncations,
    /// byte flips, header edits, zeroed runs. Every decode ends in an image with finite values in
    /// [0,1] or a <see cref="GctException"/>, within 10 s; every 10th image that decodes also goes
    /// through the whole transfer.
    /// </summary>
    [Fact]
    public async Task Corrupted_real_images_end_in_an_image_or_a_clean_error()
    {
        var rng = new Random(20261128);
        var sources = new List<(string Ext, byte[] Bytes)>();
        foreach (var (photo, format, ext) in new[] { ("castle_day.jpg", SKEncodedImageFormat.Jpeg, ".jpg"), ("cat_chelsea.png", SKEncodedImageFormat.Png, ".png"),
                     ("forest_path.jpg", SKEncodedImageFormat.Webp, ".webp") })
        {
            using var ms = new MemoryStream();
            ImageCodec.Encode(TestData.Photo(photo, 48), ms, format, 90);
            sources.Add((ext, ms.ToArray()));
        }
        var reference = TestData.Photo("sunset_clouds.jpg", 40);
        string dir = TestData.TempFolder();
        int decoded = 0, refused = 0;
        for (int i = 0; i < 300; i++)
        {
            var (ext, original) = sources[i % sources.Count];
            var bytes = (byte[])original.Clone();
            switch (rng.Next(4))
            {
                case 0: bytes = bytes[..rng.Next(1, bytes.Length)]; break;
                case 1: for (int k = rng.Next(1, 20); k > 0; k--) bytes[rng.Next(bytes.Length)] ^= (byte)(1 << rng.Next(8)); break;
                case 2: for (int k = rng.Next(1, 6); k > 0; k--) bytes[rng.Next(Math.Min(64, bytes.Length))] = (byte)rng.Next(256); break;
                default: { int at = rng.Next(bytes.Length); Array.Clear(bytes, at, Math.Min(rng.Next(1, 200), bytes.Length - at)); break; }
            }
            string path = Path.Combine(dir, $"m{i}{ext}");
            File.WriteAllBytes(path, bytes);
            var run = Task.Run(() =>
            {
                try { return ImageCodec.Decode(path, maxPixels: 4_000_000); }
                catch (GctException) { return null; }
            });
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.True(finished == run, $"case {i} ({ext}) hung");
            if (await run is not { } img) { refused++; continue; }
            decoded++;
            Assert.All(img.Planes, v => Assert.InRange(v, 0f, 1f));
            if (decoded % 10 == 0)
                Assert.All(Transfer(img, reference).Planes, v => Assert.InRange(v, 0f, 1f));
        }
        Assert.True(decoded > 0 && refused > 0, $"{decoded} decoded, {refused} refused: the mutations should produce both");
    }

    /// <summary>
    /// Random vectors of the accepted option values (log-uniform over each option's range, fixed
    /// seed) on small real photos: the output is finite and not constant (the inputs are not).
    /// </summary>
    [Fact]
    public void Random_accepted_option_values_give_a_finite_image_that_is_not_constant()
    {
        var rng = new Random(20261202);
        double LogUniform(double low, double high) => Math.Exp(Math.Log(low) + rng.NextDouble() * (Math.Log(high) - Math.Log(low)));
        var target = TestData.Photo("castle_day.jpg", 48);
        var reference = TestData.Photo("sunset_clouds.jpg", 40);
        for (int i = 0; i < 16; i++)
        {
            var s = new TransferSettings
            {
                Render = i % 2 == 0 ? RenderMode.Local : RenderMode.Global,
                Superpixels = rng.Next(1, 200),
                Tau = (float)LogUniform(1e-6, 100),
                DeltaS = (float)LogUniform(1e-6, 1e6),
                DeltaC = (float)LogUniform(1e-6, 1e6),
                FusionSigma = rng.Next(2) == 0 ? null : (float)LogUniform(1e-6, 1e6),
                FusionRadius = rng.Next(2) == 0 ? null : (float)LogUniform(1e-3, 2),
                Smoothness = (float)LogUniform(1e-6, 1e6),
                FusionMode = (FusionMode)rng.Next(3),
                ColorMap = (ColorMapKind)rng.Next(2),
                LatticeSmoothness = LogUniform(1e-6, 1e6),
                Regrain = rng.Next(2) == 0,
            };
            using var engine = TestData.CpuEngine(s);
            var result = engine.Transfer(target, reference);
            Assert.All(result.Planes, v => Assert.True(float.IsFinite(v), $"non-finite output with {s}"));
            double mean = result.Planes.Average(), spread = result.Planes.Max(v => Math.Abs(v - mean));
            Assert.True(spread > 0.01, $"constant output with {s}");
        }
    }

    /// <summary>
    /// Large colour weights of eq. 6 on the README's sample pair: a nearly singular colour covariance
    /// times delta_c^2 gave a non-positive determinant in float, NaN fusion weights, and an all-black
    /// image once the regrain had spread the NaN (exit 0).
    /// </summary>
    [Theory]
    [InlineData(1e3f)]
    [InlineData(1e6f)]
    public void Large_colour_weights_keep_the_local_render_finite(float deltaC)
    {
        var target = ImageCodec.Decode(TestData.Sample("target.jpg"));
        var reference = ImageCodec.Decode(TestData.Sample("reference.jpg"));
        using var engine = TestData.CpuEngine(new TransferSettings { Render = RenderMode.Local, DeltaC = deltaC });
        var result = engine.Transfer(target, reference);
        Assert.All(result.Planes, v => Assert.True(float.IsFinite(v)));
        Assert.True(result.Planes.Average() > 0.1, "the output is black");
    }
}
