using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends.Device;

/// <summary>
/// Pitié's colour regrain on any ILGPU accelerator, every level and sweep in device buffers
/// (<see cref="RegrainKernels"/>; the method as in <see cref="Cpu.CpuRegrain"/>). On ILGPU's CPU
/// accelerator, a simulator, each kernel runs with at most 64 threads looping over chunks; on a
/// GPU, one thread per element.
/// </summary>
internal sealed class DeviceRegrain
{
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
    /// <remarks>
    /// Every buffer is allocated, and every resampling table uploaded, before the first kernel, and
    /// nothing waits until the end: a device allocation or free and a copy from the host each stall
    /// the stream, and at 3840x2160 the ~20 of them per level had cost more than the sweeps.
    /// </remarks>
    public MemoryBuffer1D<float, Stride1D.Dense> Run(ArrayView<float> original, ArrayView<float> transferred, int w, int h, float smoothness)
    {
        var sizes = RegrainMath.Levels(w, h);
        int levels = sizes.Count;
        long n = (long)w * h;

        // The resampling tables between each level and the next, down and up, in one upload each.
        var tables = new List<ImResize.Kernel>();
        for (int l = 0; l + 1 < levels; l++)
        {
            var (fw, fh) = sizes[l];
            var (cw, ch) = sizes[l + 1];
            tables.Add(ImResize.Contributions(fh, ch, ResizeKernel.Bilinear));
            tables.Add(ImResize.Contributions(fw, cw, ResizeKernel.Bilinear));
            tables.Add(ImResize.Contributions(ch, fh, ResizeKernel.Bilinear));
            tables.Add(ImResize.Contributions(cw, fw, ResizeKernel.Bilinear));
        }
        using var indices = _accelerator.Allocate1D(tables.SelectMany(t => t.Index).DefaultIfEmpty().ToArray());
        using var weights = _accelerator.Allocate1D(tables.SelectMany(t => t.Weight).DefaultIfEmpty().ToArray());
        var tableViews = new List<(ArrayView<int> Index, ArrayView<float> Weight, int Taps)>();
        long at = 0;
        foreach (var t in tables)
        {
            tableViews.Add((indices.View.SubView(at, t.Index.Length), weights.View.SubView(at, t.Weight.Length), t.Taps));
            at += t.Index.Length;
        }

        // The pyramids of the original and the transferred image below the finest level, one buffer each.
        long pyramid = sizes.Skip(1).Sum(s => 3L * s.W * s.H);
        using var i0Pyramid = _accelerator.Allocate1D<float>(Math.Max(1, pyramid));
        using var irPyramid = _accelerator.Allocate1D<float>(Math.Max(1, pyramid));
        var i0 = new ArrayView<float>[levels];
        var ir = new ArrayView<float>[levels];
        (i0[0], ir[0]) = (original, transferred);
        at = 0;
        for (int l = 1; l < levels; l++)
        {
            long length = 3L * sizes[l].W * sizes[l].H;
            (i0[l], ir[l]) = (i0Pyramid.View.SubView(at, length), irPyramid.View.SubView(at, length));
            at += length;
        }
        long mid = 0;
        for (int l = 0; l + 1 < levels; l++)
            mid = Math.Max(mid, 3L * Math.Max((long)sizes[l].W * sizes[l + 1].H, (long)sizes[l + 1].W * sizes[l].H));
        using var midBuffer = _accelerator.Allocate1D<float>(Math.Max(1, mid));
        using var psi = _accelerator.Allocate1D<float>(n);
        using var phi = _accelerator.Allocate1D<float>(n);
        var current = _accelerator.Allocate1D<float>(3 * n);
        var other = _accelerator.Allocate1D<float>(3 * n);

        // Level from to level to, a neighbour: the tables of the pair (l, l + 1), down or up.
        void Resize(ArrayView<float> source, int from, int to, ArrayView<float> destination)
        {
            var ((sw, sh), (dw, dh)) = (sizes[from], sizes[to]);
            int l = Math.Min(from, to);
            var (vertical, horizontal) = (tableViews[4 * l + (from < to ? 0 : 2)], tableViews[4 * l + (from < to ? 1 : 3)]);
            int midLength = 3 * sw * dh, length = 3 * dw * dh;
            var (t1, c1) = Split(midLength);
            _vertical(t1, c1, midLength, source, midBuffer.View, vertical.Index, vertical.Weight, vertical.Taps, sw, sh, dh);
            var (t2, c2) = Split(length);
            _horizontal(t2, c2, length, midBuffer.View, destination, horizontal.Index, horizontal.Weight, horizontal.Taps, sw, dw, dh);
        }

        try
        {
            for (int l = 0; l + 1 < levels; l++)
            {
                Resize(i0[l], l, l + 1, i0[l + 1]);
                Resize(ir[l], l, l + 1, ir[l + 1]);
            }
            // J starts as I0 at the coarsest level; each finer level from the coarser result resized up.
            current.View.SubView(0, i0[levels - 1].Length).CopyFrom(i0[levels - 1]);
            for (int l = levels - 1; l >= 0; l--)
            {
                if (l < levels - 1)
                {
                    Resize(current.View, l + 1, l, other.View);
                    (current, other) = (other, current);
                }
                var (lw, lh) = sizes[l];
                int ln = lw * lh;
                var (threads, chunk) = Split(ln);
                _weights(threads, chunk, ln, i0[l], psi.View, phi.View, lw, lh, smoothness, MathF.Pow(2, -l));
                for (int sweep = 0; sweep < RegrainMath.Sweeps[l]; sweep++)
                {
                    _sweep(threads, chunk, ln, i0[l], ir[l], psi.View, phi.View, current.View, other.View, lw, lh);
                    (current, other) = (other, current);
                }
            }
        }
        catch
        {
            current.Dispose();
            other.Dispose();
            throw;
        }
        _accelerator.Synchronize();
        other.Dispose();
        return current;
    }
}
