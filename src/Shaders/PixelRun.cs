namespace GpuColorTransfer.Shaders;

/// <summary>
/// A run of up to <see cref="Length"/> pixels of one row of a rectangle: the unit of work of the
/// kernels that add pixels into per-superpixel sums. Superpixels are compact, so a run meets one to
/// three of them and its thread issues one atomic per superpixel met rather than one per pixel.
/// </summary>
public readonly struct PixelRun
{
    /// <summary>Pixels per run.</summary>
    public const int Length = 32;

    /// <summary>The row.</summary>
    public readonly int Y;

    /// <summary>The first column.</summary>
    public readonly int X0;

    /// <summary>One past the last column.</summary>
    public readonly int X1;

    /// <summary>Run <paramref name="index"/> of <paramref name="area"/>, rows first.</summary>
    public PixelRun(int index, Rect area)
    {
        int perRow = PerRow(area);
        Y = area.Y0 + index / perRow;
        X0 = area.X0 + index % perRow * Length;
        X1 = X0 + Length < area.X1 ? X0 + Length : area.X1;
    }

    /// <summary>Runs per row of <paramref name="area"/>.</summary>
    public static int PerRow(Rect area) => (area.Width + Length - 1) / Length;

    /// <summary>Runs in <paramref name="area"/>.</summary>
    public static long Count(Rect area) => (long)PerRow(area) * area.Height;
}
