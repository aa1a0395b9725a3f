using ILGPU;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// The VGG-19 layers (the CPU stages VggTiler and CpuSuperFeatures) as kernels over the regions of
/// one tile (VggTilePlan), each buffer planar (channel, row, column) over its <see cref="Rect"/>:
/// Caffe preprocessing, 3x3 convolution with zero padding + ReLU (weights HWIO) tiled through
/// shared memory, 2x2 stride-2 max-pool (floor), and the pooling of a tap's features, bilinearly
/// upsampled to full resolution (half-pixel centres) when deeper, into per-superpixel sums or
/// maxima. Chunk-loop style (grid-stride over groups for the convolution).
/// </summary>
public static class VggKernels
{
    /// <summary>Output columns per group of <see cref="Conv3x3"/>; its group size must be a multiple.</summary>
    public const int TileWidth = 32;

    /// <summary>The largest group of <see cref="Conv3x3"/> (the one used on a GPU).</summary>
    public const int MaxConvGroupSize = 256;

    /// <summary>Output channels computed per group of <see cref="Conv3x3"/>: layer widths must be multiples.</summary>
    public const int OutBlock = 8;

    private const int RowsPerThread = 8, InBlock = 4, PatchWidth = TileWidth + 2;

    /// <summary>Output rows per group of <see cref="Conv3x3"/> launched with groups of <paramref name="groupSize"/> threads.</summary>
    public static int TileHeight(int groupSize) => groupSize / TileWidth * RowsPerThread;

    /// <summary>BGR, 255 v - mean, from planar sRGB of a w x h image, over <paramref name="region"/>.</summary>
    public static void Preprocess(Index1D thread, int chunk, int w, int h, Rect region, ArrayView<float> planes, ArrayView<float> input)
    {
        int n = w * h, area = region.Area;
        for (int e = thread * chunk; e < area && e < (thread + 1) * chunk; e++)
        {
            int p = (region.Y0 + e / region.Width) * w + region.X0 + e % region.Width;
            input[e] = 255f * planes[2 * n + p] - 103.939f;
            input[area + e] = 255f * planes[n + p] - 116.779f;
            input[2 * area + e] = 255f * planes[p] - 123.68f;
        }
    }

