namespace GpuColorTransfer.Engine;

/// <summary>Runs a loop over [0, n) in parallel, in fixed contiguous blocks.</summary>
internal static class ParallelBlocks
{
    private const int Size = 65536;

    /// <summary>Calls <paramref name="body"/>(start, end) for each block of up to 65536 indices.</summary>
    public static void For(int n, Action<int, int> body) =>
        Parallel.For(0, (n + Size - 1) / Size, b => body(b * Size, Math.Min(n, (b + 1) * Size)));
}
