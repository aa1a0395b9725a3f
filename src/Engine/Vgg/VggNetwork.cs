using System.Text.Json;

namespace GpuColorTransfer.Engine.Vgg;

/// <summary>One 3x3 convolution of VGG-19: kernel in HWIO layout [3,3,in,out], then bias.</summary>
public sealed record ConvLayer(string Name, int InChannels, int OutChannels, float[] Kernel, float[] Bias);

/// <summary>
/// The first five convolutions of VGG-19 (conv1_1, conv1_2, conv2_1, conv2_2, conv3_1), read from
/// a TensorFlow.js LayersModel folder (model.json and its weight shards). They expect Caffe
/// preprocessing: BGR, 0..255, minus the ImageNet mean.
/// </summary>
public sealed class VggNetwork
{
    /// <summary>The Keras names of the layers used, in order.</summary>
    public static readonly string[] LayerNames = ["block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2", "block3_conv1"];

    /// <summary>Caffe mean of the B, G, R channels (0..255 scale).</summary>
    public static readonly float[] MeanBgr = [103.939f, 116.779f, 123.68f];

    /// <summary>conv1_1 .. conv3_1.</summary>
    public IReadOnlyList<ConvLayer> Layers { get; }

    private VggNetwork(IReadOnlyList<ConvLayer> layers) => Layers = layers;

    /// <summary>Builds a network from explicit layers (for tests and tools).</summary>
    public static VggNetwork FromLayers(IReadOnlyList<ConvLayer> layers) => new(layers);

    /// <summary>Loads the layers from a folder holding model.json and its shards.</summary>
    public static VggNetwork Load(string folder)
    {
        string modelPath = Path.Combine(folder, "model.json");
        if (!File.Exists(modelPath)) throw GctException.ForFile(modelPath, "missing; run 'gct weights fetch' or point --weights at a folder with the VGG-19 files");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllBytes(modelPath)); }
        catch (JsonException e) { throw GctException.ForFile(modelPath, $"is not valid JSON ({e.Message}); run 'gct weights fetch' again", e); }
        using (doc)
        {
            var tensors = new Dictionary<string, float[]>();
            var shapes = new Dictionary<string, int[]>();
            if (!doc.RootElement.TryGetProperty("weightsManifest", out var manifest))
                throw GctException.ForFile(modelPath, "has no weightsManifest; it is not a TF.js layers model");
            foreach (var group in manifest.EnumerateArray())
            {
                var weights = group.GetProperty("weights").EnumerateArray().ToList();
                if (!weights.Any(w => LayerNames.Any(n => w.GetProperty("name").GetString()!.StartsWith(n + "/", StringComparison.Ordinal))))
                    continue;
                byte[] data = ReadGroup(folder, group.GetProperty("paths").EnumerateArray().Select(p => p.GetString()!));
                int offset = 0;
                foreach (var w in weights)
                {
                    string name = w.GetProperty("name").GetString()!;
                    int[] shape = w.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                    if (w.TryGetProperty("dtype", out var dtype) && dtype.GetString() != "float32")
                        throw GctException.ForFile(modelPath, $"{name} has dtype {dtype.GetString()}, expected float32");
                    int count = shape.Aggregate(1, (a, b) => a * b);
                    if (offset + 4 * count > data.Length)
                        throw GctException.ForFile(folder, $"the shards of {name} are shorter than model.json says; run 'gct weights fetch' again");
                    var values = new float[count];
                    Buffer.BlockCopy(data, offset, values, 0, 4 * count);
                    if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
                    offset += 4 * count;
                    tensors[name] = values;
                    shapes[name] = shape;
                }
            }
            var layers = new List<ConvLayer>();
            foreach (string n in LayerNames)
            {
                if (!tensors.TryGetValue(n + "/kernel", out var kernel) || !tensors.TryGetValue(n + "/bias", out var bias))
                    throw GctException.ForFile(modelPath, $"has no weights for {n}");
                int[] s = shapes[n + "/kernel"];
                if (s.Length != 4 || s[0] != 3 || s[1] != 3 || bias.Length != s[3])
                    throw GctException.ForFile(modelPath, $"{n} has kernel shape [{string.Join(",", s)}], expected [3,3,in,out]");
                layers.Add(new ConvLayer(n, s[2], s[3], kernel, bias));
            }
            return new VggNetwork(layers);
        }
    }

    private static byte[] ReadGroup(string folder, IEnumerable<string> paths)
    {
        using var all = new MemoryStream();
        foreach (string p in paths)
        {
            string file = Path.Combine(folder, p);
            if (!File.Exists(file)) throw GctException.ForFile(file, "missing; run 'gct weights fetch' or point --weights at a folder with the VGG-19 files");
            using var f = File.OpenRead(file);
            f.CopyTo(all);
        }
        return all.ToArray();
    }
}
