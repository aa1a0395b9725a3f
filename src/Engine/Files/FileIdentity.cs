using System.Runtime.InteropServices;

namespace GpuColorTransfer.Engine.Files;

/// <summary>
/// Whether two paths name the same file: the same device and inode (so through symbolic links,
/// links to folders and hard links), read with the C library's stat; where that is not available,
/// the same full path with links resolved.
/// </summary>
public static partial class FileIdentity
{
    /// <summary>True when both paths exist and are one file.</summary>
    public static bool Same(string a, string b) => Key(a) is { } key && key == Key(b);

    /// <summary>A key equal for two paths exactly when they name one existing file (device and inode, else the resolved path); null when the file does not exist.</summary>
    public static string? Key(string path)
    {
        if (!File.Exists(path)) return null;
        return Stat(path) is { } s ? $"{s.Device}:{s.Inode}" : Resolved(path);
    }

    private static string Resolved(string path) =>
        File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);

    /// <summary>(st_dev, st_ino) on Linux x86-64 and arm64 (both fields lead struct stat there), else null.</summary>
    private static (ulong Device, ulong Inode)? Stat(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64)) return null;
        var buffer = new byte[256]; // struct stat is 144 (x86-64) or 128 (arm64) bytes
        try
        {
            if (stat(path, buffer) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        return (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int stat(string path, byte[] buffer);
}
