using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.Pipeline;

/// <summary>
/// Which targets colourisation is for (<see cref="ColorTransfer.Colorize(RgbImage, RgbImage)"/> runs it): telling a
/// grey image, and the luma copy a colour reference is matched by.
/// </summary>
internal static class Colorization
{
    /// <summary>Whether a target is colourised under <paramref name="mode"/>: always, never, or when it is grey (<see cref="IsGrey"/>; auto).</summary>
    public static bool Applies(ColorizeMode mode, RgbImage target) => Applies(mode, () => IsGrey(target));

    /// <summary>Whether a target is colourised under <paramref name="mode"/>: always, never, or when <paramref name="grey"/> says it is grey (auto; asked only then).</summary>
    public static bool Applies(ColorizeMode mode, Func<bool> grey) => mode switch
    {
        ColorizeMode.Always => true,
        ColorizeMode.Never => false,
        _ => grey(),
    };

    /// <summary>
    /// Whether an image is grey: every pixel's channels within 2/255 of each other (a grey JPEG
    /// decoded, or RGB saved from a grey image), a thousandth of the pixels allowed beyond.
    /// </summary>
    public static bool IsGrey(RgbImage image)
    {
        int n = image.PixelCount, off = 0;
        var p = image.Planes;
        const float tolerance = 2.5f / 255f;
        for (int i = 0; i < n; i++)
            if (MathF.Abs(p[i] - p[n + i]) > tolerance || MathF.Abs(p[n + i] - p[2 * n + i]) > tolerance)
                if (++off > n / 1000) return false;
        return true;
    }

    /// <summary>The Rec. 709 luma of an image, in all three channels: what a grey target shares with the reference.</summary>
    public static RgbImage Luma(RgbImage image)
    {
        int n = image.PixelCount;
        var grey = new RgbImage(image.Width, image.Height);
        var s = image.Planes;
        var d = grey.Planes;
        for (int i = 0; i < n; i++)
            d[i] = d[n + i] = d[2 * n + i] = 0.2126f * s[i] + 0.7152f * s[n + i] + 0.0722f * s[2 * n + i];
        return grey;
    }
}
