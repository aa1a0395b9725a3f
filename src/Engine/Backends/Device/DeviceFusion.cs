using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends.Device;

/// <summary>
/// The colour fusion on any ILGPU accelerator (<see cref="FusionKernels"/>; the method as in
/// <see cref="Cpu.CpuFusion"/>): the per-superpixel data (packed candidates, bounds, affine maps), the
/// boxes of the superpixels' pixels and their largest first cut-off limits, each superpixel's
/// candidate list with its lower bounds of D (only those under that limit, in buckets of increasing
/// bound, <see cref="BoundBuckets"/>), the pixels grouped by superpixel and the bucket of their
/// first limit, then the per-pixel blend, which skips the candidates whose bound rules out a weight
/// above e^-30.
/// </summary>
internal sealed class DeviceFusion(Accelerator accelerator)
{
    private readonly Action<Index1D, int, int, ArrayView<SuperpixelStatistics>, ArrayView<float>, float, float, int, ArrayView<Float4>,
        ArrayView<Float4>, ArrayView<float>, ArrayView<float>> _prepare =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<SuperpixelStatistics>, ArrayView<float>, float, float, int,
            ArrayView<Float4>, ArrayView<Float4>, ArrayView<float>, ArrayView<float>>(FusionKernels.Prepare);
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<Float4>, float, ArrayView<float>, ArrayView<float>> _boxes =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<Float4>, float, ArrayView<float>,
            ArrayView<float>>(FusionKernels.Boxes);
    private readonly Action<Index1D, int, int, ArrayView<Float4>, ArrayView<float>, ArrayView<float>, float, int, ArrayView<int>> _counts =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<Float4>, ArrayView<float>, ArrayView<float>, float, int,
            ArrayView<int>>(FusionKernels.CandidateCounts);
    private readonly Action<Index1D, int, int, ArrayView<Float4>, ArrayView<float>, ArrayView<float>, float, int, ArrayView<int>, ArrayView<int>,
        ArrayView<float>> _candidates =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<Float4>, ArrayView<float>, ArrayView<float>, float, int,
            ArrayView<int>, ArrayView<int>, ArrayView<float>>(FusionKernels.Candidates);
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<Float4>, ArrayView<float>, float, ArrayView<int>> _keys =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<Float4>, ArrayView<float>, float,
            ArrayView<int>>(FusionKernels.Keys);
    private readonly Action<Index1D, int, int, int, ArrayView<int>, ArrayView<int>> _pixelCounts =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<int>, ArrayView<int>>(LabelKernels.Counts);
    private readonly Action<Index1D, int, int, int, ArrayView<int>, ArrayView<int>, ArrayView<int>> _group =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<int>, ArrayView<int>, ArrayView<int>>(LabelKernels.Group);
    private readonly Action<Index1D, int, int, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<Float4>, ArrayView<Float4>,
        ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, float, SpecializedValue<int>, ArrayView<float>> _fuse =
        accelerator.LoadImplicitlyGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<Float4>,
            ArrayView<Float4>, ArrayView<float>, ArrayView<int>, ArrayView<int>, ArrayView<float>, float, SpecializedValue<int>,
            ArrayView<float>>(FusionKernels.Fuse, Math.Min(FuseGroupSize, accelerator.MaxNumThreadsPerGroup));
    private readonly DeviceScan _scan = new(accelerator);

    /// <summary>
    /// Threads per group of the fusion kernel. ILGPU's automatic choice was 768, which at its 43
    /// registers leaves one group per H200 multiprocessor (24 warps of 64, 44% achieved occupancy,
    /// ncu); groups of 256 fit five (40 warps), to hide the latency of the candidate loads.
    /// </summary>
    private const int FuseGroupSize = 256;

    private (int Threads, int Chunk) Split(long n) => KernelGrid.Split(accelerator, n);

