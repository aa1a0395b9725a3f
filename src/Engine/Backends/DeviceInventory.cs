using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>One compute device ILGPU can see.</summary>
/// <param name="Kind">CPU, Cuda or OpenCL.</param>
/// <param name="Name">The device's name.</param>
/// <param name="MemoryBytes">Device memory; null for the host (CPU) device.</param>
/// <param name="ComputeCapability">CUDA compute capability ("9.0"), null otherwise.</param>
public sealed record DeviceDescription(string Kind, string Name, long? MemoryBytes, string? ComputeCapability);

/// <summary>
/// Lists the devices ILGPU finds. On Linux the CUDA driver is often installed only as
/// libcuda.so.1, which .NET's probing for "cuda" does not find: a DllImport resolver maps it.
/// </summary>
public static class DeviceInventory
{
    private static readonly Lazy<bool> Resolver = new(() =>
    {
        NativeLibrary.SetDllImportResolver(typeof(Context).Assembly, (name, assembly, path) =>
            name is "cuda" or "nvcuda" or "libcuda" or "libcuda.so" && NativeLibrary.TryLoad("libcuda.so.1", out var handle) ? handle : IntPtr.Zero);
        return true;
    });

    /// <summary>Registers the libcuda.so.1 resolver (once per process) before ILGPU looks for CUDA.</summary>
    public static void RegisterCudaResolver() => _ = Resolver.Value;

    /// <summary>Every device of every accelerator type ILGPU supports here.</summary>
    public static IReadOnlyList<DeviceDescription> List()
    {
        RegisterCudaResolver();
        using var context = Context.Create(b => b.AllAccelerators());
        return context.Devices.Select(d => new DeviceDescription(
            d.AcceleratorType.ToString(),
            d.Name,
            d.AcceleratorType == AcceleratorType.CPU ? null : d.MemorySize,
            d is CudaDevice cuda && cuda.Architecture is { } arch ? $"{arch.Major}.{arch.Minor}" : null)).ToList();
    }
}
