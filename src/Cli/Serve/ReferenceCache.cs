using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Cli.Serve;

/// <summary>
/// Reference analyses kept on one engine, by the reference's id (the SHA-256 of its bytes), the
/// least recently used one released when more than the bound are held. Used by one job at a time
/// (its engine's).
/// </summary>
internal sealed class ReferenceCache(int bound) : IDisposable
{
    private readonly RecentlyUsed<string, ReferenceAnalysis> _analyses = new(bound, analysis => analysis.Dispose());

    /// <summary>The analysis of <paramref name="id"/>, made by <paramref name="analyse"/> when it is not held.</summary>
    public ReferenceAnalysis GetOrAdd(string id, Func<ReferenceAnalysis> analyse) => _analyses.GetOrAdd(id, analyse);

    public void Dispose() => _analyses.Clear();
}
