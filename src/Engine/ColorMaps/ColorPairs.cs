using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>
/// Colour correspondences x_k -> y_k with weights, the data a <see cref="IColorMap"/> is fitted to:
/// arrays of n RGB triples (interleaved).
/// </summary>
public sealed class ColorPairs
{
    /// <summary>Source colours, 3 floats per pair.</summary>
    public float[] From { get; }
    /// <summary>Destination colours, 3 floats per pair.</summary>
    public float[] To { get; }
    /// <summary>Weight of each pair (robust fits rescale them).</summary>
    public float[] Weights { get; }
    /// <summary>Number of pairs.</summary>
    public int Count => Weights.Length;

    /// <summary>Wraps interleaved arrays of equal length.</summary>
    public ColorPairs(float[] from, float[] to, float[] weights)
    {
        if (from.Length != 3 * weights.Length || to.Length != from.Length)
            throw new ArgumentException("From and To hold 3 floats per weight");
        From = from;
        To = to;
        Weights = weights;
    }

    /// <summary>
    /// Robust weights for a refit (iteratively reweighted least squares): each pair's weight times
    /// the Cauchy weight 1 / (1 + (r / s)^2) of its residual norm r under <paramref name="fit"/>, with
    /// s = 2.385 times the median residual (95% efficiency under Gaussian noise) but at least 0.02
    /// (5/255), so that the small misfits of a model family are not taken for outliers.
    /// </summary>
    public void Reweight(IColorMap fit, float[] weights)
    {
        var residual = new double[Count];
        for (int k = 0; k < Count; k++)
        {
            var (r, g, b) = fit.Map(From[3 * k], From[3 * k + 1], From[3 * k + 2]);
            double dr = r - To[3 * k], dg = g - To[3 * k + 1], db = b - To[3 * k + 2];
            residual[k] = Math.Sqrt(dr * dr + dg * dg + db * db);
        }
        // The median residual by selection (the same value a sort would give at index n / 2, in linear time).
        double median = Count == 0 ? 0 : MathNet.Numerics.Statistics.ArrayStatistics.OrderStatisticInplace((double[])residual.Clone(), Count / 2 + 1);
        double s = Math.Max(2.385 * median, 0.02);
        for (int k = 0; k < Count; k++)
        {
            double u = residual[k] / s;
            weights[k] = (float)(Weights[k] / (1 + u * u));
        }
    }

    /// <summary>At most <paramref name="count"/> of the pairs, taken on a regular stride (itself when it has no more).</summary>
    public ColorPairs Thinned(int count)
    {
        if (Count <= count) return this;
        int stride = (Count + count - 1) / count, n = (Count + stride - 1) / stride;
        var from = new float[3 * n];
        var to = new float[3 * n];
        var weights = new float[n];
        for (int k = 0; k < n; k++)
        {
            Array.Copy(From, 3 * k * stride, from, 3 * k, 3);
            Array.Copy(To, 3 * k * stride, to, 3 * k, 3);
            weights[k] = Weights[k * stride];
        }
        return new ColorPairs(from, to, weights);
    }

    /// <summary>
    /// The pixel pairs (<paramref name="source"/>(p), <paramref name="destination"/>(p)) of two
    /// images of the same size, at most <paramref name="maxPairs"/> of them taken on a regular
    /// stride (deterministic), each of weight 1.
    /// </summary>
    public static ColorPairs FromImages(RgbImage source, RgbImage destination, int maxPairs = 1 << 15)
    {
        if (source.Width != destination.Width || source.Height != destination.Height)
            throw new ArgumentException("the two images must have the same size");
        int n = source.PixelCount;
        int stride = Math.Max(1, (n + maxPairs - 1) / maxPairs);
        int count = (n + stride - 1) / stride;
        var from = new float[3 * count];
        var to = new float[3 * count];
        for (int k = 0; k < count; k++)
        {
            int p = k * stride;
            for (int c = 0; c < 3; c++)
            {
                from[3 * k + c] = source.Planes[c * n + p];
                to[3 * k + c] = destination.Planes[c * n + p];
            }
        }
        var weights = new float[count];
        Array.Fill(weights, 1f);
        return new ColorPairs(from, to, weights);
    }
}
