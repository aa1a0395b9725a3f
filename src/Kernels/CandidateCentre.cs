using ILGPU;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// What the candidate lists of the fusion read of a superpixel j from its packed
/// <see cref="FusionCandidate"/> (three of its four vector loads, without Sigma_j^-1): the centroid
/// (x, y, r, g, b), NaN for an empty superpixel, and the lower bounds of the smallest eigenvalues of
/// Sigma_j^-1's spatial and colour blocks (<see cref="FusionMetric.EigenLowerBounds"/>).
/// </summary>
public readonly struct CandidateCentre
{
    /// <summary>Centroid, normalised x.</summary>
    public readonly float X;
    /// <summary>Centroid, normalised y.</summary>
    public readonly float Y;
    /// <summary>Centroid, red.</summary>
    public readonly float R;
    /// <summary>Centroid, green.</summary>
    public readonly float G;
    /// <summary>Centroid, blue.</summary>
    public readonly float B;
    /// <summary>Lower bound of the spatial block's smallest eigenvalue.</summary>
    public readonly float Spatial;
    /// <summary>Lower bound of the colour block's smallest eigenvalue.</summary>
    public readonly float Colour;

    private CandidateCentre(Float4 xyrg, Float4 b, Float4 eigen) =>
        (X, Y, R, G, B, Spatial, Colour) = (xyrg.A, xyrg.B, xyrg.C, xyrg.D, b.A, eigen.C, eigen.D);

    /// <summary>Superpixel j of a packed array.</summary>
    public static CandidateCentre Load(ArrayView<Float4> packed, int j) =>
        new(packed[FusionCandidate.Float4s * j], packed[FusionCandidate.Float4s * j + 1], packed[FusionCandidate.Float4s * j + 3]);
}
