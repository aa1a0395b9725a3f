using System.Runtime.InteropServices;

namespace GpuColorTransfer.Engine.Files;

/// <summary>
/// A file being written under a temporary name in its destination's folder
/// (".NAME.PID.GUID.tmp", so a later run can tell a dead process's leftovers): created at once, which
/// proves the folder writable before any work; filled by <see cref="Write"/>; given its name by
/// <see cref="Commit"/>; removed by <see cref="Dispose"/> if it was not committed, or by
/// <see cref="TemporaryFiles"/> on an interruption.
/// </summary>
public sealed partial class StagedFile : IDisposable
{
    private const int EEXIST = 17;
    private readonly IDisposable _tracked;
    private bool _done;

    /// <summary>Creates the temporary file for <paramref name="path"/>.</summary>
    /// <exception cref="GctException">The folder is missing or the file cannot be created there.</exception>
    public StagedFile(string path)
    {
        Path = path;
        FullPath = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(FullPath) ?? ".";
        if (!Directory.Exists(dir)) throw GctException.ForFile(path, $"the folder {dir} does not exist; create it first");
        string prefix = $".{System.IO.Path.GetFileName(FullPath)}.";
        TemporaryFiles.RemoveLeftovers(dir, prefix);
        TempPath = System.IO.Path.Combine(dir, $"{prefix}{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        _tracked = TemporaryFiles.Track(TempPath);
        try
        {
            new FileStream(TempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _tracked.Dispose();
            throw Unwritable(e);
        }
    }

    /// <summary>The destination as given.</summary>
    public string Path { get; }

    /// <summary>The destination's full path.</summary>
    public string FullPath { get; }

    /// <summary>The temporary file.</summary>
    public string TempPath { get; }

    /// <summary>Whether <see cref="Write"/> has filled the temporary file.</summary>
    public bool Written { get; private set; }

    /// <summary>Writes the content (replacing any earlier content) and flushes it to the disk.</summary>
    public void Write(Action<Stream> write)
    {
        try
        {
            using var stream = new FileStream(TempPath, FileMode.Truncate, FileAccess.Write, FileShare.None);
            write(stream);
            stream.Flush(flushToDisk: true);
            Written = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(e);
        }
    }

    /// <summary>Records that another program filled the temporary file.</summary>
    public void MarkWritten() => Written = true;

    /// <summary>
    /// Gives the temporary file its name. With <paramref name="replace"/>, an existing file is replaced
    /// atomically (rename); without, the file is created only if no file of that name exists at that
    /// moment (a hard link, which fails on an existing name), so a file that appeared meanwhile is kept.
    /// </summary>
    /// <exception cref="OutputRefusedException">Without <paramref name="replace"/>, the destination exists.</exception>
    public void Commit(bool replace)
    {
        try
        {
            if (replace) File.Move(TempPath, FullPath, overwrite: true);
            else CreateNoReplace();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(e);
        }
        _done = true;
        _tracked.Dispose();
    }

    private void CreateNoReplace()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            try
            {
                if (link(TempPath, FullPath) == 0)
                {
                    File.Delete(TempPath);
                    return;
                }
                if (Marshal.GetLastPInvokeError() == EEXIST) throw Appeared();
                // Other errors (a file system without hard links): the rename below, after a check.
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
        if (File.Exists(FullPath)) throw Appeared();
        File.Move(TempPath, FullPath, overwrite: false);
    }

    private OutputRefusedException Appeared() =>
        new(OutputProblem.Exists, $"{Path}: was created by something else while it was being written; that file was left as it is");

    private GctException Unwritable(Exception e) =>
        GctException.ForFile(Path, $"cannot be written ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)}); check the folder's permissions and free space", e);

    /// <summary>Removes the temporary file unless it was committed.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        try { File.Delete(TempPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _tracked.Dispose();
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int link(string existing, string created);
}
