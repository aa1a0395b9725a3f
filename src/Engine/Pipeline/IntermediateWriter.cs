using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;

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

    /// <summary>The names of the pictures (NAME.png), in the order they are written; the attention is left out when the matrix is above <see cref="MaxAttentionEntries"/>.</summary>
    public static readonly IReadOnlyList<string> Names = ["superpixels_target", "superpixels_reference", "direct_matching", "attention", "fused_before_regrain"];

    private readonly OutputSet _outputs;
    private readonly string _folder;

    /// <summary>
    /// Writes into <paramref name="folder"/> (created if missing) through <paramref name="outputs"/>:
    /// every picture is checked there before any work and appears when the caller commits the set.
    /// </summary>
    public IntermediateWriter(OutputSet outputs, string folder)
    {
        _outputs = outputs;
        _folder = folder;
        outputs.AddFolder(folder);
        foreach (string name in Names) outputs.Add(PathOf(name));
    }

    private string PathOf(string name) => Path.Combine(_folder, name + ".png");

    /// <summary>Writes an image as NAME.png.</summary>
    internal void Image(string name, RgbImage image) => _outputs.Write(PathOf(name), ImageCodec.Encoder(image, PathOf(name)));

    /// <summary>The image with the superpixel boundaries drawn in yellow.</summary>
    internal void Superpixels(string name, RgbImage image, int[] labels) => Image(name, DrawBoundaries(image, labels));

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

    /// <summary>Each target superpixel painted with its matched colour C(i) (<see cref="MatchedColors"/>' values).</summary>
    internal void DirectMatching(int width, int height, int[] labels, float[] c)
    {
        var img = new RgbImage(width, height);
        int n = labels.Length;
        for (int p = 0; p < n; p++)
            for (int k = 0; k < 3; k++) img.Planes[k * n + p] = c[MatchedColors.Stride * labels[p] + k];
        Image(Names[2], img);
    }

    /// <summary>A (target superpixels as rows, reference as columns), each row scaled by its maximum, at most 1024 pixels a side.</summary>
    internal void Attention(float[] a, int rows, int cols)
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
        Image(Names[3], img);
    }
}
