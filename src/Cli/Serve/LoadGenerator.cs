using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace GpuColorTransfer.Cli.Serve;

/// <summary>What a load run measured: answers, failures, wrong answers, latency percentiles and throughput.</summary>
internal sealed record LoadReport(int Clients, double Seconds, int Answers, int Failures, int Wrong, double P50, double P95, double P99, double PerSecond)
{
    public string Text() => string.Create(CultureInfo.InvariantCulture,
        $"{Clients} clients for {Seconds:F0} s: {Answers} answers ({PerSecond:F2}/s), {Failures} failed, {Wrong} wrong; latency p50 {P50:F0} ms, p95 {P95:F0} ms, p99 {P99:F0} ms");
}

/// <summary>
/// Load on a running `gct serve`: the reference uploaded once (/v1/references), then clients that
/// each post the target with the reference's id, one request after another, for a while; every
/// answer compared with the first one (the same inputs must give the same bytes).
/// </summary>
internal static class LoadGenerator
{
    public static async Task<LoadReport> RunAsync(Uri server, string target, string reference, int clients, TimeSpan duration, string? token)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        byte[] targetBytes = File.ReadAllBytes(target);
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(File.ReadAllBytes(reference)), "reference", Path.GetFileName(reference) } };
        var created = await http.PostAsync("/v1/references", upload);
        if (!created.IsSuccessStatusCode) throw new Engine.GctException($"{server}: /v1/references answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        string id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        async Task<(bool Ok, byte[] Bytes)> Post()
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(targetBytes), "target", Path.GetFileName(target) }, { new StringContent(id), "reference_id" } };
            using var response = await http.PostAsync("/v1/transfer", form);
            return (response.IsSuccessStatusCode, await response.Content.ReadAsByteArrayAsync());
        }

        var (firstOk, expected) = await Post(); // warm: the reference analysed, the answer to compare with
        if (!firstOk) throw new Engine.GctException($"{server}: /v1/transfer failed: {System.Text.Encoding.UTF8.GetString(expected)}");
        var latencies = new List<double>();
        int failures = 0, wrong = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                (bool ok, byte[] bytes) = await Post();
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                lock (latencies)
                {
                    if (!ok) failures++;
                    else if (!bytes.AsSpan().SequenceEqual(expected)) wrong++;
                    else latencies.Add(ms);
                }
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToArray();
        double Percentile(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new LoadReport(clients, seconds, sorted.Length, failures, wrong, Percentile(0.5), Percentile(0.95), Percentile(0.99), sorted.Length / seconds);
    }
}
