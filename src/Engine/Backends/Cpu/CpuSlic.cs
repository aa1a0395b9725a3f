using System.Runtime.Intrinsics;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Backends.Cpu;

/// <summary>
/// SLIC superpixels (Achanta et al. 2012), DESIGN section 3 item 1: CIELAB, compactness m,
/// seeds on a regular grid moved to the lowest gradient of their 3x3 window, each pixel compared
/// with the centres of the 3x3 grid cells around its own (as gSLICr does), then connectivity
/// enforcement and labels renumbered 0..N-1.
/// </summary>
internal static unsafe class CpuSlic
{
    /// <summary>Segments the planar RGB image into about <paramref name="k"/> superpixels; writes the labels to <paramref name="output"/>.</summary>
    public static void Run(float* planes, int w, int h, int k, float compactness, int iterations, int* output, out int count)
    {
        int n = w * h;
        var lab = new float[3 * n];
        ToLab(planes, lab, n);

        // Grid of nx * ny cells of step S = sqrt(n / K).
        double step = Math.Sqrt((double)n / k);
        int nx = Math.Clamp((int)Math.Round(w / step), 1, w), ny = Math.Clamp((int)Math.Round(h / step), 1, h);
        float cw = (float)w / nx, ch = (float)h / ny;
        int cells = nx * ny;
        var centres = new float[5 * cells]; // L, a, b, x, y
        Seed(lab, w, h, nx, ny, cw, ch, centres);

        var labels = new int[n];
        // D = d_lab^2 + (d_xy / S)^2 m^2 (Achanta et al., eq. 3, squared).
        float spatial = (float)(compactness * compactness / (step * step));
        int blocks = Math.Min(h, 4 * Environment.ProcessorCount);
        var partial = new double[blocks][];
        for (int it = 0; it < iterations; it++)
        {
            Parallel.For(0, blocks, blk =>
            {
                var sums = partial[blk] ??= new double[6 * cells];
                Array.Clear(sums);
                for (int y = blk * h / blocks; y < (blk + 1) * h / blocks; y++)
                    AssignRow(lab, labels, centres, w, n, y, nx, ny, cw, ch, spatial, sums);
            });
            Update(partial, centres, cells);
        }
        EnforceConnectivity(labels, output, w, h, n / cells / 4, out count);
    }

    private static void ToLab(float* src, float[] lab, int n)
    {
        Parallel.For(0, (n + 4095) / 4096, blk =>
        {
            for (int i = blk * 4096; i < Math.Min(n, (blk + 1) * 4096); i++)
                ColorMath.RgbToLab(src[i], src[n + i], src[2 * n + i], out lab[i], out lab[n + i], out lab[2 * n + i]);
        });
    }

