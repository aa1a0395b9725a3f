using GpuColorTransfer.Engine.Imaging;
using MathNet.Numerics.LinearAlgebra;

namespace GpuColorTransfer.Engine.Methods;

/// <summary>
/// Pitié and Kokaram, "The linear Monge-Kantorovitch linear colour mapping for example-based
/// colour transfer" (CVMP 2007), in RGB: out = (x - mu_T) T + mu_R with the symmetric
/// T = Sigma_T^-1/2 (Sigma_T^1/2 Sigma_R Sigma_T^1/2)^1/2 Sigma_T^-1/2, the map of least
/// displacement that takes the target's colour covariance to the reference's.
/// </summary>
public sealed class Mkl : IColorTransferMethod
{
    /// <inheritdoc />
    public string Name => "mkl";

    /// <summary>Mean and population covariance of the pixels' colours.</summary>
    public static (Vector<double> Mean, Matrix<double> Covariance) Moments(RgbImage image)
    {
        int n = image.PixelCount;
        var p = image.Planes;
        var sums = new double[3];
        var products = new double[9];
        for (int i = 0; i < n; i++)
        {
            double r = p[i], g = p[n + i], b = p[2 * n + i];
            sums[0] += r; sums[1] += g; sums[2] += b;
            products[0] += r * r; products[1] += r * g; products[2] += r * b;
            products[4] += g * g; products[5] += g * b; products[8] += b * b;
        }
        products[3] = products[1]; products[6] = products[2]; products[7] = products[5];
        var mean = Vector<double>.Build.DenseOfArray(sums) / n;
        var cov = Matrix<double>.Build.DenseOfRowMajor(3, 3, products) / n - mean.OuterProduct(mean);
        return (mean, cov);
    }

    /// <summary>The MKL matrix T taking covariance A to B (regularised like Pitié's code: negative eigenvalues clipped, + eps).</summary>
    public static Matrix<double> Map(Matrix<double> a, Matrix<double> b)
    {
        var ea = a.Evd(Symmetricity.Symmetric);
        var da = Matrix<double>.Build.DiagonalOfDiagonalVector(ea.EigenValues.Real().Map(v => Math.Sqrt(Math.Max(v, 0) + 1e-12)));
        var ua = ea.EigenVectors;
        var c = da * ua.Transpose() * b * ua * da;
        var ec = c.Evd(Symmetricity.Symmetric);
        var dc = Matrix<double>.Build.DiagonalOfDiagonalVector(ec.EigenValues.Real().Map(v => Math.Sqrt(Math.Max(v, 0) + 1e-12)));
        var uc = ec.EigenVectors;
        var daInv = Matrix<double>.Build.DiagonalOfDiagonalVector(da.Diagonal().Map(v => 1 / v));
        return ua * daInv * uc * dc * uc.Transpose() * daInv * ua.Transpose();
    }

    /// <inheritdoc />
    public RgbImage Transfer(RgbImage target, RgbImage reference)
    {
        var (mt, ct) = Moments(target);
        var (mr, cr) = Moments(reference);
        var t = Map(ct, cr);
        int n = target.PixelCount;
        var result = new RgbImage(target.Width, target.Height);
        var s = target.Planes;
        var o = result.Planes;
        var m = t.ToRowMajorArray();
        double[] from = [.. mt], to = [.. mr];
        ParallelBlocks.For(n, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                double r = s[i] - from[0], g = s[n + i] - from[1], b = s[2 * n + i] - from[2];
                for (int c = 0; c < 3; c++) o[c * n + i] = (float)(to[c] + r * m[c] + g * m[3 + c] + b * m[6 + c]);
            }
        });
        return result;
    }
}
