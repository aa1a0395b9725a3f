using System.CommandLine;
using System.Globalization;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Methods;
using GpuColorTransfer.Engine.Vgg;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>The options of the method, each validated with its range in the message.</summary>
internal sealed class TransferOptions
{
    private static readonly TransferSettings Defaults = new();

    public static Option<int?> Superpixels() =>
        NumberOption.Optional("--superpixels", "Number of superpixels K per image (default: factor * sqrt(pixels)).", 1, int.MaxValue);

    public static Option<int> MaxSuperpixels() => NumberOption.Create("--max-superpixels",
        "Refuse to run with more superpixels than this per image (a cap on the work; never changes a result).",
        WorkLimits.DefaultMaxSuperpixels, 1, int.MaxValue, "N");

    public static Option<double> MaxMemory() => NumberOption.Create("--max-memory",
        "Refuse a job whose estimated memory exceeds this many GiB (default: three quarters of the memory this machine gives the process).",
        Math.Round(WorkLimits.DefaultMaxMemoryBytes / GiB, 1), 0.0, 1e6, "GIB", minExclusive: true);

    private const double GiB = 1024.0 * 1024 * 1024;

    /// <summary>The limits of <see cref="MaxSuperpixels"/> and <see cref="MaxMemory"/> as given (their defaults otherwise).</summary>
    public static WorkLimits Limits(ParseResult p, Option<int> maxSuperpixels, Option<double>? maxMemory = null) => new()
    {
        MaxSuperpixels = p.GetValue(maxSuperpixels),
        MaxMemoryBytes = maxMemory is not null && p.GetResult(maxMemory) is { Implicit: false }
            ? (long)Math.Min(p.GetValue(maxMemory) * GiB, long.MaxValue) : WorkLimits.DefaultMaxMemoryBytes,
    };

    public static Option<double> SuperpixelFactor() =>
        NumberOption.Create("--superpixel-factor", "K = F * sqrt(pixels) when --superpixels is not given (paper: 3).",
            Defaults.SuperpixelFactor, 0.0, 1000.0, "F", minExclusive: true);

    /// <summary>A number above 0 and at most <paramref name="max"/> (a sane limit: beyond it the option means nothing more).</summary>
    private static Option<float> Positive(string name, string description, float value, float max, string help = "X") =>
        NumberOption.Create(name, description, value, 0f, max, help, minExclusive: true);

    /// <summary>An option taking a keyword or a positive number (read with <see cref="KeywordValue"/>).</summary>
    private static Option<string> KeywordOrNumber(string name, string keyword, string description, float? value)
    {
        var o = new Option<string>(name)
        {
            Description = description,
            HelpName = $"{keyword}|X",
            DefaultValueFactory = _ => value?.ToString(CultureInfo.InvariantCulture) ?? keyword,
        };
        o.Validators.Add(r =>
        {
            string text = r.GetValueOrDefault<string>() ?? "";
            if (!text.Equals(keyword, StringComparison.OrdinalIgnoreCase) && KeywordValue(text) is null)
                r.AddError($"{name} must be '{keyword}' or a number greater than 0, not '{text}'.");
        });
        return o;
    }

    /// <summary>The number of a keyword-or-number option, null for the keyword (or anything else that is not a positive number).</summary>
    private static float? KeywordValue(string text) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && v > 0 && float.IsFinite(v) ? v : null;

    /// <summary>An option taking the lower-case name of an enum value.</summary>
    private static Option<string> Choice<T>(string name, string description, T value) where T : struct, Enum =>
        Choice(name, description, value.ToString().ToLowerInvariant(), [.. Enum.GetNames<T>().Select(n => n.ToLowerInvariant())]);

    private static T Parse<T>(string value) where T : struct, Enum => Enum.Parse<T>(value, ignoreCase: true);

    private static Option<string> Choice(string name, string description, string value, params string[] choices)
    {
        var o = new Option<string>(name) { Description = description, DefaultValueFactory = _ => value, HelpName = string.Join('|', choices) };
        o.AcceptOnlyFromAmong(choices);
        return o;
    }

