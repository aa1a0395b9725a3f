using System.Numerics.Tensors;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Imaging;
using MathNet.Numerics.LinearAlgebra;

namespace GpuColorTransfer.Engine.Methods;

/// <summary>
/// Iterative distribution transfer (Pitié, Kokaram and Dahyot 2005/2007, colour_transfer_IDT.m):
/// at each iteration the colours of both images are projected on six axes (the RGB axes and
/// three diagonals, then a random rotation of them), the target's 1-D distribution on each axis
/// is matched to the reference's through their cumulative 300-bin histograms, and the colours
/// move by the least-squares back-projection of the six displacements. Followed by Pitié's regrain
/// on a backend when one is given. The rotations come from a fixed seed: results are reproducible.
/// </summary>
/// <param name="regrain">The backend that regrains the result (<see cref="IBackend.Regrain"/>); null for none.</param>
/// <param name="smoothness">The regrain's smoothness.</param>
/// <param name="iterations">Rotations of the six axes.</param>
/// <param name="bins">Histogram bins per axis.</param>
/// <param name="seed">Seed of the random rotations.</param>
public sealed class Idt(IBackend? regrain = null, float smoothness = 1f, int iterations = 10, int bins = 300, int seed = 0) : IColorTransferMethod
{
    /// <inheritdoc />
    public string Name => "idt";

    /// <summary>The six projection axes of every iteration, rows of 6x3 matrices.</summary>
    public IReadOnlyList<Matrix<double>> Rotations { get; } = MakeRotations(iterations, seed);

