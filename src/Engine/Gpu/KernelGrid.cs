using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace GpuColorTransfer.Engine.Gpu;

/// <summary>
/// How many threads a chunk-loop kernel over n elements is launched with, and how many elements
/// each handles: one per thread on a GPU; at most 64 threads on ILGPU's CPU accelerator, a
/// simulator that runs one OS thread per simulated thread.
/// </summary>
internal static class KernelGrid
{
    /// <summary>
    /// The shape of the CPU accelerator both backends create: two multiprocessors of 8 warps of 32
    /// threads, so that the explicitly grouped kernels' 256-thread groups run on it, two at a time.
    /// </summary>
    public static CPUDevice CpuDevice { get; } = new(numThreadsPerWarp: 32, numWarpsPerMultiprocessor: 8, numMultiprocessors: 2);

    public static (int Threads, int Chunk) Split(Accelerator accelerator, long n)
    {
        int threads = (int)Math.Max(1, accelerator.AcceleratorType == AcceleratorType.CPU ? Math.Min(n, 64) : n);
        return (threads, (int)((n + threads - 1) / threads));
    }
}
