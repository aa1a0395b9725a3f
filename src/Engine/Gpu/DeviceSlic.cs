using GpuColorTransfer.Engine.Cpu;
using GpuColorTransfer.Shaders;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Gpu;

/// <summary>
/// SLIC superpixels on any ILGPU accelerator (<see cref="SlicKernels"/>; the method as in
/// <see cref="CpuSlic"/>). Connectivity enforcement runs on the host: it is one raster-order flood
/// fill, O(n) and about 20 ms per megapixel, for 4 bytes per pixel each way, where label propagation
/// on the device would need as many passes as a superpixel is wide.
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

    private (int Threads, int Chunk) Split(long n) => KernelGrid.Split(accelerator, n);

    /// <summary>Labels (0..count-1, each one 4-connected region) of about <paramref name="k"/> superpixels of a planar RGB image.</summary>
    public unsafe MemoryBuffer1D<int, Stride1D.Dense> Run(ArrayView<float> planes, int w, int h, int k, float compactness, int iterations, out int count)
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
        accelerator.Synchronize();
        var raw = labels.GetAsArray1D();
        var result = new int[n];
        fixed (int* r = result) CpuSlic.EnforceConnectivity(raw, r, w, h, n / cells / 4, out count);
        return accelerator.Allocate1D(result);
    }
}
