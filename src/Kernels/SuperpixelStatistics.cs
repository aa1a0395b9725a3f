namespace GpuColorTransfer.Kernels;

/// <summary>
/// Statistics of one superpixel i (paper section 3.3): pixel count P_i, position centroid
/// Xbar(i) in normalised coordinates (x/W, y/H), colour centroid Ibar(i), and the population
/// covariances Cov(p) (2x2) and Cov(I(p)) (3x3), stored as their upper triangles; computed from
/// <see cref="SuperpixelMoments"/>.
/// </summary>
public struct SuperpixelStatistics
{
    /// <summary>Number of pixels P_i.</summary>
    public float Count;
    /// <summary>Mean normalised x.</summary>
    public float X;
    /// <summary>Mean normalised y.</summary>
    public float Y;
    /// <summary>Mean red.</summary>
    public float R;
    /// <summary>Mean green.</summary>
    public float G;
    /// <summary>Mean blue.</summary>
    public float B;
    /// <summary>Position covariance, xx.</summary>
    public float Cxx;
    /// <summary>Position covariance, xy.</summary>
    public float Cxy;
    /// <summary>Position covariance, yy.</summary>
    public float Cyy;
    /// <summary>Colour covariance, rr.</summary>
    public float Crr;
    /// <summary>Colour covariance, rg.</summary>
    public float Crg;
    /// <summary>Colour covariance, rb.</summary>
    public float Crb;
    /// <summary>Colour covariance, gg.</summary>
    public float Cgg;
    /// <summary>Colour covariance, gb.</summary>
    public float Cgb;
    /// <summary>Colour covariance, bb.</summary>
    public float Cbb;

    /// <summary>
    /// The colour moments the attention averages (paper eq. 3 and the covariance around C(i)): the
    /// mean colour r, g, b and the raw second moments E[rr] = Crr + r r, E[rg], E[rb], E[gg], E[gb], E[bb].
    /// </summary>
    public readonly void ColourMoments(out float r, out float g, out float b, out float rr, out float rg, out float rb,
        out float gg, out float gb, out float bb)
    {
        (r, g, b) = (R, G, B);
        (rr, rg, rb) = (Crr + R * R, Crg + R * G, Crb + R * B);
        (gg, gb, bb) = (Cgg + G * G, Cgb + G * B, Cbb + B * B);
    }
}
