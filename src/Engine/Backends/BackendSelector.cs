using GpuColorTransfer.Engine.Backends.Cpu;
using GpuColorTransfer.Engine.Backends.Device;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>A backend chosen for a job, and, when the CPU runs a job that could have run on a GPU, why.</summary>
/// <param name="Backend">The backend; the caller disposes it.</param>
/// <param name="FallbackReason">With <see cref="DevicePreference.Auto"/>: why the CPU backend was chosen (no CUDA device, or it could not start or run this job); otherwise null.</param>
internal sealed record BackendSelection(IBackend Backend, string? FallbackReason);

/// <summary>
/// Creates the backend a <see cref="DevicePreference"/> asks for: the one place that creates
/// backends (<see cref="ColorTransferEngine"/> is its caller, and falls back to the CPU for jobs a device cannot hold).
/// </summary>
internal static class BackendSelector
{
    /// <summary>
    /// The backend for <paramref name="preference"/>. With <see cref="DevicePreference.Auto"/>, a
    /// CUDA device that is missing or does not start is given up for the CPU backend, with the
    /// reason; with <see cref="DevicePreference.Cuda"/> that is a <see cref="DeviceException"/>.
    /// Whether the device can hold a job is the engine's next question (<see cref="TransferJob.CheckOn"/>).
    /// </summary>
    public static BackendSelection Select(DevicePreference preference)
    {
        if (preference == DevicePreference.Cpu) return new(new CpuBackend(), null);
        if (preference == DevicePreference.Auto && !DeviceInventory.List().Any(d => d.Kind == "Cuda"))
            return new(new CpuBackend(), "no CUDA device found");
        try
        {
            return new(DeviceBackend.CreateCuda(), null);
        }
        catch (DeviceException e) when (preference == DevicePreference.Auto)
        {
            return new(new CpuBackend(), e.Message);
        }
    }
}
