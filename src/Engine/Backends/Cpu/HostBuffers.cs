using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends.Cpu;

/// <summary>
/// Host access to buffers of ILGPU's CPU accelerator, whose memory is plain host memory:
/// the CPU stages read and write it in place as spans.
/// </summary>
internal static class HostBuffers
{
    public static unsafe Span<T> Span<T>(this MemoryBuffer1D<T, Stride1D.Dense> buffer) where T : unmanaged =>
        new((void*)buffer.NativePtr, checked((int)buffer.Length));

    public static unsafe T[] ToArray<T>(this MemoryBuffer1D<T, Stride1D.Dense> buffer) where T : unmanaged =>
        buffer.Span().ToArray();
}
