namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>Fits the colour map family the settings name.</summary>
public static class ColorMapFit
{
    /// <summary>The family of <see cref="TransferSettings.ColorMap"/> fitted to the pairs.</summary>
    public static IColorMap Fit(ColorPairs pairs, TransferSettings settings)
    {
        var affine = AffineColorMap.Fit(pairs);
        return settings.ColorMap switch
        {
            ColorMapKind.Affine => affine,
            ColorMapKind.Lattice => LatticeFit.Fit(pairs, affine, settings.LatticeSize, settings.LatticeSmoothness),
            ColorMapKind.Quadratic => QuadraticColorMap.Fit(pairs),
            _ => PrefersQuadratic(pairs.Thinned(HeldOutPairs)) ? QuadraticColorMap.Fit(pairs) : affine,
        };
    }

    /// <summary>The most pairs the choice of <see cref="ColorMapKind.Auto"/> looks at (the fit itself uses all).</summary>
    public const int HeldOutPairs = 8192;

    /// <summary>
    /// Whether the quadratic family predicts held-out pairs at least 5% better than the affine one
    /// (median residual, 5-fold cross-validation, 2 robust reweightings per fit).
    /// </summary>
    private static bool PrefersQuadratic(ColorPairs pairs) =>
        HeldOutError(pairs, use => QuadraticColorMap.Fit(pairs, iterations: 2, use: use))
        < 0.95 * HeldOutError(pairs, use => AffineColorMap.Fit(pairs, iterations: 2, use: use));

    /// <summary>
    /// The median residual of each pair under the map fitted without its fold (5 folds by index),
    /// over all pairs: how well a family (<paramref name="fit"/>, given which pairs to use) predicts
    /// colours it was not fitted to.
    /// </summary>
    private static double HeldOutError(ColorPairs pairs, Func<bool[], IColorMap> fit)
    {
        const int folds = 5;
        var residuals = new double[pairs.Count];
        var use = new bool[pairs.Count];
        for (int f = 0; f < folds; f++)
        {
            for (int k = 0; k < use.Length; k++) use[k] = k % folds != f;
            var map = fit(use);
            for (int k = f; k < pairs.Count; k += folds)
            {
                var (r, g, b) = map.Map(pairs.From[3 * k], pairs.From[3 * k + 1], pairs.From[3 * k + 2]);
                double dr = r - pairs.To[3 * k], dg = g - pairs.To[3 * k + 1], db = b - pairs.To[3 * k + 2];
                residuals[k] = Math.Sqrt(dr * dr + dg * dg + db * db);
            }
        }
        return pairs.Count == 0 ? 0 : MathNet.Numerics.Statistics.ArrayStatistics.OrderStatisticInplace(residuals, pairs.Count / 2 + 1);
    }
}
