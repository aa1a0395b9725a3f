namespace GpuColorTransfer.Engine.Cpu;

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
internal static class CpuRegrain
{
    private static readonly int[] Sweeps = [4, 16, 32, 64, 64, 64];
    private const float Rho = 0.2f;

    public static float[] Run(ReadOnlySpan<float> original, ReadOnlySpan<float> transferred, int w, int h, float smoothness) =>
        Level(original.ToArray(), transferred.ToArray(), w, h, smoothness, 0);

    private static float[] Level(float[] i0, float[] ir, int w, int h, float smoothness, int level)
    {
        int hw = (w + 1) / 2, hh = (h + 1) / 2;
        float[] j;
        if (level + 1 < Sweeps.Length && hh > 20 && hw > 20)
        {
            var coarse = Level(ImResize.Resize(i0, 3, w, h, hw, hh), ImResize.Resize(ir, 3, w, h, hw, hh), hw, hh, smoothness, level + 1);
            j = ImResize.Resize(coarse, 3, hw, hh, w, h);
        }
        else
        {
            j = (float[])i0.Clone();
        }
        return Solve(j, i0, ir, w, h, smoothness, level);
    }

    private static float[] Solve(float[] j, float[] i0, float[] ir, int w, int h, float smoothness, int level)
    {
        int n = w * h;
        var psi = new float[n];
        var phi = new float[n];
        float scale = MathF.Pow(2, -level);
        Parallel.For(0, h, y =>
        {
            int yu = Math.Max(y - 1, 0), yd = Math.Min(y + 1, h - 1);
            for (int x = 0; x < w; x++)
            {
                int xl = Math.Max(x - 1, 0), xr = Math.Min(x + 1, w - 1);
                float g2 = 0;
                for (int c = 0; c < 3; c++)
                {
                    int o = c * n;
                    float gx = i0[o + y * w + xr] - i0[o + y * w + xl];
                    float gy = i0[o + yd * w + x] - i0[o + yu * w + x];
                    g2 += gx * gx + gy * gy;
                }
                float grad = MathF.Sqrt(g2);
                psi[y * w + x] = MathF.Min(256f * grad / 5f, 1f);
                phi[y * w + x] = 30f / (1f + 10f * grad / smoothness) * scale;
            }
        });
        var next = new float[3 * n];
        for (int sweep = 0; sweep < Sweeps[level]; sweep++)
        {
            var current = j;
            Parallel.For(0, h, y =>
            {
                int yu = Math.Max(y - 1, 0), yd = Math.Min(y + 1, h - 1);
                for (int x = 0; x < w; x++)
                {
                    int p = y * w + x;
                    int r = y * w + Math.Min(x + 1, w - 1), l = y * w + Math.Max(x - 1, 0), d = yd * w + x, u = yu * w + x;
                    float f = phi[p];
                    float pr = (phi[r] + f) / 2, pl = (phi[l] + f) / 2, pd = (phi[d] + f) / 2, pu = (phi[u] + f) / 2;
                    float den = psi[p] + pr + pl + pd + pu;
                    for (int c = 0; c < 3; c++)
                    {
                        int o = c * n;
                        float i = i0[o + p];
                        float num = psi[p] * ir[o + p]
                            + pr * (current[o + r] - i0[o + r] + i) + pl * (current[o + l] - i0[o + l] + i)
                            + pd * (current[o + d] - i0[o + d] + i) + pu * (current[o + u] - i0[o + u] + i);
                        next[o + p] = num / den * (1 - Rho) + Rho * current[o + p];
                    }
                }
            });
            (j, next) = (next, j);
        }
        return j;
    }
}
