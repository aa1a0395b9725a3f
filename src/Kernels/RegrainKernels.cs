using ILGPU;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// The kernels of Pitié's colour regrain (see the CPU stage CpuRegrain for the method): separable
/// resampling with precomputed contributions (MATLAB imresize), the per-pixel weights psi and
/// phi, and one Jacobi sweep. Chunk-loop style: thread t handles elements
/// [t * chunk, (t + 1) * chunk) so that ILGPU's CPU accelerator runs them with few threads.
/// </summary>
public static class RegrainKernels
{
    /// <summary>Resamples columns: dst[c][y][x] = sum_k wts[y][k] src[c][idx[y][k]][x], for planes of w x h into w x oh.</summary>
    public static void ResizeVertical(Index1D thread, int chunk, int total, ArrayView<float> src, ArrayView<float> dst,
        ArrayView<int> idx, ArrayView<float> wts, int taps, int w, int h, int oh)
    {
        for (int e = thread * chunk; e < total && e < (thread + 1) * chunk; e++)
        {
            int c = e / (oh * w), rem = e % (oh * w), y = rem / w, x = rem % w;
            float s = 0;
            for (int k = 0; k < taps; k++)
            {
                float wt = wts[y * taps + k];
                if (wt != 0) s += wt * src[c * w * h + idx[y * taps + k] * w + x];
            }
            dst[e] = s;
        }
    }

    /// <summary>Resamples rows: dst[c][y][x] = sum_k wts[x][k] src[c][y][idx[x][k]], for planes of w x oh into ow x oh.</summary>
    public static void ResizeHorizontal(Index1D thread, int chunk, int total, ArrayView<float> src, ArrayView<float> dst,
        ArrayView<int> idx, ArrayView<float> wts, int taps, int w, int ow, int oh)
    {
        for (int e = thread * chunk; e < total && e < (thread + 1) * chunk; e++)
        {
            int c = e / (oh * ow), rem = e % (oh * ow), y = rem / ow, x = rem % ow;
            float s = 0;
            for (int k = 0; k < taps; k++)
            {
                float wt = wts[x * taps + k];
                if (wt != 0) s += wt * src[c * w * oh + y * w + idx[x * taps + k]];
            }
            dst[e] = s;
        }
    }

    /// <summary>psi = min(256 |grad I0| / 5, 1) and phi = 30 / (1 + 10 |grad I0| / smoothness) * scale, central differences, replicated borders.</summary>
    public static void Weights(Index1D thread, int chunk, int n, ArrayView<float> i0, ArrayView<float> psi, ArrayView<float> phi,
        int w, int h, float smoothness, float scale)
    {
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            int y = p / w, x = p % w;
            int up = (y > 0 ? y - 1 : 0) * w, down = (y < h - 1 ? y + 1 : h - 1) * w, row = y * w;
            int left = x > 0 ? x - 1 : 0, right = x < w - 1 ? x + 1 : w - 1;
            float g2 = 0;
            for (int c = 0; c < 3; c++)
            {
                int o = c * n;
                float gx = i0[o + row + right] - i0[o + row + left];
                float gy = i0[o + down + x] - i0[o + up + x];
                g2 += gx * gx + gy * gy;
            }
            float grad = MathF.Sqrt(g2);
            psi[p] = RegrainMath.Psi(grad);
            phi[p] = RegrainMath.Phi(grad, smoothness, scale);
        }
    }

    /// <summary>One Jacobi update (<see cref="RegrainMath.Update"/>), all three channels.</summary>
    public static void Sweep(Index1D thread, int chunk, int n, ArrayView<float> i0, ArrayView<float> ir, ArrayView<float> psi,
        ArrayView<float> phi, ArrayView<float> j, ArrayView<float> next, int w, int h)
    {
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            RegrainMath.Neighbours(p % w, p / w, w, h, out int right, out int left, out int down, out int up);
            float s = psi[p];
            float inv = RegrainMath.NeighbourWeights(s, phi[p], phi[p + right], phi[p + left], phi[p + down], phi[p + up],
                out float pr, out float pl, out float pd, out float pu);
            for (int c = 0; c < 3; c++)
            {
                int q = p + c * n;
                next[q] = RegrainMath.Update(s, inv, ir[q], i0[q], j[q], pr, j[q + right], i0[q + right], pl, j[q + left], i0[q + left],
                    pd, j[q + down], i0[q + down], pu, j[q + up], i0[q + up]);
            }
        }
    }
}
