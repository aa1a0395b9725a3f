using System.Security.Cryptography;
using GpuColorTransfer.Engine.Vgg;

namespace GpuColorTransfer.Engine.Weights;

/// <summary>
/// The VGG-19 weights (conv1_1..conv3_1, TF.js layers format, Oxford VGG, CC BY 4.0). A copy is
/// embedded in this assembly, so nothing needs a download or a setting; a folder given by the caller
/// or by $GCT_WEIGHTS overrides it. The expected SHA-256 of each file is compiled in from the
/// repository's weights/SHA256SUMS, and a folder whose files do not match is refused.
/// </summary>
public static class WeightStore
{
    /// <summary>Environment variable naming a folder with the weights, overriding the embedded copy.</summary>
    public const string FolderVariable = "GCT_WEIGHTS";

    private const string ResourcePrefix = "GpuColorTransfer.Engine.Weights.";

    /// <summary>Each file with its SHA-256 (lower-case hex).</summary>
    public static IReadOnlyList<(string File, string Sha256)> Manifest { get; } = ReadManifest();

    private static IReadOnlyList<(string, string)> ReadManifest()
    {
        using var reader = new StreamReader(OpenEmbedded("SHA256SUMS"));
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(parts => (parts[1], parts[0].ToLowerInvariant())).ToArray();
    }

    /// <summary>One file of the embedded copy (model.json, a shard, SHA256SUMS).</summary>
    public static Stream OpenEmbedded(string file) =>
        typeof(WeightStore).Assembly.GetManifestResourceStream(ResourcePrefix + file)
        ?? throw new InvalidOperationException($"the embedded weight file {file} is missing from the build");

    /// <summary>What is wrong with the weights in <paramref name="folder"/> (the embedded copy when null): one line per bad file, empty when all are good.</summary>
    public static IReadOnlyList<string> Verify(string? folder)
    {
        if (folder is not null && !Directory.Exists(folder)) return [$"{folder}: no such folder"];
        var problems = new List<string>();
        foreach (var (file, sha) in Manifest)
        {
            string name = folder is null ? $"embedded {file}" : Path.Combine(folder, file);
            if (folder is not null && !File.Exists(name)) { problems.Add($"{name}: missing"); continue; }
            string actual;
            try
            {
                using var stream = folder is null ? OpenEmbedded(file) : OpenFile(name);
                actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
            catch (GctException e) { problems.Add(e.Message); continue; }
            if (actual != sha) problems.Add($"{name}: SHA-256 {actual[..12]}... does not match the expected {sha[..12]}...");
        }
        return problems;
    }

    /// <summary>
    /// The folder that overrides the embedded weights: <paramref name="folder"/> if given, else
    /// $GCT_WEIGHTS if set, else null (use the embedded copy). A folder that does not verify is refused.
    /// </summary>
    /// <exception cref="GctException">The folder lacks a file or a file's checksum does not match.</exception>
    public static string? ResolveFolder(string? folder)
    {
        foreach (var (source, candidate) in new[] { ("given", folder), ($"${FolderVariable}", Environment.GetEnvironmentVariable(FolderVariable)) })
        {
            if (string.IsNullOrEmpty(candidate)) continue;
            var problems = Verify(candidate);
            if (problems.Count > 0)
                throw new GctException($"the VGG-19 weights folder {source} is not usable: {problems[0]}{(problems.Count > 1 ? $" (and {problems.Count - 1} more)" : "")}; " +
                    "it must hold model.json and group1..5-shard1of1 with the checksums of weights/SHA256SUMS, or leave it unset to use the built-in copy");
            return candidate;
        }
        return null;
    }

    /// <summary>Loads the network from <paramref name="folder"/>, else $GCT_WEIGHTS, else the embedded copy.</summary>
    /// <exception cref="GctException">An override folder is not usable.</exception>
    public static VggNetwork Load(string? folder = null) =>
        ResolveFolder(folder) is { } dir
            ? VggNetwork.Load(file => OpenFile(Path.Combine(dir, file)), dir)
            : VggNetwork.Load(OpenEmbedded, "the built-in weights");

    /// <summary>A weights file read whole (a regular file only: see <see cref="Files.InputFile"/>).</summary>
    private static MemoryStream OpenFile(string path) => new(Files.InputFile.ReadAll(path, "a weights file"));
}
