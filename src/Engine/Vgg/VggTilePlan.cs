using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Vgg;

/// <summary>
/// How the VGG-19 taps are computed tile by tile so that no full-resolution feature map ever
/// exists: for a full-resolution tile, which region of each layer's output is needed, worked out
/// from the deepest tap back to the input (one pixel of halo per 3x3 convolution, twice the
/// region across a 2x2 max-pool, the bilinear footprint for taps below full resolution). Both
/// backends run the layers forward over these regions.
/// </summary>
internal sealed class VggTilePlan
{
    private readonly IReadOnlyList<FeatureTap> _taps;
    private readonly Rect[] _levels;

    public VggTilePlan(IReadOnlyList<FeatureTap> taps, int width, int height)
    {
        CheckSize(taps, width, height);
        _taps = taps;
        Width = width;
        Height = height;
        Deepest = taps.Max(t => t.Layer());
        _levels = [new Rect(0, 0, width, height), new Rect(0, 0, width / 2, height / 2), new Rect(0, 0, width / 4, height / 4)];
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

    /// <summary>The deepest convolution run (0 = conv1_1 ... 4 = conv3_1).</summary>
    public int Deepest { get; }

    /// <summary>The pixel grid of resolution level 0, 1 or 2.</summary>
    public Rect LevelBounds(int level) => _levels[level];

    /// <summary>True for the layers whose input is the 2x2 max-pool of the previous layer's output.</summary>
    public static bool FollowsPool(int layer) => layer is 2 or 4;

    /// <summary>
    /// The image cut into tilesX x tilesY nearly equal tiles of at most <paramref name="tileSize"/>
    /// pixels per side, row by row.
    /// </summary>
    public IEnumerable<Rect> Tiles(int tileSize)
    {
        int tilesX = (Width + tileSize - 1) / tileSize, tilesY = (Height + tileSize - 1) / tileSize;
        int tw = (Width + tilesX - 1) / tilesX, th = (Height + tilesY - 1) / tilesY;
        for (int ty = 0; ty < tilesY; ty++)
            for (int tx = 0; tx < tilesX; tx++)
                yield return new Rect(tx * tw, ty * th, Math.Min(Width, (tx + 1) * tw), Math.Min(Height, (ty + 1) * th));
    }

    /// <summary>
    /// The output region of every layer 0..<see cref="Deepest"/> needed for full-resolution tile
    /// <paramref name="tile"/>: level-0 taps over the tile itself, deeper taps over the footprint
    /// their upsampling to the tile reads, and what the next layer reads.
    /// </summary>
    public Rect[] Regions(Rect tile)
    {
        var need = new Rect[Deepest + 1];
        Array.Fill(need, Rect.Empty);
        foreach (var t in _taps)
            need[t.Layer()] = need[t.Layer()].Union(t.Level() == 0 ? tile : UpsampleFootprint(tile, t.Level()));
        for (int k = Deepest; k >= 1; k--)
        {
            var req = InputRegion(k, need);
            need[k - 1] = need[k - 1].Union(FollowsPool(k) ? new Rect(2 * req.X0, 2 * req.Y0, 2 * req.X1, 2 * req.Y1) : req);
        }
        return need;
    }

    /// <summary>
    /// The part of layer k's input that its 3x3 convolution over <c>regions[k]</c> reads inside the
    /// image (outside it the input is zero padding).
    /// </summary>
    public Rect InputRegion(int layer, Rect[] regions) =>
        regions[layer].Expand(1).Intersect(_levels[FeatureTaps.LevelOfLayer(layer)]);

    private Rect UpsampleFootprint(Rect tile, int level)
    {
        var b = _levels[level];
        var first = (X: new BilinearSource(tile.X0, b.X1, Width), Y: new BilinearSource(tile.Y0, b.Y1, Height));
        var last = (X: new BilinearSource(tile.X1 - 1, b.X1, Width), Y: new BilinearSource(tile.Y1 - 1, b.Y1, Height));
        return new Rect(first.X.I0, first.Y.I0, last.X.I1 + 1, last.Y.I1 + 1);
    }

    /// <summary>Output channels of conv layer k (conv1_1 = 0).</summary>
    public static int OutChannels(int k) => ((FeatureTap)k).Channels();

    /// <summary>Input channels of conv layer k.</summary>
    public static int InChannels(int k) => k == 0 ? 3 : OutChannels(k - 1);

    /// <summary>The tiles of <see cref="Tiles"/>, each with its <see cref="Regions"/>.</summary>
    public (Rect Tile, Rect[] Regions)[] TilesWithRegions(int tileSize) => Tiles(tileSize).Select(t => (t, Regions(t))).ToArray();

    /// <summary>
    /// Floats of each layer's output buffer and of its separate input buffer (conv1_1 and the layers
    /// after a max-pool; 0 for the others, which read the previous output in place), sized for the
    /// largest of <paramref name="tiles"/>.
    /// </summary>
    public (long Output, long Input)[] LayerBufferFloats((Rect Tile, Rect[] Regions)[] tiles) =>
        Enumerable.Range(0, Deepest + 1).Select(k => (
            (long)OutChannels(k) * tiles.Max(t => t.Regions[k].Area),
            k == 0 || FollowsPool(k) ? (long)InChannels(k) * tiles.Max(t => InputRegion(k, t.Regions).Area) : 0L)).ToArray();

    /// <summary>Bytes the layer buffers of <see cref="LayerBufferFloats"/> take with tiles of <paramref name="tileSize"/>.</summary>
    public long LayerBufferBytes(int tileSize) => 4 * LayerBufferFloats(TilesWithRegions(tileSize)).Sum(b => b.Output + b.Input);
}
