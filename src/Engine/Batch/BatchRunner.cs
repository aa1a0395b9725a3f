using System.Diagnostics;
using System.Threading.Channels;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.Batch;

/// <summary>What became of one image of a batch.</summary>
public enum BatchStatus
{
    /// <summary>Transferred and written.</summary>
    Done,
    /// <summary>Its output existed (and replacing was not asked for): left as it is.</summary>
    Skipped,
    /// <summary>It could not be read, transferred or written; the others went on.</summary>
    Failed,
}

/// <summary>One image's outcome: status, seconds from its decoding to its written output, and the reason of a failure.</summary>
/// <param name="Item">The image and its output.</param>
/// <param name="Status">What became of it.</param>
/// <param name="Seconds">From its decoding to its written output.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Colorized">Whether it was colourised (a grey image: its lightness kept, its chroma matched) rather than colour-transferred.</param>
public sealed record BatchResult(BatchItem Item, BatchStatus Status, double Seconds, string? Error, bool Colorized = false);

/// <summary>How far a batch is: images finished (done, skipped, failed) of the total, and the time since the start.</summary>
public sealed record BatchProgress(int Done, int Skipped, int Failed, int Total, TimeSpan Elapsed)
{
    /// <summary>Images finished, whatever their status.</summary>
    public int Finished => Done + Skipped + Failed;
}

/// <summary>
/// Runs a batch as a bounded pipeline: decoders, one transfer loop (the engine keeps the reference
/// and runs one image at a time) and encoders, so that the codecs work while the backend
/// transfers. At most <see cref="MaxImagesInFlight"/> images are held at once. An image that fails
/// is reported and the others go on; each output is written through a temporary file and appears
/// complete or not at all, never over a file that appeared meanwhile unless <see cref="Replace"/>.
/// </summary>
/// <param name="transfer">The transfer of one decoded image (called on one thread at a time).</param>
public sealed class BatchRunner(Func<RgbImage, RgbImage> transfer)
{
    /// <summary>Replace existing outputs (else they are skipped, which makes a rerun finish only what is missing).</summary>
    public bool Replace { get; init; }

    /// <summary>JPEG and WebP quality.</summary>
    public int Quality { get; init; } = 95;

    /// <summary>Largest input in pixels (checked from the header).</summary>
    public long MaxPixels { get; init; } = ImageCodec.DefaultMaxPixels;

    /// <summary>Decoding threads.</summary>
    public int Decoders { get; init; } = 2;

    /// <summary>Encoding threads.</summary>
    public int Encoders { get; init; } = 2;

    /// <summary>Images waiting between two steps (decoded, awaiting transfer; transferred, awaiting encoding).</summary>
    public int QueueLength { get; init; } = 2;

    /// <summary>The most images held at once: one per decoder, encoder and queue place, and the one in transfer.</summary>
    public int MaxImagesInFlight => Decoders + Encoders + 2 * QueueLength + 1;

    /// <summary>Files that must never be written (the reference; the inputs are added by <see cref="Run"/>).</summary>
    public IReadOnlyCollection<string> OtherInputs { get; init; } = [];

    /// <summary>Whether the transfer just made colourised its image (asked right after it, on the transfer's thread); null: never.</summary>
    public Func<bool>? Colorized { get; init; }

    /// <summary>Told after each image, from the thread that finished it, one call at a time.</summary>
    public IProgress<BatchProgress>? Progress { get; init; }

    /// <summary>Given the results so far (unfinished images left out) at most every <see cref="CheckpointInterval"/> and at the end: for a manifest.</summary>
    public Action<IReadOnlyList<BatchResult>>? Checkpoint { get; init; }

