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
        var mean = Vector<double>.Build.Dense(3);
        var cov = Matrix<double>.Build.Dense(3, 3);
        for (int i = 0; i < n; i++)
            for (int a = 0; a < 3; a++)
            {
                mean[a] += p[a * n + i];
                for (int b = 0; b < 3; b++) cov[a, b] += (double)p[a * n + i] * p[b * n + i];
            }
        mean /= n;
        cov = cov / n - mean.OuterProduct(mean);
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
        for (int i = 0; i < n; i++)
            for (int b = 0; b < 3; b++)
            {
                double v = mr[b];
                for (int a = 0; a < 3; a++) v += (s[a * n + i] - mt[a]) * t[a, b];
                o[b * n + i] = (float)v;
            }
        result.Clamp();
        return result;
    }
}
