using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>The progress bars of the commands.</summary>
internal static class ProgressBar
{
    /// <summary>A transfer's bar: the share of the stages done, the stage running, the seconds elapsed.</summary>
    public static ProgressBar<TransferProgress> ForTransfer() =>
        new(!Console.IsErrorRedirected, p => p.Fraction, (p, elapsed) => $"{p.Stage}  {elapsed.TotalSeconds:F1} s");

    /// <summary>A bar when stderr is a terminal, else one that shows nothing.</summary>
    public static ProgressBar<T> ForTerminal<T>(Func<T, double> fraction, Func<T, TimeSpan, string> label) => new(!Console.IsErrorRedirected, fraction, label);
}

/// <summary>
/// A one-line progress bar on stderr: a bar with the share done and a label, redrawn every quarter
/// second so that long work is seen to run. Silent when stderr is not a terminal; erased when disposed.
/// </summary>
internal sealed class ProgressBar<T> : IProgress<T>, IDisposable
{
    private const int Width = 24;
    private readonly Lock _lock = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Func<T, double> _fraction;
    private readonly Func<T, TimeSpan, string> _label;
    private readonly Timer? _timer;
    private T _last = default!;
    private bool _reported;
    private bool _closed;

    public ProgressBar(bool visible, Func<T, double> fraction, Func<T, TimeSpan, string> label)
    {
        _fraction = fraction;
        _label = label;
        if (visible) _timer = new Timer(_ => Draw(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.25));
    }

    public void Report(T value)
    {
        lock (_lock) (_last, _reported) = (value, true);
    }

    private void Draw()
    {
        lock (_lock)
        {
            if (!_reported || _closed) return;
            var p = _last;
            double f = Math.Clamp(_fraction(p), 0, 1);
            int filled = (int)Math.Round(f * Width);
            Console.Error.Write($"\r\x1b[Kgct: [{new string('#', filled)}{new string('-', Width - filled)}] {f,4:P0} {_label(p, _clock.Elapsed)}");
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
