using System.Diagnostics;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>The score of one method on one case.</summary>
public sealed record RecoveryResult(string Photo, double Overlap, Grading Grading, string Method, double DeltaE00, double Psnr, double Seconds);

/// <summary>
/// Runs the ground-truth recovery protocol (<see cref="RecoveryProtocol"/>) for photos x overlaps
/// x gradings x methods, scoring each output against the truth, and optionally writes one
/// contact sheet per photo and overlap (rows: gradings; columns: target, reference, truth, then
/// each method's output).
/// </summary>
public sealed class RecoveryEvaluation(IReadOnlyList<IColorTransferMethod> methods, int longSide, IReadOnlyList<double> overlaps,
    IReadOnlyList<Grading> gradings)
{
    /// <summary>Receives each contact sheet with its name (<see cref="SheetName"/>); none are drawn when null.</summary>
    public Action<string, RgbImage>? Sheet { get; init; }

    /// <summary>The name of the contact sheet of a photo at an overlap: "PHOTO_fF".</summary>
    public static string SheetName(string photo, double overlap) => $"{Path.GetFileNameWithoutExtension(photo)}_f{overlap}";

    /// <summary>Reports (cases done, cases in all, what) after each case.</summary>
    public IProgress<(int Done, int Total, string What)>? Progress { get; init; }

    /// <summary>Evaluates every method on every case of the photos.</summary>
    public IReadOnlyList<RecoveryResult> Run(IReadOnlyList<string> photos)
    {
        var results = new List<RecoveryResult>();
        int total = photos.Count * overlaps.Count * gradings.Count, done = 0;
        foreach (string path in photos)
        {
            string name = Path.GetFileNameWithoutExtension(path);
            var prepared = RecoveryProtocol.Prepare(ImageCodec.Decode(path), longSide);
            foreach (double f in overlaps)
            {
                var rows = new List<RgbImage[]>();
                foreach (var g in gradings)
                {
                    var c = RecoveryProtocol.Make(name, prepared, f, g);
                    var row = new List<RgbImage> { c.Target, c.Reference, c.Truth };
                    foreach (var m in methods)
                    {
                        var clock = Stopwatch.StartNew();
                        var output = m.Transfer(c.Target, c.Reference);
                        double seconds = clock.Elapsed.TotalSeconds;
                        results.Add(new RecoveryResult(name, f, g, m.Name, Scores.MeanDeltaE00(output, c.Truth), Scores.Psnr(output, c.Truth), seconds));
                        row.Add(output);
                    }
                    rows.Add([.. row]);
                    Progress?.Report((++done, total, $"{name} f={f} {g.Name()}"));
                }
                Sheet?.Invoke(SheetName(path, f), ContactSheet.Compose(rows, 128));
            }
        }
        return results;
    }
}
