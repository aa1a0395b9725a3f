using System.Collections.Concurrent;

namespace GpuColorTransfer.Engine.Files;

/// <summary>
/// Temporary files being written (an output before its rename), and backups of files being
/// replaced. If the process is interrupted (SIGINT, SIGTERM, SIGQUIT) or exits, the backups are put
/// back and the temporary files removed, so an interruption leaves no partial file behind.
/// </summary>
public static class TemporaryFiles
{
    private static readonly ConcurrentDictionary<string, byte> Live = new();
    private static readonly ConcurrentDictionary<string, string> Backups = new();

    static TemporaryFiles() => StopCleanups.Add(StopCleanups.CleanFiles, DeleteAll);

    /// <summary>Tracks <paramref name="path"/> until the returned handle is disposed (after a rename or a delete).</summary>
    public static IDisposable Track(string path)
    {
        Live[path] = 0;
        return new Handle(path);
    }

    /// <summary>
    /// Tracks the backup of a file being replaced (<paramref name="backup"/>, the earlier content of
    /// <paramref name="destination"/>) until the handle is disposed: if the process is interrupted
    /// meanwhile, the backup is put back.
    /// </summary>
    public static IDisposable TrackBackup(string backup, string destination)
    {
        Backups[backup] = destination;
        return new BackupHandle(backup);
    }

    /// <summary>
    /// Cleans what a process killed outright (SIGKILL, a power cut) left in <paramref name="folder"/>
    /// for <paramref name="destination"/>, whose temporary names begin with <paramref name="prefix"/>:
    /// its temporary files "<paramref name="prefix"/>PID.*.tmp" are removed, and its backup ".bak" of
    /// the file it was replacing is put back if the destination is missing (else removed). Files of
    /// a running process are kept.
    /// </summary>
    public static void RemoveLeftovers(string folder, string prefix, string destination)
    {
        string[] candidates;
        try { candidates = [.. Directory.GetFiles(folder, prefix + "*.tmp"), .. Directory.GetFiles(folder, prefix + "*.bak")]; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (string file in candidates)
        {
            string rest = Path.GetFileName(file)[prefix.Length..];
            int dot = rest.IndexOf('.');
            if (dot <= 0 || !int.TryParse(rest[..dot], out int pid) || pid == Environment.ProcessId || IsRunning(pid)) continue;
            try
            {
                if (file.EndsWith(".bak", StringComparison.Ordinal) && !File.Exists(destination)) File.Move(file, destination);
                else File.Delete(file);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
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
        foreach (var (backup, destination) in Backups)
        {
            try { File.Move(backup, destination, overwrite: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        foreach (var path in Live.Keys)
        {
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private sealed class Handle(string path) : IDisposable
    {
        public void Dispose() => Live.TryRemove(path, out _);
    }

    private sealed class BackupHandle(string backup) : IDisposable
    {
        public void Dispose() => Backups.TryRemove(backup, out _);
    }
}
