using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Gpu;

/// <summary>
/// How many threads a chunk-loop kernel over n elements is launched with, and how many elements
/// each handles: one per thread on a GPU; at most 64 threads on ILGPU's CPU accelerator, a
/// simulator that runs one OS thread per simulated thread.
/// </summary>
internal static class KernelGrid
{
    public static (int Threads, int Chunk) Split(Accelerator accelerator, long n)
    {
        int threads = (int)Math.Max(1, accelerator.AcceleratorType == AcceleratorType.CPU ? Math.Min(n, 64) : n);
        return (threads, (int)((n + threads - 1) / threads));
    }
}
