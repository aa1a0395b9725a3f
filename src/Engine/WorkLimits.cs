using System.Globalization;
using GpuColorTransfer.Engine.Backends;

namespace GpuColorTransfer.Engine;

/// <summary>
/// Caps on what one transfer may ask for, checked from the image sizes and the settings before
/// anything is allocated, so that an absurd request (millions of superpixels, a matching that
/// needs more memory than the machine has) is refused at once with the figures instead of running
/// for minutes or until memory runs out. Resource caps, not part of the method: they never change
/// a result. The pixel count of an input is capped where it is decoded.
/// </summary>
public sealed record WorkLimits
{
    /// <summary>The default cap on superpixels per image: 65536 (the paper's 3 sqrt(n) reaches it at 477 MP).</summary>
    public const int DefaultMaxSuperpixels = 65_536;

    /// <summary>The most superpixels per image.</summary>
    public int MaxSuperpixels { get; init; } = DefaultMaxSuperpixels;

    /// <summary>The most host memory one transfer may need, in bytes; default <see cref="DefaultMaxMemoryBytes"/>.</summary>
    public long MaxMemoryBytes { get; init; } = DefaultMaxMemoryBytes;

    /// <summary>Three quarters of the memory this process may use (the machine's, or its container's limit).</summary>
    public static long DefaultMaxMemoryBytes { get; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4 * 3;

    /// <summary>Throws a <see cref="WorkTooLargeException"/> when <paramref name="count"/> superpixels are asked of a <paramref name="width"/> x <paramref name="height"/> image beyond <see cref="MaxSuperpixels"/>.</summary>
    public void CheckSuperpixels(int count, int width, int height)
    {
        if (count > MaxSuperpixels)
            throw new WorkTooLargeException(WorkLimit.Superpixels,
                $"{count} superpixels asked of a {width}x{height} image, above the limit of {MaxSuperpixels} per image");
    }

    /// <summary>
    /// Checks a job on <paramref name="backend"/>: the superpixels of both matched images, and the
    /// host memory it needs (<see cref="HostBytes"/>) against <see cref="MaxMemoryBytes"/>.
    /// </summary>
    public void Check(TransferJob job, IBackend backend)
    {
        var s = job.Settings;
        var (tw, th) = job.MatchedTarget;
        var (rw, rh) = job.MatchedReference;
        CheckSuperpixels(s.SuperpixelCountFor((long)tw * th), tw, th);
        CheckSuperpixels(s.SuperpixelCountFor((long)rw * rh), rw, rh);
        long bytes = HostBytes(job, backend.StagesOnHost ? s.TileSize ?? backend.DefaultTileSize : null);
        if (bytes > MaxMemoryBytes)
            throw new WorkTooLargeException(WorkLimit.Memory,
                $"a {job.TargetWidth}x{job.TargetHeight} target with a {job.ReferenceWidth}x{job.ReferenceHeight} reference and these settings needs about " +
                $"{Size(bytes)} of memory, above the limit of {Size(MaxMemoryBytes)}");
    }

    /// <summary>
    /// Host bytes a job needs at its peak, estimated: the decoded images and the result (float
    /// planes), and, when the stages run on the host, their buffers at the matched size
    /// (<see cref="StageMemory.Estimate"/>) with the full-size regrain after a global map.
    /// </summary>
    /// <param name="job">The sizes and settings.</param>
    /// <param name="hostStageTileSize">The VGG tile side of a backend whose stages use host memory; null when they use a device's.</param>
    public static long HostBytes(TransferJob job, int? hostStageTileSize)
    {
        var s = job.Settings;
        long nt = (long)job.TargetWidth * job.TargetHeight, nr = (long)job.ReferenceWidth * job.ReferenceHeight;
        long images = 12 * (2 * nt + nr);
        if (hostStageTileSize is not int tileSize) return images;
        var (tw, th) = job.MatchedTarget;
        var (rw, rh) = job.MatchedReference;
        long stages = StageMemory.Estimate(tw, th, rw, rh, s, tileSize);
        if (s.Render == RenderMode.Global && s.Regrains) stages = Math.Max(stages, 8 * 12 * nt);
        return images + stages;
    }

    /// <summary>"12.3 GiB", or "45 MiB" under 1 GiB.</summary>
    internal static string Size(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("F1", CultureInfo.InvariantCulture) + " GiB"
        : Math.Ceiling(bytes / (double)(1L << 20)).ToString("F0", CultureInfo.InvariantCulture) + " MiB";
}
