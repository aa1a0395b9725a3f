namespace GpuColorTransfer.Kernels;

/// <summary>
/// A 3x3 matrix of doubles with value semantics, usable in kernels (no arrays, so no local
/// memory, no software-emulated double functions): products, means, inverse by the adjugate, and
/// the square root of a symmetric positive definite matrix by the Denman-Beavers iteration.
/// </summary>
public readonly struct Matrix3(double m00, double m01, double m02, double m10, double m11, double m12, double m20, double m21, double m22)
{
    /// <summary>Row 0.</summary>
    public readonly double M00 = m00, M01 = m01, M02 = m02;
    /// <summary>Row 1.</summary>
    public readonly double M10 = m10, M11 = m11, M12 = m12;
    /// <summary>Row 2.</summary>
    public readonly double M20 = m20, M21 = m21, M22 = m22;

    /// <summary>The identity.</summary>
    public static Matrix3 Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>The symmetric matrix with this upper triangle.</summary>
    public static Matrix3 Symmetric(double a00, double a01, double a02, double a11, double a12, double a22) =>
        new(a00, a01, a02, a01, a11, a12, a02, a12, a22);

    /// <summary>The matrix product.</summary>
    public static Matrix3 operator *(Matrix3 a, Matrix3 b) => new(
        a.M00 * b.M00 + a.M01 * b.M10 + a.M02 * b.M20, a.M00 * b.M01 + a.M01 * b.M11 + a.M02 * b.M21, a.M00 * b.M02 + a.M01 * b.M12 + a.M02 * b.M22,
        a.M10 * b.M00 + a.M11 * b.M10 + a.M12 * b.M20, a.M10 * b.M01 + a.M11 * b.M11 + a.M12 * b.M21, a.M10 * b.M02 + a.M11 * b.M12 + a.M12 * b.M22,
        a.M20 * b.M00 + a.M21 * b.M10 + a.M22 * b.M20, a.M20 * b.M01 + a.M21 * b.M11 + a.M22 * b.M21, a.M20 * b.M02 + a.M21 * b.M12 + a.M22 * b.M22);

    /// <summary>(a + b) / 2, element-wise.</summary>
    public static Matrix3 Mean(Matrix3 a, Matrix3 b) => new(
        (a.M00 + b.M00) / 2, (a.M01 + b.M01) / 2, (a.M02 + b.M02) / 2,
        (a.M10 + b.M10) / 2, (a.M11 + b.M11) / 2, (a.M12 + b.M12) / 2,
        (a.M20 + b.M20) / 2, (a.M21 + b.M21) / 2, (a.M22 + b.M22) / 2);

    /// <summary>s times the matrix.</summary>
    public Matrix3 Scale(double s) => new(s * M00, s * M01, s * M02, s * M10, s * M11, s * M12, s * M20, s * M21, s * M22);

    /// <summary>The trace.</summary>
    public double Trace => M00 + M11 + M22;

    /// <summary>The inverse, as the adjugate over the determinant.</summary>
    public Matrix3 Inverse()
    {
        double c00 = M11 * M22 - M12 * M21, c01 = M02 * M21 - M01 * M22, c02 = M01 * M12 - M02 * M11;
        double c10 = M12 * M20 - M10 * M22, c11 = M00 * M22 - M02 * M20, c12 = M02 * M10 - M00 * M12;
        double c20 = M10 * M21 - M11 * M20, c21 = M01 * M20 - M00 * M21, c22 = M00 * M11 - M01 * M10;
        double det = M00 * c00 + M01 * c10 + M02 * c20;
        return new Matrix3(c00, c01, c02, c10, c11, c12, c20, c21, c22).Scale(1 / det);
    }

    /// <summary>Denman-Beavers iterations of <see cref="SquareRoot"/>: quadratic convergence, 1e-15 well before.</summary>
    private const int Iterations = 30;

    /// <summary>
    /// The square root S of a symmetric positive definite matrix, by the Denman-Beavers iteration
    /// Y' = (Y + Z^-1) / 2, Z' = (Z + Y^-1) / 2 (Y to S, Z to S^-1) from Y = A / t, Z = I (t the mean
    /// eigenvalue, so that the iteration starts near 1), then S = sqrt(t) Y.
    /// </summary>
    public static Matrix3 SquareRoot(Matrix3 a)
    {
        double t = a.Trace / 3;
        Matrix3 y = a.Scale(1 / t), z = Identity;
        for (int k = 0; k < Iterations; k++)
        {
            var yInverse = y.Inverse();
            y = Mean(y, z.Inverse());
            z = Mean(z, yInverse);
        }
        return y.Scale(Math.Sqrt(t));
    }
}
