using System.Numerics.Tensors;
using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Backends.Cpu;

/// <summary>
/// Super-features (paper section 3.1, Figure 2): F(i) = the channel-wise mean (or max) of the
/// feature vectors of the pixels of superpixel i. The VGG taps are computed tile by tile and each
/// tile's features go straight into the per-superpixel sums; taps below full resolution are
/// bilinearly upsampled to the pixel first, and the taps' channels are concatenated.
/// </summary>
internal static unsafe class CpuSuperFeatures
{
    public static float[] Run(float* planes, int w, int h, int* labels, int count, VggNetwork network,
        IReadOnlyList<FeatureTap> taps, FeaturePooling pooling, int tileSize)
    {
        var tiler = new VggTiler(network, taps, planes, w, h);
        int channels = taps.Sum(t => t.Channels());
        var tiles = tiler.Plan.Tiles(tileSize).ToArray();
        // A fixed split of the tiles into groups, each with its own sums, merged in order: the
        // result does not depend on thread scheduling.
        int groups = Math.Min(tiles.Length, Environment.ProcessorCount);
        var partial = new float[groups][];
        Parallel.For(0, groups, g =>
        {
            var sums = partial[g] = new float[count * channels];
            for (int t = g * tiles.Length / groups; t < (g + 1) * tiles.Length / groups; t++)
                Pool(tiler, tiles[t], tiler.Forward(tiles[t]), taps, labels, sums, channels, pooling);
        });
        var features = partial[0];
        for (int g = 1; g < groups; g++)
        {
            if (pooling == FeaturePooling.Max) TensorPrimitives.Max(features, partial[g], features);
            else TensorPrimitives.Add(features, partial[g], features);
        }
        if (pooling == FeaturePooling.Mean)
        {
            var pixels = new int[count];
            for (int p = 0; p < w * h; p++) pixels[labels[p]]++;
            for (int i = 0; i < count; i++)
                TensorPrimitives.Multiply(features.AsSpan(i * channels, channels), 1f / Math.Max(pixels[i], 1), features.AsSpan(i * channels, channels));
        }
        return features;
    }

    private static void Pool(VggTiler tiler, Rect tile, FeatureTile[] maps, IReadOnlyList<FeatureTap> taps, int* labels,
        float[] sums, int channels, FeaturePooling pooling)
    {
        int w = tiler.Width, h = tiler.Height;
        var scratch = new float[256];
        for (int y = tile.Y0; y < tile.Y1; y++)
            for (int x = tile.X0; x < tile.X1; x++)
            {
                var dst = sums.AsSpan(labels[y * w + x] * channels, channels);
                int offset = 0;
                for (int t = 0; t < taps.Count; t++)
                {
                    var map = maps[t];
                    int c = map.Channels, level = taps[t].Level();
                    var into = dst.Slice(offset, c);
                    ReadOnlySpan<float> value;
                    if (level == 0)
                    {
                        value = map.Data.AsSpan(map.Offset(x, y), c);
                    }
                    else
                    {
                        var b = tiler.Plan.LevelBounds(level);
                        var v = scratch.AsSpan(0, c);
                        Bilinear(map, new BilinearSource(x, b.X1, w), new BilinearSource(y, b.Y1, h), v);
                        value = v;
                    }
                    if (pooling == FeaturePooling.Max) TensorPrimitives.Max(into, value, into);
                    else TensorPrimitives.Add(into, value, into);
                    offset += c;
                }
            }
    }

    /// <summary>Bilinear interpolation of the feature vector between the samples of (sx, sy).</summary>
    private static void Bilinear(FeatureTile map, BilinearSource sx, BilinearSource sy, Span<float> result)
    {
        int x0 = sx.I0, y0 = sy.I0, x1 = sx.I1, y1 = sy.I1;
        float fx = sx.F, fy = sy.F;
        int c = map.Channels;
        var d = map.Data.AsSpan();
        TensorPrimitives.Multiply(d.Slice(map.Offset(x0, y0), c), (1 - fx) * (1 - fy), result);
        TensorPrimitives.MultiplyAdd(d.Slice(map.Offset(x1, y0), c), fx * (1 - fy), result, result);
        TensorPrimitives.MultiplyAdd(d.Slice(map.Offset(x0, y1), c), (1 - fx) * fy, result, result);
        TensorPrimitives.MultiplyAdd(d.Slice(map.Offset(x1, y1), c), fx * fy, result, result);
    }

    /// <summary>The rows of two count-row matrices side by side: count x (c1 + c2) (<see cref="Kernels.VggKernels.Concatenate"/>).</summary>
    public static float[] Concatenate(ReadOnlySpan<float> first, int c1, ReadOnlySpan<float> second, int c2, int count)
    {
        var result = new float[Math.Max(1, count * (c1 + c2))];
        for (int i = 0; i < count; i++)
        {
            first.Slice(i * c1, c1).CopyTo(result.AsSpan(i * (c1 + c2), c1));
            second.Slice(i * c2, c2).CopyTo(result.AsSpan(i * (c1 + c2) + c1, c2));
        }
        return result;
    }
}
