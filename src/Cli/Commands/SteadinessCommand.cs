using System.CommandLine;
using System.Globalization;
using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Engine.Video;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct steadiness INPUT OUTPUT`: how steady a film's grading is, shot by shot.</summary>
internal static class SteadinessCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("INPUT") { Description = "The film before grading." };
        var graded = new Argument<string>("OUTPUT") { Description = "The same film after grading (same size and frames)." };
        var cutThreshold = NumberOption.Create("--cut-threshold", "Scene-cut threshold (see gct video).", SceneCuts.DefaultThreshold, 0.0, 1.0, "T", minExclusive: true);
        var maxPixels = CommonOptions.MaxPixels();
        var command = new Command("steadiness",
            "Measure a grading's steadiness: per frame, an affine map fitted from the input frame to the graded frame moves a fixed palette (an 8 x 8 grid " +
            "of the shot's first frame); per shot, the palette's mean frame-to-frame change in CIELAB (flicker on a still shot) and its mean second difference " +
            "in time (jerkiness on a moving shot).")
        { input, graded, cutThreshold, maxPixels };
        command.SetAction(p => Run.Guarded(false, () =>
        {
            var shots = Steadiness.OfFilms(p.GetValue(input)!, p.GetValue(graded)!, p.GetValue(cutThreshold), p.GetValue(maxPixels));
            Console.WriteLine("shot  first frame  frames  change (Lab/frame)  second difference (Lab)");
            int i = 0;
            foreach (var s in shots)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{++i,4}  {s.FirstFrame,11}  {s.Frames,6}  {s.Change,18:F3}  {s.SecondDifference,23:F3}"));
            return 0;
        }));
        return command;
    }
}
