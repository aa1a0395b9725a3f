namespace GpuColorTransfer.Kernels;

/// <summary>
/// The affine colour map of one superpixel that the fusion blends, out = T I + o (paper eq. 3 and
/// its variants): 12 floats, T row-major then o, as three <see cref="Float4"/>:
/// (T00 T01 T02 T10), (T11 T12 T20 T21), (T22 o0 o1 o2).
/// </summary>
public struct AffineMap
{
    /// <summary>T00, T01, T02, T10.</summary>
    public Float4 First;
    /// <summary>T11, T12, T20, T21.</summary>
    public Float4 Second;
    /// <summary>T22, o0, o1, o2.</summary>
    public Float4 Last;

    /// <summary>
    /// The colour mode's map (the paper: T = 0, o = C(i)) or, with <paramref name="shift"/>, the shift
    /// mode's (T = I, o = C(i) - Ibar_T(i)), from the matched colour C(i) = (cr, cg, cb).
    /// </summary>
    public static AffineMap ColourOrShift(bool shift, in SuperpixelStatistics st, float cr, float cg, float cb)
    {
        float one = shift ? 1f : 0f;
        return new AffineMap
        {
            First = new Float4 { A = one },
            Second = new Float4 { A = one },
            Last = shift ? new Float4 { A = one, B = cr - st.R, C = cg - st.G, D = cb - st.B } : new Float4 { B = cr, C = cg, D = cb },
        };
    }

    /// <summary>The regularisation added to the diagonals of the covariances the statistics mode maps between.</summary>
    public const double CovarianceFloor = 1e-4;

    /// <summary>
    /// The statistics mode's map (beyond the paper): T the linear Monge-Kantorovich map (Pitié and
    /// Kokaram 2007) from the colour covariance of target superpixel i to the attention-weighted
    /// covariance of the reference colours around C(i) (both + <see cref="CovarianceFloor"/> I),
    /// T = A^-1/2 (A^1/2 B A^1/2)^1/2 A^-1/2, and o = C(i) - T Ibar_T(i), from C(i) = (cr, cg, cb)
    /// and B's upper triangle (as <c>MatchedColors</c> holds them).
    /// </summary>
    public static AffineMap Statistics(in SuperpixelStatistics st, float cr, float cg, float cb, float brr, float brg, float brb,
        float bgg, float bgb, float bbb)
    {
        const double f = CovarianceFloor;
        var a = Matrix3.Symmetric(st.Crr + f, st.Crg, st.Crb, st.Cgg + f, st.Cgb, st.Cbb + f);
        var b = Matrix3.Symmetric(brr + f, brg, brb, bgg + f, bgb, bbb + f);
        var aRoot = Matrix3.SquareRoot(a);
        var aInverseRoot = aRoot.Inverse();
        var t = aInverseRoot * Matrix3.SquareRoot(aRoot * b * aRoot) * aInverseRoot;
        double o0 = cr - (t.M00 * st.R + t.M01 * st.G + t.M02 * st.B);
        double o1 = cg - (t.M10 * st.R + t.M11 * st.G + t.M12 * st.B);
        double o2 = cb - (t.M20 * st.R + t.M21 * st.G + t.M22 * st.B);
        return new AffineMap
        {
            First = new Float4 { A = (float)t.M00, B = (float)t.M01, C = (float)t.M02, D = (float)t.M10 },
            Second = new Float4 { A = (float)t.M11, B = (float)t.M12, C = (float)t.M20, D = (float)t.M21 },
            Last = new Float4 { A = (float)t.M22, B = (float)o0, C = (float)o1, D = (float)o2 },
        };
    }

    /// <summary>The 12 floats, T row-major then o (on the host).</summary>
    public readonly void CopyTo(Span<float> into)
    {
        (into[0], into[1], into[2], into[3]) = (First.A, First.B, First.C, First.D);
        (into[4], into[5], into[6], into[7]) = (Second.A, Second.B, Second.C, Second.D);
        (into[8], into[9], into[10], into[11]) = (Last.A, Last.B, Last.C, Last.D);
    }
}
