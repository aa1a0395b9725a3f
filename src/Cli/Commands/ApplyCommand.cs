using System.CommandLine;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct apply IMAGE --lut FILE.cube -o OUTPUT`: a .cube LUT applied to an image.</summary>
internal static class ApplyCommand
{
    public static Command Create()
    {
        var image = new Argument<string>("IMAGE") { Description = "The image to recolour." };
        var lut = new Option<string>("--lut")
        {
            Description = "An Adobe/IRIDAS .cube file: a 3D table (trilinear) or a 1D table, sRGB values in and out.",
            Required = true,
            HelpName = "FILE.cube",
        };
        var strength = CommonOptions.Strength("the LUT applied fully");
        var output = CommonOptions.Output();
        var quality = CommonOptions.Quality();
        var maxPixels = CommonOptions.MaxPixels();
        var force = CommonOptions.Force();
        var command = new Command("apply", "Apply a .cube LUT (for instance one written by 'gct transfer --render global --lut-out') to an image.")
        { image, lut, strength, output, quality, maxPixels, force };
        command.SetAction(p => Run.Guarded(false, () =>
        {
            string input = p.GetValue(image)!, table = p.GetValue(lut)!, o = p.GetValue(output)!;
            using var outputs = new OutputSet(p.GetValue(force), [input, table]);
            CommonOptions.AddImage(outputs, o);
            var map = CubeFile.Read(table);
            var result = BandedRender.Apply(map, ImageFile.Open(input, p.GetValue(maxPixels)), p.GetValue(strength));
            outputs.Write(o, ImageCodec.Encoder(result, o, p.GetValue(quality)));
            outputs.Commit();
            Console.WriteLine($"wrote {o} ({result.Width}x{result.Height})");
            return 0;
        }));
        return command;
    }
}
