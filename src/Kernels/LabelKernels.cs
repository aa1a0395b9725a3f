using ILGPU;

namespace GpuColorTransfer.Kernels;

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
            int label = labels[run.Y0 * w + run.X], pixels = 0;
            for (int y = run.Y0; y < run.Y1; y++)
            {
                int l = labels[y * w + run.X];
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
    /// and fills it down its column, so the order within a label depends on the threads' timing, its
    /// set of pixels does not.
    /// </summary>
    public static void Group(Index1D thread, int chunk, int w, int h, ArrayView<int> labels, ArrayView<int> cursors, ArrayView<int> order)
    {
        var image = new Rect(0, 0, w, h);
        for (long r = (long)thread.X * chunk; r < PixelRun.Count(image) && r < (thread.X + 1L) * chunk; r++)
        {
            var run = new PixelRun((int)r, image);
            int label = labels[run.Y0 * w + run.X], y0 = run.Y0;
            for (int y = run.Y0; y <= run.Y1; y++)
            {
                if (y < run.Y1 && labels[y * w + run.X] == label) continue;
                int at = Atomic.Add(ref cursors[label], y - y0);
                for (int k = y0; k < y; k++) order[at + k - y0] = k * w + run.X;
                if (y == run.Y1) break;
                label = labels[y * w + run.X];
                y0 = y;
            }
        }
    }
}
