namespace GpuColorTransfer.Shaders;

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
}
