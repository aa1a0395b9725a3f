using GpuColorTransfer.Engine.Cpu;
using GpuColorTransfer.Shaders;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Gpu;

/// <summary>
/// The colour fusion on any ILGPU accelerator (<see cref="FusionKernels"/>; the method as in
/// <see cref="CpuFusion"/>, which also builds the per-superpixel affine maps): the boxes of the
/// superpixels' pixels, each superpixel's candidate list with its lower bounds of D, then the
/// per-pixel blend, which skips the candidates whose bound rules out a weight above e^-30.
/// </summary>
internal sealed class DeviceFusion(Accelerator accelerator)
{
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<float>> _boxes =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<float>>(FusionKernels.Boxes);
    private readonly Action<Index1D, int, int, ArrayView<SuperpixelStatistics>, float, ArrayView<int>> _counts =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<SuperpixelStatistics>, float, ArrayView<int>>(FusionKernels.CandidateCounts);
    private readonly Action<Index1D, int, int, ArrayView<SuperpixelStatistics>, ArrayView<float>, ArrayView<float>, float, int, ArrayView<int>,
        ArrayView<int>, ArrayView<float>> _candidates =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<SuperpixelStatistics>, ArrayView<float>, ArrayView<float>, float, int,
            ArrayView<int>, ArrayView<int>, ArrayView<float>>(FusionKernels.Candidates);
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<Float4>, ArrayView<Float4>, ArrayView<int>,
        ArrayView<int>, ArrayView<float>, float, int, ArrayView<float>> _fuse =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<Float4>, ArrayView<Float4>,
            ArrayView<int>, ArrayView<int>, ArrayView<float>, float, int, ArrayView<float>>(FusionKernels.Fuse);
    private readonly DeviceScan _scan = new(accelerator);

    private (int Threads, int Chunk) Split(long n) => KernelGrid.Split(accelerator, n);

    /// <summary>Fuses the target (planar RGB, w x h) with the matched colours of its superpixels; returns a new buffer.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Run(ArrayView<float> planes, ArrayView<int> labels, int w, int h,
        SuperpixelStatistics[] stats, float[] colors, TransferSettings settings)
    {
        int count = stats.Length;
        bool ownCovariance = settings.FusionCovariance == FusionCovariance.Own;
        var candidates = new Float4[FusionCandidate.Float4s * count];
        for (int i = 0; i < count; i++)
            FusionCandidate.Pack(stats[i], FusionMetric.From(stats[i], settings.DeltaS, settings.DeltaC),
                candidates.AsSpan(FusionCandidate.Float4s * i, FusionCandidate.Float4s));
        var eigen = new float[2 * count];
        for (int i = 0; i < count; i++) FusionMetric.EigenLowerBounds(stats[i], settings.DeltaS, settings.DeltaC, out eigen[2 * i], out eigen[2 * i + 1]);
        // 12 floats per superpixel, T row-major then o, read by the kernel as 3 Float4.
        var maps = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Float4>(
            CpuFusion.AffineMaps(stats, colors, settings.FusionMode).SelectMany(m => m).ToArray()).ToArray();
        var boxes = new float[FusionKernels.BoxFloats * count];
        for (int i = 0; i < count; i++)
        {
            boxes.AsSpan(i * FusionKernels.BoxFloats, 5).Fill(float.PositiveInfinity);
            boxes.AsSpan(i * FusionKernels.BoxFloats + 5, 5).Fill(float.NegativeInfinity);
        }
        float radius2 = settings.FusionRadius is float r ? r * r : float.PositiveInfinity;

        using var statsBuffer = accelerator.Allocate1D(stats);
        using var candidatesBuffer = accelerator.Allocate1D(candidates);
        using var eigenBuffer = accelerator.Allocate1D(eigen);
        using var mapsBuffer = accelerator.Allocate1D(maps);
        using var boxesBuffer = accelerator.Allocate1D(boxes);
        var (tb, cb) = Split(PixelRun.Count(new Rect(0, 0, w, h)));
        _boxes(tb, cb, w, h, planes, labels, boxesBuffer.View);

        // Candidate lists: their lengths per (superpixel, block), offsets by an exclusive scan (its
        // total, one int, through the host to size the lists), then the lists.
        int blocks = FusionKernels.CandidateBlocks(count), parts = count * blocks;
        using var countsBuffer = accelerator.Allocate1D<int>(parts);
        var (ts, cs) = Split(parts);
        _counts(ts, cs, count, statsBuffer.View, radius2, countsBuffer.View);
        // At most count^2 entries: past 2^31 (over 46,340 superpixels) the lists are measured before the int offsets.
        if ((long)count * count > int.MaxValue && countsBuffer.GetAsArray1D().Sum(c => (long)c) > int.MaxValue)
            throw new GctException($"the fusion's candidate lists of {count} superpixels exceed what the device indexes (2^31 entries); "
                + "use a smaller --fusion-radius, fewer superpixels (--superpixels, --superpixel-factor) or --device cpu");
        using var offsetsBuffer = accelerator.Allocate1D<int>(parts + 1);
        int total = _scan.Exclusive(countsBuffer.View, offsetsBuffer.View.SubView(0, parts));
        offsetsBuffer.View.SubView(parts, 1).CopyFromCPU([total]);
        using var list = accelerator.Allocate1D<int>(Math.Max(1, total));
        using var bounds = accelerator.Allocate1D<float>(Math.Max(1, total));
        _candidates(ts, cs, count, statsBuffer.View, eigenBuffer.View, boxesBuffer.View, radius2, ownCovariance ? 1 : 0, offsetsBuffer.View,
            list.View, bounds.View);

        var output = accelerator.Allocate1D<float>(3L * w * h);
        var (threads, chunk) = Split((long)w * h);
        _fuse(threads, chunk, w, h, planes, labels, candidatesBuffer.View, mapsBuffer.View, offsetsBuffer.View, list.View,
            bounds.View, settings.FusionSigma ?? 0f,
            (ownCovariance ? FusionKernels.OwnCovariance : 0)
            | (settings.FusionMode == FusionMode.Statistics ? FusionKernels.Affine : 0)
            | (settings.FusionMode == FusionMode.Shift ? FusionKernels.Shift : 0), output.View);
        accelerator.Synchronize();
        return output;
    }
}
