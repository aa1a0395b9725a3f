using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace GpuColorTransfer.Cli.Serve;

/// <summary>Counters of `gct serve` in Prometheus' text format (version 0.0.4): requests by status, a latency histogram, queue depth, engine busy time, jobs cancelled.</summary>
internal sealed class ServerMetrics
{
    private static readonly double[] Buckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private readonly ConcurrentDictionary<int, long> _byStatus = new();
    private readonly long[] _bucketCounts = new long[Buckets.Length];
    private long _count;
    private long _sumMicroseconds;

    /// <summary>Counts one answered request of the API.</summary>
    public void Record(int status, TimeSpan elapsed)
    {
        _byStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicroseconds, (long)(elapsed.TotalMilliseconds * 1000));
        for (int i = 0; i < Buckets.Length; i++)
            if (elapsed.TotalSeconds <= Buckets[i]) Interlocked.Increment(ref _bucketCounts[i]);
    }

    /// <summary>The exposition text.</summary>
    public string Text(int queueDepth, double busySeconds, long cancelled)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line("# HELP gct_requests_total API requests answered, by HTTP status.");
        Line("# TYPE gct_requests_total counter");
        foreach (var (status, n) in _byStatus.OrderBy(p => p.Key)) Line(Invariant($"gct_requests_total{{status=\"{status}\"}} {n}"));
        Line("# HELP gct_request_duration_seconds Time from a request to its answer.");
        Line("# TYPE gct_request_duration_seconds histogram");
        for (int i = 0; i < Buckets.Length; i++) Line(Invariant($"gct_request_duration_seconds_bucket{{le=\"{Buckets[i]}\"}} {Interlocked.Read(ref _bucketCounts[i])}"));
        long count = Interlocked.Read(ref _count);
        Line(Invariant($"gct_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"));
        Line(Invariant($"gct_request_duration_seconds_sum {Interlocked.Read(ref _sumMicroseconds) / 1e6}"));
        Line(Invariant($"gct_request_duration_seconds_count {count}"));
        Line("# HELP gct_queue_depth Jobs waiting for an engine.");
        Line("# TYPE gct_queue_depth gauge");
        Line(Invariant($"gct_queue_depth {queueDepth}"));
        Line("# HELP gct_engine_busy_seconds_total Seconds the engines spent on jobs.");
        Line("# TYPE gct_engine_busy_seconds_total counter");
        Line(Invariant($"gct_engine_busy_seconds_total {busySeconds}"));
        Line("# HELP gct_jobs_cancelled_total Jobs given up because their client went away.");
        Line("# TYPE gct_jobs_cancelled_total counter");
        Line(Invariant($"gct_jobs_cancelled_total {cancelled}"));
        return text.ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
