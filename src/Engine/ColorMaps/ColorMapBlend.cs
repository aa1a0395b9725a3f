namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>
/// A weighted mean of colour maps, F = sum_k w_k F_k / sum_k w_k: exact for maps of one family
/// (affine matrices, quadratic ones, or lattices of one size, are averaged entry by entry: each
/// family is linear in its entries) and for affine maps mixed with quadratic ones (an affine map is
/// a quadratic one without second-order terms); other mixes are sampled on a lattice first.
/// </summary>
public static class ColorMapBlend
{
    /// <summary>Nodes per axis when maps of different families are mixed.</summary>
    public const int MixedLatticeSize = 17;

    /// <summary>The weighted mean of <paramref name="maps"/> (weights non-negative, not all zero).</summary>
    public static IColorMap Mean(IReadOnlyList<(IColorMap Map, double Weight)> maps)
    {
        double total = TotalWeight(maps, nameof(maps));
        if (maps.Count == 1) return maps[0].Map;
        if (maps.All(m => m.Map is AffineColorMap))
            return new AffineColorMap(WeightedMean(maps.Select(m => (((AffineColorMap)m.Map).Matrix, m.Weight)), 12, total));
        if (maps.All(m => m.Map is AffineColorMap or QuadraticColorMap))
            return new QuadraticColorMap(WeightedMean(maps.Select(m => (QuadraticColorMap.From(m.Map).Matrix, m.Weight)), 3 * QuadraticColorMap.Terms, total));
        var lattices = maps.Select(m => (Lattice: m.Map as LatticeColorMap ?? LatticeColorMap.Sample(m.Map, MixedLatticeSize), m.Weight)).ToList();
        int size = lattices[0].Lattice.Size;
        if (lattices.Any(l => l.Lattice.Size != size))
            lattices = [.. lattices.Select(l => (l.Lattice.Size == MixedLatticeSize ? l.Lattice : LatticeColorMap.Sample(l.Lattice, MixedLatticeSize), l.Weight))];
        size = lattices[0].Lattice.Size;
        return new LatticeColorMap(size, WeightedMean(lattices.Select(l => (l.Lattice.Nodes, l.Weight)), 3 * size * size * size, total));
    }

    /// <summary>The sum of the weights of a weighted mean's terms.</summary>
    /// <exception cref="ArgumentException">There are no terms, or their weights sum to zero.</exception>
    internal static double TotalWeight<T>(IReadOnlyList<(T, double Weight)> terms, string parameter)
    {
        if (terms.Count == 0) throw new ArgumentException("nothing to blend", parameter);
        double total = terms.Sum(t => t.Weight);
        return total > 0 ? total : throw new ArgumentException("the weights sum to zero", parameter);
    }

    /// <summary>The weighted mean, entry by entry, of arrays of <paramref name="length"/> values (weights summing to <paramref name="total"/>).</summary>
    internal static float[] WeightedMean(IEnumerable<(float[] Values, double Weight)> entries, int length, double total)
    {
        var sum = new double[length];
        foreach (var (values, weight) in entries)
            for (int i = 0; i < length; i++) sum[i] += weight * values[i];
        return [.. sum.Select(v => (float)(v / total))];
    }
}
