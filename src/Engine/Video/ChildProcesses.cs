using System.Collections.Concurrent;
using System.Diagnostics;
using GpuColorTransfer.Engine.Files;

namespace GpuColorTransfer.Engine.Video;

/// <summary>
/// The ffmpeg processes gct started: ended with it when it is interrupted (SIGINT, SIGTERM,
/// SIGQUIT) or exits, so that no decoder or encoder outlives the command.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<Process, byte> Live = new();

    static ChildProcesses() => StopCleanups.Add(StopCleanups.EndProcesses, EndAll);

    /// <summary>Tracks <paramref name="process"/> until it exits.</summary>
    public static void Track(Process process)
    {
        Live[process] = 0;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => Live.TryRemove(process, out _);
        if (process.HasExited) Live.TryRemove(process, out _);
    }

    private static void EndAll()
    {
        foreach (var process in Live.Keys)
        {
            try { process.Kill(); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
        }
    }
}
