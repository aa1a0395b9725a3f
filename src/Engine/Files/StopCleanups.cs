using System.Runtime.InteropServices;

namespace GpuColorTransfer.Engine.Files;

/// <summary>
/// What runs when gct is interrupted (SIGINT, SIGTERM, SIGQUIT) or exits: the cleanups registered,
/// in their order (child processes ended before the files they were writing are removed), under one
/// set of signal handlers.
/// </summary>
internal static class StopCleanups
{
    /// <summary>The order of ending child processes: first, so that nothing writes while files are cleaned.</summary>
    public const int EndProcesses = 0;

    /// <summary>The order of removing temporary files and putting backups back: after the processes end.</summary>
    public const int CleanFiles = 1;

    private static readonly List<(int Order, Action Cleanup)> Cleanups = [];
    private static readonly Lock Gate = new();
    private static PosixSignalRegistration[]? _registrations;

    /// <summary>Runs <paramref name="cleanup"/> when the process is interrupted or exits, after the cleanups of a lower <paramref name="order"/>.</summary>
    public static void Add(int order, Action cleanup)
    {
        lock (Gate)
        {
            Cleanups.Add((order, cleanup));
            if (_registrations is not null) return;
            _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT }.Select(s => PosixSignalRegistration.Create(s, _ => RunAll()))];
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAll();
        }
    }

    private static void RunAll()
    {
        (int Order, Action Cleanup)[] all;
        lock (Gate) all = [.. Cleanups.OrderBy(c => c.Order)];
        foreach (var (_, cleanup) in all) cleanup();
    }
}