    /// <summary>
    /// Fuses the target (planar RGB, w x h) with the matched colours of its <paramref name="count"/>
    /// superpixels (9 floats each, as <see cref="Backends.MatchedColors"/>); returns a new buffer.
    /// </summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Run(ArrayView<float> planes, ArrayView<int> labels, int w, int h,
        ArrayView<SuperpixelStatistics> stats, int count, ArrayView<float> colors, TransferSettings settings)
    {
        bool ownCovariance = settings.FusionCovariance == FusionCovariance.Own;
        int flags = (ownCovariance ? FusionKernels.OwnCovariance : 0) | (settings.FusionMode == FusionMode.Statistics ? FusionKernels.Affine : 0)
            | (settings.FusionMode == FusionMode.Shift ? FusionKernels.Shift : 0);
        float radius2 = settings.FusionRadius is float r ? r * r : float.PositiveInfinity;

        using var candidatesBuffer = accelerator.Allocate1D<Float4>(FusionCandidate.Float4s * (long)count);
        using var mapsBuffer = accelerator.Allocate1D<Float4>(3L * count);
        using var boxesBuffer = accelerator.Allocate1D<float>((long)FusionKernels.BoxFloats * count);
        using var limitsBuffer = accelerator.Allocate1D<float>(count);
        float sigma = settings.FusionSigma ?? 0f;
        var (ts0, cs0) = Split(count);
        _prepare(ts0, cs0, count, stats, colors, settings.DeltaS, settings.DeltaC, flags, candidatesBuffer.View,
            mapsBuffer.View, boxesBuffer.View, limitsBuffer.View);
        var (tb, cb) = Split(PixelRun.Count(new Rect(0, 0, w, h)));
        _boxes(tb, cb, w, h, planes, labels, candidatesBuffer.View, sigma, boxesBuffer.View, limitsBuffer.View);

        // Candidate lists: their lengths per (superpixel, bucket, block), offsets by an exclusive scan (its
        // total, one int, through the host to size the lists), then the lists.
        int blocks = FusionKernels.CandidateBlocks(count), parts = FusionKernels.Slot(count, 0, 0, blocks);
        using var countsBuffer = accelerator.Allocate1D<int>(parts);
        var (ts, cs) = Split((long)count * blocks);
        _counts(ts, cs, count, candidatesBuffer.View, boxesBuffer.View, limitsBuffer.View, radius2, ownCovariance ? 1 : 0, countsBuffer.View);
        // At most count^2 entries: past 2^31 (over 46,340 superpixels) the lists are measured before the int offsets.
        if ((long)count * count > int.MaxValue && countsBuffer.GetAsArray1D().Sum(c => (long)c) > int.MaxValue)
            throw new DeviceException(DeviceProblem.Capacity, $"the fusion's candidate lists of {count} superpixels exceed what the device indexes (2^31 entries)");
        using var offsetsBuffer = accelerator.Allocate1D<int>(parts + 1);
        int total = _scan.ExclusiveTotal(countsBuffer.View, offsetsBuffer.View.SubView(0, parts));
        offsetsBuffer.View.SubView(parts, 1).CopyFromCPU([total]);
        using var list = accelerator.Allocate1D<int>(Math.Max(1, total));
        using var bounds = accelerator.Allocate1D<float>(Math.Max(1, total));
        _candidates(ts, cs, count, candidatesBuffer.View, boxesBuffer.View, limitsBuffer.View, radius2, ownCovariance ? 1 : 0, offsetsBuffer.View,
            list.View, bounds.View);

        // The pixels grouped by superpixel and first-limit bucket: their keys, counts per key, the counts'
        // exclusive scan as cursors, the grouping.
        var (threads, chunk) = Split((long)w * h);
        int keyCount = count * BoundBuckets.Count;
        using var keys = accelerator.Allocate1D<int>((long)w * h);
        using var pixelCounts = accelerator.Allocate1D<int>(keyCount);
        using var cursors = accelerator.Allocate1D<int>(keyCount);
        using var order = accelerator.Allocate1D<int>((long)w * h);
        _keys(threads, chunk, w, h, planes, labels, candidatesBuffer.View, limitsBuffer.View, sigma, keys.View);
        pixelCounts.MemSetToZero();
        _pixelCounts(tb, cb, w, h, keys.View, pixelCounts.View);
        _scan.Exclusive(pixelCounts.View, cursors.View);
        _group(tb, cb, w, h, keys.View, cursors.View, order.View);

        var output = accelerator.Allocate1D<float>(3L * w * h);
        _fuse(threads, chunk, w, planes, labels.SubView(0, (long)w * h), order.View, candidatesBuffer.View, mapsBuffer.View, limitsBuffer.View,
            offsetsBuffer.View, list.View, bounds.View, sigma, SpecializedValue.New(flags), output.View);
        accelerator.Synchronize();
        return output;
    }
}
