namespace GpuColorTransfer.Engine;

/// <summary>
/// A failure the user can act on: names the file (when there is one), says what is wrong and
/// what to do. The command prints its <see cref="Exception.Message"/> as one line.
/// </summary>
public sealed class GctException : Exception
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public GctException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>A failure about one file: "FILE: reason".</summary>
    public static GctException ForFile(string path, string reason, Exception? inner = null) =>
        new($"{path}: {reason}", inner);
}
