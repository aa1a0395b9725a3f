namespace GpuColorTransfer.Engine;

/// <summary>A VGG-19 activation that can serve as the super-feature (DESIGN section 3, item 2).</summary>
public enum FeatureTap
{
    /// <summary>relu1_1: 64 channels, full resolution.</summary>
    Relu1_1,
    /// <summary>relu1_2: 64 channels, full resolution.</summary>
    Relu1_2,
    /// <summary>relu2_1: 128 channels, half resolution.</summary>
    Relu2_1,
    /// <summary>relu2_2: 128 channels, half resolution.</summary>
    Relu2_2,
    /// <summary>relu3_1: 256 channels, quarter resolution.</summary>
    Relu3_1,
}

/// <summary>How the feature vectors of a superpixel's pixels are pooled into its super-feature.</summary>
public enum FeaturePooling
{
    /// <summary>Channel-wise mean (the paper).</summary>
    Mean,
    /// <summary>Channel-wise maximum.</summary>
    Max,
}

/// <summary>Which mean eq. 2 subtracts from the super-features before correlating them.</summary>
public enum Centring
{
    /// <summary>Per channel, the mean over the image's superpixels (mu_T, mu_R as in Zhang et al. 2019).</summary>
    Channel,
    /// <summary>Per super-feature, the mean of its own channels (a Pearson correlation).</summary>
    Vector,
}

/// <summary>Whose covariance Sigma eq. 5 uses for the distance of pixel p to superpixel i.</summary>
public enum FusionCovariance
{
    /// <summary>The covariance of superpixel i (the paper).</summary>
    Neighbour,
    /// <summary>The covariance of the pixel's own superpixel (Giraud et al.'s SCT code).</summary>
    Own,
}

/// <summary>What the fusion (eqs. 3-6) blends per pixel.</summary>
public enum FusionMode
{
    /// <summary>The matched colours C(i) (the paper, eq. 3).</summary>
    Colour,
    /// <summary>The colour shifts C(i) - Ibar_T(i), added to the pixel's own colour (beyond the paper).</summary>
    Shift,
    /// <summary>Per-superpixel affine maps matching the mean and covariance of the colours (beyond the paper).</summary>
    Statistics,
}

/// <summary>When a target is colourised rather than colour-transferred.</summary>
public enum ColorizeMode
{
    /// <summary>When the target is grey (its channels equal within the codec's noise).</summary>
    Auto,
    /// <summary>Always (a near-grey, toned photo).</summary>
    Always,
    /// <summary>Never: a grey target gets the colour transfer (a cast).</summary>
    Never,
}

/// <summary>How the output is rendered from the matches.</summary>
public enum RenderMode
{
    /// <summary>Every pixel from the local fusion at full resolution (the paper, eqs. 3-6), then regrain.</summary>
    Local,
    /// <summary>
    /// The matching runs at the working size; a colour map fitted from the target to its fusion there
    /// is applied to the full-resolution target (DESIGN section 7).
    /// </summary>
    Global,
}

/// <summary>The family of the fitted colour map of <see cref="RenderMode.Global"/>.</summary>
public enum ColorMapKind
{
    /// <summary>A 3 x 4 affine map of RGB, robust least squares.</summary>
    Affine,
    /// <summary>A smooth 3D lattice (trilinear), pulled to the affine fit where there are no data.</summary>
    Lattice,
    /// <summary>A second-order polynomial of RGB, robust least squares, held near the affine map where the data do not reach.</summary>
    Quadratic,
    /// <summary>Affine or quadratic, whichever predicts held-out pairs better (5-fold cross-validation).</summary>
    Auto,
}

/// <summary>What the VGG-19 features of an image are computed from (see <c>Pipeline.FeatureInputs</c>).</summary>
public enum FeatureInput
{
    /// <summary>The image as it is (the paper).</summary>
    Colour,
    /// <summary>The image with each channel standardised over the image: blind to a global cast, per-channel gains and contrast.</summary>
    Standardised,
    /// <summary>The features of both, side by side.</summary>
    Both,
}

