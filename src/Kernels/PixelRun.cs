namespace GpuColorTransfer.Kernels;

/// <summary>
/// A run of up to <see cref="Length"/> pixels of one column of a rectangle: the unit of work of the
/// kernels that add pixels into per-superpixel sums. Superpixels are compact, so a run meets one to
/// three of them and its thread issues one atomic per superpixel met rather than one per pixel.
/// Consecutive runs are side by side in a row of runs, so the threads of a warp read 32
/// neighbouring pixels of a row at each step: one memory transaction per warp and plane (runs along
/// rows made each lane read its own cache line, and the lines were evicted before their next use:
/// measured on an H200, SLIC's sums took 0.57 ms per iteration at 3840x2160, 13x the bytes needed).
/// </summary>
public readonly struct PixelRun
{
    /// <summary>Pixels per run.</summary>
    public const int Length = 32;

    /// <summary>The column.</summary>
    public readonly int X;

    /// <summary>The first row.</summary>
    public readonly int Y0;

    /// <summary>One past the last row.</summary>
    public readonly int Y1;

    /// <summary>Run <paramref name="index"/> of <paramref name="area"/>: rows of runs, each row of runs left to right.</summary>
    public PixelRun(int index, Rect area)
    {
        X = area.X0 + index % area.Width;
        Y0 = area.Y0 + index / area.Width * Length;
        Y1 = Y0 + Length < area.Y1 ? Y0 + Length : area.Y1;
    }

    /// <summary>Runs in <paramref name="area"/>.</summary>
    public static long Count(Rect area) => (long)area.Width * ((area.Height + Length - 1) / Length);
}
