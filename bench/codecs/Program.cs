// Decoding and encoding candidates on the same files, in one process, medians of N runs after one
// warm-up: SkiaSharp (what gct decodes with), its scaled decoding, gct's own decodes (into float
// planes, into 8-bit RGBA, reduced for the matching), and libvips through NetVips with 1 and 2 threads.
using System.Diagnostics;
using System.Runtime.InteropServices;
using GpuColorTransfer.Engine.Imaging;
using SkiaSharp;

int runs = 3;
Console.WriteLine("file\tMP\tcandidate\tms");
foreach (string file in args)
{
    byte[] bytes = File.ReadAllBytes(file);
    using var probe = SKCodec.Create(new MemoryStream(bytes));
    var info = probe.Info;
    double mp = (double)info.Width * info.Height / 1e6;
    void Row(string candidate, Action action)
    {
        action();
        var times = Enumerable.Range(0, runs).Select(_ => { var s = Stopwatch.StartNew(); action(); return s.Elapsed.TotalMilliseconds; }).Order().ToArray();
        Console.WriteLine($"{Path.GetFileName(file)}\t{mp:F1}\t{candidate}\t{times[runs / 2]:F0}");
    }
    var rgba = new byte[4L * info.Width * info.Height];
    void SkiaDecode(int w, int h, byte[] into)
    {
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        var handle = GCHandle.Alloc(into, GCHandleType.Pinned);
        try
        {
            var result = codec.GetPixels(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul, SKColorSpace.CreateSrgb()), handle.AddrOfPinnedObject());
            if (result != SKCodecResult.Success) throw new InvalidOperationException(result.ToString());
        }
        finally { handle.Free(); }
    }
    Row("decode skia rgba8", () => SkiaDecode(info.Width, info.Height, rgba));
    var eighth = probe.GetScaledDimensions(0.125f);
    var small = new byte[4L * eighth.Width * eighth.Height];
    Row($"decode skia scaled to {eighth.Width}x{eighth.Height}", () => SkiaDecode(eighth.Width, eighth.Height, small));
    Row("decode gct float planes", () => ImageFile.Open(file, long.MaxValue).Decode());
    Row("decode gct rgba8", () => ImageFile.Open(file, long.MaxValue).DecodeRgba8());
    Row("decode gct for matching (0.1 MP)", () => ImageFile.Open(file, long.MaxValue).DecodeResized(
        (int)Math.Round(info.Width * Math.Sqrt(0.1 / mp)), (int)Math.Round(info.Height * Math.Sqrt(0.1 / mp))));
    NetVips.Cache.Max = 0;
    foreach (int threads in new[] { 1, 2 })
    {
        NetVips.NetVips.Concurrency = threads;
        Row($"decode vips, {threads} thread(s)", () => { using var im = NetVips.Image.NewFromBuffer(bytes, access: NetVips.Enums.Access.Sequential); im.WriteToMemory<byte>(); });
        if (probe.EncodedFormat == SKEncodedImageFormat.Jpeg)
            Row($"decode vips shrink-on-load 8, {threads} thread(s)", () => { using var im = NetVips.Image.NewFromBuffer(bytes, "shrink=8", access: NetVips.Enums.Access.Sequential); im.WriteToMemory<byte>(); });
    }
    var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
    try
    {
        using var pixmap = new SKPixmap(new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Opaque, SKColorSpace.CreateSrgb()), handle.AddrOfPinnedObject(), 4 * info.Width);
        var image = new Rgba8Image(info.Width, info.Height, rgba, false);
        Row("encode skia jpeg 95", () => pixmap.Encode(SKEncodedImageFormat.Jpeg, 95)!.Dispose());
        Row("encode gct jpeg 95 (vips)", () => ImageCodec.Encode(image, Stream.Null, SKEncodedImageFormat.Jpeg, 95));
        Row("encode skia png (zlib 1, sub)", () => pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 1))!.Dispose());
        using var vips = NetVips.Image.NewFromMemory(rgba, info.Width, info.Height, 4, NetVips.Enums.BandFormat.Uchar).ExtractBand(0, 3);
        foreach (int threads in new[] { 1, 2 })
        {
            NetVips.NetVips.Concurrency = threads;
            Row($"encode vips png (compression 1, sub), {threads} thread(s)", () => vips.PngsaveBuffer(compression: 1, filter: NetVips.Enums.ForeignPngFilter.Sub));
            if (mp < 25)
                Row($"encode vips webp 95, {threads} thread(s)", () => vips.WebpsaveBuffer(q: 95));
        }
        if (mp < 25) Row("encode skia webp 95", () => pixmap.Encode(SKEncodedImageFormat.Webp, 95)!.Dispose());
    }
    finally { handle.Free(); }
}
