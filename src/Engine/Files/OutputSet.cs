namespace GpuColorTransfer.Engine.Files;

/// <summary>
/// Every file one job writes, in one guarded writer. <see cref="Add"/> checks an output before
/// any work: not an input (the same file by device and inode, so through links), not a directory,
/// not named twice, in an existing folder where a file can be created (its temporary file is
/// created at once), and not an existing file unless <see cref="Replace"/>. <see cref="Write"/>
/// fills the temporary files; <see cref="Commit"/> gives them their names together, so a job writes
/// all its outputs or none. Without <see cref="Replace"/> a file is only created, never put over
/// a file that appeared meanwhile. Disposing without committing removes every temporary file and
/// any folder <see cref="AddFolder"/> created.
/// </summary>
public sealed class OutputSet : IDisposable
{
    private readonly string[] _inputs;
    private readonly List<StagedFile> _files = [];
    private readonly List<string> _createdFolders = [];
    private bool _committed;

    /// <summary>A set for a job that reads <paramref name="inputs"/>.</summary>
    /// <param name="replace">Whether existing files may be replaced (a command's --force).</param>
    /// <param name="inputs">The files the job reads; none of them is ever written.</param>
    public OutputSet(bool replace, IEnumerable<string> inputs)
    {
        Replace = replace;
        _inputs = [.. inputs];
    }

    /// <summary>Whether existing files may be replaced.</summary>
    public bool Replace { get; }

    /// <summary>The outputs added so far, in order.</summary>
    public IEnumerable<string> Paths => _files.Select(f => f.Path);

    /// <summary>Checks <paramref name="path"/> as an output and reserves it (see the class summary).</summary>
    /// <exception cref="OutputRefusedException">The path is an input, a directory, already added, or an existing file without <see cref="Replace"/>.</exception>
    /// <exception cref="GctException">Its folder is missing or not writable.</exception>
    public void Add(string path)
    {
        string full = Path.GetFullPath(path);
        if (_inputs.Any(i => Path.GetFullPath(i) == full || FileIdentity.Same(i, path)))
            throw new OutputRefusedException(OutputProblem.Input, $"{path}: is also an input (the same file); choose another output file");
        StagedFile.CheckDestination(path);
        if (_files.Any(f => f.FullPath == full || FileIdentity.Same(f.Path, path)))
            throw new OutputRefusedException(OutputProblem.Duplicate, $"{path}: is named as two outputs; give each output its own name");
        if (File.Exists(full) && !Replace) throw new OutputRefusedException(OutputProblem.Exists, $"{path}: already exists");
        _files.Add(new StagedFile(path));
    }

    /// <summary>Creates <paramref name="folder"/> if it is missing (removed again if the set is not committed and it stays empty).</summary>
    public void AddFolder(string folder)
    {
        if (File.Exists(folder)) throw new OutputRefusedException(OutputProblem.Directory, $"{folder}: is a file; give a folder");
        if (Directory.Exists(folder)) return;
        try
        {
            var missing = new List<string>();
            for (var d = new DirectoryInfo(Path.GetFullPath(folder)); d is not null && !d.Exists; d = d.Parent) missing.Add(d.FullName);
            Directory.CreateDirectory(folder);
            _createdFolders.AddRange(missing);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw GctException.ForFile(folder, $"cannot create the folder ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)})", e);
        }
    }

    /// <summary>Writes the content of an output (added here if it was not yet); it appears at <see cref="Commit"/>.</summary>
    public void Write(string path, Action<Stream> write) => Staged(path).Write(write);

    /// <summary>
    /// The temporary file of an output (added here if it was not yet) for another program to fill
    /// (ffmpeg); the output counts as written and appears at <see cref="Commit"/>.
    /// </summary>
    public string WriteExternally(string path)
    {
        var file = Staged(path);
        file.MarkWritten();
        return file.TempPath;
    }

    private StagedFile Staged(string path)
    {
        string full = Path.GetFullPath(path);
        if (_files.FirstOrDefault(f => f.FullPath == full) is { } file) return file;
        Add(path);
        return _files[^1];
    }

    /// <summary>
    /// Gives every written output its name, all or none. Without <see cref="Replace"/>, if one of
    /// them exists by now, the ones this call created are removed again and nothing is left. With
    /// it, the files being replaced are first set aside (renamed to backups), then the new files
    /// placed, then the backups removed; if any step fails, every output is put back as it was.
    /// </summary>
    public void Commit()
    {
        var written = _files.Where(f => f.Written).ToList();
        if (Replace) CommitReplacing(written);
        else CommitCreating(written);
        _committed = true;
        Dispose();
    }

    private static void CommitCreating(List<StagedFile> written)
    {
        var created = new List<StagedFile>();
        try
        {
            foreach (var file in written)
            {
                file.Commit(replace: false);
                created.Add(file);
            }
        }
        catch
        {
            foreach (var file in created)
                try { File.Delete(file.FullPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    private static void CommitReplacing(List<StagedFile> written)
    {
        if (written.Count == 1)
        {
            written[0].Commit(replace: true); // one rename: atomic already
            return;
        }
        try
        {
            foreach (var file in written) file.SetAside();
            foreach (var file in written) file.Place();
        }
        catch
        {
            foreach (var file in written) file.Restore();
            throw;
        }
        foreach (var file in written) file.Settle();
    }

    /// <summary>Removes the temporary files not committed (all of them before <see cref="Commit"/>) and, before it, the folders this set created if they are empty.</summary>
    public void Dispose()
    {
        foreach (var file in _files) file.Dispose();
        if (_committed) return;
        foreach (string folder in _createdFolders)
            try { if (!Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        _createdFolders.Clear();
    }
}