    public Option<int?> SuperpixelCount { get; } = Superpixels();
    public Option<double> Factor { get; } = SuperpixelFactor();
    public Option<string> Layers { get; } = new Option<string>("--layers")
    {
        Description = $"VGG-19 activations pooled into the super-features, comma-separated ({FeatureTaps.ValidNames}).",
        DefaultValueFactory = _ => string.Join(',', Defaults.Layers.Select(t => t.Name())),
        HelpName = "LIST",
        Validators = { r => { try { FeatureTaps.Parse(r.GetValueOrDefault<string>() ?? ""); } catch (FormatException e) { r.AddError($"--layers: {e.Message}."); } } },
    };
    public Option<string> FeatureInput { get; } = Choice("--feature-input",
        "What the VGG-19 features are computed from: the image ('colour', the paper), the image with each channel standardised over it ('standardised': blind to a global cast or contrast change), or both side by side.",
        Defaults.FeatureInput);
    public Option<string> Pooling { get; } = Choice("--pooling", "How pixel features are pooled per superpixel.", Defaults.Pooling);
    public Option<string> Centring { get; } = Choice("--centring",
        "Centring of eq. 2: 'channel' subtracts each image's per-channel mean super-feature, 'vector' each super-feature's own mean.",
        Defaults.Centring);
    public Option<float> Tau { get; } = Positive("--tau", "Softmax temperature of the attention (eq. 1).", Defaults.Tau, 100f);
    public Option<int> AttentionTop { get; } = NumberOption.Create("--attention-top",
        "Keep only the K best-matching reference superpixels per target superpixel in the attention (0: all, the paper).",
        Defaults.AttentionTopK, 0, int.MaxValue, "K");
    public Option<float> DeltaS { get; } = Positive("--delta-s", "Weight of the spatial covariance in the fusion (eq. 6).", Defaults.DeltaS, 1e6f);
    public Option<float> DeltaC { get; } = Positive("--delta-c", "Weight of the colour covariance in the fusion (eq. 6).", Defaults.DeltaC, 1e6f);
    public Option<string> FusionCovariance { get; } = Choice("--fusion-covariance",
        "Covariance in eq. 5: of each neighbouring superpixel (paper) or of the pixel's own superpixel (SCT).", Defaults.FusionCovariance);
    public Option<string> FusionSigma { get; } = KeywordOrNumber("--fusion-sigma", "auto",
        "sigma of eq. 5: a fixed value, or 'auto' = per pixel min_i D(p,i) + 1e-5 (SCT).", Defaults.FusionSigma);
    public Option<string> FusionRadius { get; } = KeywordOrNumber("--fusion-radius", "all",
        "Sum eq. 3 over superpixels whose centroid lies within this normalised distance of the pixel's own superpixel centroid, or 'all'.",
        Defaults.FusionRadius);
    public Option<string> FusionMode { get; } = Choice("--fusion-mode",
        "What the fusion blends: 'colour' the matched colours (paper, eq. 3), 'shift' the colour shifts C(i) - Ibar_T(i) added to each pixel (keeps the target's detail), " +
        "'statistics' per-superpixel maps matching the colours' mean and covariance to the attention-weighted reference's.",
        Defaults.FusionMode);
    public Option<bool> NoRegrain { get; } = new("--no-regrain") { Description = "Skip Pitié's colour regrain (default with --render local: on; global: off)." };
    public Option<bool> WithRegrain { get; } = new("--regrain")
    {
        Description = "Apply Pitié's colour regrain after the colour map of --render global too (smooths the grain a steep map gives flat areas; slower, and 0.3 dE00 further from the protocol's truth).",
    };
    public Option<float> Smoothness { get; } = CommonOptions.Smoothness();
    public Option<int?> TileSize { get; } = NumberOption.Optional("--tile-size",
        "Side of the tiles in which the VGG layers are computed (memory vs. halo overhead); "
            + $"default: {TransferSettings.CpuTileSize} on the CPU, {TransferSettings.CudaTileSize} on CUDA.",
        4, 4096);

    public Option<string> Render { get; } = Choice("--render",
        "'local': every pixel from the local fusion at full resolution (the paper); 'global': the matching at the working size " +
        "fits a colour map that is applied to the full-resolution target.", Defaults.Render);
    public Option<float> WorkSize { get; } = Positive("--work-size",
        "With --render global: images larger than this many megapixels are matched at this size (never enlarged).", (float)Defaults.WorkMegapixels, 10_000f, "MP");
    public Option<string> ColorMap { get; } = Choice("--color-map",
        "With --render global: 'affine' (a 3x4 RGB map), 'lattice' (a smooth 3D LUT pulled to the affine fit where there are no data), 'quadratic' (a second-order polynomial of RGB) or 'auto' (affine or quadratic, whichever predicts held-out pairs better).", Defaults.ColorMap);
    public Option<int> LatticeSize { get; } = NumberOption.Create("--lattice-size",
        "Nodes per axis of the fitted lattice (--color-map lattice).", Defaults.LatticeSize, 2, 65, "N");
    public Option<float> LatticeSmoothness { get; } = Positive("--lattice-smoothness",
        "Weight of the lattice's smoothness penalty (second differences).", (float)Defaults.LatticeSmoothness, 1e6f);
    public Option<float> Strength { get; } = CommonOptions.Strength("the full transfer");
    public Option<int> SuperpixelCap { get; } = MaxSuperpixels();
    public Option<double> MemoryCap { get; } = MaxMemory();

    public Option<string> Preset { get; } = Choice("--preset",
        "Starting point of the settings; explicit options override it. 'default': the measured best (README, 'How the defaults were chosen'); " +
        "'paper': the paper's method unchanged (colour fusion, eq. 3, over all superpixels).",
        "default", "default", "paper");

