namespace GpuColorTransfer.Kernels;

/// <summary>
/// Sixteen counters of up to 65,535 in four 64-bit registers: a thread's candidates per
/// <see cref="BoundBuckets"/> bucket while it walks one block of superpixels (at most
/// <see cref="FusionKernels.CandidateBlock"/>), kept in registers where an indexed array would go
/// to local memory and a counter in global memory would wait on each increment.
/// </summary>
public struct BucketTally
{
    private ulong _first, _second, _third, _fourth;

    /// <summary>Counts one more in bucket k (0-15).</summary>
    public void Add(int k)
    {
        ulong one = 1UL << (16 * (k & 3));
        switch (k >> 2)
        {
            case 0: _first += one; break;
            case 1: _second += one; break;
            case 2: _third += one; break;
            default: _fourth += one; break;
        }
    }

    /// <summary>The count of bucket k (0-15).</summary>
    public readonly int this[int k] =>
        (int)(((k >> 2) switch { 0 => _first, 1 => _second, 2 => _third, _ => _fourth }) >> (16 * (k & 3)) & 0xFFFF);
}
