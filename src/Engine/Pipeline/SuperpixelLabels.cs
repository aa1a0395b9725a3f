using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.Pipeline;

/// <summary>A SLIC segmentation on the host (<see cref="ColorTransferEngine.Superpixels"/>): one label in 0..Count-1 per pixel, row-major.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Count">Number of superpixels.</param>
/// <param name="Labels">Width x Height labels, row-major.</param>
public sealed record SuperpixelLabels(int Width, int Height, int Count, int[] Labels)
{
    /// <summary>A copy of <paramref name="image"/> (of this size) with the superpixel boundaries drawn in yellow.</summary>
    public RgbImage DrawnOver(RgbImage image) => IntermediateWriter.DrawBoundaries(image, Labels);

    /// <summary>The labels as a 16-bit grey PNG (R = G = B = label) for <paramref name="path"/>.</summary>
    /// <exception cref="GctException">More than 65536 superpixels, which 16 bits cannot hold.</exception>
    public Action<Stream> PngEncoder(string path) => Count <= 65536
        ? ImageCodec.Gray16PngEncoder(Labels, Width, Height, path)
        : throw new GctException($"{path}: {Count} superpixels do not fit in a 16-bit PNG");
}
