using ILGPU;
using ILGPU.Algorithms;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// Super-features matching (paper eqs. 1-2; see the CPU stage CpuAttention) as kernels: centring
/// and L2 normalisation of the super-features, the N_T x N_R product M (tiled in registers), then
/// per target superpixel i the softmax of its row of M / tau (optionally over its top k only),
/// computed in parts and merged, and the attention-weighted reference moments (C(i) and the
/// covariance around it, 9 floats), without storing A. Chunk-loop style.
/// </summary>
public static class AttentionKernels
{
    /// <summary>Rows per thread of <see cref="ChannelSums"/>.</summary>
    public const int RowBlock = 64;

    /// <summary>
    /// Per channel k, the sum over the n rows of the n x c features (sums must start at zero): a
    /// thread per channel and block of <see cref="RowBlock"/> rows, one atomic each.
    /// </summary>
    public static void ChannelSums(Index1D thread, int chunk, int n, int c, ArrayView<float> features, ArrayView<float> sums)
    {
        int blocks = (n + RowBlock - 1) / RowBlock;
        for (int e = thread * chunk; e < c * blocks && e < (thread + 1) * chunk; e++)
        {
            int k = e % c, i0 = e / c * RowBlock, i1 = i0 + RowBlock < n ? i0 + RowBlock : n;
            float sum = 0;
            for (int i = i0; i < i1; i++) sum += features[i * c + k];
            Atomic.Add(ref sums[k], sum);
        }
    }

    /// <summary>
    /// Row i minus the channel means (<paramref name="vector"/> = 0; <paramref name="sums"/> from
    /// <see cref="ChannelSums"/>) or minus its own mean (1), divided by its norm + 1e-5, written
    /// transposed: normalised[k stride + i] (stride &gt;= n; the columns from n on are left as they
    /// are, zero for <see cref="Similarities"/>).
    /// </summary>
    public static void Normalise(Index1D thread, int chunk, int n, int c, ArrayView<float> features, ArrayView<float> sums, int vector,
        int stride, ArrayView<float> normalised)
    {
        for (int i = thread * chunk; i < n && i < (thread + 1) * chunk; i++)
        {
            float own = 0;
            if (vector != 0)
            {
                for (int k = 0; k < c; k++) own += features[i * c + k];
                own /= c;
            }
            float norm = 0;
            for (int k = 0; k < c; k++)
            {
                float v = features[i * c + k] - (vector != 0 ? own : sums[k] / n);
                normalised[k * stride + i] = v;
                norm += v * v;
            }
            float scale = 1f / (MathF.Sqrt(norm) + 1e-5f);
            for (int k = 0; k < c; k++) normalised[k * stride + i] *= scale;
        }
    }

    /// <summary>The 9 colour moments of each of the nr reference superpixels, as 9 planes of nr (<see cref="SuperpixelStatistics.ColourMoments"/>).</summary>
    public static void Moments(Index1D thread, int chunk, int nr, ArrayView<SuperpixelStatistics> stats, ArrayView<float> moments)
    {
        for (int j = thread * chunk; j < nr && j < (thread + 1) * chunk; j++)
        {
            stats[j].ColourMoments(out float r, out float g, out float b, out float rr, out float rg, out float rb, out float gg, out float gb, out float bb);
            moments[j] = r; moments[nr + j] = g; moments[2 * nr + j] = b;
            moments[3 * nr + j] = rr; moments[4 * nr + j] = rg; moments[5 * nr + j] = rb;
            moments[6 * nr + j] = gg; moments[7 * nr + j] = gb; moments[8 * nr + j] = bb;
        }
    }

    /// <summary>Target rows per thread of <see cref="Similarities"/>: the target's padded row count must be a multiple.</summary>
    public const int TargetBlock = 8;

    /// <summary>Reference rows per thread of <see cref="Similarities"/>: the reference's padded row count must be a multiple.</summary>
    public const int ReferenceBlock = 4;

