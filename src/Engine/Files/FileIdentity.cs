using System.Runtime.InteropServices;

namespace GpuColorTransfer.Engine.Files;

/// <summary>
/// Whether two paths name the same file: the same device and inode (so through symbolic links,
/// links to folders and hard links), read with the C library's stat; where that is not available,
/// the same full path with links resolved. And what kind of file a path names.
/// </summary>
public static partial class FileIdentity
{
    /// <summary>True when both paths exist and are one file.</summary>
    public static bool Same(string a, string b) => Key(a) is { } key && key == Key(b);

    /// <summary>A key equal for two paths exactly when they name one existing file or folder (device and inode, else the resolved path); null when nothing is there.</summary>
    public static string? Key(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) return null;
        return Stat(path) is { } s ? $"{s.Device}:{s.Inode}" : Resolved(path);
    }

    private static string Resolved(string path) =>
        File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);

    /// <summary>
    /// What <paramref name="path"/> is (what a symbolic link points to): a regular file, a folder,
    /// a device, a pipe or a socket; <see cref="FileKind.Missing"/> when nothing is there (or a
    /// link is broken). Where stat is not available, regular files and folders are told apart only.
    /// </summary>
    public static FileKind KindOf(string path)
    {
        if (Stat(path) is { } s)
            return (s.Mode & 0xF000) switch
            {
                0x8000 => FileKind.Regular,
                0x4000 => FileKind.Folder,
                0x2000 or 0x6000 => FileKind.Device,
                0x1000 => FileKind.Pipe,
                0xC000 => FileKind.Socket,
                _ => FileKind.Other,
            };
        if (StatAvailable) return FileKind.Missing; // stat failed: nothing there, or a broken or looping link
        return Directory.Exists(path) ? FileKind.Folder : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    /// <summary>Whether <see cref="Stat"/> reads the C library's stat here (Linux on x86-64 or arm64, with libc found).</summary>
    private static bool StatAvailable { get; } = Stat("/") is not null;

    /// <summary>(st_dev, st_ino, st_mode) on Linux x86-64 and arm64 (the two lead struct stat; st_mode is at 24 or 16), else null.</summary>
    private static (ulong Device, ulong Inode, uint Mode)? Stat(string path)
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
        int mode = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        return (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8), BitConverter.ToUInt32(buffer, mode));
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int stat(string path, byte[] buffer);
}
