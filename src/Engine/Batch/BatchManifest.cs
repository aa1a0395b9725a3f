using System.Text;
using System.Text.Json;

namespace GpuColorTransfer.Engine.Batch;

/// <summary>
/// A batch's manifest: one JSON object per line and per image, in the batch's order:
/// {"input": ..., "output": ..., "status": "done"|"skipped"|"failed", "seconds": ..., "error": ..., "colorized": true|false|null}
/// ("colorized" null for an image this run did not write).
/// </summary>
public static class BatchManifest
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The manifest text of <paramref name="results"/>; outputs are given as paths under <paramref name="outputFolder"/>.</summary>
    public static string Text(IEnumerable<BatchResult> results, string outputFolder)
    {
        var text = new StringBuilder();
        foreach (var r in results)
        {
            text.Append(JsonSerializer.Serialize(new Line(r.Item.Input, r.Item.Output.Length == 0 ? null : Path.Combine(outputFolder, r.Item.Output),
                r.Status.ToString().ToLowerInvariant(), Math.Round(r.Seconds, 3), r.Error, r.Status == BatchStatus.Done ? r.Colorized : null), Options));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The lines of a manifest file.</summary>
    public static IReadOnlyList<Line> Read(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<Line>(l, Options)!)];

    /// <summary>
    /// Whether <paramref name="path"/> is the manifest of a run of the same batch, which a rerun may
    /// replace: every line a manifest line whose output, if any, is one of <paramref name="outputs"/>
    /// (full paths).
    /// </summary>
    public static bool IsManifestOf(string path, IReadOnlySet<string> outputs)
    {
        try
        {
            return Read(System.Text.Encoding.UTF8.GetString(Files.InputFile.ReadAll(path, "a manifest")))
                .All(l => l.Input is not null && l.Status is not null && (l.Output is null || outputs.Contains(Path.GetFullPath(l.Output))));
        }
        catch (Exception e) when (e is GctException or JsonException or ArgumentException) { return false; }
    }

    /// <summary>One line of the manifest.</summary>
    /// <param name="Input">The input file (or the entry that could not be read).</param>
    /// <param name="Output">Its output; null for an entry that was not an image.</param>
    /// <param name="Status">done, skipped or failed.</param>
    /// <param name="Seconds">From its decoding to its written output.</param>
    /// <param name="Error">Why it failed.</param>
    /// <param name="Colorized">Whether it was colourised (a grey image) rather than colour-transferred; null unless written by this run.</param>
    public sealed record Line(string Input, string? Output, string Status, double Seconds, string? Error, bool? Colorized = null);
}
