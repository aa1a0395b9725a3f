using System.CommandLine;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;

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
            var settings = new TransferSettings
            {
                Superpixels = p.GetValue(superpixels), SuperpixelFactor = p.GetValue(factor), Limits = TransferOptions.Limits(p, cap),
            };
            var img = ImageCodec.Decode(input, p.GetValue(maxPixels));
            using var engine = device.CreateEngine(p, null, MethodRegistry.Default, settings);
            var map = engine.Superpixels(img);
            outputs.Write(o, ImageCodec.Encoder(map.DrawnOver(img), o, p.GetValue(quality)));
            if (l.Length > 0) outputs.Write(l, map.PngEncoder(l));
            outputs.Commit();
            Console.WriteLine($"{map.Count} superpixels ({settings.SuperpixelCountFor(img.PixelCount)} requested)");
            return 0;
        }));
        return command;
    }
}
