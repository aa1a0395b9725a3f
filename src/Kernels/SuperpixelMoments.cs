using ILGPU;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// The 15 sums over a set of pixels from which <see cref="SuperpixelStatistics"/> follow: count;
/// x, y, r, g, b (x, y normalised by the image size); then xx, xy, yy, rr, rg, rb, gg, gb, bb.
/// Double precision: the second moments of a large superpixel lose too much in float.
/// </summary>
public struct SuperpixelMoments
{
    /// <summary>Sums per superpixel when they are stored as plain doubles.</summary>
    public const int Count = 15;

    private double _n, _x, _y, _r, _g, _b, _xx, _xy, _yy, _rr, _rg, _rb, _gg, _gb, _bb;

    /// <summary>Adds one pixel at normalised position (x, y) with colour (r, g, b).</summary>
    public void Add(double x, double y, double r, double g, double b)
    {
        _n += 1; _x += x; _y += y; _r += r; _g += g; _b += b;
        _xx += x * x; _xy += x * y; _yy += y * y;
        _rr += r * r; _rg += r * g; _rb += r * b; _gg += g * g; _gb += g * b; _bb += b * b;
    }

    /// <summary>Adds another set of sums.</summary>
    public void Add(in SuperpixelMoments o)
    {
        _n += o._n; _x += o._x; _y += o._y; _r += o._r; _g += o._g; _b += o._b;
        _xx += o._xx; _xy += o._xy; _yy += o._yy;
        _rr += o._rr; _rg += o._rg; _rb += o._rb; _gg += o._gg; _gb += o._gb; _bb += o._bb;
    }

    /// <summary>Adds the sums atomically to the <see cref="Count"/> doubles at <paramref name="offset"/> (in a kernel).</summary>
    public readonly void AddAtomically(ArrayView<double> to, int offset)
    {
        Atomic.Add(ref to[offset], _n); Atomic.Add(ref to[offset + 1], _x); Atomic.Add(ref to[offset + 2], _y);
        Atomic.Add(ref to[offset + 3], _r); Atomic.Add(ref to[offset + 4], _g); Atomic.Add(ref to[offset + 5], _b);
        Atomic.Add(ref to[offset + 6], _xx); Atomic.Add(ref to[offset + 7], _xy); Atomic.Add(ref to[offset + 8], _yy);
        Atomic.Add(ref to[offset + 9], _rr); Atomic.Add(ref to[offset + 10], _rg); Atomic.Add(ref to[offset + 11], _rb);
        Atomic.Add(ref to[offset + 12], _gg); Atomic.Add(ref to[offset + 13], _gb); Atomic.Add(ref to[offset + 14], _bb);
    }

    /// <summary>The sums stored as <see cref="Count"/> doubles at <paramref name="offset"/>.</summary>
    public static SuperpixelMoments Read(ArrayView<double> from, int offset) => new()
    {
        _n = from[offset], _x = from[offset + 1], _y = from[offset + 2], _r = from[offset + 3], _g = from[offset + 4], _b = from[offset + 5],
        _xx = from[offset + 6], _xy = from[offset + 7], _yy = from[offset + 8], _rr = from[offset + 9], _rg = from[offset + 10],
        _rb = from[offset + 11], _gg = from[offset + 12], _gb = from[offset + 13], _bb = from[offset + 14],
    };

    /// <summary>Means, and population covariances (variances clamped at 0).</summary>
    public readonly SuperpixelStatistics ToStatistics()
    {
        double c = _n > 1.0 ? _n : 1.0;
        double mx = _x / c, my = _y / c, mr = _r / c, mg = _g / c, mb = _b / c;
        return new SuperpixelStatistics
        {
            Count = (float)_n,
            X = (float)mx, Y = (float)my, R = (float)mr, G = (float)mg, B = (float)mb,
            Cxx = Variance(_xx / c, mx), Cxy = (float)(_xy / c - mx * my), Cyy = Variance(_yy / c, my),
            Crr = Variance(_rr / c, mr), Crg = (float)(_rg / c - mr * mg), Crb = (float)(_rb / c - mr * mb),
            Cgg = Variance(_gg / c, mg), Cgb = (float)(_gb / c - mg * mb), Cbb = Variance(_bb / c, mb),
        };
    }

    private static float Variance(double meanOfSquares, double mean)
    {
        double v = meanOfSquares - mean * mean;
        return v > 0 ? (float)v : 0f;
    }
}
