using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends.Device;

/// <summary>
/// SLIC superpixels on any ILGPU accelerator (<see cref="SlicKernels"/>, then
/// <see cref="ConnectivityKernels"/>; the method as in <see cref="Cpu.CpuSlic"/>): the labels never
/// leave the device.
/// </summary>
internal sealed class DeviceSlic(Accelerator accelerator)
{
    private readonly Action<Index1D, int, int, ArrayView<float>, ArrayView<float>> _toLab =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<float>>(SlicKernels.ToLab);
    private readonly Action<Index1D, int, int, int, int, int, float, float, ArrayView<float>, ArrayView<float>> _seed =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, int, float, float, ArrayView<float>, ArrayView<float>>(SlicKernels.Seed);
    private readonly Action<Index1D, int, int, int, int, int, float, float, float, ArrayView<float>, ArrayView<float>, ArrayView<int>> _assign =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, int, float, float, float, ArrayView<float>, ArrayView<float>, ArrayView<int>>(SlicKernels.Assign);
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<double>> _accumulate =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<int>, ArrayView<double>>(SlicKernels.Accumulate);
    private readonly Action<Index1D, int, int, ArrayView<double>, ArrayView<float>> _update =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<double>, ArrayView<float>>(SlicKernels.Update);

    private readonly Action<Index1D, int, int, ArrayView<int>> _init =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<int>>(ConnectivityKernels.Init);
    private readonly Action<Index1D, int, int, int, ArrayView<int>, ArrayView<int>> _link =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<int>, ArrayView<int>>(ConnectivityKernels.Link);
    private readonly Action<Index1D, int, int, ArrayView<int>> _flatten =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<int>>(ConnectivityKernels.Flatten);
    private readonly Action<Index1D, int, int, int, ArrayView<int>, ArrayView<int>> _sizes =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<int>, ArrayView<int>>(LabelKernels.Counts);
    private readonly Action<Index1D, int, int, int, int, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>> _keep =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>>(ConnectivityKernels.Keep);
    private readonly Action<Index1D, int, int, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>> _relabel =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>>(ConnectivityKernels.Relabel);
    private readonly DeviceScan _scan = new(accelerator);

    private (int Threads, int Chunk) Split(long n) => KernelGrid.Split(accelerator, n);

    /// <summary>Labels (0..count-1, each one 4-connected region) of about <paramref name="k"/> superpixels of a planar RGB image.</summary>
    public MemoryBuffer1D<int, Stride1D.Dense> Run(ArrayView<float> planes, int w, int h, int k, float compactness, int iterations, out int count)
    {
        int n = w * h;
        double step = Math.Sqrt((double)n / k);
        int nx = Math.Clamp((int)Math.Round(w / step), 1, w), ny = Math.Clamp((int)Math.Round(h / step), 1, h);
        float cw = (float)w / nx, ch = (float)h / ny;
        int cells = nx * ny;
        float spatial = (float)(compactness * compactness / (step * step));

        using var lab = accelerator.Allocate1D<float>(3L * n);
        using var centres = accelerator.Allocate1D<float>(5L * cells);
        using var sums = accelerator.Allocate1D<double>(6L * cells);
        using var labels = accelerator.Allocate1D<int>(n);
        var (tp, cp) = Split(n);
        var (tc, cc) = Split(cells);
        var (tr, cr) = Split(PixelRun.Count(new Rect(0, 0, w, h)));
        _toLab(tp, cp, n, planes, lab.View);
        _seed(tc, cc, nx, ny, w, h, cw, ch, lab.View, centres.View);
        for (int it = 0; it < iterations; it++)
        {
            sums.MemSetToZero();
            _assign(tp, cp, w, h, nx, ny, cw, ch, spatial, lab.View, centres.View, labels.View);
            _accumulate(tr, cr, w, h, lab.View, labels.View, sums.View);
            _update(tc, cc, cells, sums.View, centres.View);
        }
        return EnforceConnectivity(labels.View, w, h, n / cells / 4, out count);
    }

    /// <summary>Relabels the 4-connected components in raster order, merging those under <paramref name="minSize"/> pixels (as <see cref="Cpu.CpuSlic"/>).</summary>
    internal MemoryBuffer1D<int, Stride1D.Dense> EnforceConnectivity(ArrayView<int> labels, int w, int h, int minSize, out int count)
    {
        int n = w * h;
        using var parent = accelerator.Allocate1D<int>(n);
        using var sizes = accelerator.Allocate1D<int>(n);
        using var kept = accelerator.Allocate1D<int>(n);
        using var into = accelerator.Allocate1D<int>(n);
        using var ids = accelerator.Allocate1D<int>(n);
        var (tp, cp) = Split(n);
        var (tr, cr) = Split(PixelRun.Count(new Rect(0, 0, w, h)));
        _init(tp, cp, n, parent.View);
        _link(tp, cp, w, h, labels, parent.View);
        _flatten(tp, cp, n, parent.View);
        sizes.MemSetToZero();
        _sizes(tr, cr, w, h, parent.View, sizes.View);
        _keep(tp, cp, w, n, minSize, parent.View, sizes.View, kept.View, into.View);
        count = _scan.ExclusiveTotal(kept.View, ids.View);
        var result = accelerator.Allocate1D<int>(n);
        _relabel(tp, cp, n, parent.View, kept.View, into.View, ids.View, result.View);
        accelerator.Synchronize();
        return result;
    }
}
