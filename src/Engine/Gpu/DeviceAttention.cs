using GpuColorTransfer.Shaders;
using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Gpu;

/// <summary>
/// The attention and matched colours on any ILGPU accelerator (<see cref="AttentionKernels"/>),
/// top-k included. The N_T x N_R similarities are held on the device (4 bytes each: 0.5 GB for
/// two 4K frames).
/// </summary>
internal sealed class DeviceAttention(Accelerator accelerator)
{
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<float>> _means =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<float>>(AttentionKernels.ChannelMeans);
    private readonly Action<Index1D, int, int, int, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>> _normalise =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>>(AttentionKernels.Normalise);
    private readonly Action<Index1D, int, int, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>> _similarities =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>>(AttentionKernels.Similarities);
    private readonly Action<Index1D, int, int, int, int, ArrayView<float>, float, int, ArrayView<float>, ArrayView<float>> _rows =
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, int, ArrayView<float>, float, int, ArrayView<float>, ArrayView<float>>(AttentionKernels.Rows);

    private (int Threads, int Chunk) Split(long n) => KernelGrid.Split(accelerator, n);

    private static int Padded(int n, int block) => (n + block - 1) / block * block;

    /// <summary>The normalised features, transposed (c x stride, zero beyond n).</summary>
    private MemoryBuffer1D<float, Stride1D.Dense> Normalise(ArrayView<float> features, int n, int c, int stride, Centring centring)
    {
        using var means = accelerator.Allocate1D<float>(c);
        var (t1, c1) = Split(c);
        _means(t1, c1, n, c, features, means.View);
        var normalised = accelerator.Allocate1D<float>((long)c * stride);
        normalised.MemSetToZero();
        var (t2, c2) = Split(n);
        _normalise(t2, c2, n, c, features, means.View, centring == Centring.Vector ? 1 : 0, stride, normalised.View);
        return normalised;
    }

    /// <summary>
    /// The matched colours and weighted reference covariances (nt x 9, as <see cref="Backends.MatchedColors"/>) from the
    /// super-features of target (nt x c) and reference (nr x c) and the reference statistics.
    /// </summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Run(ArrayView<float> target, int nt, ArrayView<float> reference, int nr, int c,
        SuperpixelStatistics[] referenceStats, TransferSettings settings)
    {
        int ntp = Padded(nt, AttentionKernels.TargetBlock), nrp = Padded(nr, AttentionKernels.ReferenceBlock);
        var moments = Cpu.CpuAttention.ColourMoments(referenceStats);
        using var t = Normalise(target, nt, c, ntp, settings.Centring);
        using var r = Normalise(reference, nr, c, nrp, settings.Centring);
        using var momentBuffer = accelerator.Allocate1D(moments);
        using var similarities = accelerator.Allocate1D<float>((long)ntp * nrp);
        var (ts, cs) = Split((long)(ntp / AttentionKernels.TargetBlock) * (nrp / AttentionKernels.ReferenceBlock));
        _similarities(ts, cs, ntp, nrp, c, t.View, r.View, similarities.View);
        var output = accelerator.Allocate1D<float>(9L * nt);
        var (threads, chunk) = Split(nt);
        _rows(threads, chunk, nt, ntp, nr, similarities.View, settings.Tau, settings.AttentionTopK, momentBuffer.View, output.View);
        accelerator.Synchronize();
        return output;
    }
}
