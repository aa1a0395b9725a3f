using MathNet.Numerics.LinearAlgebra;

namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>
/// A second-order polynomial colour map: each output channel a weighted sum of the ten terms
/// 1, r, g, b, r^2, g^2, b^2, rg, rb, gb (a 3 x 10 matrix, row-major), fitted by robust least
/// squares (<see cref="ColorPairs.Reweight"/>) with a ridge on the second-order terms, so that
/// where the pairs do not span a direction the map stays near the affine one.
/// </summary>
public sealed class QuadraticColorMap(float[] matrix) : IColorMap
{
    /// <summary>Terms per output channel.</summary>
    public const int Terms = 10;

    /// <summary>Row-major 3 x 10: for each output channel, the coefficients of 1, r, g, b, rr, gg, bb, rg, rb, gb.</summary>
    public float[] Matrix { get; } = matrix.Length == 3 * Terms ? matrix : throw new ArgumentException("a 3 x 10 matrix has 30 entries", nameof(matrix));

    /// <inheritdoc />
    public (float R, float G, float B) Map(float r, float g, float b)
    {
        Span<float> t = stackalloc float[Terms];
        Fill(t, r, g, b);
        var m = Matrix;
        float x = 0, y = 0, z = 0;
        for (int k = 0; k < Terms; k++)
        {
            x += m[k] * t[k];
            y += m[Terms + k] * t[k];
            z += m[2 * Terms + k] * t[k];
        }
        return (x, y, z);
    }

    /// <summary>An affine or quadratic map as a quadratic one (an affine map has no second-order terms).</summary>
    /// <exception cref="ArgumentException">Another family.</exception>
    public static QuadraticColorMap From(IColorMap map)
    {
        if (map is QuadraticColorMap quadratic) return quadratic;
        if (map is not AffineColorMap affine) throw new ArgumentException($"a {map.GetType().Name} is not a polynomial of degree 2", nameof(map));
        var m = new float[3 * Terms];
        for (int c = 0; c < 3; c++)
        {
            m[Terms * c] = affine.Matrix[4 * c + 3];
            for (int i = 0; i < 3; i++) m[Terms * c + 1 + i] = affine.Matrix[4 * c + i];
        }
        return new QuadraticColorMap(m);
    }

    private static void Fill(Span<float> t, float r, float g, float b)
    {
        t[0] = 1; t[1] = r; t[2] = g; t[3] = b;
        t[4] = r * r; t[5] = g * g; t[6] = b * b; t[7] = r * g; t[8] = r * b; t[9] = g * b;
    }

    /// <summary>
    /// Fits the map to <paramref name="pairs"/> (only the pairs of <paramref name="use"/> when
    /// given) with <paramref name="iterations"/> reweightings; <paramref name="ridge"/> times the
    /// total weight is the penalty on each second-order coefficient.
    /// </summary>
    public static QuadraticColorMap Fit(ColorPairs pairs, double ridge = 1e-3, int iterations = 5, bool[]? use = null)
    {
        var w = (float[])pairs.Weights.Clone();
        AffineColorMap.Mask(w, use);
        var fit = Solve(pairs, w, ridge);
        for (int it = 0; it < iterations && pairs.Count > Terms; it++)
        {
            pairs.Reweight(fit, w);
            AffineColorMap.Mask(w, use);
            fit = Solve(pairs, w, ridge);
        }
        return fit;
    }

    private static QuadraticColorMap Solve(ColorPairs pairs, float[] w, double ridge)
    {
        var xtx = new double[Terms, Terms];
        var xty = new double[Terms, 3];
        Span<float> t = stackalloc float[Terms];
        double total = 0;
        for (int k = 0; k < pairs.Count; k++)
        {
            double wk = w[k];
            if (wk == 0) continue;
            total += wk;
            Fill(t, pairs.From[3 * k], pairs.From[3 * k + 1], pairs.From[3 * k + 2]);
            for (int i = 0; i < Terms; i++)
            {
                double wx = wk * t[i];
                for (int j = i; j < Terms; j++) xtx[i, j] += wx * t[j];
                for (int c = 0; c < 3; c++) xty[i, c] += wx * pairs.To[3 * k + c];
            }
        }
        for (int i = 0; i < Terms; i++)
            for (int j = 0; j < i; j++) xtx[i, j] = xtx[j, i];
        // The second-order terms are pulled to 0, the affine ones (barely) to the identity.
        double scale = Math.Max(total, 1);
        for (int i = 0; i < Terms; i++) xtx[i, i] += (i >= 4 ? ridge : 1e-6) * scale;
        for (int c = 0; c < 3; c++) xty[1 + c, c] += 1e-6 * scale;
        var solution = Matrix<double>.Build.DenseOfArray(xtx).Cholesky().Solve(Matrix<double>.Build.DenseOfArray(xty));
        var m = new float[3 * Terms];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < Terms; i++) m[Terms * c + i] = (float)solution[i, c];
        return new QuadraticColorMap(m);
    }
}
