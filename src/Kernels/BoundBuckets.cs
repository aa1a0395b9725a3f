namespace GpuColorTransfer.Kernels;

/// <summary>
/// The order of a superpixel's candidate list in the fusion: its candidates fall into
/// <see cref="Count"/> buckets by their lower bound of D, with geometric edges below the
/// superpixel's limit L (the largest first cut-off limit of its pixels):
/// bucket 0 holds the bounds up to L 2^-7.5, bucket k up to sqrt(2) times bucket k-1's edge, the
/// last one up to L. Most pixels admit only a small part of the list (at 1920x1080, 86% of the
/// pixels have limits below L / 10), so a pixel walks the buckets in order and stops at the first
/// whose lower edge is beyond its limit: at most sqrt(2) times the bounds it needs are looked at.
/// Edges are produced by the same repeated multiplication where the lists are built and where they
/// are read, so they round alike on both sides.
/// </summary>
public static class BoundBuckets
{
    /// <summary>Buckets per superpixel.</summary>
    public const int Count = 16;

    /// <summary>The ratio of consecutive edges.</summary>
    public const float Ratio = 1.41421356f;

    /// <summary>The upper edge of bucket 0: L 2^-7.5, (Count - 1) ratios below L.</summary>
    public static float FirstEdge(float limit) => limit * 0.00552427173f;

    /// <summary>The bucket of a bound no larger than <paramref name="limit"/>.</summary>
    public static int Of(float bound, float limit)
    {
        int k = 0;
        for (float edge = FirstEdge(limit); k < Count - 1 && bound > edge; edge *= Ratio) k++;
        return k;
    }
}
