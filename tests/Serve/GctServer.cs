using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GpuColorTransfer.Tests.Serve;

/// <summary>`gct serve` started as a real process on a free port (--port 0), stopped with SIGTERM when disposed.</summary>
public sealed partial class GctServer : IDisposable
{
    private readonly Process _process;

    public GctServer(params string[] options)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "gct.dll"), "serve", "--port", "0", "--device", "cpu" }.Concat(options))
            start.ArgumentList.Add(a);
        start.Environment["GCT_WEIGHTS"] = null;
        _process = Process.Start(start)!;
        _ = _process.StandardError.ReadToEndAsync();
        string? line = _process.StandardOutput.ReadLine();
        var match = line is null ? null : Listening().Match(line);
        if (match is not { Success: true })
        {
            _process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"gct serve did not start: '{line}'");
        }
        Address = new Uri(match.Groups[1].Value);
        _ = _process.StandardOutput.ReadToEndAsync();
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>Where the server listens.</summary>
    public Uri Address { get; }

    /// <summary>A client of this server.</summary>
    public HttpClient Client { get; }

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Sends SIGTERM and waits for the process to end; its exit code.</summary>
    public int Stop()
    {
        if (!_process.HasExited)
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) kill.WaitForExit();
        if (!_process.WaitForExit(30_000)) _process.Kill(entireProcessTree: true);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Client.Dispose();
        Stop();
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex Listening();
}
