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
        if (!Directory.Exists(dir))
            throw GctException.ForFile(path, File.Exists(dir) ? $"{dir} is a file, not a folder" : $"the folder {dir} does not exist; create it first");
        string prefix = TemporaryPrefix(System.IO.Path.GetFileName(FullPath));
        TemporaryFiles.RemoveLeftovers(dir, prefix, FullPath);
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

    /// <summary>
    /// ".NAME." before the process id, a GUID and ".tmp": the temporary names of an output called
    /// NAME. A name so long that its temporary name would pass the 255 bytes a file name may have is
    /// cut, and a hash of the whole name added, so that every legal name can be written.
    /// </summary>
    internal static string TemporaryPrefix(string name)
    {
        const int limit = 255, suffix = 10 + 1 + 32 + 4; // process id, '.', GUID, ".tmp"
        string prefix = $".{name}.";
        if (System.Text.Encoding.UTF8.GetByteCount(prefix) + suffix <= limit) return prefix;
        string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..8];
        var kept = new System.Text.StringBuilder();
        foreach (var rune in name.EnumerateRunes())
        {
            if (System.Text.Encoding.UTF8.GetByteCount(kept.ToString() + rune) + 2 + 9 + suffix > limit) break;
            kept.Append(rune);
        }
        return $".{kept}~{hash}.";
    }

    /// <summary>
    /// Refuses a destination that exists and is not a regular file (a folder, a device, a pipe, a
    /// socket, also through a link): gct replaces regular files only, even with --force. Checked when
    /// an output is named and again just before it is replaced (something may have taken its place).
    /// </summary>
    /// <exception cref="OutputRefusedException">The destination is not a regular file.</exception>
    public static void CheckDestination(string path)
    {
        switch (FileIdentity.KindOf(path))
        {
            case FileKind.Folder:
                throw new OutputRefusedException(OutputProblem.Directory, $"{path}: is a directory; give a file name");
            case FileKind.Device or FileKind.Pipe or FileKind.Socket or FileKind.Other:
                throw new OutputRefusedException(OutputProblem.NotAFile,
                    $"{path}: is a {FileIdentity.KindOf(path).ToString().ToLowerInvariant()}, not a regular file; gct writes regular files only, and never replaces anything else");
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
            if (replace) CheckDestination(Path);
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

    /// <summary>The destination's earlier file while a group of outputs is committed (<see cref="SetAside"/>); null when there is none.</summary>
    private string? _backup;
    private IDisposable? _backupTracked;
    private bool _placed;

    /// <summary>
    /// First step of an all-or-nothing replacement of several outputs: an existing destination is
    /// renamed to a backup beside it (".NAME.PID.GUID.bak", put back if the process is interrupted,
    /// or by a later run if the process is killed before the group is committed).
    /// </summary>
    internal void SetAside()
    {
        CheckDestination(Path);
        if (!File.Exists(FullPath)) return;
        string backup = System.IO.Path.ChangeExtension(TempPath, ".bak");
        try { File.Move(FullPath, backup); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Unwritable(e); }
        _backup = backup;
        _backupTracked = TemporaryFiles.TrackBackup(backup, FullPath);
    }

    /// <summary>Second step: the new file takes the destination's name.</summary>
    internal void Place()
    {
        try { File.Move(TempPath, FullPath, overwrite: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Unwritable(e); }
        _placed = true;
    }

    /// <summary>Undoes <see cref="Place"/> and <see cref="SetAside"/>: the destination as it was before the group was committed.</summary>
    internal void Restore()
    {
        try
        {
            if (_placed) File.Delete(FullPath);
            if (_backup is not null) File.Move(_backup, FullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        _backupTracked?.Dispose();
        _backup = null;
        _placed = false;
    }

    /// <summary>Last step once every output of the group is placed: the backup is removed.</summary>
    internal void Settle()
    {
        if (_backup is not null)
            try { File.Delete(_backup); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _backupTracked?.Dispose();
        _backup = null;
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
