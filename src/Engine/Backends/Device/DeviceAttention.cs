using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends.Device;

/// <summary>
/// The attention and matched colours on any ILGPU accelerator (<see cref="AttentionKernels"/>),
/// top-k included. The N_T x N_R similarities are held on the device (4 bytes each: 0.5 GB for
/// two 4K frames). Each row's softmax is computed in parts by several threads and merged: on a
/// GPU enough parts for about 128 K threads (a thread per row would be ~12 K threads for a 4K
/// frame, too few to hide memory latency); on the simulator 3, so that the tests merge parts.
/// </summary>
internal sealed class DeviceAttention(Accelerator accelerator)
{
    private readonly Action<Index1D, int, int, ArrayView<SuperpixelStatistics>, ArrayView<float>> _moments =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<SuperpixelStatistics>, ArrayView<float>>(AttentionKernels.Moments);
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<float>> _sums =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<float>>(AttentionKernels.ChannelSums);
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>> _normalise =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>>(AttentionKernels.Normalise);
    private readonly Action<Index1D, int, int, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>> _similarities =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>>(AttentionKernels.Similarities);
    private readonly Action<Index1D, int, int, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<int>> _count =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<int>>(
            AttentionKernels.CountAtLeast);
    private readonly Action<Index1D, int, int, int, ArrayView<int>, ArrayView<int>, ArrayView<int>> _bisect =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<int>, ArrayView<int>, ArrayView<int>>(AttentionKernels.Bisect);
    private readonly Action<Index1D, int, int, int, int, int, ArrayView<float>, ArrayView<int>, float, ArrayView<float>, ArrayView<float>> _partials =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, int, ArrayView<float>, ArrayView<int>, float, ArrayView<float>, ArrayView<float>>(
            AttentionKernels.RowPartials);
    private readonly Action<Index1D, int, int, int, float, ArrayView<float>, ArrayView<float>> _merge =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, float, ArrayView<float>, ArrayView<float>>(AttentionKernels.MergeRows);

    private readonly Action<Index1D, int, int, int, int, int, float, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>> _weights =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, int, float, ArrayView<float>, ArrayView<int>, ArrayView<float>, ArrayView<float>>(
            AttentionKernels.Weights);

    private (int Threads, int Chunk) Split(long n) => KernelGrid.Split(accelerator, n);

    private static int Padded(int n, int block) => (n + block - 1) / block * block;

    /// <summary>Parts per row for nt rows of nr entries (at least 32 entries per part).</summary>
    private int Segments(int nt, int nr) => accelerator.AcceleratorType == AcceleratorType.CPU
        ? Math.Min(nr, 3)
        : Math.Clamp((128 * 1024 + nt - 1) / nt, 1, Math.Max(1, nr / 32));

    /// <summary>The normalised features, transposed (c x stride, zero beyond n).</summary>
    private MemoryBuffer1D<float, Stride1D.Dense> Normalise(ArrayView<float> features, int n, int c, int stride, Centring centring)
    {
        using var sums = accelerator.Allocate1D<float>(c);
        sums.MemSetToZero();
        var (t1, c1) = Split((long)c * ((n + AttentionKernels.RowBlock - 1) / AttentionKernels.RowBlock));
        _sums(t1, c1, n, c, features, sums.View);
        var normalised = accelerator.Allocate1D<float>((long)c * stride);
        normalised.MemSetToZero();
        var (t2, c2) = Split(n);
        _normalise(t2, c2, n, c, features, sums.View, centring == Centring.Vector ? 1 : 0, stride, normalised.View);
        return normalised;
    }

    /// <summary>
    /// Each row's top-k floor (the order-preserving integer key of its k-th largest
    /// similarity) by 32 bisection steps over all rows at once, or int.MinValue everywhere (all kept).
    /// </summary>
    private MemoryBuffer1D<int, Stride1D.Dense> Floors(ArrayView<float> similarities, int nt, int ntp, int nr, int segments, int topK)
    {
        var lo = accelerator.Allocate1D(Enumerable.Repeat(int.MinValue, nt).ToArray());
        if (topK <= 0 || topK >= nr) return lo;
        using var hi = accelerator.Allocate1D(Enumerable.Repeat(int.MaxValue, nt).ToArray());
        using var counts = accelerator.Allocate1D<int>(nt);
        counts.MemSetToZero();
        var (tc, cc) = Split((long)segments * nt);
        var (tb, cb) = Split(nt);
        for (int step = 0; step < 32; step++)
        {
            _count(tc, cc, nt, ntp, nr, segments, similarities, lo.View, hi.View, counts.View);
            _bisect(tb, cb, nt, topK, lo.View, hi.View, counts.View);
        }
        return lo;
    }

    /// <summary>
    /// The matched colours and weighted reference covariances (nt x 9, as <see cref="Backends.MatchedColors"/>) from the
    /// super-features of target (nt x c) and reference (nr x c) and the reference statistics; when
    /// <paramref name="weights"/> is given (nt x nr floats), the attention matrix A too.
    /// </summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Run(ArrayView<float> target, int nt, ArrayView<float> reference, int nr, int c,
        ArrayView<SuperpixelStatistics> referenceStats, TransferSettings settings, ArrayView<float> weights = default)
    {
        int ntp = Padded(nt, AttentionKernels.TargetBlock), nrp = Padded(nr, AttentionKernels.ReferenceBlock);
        if ((long)ntp * nrp > int.MaxValue)
            throw new DeviceException(DeviceProblem.Capacity, $"{nt} x {nr} superpixels are more similarities than the device attention indexes (2^31)");
        using var t = Normalise(target, nt, c, ntp, settings.Centring);
        using var r = Normalise(reference, nr, c, nrp, settings.Centring);
        using var momentBuffer = accelerator.Allocate1D<float>(9L * nr);
        var (tm, cm) = Split(nr);
        _moments(tm, cm, nr, referenceStats, momentBuffer.View);
        using var similarities = accelerator.Allocate1D<float>((long)ntp * nrp);
        var (ts, cs) = Split((long)(ntp / AttentionKernels.TargetBlock) * (nrp / AttentionKernels.ReferenceBlock));
        _similarities(ts, cs, ntp, nrp, c, t.View, r.View, similarities.View);

        int segments = Segments(nt, nr);
        var (tr, cr) = Split(nt);
        using var floors = Floors(similarities.View, nt, ntp, nr, segments, settings.AttentionTopK);
        using var partials = accelerator.Allocate1D<float>((long)segments * nt * AttentionMoments.PartialFloats);
        var (tp, cp) = Split((long)segments * nt);
        _partials(tp, cp, nt, ntp, nr, segments, similarities.View, floors.View, settings.Tau, momentBuffer.View, partials.View);
        var output = accelerator.Allocate1D<float>(9L * nt);
        _merge(tr, cr, nt, segments, settings.Tau, partials.View, output.View);
        if (weights.IsValid)
        {
            var (tw, cw) = Split((long)nt * nr);
            _weights(tw, cw, nt, ntp, nr, segments, settings.Tau, similarities.View, floors.View, partials.View, weights);
        }
        accelerator.Synchronize();
        return output;
    }
}
