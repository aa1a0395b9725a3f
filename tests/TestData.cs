using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Vgg;

namespace GpuColorTransfer.Tests;

/// <summary>Locates the repository, the shared data beside it and the VGG-19 weights.</summary>
internal static class TestData
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GpuColorTransfer.sln"))) return dir.FullName;
        throw new InvalidOperationException("GpuColorTransfer.sln not found above the test assembly");
    }

    /// <summary>../shared beside the repository.</summary>
    public static string Shared { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string Image(string name) => Path.Combine(Shared, "images", name);

    public static string Fixture(params string[] parts) => Path.Combine([Shared, "fixtures", .. parts]);

    /// <summary>$GCT_WEIGHTS, else ../shared/weights/vgg19-tfjs.</summary>
    public static string WeightsFolder { get; } =
        Environment.GetEnvironmentVariable("GCT_WEIGHTS") is { Length: > 0 } w ? w : Path.Combine(Shared, "weights", "vgg19-tfjs");

    private static readonly Lazy<VggNetwork> LazyNetwork = new(() => VggNetwork.Load(WeightsFolder));
    public static VggNetwork Network => LazyNetwork.Value;

    /// <summary>A photo of ../shared/images resized so that its long side is <paramref name="longSide"/>.</summary>
    public static RgbImage Photo(string name, int longSide)
    {
        var img = ImageCodec.Decode(Image(name));
        double s = (double)longSide / Math.Max(img.Width, img.Height);
        return img.Resize(Math.Max(1, (int)Math.Round(img.Width * s)), Math.Max(1, (int)Math.Round(img.Height * s)));
    }

    public static string TempFolder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "gct-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A w x h image of uniform random values (fixed seed): no structure, every size allowed.</summary>
    public static RgbImage Patterned(int w, int h, int seed)
    {
        var img = new RgbImage(w, h);
        var rng = new Random(seed);
        for (int i = 0; i < img.Planes.Length; i++) img.Planes[i] = (float)rng.NextDouble();
        return img;
    }

    /// <summary>Target and reference sizes (tw, th, rw, rh) at the edges of what a transfer accepts: 1 px, one row or column, opposite aspect ratios.</summary>
    public static TheoryData<int, int, int, int> ExtremeSizes => new()
    {
        { 1, 1, 64, 48 }, { 1, 37, 64, 48 }, { 37, 1, 64, 48 }, { 3, 2, 2, 3 }, { 400, 12, 12, 400 }, { 64, 48, 1, 1 },
    };
}
