using GpuColorTransfer.Engine.Backends.Cpu;
using GpuColorTransfer.Engine.Backends.Device;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>Where the stages should run.</summary>
public enum DevicePreference
{
    /// <summary>The first CUDA GPU when one starts and has the memory the job needs, else the CPU.</summary>
    Auto,
    /// <summary>The first CUDA GPU; a <see cref="DeviceException"/> when there is none or it cannot run the job.</summary>
    Cuda,
    /// <summary>The CPU backend (SIMD C#).</summary>
    Cpu,
}

/// <summary>A backend chosen for a job, and, when the CPU runs a job that could have run on a GPU, why.</summary>
/// <param name="Backend">The backend; the caller disposes it.</param>
/// <param name="FallbackReason">With <see cref="DevicePreference.Auto"/>: why the CPU backend was chosen (no CUDA device, or it could not start or run this job); otherwise null.</param>
public sealed record BackendSelection(IBackend Backend, string? FallbackReason);

/// <summary>Chooses the backend for a job from a <see cref="DevicePreference"/>.</summary>
public static class BackendSelector
{
    /// <summary>
    /// The backend for <paramref name="preference"/>. With <see cref="DevicePreference.Auto"/>, a
    /// CUDA device that is missing, does not start, or lacks the memory the job needs
    /// (<see cref="IBackend.CheckCapacity"/>, when <paramref name="job"/> is given) is given up for
    /// the CPU backend, with the reason; with <see cref="DevicePreference.Cuda"/> that is a <see cref="DeviceException"/>.
    /// </summary>
    /// <param name="preference">Where the stages should run.</param>
    /// <param name="job">The sizes of a transfer and its settings, to check the device's capacity; null to check nothing.</param>
    public static BackendSelection Select(DevicePreference preference, TransferJob? job = null)
    {
        if (preference == DevicePreference.Cpu) return new(new CpuBackend(), null);
        if (preference == DevicePreference.Auto && !DeviceInventory.List().Any(d => d.Kind == "Cuda"))
            return new(new CpuBackend(), "no CUDA device found");
        IBackend? cuda = null;
        try
        {
            cuda = DeviceBackend.CreateCuda();
            job?.CheckOn(cuda);
            return new(cuda, null);
        }
        catch (DeviceException e) when (preference == DevicePreference.Auto)
        {
            cuda?.Dispose();
            return new(new CpuBackend(), e.Message);
        }
        catch
        {
            cuda?.Dispose();
            throw;
        }
    }
}

/// <summary>The sizes of a transfer's images and its settings: what a backend's capacity is checked against.</summary>
public sealed record TransferJob(int TargetWidth, int TargetHeight, int ReferenceWidth, int ReferenceHeight, TransferSettings Settings)
{
    /// <summary>
    /// Throws a <see cref="DeviceException"/> when <paramref name="backend"/> cannot hold this job: the
    /// images the backend receives, at the working size for the global render (full size when it regrains).
    /// </summary>
    public void CheckOn(IBackend backend)
    {
        bool working = Settings.Render == RenderMode.Global && !Settings.Regrains;
        var (tw, th) = working ? Settings.WorkingSize(TargetWidth, TargetHeight) : (TargetWidth, TargetHeight);
        var (rw, rh) = working ? Settings.WorkingSize(ReferenceWidth, ReferenceHeight) : (ReferenceWidth, ReferenceHeight);
        backend.CheckCapacity(tw, th, rw, rh, Settings);
    }
}
