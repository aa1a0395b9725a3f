using GpuColorTransfer.Engine.Files;
using Microsoft.Extensions.FileSystemGlobbing;

namespace GpuColorTransfer.Engine.Batch;

/// <summary>One image of a batch: the input file and its output path relative to the output folder.</summary>
public sealed record BatchItem(string Input, string Output);

/// <summary>An entry met while listing a batch's inputs that could not be taken, and why (a sentence naming it).</summary>
public sealed record BatchProblem(string Input, string Reason);

/// <summary>The images of a batch, and the entries that could not be taken.</summary>
public sealed record BatchListing(IReadOnlyList<BatchItem> Items, IReadOnlyList<BatchProblem> Problems);

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
    /// The items of <paramref name="inputs"/>, and the entries met on the way that cannot be read
    /// (a broken or looping link, an unreadable folder, a device named like an image), reported
    /// for the manifest while the rest goes on. Folders are walked once each (a link to a folder
    /// already walked, such as a loop or an ancestor, is not followed again) and each file is taken
    /// once (by device and inode); <paramref name="outputFolder"/> is never walked (by path or,
    /// through links, by identity), so that an output folder inside an input folder is not read back
    /// on the next run.
    /// </summary>
    /// <exception cref="GctException">An input does not exist, a pattern or folder holds no image, or two inputs would write one output.</exception>
    /// <exception cref="ArgumentException">A pattern is malformed, or the output folder is an input folder itself.</exception>
    public static BatchListing List(IEnumerable<string> inputs, string format, string outputFolder)
    {
        if (!Formats.Contains(format)) throw new ArgumentException($"unknown format '{format}'", nameof(format));
        var walker = new Walker(outputFolder);
        var items = new List<BatchItem>();
        foreach (string input in inputs)
        {
            int taken = walker.Repeated;
            var found = walker.Expand(input);
            if (found.Count == 0 && walker.Repeated == taken) throw GctException.ForFile(input, "holds no image (.jpg, .jpeg, .png, .webp, .gif, .bmp)");
            items.AddRange(found.Select(x => new BatchItem(x.File, WithFormat(x.Relative, format))));
        }
        var clash = items.GroupBy(i => i.Output, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new GctException($"{clash.First().Input} and {clash.Skip(1).First().Input} would both be written as {clash.Key}; give them in separate batches or rename one");
        return new BatchListing([.. items.OrderBy(i => i.Output, StringComparer.Ordinal)], walker.Problems);
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

    /// <summary>Walks the inputs of one batch: each folder and each file once, the output folder never.</summary>
    private sealed class Walker(string outputFolder)
    {
        private readonly string _outputPrefix = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputFolder)) + Path.DirectorySeparatorChar;
        private readonly string? _outputKey = FileIdentity.Key(outputFolder);
        private readonly HashSet<string> _folders = [];
        private readonly HashSet<string> _files = [];

        public List<BatchProblem> Problems { get; } = [];

        /// <summary>Images met again (the same file through another path or input), left out.</summary>
        public int Repeated { get; private set; }

        /// <summary>The images of one input (a file, a folder or a pattern) with their paths relative to its base.</summary>
        public List<(string File, string Relative)> Expand(string input)
        {
            if (Directory.Exists(input))
            {
                if (IsOutput(input))
                    throw new ArgumentException($"{outputFolder}: is the input folder {input} itself, so its outputs would be read back as inputs; give an output folder outside it, or inside it (such as {Path.Combine(input, "graded")})");
                return [.. Walk(input).Select(f => (f, Path.GetRelativePath(input, f)))];
            }
            if (File.Exists(input) || FileIdentity.KindOf(input) is not FileKind.Missing)
                return Taken(input) ? [(input, Path.GetFileName(input))] : [];
            if (input.IndexOfAny(['[', ']', '{', '}']) >= 0)
                throw new ArgumentException($"'{input}': names no file, and as a pattern gct reads only * (any name), ? (any character) and ** (any folders), not [ ] or {{ }}");
            if (input.IndexOfAny(['*', '?']) < 0)
                throw GctException.ForFile(input, new FileInfo(input).LinkTarget is { } target ? $"is a broken link (to {target})" : "no such file or folder");
            // A pattern: its fixed leading folders are the base the outputs keep their paths from.
            string[] parts = input.Replace('\\', '/').Split('/');
            int fixedParts = parts.TakeWhile(p => p.IndexOfAny(['*', '?']) < 0).Count();
            string root = fixedParts == 0 ? "." : string.Join('/', parts.Take(fixedParts));
            if (input.StartsWith('/') && fixedParts <= 1) root = "/";
            if (!Directory.Exists(root)) throw GctException.ForFile(input, $"the folder {root} does not exist");
            var matcher = new Matcher(StringComparison.Ordinal);
            var files = Walk(root).ToList();
            try
            {
                matcher.AddInclude(string.Join('/', parts.Skip(fixedParts)));
                var matched = matcher.Match(root, files.Select(f => Path.GetRelativePath(root, f))).Files.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
                return [.. files.Where(f => matched.Contains(Path.GetRelativePath(root, f).Replace('\\', '/'))).Select(f => (f, Path.GetRelativePath(root, f)))];
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"'{input}': is not a pattern gct can read ({e.Message.TrimEnd('.')}); quote it, with * for any name, ** for any folders");
            }
        }

        private bool IsOutput(string folder) =>
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar == _outputPrefix
            || (_outputKey is not null && FileIdentity.Key(folder) == _outputKey);

        /// <summary>The images under a folder, depth first in name order, each folder and file once, the output folder left out.</summary>
        private IEnumerable<string> Walk(string root)
        {
            var pending = new Stack<string>([root]);
            while (pending.Count > 0)
            {
                string folder = pending.Pop();
                if (folder != root && (Path.GetFullPath(folder) + Path.DirectorySeparatorChar).StartsWith(_outputPrefix, StringComparison.Ordinal)) continue;
                if (folder != root && IsOutput(folder)) continue;
                if (FileIdentity.Key(folder) is { } key && !_folders.Add(key)) continue; // a loop, or a link to a folder already walked
                string[] entries;
                try { entries = [.. Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal)]; }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Problems.Add(new BatchProblem(folder, $"{folder}: cannot be read ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)}); its images were left out"));
                    continue;
                }
                foreach (string entry in entries.Reverse())
                {
                    switch (FileIdentity.KindOf(entry))
                    {
                        case FileKind.Folder:
                            pending.Push(entry);
                            break;
                        case FileKind.Missing:
                            if (new FileInfo(entry).LinkTarget is { } target)
                                Problems.Add(new BatchProblem(entry, $"{entry}: is a broken or looping link (to {target}); left out"));
                            break;
                        default:
                            if (IsImage(entry) && Taken(entry)) yield return entry;
                            break;
                    }
                }
            }
        }

        /// <summary>Whether a file is taken: a regular file not taken already (a device or a pipe named like an image is reported).</summary>
        private bool Taken(string file)
        {
            var kind = FileIdentity.KindOf(file);
            if (kind != FileKind.Regular)
            {
                Problems.Add(new BatchProblem(file, $"{file}: is a {kind.ToString().ToLowerInvariant()}, not an image file; left out"));
                return false;
            }
            if (FileIdentity.Key(file) is not { } key || _files.Add(key)) return true;
            Repeated++;
            return false;
        }
    }

    private static bool IsImage(string file) => ImageExtensions.Contains(Path.GetExtension(file));
}