    /// <summary>
    /// M(i, j) = sum_k target(i, k) reference(j, k) (eq. 2 on normalised rows) from the transposed
    /// features (c x ntp and c x nrp, zero-padded to the blocks), stored transposed as
    /// similarities[j ntp + i] so that a thread per target row of <see cref="RowPartials"/> reads it
    /// coalesced. Tiled in registers: a thread computes an 8 x 4 block of M, so each value loaded
    /// feeds 4 or 8 multiply-adds, and neighbouring threads load neighbouring target columns.
    /// </summary>
    public static void Similarities(Index1D thread, int chunk, int ntp, int nrp, int c, ArrayView<float> target, ArrayView<float> reference,
        ArrayView<float> similarities)
    {
        int blocksI = ntp / TargetBlock, total = blocksI * (nrp / ReferenceBlock);
        var target4 = target.Cast<Float4>(); // ntp is a multiple of 8: each thread's 8 values are two aligned Float4
        for (int e = thread * chunk; e < total && e < (thread + 1) * chunk; e++)
        {
            int i0 = e % blocksI * TargetBlock, j0 = e / blocksI * ReferenceBlock;
            Float8 m0 = default, m1 = default, m2 = default, m3 = default;
            for (int k = 0; k < c; k++)
            {
                var t = Float8.Load(target4, k * ntp + i0);
                int r = k * nrp + j0;
                m0 = m0.Fma(reference[r], t);
                m1 = m1.Fma(reference[r + 1], t);
                m2 = m2.Fma(reference[r + 2], t);
                m3 = m3.Fma(reference[r + 3], t);
            }
            m0.Store(similarities, j0 * ntp + i0);
            m1.Store(similarities, (j0 + 1) * ntp + i0);
            m2.Store(similarities, (j0 + 2) * ntp + i0);
            m3.Store(similarities, (j0 + 3) * ntp + i0);
        }
    }

    /// <summary>
    /// One step of the search for each row's top-k floor, the <see cref="OrderedKey"/> of its k-th
    /// largest M(i, j): the largest key T in [lo, hi] with at least k entries &gt;= T. A thread per row
    /// and part of the row (as <see cref="RowPartials"/>) counts the part's entries at or above the
    /// middle of [lo, hi] into counts[i] (which must start at zero); rows already decided are skipped.
    /// </summary>
    public static void CountAtLeast(Index1D thread, int chunk, int nt, int ntp, int nr, int segments, ArrayView<float> similarities,
        ArrayView<int> lo, ArrayView<int> hi, ArrayView<int> counts)
    {
        int length = (nr + segments - 1) / segments;
        for (int e = thread * chunk; e < nt * segments && e < (thread + 1) * chunk; e++)
        {
            int i = e % nt, s = e / nt, j0 = s * length, j1 = j0 + length < nr ? j0 + length : nr;
            if (lo[i] == hi[i]) continue;
            int mid = Middle(lo[i], hi[i]), count = 0;
            for (int j = j0; j < j1; j++)
                if (OrderedKey(similarities[j * ntp + i]) >= mid) count++;
            Atomic.Add(ref counts[i], count);
        }
    }

    /// <summary>
    /// The other half of the step: [lo, hi] becomes its upper half when at least k entries reach the
    /// middle, else its lower half; counts are reset. 32 steps leave lo = hi = the floor.
    /// </summary>
    public static void Bisect(Index1D thread, int chunk, int nt, int k, ArrayView<int> lo, ArrayView<int> hi, ArrayView<int> counts)
    {
        for (int i = thread * chunk; i < nt && i < (thread + 1) * chunk; i++)
        {
            if (lo[i] == hi[i]) continue;
            int mid = Middle(lo[i], hi[i]);
            if (counts[i] >= k) lo[i] = mid;
            else hi[i] = mid - 1;
            counts[i] = 0;
        }
    }

    /// <summary>The upper middle of [lo, hi] (lo &lt; hi), without overflow.</summary>
    private static int Middle(int lo, int hi) => (int)(lo + ((long)hi - lo + 1) / 2);

