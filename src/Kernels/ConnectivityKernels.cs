using ILGPU;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// SLIC's connectivity enforcement (the CPU stage CpuSlic.EnforceConnectivity) as kernels, with the
/// same result: the 4-connected components of equal labels are found by union-find with atomic
/// minimum (each component's root is its first pixel in raster order); a component smaller than
/// the minimum size joins the component of the pixel just before its first pixel (left, or above
/// at the start of a row), and the kept components are numbered in raster order of their first
/// pixel by an exclusive scan of <c>kept</c>. Chunk-loop style.
/// </summary>
public static class ConnectivityKernels
{
    /// <summary>Every pixel its own component: parent[p] = p.</summary>
    public static void Init(Index1D thread, int chunk, int n, ArrayView<int> parent)
    {
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++) parent[p] = p;
    }

    /// <summary>Joins every pixel with its left and upper neighbours of the same label.</summary>
    public static void Link(Index1D thread, int chunk, int w, int h, ArrayView<int> labels, ArrayView<int> parent)
    {
        int n = w * h;
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            if (p % w > 0 && labels[p - 1] == labels[p]) Union(parent, p, p - 1);
            if (p >= w && labels[p - w] == labels[p]) Union(parent, p, p - w);
        }
    }

    /// <summary>Points every pixel straight at its component's root (after <see cref="Link"/>).</summary>
    public static void Flatten(Index1D thread, int chunk, int n, ArrayView<int> parent)
    {
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++) parent[p] = Find(parent, p);
    }

    /// <summary>
    /// kept[p] = 1 for the root of a component of at least <paramref name="minSize"/> pixels (and for
    /// pixel 0, which has no component before it), else 0; a smaller component's root records in
    /// <paramref name="into"/> the root of the pixel just before it.
    /// </summary>
    public static void Keep(Index1D thread, int chunk, int w, int n, int minSize, ArrayView<int> parent, ArrayView<int> sizes,
        ArrayView<int> kept, ArrayView<int> into)
    {
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            bool keep = parent[p] == p && (sizes[p] >= minSize || p == 0);
            kept[p] = keep ? 1 : 0;
            if (parent[p] == p && !keep) into[p] = parent[p % w > 0 ? p - 1 : p - w];
        }
    }

    /// <summary>
    /// The final labels: each pixel's root, followed through the merges of small components (each
    /// step goes to an earlier root, so it ends) to a kept root, numbered by the exclusive scan of
    /// kept (<paramref name="ids"/>).
    /// </summary>
    public static void Relabel(Index1D thread, int chunk, int n, ArrayView<int> parent, ArrayView<int> kept, ArrayView<int> into,
        ArrayView<int> ids, ArrayView<int> result)
    {
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            int r = parent[p];
            while (kept[r] == 0) r = into[r];
            result[p] = ids[r];
        }
    }

    private static int Find(ArrayView<int> parent, int p)
    {
        while (parent[p] != p) p = parent[p];
        return p;
    }

    /// <summary>Merges the components of a and b, the larger root pointing at the smaller (atomic minimum, retried on a race).</summary>
    private static void Union(ArrayView<int> parent, int a, int b)
    {
        while (true)
        {
            a = Find(parent, a);
            b = Find(parent, b);
            if (a == b) return;
            int high = a > b ? a : b, low = a > b ? b : a;
            int old = Atomic.Min(ref parent[high], low);
            if (old == high) return;
            a = old;
            b = low;
        }
    }
}
