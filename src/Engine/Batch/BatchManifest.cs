using System.Text;
using System.Text.Json;

namespace GpuColorTransfer.Engine.Batch;

/// <summary>
/// A batch's manifest: one JSON object per line and per image, in the batch's order:
/// {"input": ..., "output": ..., "status": "done"|"skipped"|"failed", "seconds": ..., "error": ...}.
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
            text.Append(JsonSerializer.Serialize(new Line(r.Item.Input, Path.Combine(outputFolder, r.Item.Output),
                r.Status.ToString().ToLowerInvariant(), Math.Round(r.Seconds, 3), r.Error), Options));
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The lines of a manifest file.</summary>
    public static IReadOnlyList<Line> Read(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<Line>(l, Options)!)];

    /// <summary>Whether <paramref name="path"/> is a manifest (every line one), which a rerun of its batch may replace.</summary>
    public static bool IsManifest(string path)
    {
        try { return Read(System.Text.Encoding.UTF8.GetString(Files.InputFile.ReadAll(path, "a manifest"))).All(l => l.Input is not null && l.Status is not null); }
        catch (Exception e) when (e is GctException or JsonException) { return false; }
    }

    /// <summary>One line of the manifest.</summary>
    public sealed record Line(string Input, string Output, string Status, double Seconds, string? Error);
}
