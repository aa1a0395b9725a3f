using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Backends.Cpu;

/// <summary>A feature map restricted to a rectangle: channels-last (HWC) floats.</summary>
internal sealed class FeatureTile(Rect region, int channels)
{
    public Rect Region { get; } = region;
    public int Channels { get; } = channels;
    public float[] Data { get; } = new float[Math.Max(0, region.Width * region.Height * channels)];

    /// <summary>Offset of the feature vector at (x, y) given in level coordinates.</summary>
    public int Offset(int x, int y) => ((y - Region.Y0) * Region.Width + (x - Region.X0)) * Channels;
}