/// <summary>Every parameter of the colour transfer, with the defaults of the README.</summary>
public sealed record TransferSettings
{
    /// <summary>Number of superpixels K; null: round(SuperpixelFactor * sqrt(n)).</summary>
    public int? Superpixels { get; init; }
    /// <summary>K = factor * sqrt(n) when <see cref="Superpixels"/> is null (paper section 4.1: 3; measured best: 4).</summary>
    public double SuperpixelFactor { get; init; } = 4.0;
    /// <summary>SLIC compactness m.</summary>
    public float Compactness { get; init; } = 10f;
    /// <summary>SLIC iterations.</summary>
    public int SlicIterations { get; init; } = 10;
    /// <summary>The VGG-19 taps concatenated into the super-features.</summary>
    public IReadOnlyList<FeatureTap> Layers { get; init; } = [FeatureTap.Relu1_1];
    /// <summary>What the features are computed from (measured: both, README "Strong looks").</summary>
    public FeatureInput FeatureInput { get; init; } = FeatureInput.Both;
    /// <summary>Pooling of pixel features into super-features.</summary>
    public FeaturePooling Pooling { get; init; } = FeaturePooling.Mean;
    /// <summary>Centring of eq. 2.</summary>
    public Centring Centring { get; init; } = Centring.Channel;
    /// <summary>Softmax temperature tau of eq. 1 (paper: 0.02; the IPOL code and the measured best: 0.015).</summary>
    public float Tau { get; init; } = 0.015f;
    /// <summary>Keep only the K largest entries of each row of M before the softmax (a sharper attention); 0: all (the paper).</summary>
    public int AttentionTopK { get; init; }
    /// <summary>delta_s of eq. 6.</summary>
    public float DeltaS { get; init; } = 10f;
    /// <summary>delta_c of eq. 6.</summary>
    public float DeltaC { get; init; } = 0.1f;
    /// <summary>Whose covariance eq. 5 uses.</summary>
    public FusionCovariance FusionCovariance { get; init; } = FusionCovariance.Neighbour;
    /// <summary>sigma_g of eq. 5; null: per pixel min_i D(p,i) + 1e-5 (SCT).</summary>
    public float? FusionSigma { get; init; }
    /// <summary>Only superpixels whose centroid lies within this normalised distance of the pixel's own superpixel centroid; null: all.</summary>
    public float? FusionRadius { get; init; } = 0.3f;
    /// <summary>What the fusion blends.</summary>
    public FusionMode FusionMode { get; init; } = FusionMode.Shift;
    /// <summary>
    /// Apply Pitié's colour regrain after the fusion (local render) or the colour map (global);
    /// null: on for the local render, off for the global one (measured on the 8 design photos: it
    /// costs the global map 0.35 / 0.29 dE00, while it removes the grain a steep map gives smooth skies).
    /// </summary>
    public bool? Regrain { get; init; }

    /// <summary>Whether the regrain runs: <see cref="Regrain"/>, else the render's default.</summary>
    public bool Regrains => Regrain ?? Render == RenderMode.Local;
    /// <summary>Regrain smoothness.</summary>
    public float Smoothness { get; init; } = 1f;
    /// <summary>How the output is rendered from the matches.</summary>
    public RenderMode Render { get; init; } = RenderMode.Global;
    /// <summary>With <see cref="RenderMode.Global"/>: images larger than this many megapixels are matched at this size (never enlarged).</summary>
    public double WorkMegapixels { get; init; } = 0.1;
    /// <summary>The family of the fitted colour map (measured best: auto, README "Strong looks").</summary>
    public ColorMapKind ColorMap { get; init; } = ColorMapKind.Auto;
    /// <summary>Nodes per axis of a <see cref="ColorMapKind.Lattice"/> map.</summary>
    public int LatticeSize { get; init; } = 17;
    /// <summary>Smoothness weight (second differences) of a <see cref="ColorMapKind.Lattice"/> map.</summary>
    public double LatticeSmoothness { get; init; } = 1;
    /// <summary>Blend of the result with the target: 0 gives the target, 1 the full transfer.</summary>
    public float Strength { get; init; } = 1f;

    /// <summary>Whether a target is colourised (its lightness kept, its chroma matched): when it is grey (auto), always, or never.</summary>
    public ColorizeMode Colorize { get; init; } = ColorizeMode.Auto;

