using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>
/// How many threads a chunk-loop kernel over n elements is launched with, and how many elements
/// each handles: one per thread on a GPU; at most 64 threads on ILGPU's CPU accelerator, a
/// simulator that runs one OS thread per simulated thread.
/// </summary>
internal static class KernelGrid
{
    /// <summary>
    /// The shape of the CPU accelerator both backends create: one multiprocessor of one warp of 32
    /// threads, enough for the explicitly grouped kernels' groups on the simulator (32 threads);
    /// every simulated thread is woken at each launch, so more make every kernel slower (measured:
    /// the whole device pipeline on a 64-px pair, 2 s with this shape, 6 s with 2 x 8 warps).
    /// </summary>
    public static CPUDevice CpuDevice { get; } = new(numThreadsPerWarp: 32, numWarpsPerMultiprocessor: 1, numMultiprocessors: 1);

    /// <summary>
    /// ILGPU's optimisation level for every context: O2 infers the address spaces of the views
    /// (the PTX loads become ld.global instead of generic ld) besides O1's passes.
    /// </summary>
    public const OptimizationLevel Optimization = OptimizationLevel.O2;

    public static (int Threads, int Chunk) Split(Accelerator accelerator, long n)
    {
        int threads = (int)Math.Max(1, accelerator.AcceleratorType == AcceleratorType.CPU ? Math.Min(n, 64) : n);
        return (threads, (int)((n + threads - 1) / threads));
    }
}
