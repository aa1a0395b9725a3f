using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>
/// The colour each target superpixel receives through the attention, C(i) = sum_j A(i,j) Ibar_R(j),
/// and the attention-weighted covariance of the reference colours around it,
/// sum_j A(i,j) (Cov_R(j) + Ibar_R(j) Ibar_R(j)^T) - C(i) C(i)^T: Count rows of
/// (r, g, b, rr, rg, rb, gg, gb, bb).
/// </summary>
public sealed class MatchedColors : IDisposable
{
    /// <summary>Floats per superpixel.</summary>
    public const int Stride = 9;

    internal MatchedColors(int count, MemoryBuffer1D<float, Stride1D.Dense> values)
    {
        Count = count;
        Values = values;
    }

    /// <summary>Number of target superpixels.</summary>
    public int Count { get; }
    /// <summary>Row-major Count x <see cref="Stride"/> values.</summary>
    internal MemoryBuffer1D<float, Stride1D.Dense> Values { get; }
    /// <summary>A host copy of the values, row-major Count x <see cref="Stride"/>.</summary>
    public float[] CopyValues() => Values.GetAsArray1D();
    /// <inheritdoc />
    public void Dispose() => Values.Dispose();
}