    /// <summary>
    /// out(o, y, x) = ReLU(bias(o) + sum_{ky,kx,i} in(i, y + ky - 1, x + kx - 1) K[ky, kx, i, o]) over
    /// <paramref name="outRegion"/>, the input read over <paramref name="inRegion"/> and zero outside
    /// it. Explicitly grouped, a multiple of 32 threads up to <see cref="MaxConvGroupSize"/>: a group
    /// of 32 r threads computes a 32 x 8 r pixel tile for <see cref="OutBlock"/> output channels, one
    /// thread a column of 8 pixels; input channels go through shared memory 4 at a time (the
    /// 34 x (8 r + 2) patch and its 9 x 4 x 8 weights), so each value read from shared memory feeds
    /// 8 multiply-adds: per input channel and tap, 8 patch loads and 2 vector loads of weights
    /// (<see cref="Float4"/>) for 64 multiply-adds. (256 threads on a GPU; 32 on the CPU simulator,
    /// whose barriers are slow.)
    /// </summary>
    public static void Conv3x3(int cin, int cout, Rect inRegion, Rect outRegion, ArrayView<float> input, ArrayView<float> kernel,
        ArrayView<float> bias, ArrayView<float> output)
    {
        var patch = SharedMemory.Allocate<float>(InBlock * PatchWidth * (MaxConvGroupSize / TileWidth * RowsPerThread + 2));
        var weights4 = SharedMemory.Allocate<Float4>(9 * InBlock * OutBlock / 4);
        var weights = weights4.Cast<float>();
        int tx = Group.IdxX % TileWidth, ty = Group.IdxX / TileWidth;
        int tileHeight = TileHeight(Group.DimX), patchArea = PatchWidth * (tileHeight + 2);
        int tilesX = (outRegion.Width + TileWidth - 1) / TileWidth, tilesY = (outRegion.Height + tileHeight - 1) / tileHeight;
        int blocks = cout / OutBlock, inArea = inRegion.Area, outArea = outRegion.Area;
        for (int job = Grid.IdxX; job < tilesX * tilesY * blocks; job += Grid.DimX)
        {
            int ob = job % blocks * OutBlock, tile = job / blocks;
            int x0 = outRegion.X0 + tile % tilesX * TileWidth, y0 = outRegion.Y0 + tile / tilesX * tileHeight;
            var b = Float8.Load(bias, ob);
            Float8 a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b;
            for (int c0 = 0; c0 < cin; c0 += InBlock)
            {
                Group.Barrier();
                for (int e = Group.IdxX; e < InBlock * patchArea; e += Group.DimX)
                {
                    int c = c0 + e / patchArea, q = e % patchArea, xx = x0 + q % PatchWidth - 1, yy = y0 + q / PatchWidth - 1;
                    patch[e] = c < cin && inRegion.Contains(xx, yy) ? input[c * inArea + inRegion.Offset(xx, yy)] : 0f;
                }
                for (int e = Group.IdxX; e < 9 * InBlock * OutBlock; e += Group.DimX)
                {
                    int tap = e / (InBlock * OutBlock), c = c0 + e / OutBlock % InBlock;
                    weights[e] = c < cin ? kernel[(tap * cin + c) * cout + ob + e % OutBlock] : 0f;
                }
                Group.Barrier();
                for (int i = 0; i < InBlock; i++)
                    for (int t = 0; t < 9; t++)
                    {
                        var wt = Float8.Load(weights4, (t * InBlock + i) * OutBlock);
                        int p = i * patchArea + (ty * RowsPerThread + t / 3) * PatchWidth + tx + t % 3;
                        a0 = a0.Fma(patch[p], wt);
                        a1 = a1.Fma(patch[p + PatchWidth], wt);
                        a2 = a2.Fma(patch[p + 2 * PatchWidth], wt);
                        a3 = a3.Fma(patch[p + 3 * PatchWidth], wt);
                        a4 = a4.Fma(patch[p + 4 * PatchWidth], wt);
                        a5 = a5.Fma(patch[p + 5 * PatchWidth], wt);
                        a6 = a6.Fma(patch[p + 6 * PatchWidth], wt);
                        a7 = a7.Fma(patch[p + 7 * PatchWidth], wt);
                    }
            }
            int x = x0 + tx, y = y0 + ty * RowsPerThread, at = ob * outArea;
            if (x >= outRegion.X1) continue;
            if (y < outRegion.Y1) a0.StoreRelu(output, at + outRegion.Offset(x, y), outArea);
            if (y + 1 < outRegion.Y1) a1.StoreRelu(output, at + outRegion.Offset(x, y + 1), outArea);
            if (y + 2 < outRegion.Y1) a2.StoreRelu(output, at + outRegion.Offset(x, y + 2), outArea);
            if (y + 3 < outRegion.Y1) a3.StoreRelu(output, at + outRegion.Offset(x, y + 3), outArea);
            if (y + 4 < outRegion.Y1) a4.StoreRelu(output, at + outRegion.Offset(x, y + 4), outArea);
            if (y + 5 < outRegion.Y1) a5.StoreRelu(output, at + outRegion.Offset(x, y + 5), outArea);
            if (y + 6 < outRegion.Y1) a6.StoreRelu(output, at + outRegion.Offset(x, y + 6), outArea);
            if (y + 7 < outRegion.Y1) a7.StoreRelu(output, at + outRegion.Offset(x, y + 7), outArea);
        }
    }

