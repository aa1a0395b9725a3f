namespace GpuColorTransfer.Cli.Serve;

/// <summary>
/// A map of at most <paramref name="bound"/> entries (at least one) that drops its least recently used
/// entry when one more is added, handing the dropped value to <paramref name="dropped"/> (to release
/// it). Reading an entry makes it the most recently used. Not thread-safe: its owner serialises calls.
/// </summary>
internal sealed class RecentlyUsed<TKey, TValue>(int bound, Action<TValue>? dropped = null)
    where TKey : notnull
{
    private readonly LinkedList<(TKey Key, TValue Value)> _entries = new();

    /// <summary>The value of <paramref name="key"/>, now the most recently used; false when it is not held.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (Find(key) is { } node)
        {
            _entries.Remove(node);
            _entries.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>The value of <paramref name="key"/>, made by <paramref name="create"/> and added when it is not held.</summary>
    public TValue GetOrAdd(TKey key, Func<TValue> create)
    {
        if (TryGet(key, out var value)) return value;
        value = create();
        Add(key, value);
        return value;
    }

    /// <summary>Holds <paramref name="value"/> under <paramref name="key"/> as the most recently used (an entry of that key dropped first).</summary>
    public void Add(TKey key, TValue value)
    {
        if (Find(key) is { } old)
        {
            _entries.Remove(old);
            dropped?.Invoke(old.Value.Value);
        }
        _entries.AddFirst((key, value));
        while (_entries.Count > Math.Max(1, bound))
        {
            var last = _entries.Last!.Value.Value;
            _entries.RemoveLast();
            dropped?.Invoke(last);
        }
    }

    /// <summary>Drops every entry (each handed to the callback).</summary>
    public void Clear()
    {
        foreach (var (_, value) in _entries) dropped?.Invoke(value);
        _entries.Clear();
    }

    private LinkedListNode<(TKey Key, TValue Value)>? Find(TKey key)
    {
        for (var node = _entries.First; node is not null; node = node.Next)
            if (EqualityComparer<TKey>.Default.Equals(node.Value.Key, key)) return node;
        return null;
    }
}
