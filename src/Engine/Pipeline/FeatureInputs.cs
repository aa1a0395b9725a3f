using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.Pipeline;

/// <summary>
/// What the VGG-19 features of an image are computed from (<see cref="FeatureInput"/>): the
/// image, or its standardised copy, in which each channel has mean 0.5 and standard deviation 0.2
/// over the image, so that a global cast, a per-channel gain or a contrast change (what a look does
/// everywhere alike) leaves the features as they were; or both, side by side.
/// </summary>
internal static class FeatureInputs
{
    /// <summary>Mean and standard deviation of every channel of a standardised image.</summary>
    public const float Mean = 0.5f, Deviation = 0.2f;

    /// <summary>
    /// The standardised copy: each channel c of the image as Mean + Deviation (x - mu_c) / sigma_c,
    /// mu_c and sigma_c its mean and standard deviation over the image (sigma at least 1/1000, so
    /// that a flat channel stays flat instead of its noise being amplified without bound).
    /// </summary>
    public static RgbImage Standardised(RgbImage image)
    {
        int n = image.PixelCount;
        var result = new RgbImage(image.Width, image.Height);
        for (int c = 0; c < 3; c++)
        {
            var source = image.Planes.AsSpan(c * n, n);
            var plane = result.Planes.AsSpan(c * n, n);
            double sum = 0, square = 0;
            foreach (float v in source)
            {
                sum += v;
                square += (double)v * v;
            }
            double mean = sum / Math.Max(n, 1), deviation = Math.Sqrt(Math.Max(square / Math.Max(n, 1) - mean * mean, 0));
            float scale = (float)(Deviation / Math.Max(deviation, 1e-3));
            for (int i = 0; i < n; i++) plane[i] = Mean + scale * (source[i] - (float)mean);
        }
        return result;
    }
}
