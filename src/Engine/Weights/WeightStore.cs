using System.Reflection;
using System.Security.Cryptography;

namespace GpuColorTransfer.Engine.Weights;

/// <summary>
/// Finds, verifies and downloads the VGG-19 weights (conv1_1..conv3_1, TF.js layers format). The
/// expected SHA-256 of each file is compiled in from the repository's weights/SHA256SUMS; the
/// weight files themselves are never part of the build.
/// </summary>
public static class WeightStore
{
    /// <summary>The public source of the files (see weights/README.md).</summary>
    public const string DefaultBaseUrl = "https://raw.githubusercontent.com/ViktorSvensson/vgg19-tfjs/918333568fb92cbb622a1a5a129829e9a84ba400/vgg19/";
    /// <summary>Environment variable naming a folder with the weights.</summary>
    public const string FolderVariable = "GCT_WEIGHTS";
    /// <summary>Environment variable overriding <see cref="DefaultBaseUrl"/>.</summary>
    public const string UrlVariable = "GCT_WEIGHTS_URL";

    /// <summary>Each file with its SHA-256 (lower-case hex).</summary>
    public static IReadOnlyList<(string File, string Sha256)> Manifest { get; } = ReadManifest();

    private static IReadOnlyList<(string, string)> ReadManifest()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("GpuColorTransfer.Engine.SHA256SUMS")
            ?? throw new InvalidOperationException("the SHA256SUMS resource is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(parts => (parts[1], parts[0].ToLowerInvariant())).ToArray();
    }

    /// <summary>The user cache folder: $XDG_CACHE_HOME/gct/vgg19-tfjs, else ~/.cache/gct/vgg19-tfjs.</summary>
    public static string CacheFolder
    {
        get
        {
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "gct", "vgg19-tfjs");
        }
    }

    /// <summary>What is wrong with the weights in <paramref name="folder"/>: one line per bad file, empty when all are good.</summary>
    public static IReadOnlyList<string> Verify(string folder)
    {
        var problems = new List<string>();
        if (!Directory.Exists(folder)) return [$"{folder}: no such folder"];
        foreach (var (file, sha) in Manifest)
        {
            string path = Path.Combine(folder, file);
            if (!File.Exists(path)) { problems.Add($"{path}: missing"); continue; }
            string actual = Hash(path);
            if (actual != sha) problems.Add($"{path}: SHA-256 {actual[..12]}... does not match the expected {sha[..12]}...");
        }
        return problems;
    }

    private static string Hash(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }

    /// <summary>How to obtain the weights, for error messages.</summary>
    public static string HowToGet =>
        $"run 'gct weights fetch' (downloads 2.2 MB into {CacheFolder}), or download model.json and group1..5-shard1of1 from {DefaultBaseUrl} into a folder and pass it with --weights DIR or {FolderVariable}=DIR";

    /// <summary>
    /// The folder to load the weights from: <paramref name="option"/> (--weights), else $GCT_WEIGHTS,
    /// else the user cache, which is filled by a download first when empty (unless <paramref name="offline"/>).
    /// </summary>
    public static string Resolve(string? option, bool offline, Action<string> say, IProgress<FetchProgress>? progress = null)
    {
        foreach (var (source, folder) in new[] { ("--weights", option), (FolderVariable, Environment.GetEnvironmentVariable(FolderVariable)) })
        {
            if (string.IsNullOrEmpty(folder)) continue;
            var problems = Verify(folder);
            if (problems.Count > 0)
                throw new GctException($"the VGG-19 weights given by {source} are not usable: {problems[0]}{(problems.Count > 1 ? $" (and {problems.Count - 1} more)" : "")}; {HowToGet}");
            return folder;
        }
        string cache = CacheFolder;
        if (Verify(cache).Count == 0) return cache;
        if (offline) throw new GctException($"the VGG-19 weights are not in {cache} and --offline forbids downloading them; {HowToGet}");
        string url = BaseUrl;
        say($"VGG-19 weights not found; downloading them (2.2 MB) from {url} into {cache}");
        try { Fetch(cache, url, progress); }
        catch (GctException e) { throw new GctException($"{e.Message}; {HowToGet}", e); }
        return cache;
    }

    /// <summary>The download base: $GCT_WEIGHTS_URL or <see cref="DefaultBaseUrl"/>.</summary>
    public static string BaseUrl => Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } u ? u : DefaultBaseUrl;

    /// <summary>Progress of a download.</summary>
    public readonly record struct FetchProgress(string File, long Done, long? Total);

    /// <summary>
    /// Downloads every file of the manifest from <paramref name="baseUrl"/> into <paramref name="folder"/>,
    /// checking each SHA-256 before it is renamed into place; files already present and correct are kept.
    /// A mismatch or a network failure leaves no partial file and throws.
    /// </summary>
    public static void Fetch(string folder, string baseUrl, IProgress<FetchProgress>? progress = null)
    {
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw GctException.ForFile(folder, $"cannot create the folder ({e.Message})", e); }
        if (!baseUrl.EndsWith('/')) baseUrl += "/";
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        foreach (var (file, sha) in Manifest)
        {
            string path = Path.Combine(folder, file);
            if (File.Exists(path) && Hash(path) == sha) continue;
            string temp = path + $".{Environment.ProcessId}.download";
            using var tracked = TemporaryFiles.Track(temp);
            try
            {
                using (var response = http.GetAsync(baseUrl + file, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult())
                {
                    if (!response.IsSuccessStatusCode)
                        throw new GctException($"downloading {baseUrl + file} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    long? total = response.Content.Headers.ContentLength;
                    using var body = response.Content.ReadAsStream();
                    using var output = new FileStream(temp, FileMode.Create, FileAccess.Write);
                    var buffer = new byte[81920];
                    long done = 0;
                    int read;
                    while ((read = body.Read(buffer)) > 0)
                    {
                        output.Write(buffer, 0, read);
                        done += read;
                        progress?.Report(new FetchProgress(file, done, total));
                    }
                }
                string actual = Hash(temp);
                if (actual != sha)
                    throw new GctException($"{baseUrl + file}: the download's SHA-256 {actual} does not match the expected {sha}; refusing it");
                File.Move(temp, path, overwrite: true);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                throw new GctException($"downloading {baseUrl + file} failed ({e.Message})", e);
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
    }
}
