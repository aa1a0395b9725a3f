using ILGPU;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// SLIC superpixels (see the CPU stage CpuSlic) as kernels: CIELAB conversion, seeding on the grid
/// (lowest gradient of the 3x3 window), assignment to the nearest centre of the 3x3 neighbouring
/// grid cells, accumulation of the clusters' sums with double-precision atomics, and the centre
/// update. Chunk-loop style.
/// </summary>
public static class SlicKernels
{
    /// <summary>Planar sRGB to planar CIELAB.</summary>
    public static void ToLab(Index1D thread, int chunk, int n, ArrayView<float> planes, ArrayView<float> lab)
    {
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            ColorMath.RgbToLab(planes[p], planes[n + p], planes[2 * n + p], out float l, out float a, out float b);
            lab[p] = l;
            lab[n + p] = a;
            lab[2 * n + p] = b;
        }
    }

    private static float Gradient(ArrayView<float> lab, int w, int h, int x, int y)
    {
        int n = w * h;
        int r = y * w + (x + 1 < w ? x + 1 : w - 1), l = y * w + (x > 0 ? x - 1 : 0);
        int d = (y + 1 < h ? y + 1 : h - 1) * w + x, u = (y > 0 ? y - 1 : 0) * w + x;
        return SlicMath.Gradient(lab[r], lab[l], lab[d], lab[u], lab[n + r], lab[n + l], lab[n + d], lab[n + u],
            lab[2 * n + r], lab[2 * n + l], lab[2 * n + d], lab[2 * n + u]);
    }

    /// <summary>Centre (L, a, b, x, y) of each grid cell: its middle pixel moved to the lowest gradient of its 3x3 window.</summary>
    public static void Seed(Index1D thread, int chunk, int nx, int ny, int w, int h, float cw, float ch, ArrayView<float> lab, ArrayView<float> centres)
    {
        int n = w * h;
        for (int cell = thread * chunk; cell < nx * ny && cell < (thread + 1) * chunk; cell++)
        {
            int gx = cell % nx, gy = cell / nx;
            SlicMath.SeedStart(gx, gy, cw, ch, w, h, out int sx, out int sy);
            int bx = sx, by = sy;
            float best = float.MaxValue;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                {
                    int x = sx + dx, y = sy + dy;
                    if (x < 0 || y < 0 || x >= w || y >= h) continue;
                    float g = Gradient(lab, w, h, x, y);
                    if (g < best) { best = g; bx = x; by = y; }
                }
            int p = by * w + bx;
            centres[5 * cell] = lab[p];
            centres[5 * cell + 1] = lab[n + p];
            centres[5 * cell + 2] = lab[2 * n + p];
            centres[5 * cell + 3] = bx;
            centres[5 * cell + 4] = by;
        }
    }

    /// <summary>Label of each pixel: the first nearest (<see cref="SlicMath.Distance"/>) of the centres of the 3x3 grid cells around its own.</summary>
    public static void Assign(Index1D thread, int chunk, int w, int h, int nx, int ny, float cw, float ch, float spatial,
        ArrayView<float> lab, ArrayView<float> centres, ArrayView<int> labels)
    {
        int n = w * h;
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            int x = p % w, y = p / w;
            int gx = SlicMath.Cell(x, cw, nx), gy = SlicMath.Cell(y, ch, ny);
            int best = gy * nx + gx;
            float bestD = float.MaxValue;
            for (int cy = gy > 0 ? gy - 1 : 0; cy <= gy + 1 && cy < ny; cy++)
                for (int cx = gx > 0 ? gx - 1 : 0; cx <= gx + 1 && cx < nx; cx++)
                {
                    int c = cy * nx + cx, c0 = 5 * c;
                    float d = SlicMath.Distance(lab[p], lab[n + p], lab[2 * n + p], x, y,
                        centres[c0], centres[c0 + 1], centres[c0 + 2], centres[c0 + 3], centres[c0 + 4], spatial);
                    if (d < bestD) { bestD = d; best = c; }
                }
            labels[p] = best;
        }
    }

    /// <summary>Adds each pixel (L, a, b, x, y, 1) to its cluster's six sums (which must start at zero), a <see cref="PixelRun"/> per thread.</summary>
    public static void Accumulate(Index1D thread, int chunk, int w, int h, ArrayView<float> lab, ArrayView<int> labels, ArrayView<double> sums)
    {
        int n = w * h;
        var image = new Rect(0, 0, w, h);
        for (long e = (long)thread.X * chunk; e < PixelRun.Count(image) && e < (thread.X + 1L) * chunk; e++)
        {
            var run = new PixelRun((int)e, image);
            int label = labels[run.Y0 * w + run.X];
            double l = 0, a = 0, b = 0, y = 0, pixels = 0;
            for (int row = run.Y0; row <= run.Y1; row++)
            {
                int p = row * w + run.X;
                if (row == run.Y1 || labels[p] != label)
                {
                    int o = 6 * label;
                    Atomic.Add(ref sums[o], l);
                    Atomic.Add(ref sums[o + 1], a);
                    Atomic.Add(ref sums[o + 2], b);
                    Atomic.Add(ref sums[o + 3], pixels * run.X);
                    Atomic.Add(ref sums[o + 4], y);
                    Atomic.Add(ref sums[o + 5], pixels);
                    if (row == run.Y1) break;
                    label = labels[p];
                    l = a = b = y = pixels = 0;
                }
                l += lab[p];
                a += lab[n + p];
                b += lab[2 * n + p];
                y += row;
                pixels++;
            }
        }
    }

    /// <summary>Each cluster's centre becomes the mean of its pixels; an empty cluster keeps its centre.</summary>
    public static void Update(Index1D thread, int chunk, int cells, ArrayView<double> sums, ArrayView<float> centres)
    {
        for (int c = thread * chunk; c < cells && c < (thread + 1) * chunk; c++)
        {
            double count = sums[6 * c + 5];
            if (count == 0) continue;
            for (int k = 0; k < 5; k++) centres[5 * c + k] = (float)(sums[6 * c + k] / count);
        }
    }
}
