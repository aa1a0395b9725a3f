using System.CommandLine;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Pipeline;
using ILGPU.Runtime;
using SkiaSharp;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct superpixels IMAGE -o OUTPUT`: the SLIC segmentation drawn over the image.</summary>
internal static class SuperpixelsCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "The image to segment." };
        var output = CommonOptions.Output();
        var superpixels = TransferOptions.Superpixels();
        var factor = TransferOptions.SuperpixelFactor();
        var cap = TransferOptions.MaxSuperpixels();
        var labels = new Option<string>("--labels") { Description = "Also write the label map as a 16-bit PNG (R = G = B = label, 0..N-1).", HelpName = "FILE" };
        var quality = CommonOptions.Quality();
        var maxPixels = CommonOptions.MaxPixels();
        var force = CommonOptions.Force();
        var verbose = CommonOptions.Verbose();
        var device = new DeviceOption();
        var command = new Command("superpixels", "SLIC superpixels (CIELAB, compactness 10, 10 iterations, connectivity enforced) drawn over the image.")
        { image, output, superpixels, factor, cap, labels, quality, maxPixels, force, verbose, device.Option };
        command.SetAction(p => Run.Guarded(p.GetValue(verbose), () =>
        {
            string input = p.GetValue(image)!, o = p.GetValue(output)!, l = p.GetValue(labels) ?? "";
            using var outputs = new OutputSet(p.GetValue(force), [input]);
            CommonOptions.AddImage(outputs, o);
            if (l.Length > 0)
            {
                if (!l.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"{l}: the label map is written as PNG; use a .png name");
                outputs.Add(l);
            }
            var settings = new TransferSettings { Superpixels = p.GetValue(superpixels), SuperpixelFactor = p.GetValue(factor) };
            var img = ImageCodec.Decode(input, p.GetValue(maxPixels));
            TransferOptions.Limits(p, cap).CheckSuperpixels(settings.SuperpixelCountFor(img.PixelCount), img.Width, img.Height);
            using var backend = device.Create(p);
            using var planes = backend.Upload(img);
            using var map = backend.Superpixels(planes, settings.SuperpixelCountFor(img.PixelCount), settings);
            var labelArray = map.Labels.GetAsArray1D();
            outputs.Write(o, ImageCodec.Encoder(IntermediateWriter.DrawBoundaries(img, labelArray), o, p.GetValue(quality)));
            if (l.Length > 0)
            {
                if (map.Count > 65536) throw new GctException($"{l}: {map.Count} superpixels do not fit in a 16-bit PNG");
                outputs.Write(l, LabelWriter(labelArray, img.Width, img.Height, l));
            }
            outputs.Commit();
            Console.WriteLine($"{map.Count} superpixels ({settings.SuperpixelCountFor(img.PixelCount)} requested)");
            return 0;
        }));
        return command;
    }

    private static Action<Stream> LabelWriter(int[] labels, int w, int h, string path)
    {
        var info = new SKImageInfo(w, h, SKColorType.Rgba16161616, SKAlphaType.Opaque, null);
        // Gray 16-bit is written through a 16-bit-per-channel RGBA bitmap with R = G = B = label.
        var data = new ushort[4 * labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = (ushort)labels[i];
            data[4 * i + 3] = ushort.MaxValue;
        }
        unsafe
        {
            fixed (ushort* ptr = data)
            {
                using var pixmap = new SKPixmap(info, (nint)ptr, 8 * w);
                using var encoded = pixmap.Encode(SKEncodedImageFormat.Png, 100)
                    ?? throw new GctException($"{path}: the PNG encoder failed");
                byte[] bytes = encoded.ToArray();
                return s => s.Write(bytes);
            }
        }
    }
}
