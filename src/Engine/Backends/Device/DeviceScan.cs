using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace GpuColorTransfer.Engine.Backends.Device;

/// <summary>Exclusive prefix sums of ints on the device (ILGPU.Algorithms' scan), and their total when the host needs it.</summary>
internal sealed class DeviceScan(Accelerator accelerator)
{
    private readonly Scan<int, Stride1D.Dense, Stride1D.Dense> _scan =
        accelerator.CreateScan<int, Stride1D.Dense, Stride1D.Dense, AddInt32>(ScanKind.Exclusive);

    /// <summary>output[i] = input[0] + ... + input[i - 1].</summary>
    public void Exclusive(ArrayView<int> input, ArrayView<int> output)
    {
        using var temp = accelerator.Allocate1D<int>(accelerator.ComputeScanTempStorageSize<int>(input.Length));
        _scan(accelerator.DefaultStream, input, output, temp.View);
        accelerator.Synchronize(); // the scan's scratch buffer is freed on return
    }

    /// <summary>As <see cref="Exclusive"/>, and returns the sum of all of input (read back to the host, which waits for it).</summary>
    public int ExclusiveTotal(ArrayView<int> input, ArrayView<int> output)
    {
        Exclusive(input, output);
        long last = input.Length - 1;
        int[] before = [0], lastValue = [0];
        output.SubView(last, 1).CopyToCPU(before);
        input.SubView(last, 1).CopyToCPU(lastValue);
        return before[0] + lastValue[0];
    }
}
