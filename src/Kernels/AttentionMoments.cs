using ILGPU;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// A sum of attention weights and the weighted sums of the 9 reference colour moments (r, g, b,
/// rr, rg, rb, gg, gb, bb), held in registers by a kernel thread (<see cref="AttentionKernels"/>):
/// C(i) = sum_j A(i, j) Ibar_R(j) and the covariance of the reference colours around it.
/// </summary>
public struct AttentionMoments
{
    /// <summary>Floats stored per partial sum: the segment's maximum, the weight sum, the 9 moments.</summary>
    public const int PartialFloats = 11;

    private float _sum, _m0, _m1, _m2, _m3, _m4, _m5, _m6, _m7, _m8;

    /// <summary>Adds weight a times the moments of reference superpixel j (9 planes of nr values).</summary>
    public void Add(float a, ArrayView<float> moments, int nr, int j)
    {
        _sum += a;
        _m0 += a * moments[j]; _m1 += a * moments[nr + j]; _m2 += a * moments[2 * nr + j];
        _m3 += a * moments[3 * nr + j]; _m4 += a * moments[4 * nr + j]; _m5 += a * moments[5 * nr + j];
        _m6 += a * moments[6 * nr + j]; _m7 += a * moments[7 * nr + j]; _m8 += a * moments[8 * nr + j];
    }

    /// <summary>Adds f times a partial stored by <see cref="StorePartial"/> at <paramref name="o"/>.</summary>
    public void AddPartial(float f, ArrayView<float> partials, int o)
    {
        _sum += f * partials[o + 1];
        _m0 += f * partials[o + 2]; _m1 += f * partials[o + 3]; _m2 += f * partials[o + 4];
        _m3 += f * partials[o + 5]; _m4 += f * partials[o + 6]; _m5 += f * partials[o + 7];
        _m6 += f * partials[o + 8]; _m7 += f * partials[o + 9]; _m8 += f * partials[o + 10];
    }

    /// <summary>Stores the sums, after the maximum they are relative to, as <see cref="PartialFloats"/> floats at <paramref name="o"/>.</summary>
    public readonly void StorePartial(float max, ArrayView<float> partials, int o)
    {
        partials[o] = max; partials[o + 1] = _sum;
        partials[o + 2] = _m0; partials[o + 3] = _m1; partials[o + 4] = _m2; partials[o + 5] = _m3; partials[o + 6] = _m4;
        partials[o + 7] = _m5; partials[o + 8] = _m6; partials[o + 9] = _m7; partials[o + 10] = _m8;
    }

    /// <summary>
    /// The normalised result as 9 floats at <paramref name="o"/>: C = (r, g, b) / sum, then the
    /// second moments / sum minus the products of C (the covariance around C).
    /// </summary>
    public readonly void StoreMatched(ArrayView<float> output, int o)
    {
        float r = _m0 / _sum, g = _m1 / _sum, b = _m2 / _sum;
        output[o] = r; output[o + 1] = g; output[o + 2] = b;
        output[o + 3] = _m3 / _sum - r * r; output[o + 4] = _m4 / _sum - r * g; output[o + 5] = _m5 / _sum - r * b;
        output[o + 6] = _m6 / _sum - g * g; output[o + 7] = _m7 / _sum - g * b; output[o + 8] = _m8 / _sum - b * b;
    }
}
