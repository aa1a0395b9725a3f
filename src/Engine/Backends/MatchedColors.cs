using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>
/// The colour each target superpixel receives through the attention, C(i) = sum_j A(i,j) Ibar_R(j),
/// and the attention-weighted covariance of the reference colours around it,
/// sum_j A(i,j) (Cov_R(j) + Ibar_R(j) Ibar_R(j)^T) - C(i) C(i)^T: Count rows of
/// (r, g, b, rr, rg, rb, gg, gb, bb).
/// </summary>
public sealed class MatchedColors(int count, MemoryBuffer1D<float, Stride1D.Dense> values) : IDisposable
{
    /// <summary>Floats per superpixel.</summary>
    public const int Stride = 9;

    /// <summary>Number of target superpixels.</summary>
    public int Count { get; } = count;
    /// <summary>Row-major Count x <see cref="Stride"/> values.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Values { get; } = values;
    /// <inheritdoc />
    public void Dispose() => Values.Dispose();
}
