using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Backends.Cpu;

/// <summary>
/// Colour regrain (Pitié, Kokaram and Dahyot 2005; regrain.m), DESIGN section 3 item 6. Finds J
/// whose gradients follow the original I0 while its colours stay close to the transferred IR:
/// at each level of a multi-scale pyramid (halving while both halves exceed 20 pixels, at most six
/// levels), Jacobi sweeps [4, 16, 32, 64, 64, 64] (finest first) of
///   J = (psi IR + sum_k phi_k (J(nb_k) - I0(nb_k) + I0)) / (psi + sum_k phi_k) (1 - rho) + rho J
/// with |grad| from central differences of I0 (replicated borders), psi = min(256 |grad| / 5, 1),
/// phi = 30 / (1 + 10 |grad| / smoothness) 2^-level, phi_k the mean of the two pixels' phi,
/// rho = 1/5. J starts as I0 at the coarsest level; each finer level starts from the coarser
/// result resized up. Resizing is MATLAB's antialiased bilinear imresize.
/// </summary>
internal static unsafe class CpuRegrain
{
    /// <summary>Regrains <paramref name="transferred"/> (IR) to the gradients of <paramref name="original"/> (I0) into <paramref name="output"/>.</summary>
    public static void Run(float* original, float* transferred, int w, int h, float smoothness, float* output)
    {
        var j = Level(original, transferred, RegrainMath.Levels(w, h), smoothness, 0);
        j.AsSpan().CopyTo(new Span<float>(output, j.Length));
    }

    private static float[] Level(float* i0, float* ir, List<(int W, int H)> sizes, float smoothness, int level)
    {
        var (w, h) = sizes[level];
        float[] j;
        if (level + 1 < sizes.Count)
        {
            var (hw, hh) = sizes[level + 1];
            float[] coarse;
            fixed (float* i0s = ImResize.Resize(i0, 3, w, h, hw, hh), irs = ImResize.Resize(ir, 3, w, h, hw, hh))
                coarse = Level(i0s, irs, sizes, smoothness, level + 1);
            fixed (float* c = coarse) j = ImResize.Resize(c, 3, hw, hh, w, h);
        }
        else
        {
            j = new Span<float>(i0, 3 * w * h).ToArray();
        }
        return Solve(j, i0, ir, w, h, smoothness, level);
    }

    private static float[] Solve(float[] start, float* i0, float* ir, int w, int h, float smoothness, int level)
    {
        int n = w * h;
        var psiArray = new float[n];
        var phiArray = new float[n];
        float scale = MathF.Pow(2, -level);
        fixed (float* psi = psiArray, phi = phiArray)
        {
            float* ps = psi, ph = phi;
            Parallel.For(0, h, y =>
            {
                int up = Math.Max(y - 1, 0) * w, down = Math.Min(y + 1, h - 1) * w, row = y * w;
                for (int x = 0; x < w; x++)
                {
                    int left = Math.Max(x - 1, 0), right = Math.Min(x + 1, w - 1);
                    float g2 = 0;
                    for (int c = 0; c < 3; c++)
                    {
                        float* plane = i0 + c * n;
                        float gx = plane[row + right] - plane[row + left];
                        float gy = plane[down + x] - plane[up + x];
                        g2 += gx * gx + gy * gy;
                    }
                    float grad = MathF.Sqrt(g2);
                    ps[row + x] = RegrainMath.Psi(grad);
                    ph[row + x] = RegrainMath.Phi(grad, smoothness, scale);
                }
            });
            var j = start;
            var next = new float[3 * n];
            for (int sweep = 0; sweep < RegrainMath.Sweeps[level]; sweep++)
            {
                fixed (float* cur = j, nxt = next)
                {
                    float* jc = cur, jn = nxt;
                    Parallel.For(0, h, y => SweepRow(y, w, h, ps, ph, i0, ir, jc, jn));
                }
                (j, next) = (next, j);
            }
            return j;
        }
    }

    /// <summary>One Jacobi update of row y, all three channels.</summary>
    private static void SweepRow(int y, int w, int h, float* psi, float* phi, float* i0, float* ir, float* j, float* next)
    {
        int n = w * h, row = y * w;
        for (int x = 0; x < w; x++)
        {
            int p = row + x;
            RegrainMath.Neighbours(x, y, w, h, out int right, out int left, out int down, out int up);
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
