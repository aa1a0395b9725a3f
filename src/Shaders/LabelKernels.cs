using ILGPU;

namespace GpuColorTransfer.Shaders;

/// <summary>
/// Pixel counts per label of a label map: superpixel sizes for the mean super-features
/// (<see cref="VggKernels"/>) and component sizes for SLIC's connectivity enforcement
/// (<see cref="ConnectivityKernels"/>, whose roots are the labels); and the pixels grouped by
/// label, for the fusion (<see cref="FusionKernels.Fuse"/>). Chunk-loop style.
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

    /// <summary>
    /// The pixel indices of a w x h label map grouped by label (a counting sort): cursors[l] must
    /// start at label l's first slot in <paramref name="order"/> (the exclusive scan of
    /// <see cref="Counts"/>). A <see cref="PixelRun"/> per thread reserves one slice per label met
    /// and fills it in row order, so the order within a label depends on the threads' timing, its
    /// set of pixels does not.
    /// </summary>
    public static void Group(Index1D thread, int chunk, int w, int h, ArrayView<int> labels, ArrayView<int> cursors, ArrayView<int> order)
    {
        var image = new Rect(0, 0, w, h);
        for (long r = (long)thread.X * chunk; r < PixelRun.Count(image) && r < (thread.X + 1L) * chunk; r++)
        {
            var run = new PixelRun((int)r, image);
            int row = run.Y * w, label = labels[row + run.X0], x0 = run.X0;
            for (int x = run.X0; x <= run.X1; x++)
            {
                if (x < run.X1 && labels[row + x] == label) continue;
                int at = Atomic.Add(ref cursors[label], x - x0);
                for (int k = x0; k < x; k++) order[at + k - x0] = row + k;
                if (x == run.X1) break;
                label = labels[row + x];
                x0 = x;
            }
        }
    }
}
