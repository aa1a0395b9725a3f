namespace GpuColorTransfer.Kernels;

/// <summary>
/// Four consecutive floats read as one value: the PTX backend loads such a 16-byte structure with a
/// single vector instruction (ld.shared.v4.f32, ld.global.v4.f32) instead of four.
/// </summary>
public struct Float4
{
    /// <summary>The first float.</summary>
    public float A;
    /// <summary>The second float.</summary>
    public float B;
    /// <summary>The third float.</summary>
    public float C;
    /// <summary>The fourth float.</summary>
    public float D;
}
