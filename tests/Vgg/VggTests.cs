using System.Text.Json;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends.Cpu;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Tests.Vgg;

/// <summary>
/// The VGG-19 layers against activations computed independently (numpy, float64) in
/// tests/fixtures/vgg, through the tiled code path the pipeline uses.
/// </summary>
public class VggTests
{
    private static readonly FeatureTap[] AllTaps = Enum.GetValues<FeatureTap>();

    [Theory]
    [InlineData(8)]   // tiles far smaller than the 37x29 image: every halo and pooling border is crossed
    [InlineData(16)]
    [InlineData(64)]  // one tile
    public unsafe void Tiled_activations_match_the_independent_fixture(int tileSize)
    {
        var image = ImageCodec.Decode(TestData.Fixture("vgg", "vgg_input_37x29.png"));
        Assert.Equal((37, 29), (image.Width, image.Height));
        using var meta = JsonDocument.Parse(File.ReadAllText(TestData.Fixture("vgg", "vgg_fixture.json")));
        fixed (float* planes = image.Planes)
        {
            var tiler = new VggTiler(TestData.Network, AllTaps, planes, image.Width, image.Height);
            var expected = AllTaps.Select(t => ReadFixture(meta, t)).ToArray();
            var covered = AllTaps.Select(t => new bool[expected[(int)t].Length]).ToArray();
            var worst = new double[AllTaps.Length];
            for (int y0 = 0; y0 < image.Height; y0 += tileSize)
                for (int x0 = 0; x0 < image.Width; x0 += tileSize)
                {
                    var tile = new Rect(x0, y0, Math.Min(x0 + tileSize, image.Width), Math.Min(y0 + tileSize, image.Height));
                    var maps = tiler.Forward(tile);
                    for (int t = 0; t < AllTaps.Length; t++)
                    {
                        var (c, h, w) = Shape(meta, AllTaps[t]);
                        var map = maps[t];
                        for (int y = map.Region.Y0; y < map.Region.Y1; y++)
                            for (int x = map.Region.X0; x < map.Region.X1; x++)
                                for (int k = 0; k < c; k++)
                                {
                                    int e = (k * h + y) * w + x;
                                    worst[t] = Math.Max(worst[t], Math.Abs(map.Data[map.Offset(x, y) + k] - expected[t][e]));
                                    covered[t][e] = true;
                                }
                    }
                }
            for (int t = 0; t < AllTaps.Length; t++)
            {
                double max = expected[t].Max(Math.Abs);
                Assert.True(covered[t].All(b => b), $"{AllTaps[t].Name()}: not every position was computed");
                Assert.True(worst[t] <= 1e-4 * max, $"{AllTaps[t].Name()}: max |diff| {worst[t]} > 1e-4 x {max}");
            }
        }
    }

    private static (int C, int H, int W) Shape(JsonDocument meta, FeatureTap tap)
    {
        var s = meta.RootElement.GetProperty("tensors").GetProperty(tap.Name()).GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        return (s[0], s[1], s[2]);
    }

    private static float[] ReadFixture(JsonDocument meta, FeatureTap tap)
    {
        string file = meta.RootElement.GetProperty("tensors").GetProperty(tap.Name()).GetProperty("file").GetString()!;
        var bytes = File.ReadAllBytes(TestData.Fixture("vgg", file));
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        var (c, h, w) = Shape(meta, tap);
        Assert.Equal(c * h * w, values.Length);
        Assert.Equal(tap.Channels(), c);
        return values;
    }

    [Fact]
    public void Weights_load_with_the_shapes_of_VGG19()
    {
        var layers = TestData.Network.Layers;
        Assert.Equal([(3, 64), (64, 64), (64, 128), (128, 128), (128, 256)], layers.Select(l => (l.InChannels, l.OutChannels)));
        Assert.All(layers, l => Assert.Equal(9 * l.InChannels * l.OutChannels, l.Kernel.Length));
    }

    [Fact]
    public void Layer_names_parse_and_unknown_names_are_refused()
    {
        Assert.Equal([FeatureTap.Relu1_2, FeatureTap.Relu2_2], FeatureTaps.Parse("relu1_2, relu2_2"));
        var e = Assert.Throws<FormatException>(() => FeatureTaps.Parse("relu4_1"));
        Assert.Contains("relu1_1", e.Message);
        Assert.Throws<FormatException>(() => FeatureTaps.Parse("relu1_1,relu1_1"));
        Assert.Throws<FormatException>(() => FeatureTaps.Parse(""));
    }

    [Fact]
    public unsafe void A_deep_layer_on_a_too_small_image_is_a_clear_error()
    {
        var planes = GC.AllocateArray<float>(3 * 3 * 3, pinned: true);
        var p = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref planes[0]);
        var e = Assert.Throws<GctException>(() => new VggTiler(TestData.Network, [FeatureTap.Relu3_1], p, 3, 3));
        Assert.Contains("relu3_1", e.Message);
    }
}