    /// <summary>2x2 stride-2 max-pool (floor) of c planes over <paramref name="from"/> into planes over <paramref name="to"/>.</summary>
    public static void MaxPool(Index1D thread, int chunk, int c, Rect from, Rect to, ArrayView<float> input, ArrayView<float> output)
    {
        int area = to.Area, fromArea = from.Area, total = c * area;
        for (int e = thread * chunk; e < total && e < (thread + 1) * chunk; e++)
        {
            int k = e / area, q = e % area, x = to.X0 + q % to.Width, y = to.Y0 + q / to.Width;
            int b = k * fromArea + from.Offset(2 * x, 2 * y);
            output[e] = XMax(XMax(input[b], input[b + 1]), XMax(input[b + from.Width], input[b + from.Width + 1]));
        }
    }

    private static float XMax(float a, float b) => a > b ? a : b;

    /// <summary>
    /// For every full-resolution pixel of <paramref name="tile"/> (w x h image), the c channels of a
    /// tap at resolution level <paramref name="level"/>, held over <paramref name="region"/> and
    /// bilinearly sampled (<see cref="BilinearSource"/>) below full resolution, added (or, with
    /// <paramref name="max"/> != 0, maxed) into sums[label * stride + offset + k]. A thread takes one
    /// channel over one <see cref="PixelRun"/>; neighbouring threads, neighbouring runs of a channel.
    /// </summary>
    public static void Pool(Index1D thread, int chunk, int w, int h, Rect tile, int level, int c, Rect region, ArrayView<float> tap,
        ArrayView<int> labels, ArrayView<float> sums, int stride, int offset, int max)
    {
        long runs = PixelRun.Count(tile), total = c * runs;
        int lw = w >> level, lh = h >> level;
        for (long e = (long)thread.X * chunk; e < total && e < (thread.X + 1L) * chunk; e++)
        {
            int k = (int)(e / runs);
            var run = new PixelRun((int)(e % runs), tile);
            int x = run.X;
            var plane = tap.SubView((long)k * region.Area, region.Area);
            var sx = new BilinearSource(x, lw, w);
            int label = labels[run.Y0 * w + x];
            float acc = 0;
            for (int y = run.Y0; y < run.Y1; y++)
            {
                int l = labels[y * w + x];
                if (l != label)
                {
                    Flush(sums, label * stride + offset + k, acc, max);
                    label = l;
                    acc = 0;
                }
                float v;
                if (level == 0)
                {
                    v = plane[region.Offset(x, y)];
                }
                else
                {
                    var sy = new BilinearSource(y, lh, h);
                    v = (1 - sx.F) * (1 - sy.F) * plane[region.Offset(sx.I0, sy.I0)] + sx.F * (1 - sy.F) * plane[region.Offset(sx.I1, sy.I0)]
                      + (1 - sx.F) * sy.F * plane[region.Offset(sx.I0, sy.I1)] + sx.F * sy.F * plane[region.Offset(sx.I1, sy.I1)];
                }
                acc = max != 0 ? XMax(acc, v) : acc + v;
            }
            Flush(sums, label * stride + offset + k, acc, max);
        }
    }

    private static void Flush(ArrayView<float> sums, int index, float value, int max)
    {
        if (max != 0) Atomic.Max(ref sums[index], value);
        else Atomic.Add(ref sums[index], value);
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

    /// <summary>Two super-feature matrices side by side: row s of the output (c1 + c2 floats) is row s of <paramref name="first"/>, then row s of <paramref name="second"/>.</summary>
    public static void Concatenate(Index1D thread, int chunk, int count, int c1, int c2, ArrayView<float> first, ArrayView<float> second, ArrayView<float> output)
    {
        int stride = c1 + c2;
        for (int e = thread * chunk; e < count * stride && e < (thread + 1) * chunk; e++)
        {
            int s = e / stride, k = e % stride;
            output[e] = k < c1 ? first[s * c1 + k] : second[s * c2 + k - c1];
        }
    }
}
