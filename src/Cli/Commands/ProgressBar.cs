using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>
/// A one-line progress bar on stderr for a transfer: the stage running, the share of the stages
/// done and the seconds elapsed, redrawn every quarter second so that a long stage is seen to run.
/// Silent when stderr is not a terminal; erased when disposed.
/// </summary>
internal sealed class ProgressBar : IProgress<TransferProgress>, IDisposable
{
    private const int Width = 24;
    private readonly Lock _lock = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Timer? _timer;
    private TransferProgress? _last;
    private bool _closed;

    private ProgressBar(bool visible)
    {
        if (visible) _timer = new Timer(_ => Draw(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.25));
    }

    /// <summary>A bar when stderr is a terminal, else one that shows nothing.</summary>
    public static ProgressBar ForTerminal() => new(!Console.IsErrorRedirected);

    public void Report(TransferProgress value)
    {
        lock (_lock) _last = value;
    }

    private void Draw()
    {
        lock (_lock)
        {
            if (_last is not { } p || _closed) return;
            int filled = (int)Math.Round(p.Fraction * Width);
            Console.Error.Write($"\r\x1b[Kgct: [{new string('#', filled)}{new string('-', Width - filled)}] {p.Fraction,4:P0} {p.Stage}  {_clock.Elapsed.TotalSeconds:F1} s");
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_timer is null || _closed) return;
            _closed = true;
            _timer.Dispose();
            if (_clock.Elapsed > TimeSpan.FromSeconds(1)) Console.Error.Write("\r\x1b[K");
        }
    }
}
