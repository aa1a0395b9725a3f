namespace GpuColorTransfer.Engine.Backends;

/// <summary>What went wrong with a compute device.</summary>
public enum DeviceProblem
{
    /// <summary>No CUDA device, or it could not be started.</summary>
    Unavailable,
    /// <summary>The job needs more device memory, or more entries than the device's indices reach.</summary>
    Capacity,
    /// <summary>Any other error the device reported during a stage.</summary>
    Failure,
}

/// <summary>
/// A compute device could not run the job: <see cref="Problem"/> says why. The CPU backend runs
/// every job the GPU backend refuses (within host memory).
/// </summary>
public sealed class DeviceException(DeviceProblem problem, string message, Exception? inner = null) : GctException(message, inner)
{
    /// <summary>The kind of problem.</summary>
    public DeviceProblem Problem { get; } = problem;
}
