using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Shaders;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Gpu;

/// <summary>
/// Super-features on any ILGPU accelerator (<see cref="VggKernels"/>; the method as in the CPU
/// stage CpuSuperFeatures), mean pooling only. Unlike the CPU stage it holds each layer's map for
/// the whole image (relu1_2 of a 4K frame: 2.1 GB); tiling it is the next step.
/// </summary>
internal sealed class DeviceSuperFeatures(Accelerator accelerator)
{
    private readonly Action<Index1D, int, int, ArrayView<float>, ArrayView<float>> _preprocess =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<float>>(VggKernels.Preprocess);
    private readonly Action<Index1D, int, int, int, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _conv =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(VggKernels.Conv3x3);
    private readonly Action<Index1D, int, int, int, int, ArrayView<float>, ArrayView<float>> _pool2 =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, ArrayView<float>, ArrayView<float>>(VggKernels.MaxPool);
    private readonly Action<Index1D, int, int, int, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int> _pool =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int>(VggKernels.Pool);
    private readonly Action<Index1D, int, int, ArrayView<int>, ArrayView<int>> _counts =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<int>, ArrayView<int>>(VggKernels.Counts);
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<int>> _divide =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<int>>(VggKernels.Divide);

    private (int Threads, int Chunk) Split(long n) => KernelGrid.Split(accelerator, n);

    /// <summary>The count x channels mean super-features of the taps, concatenated in order.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Run(ArrayView<float> planes, ArrayView<int> labels, int w, int h, int count,
        VggNetwork network, IReadOnlyList<FeatureTap> taps)
    {
        int stride = taps.Sum(t => t.Channels());
        int deepest = taps.Max(t => t.Layer());
        var sums = accelerator.Allocate1D<float>((long)count * stride);
        sums.MemSetToZero();
        int lw = w, lh = h, n = w * h;
        var current = accelerator.Allocate1D<float>(3L * n);
        try
        {
            var (t0, c0) = Split(n);
            _preprocess(t0, c0, n, planes, current.View);
            for (int k = 0; k <= deepest; k++)
            {
                if (k is 2 or 4)
                {
                    int channels = network.Layers[k - 1].OutChannels;
                    var pooled = accelerator.Allocate1D<float>((long)channels * (lw / 2) * (lh / 2));
                    var (tp, cp) = Split(pooled.Length);
                    _pool2(tp, cp, lw, lh, channels, current.View, pooled.View);
                    accelerator.Synchronize();
                    current.Dispose();
                    current = pooled;
                    lw /= 2;
                    lh /= 2;
                }
                var layer = network.Layers[k];
                using var kernel = accelerator.Allocate1D(layer.Kernel);
                using var bias = accelerator.Allocate1D(layer.Bias);
                var output = accelerator.Allocate1D<float>((long)layer.OutChannels * lw * lh);
                var (tc, cc) = Split(output.Length);
                _conv(tc, cc, lw, lh, layer.InChannels, layer.OutChannels, current.View, kernel.View, bias.View, output.View);
                accelerator.Synchronize();
                current.Dispose();
                current = output;
                int offset = 0;
                foreach (var t in taps)
                {
                    if (t.Layer() == k)
                    {
                        var (tq, cq) = Split(n);
                        _pool(tq, cq, w, h, lw, lh, t.Channels(), current.View, labels, sums.View, stride, offset);
                    }
                    offset += t.Channels();
                }
            }
            using var counts = accelerator.Allocate1D<int>(count);
            counts.MemSetToZero();
            var (tn, cn) = Split(n);
            _counts(tn, cn, n, labels, counts.View);
            var (td, cd) = Split((long)count * stride);
            _divide(td, cd, count, stride, sums.View, counts.View);
            accelerator.Synchronize();
            return sums;
        }
        finally
        {
            current.Dispose();
        }
    }
}
