using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Cli.Serve;

/// <summary>The queue was full: the request is refused (503) and may be retried.</summary>
internal sealed class QueueFullException() : Exception("every engine is busy and the queue is full; retry later");

/// <summary>
/// The warm engines of `gct serve`, one per concurrent job, each with the reference analyses it
/// holds (<see cref="ReferenceCache"/>). A job waits for a free engine when at most
/// <see cref="ServeOptions.Queue"/> others wait; beyond, it is refused at once.
/// </summary>
internal sealed class EnginePool : IDisposable
{
    private readonly Slot[] _slots;
    private readonly Stack<Slot> _free;
    private readonly SemaphoreSlim _gate;
    private readonly int _queue;
    private int _waiting;
    private long _busyTicks;
    private long _cancelled;

    /// <summary>
    /// An engine with the server's settings and the analyses it holds, and up to two more engines for
    /// requests that set other options (the least recently used released), each with its analyses.
    /// </summary>
    public sealed class Slot(ColorTransferEngine engine, int cachedReferences) : IDisposable
    {
        private readonly RecentlyUsed<string, (ColorTransferEngine Engine, ReferenceCache References)> _others = new(2, Release);

        public ColorTransferEngine Engine { get; } = engine;
        public ReferenceCache References { get; } = new(cachedReferences);

        /// <summary>The engine and analyses for a request's options (<see cref="RequestSettings.Read"/>); null: the server's.</summary>
        public (ColorTransferEngine Engine, ReferenceCache References) For((string Key, EngineOptions Options)? request) =>
            request is { } r ? _others.GetOrAdd(r.Key, () => (ColorTransferEngine.Create(r.Options), new ReferenceCache(cachedReferences))) : (Engine, References);

        public void Dispose()
        {
            _others.Clear();
            Release((Engine, References));
        }

        private static void Release((ColorTransferEngine Engine, ReferenceCache References) held)
        {
            held.References.Dispose();
            held.Engine.Dispose();
        }
    }

    public EnginePool(ServeOptions options)
    {
        _slots = [.. Enumerable.Range(0, options.MaxConcurrent).Select(_ => new Slot(ColorTransferEngine.Create(options.Engine), options.CachedReferences))];
        _free = new Stack<Slot>(_slots);
        _gate = new SemaphoreSlim(_slots.Length);
        _queue = options.Queue;
    }

    /// <summary>The backend the engines run on.</summary>
    public string Backend => _slots[0].Engine.Backend.Name;

    /// <summary>Jobs waiting for an engine now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Seconds the engines have spent on jobs, all together.</summary>
    public double BusySeconds => TimeSpan.FromTicks(Interlocked.Read(ref _busyTicks)).TotalSeconds;

    /// <summary>Jobs given up because their caller went away.</summary>
    public long Cancelled => Interlocked.Read(ref _cancelled);

    /// <summary>
    /// Runs <paramref name="job"/> on a free engine (waiting in the queue if need be). The job is given
    /// a progress sink that ends it at the next stage when <paramref name="cancel"/> fires (the caller
    /// went away), so that its engine serves the next job.
    /// </summary>
    /// <exception cref="QueueFullException">Every engine is busy and the queue is full.</exception>
    /// <exception cref="OperationCanceledException">The caller went away.</exception>
    public async Task<T> RunAsync<T>(Func<Slot, IProgress<TransferProgress>, T> job, CancellationToken cancel)
    {
        try { return await Queue(job, cancel); }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }
    }

    private async Task<T> Queue<T>(Func<Slot, IProgress<TransferProgress>, T> job, CancellationToken cancel)
    {
        if (!_gate.Wait(0))
        {
            if (Interlocked.Increment(ref _waiting) > _queue)
            {
                Interlocked.Decrement(ref _waiting);
                throw new QueueFullException();
            }
            try { await _gate.WaitAsync(cancel); }
            finally { Interlocked.Decrement(ref _waiting); }
        }
        Slot slot;
        lock (_free) slot = _free.Pop();
        long start = DateTime.UtcNow.Ticks;
        try
        {
            // The engines are synchronous: the job runs on a pool thread, never on Kestrel's.
            return await Task.Run(() => job(slot, new StageGate(cancel)), CancellationToken.None);
        }
        finally
        {
            Interlocked.Add(ref _busyTicks, DateTime.UtcNow.Ticks - start);
            lock (_free) _free.Push(slot);
            _gate.Release();
        }
    }

    /// <summary>Ends a job at the next stage once its caller has gone.</summary>
    private sealed class StageGate(CancellationToken cancel) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => cancel.ThrowIfCancellationRequested();
    }

    public void Dispose()
    {
        foreach (var slot in _slots) slot.Dispose();
        _gate.Dispose();
    }
}
