using GpuColorTransfer.Engine.Backends;

namespace GpuColorTransfer.Engine;

/// <summary>
/// One transfer's image sizes and settings, and the one decision whether a backend may run it
/// (<see cref="CheckOn"/>), made before anything is allocated.
/// </summary>
/// <param name="TargetWidth">The target's width before any reduction to the working size.</param>
/// <param name="TargetHeight">The target's height before any reduction.</param>
/// <param name="ReferenceWidth">The reference's width before any reduction.</param>
/// <param name="ReferenceHeight">The reference's height before any reduction.</param>
/// <param name="Settings">The method's settings.</param>
public sealed record TransferJob(int TargetWidth, int TargetHeight, int ReferenceWidth, int ReferenceHeight, TransferSettings Settings)
{
    /// <summary>The size the target is matched at (<see cref="TransferSettings.MatchedSize"/>).</summary>
    public (int Width, int Height) MatchedTarget => Settings.MatchedSize(TargetWidth, TargetHeight);

    /// <summary>The size the reference is matched at (<see cref="TransferSettings.MatchedSize"/>).</summary>
    public (int Width, int Height) MatchedReference => Settings.MatchedSize(ReferenceWidth, ReferenceHeight);

    /// <summary>
    /// The sizes of the images the backend holds: the matched sizes, or the full sizes when the
    /// global render regrains (its regrain runs on the backend at full size).
    /// </summary>
    public (int TargetWidth, int TargetHeight, int ReferenceWidth, int ReferenceHeight) OnBackend =>
        Settings.Render == RenderMode.Global && Settings.Regrains
            ? (TargetWidth, TargetHeight, ReferenceWidth, ReferenceHeight)
            : (MatchedTarget.Width, MatchedTarget.Height, MatchedReference.Width, MatchedReference.Height);

    /// <summary>
    /// Whether <paramref name="backend"/> may run this job: the caps of <see cref="TransferSettings.Limits"/>
    /// on this backend, then the backend's capacity for the images it would hold.
    /// </summary>
    /// <exception cref="WorkTooLargeException">The job exceeds the caps; no backend runs it with these settings.</exception>
    /// <exception cref="DeviceException">The backend cannot hold the job (another backend may).</exception>
    public void CheckOn(IBackend backend)
    {
        Settings.Limits.Check(this, backend);
        var (tw, th, rw, rh) = OnBackend;
        backend.CheckCapacity(tw, th, rw, rh, Settings);
    }
}
