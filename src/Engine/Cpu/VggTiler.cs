using GpuColorTransfer.Engine.Vgg;

namespace GpuColorTransfer.Engine.Cpu;

/// <summary>
/// Computes VGG-19 activations tile by tile so that no full-resolution feature map ever exists:
/// for a full-resolution tile it works out, layer by layer from the deepest tap back to the
/// input, which region of each layer is needed (one pixel of halo per 3x3 convolution, twice the
/// region across a 2x2 max-pool, the bilinear footprint for deeper taps), then runs the layers
/// forward on those regions only. Preprocessing is Caffe's: BGR, 0..255, minus the ImageNet mean.
/// </summary>
internal sealed unsafe class VggTiler
{
    private readonly VggNetwork _network;
    private readonly IReadOnlyList<FeatureTap> _taps;
    private readonly float* _planes;
    private readonly int _deepest;
    private readonly Rect[] _levels;

    /// <param name="network">conv1_1..conv3_1.</param>
    /// <param name="taps">The activations wanted.</param>
    /// <param name="planes">Planar sRGB values in [0,1]; must stay pinned while the tiler is used.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    public VggTiler(VggNetwork network, IReadOnlyList<FeatureTap> taps, float* planes, int width, int height)
    {
        _network = network;
        _taps = taps;
        _planes = planes;
        Width = width;
        Height = height;
        _deepest = taps.Max(t => t.Layer());
        _levels = [new Rect(0, 0, width, height), new Rect(0, 0, width / 2, height / 2), new Rect(0, 0, width / 4, height / 4)];
        CheckSize(taps, width, height);
    }

    /// <summary>Refuses taps whose resolution level would be empty for an image of this size.</summary>
    public static void CheckSize(IReadOnlyList<FeatureTap> taps, int width, int height)
    {
        foreach (var t in taps)
            if (width >> t.Level() == 0 || height >> t.Level() == 0)
                throw new GctException($"a {width}x{height} image is too small for layer {t.Name()} (it needs at least {1 << t.Level()} pixels per side); use relu1_1 or relu1_2");
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The pixel grid of resolution level 0, 1 or 2.</summary>
    public Rect LevelBounds(int level) => _levels[level];

    /// <summary>
    /// Source footprint of bilinear upsampling (half-pixel centres, as PyTorch's align_corners=False)
    /// from a level of <paramref name="levelSize"/> pixels to <paramref name="fullSize"/> pixels: x_src = (x + 0.5) * W_l / W - 0.5, clamped at 0.
    /// </summary>
    public static float SourceCoordinate(int x, int levelSize, int fullSize) =>
        Math.Max((x + 0.5f) * levelSize / fullSize - 0.5f, 0f);

    private Rect UpsampleFootprint(Rect tile, int level)
    {
        var b = _levels[level];
        int x0 = (int)SourceCoordinate(tile.X0, b.X1, Width), y0 = (int)SourceCoordinate(tile.Y0, b.Y1, Height);
        int x1 = Math.Min((int)SourceCoordinate(tile.X1 - 1, b.X1, Width) + 1, b.X1 - 1);
        int y1 = Math.Min((int)SourceCoordinate(tile.Y1 - 1, b.Y1, Height) + 1, b.Y1 - 1);
        return new Rect(x0, y0, x1 + 1, y1 + 1);
    }

    private static bool FollowsPool(int layer) => layer is 2 or 4;

    /// <summary>
    /// The activations of every tap for full-resolution tile <paramref name="tile"/>: level-0 taps over
    /// the tile itself, deeper taps over the footprint their upsampling to the tile reads.
    /// </summary>
    public FeatureTile[] Forward(Rect tile)
    {
        var need = new Rect[_deepest + 1];
        Array.Fill(need, Rect.Empty);
        foreach (var t in _taps)
            need[t.Layer()] = need[t.Layer()].Union(t.Level() == 0 ? tile : UpsampleFootprint(tile, t.Level()));
        for (int k = _deepest; k >= 1; k--)
        {
            var req = need[k].Expand(1).Intersect(_levels[FeatureTaps.LevelOfLayer(k)]);
            need[k - 1] = need[k - 1].Union(FollowsPool(k) ? new Rect(2 * req.X0, 2 * req.Y0, 2 * req.X1, 2 * req.Y1) : req);
        }

        var outputs = new FeatureTile[_deepest + 1];
        FeatureTile? previous = null;
        for (int k = 0; k <= _deepest; k++)
        {
            var layer = _network.Layers[k];
            var input = new FeatureTile(need[k].Expand(1), layer.InChannels);
            var valid = input.Region.Intersect(_levels[FeatureTaps.LevelOfLayer(k)]);
            if (k == 0) Preprocess(input, valid);
            else if (FollowsPool(k)) MaxPool(previous!, input, valid);
            else Copy(previous!, input, valid);
            var output = new FeatureTile(need[k], layer.OutChannels);
            CpuConv3x3.Run(input, output, layer.Kernel, layer.Bias);
            outputs[k] = previous = output;
        }
        return _taps.Select(t => outputs[t.Layer()]).ToArray();
    }

    /// <summary>Caffe preprocessing into the zero-padded input tile: BGR, 255 * v - mean.</summary>
    private void Preprocess(FeatureTile input, Rect valid)
    {
        int n = Width * Height;
        var mean = VggNetwork.MeanBgr;
        for (int y = valid.Y0; y < valid.Y1; y++)
            for (int x = valid.X0; x < valid.X1; x++)
            {
                int p = y * Width + x, o = input.Offset(x, y);
                input.Data[o] = 255f * _planes[2 * n + p] - mean[0];
                input.Data[o + 1] = 255f * _planes[n + p] - mean[1];
                input.Data[o + 2] = 255f * _planes[p] - mean[2];
            }
    }

    private static void Copy(FeatureTile from, FeatureTile to, Rect valid)
    {
        int c = to.Channels;
        for (int y = valid.Y0; y < valid.Y1; y++)
            Array.Copy(from.Data, from.Offset(valid.X0, y), to.Data, to.Offset(valid.X0, y), valid.Width * c);
    }

    /// <summary>2x2 stride-2 max-pool (floor): to(x, y) = max of from(2x..2x+1, 2y..2y+1).</summary>
    private static void MaxPool(FeatureTile from, FeatureTile to, Rect valid)
    {
        int c = to.Channels;
        var f = from.Data;
        for (int y = valid.Y0; y < valid.Y1; y++)
            for (int x = valid.X0; x < valid.X1; x++)
            {
                int o = to.Offset(x, y);
                int a = from.Offset(2 * x, 2 * y), b = from.Offset(2 * x + 1, 2 * y);
                int d = from.Offset(2 * x, 2 * y + 1), e = from.Offset(2 * x + 1, 2 * y + 1);
                for (int i = 0; i < c; i++)
                    to.Data[o + i] = MathF.Max(MathF.Max(f[a + i], f[b + i]), MathF.Max(f[d + i], f[e + i]));
            }
    }
}
