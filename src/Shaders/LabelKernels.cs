using ILGPU;

namespace GpuColorTransfer.Shaders;

/// <summary>
/// Pixel counts per label of a label map: superpixel sizes for the mean super-features
/// (<see cref="VggKernels"/>) and component sizes for SLIC's connectivity enforcement
/// (<see cref="ConnectivityKernels"/>, whose roots are the labels). Chunk-loop style.
/// </summary>
public static class LabelKernels
{
    /// <summary>Pixels per label of a w x h label map (counts must start at zero), a <see cref="PixelRun"/> per thread.</summary>
    public static void Counts(Index1D thread, int chunk, int w, int h, ArrayView<int> labels, ArrayView<int> counts)
    {
        var image = new Rect(0, 0, w, h);
        for (long r = (long)thread.X * chunk; r < PixelRun.Count(image) && r < (thread.X + 1L) * chunk; r++)
        {
            var run = new PixelRun((int)r, image);
            int label = labels[run.Y * w + run.X0], pixels = 0;
            for (int x = run.X0; x < run.X1; x++)
            {
                int l = labels[run.Y * w + x];
                if (l != label)
                {
                    Atomic.Add(ref counts[label], pixels);
                    label = l;
                    pixels = 0;
                }
                pixels++;
            }
            Atomic.Add(ref counts[label], pixels);
        }
    }
}
