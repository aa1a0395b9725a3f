namespace GpuColorTransfer.Kernels;

/// <summary>
/// Where full-resolution pixel x reads a map of <c>levelSize</c> pixels that is bilinearly upsampled
/// to <c>fullSize</c> pixels with half-pixel centres (PyTorch's align_corners=False):
/// x_src = max((x + 0.5) levelSize / fullSize - 0.5, 0), between samples I0 and I1 (clamped) with
/// weight F on I1.
/// </summary>
public readonly struct BilinearSource
{
    /// <summary>The lower sample.</summary>
    public readonly int I0;

    /// <summary>The upper sample, clamped to the map.</summary>
    public readonly int I1;

    /// <summary>The weight of <see cref="I1"/>.</summary>
    public readonly float F;

    /// <summary>The footprint of pixel x.</summary>
    public BilinearSource(int x, int levelSize, int fullSize)
    {
        float s = (x + 0.5f) * levelSize / fullSize - 0.5f;
        s = s > 0 ? s : 0;
        I0 = (int)s;
        I1 = I0 + 1 < levelSize ? I0 + 1 : levelSize - 1;
        F = s - I0;
    }
}