    /// <summary>
    /// Eq. 1 for one of <paramref name="segments"/> parts of each target row i (a thread per row and
    /// part, so that rows are not summed one thread each): over the j of the part whose key is at
    /// least the row's floor, the part's maximum m of M(i, j) and the sums of exp((M(i, j) - m) / tau)
    /// and of those weights times the 9 reference moments (<see cref="AttentionMoments"/>). M comes
    /// transposed from <see cref="Similarities"/> (row stride ntp).
    /// </summary>
    public static void RowPartials(Index1D thread, int chunk, int nt, int ntp, int nr, int segments, ArrayView<float> similarities,
        ArrayView<int> floors, float tau, ArrayView<float> moments, ArrayView<float> partials)
    {
        int length = (nr + segments - 1) / segments;
        for (int e = thread * chunk; e < nt * segments && e < (thread + 1) * chunk; e++)
        {
            int i = e % nt, s = e / nt, j0 = s * length, j1 = j0 + length < nr ? j0 + length : nr, floor = floors[i];
            float max = float.NegativeInfinity;
            for (int j = j0; j < j1; j++)
            {
                float v = similarities[j * ntp + i];
                if (OrderedKey(v) >= floor) max = XMath.Max(max, v);
            }
            var sums = new AttentionMoments();
            if (max > float.NegativeInfinity)
                for (int j = j0; j < j1; j++)
                {
                    float v = similarities[j * ntp + i];
                    if (OrderedKey(v) >= floor) sums.Add(XMath.Exp((v - max) / tau), moments, nr, j);
                }
            sums.StorePartial(max, partials, (s * nt + i) * AttentionMoments.PartialFloats);
        }
    }

    /// <summary>
    /// For target row i, the parts of <see cref="RowPartials"/> merged as one softmax over the row:
    /// each part's sums scaled by exp((m_part - m_row) / tau), then C(i) and the covariance around it
    /// (9 floats). A is not stored.
    /// </summary>
    public static void MergeRows(Index1D thread, int chunk, int nt, int segments, float tau, ArrayView<float> partials, ArrayView<float> output)
    {
        for (int i = thread * chunk; i < nt && i < (thread + 1) * chunk; i++)
        {
            float max = float.NegativeInfinity;
            for (int s = 0; s < segments; s++) max = XMath.Max(max, partials[(s * nt + i) * AttentionMoments.PartialFloats]);
            var sums = new AttentionMoments();
            for (int s = 0; s < segments; s++)
            {
                int o = (s * nt + i) * AttentionMoments.PartialFloats;
                if (partials[o] > float.NegativeInfinity) sums.AddPartial(XMath.Exp((partials[o] - max) / tau), partials, o);
            }
            sums.StoreMatched(output, 9 * i);
        }
    }

    /// <summary>
    /// The weights A(i, j) themselves (eq. 1), row-major nt x nr, for a picture of the matrix: each
    /// row's maximum and softmax denominator from the parts of <see cref="RowPartials"/> (merged as
    /// in <see cref="MergeRows"/>), the entries below the row's top-k floor 0.
    /// </summary>
    public static void Weights(Index1D thread, int chunk, int nt, int ntp, int nr, int segments, float tau, ArrayView<float> similarities,
        ArrayView<int> floors, ArrayView<float> partials, ArrayView<float> weights)
    {
        for (int e = thread * chunk; e < nt * nr && e < (thread + 1) * chunk; e++)
        {
            int i = e / nr, j = e % nr;
            float max = float.NegativeInfinity;
            for (int s = 0; s < segments; s++) max = XMath.Max(max, partials[(s * nt + i) * AttentionMoments.PartialFloats]);
            float sum = 0;
            for (int s = 0; s < segments; s++)
            {
                int o = (s * nt + i) * AttentionMoments.PartialFloats;
                if (partials[o] > float.NegativeInfinity) sum += XMath.Exp((partials[o] - max) / tau) * partials[o + 1];
            }
            float v = similarities[j * ntp + i];
            weights[e] = OrderedKey(v) >= floors[i] ? XMath.Exp((v - max) / tau) / sum : 0f;
        }
    }

    /// <summary>An integer with the order of the floats: a &lt; b exactly when key(a) &lt; key(b).</summary>
    private static int OrderedKey(float v)
    {
        int bits = (int)Interop.FloatAsInt(v);
        return bits >= 0 ? bits : bits ^ int.MaxValue;
    }
}
