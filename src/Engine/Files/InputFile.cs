namespace GpuColorTransfer.Engine.Files;

/// <summary>Reads an input file whole, refusing what is not a non-empty regular file before opening it.</summary>
public static class InputFile
{
    /// <summary>
    /// The bytes of <paramref name="path"/>. A folder, a missing file, an empty file, and a device
    /// or a pipe (which report no length and could be read without end, or block) are refused
    /// with the reason, also when reached through a symbolic link; so is a file that cannot be read.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file should be, for the messages ("an image file").</param>
    public static byte[] ReadAll(string path, string what)
    {
        if (Directory.Exists(path)) throw GctException.ForFile(path, $"is a folder, not {what}");
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info; // judge what a link points to
        if (!info.Exists) throw GctException.ForFile(path, "no such file");
        if (info.Length == 0) throw GctException.ForFile(path, $"is empty or not a regular file (a device or a pipe); give {what}");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var bytes = new byte[info.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (EndOfStreamException) { throw GctException.ForFile(path, "became shorter while it was read"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw GctException.Unreadable(path, e); }
    }
}
