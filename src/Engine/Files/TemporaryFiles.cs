using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace GpuColorTransfer.Engine.Files;

/// <summary>
/// Temporary files being written (an output before its rename). If the process is interrupted (SIGINT, SIGTERM, SIGQUIT) or exits, they are removed,
/// so an interruption leaves no partial file behind.
/// </summary>
public static class TemporaryFiles
{
    private static readonly ConcurrentDictionary<string, byte> Live = new();
    private static readonly PosixSignalRegistration[] Registrations =
        [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(s => PosixSignalRegistration.Create(s, _ => DeleteAll()))];

    static TemporaryFiles() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();

    /// <summary>Tracks <paramref name="path"/> until the returned handle is disposed (after a rename or a delete).</summary>
    public static IDisposable Track(string path)
    {
        GC.KeepAlive(Registrations);
        Live[path] = 0;
        return new Handle(path);
    }

    /// <summary>
    /// Removes the temporary files "<paramref name="prefix"/>PID.*.tmp" in <paramref name="folder"/>
    /// whose process PID is no longer running: what a process killed outright (SIGKILL, a power
    /// cut) left behind. Files of a running process are kept.
    /// </summary>
    public static void RemoveLeftovers(string folder, string prefix)
    {
        string[] candidates;
        try { candidates = Directory.GetFiles(folder, prefix + "*.tmp"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (string file in candidates)
        {
            string rest = Path.GetFileName(file)[prefix.Length..];
            int dot = rest.IndexOf('.');
            if (dot <= 0 || !int.TryParse(rest[..dot], out int pid) || pid == Environment.ProcessId || IsRunning(pid)) continue;
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Whether a process with this id is running.</summary>
    internal static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static void DeleteAll()
    {
        foreach (var path in Live.Keys)
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private sealed class Handle(string path) : IDisposable
    {
        public void Dispose() => Live.TryRemove(path, out _);
    }
}
