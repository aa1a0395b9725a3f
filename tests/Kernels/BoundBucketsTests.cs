using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Tests.Kernels;

/// <summary>The fusion's bound buckets and their tally against naive edges and an array.</summary>
public class BoundBucketsTests
{
    [Fact]
    public void Bound_buckets_hold_the_bounds_between_their_geometric_edges()
    {
        // Naive edges in double: bucket k (0..15) holds bounds up to L 2^((k - 15) / 2), the last up to L.
        var random = new Random(7);
        foreach (float limit in new[] { 3e-4f, 1f, 87.5f, 4.2e4f })
            for (int trial = 0; trial < 2000; trial++)
            {
                float bound = trial == 0 ? 0f : trial == 1 ? limit : (float)(limit * Math.Pow(2, -12 * random.NextDouble()));
                int k = BoundBuckets.Of(bound, limit);
                double upper = limit * Math.Pow(2, (k + 1 - BoundBuckets.Count) / 2.0), lower = upper / Math.Sqrt(2);
                Assert.InRange(k, 0, BoundBuckets.Count - 1);
                Assert.True(k == BoundBuckets.Count - 1 || bound <= upper * (1 + 1e-5), $"bound {bound} above bucket {k}'s edge {upper}");
                Assert.True(k == 0 || bound > lower * (1 - 1e-5), $"bound {bound} below bucket {k}'s lower edge {lower}");
            }
    }

    [Fact]
    public void A_bucket_tally_counts_like_an_array()
    {
        var random = new Random(3);
        var tally = new BucketTally();
        var expected = new int[BoundBuckets.Count];
        for (int i = 0; i < 3 * FusionKernels.CandidateBlock; i++)
        {
            int k = random.Next(BoundBuckets.Count);
            tally.Add(k);
            expected[k]++;
        }
        Assert.Equal(expected, Enumerable.Range(0, BoundBuckets.Count).Select(k => tally[k]));
    }
}
