using System.CommandLine;
using System.Diagnostics;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;
using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct transfer TARGET REFERENCE -o OUTPUT`: the colour transfer.</summary>
internal static class TransferCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("TARGET") { Description = "The image to recolour." };
        var reference = new Argument<string>("REFERENCE") { Description = "The image whose colours are transferred." };
        var output = CommonOptions.Output();
        var choice = new Option<string>("--method")
        {
            Description = string.Join("; ", MethodRegistry.Methods.Select(m => $"{m.Name}: {m.Description}")) + ".",
            DefaultValueFactory = _ => MethodRegistry.Default,
            HelpName = string.Join('|', MethodRegistry.Names),
        };
        choice.AcceptOnlyFromAmong([.. MethodRegistry.Names]);
        var method = new TransferOptions();
        var weights = new WeightsOptions();
        var device = new DeviceOption();
        var intermediates = new Option<string>("--save-intermediates")
        {
            Description = "Write pictures of the steps into this folder: superpixel maps, direct matching, attention matrix, fusion before regrain.",
            HelpName = "DIR",
        };
        var lutOut = new Option<string>("--lut-out")
        {
            Description = "With --render global: also write the fitted colour map as an Adobe/IRIDAS .cube 3D LUT (sRGB in and out).",
            HelpName = "FILE.cube",
        };
        var lutSize = NumberOption.Create("--lut-out-size", "Nodes per axis of the --lut-out table.", 33, 2, 129, "N");
        var quality = CommonOptions.Quality();
        var maxPixels = CommonOptions.MaxPixels();
        var force = CommonOptions.Force();
        var verbose = CommonOptions.Verbose();
        var command = new Command("transfer",
            "Transfer the colours of REFERENCE onto TARGET (Carrillo, Clément and Bugeau 2021): SLIC superpixels, VGG-19 super-features, " +
            "attention matching and the Mahalanobis-weighted fusion at a working size, then a colour map fitted to the fusion applied to the " +
            "full-size TARGET (--render local: the paper's per-pixel fusion and Pitié's regrain at full size).")
        { target, reference, output, choice };
        foreach (var o in method.All) command.Add(o);
        foreach (var o in weights.All) command.Add(o);
        command.Add(device.Option);
        foreach (var o in new Option[] { intermediates, lutOut, lutSize, quality, maxPixels, force, verbose }) command.Add(o);

        command.SetAction(p => Run.Guarded(p.GetValue(verbose), () =>
        {
            bool talk = p.GetValue(verbose);
            string t = p.GetValue(target)!, r = p.GetValue(reference)!, o = p.GetValue(output)!;
            using var outputs = new OutputSet(p.GetValue(force), [t, r]);
            CommonOptions.AddImage(outputs, o);
            var settings = method.Read(p);
            string name = p.GetValue(choice)!;
            method.RequireColorizingMethod(p, name);
            string? lut = p.GetValue(lutOut);
            if (lut is not null)
            {
                if (name != MethodRegistry.Default || settings.Render != RenderMode.Global)
                    throw new UsageException($"--lut-out writes the colour map of --render global (method {MethodRegistry.Default}); add --render global");
                if (!lut.EndsWith(".cube", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"{lut}: a LUT is written as .cube; use a .cube name");
                if (settings.Colorize == ColorizeMode.Always) throw new UsageException("--lut-out and --colorize: colourisation is no colour map (its chroma depends on the place); leave one out");
                outputs.Add(lut);
            }
            if (name != MethodRegistry.Default && p.GetValue(intermediates) is not null)
                throw new UsageException($"--save-intermediates shows the steps of --method {MethodRegistry.Default} only");
            var steps = p.GetValue(intermediates) is { } dir ? new IntermediateWriter(outputs, dir) : null;
            var total = Stopwatch.StartNew();
            var clock = Stopwatch.StartNew();
            var targetImage = ImageFile.Open(t, p.GetValue(maxPixels));
            var referenceImage = ImageFile.Open(r, p.GetValue(maxPixels));
            var log = CommonOptions.StageLog(talk);
            log?.Invoke("read files", clock.Elapsed);

            using var engine = device.CreateEngine(p, weights, name, settings, new TransferJob(targetImage.Width, targetImage.Height, referenceImage.Width, referenceImage.Height, settings));
            if (talk) Console.Error.WriteLine($"gct: {name}, {targetImage.Width}x{targetImage.Height} <- {referenceImage.Width}x{referenceImage.Height} on {engine.Backend.Name}");
            using var bar = talk ? null : ProgressBar.ForTransfer();
            IProgress<TransferProgress>? progress = talk
                ? new SyncProgress<TransferProgress>(s => { if (s.Finished) log!(s.Stage, s.Elapsed); })
                : bar;
            clock.Restart();
            var result = engine.Transfer(targetImage, referenceImage, progress, steps);
            if (name != MethodRegistry.Default) log?.Invoke(name, clock.Elapsed);
            if (engine.Colorized && lut is not null)
                throw GctException.ForFile(t, "is grey and was colourised, which no LUT can do (its chroma depends on the place); nothing was written; give --no-colorize for the colour transfer's LUT, or leave out --lut-out");
            if (engine.Colorized && settings.Colorize == ColorizeMode.Auto)
                Console.Error.WriteLine($"gct: note: {t} is grey: coloured after the reference, its lightness kept (--no-colorize gives it a cast instead)");
            clock.Restart();
            outputs.Write(o, ImageCodec.Encoder(result, o, p.GetValue(quality)));
            log?.Invoke("encode", clock.Elapsed);
            if (lut is not null)
                outputs.Write(lut, AtomicFile.Text(Engine.ColorMaps.CubeFile.Text(engine.LastColorMap!, p.GetValue(lutSize), $"gct {Path.GetFileName(r)} onto {Path.GetFileName(t)}")));
            outputs.Commit();
            if (lut is not null) Console.WriteLine($"wrote {lut}");
            bar?.Dispose();
            if (talk) Console.Error.WriteLine($"  {"total",-26} {total.Elapsed.TotalMilliseconds,9:F1} ms");
            Console.WriteLine($"wrote {o} ({result.Width}x{result.Height}, {name} on {engine.Backend.Name}, {total.Elapsed.TotalSeconds:F1} s)");
            return 0;
        }));
        return command;
    }
}
