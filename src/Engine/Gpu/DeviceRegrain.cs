using GpuColorTransfer.Engine.Cpu;
using GpuColorTransfer.Shaders;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Gpu;

/// <summary>
/// Pitié's colour regrain on any ILGPU accelerator, every level and sweep in device buffers
/// (<see cref="RegrainKernels"/>; the method as in <see cref="CpuRegrain"/>). On ILGPU's CPU
/// accelerator, a simulator, each kernel runs with at most 64 threads looping over chunks; on a
/// GPU, one thread per element.
/// </summary>
internal sealed class DeviceRegrain
{
    private static readonly int[] Sweeps = [4, 16, 32, 64, 64, 64];

    private readonly Accelerator _accelerator;
    private readonly Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int, int> _vertical;
    private readonly Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int, int> _horizontal;
    private readonly Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, float, float> _weights;
    private readonly Action<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int> _sweep;

    public DeviceRegrain(Accelerator accelerator)
    {
        _accelerator = accelerator;
        _vertical = accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int, int>(RegrainKernels.ResizeVertical);
        _horizontal = accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, int, int, int, int>(RegrainKernels.ResizeHorizontal);
        _weights = accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, float, float>(RegrainKernels.Weights);
        _sweep = accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int>(RegrainKernels.Sweep);
    }

    private (int Threads, int Chunk) Split(long n) => KernelGrid.Split(_accelerator, n);

    /// <summary>Regrains <paramref name="transferred"/> to the gradients of <paramref name="original"/> (planar RGB, w x h); returns a new buffer.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Run(ArrayView<float> original, ArrayView<float> transferred, int w, int h, float smoothness)
    {
        var result = Level(original, transferred, w, h, smoothness, 0);
        _accelerator.Synchronize();
        return result;
    }

    private MemoryBuffer1D<float, Stride1D.Dense> Level(ArrayView<float> i0, ArrayView<float> ir, int w, int h, float smoothness, int level)
    {
        int hw = (w + 1) / 2, hh = (h + 1) / 2;
        MemoryBuffer1D<float, Stride1D.Dense> j;
        if (level + 1 < Sweeps.Length && hh > 20 && hw > 20)
        {
            using var i0s = Resize(i0, w, h, hw, hh);
            using var irs = Resize(ir, w, h, hw, hh);
            using var coarse = Level(i0s.View, irs.View, hw, hh, smoothness, level + 1);
            j = Resize(coarse.View, hw, hh, w, h);
        }
        else
        {
            j = _accelerator.Allocate1D<float>(3L * w * h);
            j.View.CopyFrom(i0);
        }
        return Solve(j, i0, ir, w, h, smoothness, level);
    }

    private MemoryBuffer1D<float, Stride1D.Dense> Resize(ArrayView<float> source, int w, int h, int ow, int oh)
    {
        var vertical = ImResize.Contributions(h, oh, ResizeKernel.Bilinear);
        var horizontal = ImResize.Contributions(w, ow, ResizeKernel.Bilinear);
        using var vIndex = _accelerator.Allocate1D(vertical.Index);
        using var vWeight = _accelerator.Allocate1D(vertical.Weight);
        using var hIndex = _accelerator.Allocate1D(horizontal.Index);
        using var hWeight = _accelerator.Allocate1D(horizontal.Weight);
        using var mid = _accelerator.Allocate1D<float>(3L * w * oh);
        var dst = _accelerator.Allocate1D<float>(3L * ow * oh);
        var (t1, c1) = Split(3 * w * oh);
        _vertical(t1, c1, 3 * w * oh, source, mid.View, vIndex.View, vWeight.View, vertical.Taps, w, h, oh);
        var (t2, c2) = Split(3 * ow * oh);
        _horizontal(t2, c2, 3 * ow * oh, mid.View, dst.View, hIndex.View, hWeight.View, horizontal.Taps, w, ow, oh);
        _accelerator.Synchronize();
        return dst;
    }

    private MemoryBuffer1D<float, Stride1D.Dense> Solve(MemoryBuffer1D<float, Stride1D.Dense> j, ArrayView<float> i0, ArrayView<float> ir,
        int w, int h, float smoothness, int level)
    {
        int n = w * h;
        using var psi = _accelerator.Allocate1D<float>(n);
        using var phi = _accelerator.Allocate1D<float>(n);
        var (threads, chunk) = Split(n);
        _weights(threads, chunk, n, i0, psi.View, phi.View, w, h, smoothness, MathF.Pow(2, -level));
        var next = _accelerator.Allocate1D<float>(3L * n);
        for (int sweep = 0; sweep < Sweeps[level]; sweep++)
        {
            _sweep(threads, chunk, n, i0, ir, psi.View, phi.View, j.View, next.View, w, h);
            (j, next) = (next, j);
        }
        _accelerator.Synchronize();
        next.Dispose();
        return j;
    }
}
