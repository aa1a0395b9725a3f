namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>Fits the colour map family the settings name.</summary>
public static class ColorMapFit
{
    /// <summary>An affine fit, or a lattice pulled to it (<see cref="TransferSettings.ColorMap"/>).</summary>
    public static IColorMap Fit(ColorPairs pairs, TransferSettings settings)
    {
        var affine = AffineColorMap.Fit(pairs);
        return settings.ColorMap == ColorMapKind.Affine
            ? affine
            : LatticeFit.Fit(pairs, affine, settings.LatticeSize, settings.LatticeSmoothness);
    }
}
