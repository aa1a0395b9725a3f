using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Vgg;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>
/// One device that runs the stages of the method (DESIGN section 3). Every stage takes and
/// returns data held by the backend (<see cref="BackendImage"/>, <see cref="SuperpixelMap"/>, ...),
/// so the images cross to the backend once and what comes back is what the caller downloads:
/// the fused or regrained image, or the pictures of the steps.
/// </summary>
public interface IBackend : IDisposable
{
    /// <summary>What runs the stages, for logs.</summary>
    string Name { get; }

    /// <summary>Whether the stages' buffers live in host memory, and so count against the host's memory limit (<see cref="WorkLimits"/>).</summary>
    bool StagesOnHost { get; }

    /// <summary>The side of the VGG tiles when the settings give none (<see cref="TransferSettings.TileSize"/>).</summary>
    int DefaultTileSize { get; }

    /// <summary>The device memory free now, in bytes; null when the stages use host memory.</summary>
    long? FreeMemoryBytes { get; }

    /// <summary>
    /// Throws a <see cref="DeviceException"/> when a transfer between images of these sizes cannot fit
    /// in the backend's memory; called before anything is uploaded.
    /// </summary>
    void CheckCapacity(int targetWidth, int targetHeight, int referenceWidth, int referenceHeight, TransferSettings settings);

    /// <summary>Waits until every stage launched so far has finished (a GPU runs them asynchronously).</summary>
    void Synchronize();

    /// <summary>Copies a host image to the backend.</summary>
    BackendImage Upload(RgbImage image);

    /// <summary>Copies a backend image back to the host (alpha not included).</summary>
    RgbImage Download(BackendImage image);

    /// <summary>Stage 1: SLIC superpixels with about <paramref name="superpixels"/> regions.</summary>
    SuperpixelMap Superpixels(BackendImage image, int superpixels, TransferSettings settings);

    /// <summary>Stage 3 (statistics): count, mean colour and position, covariances of each superpixel.</summary>
    SuperpixelStatisticsSet Statistics(BackendImage image, SuperpixelMap map);

    /// <summary>Stages 2-3: VGG-19 features of the image pooled per superpixel (the super-features F).</summary>
    SuperFeatureMatrix SuperFeatures(BackendImage image, SuperpixelMap map, VggNetwork network, TransferSettings settings);

    /// <summary>Super-features side by side: row i of <paramref name="first"/> then row i of <paramref name="second"/> (the same superpixels).</summary>
    SuperFeatureMatrix Concatenate(SuperFeatureMatrix first, SuperFeatureMatrix second);

    /// <summary>
    /// Stage 4: attention A = row-softmax(M / tau) (eqs. 1-2) and the matched colours
    /// C(i) = sum_j A(i,j) Ibar_R(j).
    /// </summary>
    MatchedColors Attention(SuperFeatureMatrix target, SuperFeatureMatrix reference, SuperpixelStatisticsSet referenceStatistics,
        TransferSettings settings);

    /// <summary>
    /// The attention matrix A itself (eqs. 1-2), row-major N_T x N_R on the host: for its picture
    /// only, since the stage (<see cref="Attention"/>) keeps no N_T x N_R matrix of weights.
    /// </summary>
    float[] AttentionMatrix(SuperFeatureMatrix target, SuperFeatureMatrix reference, SuperpixelStatisticsSet referenceStatistics, TransferSettings settings);

    /// <summary>Stage 5: the per-pixel fusion of eqs. 3-6 in its factorised form.</summary>
    BackendImage Fusion(BackendImage target, SuperpixelMap map, SuperpixelStatisticsSet statistics, MatchedColors colors, TransferSettings settings);

    /// <summary>Stage 6: Pitié's colour regrain of <paramref name="transferred"/> onto the gradients of <paramref name="original"/>.</summary>
    BackendImage Regrain(BackendImage original, BackendImage transferred, float smoothness);
}
