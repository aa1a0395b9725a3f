using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Engine.Weights;

namespace GpuColorTransfer.Tests.Support;

/// <summary>Locates the repository, the test photos and fixtures inside it, and the VGG-19 weights.</summary>
internal static class TestData
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GpuColorTransfer.sln"))) return dir.FullName;
        throw new InvalidOperationException("GpuColorTransfer.sln not found above the test assembly");
    }

    /// <summary>A photo of tests/photos (see its README and MANIFEST.tsv).</summary>
    public static string Image(string name) => Path.Combine(RepositoryRoot, "tests", "photos", name);

    /// <summary>A file of samples/: the README's sample pair.</summary>
    public static string Sample(string name) => Path.Combine(RepositoryRoot, "samples", name);

    /// <summary>A file of tests/fixtures: independent reference outputs.</summary>
    public static string Fixture(params string[] parts) => Path.Combine([RepositoryRoot, "tests", "fixtures", .. parts]);

    /// <summary>The repository's copy of the VGG-19 weights (the files embedded in the engine).</summary>
    public static string WeightsFolder { get; } = Path.Combine(RepositoryRoot, "weights");

    private static readonly Lazy<VggNetwork> LazyNetwork = new(() => VggNetwork.Load(WeightStore.OpenEmbedded, "built-in weights"));
    public static VggNetwork Network => LazyNetwork.Value;

    /// <summary>An engine on the CPU backend with <paramref name="settings"/> (default settings when null).</summary>
    public static ColorTransferEngine CpuEngine(TransferSettings? settings = null) =>
        ColorTransferEngine.Create(new EngineOptions { Device = DevicePreference.Cpu, Settings = settings ?? new TransferSettings() });

    /// <summary>A photo of tests/photos resized so that its long side is <paramref name="longSide"/>.</summary>
    public static RgbImage Photo(string name, int longSide)
    {
        var img = ImageCodec.Decode(Image(name));
        double s = (double)longSide / Math.Max(img.Width, img.Height);
        return img.Resize(Math.Max(1, (int)Math.Round(img.Width * s)), Math.Max(1, (int)Math.Round(img.Height * s)));
    }

    /// <summary>
    /// This test run's folder under the temporary directory, removed when the run exits; folders of
    /// earlier runs whose process is gone (killed) are removed when the next run starts.
    /// </summary>
    private static readonly Lazy<string> RunFolder = new(() =>
    {
        string root = Path.Combine(Path.GetTempPath(), "gct-tests");
        if (Directory.Exists(root))
            foreach (string old in Directory.GetDirectories(root))
                if (!int.TryParse(Path.GetFileName(old), out int pid) || !Engine.Files.TemporaryFiles.IsRunning(pid)) DeleteQuietly(old);
        string dir = Path.Combine(root, Environment.ProcessId.ToString());
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteQuietly(dir);
        return dir;
    });

    private static void DeleteQuietly(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>A new empty folder inside this run's folder.</summary>
    public static string TempFolder()
    {
        string dir = Path.Combine(RunFolder.Value, Guid.NewGuid().ToString("N"));
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
