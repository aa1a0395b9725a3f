namespace GpuColorTransfer.Engine;

/// <summary>
/// A failure the caller can act on: names the file (when there is one) and says what is wrong,
/// as one line, without assuming how the engine was called (a command line, a program). The
/// derived types let a caller tell the kinds apart and add its own advice.
/// </summary>
public class GctException : Exception
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public GctException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>A failure about one file: "FILE: reason".</summary>
    public static GctException ForFile(string path, string reason, Exception? inner = null) =>
        new($"{path}: {reason}", inner);

    /// <summary>A file that exists but cannot be read: "FILE: cannot be read (permission denied)" or the system's reason.</summary>
    public static GctException Unreadable(string path, Exception e) =>
        ForFile(path, $"cannot be read ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)})", e);
}
