using GpuColorTransfer.Cli.Serve;

namespace GpuColorTransfer.Tests.Serve;

/// <summary>The bounded least-recently-used map behind the server's references, analyses and extra engines.</summary>
public class RecentlyUsedTests
{
    [Fact]
    public void The_least_recently_used_entry_is_dropped_and_handed_back_and_reading_refreshes_an_entry()
    {
        var dropped = new List<string>();
        var map = new RecentlyUsed<int, string>(2, dropped.Add);
        map.Add(1, "one");
        map.Add(2, "two");
        Assert.True(map.TryGet(1, out var one)); // 1 is now the most recent: 2 goes next
        Assert.Equal("one", one);
        map.Add(3, "three");
        Assert.Equal(["two"], dropped);
        Assert.False(map.TryGet(2, out _));
        Assert.Equal("three", map.GetOrAdd(3, () => throw new InvalidOperationException("held: not made again")));
        Assert.Equal("four", map.GetOrAdd(4, () => "four"));
        Assert.Equal(["two", "one"], dropped);
        map.Add(4, "FOUR"); // a key added again replaces (and drops) its old value
        Assert.Equal(["two", "one", "four"], dropped);
        map.Clear();
        Assert.Equal(["two", "one", "four", "FOUR", "three"], dropped);
    }
}
