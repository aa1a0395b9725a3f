using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Imaging;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Pipeline;

/// <summary>
/// Writes the pictures of a transfer's intermediate steps into a folder: the superpixel maps
/// (boundaries over the image), the direct superpixel matching (paper Figure 4, top), the
/// attention matrix (Figure 4, bottom) and the fused result before regrain.
/// </summary>
public sealed class IntermediateWriter
{
    /// <summary>Largest attention matrix (entries) that is kept for its picture.</summary>
    public const long MaxAttentionEntries = 64L * 1024 * 1024;

    private readonly string _folder;

    /// <summary>Writes into <paramref name="folder"/> (created if missing).</summary>
    public IntermediateWriter(string folder)
    {
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw GctException.ForFile(folder, $"cannot create the folder ({e.Message})", e); }
        _folder = folder;
    }

    /// <summary>Writes an image as NAME.png.</summary>
    public void Image(string name, RgbImage image) => ImageCodec.Encode(image, Path.Combine(_folder, name + ".png"));

    /// <summary>The image with the superpixel boundaries drawn in yellow.</summary>
    public void Superpixels(string name, RgbImage image, SuperpixelMap map) =>
        Image(name, DrawBoundaries(image, map.Labels.GetAsArray1D()));

    /// <summary>Draws the boundaries of a label map over a copy of the image.</summary>
    public static RgbImage DrawBoundaries(RgbImage image, int[] labels)
    {
        var copy = image.Clone();
        copy.Alpha = null;
        int w = image.Width, h = image.Height, n = w * h;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int p = y * w + x;
                bool edge = (x + 1 < w && labels[p + 1] != labels[p]) || (y + 1 < h && labels[p + w] != labels[p]);
                if (!edge) continue;
                copy.Planes[p] = 1f;
                copy.Planes[n + p] = 0.85f;
                copy.Planes[2 * n + p] = 0f;
            }
        return copy;
    }

    /// <summary>Each target superpixel painted with its matched colour C(i).</summary>
    public void DirectMatching(SuperpixelMap map, MatchedColors colors)
    {
        var labels = map.Labels.GetAsArray1D();
        var c = colors.Values.GetAsArray1D();
        var img = new RgbImage(map.Width, map.Height);
        int n = labels.Length;
        for (int p = 0; p < n; p++)
            for (int k = 0; k < 3; k++) img.Planes[k * n + p] = c[MatchedColors.Stride * labels[p] + k];
        Image("direct_matching", img);
    }

    /// <summary>A (target superpixels as rows, reference as columns), each row scaled by its maximum, at most 1024 pixels a side.</summary>
    public void Attention(float[] a, int rows, int cols)
    {
        int h = Math.Min(rows, 1024), w = Math.Min(cols, 1024);
        var img = new RgbImage(w, h);
        int n = w * h;
        var rowMax = new float[rows];
        for (int r = 0; r < rows; r++) rowMax[r] = MathF.Max(System.Numerics.Tensors.TensorPrimitives.Max(a.AsSpan((int)((long)r * cols), cols)), 1e-30f);
        for (int y = 0; y < h; y++)
        {
            int r0 = y * rows / h, r1 = Math.Max((y + 1) * rows / h, r0 + 1);
            for (int x = 0; x < w; x++)
            {
                int c0 = x * cols / w, c1 = Math.Max((x + 1) * cols / w, c0 + 1);
                float v = 0;
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++) v = MathF.Max(v, a[(long)r * cols + c] / rowMax[r]);
                img.Planes[y * w + x] = img.Planes[n + y * w + x] = img.Planes[2 * n + y * w + x] = v;
            }
        }
        Image("attention", img);
    }
}
