using System.CommandLine;
using System.Diagnostics;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct regrain ORIGINAL TRANSFERRED -o OUTPUT`: Pitié's colour regrain alone.</summary>
internal static class RegrainCommand
{
    public static Command Create()
    {
        var original = new Argument<string>("ORIGINAL") { Description = "The image before colour transfer (its gradients are kept)." };
        var transferred = new Argument<string>("TRANSFERRED") { Description = "The same image after any colour transfer (its colours are kept)." };
        var output = CommonOptions.Output();
        var smoothness = CommonOptions.Smoothness();
        var quality = CommonOptions.Quality();
        var maxPixels = CommonOptions.MaxPixels();
        var force = CommonOptions.Force();
        var verbose = CommonOptions.Verbose();
        var device = new DeviceOption();
        var command = new Command("regrain",
            "Pitié's colour regrain: restores the grain and detail of ORIGINAL in TRANSFERRED, e.g. after any colour transfer. " +
            "Both images must have the same size.")
        { original, transferred, output, smoothness, quality, maxPixels, force, verbose, device.Option };
        command.SetAction(p => Run.Guarded(p.GetValue(verbose), () =>
        {
            string o = p.GetValue(output)!, a = p.GetValue(original)!, b = p.GetValue(transferred)!;
            using var outputs = new OutputSet(p.GetValue(force), [a, b]);
            CommonOptions.AddImage(outputs, o);
            var clock = Stopwatch.StartNew();
            var i0 = ImageCodec.Decode(a, p.GetValue(maxPixels));
            var ir = ImageCodec.Decode(b, p.GetValue(maxPixels));
            if (i0.Width != ir.Width || i0.Height != ir.Height)
                throw new Engine.GctException($"{b}: is {ir.Width}x{ir.Height} but {a} is {i0.Width}x{i0.Height}; regrain needs two images of the same size");
            using var engine = device.CreateEngine(p, null, MethodRegistry.Default, new TransferSettings { Smoothness = p.GetValue(smoothness) });
            var image = engine.Regrain(i0, ir);
            outputs.Write(o, ImageCodec.Encoder(image, o, p.GetValue(quality)));
            outputs.Commit();
            if (p.GetValue(verbose)) Console.Error.WriteLine($"regrain {i0.Width}x{i0.Height} on {engine.Backend.Name}: {clock.Elapsed.TotalMilliseconds:F0} ms");
            return 0;
        }));
        return command;
    }
}
