using System.Diagnostics;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Engine.Batch;

/// <summary>How a batch starts: its share of the images, where it runs and how many images it holds at once.</summary>
/// <param name="Images">Images of this run (its shard).</param>
/// <param name="AllImages">Images of the whole batch.</param>
/// <param name="ShardIndex">This run's shard, from 0.</param>
/// <param name="ShardCount">Shards in all (1: the whole batch).</param>
/// <param name="Backend">What runs the transfers.</param>
/// <param name="FallbackReason">Why the CPU runs them although a GPU was looked for; null otherwise.</param>
/// <param name="MaxImagesInFlight">The most images held in memory at once.</param>
public sealed record BatchStart(int Images, int AllImages, int ShardIndex, int ShardCount, string Backend, string? FallbackReason, int MaxImagesInFlight);

/// <summary>What a batch did: each image's result in the batch's order, the manifest written, the time taken.</summary>
/// <param name="Results">Each image's result, in the batch's order, followed by the entries that could not be listed.</param>
/// <param name="ManifestPath">The manifest's path.</param>
/// <param name="Elapsed">The time the images took.</param>
/// <param name="ManifestError">Why the last manifest could not be written (a full disk, a removed folder); null when it was.</param>
public sealed record BatchReport(IReadOnlyList<BatchResult> Results, string ManifestPath, TimeSpan Elapsed, string? ManifestError = null)
{
    /// <summary>Images transferred and written.</summary>
    public int Done => Results.Count(r => r.Status == BatchStatus.Done);

    /// <summary>Images whose output existed.</summary>
    public int Skipped => Results.Count(r => r.Status == BatchStatus.Skipped);

    /// <summary>Images that failed.</summary>
    public IReadOnlyList<BatchResult> Failed => [.. Results.Where(r => r.Status == BatchStatus.Failed)];
}

/// <summary>
/// Many images graded after one reference in one process (gct batch), as a library call: the
/// inputs listed and sharded (<see cref="BatchPlan"/>), every output checked before any work, the
/// reference analysed once, the images run through a <see cref="BatchRunner"/>, and a manifest kept
/// up to date (<see cref="BatchManifest"/>).
/// <code>
/// var report = new BatchJob { Reference = "look.jpg", Inputs = ["shoot/"], OutputFolder = "graded" }.Run();
/// </code>
/// </summary>
public sealed class BatchJob
{
    /// <summary>The image whose colours are transferred.</summary>
    public required string Reference { get; init; }

    /// <summary>Images, folders (searched recursively) or glob patterns.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>The output folder (created if missing); outputs keep their path relative to their folder or pattern.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>One of <see cref="BatchPlan.Formats"/>.</summary>
    public string Format { get; init; } = "same";

    /// <summary>The manifest's path; null: manifest.jsonl in the output folder (manifest-I-of-N.jsonl for a shard).</summary>
    public string? Manifest { get; init; }

    /// <summary>This run's share: shard <c>Index</c> of <c>Count</c> (0 of 1: the whole batch).</summary>
    public (int Index, int Count) Shard { get; init; } = (0, 1);

    /// <summary>The method, settings, device and weights of the engine the batch creates.</summary>
    public EngineOptions Engine { get; init; } = new();

    /// <summary>Redo and replace outputs that exist (else they are skipped, so that a rerun finishes only what is missing).</summary>
    public bool Replace { get; init; }

    /// <summary>JPEG and WebP quality.</summary>
    public int Quality { get; init; } = 95;

    /// <summary>Largest input in pixels (checked from the header).</summary>
    public long MaxPixels { get; init; } = ImageCodec.DefaultMaxPixels;

    /// <summary>Threads decoding, and as many again encoding, beside the transfer.</summary>
    public int CodecThreads { get; init; } = 2;

    /// <summary>Told once the engine runs, before the first image.</summary>
    public Action<BatchStart>? Started { get; init; }

    /// <summary>Told after each image (see <see cref="BatchRunner.Progress"/>).</summary>
    public IProgress<BatchProgress>? Progress { get; init; }

    /// <summary>The manifest's path for these settings.</summary>
    public string ManifestPath => Manifest ?? Path.Combine(OutputFolder,
        Shard.Count == 1 ? "manifest.jsonl" : $"manifest-{Shard.Index}-of-{Shard.Count}.jsonl");

