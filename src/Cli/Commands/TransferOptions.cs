using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Vgg;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>The options of the method, each validated with its range in the message.</summary>
internal sealed class TransferOptions
{
    private static readonly TransferSettings Defaults = new();

    public static Option<int?> Superpixels()
    {
        var o = new Option<int?>("--superpixels") { Description = "Number of superpixels K per image (default: factor * sqrt(pixels)).", HelpName = "N" };
        o.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--superpixels must be at least 1."); });
        return o;
    }

    public static Option<double> SuperpixelFactor()
    {
        var o = new Option<double>("--superpixel-factor")
        {
            Description = "K = F * sqrt(pixels) when --superpixels is not given (paper: 3).",
            DefaultValueFactory = _ => Defaults.SuperpixelFactor,
            HelpName = "F",
        };
        o.Validators.Add(r => { if (!(r.GetValueOrDefault<double>() > 0)) r.AddError("--superpixel-factor must be greater than 0."); });
        return o;
    }

    private static Option<float> Positive(string name, string description, float value, string help = "X")
    {
        var o = new Option<float>(name) { Description = description, DefaultValueFactory = _ => value, HelpName = help };
        o.Validators.Add(r =>
        {
            float v = r.GetValueOrDefault<float>();
            if (!(v > 0) || !float.IsFinite(v)) r.AddError($"{name} must be a number greater than 0.");
        });
        return o;
    }

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
    public Option<string> Pooling { get; } = Choice("--pooling", "How pixel features are pooled per superpixel.", "mean", "mean", "max");
    public Option<string> Centring { get; } = Choice("--centring",
        "Centring of eq. 2: 'channel' subtracts each image's per-channel mean super-feature, 'vector' each super-feature's own mean.",
        "channel", "channel", "vector");
    public Option<float> Tau { get; } = Positive("--tau", "Softmax temperature of the attention (eq. 1).", Defaults.Tau);
    public Option<float> DeltaS { get; } = Positive("--delta-s", "Weight of the spatial covariance in the fusion (eq. 6).", Defaults.DeltaS);
    public Option<float> DeltaC { get; } = Positive("--delta-c", "Weight of the colour covariance in the fusion (eq. 6).", Defaults.DeltaC);
    public Option<string> FusionCovariance { get; } = Choice("--fusion-covariance",
        "Covariance in eq. 5: of each neighbouring superpixel (paper) or of the pixel's own superpixel (SCT).", "neighbour", "neighbour", "own");
    public Option<string> FusionSigma { get; } = KeywordOrNumber("--fusion-sigma", "auto",
        "sigma of eq. 5: a fixed value, or 'auto' = per pixel min_i D(p,i) + 1e-5 (SCT).", Defaults.FusionSigma);
    public Option<string> FusionRadius { get; } = KeywordOrNumber("--fusion-radius", "all",
        "Sum eq. 3 over superpixels whose centroid lies within this normalised distance of the pixel's own superpixel centroid, or 'all'.",
        Defaults.FusionRadius);
    public Option<string> FusionMode { get; } = Choice("--fusion-mode",
        "What the fusion blends: 'colour' the matched colours (paper, eq. 3), 'shift' the colour shifts C(i) - Ibar_T(i) added to each pixel (keeps the target's detail).",
        "colour", "colour", "shift");
    public Option<bool> NoRegrain { get; } = new("--no-regrain") { Description = "Skip Pitié's colour regrain after the fusion." };
    public Option<float> Smoothness { get; } = CommonOptions.Smoothness();
    public Option<int> TileSize { get; } = new Option<int>("--tile-size")
    {
        Description = "Side of the tiles in which the VGG layers are computed (memory vs. halo overhead).",
        DefaultValueFactory = _ => Defaults.TileSize,
        HelpName = "N",
        Validators = { r => { if (r.GetValueOrDefault<int>() is < 4 or > 4096) r.AddError("--tile-size must be between 4 and 4096."); } },
    };

    public IEnumerable<Option> All =>
        [SuperpixelCount, Factor, Layers, Pooling, Centring, Tau, DeltaS, DeltaC, FusionCovariance, FusionSigma, FusionRadius, FusionMode, NoRegrain, Smoothness, TileSize];

    public TransferSettings Read(ParseResult p) => new()
    {
        Superpixels = p.GetValue(SuperpixelCount),
        SuperpixelFactor = p.GetValue(Factor),
        Layers = FeatureTaps.Parse(p.GetValue(Layers)!),
        Pooling = p.GetValue(Pooling) == "max" ? FeaturePooling.Max : FeaturePooling.Mean,
        Centring = p.GetValue(Centring) == "vector" ? Engine.Centring.Vector : Engine.Centring.Channel,
        Tau = p.GetValue(Tau),
        DeltaS = p.GetValue(DeltaS),
        DeltaC = p.GetValue(DeltaC),
        FusionCovariance = p.GetValue(FusionCovariance) == "own" ? Engine.FusionCovariance.Own : Engine.FusionCovariance.Neighbour,
        FusionSigma = KeywordValue(p.GetValue(FusionSigma)!),
        FusionRadius = KeywordValue(p.GetValue(FusionRadius)!),
        FusionMode = p.GetValue(FusionMode) == "shift" ? Engine.FusionMode.Shift : Engine.FusionMode.Colour,
        Regrain = !p.GetValue(NoRegrain),
        Smoothness = p.GetValue(Smoothness),
        TileSize = p.GetValue(TileSize),
    };
}
