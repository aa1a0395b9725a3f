using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GpuColorTransfer.Engine.Video;

/// <summary>
/// The ffmpeg processes gct started: ended with it when it is interrupted (SIGINT, SIGTERM,
/// SIGQUIT) or exits, so that no decoder or encoder outlives the command.
/// </summary>
internal static class ChildProcesses
{
    private static readonly ConcurrentDictionary<Process, byte> Live = new();
    private static readonly PosixSignalRegistration[] Registrations =
        [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(s => PosixSignalRegistration.Create(s, _ => EndAll()))];

    static ChildProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) => EndAll();

    /// <summary>Tracks <paramref name="process"/> until it exits.</summary>
    public static void Track(Process process)
    {
        GC.KeepAlive(Registrations);
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
