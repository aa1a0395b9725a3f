using SkiaSharp;

namespace GpuColorTransfer.Engine.Imaging;

/// <summary>
/// The EXIF orientation of decoded pixels as a linear walk over the stored image: the upright pixel
/// (x, y) is stored pixel <c>Start + x * StepX + y * StepY</c>. One rule for every copy that turns a
/// decoded image upright (float planes, 8-bit rows).
/// </summary>
/// <param name="Width">Upright width.</param>
/// <param name="Height">Upright height.</param>
/// <param name="Start">The stored index of the upright pixel (0, 0).</param>
/// <param name="StepX">The stored index's step per upright column.</param>
/// <param name="StepY">The stored index's step per upright row.</param>
public readonly record struct Orientation(int Width, int Height, long Start, long StepX, long StepY)
{
    /// <summary>Whether the stored image is already upright (no copy needed to turn it).</summary>
    public bool IsUpright => Start == 0 && StepX == 1 && StepY == Width;

    /// <summary>The walk for an image stored <paramref name="w"/> x <paramref name="h"/> with the given EXIF origin.</summary>
    public static Orientation Of(SKEncodedOrigin origin, int w, int h)
    {
        long last = (long)(h - 1) * w; // the first pixel of the stored last row
        return origin switch
        {
            SKEncodedOrigin.TopRight => new(w, h, w - 1, -1, w),
            SKEncodedOrigin.BottomRight => new(w, h, last + w - 1, -1, -w),
            SKEncodedOrigin.BottomLeft => new(w, h, last, 1, -w),
            SKEncodedOrigin.LeftTop => new(h, w, 0, w, 1),
            SKEncodedOrigin.RightTop => new(h, w, last, -w, 1),
            SKEncodedOrigin.RightBottom => new(h, w, last + w - 1, -w, -1),
            SKEncodedOrigin.LeftBottom => new(h, w, w - 1, w, -1),
            _ => new(w, h, 0, 1, w),
        };
    }
}