    /// <summary>Runs the batch; an image that fails is in the report while the others go on.</summary>
    /// <exception cref="GctException">The reference, an input, the output folder or the manifest cannot be used; nothing was written.</exception>
    /// <exception cref="OutputRefusedException">The output folder is a file, or the manifest is an input or another file that exists.</exception>
    public BatchReport Run()
    {
        if (FileIdentity.KindOf(OutputFolder) is not (FileKind.Missing or FileKind.Folder))
            throw new OutputRefusedException(OutputProblem.Directory, $"{OutputFolder}: is a file; the output of a batch is a folder");
        var listing = BatchPlan.List(Inputs, Format, OutputFolder);
        var all = listing.Items;
        var items = BatchPlan.Shard(all, Shard.Index, Shard.Count);
        string manifest = ManifestPath;
        CheckManifest(manifest, all);
        var reference = ImageCodec.Decode(Reference, MaxPixels);
        bool created = !Directory.Exists(OutputFolder);
        try { Directory.CreateDirectory(OutputFolder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw GctException.ForFile(OutputFolder, $"cannot create the folder ({e.Message})"); }
        try
        {
            // The manifest's folder and the output folder are writable, known before any work.
            new StagedFile(manifest).Dispose();
            new StagedFile(Path.Combine(OutputFolder, Path.GetFileName(manifest))).Dispose();
        }
        catch (GctException)
        {
            if (created && !Directory.EnumerateFileSystemEntries(OutputFolder).Any()) Directory.Delete(OutputFolder);
            throw;
        }

        using var engine = ColorTransferEngine.Create(Engine, new TransferJob(reference.Width, reference.Height, reference.Width, reference.Height, Engine.Settings));
        using var analysis = Engine.Method == MethodRegistry.Default ? engine.Analyse(reference) : null;
        Func<RgbImage, RgbImage> transfer = analysis is null ? t => engine.Transfer(t, reference) : t => engine.Transfer(t, analysis);
        // The entries that could not be listed go into the manifest beside the images (the first shard reports them).
        List<BatchResult> problems = Shard.Index == 0
            ? [.. listing.Problems.Select(p => new BatchResult(new BatchItem(p.Input, ""), BatchStatus.Failed, 0, p.Reason))] : [];
        // A manifest that cannot be written (a full disk) never stops the images; the report says so and still lists them.
        string? manifestError = null;
        void WriteManifest(IReadOnlyList<BatchResult> results)
        {
            try
            {
                AtomicFile.WriteText(manifest, BatchManifest.Text([.. results, .. problems], OutputFolder));
                manifestError = null;
            }
            catch (GctException e) { manifestError = e.Message; }
        }
        var runner = new BatchRunner(transfer)
        {
            Replace = Replace, Quality = Quality, MaxPixels = MaxPixels, Decoders = CodecThreads, Encoders = CodecThreads, OtherInputs = [Reference],
            Progress = Progress,
            Checkpoint = WriteManifest,
            Colorized = () => engine.Colorized,
        };
        Started?.Invoke(new BatchStart(items.Count, all.Count, Shard.Index, Shard.Count, engine.Backend.Name, engine.FallbackReason, runner.MaxImagesInFlight));
        var clock = Stopwatch.StartNew();
        var results = runner.Run(items, OutputFolder);
        return new BatchReport([.. results, .. problems], manifest, clock.Elapsed, manifestError);
    }

    /// <summary>
    /// The manifest is an output like the images: never one of them or an input, a regular file if it
    /// exists, and, without <see cref="Replace"/>, never a file other than a manifest of this batch.
    /// </summary>
    private void CheckManifest(string manifest, IReadOnlyList<BatchItem> all)
    {
        string full = Path.GetFullPath(manifest);
        var outputs = all.Select(i => Path.GetFullPath(Path.Combine(OutputFolder, i.Output))).ToHashSet(StringComparer.Ordinal);
        if (outputs.Contains(full) || all.Any(i => FileIdentity.Same(Path.Combine(OutputFolder, i.Output), manifest)))
            throw new OutputRefusedException(OutputProblem.Duplicate, $"{manifest}: is also one of the batch's images; choose another manifest");
        if (FileIdentity.Key(manifest) is { } key && all.Select(i => i.Input).Append(Reference).Any(i => FileIdentity.Key(i) == key))
            throw new OutputRefusedException(OutputProblem.Input, $"{manifest}: is also an input (the same file); choose another manifest");
        switch (FileIdentity.KindOf(manifest))
        {
            case FileKind.Missing:
                return;
            case FileKind.Folder:
                throw new OutputRefusedException(OutputProblem.Directory, $"{manifest}: is a folder; the manifest is a file");
            case FileKind.Regular:
                if (!Replace && !BatchManifest.IsManifestOf(manifest, outputs))
                    throw new OutputRefusedException(OutputProblem.Exists, $"{manifest}: already exists and is not a manifest of this batch");
                return;
            case var kind:
                throw new OutputRefusedException(OutputProblem.NotAFile, $"{manifest}: is a {kind.ToString().ToLowerInvariant()}, not a regular file; gct replaces regular files only");
        }
    }
}
