using System.Net;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Weights;

namespace GpuColorTransfer.Tests;

/// <summary>Weight lookup, verification and download against a loopback HTTP server serving ../shared's copy.</summary>
public class WeightsTests
{
    /// <summary>Serves the files of a folder on 127.0.0.1; <paramref name="tamper"/> may rewrite a file's bytes.</summary>
    private sealed class LoopbackServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        public string Url { get; }

        /// <param name="folder">Files to serve.</param>
        /// <param name="tamper">Rewrites a file's bytes before sending.</param>
        /// <param name="stallAfter">Sends only this many bytes of each file, then stalls.</param>
        public LoopbackServer(string folder, Func<string, byte[], byte[]>? tamper = null, int? stallAfter = null)
        {
            int port = 0;
            for (int attempt = 0; ; attempt++)
            {
                port = Random.Shared.Next(20000, 60000);
                try
                {
                    _listener.Prefixes.Clear();
                    _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                    _listener.Start();
                    break;
                }
                catch (HttpListenerException) when (attempt < 20) { }
            }
            Url = $"http://127.0.0.1:{port}/vgg19/";
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext ctx;
                    try { ctx = await _listener.GetContextAsync(); } catch { return; }
                    string name = Path.GetFileName(ctx.Request.Url!.AbsolutePath);
                    string file = Path.Combine(folder, name);
                    if (!File.Exists(file)) { ctx.Response.StatusCode = 404; ctx.Response.Close(); continue; }
                    var bytes = File.ReadAllBytes(file);
                    if (tamper is not null) bytes = tamper(name, bytes);
                    ctx.Response.ContentLength64 = bytes.Length;
                    if (stallAfter is int part)
                    {
                        await ctx.Response.OutputStream.WriteAsync(bytes.AsMemory(0, Math.Min(part, bytes.Length)));
                        await ctx.Response.OutputStream.FlushAsync();
                        await Task.Delay(TimeSpan.FromMinutes(2));
                        continue;
                    }
                    await ctx.Response.OutputStream.WriteAsync(bytes);
                    ctx.Response.Close();
                }
            });
        }

        public void Dispose() => _listener.Close();
    }

    [Fact]
    public void The_shared_weights_verify()
    {
        Assert.Empty(WeightStore.Verify(TestData.WeightsFolder));
        Assert.Equal(6, WeightStore.Manifest.Count);
    }

    [Fact]
    public void Fetch_downloads_verifies_and_reports_progress()
    {
        using var server = new LoopbackServer(TestData.WeightsFolder);
        string dir = Path.Combine(TestData.TempFolder(), "cache");
        long reported = 0;
        WeightStore.Fetch(dir, server.Url, new Progress(p => reported = Math.Max(reported, p.Done)));
        Assert.Empty(WeightStore.Verify(dir));
        Assert.True(reported > 0);
        Assert.Equal(WeightStore.Manifest.Count, Directory.GetFiles(dir).Length);
    }

    [Fact]
    public void Fetch_refuses_a_file_whose_checksum_does_not_match_and_leaves_no_partial_file()
    {
        using var server = new LoopbackServer(TestData.WeightsFolder, (name, bytes) =>
        {
            if (name == "group3-shard1of1") bytes[100] ^= 1;
            return bytes;
        });
        string dir = Path.Combine(TestData.TempFolder(), "cache");
        var e = Assert.Throws<GctException>(() => WeightStore.Fetch(dir, server.Url));
        Assert.Contains("group3-shard1of1", e.Message);
        Assert.Contains("does not match", e.Message);
        Assert.False(File.Exists(Path.Combine(dir, "group3-shard1of1")));
        Assert.Empty(Directory.GetFiles(dir, "*.download"));
    }

    [Fact]
    public void Verify_names_a_missing_or_damaged_file()
    {
        string dir = TestData.TempFolder();
        foreach (var f in Directory.GetFiles(TestData.WeightsFolder)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        File.Delete(Path.Combine(dir, "group1-shard1of1"));
        using (var s = File.OpenWrite(Path.Combine(dir, "group5-shard1of1"))) s.SetLength(1000);
        var problems = WeightStore.Verify(dir);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("group1-shard1of1") && p.Contains("missing"));
        Assert.Contains(problems, p => p.Contains("group5-shard1of1") && p.Contains("SHA-256"));
    }

    [Fact]
    public void A_transfer_without_weights_downloads_them_into_the_cache_and_offline_explains_how_to_get_them()
    {
        using var server = new LoopbackServer(TestData.WeightsFolder);
        string cache = TestData.TempFolder(), output = Path.Combine(cache, "out.png");
        string target = Path.Combine(TestData.RepositoryRoot, "samples", "target.jpg"), reference = Path.Combine(TestData.RepositoryRoot, "samples", "reference.jpg");
        var env = new Dictionary<string, string?> { ["GCT_WEIGHTS"] = null, ["XDG_CACHE_HOME"] = cache, ["GCT_WEIGHTS_URL"] = server.Url };

        var offline = Gct.Run(env, "transfer", target, reference, "-o", output, "--offline");
        Assert.Equal(1, offline.ExitCode);
        Assert.Contains("gct weights fetch", offline.Stderr);
        Assert.False(File.Exists(output));

        var run = Gct.Run(env, "transfer", target, reference, "-o", output, "--superpixels", "200");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("downloading", run.Stderr);
        Assert.Empty(WeightStore.Verify(Path.Combine(cache, "gct", "vgg19-tfjs")));
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void An_interrupted_download_leaves_no_partial_file()
    {
        using var server = new LoopbackServer(TestData.WeightsFolder, stallAfter: 1000);
        string dir = Path.Combine(TestData.TempFolder(), "cache");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "gct.dll"), "weights", "fetch", "--dir", dir, "--url", server.Url })
            start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(Directory.Exists(dir) && Directory.GetFiles(dir, "*.download").Length > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, "the download never started");
            Thread.Sleep(50);
        }
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString()])) kill.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "gct did not stop on SIGINT");
        Assert.NotEqual(0, process.ExitCode);
        Assert.Empty(Directory.GetFiles(dir));
    }

    private sealed class Progress(Action<WeightStore.FetchProgress> report) : IProgress<WeightStore.FetchProgress>
    {
        public void Report(WeightStore.FetchProgress value) => report(value);
    }
}
