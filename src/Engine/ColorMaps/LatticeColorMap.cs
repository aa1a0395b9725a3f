namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>
/// A 3D lookup table: output colours at the nodes of an N x N x N lattice over the RGB cube
/// (node (i, j, k) at (i, j, k) / (N - 1), red fastest: index i + N (j + N k)), interpolated
/// trilinearly; inputs outside [0,1] are clamped onto the cube.
/// </summary>
public sealed class LatticeColorMap : IColorMap
{
    /// <summary>Nodes per axis.</summary>
    public int Size { get; }
    /// <summary>Output colour of each node, 3 floats per node, red fastest.</summary>
    public float[] Nodes { get; }

    /// <summary>Wraps a lattice of <paramref name="size"/>^3 nodes (3 floats each).</summary>
    public LatticeColorMap(int size, float[] nodes)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), "a lattice has at least 2 nodes per axis");
        if (nodes.Length != 3L * size * size * size) throw new ArgumentException("3 floats per node", nameof(nodes));
        Size = size;
        Nodes = nodes;
    }

    /// <summary><paramref name="map"/> sampled at the nodes of a <paramref name="size"/>^3 lattice.</summary>
    public static LatticeColorMap Sample(IColorMap map, int size)
    {
        var nodes = new float[3 * size * size * size];
        float step = 1f / (size - 1);
        for (int k = 0, v = 0; k < size; k++)
            for (int j = 0; j < size; j++)
                for (int i = 0; i < size; i++, v++)
                    (nodes[3 * v], nodes[3 * v + 1], nodes[3 * v + 2]) = map.Map(i * step, j * step, k * step);
        return new LatticeColorMap(size, nodes);
    }

    /// <inheritdoc />
    public (float R, float G, float B) Map(float r, float g, float b)
    {
        Span<int> index = stackalloc int[8];
        Span<float> weight = stackalloc float[8];
        Corners(Size, r, g, b, index, weight);
        float or = 0, og = 0, ob = 0;
        for (int c = 0; c < 8; c++)
        {
            int v = 3 * index[c];
            or += weight[c] * Nodes[v];
            og += weight[c] * Nodes[v + 1];
            ob += weight[c] * Nodes[v + 2];
        }
        return (or, og, ob);
    }

    /// <summary>The 8 nodes around (r, g, b) and their trilinear weights (which sum to 1).</summary>
    public static void Corners(int size, float r, float g, float b, Span<int> index, Span<float> weight)
    {
        int last = size - 1;
        float x = Math.Clamp(float.IsNaN(r) ? 0 : r, 0, 1) * last, y = Math.Clamp(float.IsNaN(g) ? 0 : g, 0, 1) * last, z = Math.Clamp(float.IsNaN(b) ? 0 : b, 0, 1) * last;
        int i = Math.Min((int)x, last - 1), j = Math.Min((int)y, last - 1), k = Math.Min((int)z, last - 1);
        float fx = x - i, fy = y - j, fz = z - k;
        int c = 0;
        for (int dk = 0; dk < 2; dk++)
            for (int dj = 0; dj < 2; dj++)
                for (int di = 0; di < 2; di++, c++)
                {
                    index[c] = i + di + size * (j + dj + size * (k + dk));
                    weight[c] = (di == 1 ? fx : 1 - fx) * (dj == 1 ? fy : 1 - fy) * (dk == 1 ? fz : 1 - fz);
                }
    }
}
