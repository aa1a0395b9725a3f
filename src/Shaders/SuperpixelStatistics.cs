namespace GpuColorTransfer.Shaders;

/// <summary>
/// Statistics of one superpixel i (paper section 3.3): pixel count P_i, position centroid
/// Xbar(i) in normalised coordinates (x/W, y/H), colour centroid Ibar(i), and the population
/// covariances Cov(p) (2x2) and Cov(I(p)) (3x3), stored as their upper triangles.
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
    /// The statistics from the 15 sums over the superpixel's pixels: count, x, y, r, g, b, then
    /// xx, xy, yy, rr, rg, rb, gg, gb, bb. Means, and population covariances (variances clamped at 0).
    /// </summary>
    public static SuperpixelStatistics FromMoments(double count, double x, double y, double r, double g, double b,
        double xx, double xy, double yy, double rr, double rg, double rb, double gg, double gb, double bb)
    {
        double c = count > 1.0 ? count : 1.0;
        double mx = x / c, my = y / c, mr = r / c, mg = g / c, mb = b / c;
        return new SuperpixelStatistics
        {
            Count = (float)count,
            X = (float)mx, Y = (float)my, R = (float)mr, G = (float)mg, B = (float)mb,
            Cxx = Variance(xx / c, mx), Cxy = (float)(xy / c - mx * my), Cyy = Variance(yy / c, my),
            Crr = Variance(rr / c, mr), Crg = (float)(rg / c - mr * mg), Crb = (float)(rb / c - mr * mb),
            Cgg = Variance(gg / c, mg), Cgb = (float)(gb / c - mg * mb), Cbb = Variance(bb / c, mb),
        };
    }

    private static float Variance(double meanOfSquares, double mean)
    {
        double v = meanOfSquares - mean * mean;
        return v > 0 ? (float)v : 0f;
    }
}
