namespace GpuColorTransfer.Shaders;

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

    /// <summary>The 12 floats, T row-major then o (on the host).</summary>
    public readonly void CopyTo(Span<float> into)
    {
        (into[0], into[1], into[2], into[3]) = (First.A, First.B, First.C, First.D);
        (into[4], into[5], into[6], into[7]) = (Second.A, Second.B, Second.C, Second.D);
        (into[8], into[9], into[10], into[11]) = (Last.A, Last.B, Last.C, Last.D);
    }
}
