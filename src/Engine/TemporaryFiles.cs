using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace GpuColorTransfer.Engine;

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
