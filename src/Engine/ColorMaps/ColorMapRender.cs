using System.Numerics;
using System.Runtime.InteropServices;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>Applies a colour map to every pixel of an image (rows in parallel; an affine map with SIMD).</summary>
public static class ColorMapRender
{
    /// <summary>F(image), same size, alpha dropped; values are not clamped.</summary>
    public static RgbImage Apply(IColorMap map, RgbImage image)
    {
        var result = new RgbImage(image.Width, image.Height);
        ApplyTo(map, image, result);
        return result;
    }

    /// <summary>F(image) written into <paramref name="result"/> (same size), a row at a time on all cores.</summary>
    public static void ApplyTo(IColorMap map, RgbImage image, RgbImage result)
    {
        if (result.Width != image.Width || result.Height != image.Height) throw new ArgumentException("the images must have the same size", nameof(result));
        int n = image.PixelCount, w = image.Width;
        var source = image.Planes;
        var output = result.Planes;
        if (map is AffineColorMap affine)
            Parallel.For(0, image.Height, y => AffineRow(affine.Matrix, source.AsSpan(), output.AsSpan(), n, y * w, w));
        else if (map is QuadraticColorMap quadratic)
            Parallel.For(0, image.Height, y => QuadraticRow(quadratic.Matrix, source.AsSpan(), output.AsSpan(), n, y * w, w));
        else
            Parallel.For(0, image.Height, y =>
            {
                for (int p = y * w, end = p + w; p < end; p++)
                    (output[p], output[n + p], output[2 * n + p]) = map.Map(source[p], source[n + p], source[2 * n + p]);
            });
    }

    /// <summary>
    /// out_c = sum_k m[10c + k] t_k over one row of planar pixels, t = (1, r, g, b, rr, gg, bb, rg, rb, gb)
    /// (<see cref="QuadraticColorMap"/>), a vector of pixels at a time.
    /// </summary>
    private static void QuadraticRow(float[] m, ReadOnlySpan<float> source, Span<float> output, int n, int start, int count)
    {
        const int terms = QuadraticColorMap.Terms;
        var r = MemoryMarshal.Cast<float, Vector<float>>(source.Slice(start, count));
        var g = MemoryMarshal.Cast<float, Vector<float>>(source.Slice(n + start, count));
        var b = MemoryMarshal.Cast<float, Vector<float>>(source.Slice(2 * n + start, count));
        var o0 = MemoryMarshal.Cast<float, Vector<float>>(output.Slice(start, count));
        var o1 = MemoryMarshal.Cast<float, Vector<float>>(output.Slice(n + start, count));
        var o2 = MemoryMarshal.Cast<float, Vector<float>>(output.Slice(2 * n + start, count));
        Span<Vector<float>> t = stackalloc Vector<float>[terms];
        for (int i = 0; i < r.Length; i++)
        {
            Vector<float> x = r[i], y = g[i], z = b[i];
            t[0] = Vector<float>.One; t[1] = x; t[2] = y; t[3] = z;
            t[4] = x * x; t[5] = y * y; t[6] = z * z; t[7] = x * y; t[8] = x * z; t[9] = y * z;
            Vector<float> a0 = Vector<float>.Zero, a1 = Vector<float>.Zero, a2 = Vector<float>.Zero;
            for (int k = 0; k < terms; k++)
            {
                a0 += new Vector<float>(m[k]) * t[k];
                a1 += new Vector<float>(m[terms + k]) * t[k];
                a2 += new Vector<float>(m[2 * terms + k]) * t[k];
            }
            (o0[i], o1[i], o2[i]) = (a0, a1, a2);
        }
        var map = new QuadraticColorMap(m);
        for (int p = start + r.Length * Vector<float>.Count; p < start + count; p++)
            (output[p], output[n + p], output[2 * n + p]) = map.Map(source[p], source[n + p], source[2 * n + p]);
    }

    /// <summary>out_c = m[4c] r + m[4c+1] g + m[4c+2] b + m[4c+3] over one row of planar pixels, a vector of pixels at a time.</summary>
    private static void AffineRow(float[] m, ReadOnlySpan<float> source, Span<float> output, int n, int start, int count)
    {
        var r = MemoryMarshal.Cast<float, Vector<float>>(source.Slice(start, count));
        var g = MemoryMarshal.Cast<float, Vector<float>>(source.Slice(n + start, count));
        var b = MemoryMarshal.Cast<float, Vector<float>>(source.Slice(2 * n + start, count));
        for (int c = 0; c < 3; c++)
        {
            var o = MemoryMarshal.Cast<float, Vector<float>>(output.Slice(c * n + start, count));
            Vector<float> mr = new(m[4 * c]), mg = new(m[4 * c + 1]), mb = new(m[4 * c + 2]), mo = new(m[4 * c + 3]);
            for (int i = 0; i < o.Length; i++) o[i] = mr * r[i] + mg * g[i] + mb * b[i] + mo;
            for (int p = start + o.Length * Vector<float>.Count; p < start + count; p++)
                output[c * n + p] = m[4 * c] * source[p] + m[4 * c + 1] * source[n + p] + m[4 * c + 2] * source[2 * n + p] + m[4 * c + 3];
        }
    }
}