    /// <summary>The least time between two <see cref="Checkpoint"/> calls.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Processes <paramref name="items"/> into <paramref name="outputFolder"/>; the results in the items' order.</summary>
    public IReadOnlyList<BatchResult> Run(IReadOnlyList<BatchItem> items, string outputFolder)
    {
        var results = new BatchResult?[items.Count];
        var started = new long[items.Count];
        var protectedFiles = new HashSet<string>(items.Select(i => i.Input).Concat(OtherInputs).Select(FileIdentity.Key).OfType<string>());
        var clock = Stopwatch.StartNew();
        var gate = new Lock();
        var lastCheckpoint = TimeSpan.Zero;
        int done = 0, skipped = 0, failed = 0;

        void Finish(int index, BatchStatus status, string? error, bool colorized = false)
        {
            lock (gate)
            {
                double seconds = status == BatchStatus.Skipped ? 0 : (Stopwatch.GetTimestamp() - started[index]) / (double)Stopwatch.Frequency;
                results[index] = new BatchResult(items[index], status, seconds, error, colorized);
                if (status == BatchStatus.Done) done++;
                else if (status == BatchStatus.Skipped) skipped++;
                else failed++;
                Progress?.Report(new BatchProgress(done, skipped, failed, items.Count, clock.Elapsed));
                if (Checkpoint is not null && clock.Elapsed - lastCheckpoint >= CheckpointInterval)
                {
                    lastCheckpoint = clock.Elapsed;
                    Checkpoint([.. results.OfType<BatchResult>()]);
                }
            }
        }

        string OutputOf(int index) => Path.Combine(outputFolder, items[index].Output);

        var decoded = Channel.CreateBounded<(int Index, RgbImage Image)>(QueueLength);
        var transferred = Channel.CreateBounded<(int Index, RgbImage Image, bool Colorized)>(QueueLength);
        int next = -1;

        async Task Decode()
        {
            for (int i = Interlocked.Increment(ref next); i < items.Count; i = Interlocked.Increment(ref next))
            {
                started[i] = Stopwatch.GetTimestamp();
                string output = OutputOf(i);
                if (FileIdentity.Key(output) is { } key && protectedFiles.Contains(key))
                {
                    Finish(i, BatchStatus.Failed, $"{output}: is also an input (the same file); it was left as it is");
                    continue;
                }
                try { StagedFile.CheckDestination(output); }
                catch (OutputRefusedException e)
                {
                    Finish(i, BatchStatus.Failed, e.Message);
                    continue;
                }
                if (File.Exists(output) && !Replace)
                {
                    Finish(i, BatchStatus.Skipped, null);
                    continue;
                }
                RgbImage image;
                try { image = ImageCodec.Decode(items[i].Input, MaxPixels); }
                catch (Exception e) { Finish(i, BatchStatus.Failed, Reason(e, items[i].Input)); continue; }
                await decoded.Writer.WriteAsync((i, image));
            }
        }

        async Task Encode()
        {
            await foreach (var (i, image, colorized) in transferred.Reader.ReadAllAsync())
            {
                try
                {
                    string output = OutputOf(i);
                    string folder = Path.GetDirectoryName(Path.GetFullPath(output))!;
                    try { Directory.CreateDirectory(folder); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw GctException.ForFile(output, $"its folder {folder} cannot be created ({(File.Exists(folder) ? "a file of that name exists" : e.Message)})");
                    }
                    using var staged = new StagedFile(output);
                    staged.Write(ImageCodec.Encoder(image, output, Quality));
                    staged.Commit(Replace);
                    Finish(i, BatchStatus.Done, null, colorized);
                }
                catch (Exception e) { Finish(i, BatchStatus.Failed, Reason(e, OutputOf(i))); }
            }
        }

        var decoders = Enumerable.Range(0, Math.Max(1, Decoders)).Select(_ => Task.Run(Decode)).ToArray();
        var encoders = Enumerable.Range(0, Math.Max(1, Encoders)).Select(_ => Task.Run(Encode)).ToArray();
        _ = Task.WhenAll(decoders).ContinueWith(t => decoded.Writer.Complete(t.Exception), TaskScheduler.Default);
        try
        {
            // The transfer loop runs here: the engine is used from one thread only.
            while (decoded.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (decoded.Reader.TryRead(out var item))
                {
                    RgbImage result;
                    try { result = transfer(item.Image); }
                    catch (Exception e) when (e is GctException or ArgumentException or InvalidOperationException)
                    {
                        Finish(item.Index, BatchStatus.Failed, Reason(e, items[item.Index].Input));
                        continue;
                    }
                    transferred.Writer.WriteAsync((item.Index, result, Colorized?.Invoke() ?? false)).AsTask().GetAwaiter().GetResult();
                }
            }
        }
        finally
        {
            transferred.Writer.TryComplete();
            Task.WaitAll(encoders);
        }
        var all = results.Select((r, i) => r ?? new BatchResult(items[i], BatchStatus.Failed, 0, "not processed")).ToArray();
        Checkpoint?.Invoke(all);
        return all;
    }

    /// <summary>Why an image failed, as a sentence naming <paramref name="file"/> (the input or the output concerned).</summary>
    private static string Reason(Exception e, string file) => e switch
    {
        GctException when e.Message.Contains(file, StringComparison.Ordinal) => e.Message,
        GctException => $"{file}: {e.Message}",
        IOException or UnauthorizedAccessException => GctException.ForFile(file, $"cannot be read or written ({e.Message})").Message,
        _ => $"{file}: {e.GetType().Name}: {e.Message}",
    };
}
