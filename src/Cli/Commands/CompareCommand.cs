using System.CommandLine;
using System.Globalization;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct compare A B`: how far two images of the same size are apart.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("A") { Description = "First image." };
        var b = new Argument<string>("B") { Description = "Second image, of the same size." };
        var command = new Command("compare", "PSNR (over RGB in [0,1]) and mean CIEDE2000 between two images of the same size, e.g. the outputs of two devices.") { a, b };
        command.SetAction(p => Run.Guarded(false, () =>
        {
            string pa = p.GetValue(a)!, pb = p.GetValue(b)!;
            var x = ImageCodec.Decode(pa);
            var y = ImageCodec.Decode(pb);
            if ((x.Width, x.Height) != (y.Width, y.Height))
                throw new GctException($"{pb}: is {y.Width}x{y.Height} but {pa} is {x.Width}x{x.Height}; compare needs two images of the same size");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PSNR {Scores.Psnr(x, y):F2} dB, mean CIEDE2000 {Scores.MeanDeltaE00(x, y):F4}"));
            return 0;
        }));
        return command;
    }
}
