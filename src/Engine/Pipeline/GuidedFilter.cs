namespace GpuColorTransfer.Engine.Pipeline;

/// <summary>
/// He, Sun and Tang's guided filter (ECCV 2010): the output q = a I + b, with (a_k, b_k) the
/// least-squares fit of the input p to the guide I over each (2r+1)^2 window w_k (eqs. 7-8:
/// a_k = cov_k(I, p) / (var_k(I) + epsilon), b_k = mean_k(p) - a_k mean_k(I)) averaged over the windows
/// holding the pixel (eq. 10): the output follows the guide's edges and is smoothed where the guide is flat.
/// Its coefficients are what <see cref="ChromaField"/> keeps.
/// </summary>
internal static class GuidedFilter
{
    /// <summary>The window-averaged coefficients mean(a) and mean(b) of eq. 10 at every pixel, which may be resampled before they are applied to a guide of another size (He and Sun's fast guided filter, 2015).</summary>
    public static void Coefficients(ReadOnlySpan<float> guide, ReadOnlySpan<float> input, Span<float> slopes, Span<float> offsets, int w, int h, int r, float epsilon)
    {
        int n = w * h;
        var i = guide.ToArray();
        var p = input.ToArray();
        var ip = new float[n];
        var ii = new float[n];
        for (int k = 0; k < n; k++) { ip[k] = i[k] * p[k]; ii[k] = i[k] * i[k]; }
        var meanI = Box(i, w, h, r);
        var meanP = Box(p, w, h, r);
        var meanIp = Box(ip, w, h, r);
        var meanIi = Box(ii, w, h, r);
        var a = new float[n];
        var b = new float[n];
        for (int k = 0; k < n; k++)
        {
            float variance = meanIi[k] - meanI[k] * meanI[k], covariance = meanIp[k] - meanI[k] * meanP[k];
            a[k] = covariance / (variance + epsilon);
            b[k] = meanP[k] - a[k] * meanI[k];
        }
        Box(a, w, h, r).CopyTo(slopes);
        Box(b, w, h, r).CopyTo(offsets);
    }

    /// <summary>The mean over each pixel's (2r+1)^2 window, clipped at the borders (summed-area table).</summary>
    private static float[] Box(float[] x, int w, int h, int r)
    {
        var sum = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++)
        {
            double row = 0;
            for (int xx = 0; xx < w; xx++)
            {
                row += x[y * w + xx];
                sum[(y + 1) * (w + 1) + xx + 1] = sum[y * (w + 1) + xx + 1] + row;
            }
        }
        var mean = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            int y0 = Math.Max(0, y - r), y1 = Math.Min(h, y + r + 1);
            for (int xx = 0; xx < w; xx++)
            {
                int x0 = Math.Max(0, xx - r), x1 = Math.Min(w, xx + r + 1);
                double s = sum[y1 * (w + 1) + x1] - sum[y0 * (w + 1) + x1] - sum[y1 * (w + 1) + x0] + sum[y0 * (w + 1) + x0];
                mean[y * w + xx] = (float)(s / ((y1 - y0) * (x1 - x0)));
            }
        }
        return mean;
    }
}
