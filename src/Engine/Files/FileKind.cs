namespace GpuColorTransfer.Engine.Files;

/// <summary>What a path names (<see cref="FileIdentity.KindOf"/>).</summary>
public enum FileKind
{
    /// <summary>Nothing (or a broken link).</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A folder.</summary>
    Folder,
    /// <summary>A character or block device.</summary>
    Device,
    /// <summary>A named pipe.</summary>
    Pipe,
    /// <summary>A socket.</summary>
    Socket,
    /// <summary>Anything else.</summary>
    Other,
}
