using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Pipeline;

/// <summary>
/// The pieces of colourisation that are not the matching (which <see cref="ColorTransfer.Colorize"/>
/// runs): telling a grey image, its luma copy, and the output made of the target's own lightness with
/// the chroma (CIELAB a*, b*) of the fused image at the working size, upsampled.
/// </summary>
internal static class Colorization
{
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

    /// <summary>
    /// The target's CIELAB lightness with the chroma of <paramref name="fused"/> (the target matched at
    /// the working size), the chroma resized to the target's size.
    /// </summary>
    public static RgbImage Compose(RgbImage target, RgbImage fused)
    {
        var lab = Methods.Reinhard.ToLab(fused);
        int m = fused.PixelCount;
        var chroma = new RgbImage(fused.Width, fused.Height);
        Array.Copy(lab, m, chroma.Planes, 0, 2 * m);
        var upsampled = chroma.Width == target.Width && chroma.Height == target.Height ? chroma : chroma.Resize(target.Width, target.Height);
        var t = Methods.Reinhard.ToLab(target);
        int n = target.PixelCount;
        var result = new RgbImage(target.Width, target.Height);
        var o = result.Planes;
        var c = upsampled.Planes;
        ParallelBlocks.For(n, (start, end) =>
        {
            for (int i = start; i < end; i++) ColorMath.LabToRgb(t[i], c[i], c[n + i], out o[i], out o[n + i], out o[2 * n + i]);
        });
        return result;
    }
}
