using GpuColorTransfer.Engine;

namespace GpuColorTransfer.Tests;

/// <summary>
/// Requests that scale the work (superpixel counts, the sizes they meet) are estimated before
/// anything is allocated and refused above the caps, which the user can move.
/// </summary>
public class WorkLimitTests
{
    private static readonly string Target = TestData.Sample("target.jpg");
    private static readonly string Reference = TestData.Sample("reference.jpg");

    /// <summary>Command lines asking for absurd work: each ran for minutes or until memory ran out before the caps.</summary>
    public static TheoryData<string, string> AbsurdRequests => new()
    {
        { "transfer TARGET REFERENCE -o OUT.png --superpixels 2000000000", "superpixels asked of a 370x270 image, above the limit of 65536" },
        { "transfer TARGET REFERENCE -o OUT.png --superpixel-factor 1000", "above the limit of 65536" },
        { "transfer TARGET REFERENCE -o OUT.png --render local --superpixels 60000", "GiB of memory, above the limit of" },
        { "transfer TARGET REFERENCE -o OUT.png --work-size 10000 --superpixels 60000", "GiB of memory, above the limit of" },
        { "superpixels TARGET -o OUT.png --superpixels 1000000", "superpixels asked of a 640x468 image" },
        { "eval TARGET --size 2048 --methods carrillo --superpixels 65536", "of memory, above the limit of" },
        { "bench TARGET REFERENCE --sizes 1024x768 --runs 1 --superpixels 100000", "above the limit of 65536 per image" },
        { "transfer TARGET REFERENCE -o OUT.png --max-superpixels 100", "superpixels asked of a 370x270 image, above the limit of 100" },
        { "transfer TARGET REFERENCE -o OUT.png --max-memory 0.001", "MiB of memory, above the limit of 2 MiB" },
        { "video TARGET REFERENCE -o OUT.mp4 --max-pixels 1000", "is 640x468 = 0.3 MP, above the limit of 0.0 MP" },
    };

    [Theory]
    [MemberData(nameof(AbsurdRequests))]
    public void Work_beyond_the_caps_is_refused_before_it_starts(string template, string message)
    {
        string dir = TestData.TempFolder();
        var args = template.Split(' ').Select(w => w switch
        {
            "TARGET" => Target, "REFERENCE" => Reference, "OUT.png" => Path.Combine(dir, "out.png"), "OUT.mp4" => Path.Combine(dir, "out.mp4"), _ => w,
        }).Append("--device").Append("cpu").ToArray();
        var r = Gct.Run(args);
        Assert.True(r.ExitCode == 1, $"{template}: exit {r.ExitCode}\n{r.Stderr}");
        Assert.Contains(message, r.Stderr);
        Assert.Contains("raise --max-", r.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void The_caps_can_be_raised_and_never_change_a_result()
    {
        string dir = TestData.TempFolder(), a = Path.Combine(dir, "a.png"), b = Path.Combine(dir, "b.png");
        string[] common = ["transfer", Target, Reference, "--device", "cpu", "--superpixels", "300"];
        Assert.Equal(1, Gct.Run([.. common, "-o", a, "--max-superpixels", "299"]).ExitCode);
        Assert.Equal(0, Gct.Run([.. common, "-o", a, "--max-superpixels", "300"]).ExitCode);
        Assert.Equal(0, Gct.Run([.. common, "-o", b, "--max-superpixels", "1000000", "--max-memory", "1000"]).ExitCode);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void The_memory_estimate_grows_with_superpixels_and_covers_the_images()
    {
        var settings = new TransferSettings { Render = RenderMode.Local };
        var job = new TransferJob(1920, 1080, 1920, 1080, settings);
        long images = 12L * 3 * 1920 * 1080; // target, reference and result as float planes
        Assert.Equal(images, WorkLimits.HostBytes(job, hostStageTileSize: null));
        long few = WorkLimits.HostBytes(job, TransferSettings.CpuTileSize);
        long many = WorkLimits.HostBytes(job with { Settings = settings with { Superpixels = 40_000 } }, TransferSettings.CpuTileSize);
        Assert.True(few > images);
        Assert.True(many >= 8L * 40_000 * 40_000, $"{many}"); // the fusion's candidate lists: N_T^2 entries of 8 bytes
    }
}