    private static List<Matrix<double>> MakeRotations(int iterations, int seed)
    {
        var first = Matrix<double>.Build.DenseOfArray(new double[,]
        {
            { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 },
            { 2.0 / 3, 2.0 / 3, -1.0 / 3 }, { 2.0 / 3, -1.0 / 3, 2.0 / 3 }, { -1.0 / 3, 2.0 / 3, 2.0 / 3 },
        });
        var rng = new Random(seed);
        var list = new List<Matrix<double>> { first };
        for (int i = 1; i < iterations; i++)
        {
            var gauss = Matrix<double>.Build.Dense(3, 3, (_, _) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            list.Add(first * gauss.QR().Q);
        }
        return list;
    }

    /// <summary>
    /// The bin-index map f that takes histogram pX to pY: f(k) = PY^-1(PX(k)) on the cumulative
    /// distributions (each bin + 1e-6, normalised), by linear interpolation, clamped to the ends.
    /// </summary>
    public static double[] PdfTransfer1D(double[] px, double[] py)
    {
        int n = px.Length;
        double[] cx = new double[n], cy = new double[n];
        double sx = 0, sy = 0;
        for (int k = 0; k < n; k++) { sx += px[k] + 1e-6; sy += py[k] + 1e-6; cx[k] = sx; cy[k] = sy; }
        for (int k = 0; k < n; k++) { cx[k] /= sx; cy[k] /= sy; }
        var f = new double[n];
        int j = 0;
        for (int k = 0; k < n; k++)
        {
            if (cx[k] <= cy[0]) { f[k] = 0; continue; }
            if (cx[k] >= cy[n - 1]) { f[k] = n - 1; continue; }
            while (j < n - 2 && cy[j + 1] < cx[k]) j++;
            while (j > 0 && cy[j] > cx[k]) j--;
            f[k] = j + (cx[k] - cy[j]) / (cy[j + 1] - cy[j]);
        }
        return f;
    }

    /// <inheritdoc />
    public RgbImage Transfer(RgbImage target, RgbImage reference)
    {
        int n = target.PixelCount, m = reference.PixelCount;
        var x = (float[])target.Planes.Clone();
        var projected = new float[n];
        var moved = new float[6 * n];
        var referenceProjected = new float[m];
        foreach (var rotation in Rotations)
        {
            var rot = rotation.ToRowMajorArray().Select(v => (float)v).ToArray();
            var back = rotation.PseudoInverse().ToRowMajorArray().Select(v => (float)v).ToArray();
            for (int axis = 0; axis < rotation.RowCount; axis++)
            {
                float r0 = (float)rotation[axis, 0], r1 = (float)rotation[axis, 1], r2 = (float)rotation[axis, 2];
                Project(x, n, r0, r1, r2, projected);
                Project(reference.Planes, m, r0, r1, r2, referenceProjected);
                MatchAxis(projected, referenceProjected, moved, axis * n);
            }
            // x += pinv(R) (moved - R x): the least-squares colour displacement of the six matched projections.
            ParallelBlocks.For(n, (start, end) =>
            {
                Span<float> d = stackalloc float[6];
                for (int i = start; i < end; i++)
                {
                    float r = x[i], g = x[n + i], b = x[2 * n + i];
                    for (int a = 0; a < 6; a++) d[a] = moved[a * n + i] - (rot[3 * a] * r + rot[3 * a + 1] * g + rot[3 * a + 2] * b);
                    for (int c = 0; c < 3; c++)
                        x[c * n + i] += back[6 * c] * d[0] + back[6 * c + 1] * d[1] + back[6 * c + 2] * d[2]
                                      + back[6 * c + 3] * d[3] + back[6 * c + 4] * d[4] + back[6 * c + 5] * d[5];
                }
            });
        }
        var result = new RgbImage(target.Width, target.Height, x);
        result.Clamp();
        return regrain is null ? result : Regrain(regrain, target, result);
    }

    private static void Project(float[] planes, int n, float r0, float r1, float r2, float[] into) =>
        ParallelBlocks.For(n, (start, end) =>
        {
            for (int i = start; i < end; i++) into[i] = r0 * planes[i] + r1 * planes[n + i] + r2 * planes[2 * n + i];
        });

    /// <summary>The values of <paramref name="source"/> mapped so that their distribution over the bins follows <paramref name="reference"/>'s.</summary>
    private void MatchAxis(float[] source, float[] reference, float[] into, int offset)
    {
        float min = Math.Min(TensorPrimitives.Min(source), TensorPrimitives.Min(reference)) - 1e-6f;
        float max = Math.Max(TensorPrimitives.Max(source), TensorPrimitives.Max(reference)) + 1e-6f;
        float scale = (bins - 1) / (max - min), step = 1 / scale;
        var f = PdfTransfer1D(Histogram(source, min, scale), Histogram(reference, min, scale));
        // Piecewise-linear interpolation of f between bin centres, in value units.
        var start = new float[bins];
        var slope = new float[bins];
        for (int k = 0; k < bins - 1; k++)
        {
            start[k] = (float)(f[k] * step + min);
            slope[k] = (float)(f[k + 1] - f[k]);
        }
        ParallelBlocks.For(source.Length, (first, end) =>
        {
            for (int i = first; i < end; i++)
            {
                float t = (source[i] - min) * scale;
                int k = Math.Clamp((int)t, 0, bins - 2);
                into[offset + i] = start[k] + (t - k) * slope[k] * step;
            }
        });
    }

    /// <summary>Counts of the values at each bin centre (nearest centre, as MATLAB's hist(v, centres)).</summary>
    private double[] Histogram(float[] values, float min, float scale)
    {
        var total = new double[bins];
        ParallelBlocks.For(values.Length, (first, end) =>
        {
            var h = new int[bins];
            for (int i = first; i < end; i++) h[(int)((values[i] - min) * scale + 0.5f)]++;
            lock (total) for (int k = 0; k < bins; k++) total[k] += h[k];
        });
        return total;
    }

    private RgbImage Regrain(IBackend backend, RgbImage original, RgbImage transferred)
    {
        using var o = backend.Upload(original);
        using var t = backend.Upload(transferred);
        using var regrained = backend.Regrain(o, t, smoothness);
        return backend.Download(regrained);
    }
}
