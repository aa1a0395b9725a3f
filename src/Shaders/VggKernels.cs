using ILGPU;

namespace GpuColorTransfer.Shaders;

/// <summary>
/// The VGG-19 layers (see the CPU stages VggTiler and CpuSuperFeatures) as kernels, on planar
/// (channel, row, column) maps: Caffe preprocessing, 3x3 convolution with zero padding + ReLU
/// (weights HWIO), 2x2 stride-2 max-pool (floor), and the pooling of a tap's features, bilinearly
/// upsampled to full resolution (half-pixel centres) when deeper, into per-superpixel sums with
/// atomics. Chunk-loop style.
/// </summary>
public static class VggKernels
{
    /// <summary>BGR, 255 v - mean, from planar sRGB.</summary>
    public static void Preprocess(Index1D thread, int chunk, int n, ArrayView<float> planes, ArrayView<float> input)
    {
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            input[p] = 255f * planes[2 * n + p] - 103.939f;
            input[n + p] = 255f * planes[n + p] - 116.779f;
            input[2 * n + p] = 255f * planes[p] - 123.68f;
        }
    }

    /// <summary>out(o, y, x) = ReLU(bias(o) + sum_{ky,kx,i} in(i, y + ky - 1, x + kx - 1) K[ky, kx, i, o]), zeros outside.</summary>
    public static void Conv3x3(Index1D thread, int chunk, int w, int h, int cin, int cout, ArrayView<float> input, ArrayView<float> kernel,
        ArrayView<float> bias, ArrayView<float> output)
    {
        int n = w * h, total = cout * n;
        for (int e = thread * chunk; e < total && e < (thread + 1) * chunk; e++)
        {
            int o = e / n, p = e % n, y = p / w, x = p % w;
            float s = bias[o];
            for (int ky = 0; ky < 3; ky++)
            {
                int yy = y + ky - 1;
                if (yy < 0 || yy >= h) continue;
                for (int kx = 0; kx < 3; kx++)
                {
                    int xx = x + kx - 1;
                    if (xx < 0 || xx >= w) continue;
                    int k0 = (ky * 3 + kx) * cin * cout + o;
                    for (int i = 0; i < cin; i++) s += input[i * n + yy * w + xx] * kernel[k0 + i * cout];
                }
            }
            output[e] = s > 0 ? s : 0;
        }
    }

    /// <summary>2x2 stride-2 max-pool (floor) of c planes of w x h into planes of w/2 x h/2.</summary>
    public static void MaxPool(Index1D thread, int chunk, int w, int h, int c, ArrayView<float> input, ArrayView<float> output)
    {
        int ow = w / 2, oh = h / 2, total = c * ow * oh;
        for (int e = thread * chunk; e < total && e < (thread + 1) * chunk; e++)
        {
            int k = e / (ow * oh), p = e % (ow * oh), y = p / ow, x = p % ow;
            int b = k * w * h + 2 * y * w + 2 * x;
            output[e] = XMax(XMax(input[b], input[b + 1]), XMax(input[b + w], input[b + w + 1]));
        }
    }

    private static float XMax(float a, float b) => a > b ? a : b;

    /// <summary>
    /// Adds, for every full-resolution pixel, the c channels of a tap of size lw x lh (bilinearly
    /// sampled at x_src = (x + 0.5) lw / w - 0.5, clamped) into sums[label * stride + offset + k].
    /// </summary>
    public static void Pool(Index1D thread, int chunk, int w, int h, int lw, int lh, int c, ArrayView<float> tap, ArrayView<int> labels,
        ArrayView<float> sums, int stride, int offset)
    {
        int n = w * h, ln = lw * lh;
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            int x = p % w, y = p / w;
            float sx = (x + 0.5f) * lw / w - 0.5f, sy = (y + 0.5f) * lh / h - 0.5f;
            sx = sx > 0 ? sx : 0;
            sy = sy > 0 ? sy : 0;
            int x0 = (int)sx, y0 = (int)sy;
            int x1 = x0 + 1 < lw ? x0 + 1 : lw - 1, y1 = y0 + 1 < lh ? y0 + 1 : lh - 1;
            float fx = sx - x0, fy = sy - y0;
            int o = labels[p] * stride + offset;
            for (int k = 0; k < c; k++)
            {
                int b = k * ln;
                float v = (1 - fx) * (1 - fy) * tap[b + y0 * lw + x0] + fx * (1 - fy) * tap[b + y0 * lw + x1]
                        + (1 - fx) * fy * tap[b + y1 * lw + x0] + fx * fy * tap[b + y1 * lw + x1];
                Atomic.Add(ref sums[o + k], v);
            }
        }
    }

    /// <summary>Pixels per superpixel (counts must start at zero).</summary>
    public static void Counts(Index1D thread, int chunk, int n, ArrayView<int> labels, ArrayView<int> counts)
    {
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++) Atomic.Add(ref counts[labels[p]], 1);
    }

    /// <summary>Sums to means: row s of the count x stride matrix divided by the pixel count of superpixel s.</summary>
    public static void Divide(Index1D thread, int chunk, int count, int stride, ArrayView<float> sums, ArrayView<int> counts)
    {
        for (int e = thread * chunk; e < count * stride && e < (thread + 1) * chunk; e++)
        {
            int pixels = counts[e / stride];
            sums[e] *= 1f / (pixels > 1 ? pixels : 1);
        }
    }
}
