using ILGPU;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// The box of a superpixel's pixels in (x/W, y/H, r, g, b), as <see cref="FusionKernels.Boxes"/>
/// stores it (<see cref="FusionKernels.BoxFloats"/> floats: the minima, then the maxima), and the
/// lower bound of D(p, j) it gives over all its pixels p.
/// </summary>
public readonly struct SuperpixelBox
{
    private readonly float _x0, _y0, _r0, _g0, _b0, _x1, _y1, _r1, _g1, _b1;

    private SuperpixelBox(ArrayView<float> boxes, int o)
    {
        (_x0, _y0, _r0, _g0, _b0) = (boxes[o], boxes[o + 1], boxes[o + 2], boxes[o + 3], boxes[o + 4]);
        (_x1, _y1, _r1, _g1, _b1) = (boxes[o + 5], boxes[o + 6], boxes[o + 7], boxes[o + 8], boxes[o + 9]);
    }

    /// <summary>Superpixel s's box.</summary>
    public static SuperpixelBox Load(ArrayView<float> boxes, int s) => new(boxes, s * FusionKernels.BoxFloats);

    /// <summary>
    /// A lower bound of D(p, j) for every pixel p in the box: the smallest eigenvalues of
    /// Sigma^-1's spatial and colour blocks times the squared distances from j's centroid to the box.
    /// </summary>
    public float Bound(in CandidateCentre j, float spatial, float colour) =>
        spatial * (Gap(j.X, _x0, _x1) + Gap(j.Y, _y0, _y1)) + colour * (Gap(j.R, _r0, _r1) + Gap(j.G, _g0, _g1) + Gap(j.B, _b0, _b1));

    /// <summary>Squared distance from v to the interval [lo, hi].</summary>
    private static float Gap(float v, float lo, float hi)
    {
        float d = v < lo ? lo - v : v > hi ? v - hi : 0f;
        return d * d;
    }
}
