using ILGPU;

namespace GpuColorTransfer.Shaders;

/// <summary>
/// The colour fusion (paper eqs. 3-6, factorised; see the CPU stage CpuFusion) as a kernel: per
/// pixel, over the target superpixels whose centroid lies within the radius of the pixel's own
/// centroid, D(p,i) with <see cref="FusionMetric.Distance"/>, then the blend of the superpixels'
/// affine colour maps (T_i row-major, then o_i: 12 floats each) with weights
/// exp(-(D - D_min) / sigma). Chunk-loop style.
/// </summary>
public static class FusionKernels
{
    /// <summary>Flag: use the pixel's own superpixel's Sigma for every i.</summary>
    public const int OwnCovariance = 1;
    /// <summary>Flag: apply the blended T to the pixel (statistics mode); otherwise T is 0, or I with <see cref="Shift"/>.</summary>
    public const int Affine = 2;
    /// <summary>Flag: every T_i is the identity (shift mode).</summary>
    public const int Shift = 4;

    /// <param name="thread">Thread index.</param>
    /// <param name="chunk">Pixels per thread.</param>
    /// <param name="w">Width.</param>
    /// <param name="h">Height.</param>
    /// <param name="planes">Target, planar RGB.</param>
    /// <param name="labels">Superpixel of each pixel.</param>
    /// <param name="stats">Statistics of each superpixel.</param>
    /// <param name="metrics">Sigma_i^-1 of each superpixel.</param>
    /// <param name="maps">Affine colour map of each superpixel (12 floats).</param>
    /// <param name="count">Number of superpixels.</param>
    /// <param name="radius2">Squared radius (infinite: all superpixels).</param>
    /// <param name="sigma">Fixed sigma, or 0 for sigma = min_i D + 1e-5.</param>
    /// <param name="flags"><see cref="OwnCovariance"/>, <see cref="Affine"/>, <see cref="Shift"/>.</param>
    /// <param name="output">Fused image, planar RGB.</param>
    public static void Fuse(Index1D thread, int chunk, int w, int h, ArrayView<float> planes, ArrayView<int> labels,
        ArrayView<SuperpixelStatistics> stats, ArrayView<FusionMetric> metrics, ArrayView<float> maps, int count,
        float radius2, float sigma, int flags, ArrayView<float> output)
    {
        int n = w * h;
        bool ownCovariance = (flags & OwnCovariance) != 0, affine = (flags & Affine) != 0, shift = (flags & Shift) != 0;
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            float x = (float)(p % w) / w, y = (float)(p / w) / h;
            float r = planes[p], g = planes[n + p], b = planes[2 * n + p];
            int own = labels[p];
            float ox = stats[own].X, oy = stats[own].Y;
            float dmin = float.PositiveInfinity;
            for (int i = 0; i < count; i++)
            {
                if (!Candidate(stats[i], ox, oy, radius2)) continue;
                float d = metrics[ownCovariance ? own : i].Distance(x - stats[i].X, y - stats[i].Y, r - stats[i].R, g - stats[i].G, b - stats[i].B);
                dmin = MathF.Min(dmin, d);
            }
            float s = sigma > 0 ? sigma : dmin + 1e-5f;
            float sum = 0, o0 = 0, o1 = 0, o2 = 0;
            float t00 = 0, t01 = 0, t02 = 0, t10 = 0, t11 = 0, t12 = 0, t20 = 0, t21 = 0, t22 = 0;
            for (int i = 0; i < count; i++)
            {
                if (!Candidate(stats[i], ox, oy, radius2)) continue;
                float d = metrics[ownCovariance ? own : i].Distance(x - stats[i].X, y - stats[i].Y, r - stats[i].R, g - stats[i].G, b - stats[i].B);
                float wgt = MathF.Exp(-(d - dmin) / s);
                int m = 12 * i;
                sum += wgt;
                o0 += wgt * maps[m + 9]; o1 += wgt * maps[m + 10]; o2 += wgt * maps[m + 11];
                if (affine)
                {
                    t00 += wgt * maps[m]; t01 += wgt * maps[m + 1]; t02 += wgt * maps[m + 2];
                    t10 += wgt * maps[m + 3]; t11 += wgt * maps[m + 4]; t12 += wgt * maps[m + 5];
                    t20 += wgt * maps[m + 6]; t21 += wgt * maps[m + 7]; t22 += wgt * maps[m + 8];
                }
            }
            float outR = o0 / sum, outG = o1 / sum, outB = o2 / sum;
            if (affine)
            {
                outR += (t00 * r + t01 * g + t02 * b) / sum;
                outG += (t10 * r + t11 * g + t12 * b) / sum;
                outB += (t20 * r + t21 * g + t22 * b) / sum;
            }
            else if (shift)
            {
                outR += r;
                outG += g;
                outB += b;
            }
            output[p] = outR;
            output[n + p] = outG;
            output[2 * n + p] = outB;
        }
    }

    private static bool Candidate(in SuperpixelStatistics s, float ox, float oy, float radius2)
    {
        float dx = s.X - ox, dy = s.Y - oy;
        return s.Count > 0 && dx * dx + dy * dy <= radius2;
    }
}
