using Microsoft.Extensions.FileSystemGlobbing;

namespace GpuColorTransfer.Engine.Batch;

/// <summary>One image of a batch: the input file and its output path relative to the output folder.</summary>
public sealed record BatchItem(string Input, string Output);

/// <summary>
/// Which images a batch processes and where each goes: files, folders (recursively, by image
/// extension) and glob patterns, each output keeping its path relative to the folder or the
/// pattern's fixed part, with the extension of the chosen format; sorted by output path, so that
/// every run (and every shard) sees the same order.
/// </summary>
public static class BatchPlan
{
    /// <summary>The extensions read from folders and patterns.</summary>
    public static readonly IReadOnlySet<string> ImageExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp" };

    /// <summary>The output formats: "same" keeps .jpg/.jpeg/.png/.webp (other inputs become .png).</summary>
    public static readonly IReadOnlyList<string> Formats = ["same", "png", "jpg", "webp"];

    /// <summary>
    /// The items of <paramref name="inputs"/>, files under <paramref name="outputFolder"/> left out (so
    /// that an output folder inside an input folder is not read back on the next run).
    /// </summary>
    /// <exception cref="GctException">An input does not exist, a pattern or folder holds no image, or two inputs would write one output.</exception>
    public static IReadOnlyList<BatchItem> List(IEnumerable<string> inputs, string format, string outputFolder)
    {
        if (!Formats.Contains(format)) throw new ArgumentException($"unknown format '{format}'", nameof(format));
        string outFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputFolder)) + Path.DirectorySeparatorChar;
        var items = new List<BatchItem>();
        foreach (string input in inputs)
        {
            var found = Expand(input).Where(x => !Path.GetFullPath(x.File).StartsWith(outFull, StringComparison.Ordinal)).ToList();
            if (found.Count == 0) throw GctException.ForFile(input, "holds no image (.jpg, .jpeg, .png, .webp, .gif, .bmp)");
            items.AddRange(found.Select(x => new BatchItem(x.File, WithFormat(x.Relative, format))));
        }
        var clash = items.GroupBy(i => i.Output, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new GctException($"{clash.First().Input} and {clash.Skip(1).First().Input} would both be written as {clash.Key}; give them in separate batches or rename one");
        return [.. items.OrderBy(i => i.Output, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Shard <paramref name="index"/> of <paramref name="count"/> (0-based): the contiguous run of items
    /// [floor(index n / count), floor((index + 1) n / count)), so the shards cover every item once.
    /// </summary>
    public static IReadOnlyList<T> Shard<T>(IReadOnlyList<T> items, int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        int start = (int)((long)index * items.Count / count), end = (int)((long)(index + 1) * items.Count / count);
        return [.. items.Skip(start).Take(end - start)];
    }

    /// <summary>The output path with the extension of <paramref name="format"/>.</summary>
    public static string WithFormat(string path, string format)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        string target = format switch
        {
            "same" => ext is ".jpg" or ".jpeg" or ".png" or ".webp" ? Path.GetExtension(path) : ".png",
            _ => "." + format,
        };
        return Path.ChangeExtension(path, target);
    }

    private static IEnumerable<(string File, string Relative)> Expand(string input)
    {
        if (Directory.Exists(input))
            return Directory.EnumerateFiles(input, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 })
                .Where(IsImage).Select(f => (f, Path.GetRelativePath(input, f)));
        if (File.Exists(input)) return [(input, Path.GetFileName(input))];
        if (input.IndexOfAny(['*', '?']) < 0) throw GctException.ForFile(input, "no such file or folder");
        // A pattern: its fixed leading folders are the base the outputs keep their paths from.
        string[] parts = input.Replace('\\', '/').Split('/');
        int fixedParts = parts.TakeWhile(p => p.IndexOfAny(['*', '?']) < 0).Count();
        string root = fixedParts == 0 ? "." : string.Join('/', parts.Take(fixedParts));
        if (input.StartsWith('/') && fixedParts <= 1) root = "/";
        if (!Directory.Exists(root)) throw GctException.ForFile(input, $"the folder {root} does not exist");
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(string.Join('/', parts.Skip(fixedParts)));
        return matcher.GetResultsInFullPath(root).Where(IsImage).Select(f => (f, Path.GetRelativePath(root, f)));
    }

    private static bool IsImage(string file) => ImageExtensions.Contains(Path.GetExtension(file));
}
