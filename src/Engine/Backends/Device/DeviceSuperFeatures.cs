using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends.Device;

/// <summary>
/// Super-features on any ILGPU accelerator (<see cref="VggKernels"/>; the method of the CPU stage
/// CpuSuperFeatures): the image is cut into tiles (<see cref="VggTilePlan"/>), each tile's layers
/// run over the regions it needs, and its taps are pooled straight into the per-superpixel sums
/// or maxima, so no full-resolution map of the whole image exists. The layer buffers are sized
/// once for the largest tile and reused. <c>convGroupSize</c>: threads per group of the
/// convolution (<see cref="VggKernels.Conv3x3"/>).
/// </summary>
internal sealed class DeviceSuperFeatures(Accelerator accelerator, int convGroupSize) : IDisposable
{
    /// <summary>The weights of the last network used, on the device (uploaded once per network, not per call).</summary>
    private (VggNetwork Network, MemoryBuffer1D<float, Stride1D.Dense>[] Kernels, MemoryBuffer1D<float, Stride1D.Dense>[] Biases)? _weights;

    private readonly Action<Index1D, int, int, int, Rect, ArrayView<float>, ArrayView<float>> _preprocess =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, Rect, ArrayView<float>, ArrayView<float>>(VggKernels.Preprocess);
    private readonly Action<KernelConfig, int, int, Rect, Rect, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _conv =
        accelerator.LoadStreamKernel<int, int, Rect, Rect, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(VggKernels.Conv3x3);
    private readonly Action<Index1D, int, int, Rect, Rect, ArrayView<float>, ArrayView<float>> _maxPool =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, Rect, Rect, ArrayView<float>, ArrayView<float>>(VggKernels.MaxPool);
    private readonly Action<Index1D, int, int, int, Rect, int, int, Rect, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int> _pool =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, Rect, int, int, Rect, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int>(VggKernels.Pool);
    private readonly Action<Index1D, int, int, int, ArrayView<int>, ArrayView<int>> _counts =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<int>, ArrayView<int>>(LabelKernels.Counts);
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<int>> _divide =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<int>>(VggKernels.Divide);

    private readonly Action<Index1D, int, int, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>> _concatenate =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>>(VggKernels.Concatenate);

    private (int Threads, int Chunk) Split(long n) => KernelGrid.Split(accelerator, n);

    /// <summary>Two count-row matrices side by side (<see cref="VggKernels.Concatenate"/>).</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Concatenate(ArrayView<float> first, int c1, ArrayView<float> second, int c2, int count)
    {
        var output = accelerator.Allocate1D<float>(Math.Max(1L, (long)count * (c1 + c2)));
        var (threads, chunk) = Split((long)count * (c1 + c2));
        _concatenate(threads, chunk, count, c1, c2, first, second, output.View);
        return output;
    }

