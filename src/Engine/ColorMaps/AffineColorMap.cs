namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>
/// An affine colour map F(x) = A x + b (a 3 x 4 matrix, row-major [A | b]), fitted by robust
/// least squares: iteratively reweighted with Cauchy weights (<see cref="ColorPairs.Reweight"/>).
/// </summary>
public sealed class AffineColorMap(float[] matrix) : IColorMap
{
    /// <summary>Row-major 3 x 4: [A | b].</summary>
    public float[] Matrix { get; } = matrix.Length == 12 ? matrix : throw new ArgumentException("a 3 x 4 matrix has 12 entries", nameof(matrix));

    /// <summary>The identity map.</summary>
    public static AffineColorMap Identity => new([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);

    /// <inheritdoc />
    public (float R, float G, float B) Map(float r, float g, float b)
    {
        var m = Matrix;
        return (m[0] * r + m[1] * g + m[2] * b + m[3], m[4] * r + m[5] * g + m[6] * b + m[7], m[8] * r + m[9] * g + m[10] * b + m[11]);
    }

    /// <summary>Fits the map to <paramref name="pairs"/> with <paramref name="iterations"/> reweightings after the least-squares start.</summary>
    /// <param name="pairs">The pairs.</param>
    /// <param name="iterations">Reweightings.</param>
    /// <param name="use">Which pairs take part (all when null).</param>
    public static AffineColorMap Fit(ColorPairs pairs, int iterations = 5, bool[]? use = null)
    {
        int n = pairs.Count;
        var w = (float[])pairs.Weights.Clone();
        Mask(w, use);
        var fit = Solve(pairs, w);
        for (int it = 0; it < iterations && n > 4; it++)
        {
            pairs.Reweight(fit, w);
            Mask(w, use);
            fit = Solve(pairs, w);
        }
        return fit;
    }

    /// <summary>Zeroes the weights of the pairs left out.</summary>
    internal static void Mask(float[] weights, bool[]? use)
    {
        if (use is null) return;
        for (int k = 0; k < weights.Length; k++) if (!use[k]) weights[k] = 0;
    }

    /// <summary>Weighted normal equations (X^T W X) m = X^T W y for each output channel, with a tiny ridge towards the identity.</summary>
    private static AffineColorMap Solve(ColorPairs pairs, float[] w)
    {
        var xtx = new double[4, 4];
        var xty = new double[4, 3];
        Span<double> x = stackalloc double[4];
        for (int k = 0; k < pairs.Count; k++)
        {
            x[0] = pairs.From[3 * k]; x[1] = pairs.From[3 * k + 1]; x[2] = pairs.From[3 * k + 2]; x[3] = 1;
            double wk = w[k];
            for (int i = 0; i < 4; i++)
            {
                double wx = wk * x[i];
                for (int j = 0; j < 4; j++) xtx[i, j] += wx * x[j];
                for (int c = 0; c < 3; c++) xty[i, c] += wx * pairs.To[3 * k + c];
            }
        }
        // Ridge 1e-6 x total weight, towards the identity: keeps the system solvable for flat data.
        double total = 0;
        for (int k = 0; k < pairs.Count; k++) total += w[k];
        double ridge = 1e-6 * Math.Max(total, 1);
        for (int i = 0; i < 4; i++)
        {
            xtx[i, i] += ridge;
            if (i < 3) xty[i, i] += ridge;
        }
        var a = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(xtx);
        var rhs = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(xty);
        var solution = a.Cholesky().Solve(rhs);
        var m = new float[12];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 4; i++) m[4 * c + i] = (float)solution[i, c];
        return new AffineColorMap(m);
    }
}
