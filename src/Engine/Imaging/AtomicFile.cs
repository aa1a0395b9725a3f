namespace GpuColorTransfer.Engine.Imaging;

/// <summary>
/// Writes a file so that it either appears complete or not at all: the content goes to a
/// temporary file in the destination's folder, which is flushed and then renamed over the
/// destination. Any failure removes the temporary file; the temporary files of a process that
/// was killed outright are removed by the next write to the same destination.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir)) throw GctException.ForFile(path, $"the folder {dir} does not exist; create it first");
        string prefix = $".{Path.GetFileName(full)}.";
        TemporaryFiles.RemoveLeftovers(dir, prefix);
        string temp = Path.Combine(dir, $"{prefix}{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        using var tracked = TemporaryFiles.Track(temp);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw GctException.ForFile(path, $"cannot be written ({e.Message}); check the folder's permissions and free space", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes a UTF-8 text file atomically.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, stream =>
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            stream.Write(bytes);
        });

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
