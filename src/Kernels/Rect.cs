namespace GpuColorTransfer.Kernels;

/// <summary>
/// An axis-aligned rectangle [X0, X1) x [Y0, Y1) in the pixel grid of one resolution level; also
/// the region a device feature buffer covers (planar, row-major, Width x Height per channel).
/// </summary>
public readonly record struct Rect(int X0, int Y0, int X1, int Y1)
{
    /// <summary>Columns covered.</summary>
    public int Width => X1 - X0;

    /// <summary>Rows covered.</summary>
    public int Height => Y1 - Y0;

    /// <summary>Width x Height (zero when empty).</summary>
    public int Area => IsEmpty ? 0 : Width * Height;

    /// <summary>True when it covers no pixel.</summary>
    public bool IsEmpty => X1 <= X0 || Y1 <= Y0;

    /// <summary>True when (x, y) lies inside.</summary>
    public bool Contains(int x, int y) => x >= X0 && x < X1 && y >= Y0 && y < Y1;

    /// <summary>Offset of (x, y) in a plane laid out over this rectangle.</summary>
    public int Offset(int x, int y) => (y - Y0) * Width + (x - X0);

    /// <summary>Grown by <paramref name="by"/> pixels on every side.</summary>
    public Rect Expand(int by) => new(X0 - by, Y0 - by, X1 + by, Y1 + by);

    /// <summary>The common part.</summary>
    public Rect Intersect(Rect o) => new(Math.Max(X0, o.X0), Math.Max(Y0, o.Y0), Math.Min(X1, o.X1), Math.Min(Y1, o.Y1));

    /// <summary>The smallest rectangle holding both (an empty one is ignored).</summary>
    public Rect Union(Rect o) => IsEmpty ? o : o.IsEmpty ? this
        : new(Math.Min(X0, o.X0), Math.Min(Y0, o.Y0), Math.Max(X1, o.X1), Math.Max(Y1, o.Y1));

    /// <summary>The empty rectangle.</summary>
    public static readonly Rect Empty = new(0, 0, 0, 0);
}
