using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>
/// Median and 90th percentile of the scores of one method at one overlap, over one grading, a set
/// of gradings ("mild", "looks", "colorize") or all of them; the applied share's median and 10th percentile;
/// the median colourfulness of the outputs and of the truths (a colourisation too pale or too loud shows there).
/// </summary>
public sealed record RecoverySummary(string Method, double Overlap, string Grading, int Cases,
    double MedianDeltaE00, double P90DeltaE00, double MedianPsnr, double MedianShare, double P10Share, double MedianSeconds,
    double MedianColourfulness, double MedianTruthColourfulness);

/// <summary>Summaries, terminal table, CSV and JSON of a recovery evaluation.</summary>
public static class RecoveryReport
{
    /// <summary>The q-quantile with linear interpolation between order statistics (numpy's default).</summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        double pos = q * (v.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, v.Length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    /// <summary>One summary per method x overlap x grading, plus "all" gradings, in the order met.</summary>
    public static IReadOnlyList<RecoverySummary> Summarise(IReadOnlyList<RecoveryResult> results)
    {
        RecoverySummary Summary(IEnumerable<RecoveryResult> group, string method, double overlap, string grading)
        {
            var g = group.ToList();
            var shares = g.Select(r => r.Share).Where(double.IsFinite).ToList();
            return new RecoverySummary(method, overlap, grading, g.Count, Quantile(g.Select(r => r.DeltaE00), 0.5),
                Quantile(g.Select(r => r.DeltaE00), 0.9), Quantile(g.Select(r => r.Psnr), 0.5), Quantile(shares, 0.5), Quantile(shares, 0.1),
                Quantile(g.Select(r => r.Seconds), 0.5), Quantile(g.Select(r => r.Colourfulness), 0.5), Quantile(g.Select(r => r.TruthColourfulness), 0.5));
        }
        var rows = new List<RecoverySummary>();
        foreach (var byMethod in results.GroupBy(r => r.Method))
            foreach (var byOverlap in byMethod.GroupBy(r => r.Overlap))
            {
                rows.Add(Summary(byOverlap, byMethod.Key, byOverlap.Key, "all"));
                var families = byOverlap.GroupBy(r => r.Grading.Family).ToList();
                if (families.Count > 1)
                    foreach (var family in families.Where(f => f.Key != GradingFamily.Spatial))
                        rows.Add(Summary(family, byMethod.Key, byOverlap.Key, family.Key switch
                        {
                            GradingFamily.Look => "looks",
                            GradingFamily.Colorize => "colorize",
                            _ => "mild",
                        }));
                foreach (var byGrading in byOverlap.GroupBy(r => r.Grading))
                    rows.Add(Summary(byGrading, byMethod.Key, byOverlap.Key, byGrading.Key.Name));
            }
        return rows;
    }

    /// <summary>A plain-text table: one line per method x overlap over all gradings, then the gradings.</summary>
    public static string Table(IReadOnlyList<RecoverySummary> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"method",-12} {"overlap",7} {"grading",-19} {"cases",5} {"dE00 median",11} {"dE00 p90",9} {"PSNR median",11} {"share median",12} {"share p10",9} {"s/case",7} {"colourf. out/truth",18}");
        string[] sets = ["all", "mild", "looks"];
        foreach (var r in rows.OrderBy(r => Array.IndexOf(sets, r.Grading) is int k and >= 0 ? k : sets.Length).ThenByDescending(r => r.Overlap).ThenBy(r => r.Grading, StringComparer.Ordinal))
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Method,-12} {r.Overlap,7:0.##} {r.Grading,-19} {r.Cases,5} {r.MedianDeltaE00,11:F2} {r.P90DeltaE00,9:F2} {r.MedianPsnr,11:F2} {r.MedianShare,12:F2} {r.P10Share,9:F2} {r.MedianSeconds,7:F3} {string.Create(CultureInfo.InvariantCulture, $"{r.MedianColourfulness:F1}/{r.MedianTruthColourfulness:F1}"),18}"));
        return sb.ToString();
    }

    /// <summary>Every result as CSV.</summary>
    public static string Csv(IReadOnlyList<RecoveryResult> results)
    {
        var sb = new StringBuilder("photo,overlap,grading,method,de00,psnr,share,seconds,colourfulness,truth_colourfulness\n");
        foreach (var r in results)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Photo},{r.Overlap},{r.Grading.Name},{r.Method},{r.DeltaE00:F4},{r.Psnr:F3},{r.Share:F4},{r.Seconds:F4},{r.Colourfulness:F3},{r.TruthColourfulness:F3}"));
        return sb.ToString();
    }

    /// <summary>The summaries as indented JSON.</summary>
    public static string Json(IReadOnlyList<RecoverySummary> rows) =>
        JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
}
