using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Cli.Serve;

/// <summary>
/// Reference analyses kept on one engine, by the reference's id (the SHA-256 of its bytes), the
/// least recently used one released when more than the bound are held. Used by one job at a time
/// (its engine's).
/// </summary>
internal sealed class ReferenceCache(int bound) : IDisposable
{
    private readonly LinkedList<(string Id, ReferenceAnalysis Analysis)> _entries = new();

    /// <summary>The analysis of <paramref name="id"/>, made by <paramref name="analyse"/> when it is not held.</summary>
    public ReferenceAnalysis GetOrAdd(string id, Func<ReferenceAnalysis> analyse)
    {
        for (var node = _entries.First; node is not null; node = node.Next)
            if (node.Value.Id == id)
            {
                _entries.Remove(node);
                _entries.AddFirst(node);
                return node.Value.Analysis;
            }
        var analysis = analyse();
        _entries.AddFirst((id, analysis));
        while (_entries.Count > Math.Max(1, bound))
        {
            _entries.Last!.Value.Analysis.Dispose();
            _entries.RemoveLast();
        }
        return analysis;
    }

    public void Dispose()
    {
        foreach (var (_, analysis) in _entries) analysis.Dispose();
        _entries.Clear();
    }
}
