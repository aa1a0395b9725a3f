using GpuColorTransfer.Engine.Backends;

namespace GpuColorTransfer.Engine.Pipeline;

/// <summary>
/// What the transfer needs of a reference, computed once and kept on the backend for any number of
/// targets (a folder, a film): the image at its matched size, its superpixels, their statistics and
/// their super-features (DESIGN section 3, stages 1-3 for the reference).
/// </summary>
public sealed class ReferenceAnalysis : IDisposable
{
    internal ReferenceAnalysis(IBackend backend, TransferSettings settings, int originalWidth, int originalHeight,
        BackendImage image, SuperpixelMap map, SuperpixelStatisticsSet statistics, SuperFeatureMatrix features)
    {
        Backend = backend;
        Settings = settings;
        OriginalWidth = originalWidth;
        OriginalHeight = originalHeight;
        Image = image;
        Map = map;
        Statistics = statistics;
        Features = features;
    }

    /// <summary>The backend holding the buffers.</summary>
    internal IBackend Backend { get; }

    /// <summary>The settings it was computed with.</summary>
    public TransferSettings Settings { get; }

    /// <summary>The reference's width before any reduction to the working size.</summary>
    public int OriginalWidth { get; }

    /// <summary>The reference's height before any reduction to the working size.</summary>
    public int OriginalHeight { get; }

    /// <summary>The reference as matched (the working size for the global render and for colourisation).</summary>
    internal BackendImage Image { get; }

    /// <summary>Its superpixels.</summary>
    internal SuperpixelMap Map { get; }

    /// <summary>Their colour and position statistics.</summary>
    internal SuperpixelStatisticsSet Statistics { get; }

    /// <summary>Their super-features.</summary>
    internal SuperFeatureMatrix Features { get; }

    /// <summary>The same reference analysed for colourisation, made when a grey target first needs it; disposed with this one.</summary>
    internal ReferenceAnalysis? Colorization { get; set; }

    /// <summary>Releases the buffers.</summary>
    public void Dispose()
    {
        Colorization?.Dispose();
        Colorization = null;
        Features.Dispose();
        Statistics.Dispose();
        Map.Dispose();
        Image.Dispose();
    }
}
