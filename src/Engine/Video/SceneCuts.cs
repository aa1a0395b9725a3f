namespace GpuColorTransfer.Engine.Video;

/// <summary>
/// Scene cuts between consecutive frames: the colour histograms of the two frames (4 x 4 x 4 RGB
/// bins over every 4th pixel of every 4th row) differ by more than <see cref="Threshold"/> in total
/// variation (half the L1 distance of the normalised histograms: 0 for equal colour content,
/// 1 for disjoint). Noise, motion and slow changes of light move it little; a cut to another shot
/// moves it far.
/// </summary>
public sealed class SceneCuts(double threshold = SceneCuts.DefaultThreshold)
{
    /// <summary>The default threshold (see docs/performance.md, "Video": measured between noisy stills, pans and cuts).</summary>
    public const double DefaultThreshold = 0.35;

    private double[]? _previous;

    /// <summary>The total variation above which consecutive frames are in different shots.</summary>
    public double Threshold { get; } = threshold;

    /// <summary>The last distance computed (0 for the first frame).</summary>
    public double LastDistance { get; private set; }

    /// <summary>Whether <paramref name="rgb"/> (8-bit RGB, width x height) starts a new shot; the first frame does.</summary>
    public bool IsCut(ReadOnlySpan<byte> rgb, int width, int height)
    {
        var histogram = Histogram(rgb, width, height);
        bool cut = _previous is null;
        LastDistance = 0;
        if (_previous is not null)
        {
            double d = 0;
            for (int i = 0; i < histogram.Length; i++) d += Math.Abs(histogram[i] - _previous[i]);
            LastDistance = d / 2;
            cut = LastDistance > Threshold;
        }
        _previous = histogram;
        return cut;
    }

    /// <summary>The normalised 64-bin RGB histogram of a subsample of the frame.</summary>
    public static double[] Histogram(ReadOnlySpan<byte> rgb, int width, int height)
    {
        var h = new double[64];
        int count = 0;
        for (int y = 0; y < height; y += 4)
            for (int x = 0; x < width; x += 4)
            {
                int p = 3 * (y * width + x);
                h[(rgb[p] >> 6) * 16 + (rgb[p + 1] >> 6) * 4 + (rgb[p + 2] >> 6)]++;
                count++;
            }
        for (int i = 0; i < h.Length; i++) h[i] /= count;
        return h;
    }
}
