namespace GpuColorTransfer.Engine.Files;

/// <summary>
/// Writes one file so that it either appears complete or not at all (a <see cref="StagedFile"/>
/// renamed over the destination). For the files of a command, checked together and written all
/// or nothing, see <see cref="OutputSet"/>.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically, replacing an existing file.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        using var staged = new StagedFile(path);
        staged.Write(write);
        staged.Commit(replace: true);
    }

    /// <summary>Writes a UTF-8 text file atomically.</summary>
    public static void WriteText(string path, string text) => Write(path, Text(text));

    /// <summary>A writer of UTF-8 text.</summary>
    public static Action<Stream> Text(string text) => stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
}
