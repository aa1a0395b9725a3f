using ILGPU;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// What the fusion kernel reads of a candidate superpixel i for D(p, i) (eq. 6): its centroid
/// (x, y, r, g, b) and Sigma_i^-1, packed as <see cref="Float4s"/> <see cref="Float4"/> so that a
/// thread loads them with four vector instructions instead of fourteen scalar ones:
/// (x, y, r, g), (b, Sxx, Sxy, Syy), (Crr, Crg, Crb, Cgg), (Cgb, Cbb, spatial, colour), the last two
/// the eigenvalue bounds that the candidate lists read (<see cref="CandidateCentre"/>). An empty
/// superpixel's centroid is stored as NaN: it is nobody's candidate.
/// </summary>
public readonly struct FusionCandidate
{
    /// <summary>Float4 values per superpixel.</summary>
    public const int Float4s = 4;

    private readonly float _x, _y, _r, _g, _b;

    /// <summary>Sigma_i^-1.</summary>
    public readonly FusionMetric Metric;

    private FusionCandidate(Float4 a, Float4 b, Float4 c, Float4 d)
    {
        (_x, _y, _r, _g, _b) = (a.A, a.B, a.C, a.D, b.A);
        Metric = new FusionMetric { Sxx = b.B, Sxy = b.C, Syy = b.D, Crr = c.A, Crg = c.B, Crb = c.C, Cgg = c.D, Cgb = d.A, Cbb = d.B };
    }

    /// <summary>Superpixel i of a packed array.</summary>
    public static FusionCandidate Load(ArrayView<Float4> packed, int i) =>
        new(packed[Float4s * i], packed[Float4s * i + 1], packed[Float4s * i + 2], packed[Float4s * i + 3]);

    /// <summary>
    /// Packs superpixel i's centroid, Sigma^-1 and the lower bounds of its blocks' smallest
    /// eigenvalues (<see cref="FusionMetric.EigenLowerBounds"/>) as entry i of <paramref name="packed"/>.
    /// </summary>
    public static void Store(in SuperpixelStatistics s, in FusionMetric m, float spatial, float colour, ArrayView<Float4> packed, int i)
    {
        float x = s.Count > 0 ? s.X : float.NaN;
        packed[Float4s * i] = new Float4 { A = x, B = s.Y, C = s.R, D = s.G };
        packed[Float4s * i + 1] = new Float4 { A = s.B, B = m.Sxx, C = m.Sxy, D = m.Syy };
        packed[Float4s * i + 2] = new Float4 { A = m.Crr, B = m.Crg, C = m.Crb, D = m.Cgg };
        packed[Float4s * i + 3] = new Float4 { A = m.Cgb, B = m.Cbb, C = spatial, D = colour };
    }

    /// <summary>D(p, i) for the pixel v = (x, y, r, g, b) under <paramref name="metric"/> (this candidate's, or the pixel's own superpixel's).</summary>
    public float Distance(float x, float y, float r, float g, float b, in FusionMetric metric) =>
        metric.Distance(x - _x, y - _y, r - _r, g - _g, b - _b);
}
