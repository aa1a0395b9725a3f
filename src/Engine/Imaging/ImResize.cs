namespace GpuColorTransfer.Engine.Imaging;

/// <summary>The interpolation kernel of <see cref="ImResize"/>.</summary>
public enum ResizeKernel
{
    /// <summary>Triangle, support 2 (MATLAB 'bilinear').</summary>
    Bilinear,
    /// <summary>sinc(x) sinc(x/3) for |x| &lt; 3 (MATLAB 'lanczos3').</summary>
    Lanczos3,
}

/// <summary>
/// MATLAB's imresize(I, [h w], kernel) on float planes: a separable kernel which, when shrinking
/// by a scale s &lt; 1, is widened by 1/s and scaled by s (antialiasing); weights normalised per
/// output sample; out-of-range taps mirrored as MATLAB does. Rows are resized first, then columns.
/// </summary>
internal static unsafe class ImResize
{
    private static double Evaluate(ResizeKernel kernel, double x) => kernel switch
    {
        ResizeKernel.Lanczos3 => Math.Abs(x) < 3
            ? (Math.Sin(Math.PI * x) * Math.Sin(Math.PI * x / 3) + double.Epsilon) / (Math.PI * Math.PI * x * x / 3 + double.Epsilon)
            : 0,
        _ => Math.Max(0, 1 - Math.Abs(x)),
    };

    private static double Support(ResizeKernel kernel) => kernel == ResizeKernel.Lanczos3 ? 6 : 2;

    /// <summary>Contributions of input samples to each output sample: taps per output, indices and weights.</summary>
    internal readonly record struct Kernel(int Taps, int[] Index, float[] Weight);

    internal static Kernel Contributions(int inLength, int outLength, ResizeKernel kernel)
    {
        double scale = (double)outLength / inLength;
        bool antialias = scale < 1;
        double width = antialias ? Support(kernel) / scale : Support(kernel);
        int taps = (int)Math.Ceiling(width) + 2;
        var index = new int[outLength * taps];
        var weight = new float[outLength * taps];
        var w = new double[taps];
        for (int x = 1; x <= outLength; x++)
        {
            double u = x / scale + 0.5 * (1 - 1 / scale);
            int left = (int)Math.Floor(u - width / 2);
            double sum = 0;
            for (int k = 0; k < taps; k++)
            {
                int j = left + k + 1;
                double t = antialias ? scale * (u - j) : u - j;
                w[k] = Evaluate(kernel, t) * (antialias ? scale : 1);
                sum += w[k];
                index[(x - 1) * taps + k] = Mirror(j, inLength) - 1;
            }
            for (int k = 0; k < taps; k++) weight[(x - 1) * taps + k] = (float)(w[k] / sum);
        }
        return new Kernel(taps, index, weight);
    }

    /// <summary>1-based index mirrored into [1, n] like MATLAB's [1:n, n:-1:1] lookup.</summary>
    private static int Mirror(int j, int n)
    {
        int period = 2 * n;
        int m = ((j - 1) % period + period) % period;
        return m < n ? m + 1 : period - m;
    }

    /// <summary>Resizes <paramref name="planes"/> planar images of w x h to ow x oh.</summary>
    public static float[] Resize(float* src, int planes, int w, int h, int ow, int oh, ResizeKernel kernel = ResizeKernel.Bilinear)
    {
        var vertical = Contributions(h, oh, kernel);
        var horizontal = Contributions(w, ow, kernel);
        var mid = new float[planes * w * oh];
        var dst = new float[planes * ow * oh];
        Parallel.For(0, planes * oh, row =>
        {
            int c = row / oh, y = row % oh;
            // Vertical pass, a whole row at a time: mid[x] = sum_k w_k src[row_k][x], the terms added in
            // the same order as one sample at a time (vector lanes are independent samples), so the
            // result is the same to the bit; zero weights are skipped as they would add nothing.
            var m = new Span<float>(mid, c * w * oh + y * w, w);
            m.Clear();
            for (int k = 0; k < vertical.Taps; k++)
            {
                float wt = vertical.Weight[y * vertical.Taps + k];
                if (wt == 0) continue;
                var source = new ReadOnlySpan<float>(src + c * w * h + vertical.Index[y * vertical.Taps + k] * w, w);
                var weight = new System.Numerics.Vector<float>(wt);
                int x = 0;
                for (; x <= w - System.Numerics.Vector<float>.Count; x += System.Numerics.Vector<float>.Count)
                    (new System.Numerics.Vector<float>(m[x..]) + weight * new System.Numerics.Vector<float>(source[x..])).CopyTo(m[x..]);
                for (; x < w; x++) m[x] += wt * source[x];
            }
            for (int x = 0; x < ow; x++)
            {
                float s = 0;
                for (int k = 0; k < horizontal.Taps; k++)
                {
                    float wt = horizontal.Weight[x * horizontal.Taps + k];
                    if (wt != 0) s += wt * m[horizontal.Index[x * horizontal.Taps + k]];
                }
                dst[c * ow * oh + y * ow + x] = s;
            }
        });
        return dst;
    }
}