    private static void Seed(float[] lab, int w, int h, int nx, int ny, float cw, float ch, float[] centres)
    {
        int n = w * h;
        float Gradient(int x, int y)
        {
            int r = y * w + Math.Min(x + 1, w - 1), l = y * w + Math.Max(x - 1, 0), d = Math.Min(y + 1, h - 1) * w + x, u = Math.Max(y - 1, 0) * w + x;
            return SlicMath.Gradient(lab[r], lab[l], lab[d], lab[u], lab[n + r], lab[n + l], lab[n + d], lab[n + u],
                lab[2 * n + r], lab[2 * n + l], lab[2 * n + d], lab[2 * n + u]);
        }
        for (int gy = 0; gy < ny; gy++)
            for (int gx = 0; gx < nx; gx++)
            {
                SlicMath.SeedStart(gx, gy, cw, ch, w, h, out int sx, out int sy);
                int bx = sx, by = sy;
                float best = float.MaxValue;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int x = sx + dx, y = sy + dy;
                        if (x < 0 || y < 0 || x >= w || y >= h) continue;
                        float g = Gradient(x, y);
                        if (g < best) { best = g; bx = x; by = y; }
                    }
                int c0 = 5 * (gy * nx + gx), p = by * w + bx;
                centres[c0] = lab[p];
                centres[c0 + 1] = lab[n + p];
                centres[c0 + 2] = lab[2 * n + p];
                centres[c0 + 3] = bx;
                centres[c0 + 4] = by;
            }
    }

    /// <summary>
    /// Assigns every pixel of row y to the nearest of the centres of the 3x3 grid cells around its
    /// own, and adds it to that centre's sums. Runs of pixels in the same grid cell compare the same
    /// nine centres, eight pixels at a time (Vector256); the arithmetic and the tie-breaking (the
    /// first nearest centre wins) are those of the scalar loop, so both give the same labels.
    /// </summary>
    private static void AssignRow(float[] lab, int[] labels, float[] centres, int w, int n, int y, int nx, int ny,
        float cw, float ch, float spatial, double[] sums)
    {
        int gy = SlicMath.Cell(y, ch, ny);
        Span<int> cells = stackalloc int[9];
        int x = 0;
        while (x < w)
        {
            int gx = SlicMath.Cell(x, cw, nx);
            int end = x;
            while (end < w && SlicMath.Cell(end, cw, nx) == gx) end++;
            int count = 0;
            for (int cy = Math.Max(gy - 1, 0); cy <= Math.Min(gy + 1, ny - 1); cy++)
                for (int cx = Math.Max(gx - 1, 0); cx <= Math.Min(gx + 1, nx - 1); cx++)
                    cells[count++] = cy * nx + cx;
            for (; x + Vector256<float>.Count <= end; x += Vector256<float>.Count)
                AssignEight(lab, labels, centres, n, x, y, w, cells[..count], spatial, sums);
            for (; x < end; x++)
                AssignOne(lab, labels, centres, n, x, y, w, cells[..count], spatial, sums);
        }
    }

    private static void AssignOne(float[] lab, int[] labels, float[] centres, int n, int x, int y, int w,
        ReadOnlySpan<int> cells, float spatial, double[] sums)
    {
        int p = y * w + x;
        float l = lab[p], a = lab[n + p], b = lab[2 * n + p];
        int best = cells[0];
        float bestD = float.MaxValue;
        foreach (int c in cells)
        {
            int c0 = 5 * c;
            float d = SlicMath.Distance(l, a, b, x, y, centres[c0], centres[c0 + 1], centres[c0 + 2], centres[c0 + 3], centres[c0 + 4], spatial);
            if (d < bestD) { bestD = d; best = c; }
        }
        Accumulate(lab, labels, n, p, x, y, best, sums);
    }

    private static void AssignEight(float[] lab, int[] labels, float[] centres, int n, int x, int y, int w,
        ReadOnlySpan<int> cells, float spatial, double[] sums)
    {
        int p = y * w + x;
        var l = Vector256.Create(lab, p);
        var a = Vector256.Create(lab, n + p);
        var b = Vector256.Create(lab, 2 * n + p);
        var px = Vector256.Create((float)x) + Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        var py = Vector256.Create((float)y);
        var vs = Vector256.Create(spatial);
        var bestD = Vector256.Create(float.MaxValue);
        var best = Vector256.Create(cells[0]);
        foreach (int c in cells)
        {
            int c0 = 5 * c;
            var dl = l - Vector256.Create(centres[c0]);
            var da = a - Vector256.Create(centres[c0 + 1]);
            var db = b - Vector256.Create(centres[c0 + 2]);
            var dx = px - Vector256.Create(centres[c0 + 3]);
            var dy = py - Vector256.Create(centres[c0 + 4]);
            var d = dl * dl + da * da + db * db + vs * (dx * dx + dy * dy);
            var closer = Vector256.LessThan(d, bestD);
            bestD = Vector256.ConditionalSelect(closer, d, bestD);
            best = Vector256.ConditionalSelect(closer.AsInt32(), Vector256.Create(c), best);
        }
        for (int i = 0; i < Vector256<float>.Count; i++)
            Accumulate(lab, labels, n, p + i, x + i, y, best[i], sums);
    }

    private static void Accumulate(float[] lab, int[] labels, int n, int p, int x, int y, int best, double[] sums)
    {
        labels[p] = best;
        int s0 = 6 * best;
        sums[s0] += lab[p];
        sums[s0 + 1] += lab[n + p];
        sums[s0 + 2] += lab[2 * n + p];
        sums[s0 + 3] += x;
        sums[s0 + 4] += y;
        sums[s0 + 5] += 1;
    }

    private static void Update(double[][] partial, float[] centres, int cells)
    {
        for (int c = 0; c < cells; c++)
        {
            double l = 0, a = 0, b = 0, x = 0, y = 0, count = 0;
            foreach (var s in partial)
            {
                if (s is null) continue;
                l += s[6 * c]; a += s[6 * c + 1]; b += s[6 * c + 2];
                x += s[6 * c + 3]; y += s[6 * c + 4]; count += s[6 * c + 5];
            }
            if (count == 0) continue; // an empty cluster keeps its centre
            centres[5 * c] = (float)(l / count);
            centres[5 * c + 1] = (float)(a / count);
            centres[5 * c + 2] = (float)(b / count);
            centres[5 * c + 3] = (float)(x / count);
            centres[5 * c + 4] = (float)(y / count);
        }
    }

    /// <summary>
    /// Relabels the 4-connected components in raster order; a component smaller than
    /// <paramref name="minSize"/> joins the component met just before its first pixel (left or above).
    /// </summary>
    internal static void EnforceConnectivity(int[] labels, int* result, int w, int h, int minSize, out int count)
    {
        int n = w * h;
        new Span<int>(result, n).Fill(-1);
        var component = new int[n];
        int next = 0;
        for (int start = 0; start < n; start++)
        {
            if (result[start] >= 0) continue;
            int sx = start % w, sy = start / w;
            int adjacent = sx > 0 ? result[start - 1] : sy > 0 ? result[start - w] : -1;
            int old = labels[start], size = 0;
            component[size++] = start;
            result[start] = next;
            for (int head = 0; head < size; head++)
            {
                int p = component[head], x = p % w, y = p / w;
                for (int k = 0; k < 4; k++)
                {
                    int q = k switch { 0 => x > 0 ? p - 1 : -1, 1 => x < w - 1 ? p + 1 : -1, 2 => y > 0 ? p - w : -1, _ => y < h - 1 ? p + w : -1 };
                    if (q >= 0 && result[q] < 0 && labels[q] == old)
                    {
                        result[q] = next;
                        component[size++] = q;
                    }
                }
            }
            if (size < minSize && adjacent >= 0)
                for (int i = 0; i < size; i++) result[component[i]] = adjacent;
            else
                next++;
        }
        count = next;
    }
}
