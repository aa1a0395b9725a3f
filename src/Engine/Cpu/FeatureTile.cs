namespace GpuColorTransfer.Engine.Cpu;

/// <summary>An axis-aligned rectangle [X0, X1) x [Y0, Y1) in the pixel grid of one resolution level.</summary>
internal readonly record struct Rect(int X0, int Y0, int X1, int Y1)
{
    public int Width => X1 - X0;
    public int Height => Y1 - Y0;
    public bool IsEmpty => X1 <= X0 || Y1 <= Y0;
    public Rect Expand(int by) => new(X0 - by, Y0 - by, X1 + by, Y1 + by);
    public Rect Intersect(Rect o) => new(Math.Max(X0, o.X0), Math.Max(Y0, o.Y0), Math.Min(X1, o.X1), Math.Min(Y1, o.Y1));
    public Rect Union(Rect o) => IsEmpty ? o : o.IsEmpty ? this
        : new(Math.Min(X0, o.X0), Math.Min(Y0, o.Y0), Math.Max(X1, o.X1), Math.Max(Y1, o.Y1));
    public static readonly Rect Empty = new(0, 0, 0, 0);
}

/// <summary>A feature map restricted to a rectangle: channels-last (HWC) floats.</summary>
internal sealed class FeatureTile(Rect region, int channels)
{
    public Rect Region { get; } = region;
    public int Channels { get; } = channels;
    public float[] Data { get; } = new float[Math.Max(0, region.Width * region.Height * channels)];

    /// <summary>Offset of the feature vector at (x, y) given in level coordinates.</summary>
    public int Offset(int x, int y) => ((y - Region.Y0) * Region.Width + (x - Region.X0)) * Channels;
}
