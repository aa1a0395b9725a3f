using System.Diagnostics;
using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>
/// The score of one method on one case: mean CIEDE2000 and PSNR to the truth, the share of the true change applied
/// (<see cref="Scores.AppliedShare"/>), seconds, and the colourfulness (Hasler and Süsstrunk 2003, <see cref="FreePairMetrics.Colourfulness"/>) of the output and of the truth.
/// </summary>
public sealed record RecoveryResult(string Photo, double Overlap, Grading Grading, string Method, double DeltaE00, double Psnr, double Share, double Seconds,
    double Colourfulness, double TruthColourfulness);

/// <summary>
/// Runs the ground-truth recovery protocol (<see cref="RecoveryProtocol"/>) for photos x overlaps
/// x gradings x methods, scoring each output against the truth, and optionally writes one
/// contact sheet per photo and overlap (rows: gradings; columns: target, reference, truth, then
/// each method's output). With <see cref="AffineFloor"/>, each case also gets the row of
/// <see cref="AffineFloorName"/>: an affine map fitted to the truth itself, the best any affine
/// colour map could do (an anchor, as identity is; not a method).
/// </summary>
public sealed class RecoveryEvaluation(IReadOnlyList<IColorTransferMethod> methods, int longSide, IReadOnlyList<double> overlaps,
    IReadOnlyList<Grading> gradings)
{
    /// <summary>The method name of the affine map fitted to the truth.</summary>
    public const string AffineFloorName = "affine-floor";

    /// <summary>Also score the affine map fitted to each case's truth (<see cref="AffineFloorName"/>).</summary>
    public bool AffineFloor { get; init; }

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
                    double truthColourfulness = FreePairMetrics.Colourfulness(c.Truth);
                    void Score(string method, RgbImage output, double seconds) => results.Add(new RecoveryResult(name, f, g, method,
                        Scores.MeanDeltaE00(output, c.Truth), Scores.Psnr(output, c.Truth), Scores.AppliedShare(output, c.Target, c.Truth), seconds,
                        FreePairMetrics.Colourfulness(output), truthColourfulness));
                    foreach (var m in methods)
                    {
                        var clock = Stopwatch.StartNew();
                        var output = m.Transfer(c.Target, c.Reference);
                        Score(m.Name, output, clock.Elapsed.TotalSeconds);
                        row.Add(output);
                    }
                    if (AffineFloor) Score(AffineFloorName, FittedToTruth(c), 0);
                    rows.Add([.. row]);
                    Progress?.Report((++done, total, $"{name} f={f} {g.Name}"));
                }
                Sheet?.Invoke(SheetName(path, f), ContactSheet.Compose(rows, 128));
            }
        }
        return results;
    }

    /// <summary>The target through the affine map fitted (robust least squares) from the target to the truth.</summary>
    private static RgbImage FittedToTruth(RecoveryCase c)
    {
        var settings = new TransferSettings { ColorMap = ColorMapKind.Affine };
        var output = ColorMapRender.Apply(ColorMapFit.Fit(ColorPairs.FromImages(c.Target, c.Truth), settings), c.Target);
        output.Clamp();
        return output;
    }
}
