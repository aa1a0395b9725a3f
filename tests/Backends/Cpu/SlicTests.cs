using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends.Cpu;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Tests.Backends.Cpu;

/// <summary>SLIC: superpixel count, connectivity, boundary recall on known edges, determinism.</summary>
public class SlicTests
{
    /// <summary>A 240x160 image of flat regions (quadrants, a disc, a diagonal band) with mild noise; also returns the true region map.</summary>
    private static (RgbImage Image, int[] Regions) Synthetic()
    {
        const int w = 240, h = 160;
        var img = new RgbImage(w, h);
        var regions = new int[w * h];
        float[][] colours = [[0.9f, 0.2f, 0.2f], [0.2f, 0.7f, 0.3f], [0.2f, 0.3f, 0.9f], [0.9f, 0.9f, 0.3f], [0.1f, 0.1f, 0.1f], [0.8f, 0.5f, 0.9f]];
        var rng = new Random(7);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int region = (x < 130 ? 0 : 1) + (y < 70 ? 0 : 2);
                if ((x - 70) * (x - 70) + (y - 90) * (y - 90) < 35 * 35) region = 4;
                if (Math.Abs(x - 1.2 * y - 40) < 9 && x > 150) region = 5;
                int p = y * w + x;
                regions[p] = region;
                for (int c = 0; c < 3; c++)
                    img.Planes[c * w * h + p] = Math.Clamp(colours[region][c] + (float)(rng.NextDouble() - 0.5) * 0.04f, 0f, 1f);
            }
        return (img, regions);
    }

    private static unsafe int[] Segment(RgbImage img, int k, out int count)
    {
        var labels = new int[img.PixelCount];
        fixed (float* p = img.Planes)
        fixed (int* l = labels)
            CpuSlic.Run(p, img.Width, img.Height, k, 10f, 10, l, out count);
        return labels;
    }

    private static bool IsBoundary(int[] labels, int w, int h, int x, int y)
    {
        int p = y * w + x;
        return (x + 1 < w && labels[p + 1] != labels[p]) || (y + 1 < h && labels[p + w] != labels[p])
            || (x > 0 && labels[p - 1] != labels[p]) || (y > 0 && labels[p - w] != labels[p]);
    }

    [Fact]
    public void Boundary_recall_on_known_edges_is_at_least_0_9()
    {
        var (img, regions) = Synthetic();
        int w = img.Width, h = img.Height;
        var labels = Segment(img, new TransferSettings().SuperpixelCountFor(img.PixelCount), out _);
        int edges = 0, recalled = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (!IsBoundary(regions, w, h, x, y)) continue;
                edges++;
                bool found = false;
                for (int dy = -2; dy <= 2 && !found; dy++)
                    for (int dx = -2; dx <= 2 && !found; dx++)
                    {
                        int xx = x + dx, yy = y + dy;
                        found = xx >= 0 && yy >= 0 && xx < w && yy < h && IsBoundary(labels, w, h, xx, yy);
                    }
                if (found) recalled++;
            }
        double recall = (double)recalled / edges;
        Assert.True(recall >= 0.9, $"boundary recall {recall:F3} (tolerance 2 px) < 0.9");
    }

    [Theory]
    [InlineData("synthetic", 0)]
    [InlineData("castle_day.jpg", 320)]
    [InlineData("forest_path.jpg", 256)]
    [InlineData("synthetic", 50)]
    public void Count_is_within_15_percent_of_K_and_every_label_is_one_4_connected_region(string source, int sizeOrK)
    {
        var img = source == "synthetic" ? Synthetic().Image : TestData.Photo(source, sizeOrK);
        int k = source == "synthetic" && sizeOrK > 0 ? sizeOrK : new TransferSettings().SuperpixelCountFor(img.PixelCount);
        var labels = Segment(img, k, out int count);
        Assert.InRange(count, (int)Math.Floor(0.85 * k), (int)Math.Ceiling(1.15 * k));
        Assert.Equal(Enumerable.Range(0, count), labels.Distinct().Order());
        // Flood-fill each label from its first pixel: it must reach every pixel of that label.
        int w = img.Width, h = img.Height;
        var seen = new bool[labels.Length];
        var firsts = new Dictionary<int, int>();
        for (int p = 0; p < labels.Length; p++) firsts.TryAdd(labels[p], p);
        foreach (var (label, first) in firsts)
        {
            var stack = new Stack<int>([first]);
            seen[first] = true;
            while (stack.Count > 0)
            {
                int p = stack.Pop(), x = p % w, y = p / w;
                foreach (int q in new[] { x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1 })
                    if (q >= 0 && !seen[q] && labels[q] == label) { seen[q] = true; stack.Push(q); }
            }
        }
        Assert.True(seen.All(s => s), "some label is split into several 4-connected regions");
    }

    [Fact]
    public void Segmentation_is_deterministic()
    {
        var img = TestData.Photo("glacier.jpg", 300);
        int k = new TransferSettings().SuperpixelCountFor(img.PixelCount);
        Assert.Equal(Segment(img, k, out int a), Segment(img, k, out int b));
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 37)]
    [InlineData(37, 1)]
    [InlineData(5, 4)]
    public void Tiny_images_get_valid_labels(int w, int h)
    {
        var img = new RgbImage(w, h);
        for (int i = 0; i < img.Planes.Length; i++) img.Planes[i] = (i * 37 % 101) / 100f;
        var labels = Segment(img, new TransferSettings().SuperpixelCountFor(img.PixelCount), out int count);
        Assert.InRange(count, 1, w * h);
        Assert.All(labels, l => Assert.InRange(l, 0, count - 1));
    }
}
