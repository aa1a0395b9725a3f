using System.Numerics.Tensors;

namespace GpuColorTransfer.Engine.Backends.Cpu;

/// <summary>
/// Super-features matching (paper section 3.2). Eq. 2: M(i,j) is the cosine similarity of the
/// centred super-features F_T(i) - mu_T and F_R(j) - mu_R (norms plus 1e-5); eq. 1:
/// A = row-softmax(M / tau); the matched colour of target superpixel i is
/// C(i) = sum_j A(i,j) Ibar_R(j). A is computed row by row and never stored whole unless asked.
/// </summary>
internal static class CpuAttention
{
    /// <summary>Centres (per <paramref name="centring"/>) and L2-normalises the rows of an n x c matrix, in a copy.</summary>
    public static float[] Normalise(ReadOnlySpan<float> features, int n, int c, Centring centring)
    {
        var f = features.ToArray();
        if (centring == Centring.Channel)
        {
            var mean = new float[c];
            for (int i = 0; i < n; i++) TensorPrimitives.Add(mean, f.AsSpan(i * c, c), mean);
            TensorPrimitives.Multiply(mean, 1f / n, mean);
            for (int i = 0; i < n; i++) TensorPrimitives.Subtract(f.AsSpan(i * c, c), mean, f.AsSpan(i * c, c));
        }
        for (int i = 0; i < n; i++)
        {
            var row = f.AsSpan(i * c, c);
            if (centring == Centring.Vector) TensorPrimitives.Subtract(row, TensorPrimitives.Sum(row) / c, row);
            TensorPrimitives.Multiply(row, 1f / (TensorPrimitives.Norm(row) + 1e-5f), row);
        }
        return f;
    }

    /// <summary>
    /// Per reference superpixel j, the mean colour and the second moments Cov + mean mean^T, as
    /// nine planes of N_R floats: r, g, b, rr, rg, rb, gg, gb, bb.
    /// </summary>
    internal static float[] ColourMoments(ReadOnlySpan<Kernels.SuperpixelStatistics> stats)
    {
        int nr = stats.Length;
        var m = new float[9 * nr];
        for (int j = 0; j < nr; j++)
            stats[j].ColourMoments(out m[j], out m[nr + j], out m[2 * nr + j], out m[3 * nr + j], out m[4 * nr + j], out m[5 * nr + j],
                out m[6 * nr + j], out m[7 * nr + j], out m[8 * nr + j]);
        return m;
    }

    /// <summary>The transpose of an n x c matrix (c x n), so that a row of M is c streaming multiply-adds.</summary>
    public static float[] Transpose(float[] f, int n, int c)
    {
        var t = new float[f.Length];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < c; k++) t[k * n + i] = f[i * c + k];
        return t;
    }

    /// <summary>
    /// Row i of A (eq. 1) from normalised super-features, into <paramref name="row"/> (length N_R);
    /// <paramref name="referenceT"/> is the transposed (C x N_R) normalised reference.
    /// </summary>
    public static void Row(float[] target, float[] referenceT, int c, int i, float tau, int topK, Span<float> row, Span<float> scratch)
    {
        int nr = row.Length;
        row.Clear();
        for (int k = 0; k < c; k++)
            TensorPrimitives.MultiplyAdd(referenceT.AsSpan(k * nr, nr), target[i * c + k], row, row);
        if (topK > 0 && topK < nr)
        {
            // Top-k: entries below the k-th largest get no weight (exp(-inf) = 0).
            row.CopyTo(scratch);
            float kth = Select(scratch[..nr], nr - topK);
            for (int j = 0; j < nr; j++)
                if (row[j] < kth) row[j] = float.NegativeInfinity;
        }
        // softmax(M / tau) = softmax((M - max M) / tau): the shift keeps exp finite for any tau.
        TensorPrimitives.Subtract(row, TensorPrimitives.Max(row), row);
        TensorPrimitives.Multiply(row, 1f / tau, row);
        TensorPrimitives.SoftMax(row, row);
    }

    /// <summary>
    /// C(i) and the attention-weighted reference colour covariance around it for every target
    /// superpixel (N_T x <see cref="Backends.MatchedColors.Stride"/>, row-major); <paramref name="attention"/>,
    /// when given, receives A (N_T x N_R).
    /// </summary>
    public static float[] MatchedColors(ReadOnlySpan<float> targetFeatures, int nt, ReadOnlySpan<float> referenceFeatures, int nr, int c,
        ReadOnlySpan<Kernels.SuperpixelStatistics> referenceStats, Centring centring, float tau, int topK, float[]? attention)
    {
        var t = Normalise(targetFeatures, nt, c, centring);
        var r = Transpose(Normalise(referenceFeatures, nr, c, centring), nr, c);
        var moments = ColourMoments(referenceStats);
        const int stride = Backends.MatchedColors.Stride;
        var colors = new float[stride * nt];
        Parallel.For(0, nt, () => new float[2 * nr], (i, _, buffer) =>
        {
            var row = buffer.AsSpan(0, nr);
            Row(t, r, c, i, tau, topK, row, buffer.AsSpan(nr));
            var o = colors.AsSpan(stride * i, stride);
            for (int k = 0; k < 9; k++) o[k] = TensorPrimitives.Dot(row, moments.AsSpan(k * nr, nr));
            // Second moments minus C C^T: the covariance around the matched colour.
            o[3] -= o[0] * o[0]; o[4] -= o[0] * o[1]; o[5] -= o[0] * o[2];
            o[6] -= o[1] * o[1]; o[7] -= o[1] * o[2]; o[8] -= o[2] * o[2];
            if (attention is not null) row.CopyTo(attention.AsSpan(i * nr, nr));
            return buffer;
        }, _ => { });
        return colors;
    }

    /// <summary>The value of rank <paramref name="k"/> (0 = smallest) of <paramref name="v"/>, by quickselect; reorders v.</summary>
    private static float Select(Span<float> v, int k)
    {
        int lo = 0, hi = v.Length - 1;
        while (lo < hi)
        {
            float pivot = v[(lo + hi) >>> 1];
            int a = lo, b = hi;
            while (a <= b)
            {
                while (v[a] < pivot) a++;
                while (v[b] > pivot) b--;
                if (a <= b) { (v[a], v[b]) = (v[b], v[a]); a++; b--; }
            }
            if (k <= b) hi = b;
            else if (k >= a) lo = a;
            else return v[k];
        }
        return v[k];
    }
}
