using GpuColorTransfer.Shaders;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Gpu;

/// <summary>
/// The attention and matched colours on any ILGPU accelerator (<see cref="AttentionKernels"/>).
/// The top-k variant (<see cref="TransferSettings.AttentionTopK"/>) is not on the device yet.
/// </summary>
internal sealed class DeviceAttention(Accelerator accelerator)
{
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<float>> _means =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<float>>(AttentionKernels.ChannelMeans);
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<float>, int, ArrayView<float>> _normalise =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<float>, int, ArrayView<float>>(AttentionKernels.Normalise);
    private readonly Action<Index1D, int, int, int, int, ArrayView<float>, ArrayView<float>, float, ArrayView<float>, ArrayView<float>> _rows =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, ArrayView<float>, ArrayView<float>, float, ArrayView<float>, ArrayView<float>>(AttentionKernels.Rows);

    private (int Threads, int Chunk) Split(long n) => KernelGrid.Split(accelerator, n);

    private MemoryBuffer1D<float, Stride1D.Dense> Normalise(ArrayView<float> features, int n, int c, Centring centring)
    {
        using var means = accelerator.Allocate1D<float>(c);
        var (t1, c1) = Split(c);
        _means(t1, c1, n, c, features, means.View);
        var normalised = accelerator.Allocate1D<float>((long)n * c);
        var (t2, c2) = Split(n);
        _normalise(t2, c2, n, c, features, means.View, centring == Centring.Vector ? 1 : 0, normalised.View);
        return normalised;
    }

    /// <summary>
    /// The matched colours and weighted reference covariances (nt x 9, as <see cref="Backends.MatchedColors"/>) from the
    /// super-features of target (nt x c) and reference (nr x c) and the reference statistics.
    /// </summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Run(ArrayView<float> target, int nt, ArrayView<float> reference, int nr, int c,
        SuperpixelStatistics[] referenceStats, TransferSettings settings)
    {
        if (settings.AttentionTopK > 0) throw new NotSupportedException("top-k attention is not implemented on the device");
        var moments = Cpu.CpuAttention.ColourMoments(referenceStats);
        using var t = Normalise(target, nt, c, settings.Centring);
        using var r = Normalise(reference, nr, c, settings.Centring);
        using var momentBuffer = accelerator.Allocate1D(moments);
        var output = accelerator.Allocate1D<float>(9L * nt);
        var (threads, chunk) = Split(nt);
        _rows(threads, chunk, nt, nr, c, t.View, r.View, settings.Tau, momentBuffer.View, output.View);
        accelerator.Synchronize();
        return output;
    }
}
