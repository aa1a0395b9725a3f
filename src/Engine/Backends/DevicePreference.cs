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
