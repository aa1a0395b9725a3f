using System.CommandLine;
using System.Diagnostics;
using GpuColorTransfer.Engine.Cpu;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Pipeline;
using GpuColorTransfer.Engine.Vgg;

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
            Description = "carrillo: the paper's method; reinhard: Lab mean/std (2001); mkl: Pitié's linear Monge-Kantorovich map (2007); idt: Pitié's iterative distribution transfer + regrain (2005).",
            DefaultValueFactory = _ => "carrillo",
            HelpName = string.Join('|', MethodChoice.Names),
        };
        choice.AcceptOnlyFromAmong(MethodChoice.Names);
        var method = new TransferOptions();
        var weights = new WeightsOptions();
        var device = new DeviceOption();
        var intermediates = new Option<string>("--save-intermediates")
        {
            Description = "Write pictures of the steps into this folder: superpixel maps, direct matching, attention matrix, fusion before regrain.",
            HelpName = "DIR",
        };
        var quality = CommonOptions.Quality();
        var maxPixels = CommonOptions.MaxPixels();
        var force = CommonOptions.Force();
        var verbose = CommonOptions.Verbose();
        var command = new Command("transfer",
            "Transfer the colours of REFERENCE onto TARGET: SLIC superpixels, VGG-19 super-features, attention matching, " +
            "Mahalanobis-weighted fusion and Pitié's regrain (Carrillo, Clément and Bugeau 2021).")
        { target, reference, output, choice };
        foreach (var o in method.All) command.Add(o);
        foreach (var o in weights.All) command.Add(o);
        command.Add(device.Option);
        foreach (var o in new Option[] { intermediates, quality, maxPixels, force, verbose }) command.Add(o);

        command.SetAction(p => Run.Guarded(p.GetValue(verbose), () =>
        {
            bool talk = p.GetValue(verbose);
            string t = p.GetValue(target)!, r = p.GetValue(reference)!, o = p.GetValue(output)!;
            CommonOptions.CheckOutput(o, p.GetValue(force), t, r);
            var settings = method.Read(p);
            string name = p.GetValue(choice)!;
            if (name != "carrillo" && p.GetValue(intermediates) is not null)
                throw new UsageException("--save-intermediates shows the steps of --method carrillo only");
            var total = Stopwatch.StartNew();
            var clock = Stopwatch.StartNew();
            var targetImage = ImageCodec.Decode(t, p.GetValue(maxPixels));
            var referenceImage = ImageCodec.Decode(r, p.GetValue(maxPixels));
            var log = CommonOptions.StageLog(talk);
            log?.Invoke("decode", clock.Elapsed);

            using var backend = device.CreateFor(p, talk, (targetImage.Width, targetImage.Height), (referenceImage.Width, referenceImage.Height), settings);
            if (talk)
                Console.Error.WriteLine($"gct: {name}, {targetImage.Width}x{targetImage.Height} <- {referenceImage.Width}x{referenceImage.Height} on {backend.Name}");
            VggNetwork Network() => weights.Load(p);
            RgbImage result;
            if (name == "carrillo")
            {
                var transfer = new ColorTransfer(backend, Network(), settings)
                {
                    StageCompleted = log ?? Progress(),
                    Intermediates = p.GetValue(intermediates) is { } dir ? new IntermediateWriter(dir) : null,
                };
                result = transfer.Run(targetImage, referenceImage);
            }
            else
            {
                clock.Restart();
                result = MethodChoice.Create(name, backend, Network, settings).Transfer(targetImage, referenceImage);
                result.Alpha = targetImage.Alpha;
                log?.Invoke(name, clock.Elapsed);
            }
            clock.Restart();
            ImageCodec.Encode(result, o, p.GetValue(quality));
            log?.Invoke("encode", clock.Elapsed);
            if (!talk && !Console.IsErrorRedirected) Console.Error.Write("\r\x1b[K");
            if (talk) Console.Error.WriteLine($"  {"total",-26} {total.Elapsed.TotalMilliseconds,9:F1} ms");
            return 0;
        }));
        return command;
    }

    /// <summary>Names the stage just finished, on one overwritten line, when stderr is a terminal.</summary>
    private static Action<string, TimeSpan>? Progress() =>
        Console.IsErrorRedirected ? null : (name, _) => Console.Error.Write($"\r\x1b[Kgct: {name} done");
}
