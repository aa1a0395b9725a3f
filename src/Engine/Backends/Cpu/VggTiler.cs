using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Backends.Cpu;

/// <summary>
/// Computes VGG-19 activations tile by tile on the CPU, over the regions of <see cref="VggTilePlan"/>,
/// so that no full-resolution feature map ever exists. Preprocessing is Caffe's: BGR, 0..255,
/// minus the ImageNet mean.
/// </summary>
internal sealed unsafe class VggTiler
{
    private readonly VggNetwork _network;
    private readonly float* _planes;

    /// <param name="network">conv1_1..conv3_1.</param>
    /// <param name="taps">The activations wanted.</param>
    /// <param name="planes">Planar sRGB values in [0,1]; must stay pinned while the tiler is used.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    public VggTiler(VggNetwork network, IReadOnlyList<FeatureTap> taps, float* planes, int width, int height)
    {
        _network = network;
        _planes = planes;
        Taps = taps;
        Plan = new VggTilePlan(taps, width, height);
    }

    public VggTilePlan Plan { get; }
    public IReadOnlyList<FeatureTap> Taps { get; }
    public int Width => Plan.Width;
    public int Height => Plan.Height;

    /// <summary>
    /// The activations of every tap for full-resolution tile <paramref name="tile"/>: level-0 taps over
    /// the tile itself, deeper taps over the footprint their upsampling to the tile reads.
    /// </summary>
    public FeatureTile[] Forward(Rect tile)
    {
        var need = Plan.Regions(tile);
        var outputs = new FeatureTile[Plan.Deepest + 1];
        FeatureTile? previous = null;
        for (int k = 0; k <= Plan.Deepest; k++)
        {
            var layer = _network.Layers[k];
            var input = new FeatureTile(need[k].Expand(1), layer.InChannels);
            var valid = Plan.InputRegion(k, need);
            if (k == 0) Preprocess(input, valid);
            else if (VggTilePlan.FollowsPool(k)) MaxPool(previous!, input, valid);
            else Copy(previous!, input, valid);
            var output = new FeatureTile(need[k], layer.OutChannels);
            CpuConv3x3.Run(input, output, layer.Kernel, layer.Bias);
            outputs[k] = previous = output;
        }
        return Taps.Select(t => outputs[t.Layer()]).ToArray();
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