    /// <summary>The count x channels super-features (mean, or max with <paramref name="pooling"/>) of the taps, concatenated in order.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Run(ArrayView<float> planes, ArrayView<int> labels, int w, int h, int count,
        VggNetwork network, IReadOnlyList<FeatureTap> taps, FeaturePooling pooling, int tileSize)
    {
        var plan = new VggTilePlan(taps, w, h);
        var tiles = plan.TilesWithRegions(tileSize);
        int stride = taps.Sum(t => t.Channels());
        var sums = accelerator.Allocate1D<float>((long)count * stride);
        var buffers = new List<MemoryBuffer1D<float, Stride1D.Dense>>();
        MemoryBuffer1D<float, Stride1D.Dense> Buffer(long length)
        {
            var b = accelerator.Allocate1D<float>(Math.Max(1, length));
            buffers.Add(b);
            return b;
        }
        try
        {
            sums.MemSetToZero();
            var layers = network.Layers.Take(plan.Deepest + 1).ToArray();
            if (layers.Select((l, k) => l.OutChannels != VggTilePlan.OutChannels(k) || l.InChannels != VggTilePlan.InChannels(k)).Any(wrong => wrong))
                throw new InvalidOperationException("the network's layers are not VGG-19's conv1_1..conv3_1");
            var (kernels, biases) = Weights(network);
            // Layer k's output over its region; its input is the previous output read in place,
            // except for conv1_1 (the preprocessed image) and the layers after a max-pool.
            var floats = plan.LayerBufferFloats(tiles);
            var outputs = floats.Select(f => Buffer(f.Output)).ToArray();
            var inputs = floats.Select(f => f.Input > 0 ? Buffer(f.Input) : null).ToArray();

            foreach (var (tile, regions) in tiles)
            {
                for (int k = 0; k < layers.Length; k++)
                {
                    var inRegion = plan.InputRegion(k, regions);
                    ArrayView<float> input;
                    if (k == 0)
                    {
                        var (t0, c0) = Split(inRegion.Area);
                        _preprocess(t0, c0, w, h, inRegion, planes, inputs[k]!.View);
                        input = inputs[k]!.View;
                    }
                    else if (VggTilePlan.FollowsPool(k))
                    {
                        var (tp, cp) = Split((long)layers[k].InChannels * inRegion.Area);
                        _maxPool(tp, cp, layers[k].InChannels, regions[k - 1], inRegion, outputs[k - 1].View, inputs[k]!.View);
                        input = inputs[k]!.View;
                    }
                    else
                    {
                        input = outputs[k - 1].View;
                        inRegion = regions[k - 1];
                    }
                    Convolve(layers[k], inRegion, regions[k], input, kernels[k].View, biases[k].View, outputs[k].View);
                    int offset = 0;
                    foreach (var t in taps)
                    {
                        if (t.Layer() == k)
                        {
                            var (tq, cq) = Split(t.Channels() * PixelRun.Count(tile));
                            _pool(tq, cq, w, h, tile, t.Level(), t.Channels(), regions[k], outputs[k].View, labels, sums.View, stride, offset,
                                pooling == FeaturePooling.Max ? 1 : 0);
                        }
                        offset += t.Channels();
                    }
                }
            }
            if (pooling == FeaturePooling.Mean)
            {
                using var counts = accelerator.Allocate1D<int>(count);
                counts.MemSetToZero();
                var (tn, cn) = Split(PixelRun.Count(new Rect(0, 0, w, h)));
                _counts(tn, cn, w, h, labels, counts.View);
                var (td, cd) = Split((long)count * stride);
                _divide(td, cd, count, stride, sums.View, counts.View);
            }
            accelerator.Synchronize();
            return sums;
        }
        catch
        {
            sums.Dispose();
            throw;
        }
        finally
        {
            foreach (var b in buffers) b.Dispose();
        }
    }

    private (MemoryBuffer1D<float, Stride1D.Dense>[] Kernels, MemoryBuffer1D<float, Stride1D.Dense>[] Biases) Weights(VggNetwork network)
    {
        if (_weights is not { } held || !ReferenceEquals(held.Network, network))
        {
            Dispose();
            held = (network, network.Layers.Select(l => accelerator.Allocate1D(l.Kernel)).ToArray(),
                network.Layers.Select(l => accelerator.Allocate1D(l.Bias)).ToArray());
            _weights = held;
        }
        return (held.Kernels, held.Biases);
    }

    /// <summary>Frees the weights held on the device.</summary>
    public void Dispose()
    {
        if (_weights is not { } held) return;
        foreach (var b in held.Kernels.Concat(held.Biases)) b.Dispose();
        _weights = null;
    }

    private void Convolve(ConvLayer layer, Rect inRegion, Rect outRegion, ArrayView<float> input, ArrayView<float> kernel, ArrayView<float> bias,
        ArrayView<float> output)
    {
        int tileHeight = VggKernels.TileHeight(convGroupSize);
        long jobs = (long)(layer.OutChannels / VggKernels.OutBlock) * ((outRegion.Width + VggKernels.TileWidth - 1) / VggKernels.TileWidth)
            * ((outRegion.Height + tileHeight - 1) / tileHeight);
        int groups = (int)Math.Min(jobs, accelerator.AcceleratorType == AcceleratorType.CPU ? accelerator.NumMultiprocessors : int.MaxValue);
        _conv(new KernelConfig(groups, convGroupSize), layer.InChannels, layer.OutChannels, inRegion, outRegion, input, kernel, bias, output);
    }
}
