namespace GpuColorTransfer.Engine.Vgg;

/// <summary>Facts about the VGG-19 taps: layer index, resolution level, channel count, names.</summary>
public static class FeatureTaps
{
    private static readonly string[] Names = ["relu1_1", "relu1_2", "relu2_1", "relu2_2", "relu3_1"];

    /// <summary>The tap's name as written on the command line (relu1_1 ...).</summary>
    public static string Name(this FeatureTap tap) => Names[(int)tap];

    /// <summary>Index of the convolution that produces the tap (0 = conv1_1 ... 4 = conv3_1).</summary>
    public static int Layer(this FeatureTap tap) => (int)tap;

    /// <summary>Resolution level: 0 full, 1 half, 2 quarter.</summary>
    public static int Level(this FeatureTap tap) => LevelOfLayer((int)tap);

    /// <summary>Resolution level of convolution layer k.</summary>
    public static int LevelOfLayer(int k) => k < 2 ? 0 : k < 4 ? 1 : 2;

    /// <summary>Output channels of the tap.</summary>
    public static int Channels(this FeatureTap tap) => tap switch
    {
        FeatureTap.Relu1_1 or FeatureTap.Relu1_2 => 64,
        FeatureTap.Relu2_1 or FeatureTap.Relu2_2 => 128,
        _ => 256,
    };

    /// <summary>Every valid name, for messages.</summary>
    public static string ValidNames => string.Join(", ", Names);

    /// <summary>Parses "relu1_1,relu2_2" style lists (no duplicates, at least one).</summary>
    public static IReadOnlyList<FeatureTap> Parse(string text)
    {
        var taps = new List<FeatureTap>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int i = Array.IndexOf(Names, part.ToLowerInvariant());
            if (i < 0) throw new FormatException($"unknown layer '{part}'; valid layers: {ValidNames}");
            if (taps.Contains((FeatureTap)i)) throw new FormatException($"layer '{part}' is listed twice");
            taps.Add((FeatureTap)i);
        }
        if (taps.Count == 0) throw new FormatException($"no layer given; valid layers: {ValidNames}");
        return taps;
    }
}
