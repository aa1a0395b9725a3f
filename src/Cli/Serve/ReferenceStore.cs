using System.Security.Cryptography;

namespace GpuColorTransfer.Cli.Serve;

/// <summary>
/// The bytes of the references uploaded, by id (the hex SHA-256 of the bytes, so the same image
/// always gets the same id), so that any engine can analyse one on demand; the least recently used
/// dropped beyond <paramref name="bound"/> references. Safe for concurrent requests.
/// </summary>
internal sealed class ReferenceStore(int bound)
{
    private readonly RecentlyUsed<string, byte[]> _bytes = new(bound);
    private readonly Lock _lock = new();

    /// <summary>The id of <paramref name="bytes"/>.</summary>
    public static string IdOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Keeps <paramref name="bytes"/> and returns its id.</summary>
    public string Add(byte[] bytes)
    {
        string id = IdOf(bytes);
        lock (_lock) _bytes.Add(id, bytes);
        return id;
    }

    /// <summary>The bytes kept under <paramref name="id"/>; null when none are (never uploaded, or dropped).</summary>
    public byte[]? Get(string id)
    {
        lock (_lock) return _bytes.TryGet(id, out var bytes) ? bytes : null;
    }
}
