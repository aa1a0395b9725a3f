using System.Runtime.InteropServices;
using System.Text.Json;

namespace GpuColorTransfer.Engine.Vgg;

/// <summary>One 3x3 convolution of VGG-19: kernel in HWIO layout [3,3,in,out], then bias.</summary>
public sealed record ConvLayer(string Name, int InChannels, int OutChannels, float[] Kernel, float[] Bias);

/// <summary>
/// The first five convolutions of VGG-19 (conv1_1, conv1_2, conv2_1, conv2_2, conv3_1), read from
/// a TensorFlow.js LayersModel (model.json and its weight shards). They expect Caffe
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

    /// <summary>
    /// Loads the layers from a TF.js layers model: <paramref name="open"/> opens model.json and the
    /// shards it names; <paramref name="origin"/> names where they come from in error messages.
    /// </summary>
    public static VggNetwork Load(Func<string, Stream> open, string origin)
    {
        JsonDocument doc;
        try
        {
            using var model = open("model.json");
            doc = JsonDocument.Parse(model);
        }
        catch (JsonException e) { throw Bad($"model.json is not valid JSON ({e.Message})", e); }
        using (doc)
        {
            var tensors = new Dictionary<string, float[]>();
            var shapes = new Dictionary<string, int[]>();
            if (!doc.RootElement.TryGetProperty("weightsManifest", out var manifest))
                throw Bad("model.json has no weightsManifest; it is not a TF.js layers model");
            foreach (var group in manifest.EnumerateArray())
            {
                var weights = group.GetProperty("weights").EnumerateArray().ToList();
                if (!weights.Any(w => LayerNames.Any(n => w.GetProperty("name").GetString()!.StartsWith(n + "/", StringComparison.Ordinal))))
                    continue;
                using var data = new MemoryStream();
                foreach (var path in group.GetProperty("paths").EnumerateArray())
                {
                    using var shard = open(path.GetString()!);
                    shard.CopyTo(data);
                }
                var bytes = data.GetBuffer().AsSpan(0, (int)data.Length);
                int offset = 0;
                foreach (var w in weights)
                {
                    string name = w.GetProperty("name").GetString()!;
                    int[] shape = w.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                    if (w.TryGetProperty("dtype", out var dtype) && dtype.GetString() != "float32")
                        throw Bad($"{name} has dtype {dtype.GetString()}, expected float32");
                    int count = shape.Aggregate(1, (a, b) => a * b);
                    if (offset + 4 * count > bytes.Length)
                        throw Bad($"the shards of {name} are shorter than model.json says");
                    if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
                    tensors[name] = MemoryMarshal.Cast<byte, float>(bytes.Slice(offset, 4 * count)).ToArray();
                    shapes[name] = shape;
                    offset += 4 * count;
                }
            }
            var layers = new List<ConvLayer>();
            foreach (string n in LayerNames)
            {
                if (!tensors.TryGetValue(n + "/kernel", out var kernel) || !tensors.TryGetValue(n + "/bias", out var bias))
                    throw Bad($"model.json has no weights for {n}");
                int[] s = shapes[n + "/kernel"];
                if (s.Length != 4 || s[0] != 3 || s[1] != 3 || bias.Length != s[3])
                    throw Bad($"{n} has kernel shape [{string.Join(",", s)}], expected [3,3,in,out]");
                layers.Add(new ConvLayer(n, s[2], s[3], kernel, bias));
            }
            return new VggNetwork(layers);
        }

        GctException Bad(string reason, Exception? inner = null) => GctException.ForFile(origin, reason, inner);
    }
}
