using System.Numerics;

namespace GpuColorTransfer.Engine.Imaging;

/// <summary>
/// A host image: three float planes (R, G, B) of sRGB-encoded values, nominally in [0,1],
/// stored one after the other (plane c at offset c * Width * Height), row-major, plus an
/// optional alpha plane.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Width in pixels.</summary>
    public int Width { get; }
    /// <summary>Height in pixels.</summary>
    public int Height { get; }
    /// <summary>The planes R, G, B, each Width * Height floats.</summary>
    public float[] Planes { get; }
    /// <summary>Alpha in [0,1], or null when the image is opaque.</summary>
    public float[]? Alpha { get; set; }

    /// <summary>Number of pixels.</summary>
    public int PixelCount => Width * Height;

    /// <summary>Creates a black image.</summary>
    public RgbImage(int width, int height)
        : this(width, height, new float[checked(3 * width * height)]) { }

    /// <summary>Wraps existing planes (3 * width * height floats).</summary>
    public RgbImage(int width, int height, float[] planes)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "image sizes must be positive");
        if (planes.Length != 3L * width * height) throw new ArgumentException("planes must hold 3 * width * height floats", nameof(planes));
        Width = width;
        Height = height;
        Planes = planes;
    }

    /// <summary>One colour plane (0 = R, 1 = G, 2 = B).</summary>
    public Span<float> Plane(int c) => Planes.AsSpan(c * PixelCount, PixelCount);

    /// <summary>Clamps every colour value to [0,1] (NaN becomes 0): SIMD, blocks of a million values on all cores.</summary>
    public void Clamp()
    {
        const int Block = 1 << 20;
        var p = Planes;
        Parallel.For(0, (p.Length + Block - 1) / Block, b =>
        {
            var block = p.AsSpan(b * Block, Math.Min(Block, p.Length - b * Block));
            var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector<float>>(block);
            for (int i = 0; i < vectors.Length; i++)
                vectors[i] = Vector.ConditionalSelect(Vector.GreaterThan(vectors[i], Vector<float>.Zero), Vector.Min(vectors[i], Vector<float>.One), Vector<float>.Zero);
            for (int i = vectors.Length * Vector<float>.Count; i < block.Length; i++)
            {
                float v = block[i];
                block[i] = v > 0f ? (v < 1f ? v : 1f) : 0f;
            }
        });
    }

    /// <summary>
    /// This image set to <paramref name="original"/> + <paramref name="strength"/> (this - original):
    /// 0 gives the original, 1 leaves this image as it is. Both images have the same size.
    /// </summary>
    public void BlendFrom(RgbImage original, float strength)
    {
        if (original.Width != Width || original.Height != Height) throw new ArgumentException("the images must have the same size", nameof(original));
        var o = original.Planes;
        var p = Planes;
        Parallel.For(0, 3 * Height, row =>
        {
            for (int i = row * Width, end = i + Width; i < end; i++) p[i] = o[i] + strength * (p[i] - o[i]);
        });
    }

    /// <summary>
    /// This image resized to <paramref name="width"/> x <paramref name="height"/>, antialiased when
    /// shrinking (MATLAB's imresize with the given kernel); alpha is dropped.
    /// </summary>
    public unsafe RgbImage Resize(int width, int height, ResizeKernel kernel = ResizeKernel.Bilinear)
    {
        fixed (float* p = Planes) return new(width, height, ImResize.Resize(p, 3, Width, Height, width, height, kernel));
    }

    /// <summary>Columns [x0, x0 + width) of this image (alpha dropped).</summary>
    public RgbImage CropColumns(int x0, int width)
    {
        var crop = new RgbImage(width, Height);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < Height; y++)
                Array.Copy(Planes, c * PixelCount + y * Width + x0, crop.Planes, c * crop.PixelCount + y * width, width);
        return crop;
    }

    /// <summary>Every value rounded to the nearest of the 256 8-bit levels (as when saved to an 8-bit file).</summary>
    public RgbImage RoundTo8Bits()
    {
        var copy = Clone();
        for (int i = 0; i < copy.Planes.Length; i++) copy.Planes[i] = Imaging.ImageCodec.ToByte(copy.Planes[i]) / 255f;
        return copy;
    }

    /// <summary>A deep copy.</summary>
    public RgbImage Clone() => new(Width, Height, (float[])Planes.Clone()) { Alpha = (float[]?)Alpha?.Clone() };
}