    public Option<bool> Colorize { get; } = new("--colorize")
    {
        Description = "Colourise the target (keep its lightness, take the chroma of the matched reference superpixels) even if it is not grey, e.g. a toned photo; a grey target is colourised without it.",
    };
    public Option<bool> NoColorize { get; } = new("--no-colorize") { Description = "Give a grey target the colour transfer (a cast) instead of colourising it." };

    public IEnumerable<Option> All =>
        [Preset, SuperpixelCount, Factor, Layers, FeatureInput, Pooling, Centring, Tau, AttentionTop, DeltaS, DeltaC, FusionCovariance, FusionSigma, FusionRadius, FusionMode, NoRegrain, WithRegrain, Smoothness, TileSize,
         Render, WorkSize, ColorMap, LatticeSize, LatticeSmoothness, Strength, Colorize, NoColorize, SuperpixelCap, MemoryCap];

    /// <summary>The preset's settings, with every option given on the command line applied over them.</summary>
    public TransferSettings Read(ParseResult p)
    {
        var s = p.GetValue(Preset) == "paper" ? TransferSettings.Paper : new TransferSettings();
        bool Given(Option o) => p.GetResult(o) is { Implicit: false };
        if (Given(SuperpixelCount)) s = s with { Superpixels = p.GetValue(SuperpixelCount) };
        if (Given(Factor)) s = s with { SuperpixelFactor = p.GetValue(Factor) };
        if (Given(Layers)) s = s with { Layers = FeatureTaps.Parse(p.GetValue(Layers)!) };
        if (Given(FeatureInput)) s = s with { FeatureInput = Parse<Engine.FeatureInput>(p.GetValue(FeatureInput)!) };
        if (Given(Pooling)) s = s with { Pooling = Parse<FeaturePooling>(p.GetValue(Pooling)!) };
        if (Given(Centring)) s = s with { Centring = Parse<Engine.Centring>(p.GetValue(Centring)!) };
        if (Given(Tau)) s = s with { Tau = p.GetValue(Tau) };
        if (Given(AttentionTop)) s = s with { AttentionTopK = p.GetValue(AttentionTop) };
        if (Given(DeltaS)) s = s with { DeltaS = p.GetValue(DeltaS) };
        if (Given(DeltaC)) s = s with { DeltaC = p.GetValue(DeltaC) };
        if (Given(FusionCovariance)) s = s with { FusionCovariance = Parse<Engine.FusionCovariance>(p.GetValue(FusionCovariance)!) };
        if (Given(FusionSigma)) s = s with { FusionSigma = KeywordValue(p.GetValue(FusionSigma)!) };
        if (Given(FusionRadius)) s = s with { FusionRadius = KeywordValue(p.GetValue(FusionRadius)!) };
        if (Given(FusionMode)) s = s with { FusionMode = Parse<Engine.FusionMode>(p.GetValue(FusionMode)!) };
        if (Given(NoRegrain) && Given(WithRegrain) && p.GetValue(NoRegrain) && p.GetValue(WithRegrain))
            throw new UsageException("--regrain and --no-regrain contradict each other; give one");
        if (Given(NoRegrain)) s = s with { Regrain = !p.GetValue(NoRegrain) };
        if (Given(WithRegrain)) s = s with { Regrain = p.GetValue(WithRegrain) };
        if (Given(Smoothness)) s = s with { Smoothness = p.GetValue(Smoothness) };
        if (Given(TileSize)) s = s with { TileSize = p.GetValue(TileSize) };
        if (Given(Render)) s = s with { Render = Parse<RenderMode>(p.GetValue(Render)!) };
        if (Given(WorkSize)) s = s with { WorkMegapixels = p.GetValue(WorkSize) };
        if (Given(ColorMap)) s = s with { ColorMap = Parse<ColorMapKind>(p.GetValue(ColorMap)!) };
        if (Given(LatticeSize)) s = s with { LatticeSize = p.GetValue(LatticeSize) };
        if (Given(LatticeSmoothness)) s = s with { LatticeSmoothness = p.GetValue(LatticeSmoothness) };
        if (Given(Strength)) s = s with { Strength = p.GetValue(Strength) };
        if (p.GetValue(Colorize) && p.GetValue(NoColorize)) throw new UsageException("--colorize and --no-colorize contradict each other; give one");
        if (p.GetValue(Colorize)) s = s with { Colorize = ColorizeMode.Always };
        if (p.GetValue(NoColorize)) s = s with { Colorize = ColorizeMode.Never };
        return s with { Limits = Limits(p, SuperpixelCap, MemoryCap) };
    }

    /// <summary>Refuses --colorize and --no-colorize with a method other than the paper's, whose choice they are.</summary>
    /// <exception cref="UsageException">One of them is given with another method.</exception>
    public void RequireColorizingMethod(ParseResult p, string method)
    {
        if (method == MethodRegistry.Default || !(p.GetValue(Colorize) || p.GetValue(NoColorize))) return;
        throw new UsageException($"{(p.GetValue(Colorize) ? "--colorize" : "--no-colorize")} chooses how --method {MethodRegistry.Default} treats a grey target; " +
            $"--method {method} has no such choice: leave it out");
    }
}
