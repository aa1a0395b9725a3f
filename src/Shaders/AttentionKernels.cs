using ILGPU;
using ILGPU.Algorithms;

namespace GpuColorTransfer.Shaders;

/// <summary>
/// Super-features matching (paper eqs. 1-2; see the CPU stage CpuAttention) as kernels: centring
/// and L2 normalisation of the super-features, the N_T x N_R product M (tiled in registers), then per target superpixel i the softmax of its row of M / tau (optionally over its
/// top k only) and the attention-weighted reference moments (C(i) and the covariance around it,
/// 9 floats), without storing A. Chunk-loop style.
/// </summary>
public static class AttentionKernels
{
    /// <summary>Per channel k, the mean over the n rows of the n x c features.</summary>
    public static void ChannelMeans(Index1D thread, int chunk, int n, int c, ArrayView<float> features, ArrayView<float> means)
    {
        for (int k = thread * chunk; k < c && k < (thread + 1) * chunk; k++)
        {
            float sum = 0;
            for (int i = 0; i < n; i++) sum += features[i * c + k];
            means[k] = sum / n;
        }
    }

    /// <summary>
    /// Row i minus the channel means (<paramref name="vector"/> = 0) or minus its own mean (1), divided
    /// by its norm + 1e-5, written transposed: normalised[k stride + i] (stride &gt;= n; the columns
    /// from n on are left as they are, zero for <see cref="Similarities"/>).
    /// </summary>
    public static void Normalise(Index1D thread, int chunk, int n, int c, ArrayView<float> features, ArrayView<float> means, int vector,
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
                float v = features[i * c + k] - (vector != 0 ? own : means[k]);
                normalised[k * stride + i] = v;
                norm += v * v;
            }
            float scale = 1f / (MathF.Sqrt(norm) + 1e-5f);
            for (int k = 0; k < c; k++) normalised[k * stride + i] *= scale;
        }
    }

    /// <summary>Target rows per thread of <see cref="Similarities"/>: the target's padded row count must be a multiple.</summary>
    public const int TargetBlock = 8;

    /// <summary>Reference rows per thread of <see cref="Similarities"/>: the reference's padded row count must be a multiple.</summary>
    public const int ReferenceBlock = 4;

    /// <summary>
    /// M(i, j) = sum_k target(i, k) reference(j, k) (eq. 2 on normalised rows) from the transposed
    /// features (c x ntp and c x nrp, zero-padded to the blocks), stored transposed as
    /// similarities[j ntp + i] so that a thread per target row of <see cref="Rows"/> reads it
    /// coalesced. Tiled in registers: a thread computes an 8 x 4 block of M, so each value loaded
    /// feeds 4 or 8 multiply-adds, and neighbouring threads load neighbouring target columns.
    /// </summary>
    public static void Similarities(Index1D thread, int chunk, int ntp, int nrp, int c, ArrayView<float> target, ArrayView<float> reference,
        ArrayView<float> similarities)
    {
        int blocksI = ntp / TargetBlock, total = blocksI * (nrp / ReferenceBlock);
        for (int e = thread * chunk; e < total && e < (thread + 1) * chunk; e++)
        {
            int i0 = e % blocksI * TargetBlock, j0 = e / blocksI * ReferenceBlock;
            Float8 m0 = default, m1 = default, m2 = default, m3 = default;
            for (int k = 0; k < c; k++)
            {
                var t = Float8.Load(target, k * ntp + i0);
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
    /// For target row i: A(i, j) = softmax_j((M(i, j) - max_j M(i, j)) / tau) (eq. 1), restricted with
    /// <paramref name="topK"/> &gt; 0 to the j whose M(i, j) is at least the k-th largest of the row,
    /// and out(i) = sum_j A(i, j) moments(j) for the 9 reference moments (r, g, b, then the second
    /// moments rr, rg, rb, gg, gb, bb), the second ones turned into the covariance around C(i).
    /// M comes transposed from <see cref="Similarities"/> (row stride ntp); A is not stored.
    /// </summary>
    public static void Rows(Index1D thread, int chunk, int nt, int ntp, int nr, ArrayView<float> similarities, float tau, int topK,
        ArrayView<float> moments, ArrayView<float> output)
    {
        for (int i = thread * chunk; i < nt && i < (thread + 1) * chunk; i++)
        {
            float max = float.NegativeInfinity;
            for (int j = 0; j < nr; j++) max = XMath.Max(max, similarities[j * ntp + i]);
            int floor = topK > 0 && topK < nr ? KthLargestKey(similarities, ntp, nr, i, topK) : int.MinValue;
            float sum = 0;
            float m0 = 0, m1 = 0, m2 = 0, m3 = 0, m4 = 0, m5 = 0, m6 = 0, m7 = 0, m8 = 0;
            for (int j = 0; j < nr; j++)
            {
                float v = similarities[j * ntp + i];
                if (OrderedKey(v) < floor) continue;
                float a = XMath.Exp((v - max) / tau);
                sum += a;
                m0 += a * moments[j]; m1 += a * moments[nr + j]; m2 += a * moments[2 * nr + j];
                m3 += a * moments[3 * nr + j]; m4 += a * moments[4 * nr + j]; m5 += a * moments[5 * nr + j];
                m6 += a * moments[6 * nr + j]; m7 += a * moments[7 * nr + j]; m8 += a * moments[8 * nr + j];
            }
            int o = 9 * i;
            float r = m0 / sum, g = m1 / sum, b = m2 / sum;
            output[o] = r; output[o + 1] = g; output[o + 2] = b;
            output[o + 3] = m3 / sum - r * r; output[o + 4] = m4 / sum - r * g; output[o + 5] = m5 / sum - r * b;
            output[o + 6] = m6 / sum - g * g; output[o + 7] = m7 / sum - g * b; output[o + 8] = m8 / sum - b * b;
        }
    }

    /// <summary>
    /// The <see cref="OrderedKey"/> of the k-th largest M(i, j) of row i, by bisection on the keys:
    /// the largest key T with at least k entries &gt;= T (32 counting passes, exact, any k).
    /// </summary>
    private static int KthLargestKey(ArrayView<float> similarities, int ntp, int nr, int i, int k)
    {
        long lo = int.MinValue, hi = int.MaxValue;
        while (lo < hi)
        {
            long mid = lo + (hi - lo + 1) / 2;
            int count = 0;
            for (int j = 0; j < nr; j++)
                if (OrderedKey(similarities[j * ntp + i]) >= mid) count++;
            if (count >= k) lo = mid;
            else hi = mid - 1;
        }
        return (int)lo;
    }

    /// <summary>An integer with the order of the floats: a &lt; b exactly when key(a) &lt; key(b).</summary>
    private static int OrderedKey(float v)
    {
        int bits = (int)Interop.FloatAsInt(v);
        return bits >= 0 ? bits : bits ^ int.MaxValue;
    }
}