    /// <summary>
    /// The VGG-19 taps colourisation matches with: a low and a high one (the paper's stated next step).
    /// Measured on the 37 shared photos (README, "Colourisation"): relu1_1 alone 5.35 / 6.15 median dE00
    /// at f = 0.5 / 0, relu1_1 + relu3_1 3.85 / 5.27.
    /// </summary>
    public IReadOnlyList<FeatureTap> ColorizeLayers { get; init; } = [FeatureTap.Relu1_1, FeatureTap.Relu3_1];

    /// <summary>
    /// What colourisation's features are computed from: the luma as it is. Measured on the 37 shared photos
    /// (median dE00 f = 0.5 / 0): both inputs 3.65 / 5.07, the luma 3.66 / 5.13, its standardised copy
    /// 3.64 / 5.12; one input halves the cost of the relu3_1 features.
    /// </summary>
    public FeatureInput ColorizeFeatureInput { get; init; } = FeatureInput.Colour;

    /// <summary>Whether these are the settings of a colourisation's matching (<see cref="ForColorization"/>).</summary>
    internal bool Colorizing { get; init; }

    /// <summary>The settings a colourisation matches with: <see cref="ColorizeLayers"/> from <see cref="ColorizeFeatureInput"/>.</summary>
    internal TransferSettings ForColorization() => this with { Layers = ColorizeLayers, FeatureInput = ColorizeFeatureInput, Colorizing = true };
    /// <summary>
    /// Side of the square tiles in which the VGG layers are computed (full-resolution pixels); null:
    /// the backend's own (<see cref="CpuTileSize"/> on the CPU, where tiles stay in cache;
    /// <see cref="CudaTileSize"/> on CUDA, where large tiles keep the device busy).
    /// </summary>
    public int? TileSize { get; init; }

    /// <summary>The VGG tile side of the CPU backend when <see cref="TileSize"/> is null: 96 px tiles keep a tile's layers in cache.</summary>
    public const int CpuTileSize = 96;

    /// <summary>The VGG tile side on a CUDA device when <see cref="TileSize"/> is null: 4K frames in 4 x 3 tiles of 960 x 720.</summary>
    public const int CudaTileSize = 1024;

    /// <summary>Caps on the work and memory a transfer may ask for (not part of the method: they never change a result).</summary>
    public WorkLimits Limits { get; init; } = new();

    /// <summary>
    /// The paper's method unchanged: the fusion blends the matched colours (eq. 3) over all
    /// target superpixels (eq. 4), with each superpixel's covariance (eq. 6), every pixel rendered
    /// by the fusion at full resolution. Where the paper is
    /// silent (the VGG tap, sigma_g, the mean of eq. 2) it shares the defaults.
    /// </summary>
    public static TransferSettings Paper { get; } = new()
    {
        SuperpixelFactor = 3.0,
        FeatureInput = FeatureInput.Colour,
        Tau = 0.02f,
        FusionMode = FusionMode.Colour,
        FusionCovariance = FusionCovariance.Neighbour,
        FusionRadius = null,
        Render = RenderMode.Local,
    };

    /// <summary>The size the global render matches an image of this size at: reduced to <see cref="WorkMegapixels"/>, never enlarged.</summary>
    public (int Width, int Height) WorkingSize(int width, int height)
    {
        double limit = WorkMegapixels * 1e6, pixels = (double)width * height;
        if (pixels <= limit) return (width, height);
        double s = Math.Sqrt(limit / pixels);
        return (Math.Max(1, (int)Math.Round(width * s)), Math.Max(1, (int)Math.Round(height * s)));
    }

    /// <summary>The size an image of this size is matched at: the <see cref="WorkingSize"/> for the global render, its own for the local one.</summary>
    public (int Width, int Height) MatchedSize(int width, int height) => Render == RenderMode.Global ? WorkingSize(width, height) : (width, height);

    /// <summary>The number of superpixels requested for an image of n pixels (at least 1, at most n).</summary>
    public int SuperpixelCountFor(long n)
    {
        long k = Superpixels ?? (long)Math.Round(SuperpixelFactor * Math.Sqrt(n));
        return (int)Math.Clamp(k, 1, n);
    }
}
