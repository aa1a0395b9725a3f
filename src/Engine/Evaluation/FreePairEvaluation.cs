using System.Globalization;
using System.Text;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>The no-reference scores of one method's output on one free pair.</summary>
public sealed record FreePairResult(string Target, string Reference, string Method, double SlicedWasserstein, double HistogramIntersection,
    double ColourfulnessDifference, double LightnessSsim, double GradientCorrelation);

/// <summary>
/// Runs methods on free target/reference pairs (a TSV file: target, reference[, intent], paths
/// relative to the file, first line a header) with the images resized to a long side, scores each
/// output with <see cref="FreePairMetrics"/>, and optionally writes a contact sheet (one row per
/// pair: target, reference, then each method's output). "identity" (output = target) belongs in the
/// list as the anchor.
/// </summary>
public sealed class FreePairEvaluation(IReadOnlyList<IColorTransferMethod> methods, int longSide)
{
    /// <summary>Receives the contact sheet; none is drawn when null.</summary>
    public Action<RgbImage>? Sheet { get; init; }

    /// <summary>Reports (pairs done, pairs in all, what) after each pair.</summary>
    public IProgress<(int Done, int Total, string What)>? Progress { get; init; }

    /// <summary>The (target, reference) paths listed in a pairs file.</summary>
    public static IReadOnlyList<(string Target, string Reference)> ReadPairs(string file)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var pairs = new List<(string, string)>();
        var lines = System.Text.Encoding.UTF8.GetString(InputFile.ReadAll(file, "a pairs file (TSV)")).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        for (int i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var cols = lines[i].Split('\t');
            if (cols.Length < 2) throw GctException.ForFile(file, $"line {i + 1} has no tab-separated target and reference");
            pairs.Add((Path.Combine(dir, cols[0].Trim()), Path.Combine(dir, cols[1].Trim())));
        }
        return pairs.Count > 0 ? pairs : throw GctException.ForFile(file, "lists no pair (first line is the header)");
    }

    /// <summary>Scores every method on every pair.</summary>
    public IReadOnlyList<FreePairResult> Run(IReadOnlyList<(string Target, string Reference)> pairs)
    {
        var results = new List<FreePairResult>();
        var rows = new List<RgbImage[]>();
        int done = 0;
        foreach (var (tp, rp) in pairs)
        {
            var target = RecoveryProtocol.Prepare(ImageCodec.Decode(tp), longSide);
            var reference = RecoveryProtocol.Prepare(ImageCodec.Decode(rp), longSide);
            var refLab = FreePairMetrics.Lab(reference);
            var targetL = FreePairMetrics.Lightness(target);
            double refColourfulness = FreePairMetrics.Colourfulness(reference);
            var row = new List<RgbImage> { target, reference };
            foreach (var m in methods)
            {
                var output = m.Transfer(target, reference);
                var outLab = FreePairMetrics.Lab(output);
                var outL = outLab.Select(p => (double)p[0]).ToArray();
                results.Add(new FreePairResult(Path.GetFileName(tp), Path.GetFileName(rp), m.Name,
                    FreePairMetrics.SlicedWasserstein(outLab, refLab), FreePairMetrics.HistogramIntersection(outLab, refLab),
                    Math.Abs(FreePairMetrics.Colourfulness(output) - refColourfulness),
                    FreePairMetrics.Ssim(outL, targetL, target.Width, target.Height),
                    FreePairMetrics.GradientCorrelation(outL, targetL, target.Width, target.Height)));
                row.Add(output);
            }
            rows.Add([.. row]);
            Progress?.Report((++done, pairs.Count, Path.GetFileName(tp)));
        }
        Sheet?.Invoke(ContactSheet.Compose(rows, 128));
        return results;
    }

    /// <summary>Medians per method, as a plain-text table.</summary>
    public static string Table(IReadOnlyList<FreePairResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"method",-12} {"pairs",5} {"SWD to ref",10} {"hist. int.",10} {"|dColourf.|",11} {"SSIM(L) tgt",11} {"grad. corr.",11}");
        foreach (var g in results.GroupBy(r => r.Method))
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{g.Key,-12} {g.Count(),5} {Median(g.Select(r => r.SlicedWasserstein)),10:F2} {Median(g.Select(r => r.HistogramIntersection)),10:F3} " +
                $"{Median(g.Select(r => r.ColourfulnessDifference)),11:F2} {Median(g.Select(r => r.LightnessSsim)),11:F3} {Median(g.Select(r => r.GradientCorrelation)),11:F3}"));
        sb.AppendLine("(medians; SWD and |dColourf.| lower is closer to the reference; hist. int. higher; SSIM and grad. corr. to the target, higher keeps more structure)");
        return sb.ToString();
    }

    private static double Median(IEnumerable<double> v) => RecoveryReport.Quantile(v, 0.5);

    /// <summary>Every result as CSV.</summary>
    public static string Csv(IReadOnlyList<FreePairResult> results)
    {
        var sb = new StringBuilder("target,reference,method,swd,hist_intersection,colourfulness_diff,ssim_lightness,gradient_correlation\n");
        foreach (var r in results)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Target},{r.Reference},{r.Method},{r.SlicedWasserstein:F4},{r.HistogramIntersection:F4},{r.ColourfulnessDifference:F4},{r.LightnessSsim:F4},{r.GradientCorrelation:F4}"));
        return sb.ToString();
    }
}
