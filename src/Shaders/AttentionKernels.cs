using ILGPU;

namespace GpuColorTransfer.Shaders;

/// <summary>
/// Super-features matching (paper eqs. 1-2; see the CPU stage CpuAttention) as kernels: centring
/// and L2 normalisation of the super-features, then per target superpixel i the row of
/// M / tau, its softmax, and the attention-weighted reference moments (C(i) and the covariance
/// around it, 9 floats), without storing A. Chunk-loop style.
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
    /// Row i minus the channel means (<paramref name="vector"/> = 0) or minus its own mean (1), divided by its norm + 1e-5.
    /// </summary>
    public static void Normalise(Index1D thread, int chunk, int n, int c, ArrayView<float> features, ArrayView<float> means, int vector,
        ArrayView<float> normalised)
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
                normalised[i * c + k] = v;
                norm += v * v;
            }
            float scale = 1f / (MathF.Sqrt(norm) + 1e-5f);
            for (int k = 0; k < c; k++) normalised[i * c + k] *= scale;
        }
    }

    /// <summary>
    /// For target row i: A(i, j) = softmax_j((M(i,j) - max_j M(i,j)) / tau) with M the dot products of
    /// the normalised rows, and out(i) = sum_j A(i,j) moments(j) for the 9 reference moments
    /// (r, g, b, then the second moments rr, rg, rb, gg, gb, bb), the second ones turned into the
    /// covariance around C(i).
    /// </summary>
    public static void Rows(Index1D thread, int chunk, int nt, int nr, int c, ArrayView<float> target, ArrayView<float> reference,
        float tau, ArrayView<float> moments, ArrayView<float> output)
    {
        for (int i = thread * chunk; i < nt && i < (thread + 1) * chunk; i++)
        {
            float max = float.NegativeInfinity;
            for (int j = 0; j < nr; j++) max = MathF.Max(max, Dot(target, reference, c, i, j));
            float sum = 0;
            float m0 = 0, m1 = 0, m2 = 0, m3 = 0, m4 = 0, m5 = 0, m6 = 0, m7 = 0, m8 = 0;
            for (int j = 0; j < nr; j++)
            {
                float a = MathF.Exp((Dot(target, reference, c, i, j) - max) / tau);
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

    private static float Dot(ArrayView<float> target, ArrayView<float> reference, int c, int i, int j)
    {
        float d = 0;
        for (int k = 0; k < c; k++) d += target[i * c + k] * reference[j * c + k];
        return d;
    }
}
