namespace GpuColorTransfer.Kernels;

/// <summary>
/// The inverse of the fusion covariance of one superpixel (paper eq. 6, regularised):
/// Sigma_i = blockdiag(delta_s^2 Cov(p), delta_c^2 Cov(I(p))) + r I with r = 1e-4, or 1e-4 of the
/// block's trace when that is larger (only for deltas far above the defaults: it bounds the
/// block's condition number, so that a nearly singular covariance scaled by a large delta cannot
/// give a non-positive determinant in float and non-finite weights). Because Sigma_i is
/// block-diagonal its inverse is the two inverted blocks, stored as upper triangles.
/// </summary>
public struct FusionMetric
{
    /// <summary>Inverse spatial block, xx.</summary>
    public float Sxx;
    /// <summary>Inverse spatial block, xy.</summary>
    public float Sxy;
    /// <summary>Inverse spatial block, yy.</summary>
    public float Syy;
    /// <summary>Inverse colour block, rr.</summary>
    public float Crr;
    /// <summary>Inverse colour block, rg.</summary>
    public float Crg;
    /// <summary>Inverse colour block, rb.</summary>
    public float Crb;
    /// <summary>Inverse colour block, gg.</summary>
    public float Cgg;
    /// <summary>Inverse colour block, gb.</summary>
    public float Cgb;
    /// <summary>Inverse colour block, bb.</summary>
    public float Cbb;

    /// <summary>The regularisation added to the diagonal of Sigma_i (at least; see <see cref="Ridge"/>).</summary>
    public const float Regularisation = 1e-4f;

    /// <summary>The regularisation of a block whose diagonal (before it) sums to <paramref name="trace"/>.</summary>
    public static float Ridge(float trace) => MathF.Max(Regularisation, 1e-4f * trace);

    /// <summary>Builds Sigma_i^-1 from the statistics of superpixel i (eq. 6).</summary>
    public static FusionMetric From(in SuperpixelStatistics s, float deltaS, float deltaC)
    {
        float ds2 = deltaS * deltaS, dc2 = deltaC * deltaC;
        float es = Ridge(ds2 * (s.Cxx + s.Cyy)), ec = Ridge(dc2 * (s.Crr + s.Cgg + s.Cbb));
        // 2x2 block: [[a, b], [b, c]]^-1 = [[c, -b], [-b, a]] / (ac - b^2)
        float a = ds2 * s.Cxx + es, b = ds2 * s.Cxy, c = ds2 * s.Cyy + es;
        float det2 = a * c - b * b;
        // 3x3 symmetric block, inverted through its adjugate.
        float m00 = dc2 * s.Crr + ec, m01 = dc2 * s.Crg, m02 = dc2 * s.Crb;
        float m11 = dc2 * s.Cgg + ec, m12 = dc2 * s.Cgb, m22 = dc2 * s.Cbb + ec;
        float i00 = m11 * m22 - m12 * m12;
        float i01 = m02 * m12 - m01 * m22;
        float i02 = m01 * m12 - m02 * m11;
        float i11 = m00 * m22 - m02 * m02;
        float i12 = m01 * m02 - m00 * m12;
        float i22 = m00 * m11 - m01 * m01;
        float det3 = m00 * i00 + m01 * i01 + m02 * i02;
        return new FusionMetric
        {
            Sxx = c / det2, Sxy = -b / det2, Syy = a / det2,
            Crr = i00 / det3, Crg = i01 / det3, Crb = i02 / det3,
            Cgg = i11 / det3, Cgb = i12 / det3, Cbb = i22 / det3,
        };
    }

    /// <summary>
    /// Squared Mahalanobis distance D(p, i) = (v - vbar_i)^T Sigma^-1 (v - vbar_i) for the
    /// offsets v - vbar_i = (dx, dy, dr, dg, db) (the exponent of eq. 5 before dividing by sigma).
    /// </summary>
    public readonly float Distance(float dx, float dy, float dr, float dg, float db) =>
        Sxx * dx * dx + 2f * Sxy * dx * dy + Syy * dy * dy
        + Crr * dr * dr + Cgg * dg * dg + Cbb * db * db
        + 2f * (Crg * dr * dg + Crb * dr * db + Cgb * dg * db);

    /// <summary>
    /// Lower bounds of the smallest eigenvalues of the two blocks of Sigma_i^-1, as the inverse of a
    /// Gershgorin bound on the largest eigenvalue of each block of Sigma_i: for any offset,
    /// D >= <paramref name="spatial"/> |dxy|^2 + <paramref name="colour"/> |drgb|^2.
    /// </summary>
    public static void EigenLowerBounds(in SuperpixelStatistics s, float deltaS, float deltaC, out float spatial, out float colour)
    {
        float ds2 = deltaS * deltaS, dc2 = deltaC * deltaC;
        float es = Ridge(ds2 * (s.Cxx + s.Cyy)), ec = Ridge(dc2 * (s.Crr + s.Cgg + s.Cbb));
        float sxy = ds2 * MathF.Abs(s.Cxy);
        spatial = 1f / MathF.Max(ds2 * s.Cxx + es + sxy, ds2 * s.Cyy + es + sxy);
        float rg = dc2 * MathF.Abs(s.Crg), rb = dc2 * MathF.Abs(s.Crb), gb = dc2 * MathF.Abs(s.Cgb);
        colour = 1f / MathF.Max(dc2 * s.Crr + ec + rg + rb, MathF.Max(dc2 * s.Cgg + ec + rg + gb, dc2 * s.Cbb + ec + rb + gb));
    }
}
