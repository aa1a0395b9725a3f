using System.Diagnostics;

namespace GpuColorTransfer.Tests.Support;

/// <summary>Runs the built `gct` command as a separate process, as a user would.</summary>
internal static class Gct
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(IDictionary<string, string?>? environment, params string[] args) => RunIn(null, environment, args);

    /// <summary>Runs gct in <paramref name="folder"/> (the current folder when null).</summary>
    public static Result RunIn(string? folder, IDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder ?? "" };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gct.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["GCT_WEIGHTS"] = null; // the built-in weights, whatever the caller's environment says
        if (environment is not null)
            foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gct {string.Join(' ', args)} did not finish in 5 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Run(params string[] args) => Run(null, args);
}
