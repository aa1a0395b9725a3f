using System.Globalization;
using System.Text;

namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>
/// Adobe/IRIDAS .cube files (Cube LUT Specification 1.0): a 3D table (LUT_3D_SIZE N, N^3 lines
/// "r g b", red fastest) or a 1D table (LUT_1D_SIZE N), with an optional TITLE and DOMAIN_MIN /
/// DOMAIN_MAX; '#' starts a comment. Reading is strict: anything else is an error naming the line.
/// </summary>
public static class CubeFile
{
    /// <summary>Writes <paramref name="map"/> sampled on a <paramref name="size"/>^3 lattice over [0,1]^3, sRGB in and out, atomically.</summary>
    public static void Write(IColorMap map, string path, int size, string title) => Files.AtomicFile.WriteText(path, Text(map, size, title));

    /// <summary>The .cube text of <paramref name="map"/> sampled on a <paramref name="size"/>^3 lattice over [0,1]^3.</summary>
    public static string Text(IColorMap map, int size, string title)
    {
        var lattice = LatticeColorMap.Sample(map, size);
        var text = new StringBuilder();
        text.Append("# Written by gct (GpuColorTransfer). Input and output: sRGB-encoded values in [0,1].\n");
        text.Append(CultureInfo.InvariantCulture, $"TITLE \"{title.Replace('"', '\'')}\"\n");
        text.Append(CultureInfo.InvariantCulture, $"LUT_3D_SIZE {size}\n");
        text.Append("DOMAIN_MIN 0.0 0.0 0.0\nDOMAIN_MAX 1.0 1.0 1.0\n");
        var n = lattice.Nodes;
        for (int v = 0; v < size * size * size; v++)
            text.Append(CultureInfo.InvariantCulture, $"{Clamp(n[3 * v]):0.000000} {Clamp(n[3 * v + 1]):0.000000} {Clamp(n[3 * v + 2]):0.000000}\n");
        return text.ToString();
    }

    /// <summary>A word of the file as it may be shown in a message: at most 32 characters, anything unprintable as '?'.</summary>
    private static string Shown(string word)
    {
        var printable = new string([.. word.Take(32).Select(c => char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD' ? '?' : c)]);
        return word.Length > 32 ? printable + "..." : printable;
    }

    private static float Clamp(float v) => float.IsNaN(v) ? 0 : Math.Clamp(v, 0, 1);

    /// <summary>Reads a .cube file: a <see cref="LatticeColorMap"/> (3D) or a <see cref="CurveColorMap"/> (1D), mapped from its domain.</summary>
    /// <exception cref="GctException">The file cannot be read or breaks the format (the message names the line).</exception>
    public static IColorMap Read(string path)
    {
        var bytes = Files.InputFile.ReadAll(path, "a .cube file");
        if (Array.IndexOf(bytes, (byte)0) >= 0) throw GctException.ForFile(path, "is a binary file, not a .cube text file");
        // A byte-order mark (some editors write one) is not part of the first line.
        string[] lines = System.Text.Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').Split('\n');
        int size3 = 0, size1 = 0;
        float[] min = [0, 0, 0], max = [1, 1, 1];
        var values = new List<float>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            GctException Bad(string reason) => GctException.ForFile(path, $"line {i + 1}: {reason}");
            if (line.Length == 0 || line[0] == '#') continue;
            string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            float Number(string s) => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v)
                ? v : throw Bad($"'{Shown(s)}' is not a number");
            if (char.IsDigit(line[0]) || line[0] is '-' or '+' or '.')
            {
                if (size3 == 0 && size1 == 0) throw Bad("a table row before LUT_3D_SIZE or LUT_1D_SIZE");
                if (parts.Length != 3) throw Bad($"a table row has 3 numbers, not {parts.Length}");
                foreach (var part in parts) values.Add(Number(part));
                continue;
            }
            if (values.Count > 0) throw Bad($"'{Shown(parts[0])}' after the table rows began");
            switch (parts[0])
            {
                case "TITLE":
                    break;
                case "LUT_3D_SIZE" or "LUT_1D_SIZE":
                    if (size3 != 0 || size1 != 0) throw Bad("a second table size");
                    if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                        throw Bad($"{parts[0]} takes one whole number");
                    if (parts[0] == "LUT_3D_SIZE")
                    {
                        if (n is < 2 or > 256) throw Bad("LUT_3D_SIZE must be between 2 and 256");
                        size3 = n;
                    }
                    else
                    {
                        if (n is < 2 or > 65536) throw Bad("LUT_1D_SIZE must be between 2 and 65536");
                        size1 = n;
                    }
                    break;
                case "DOMAIN_MIN" or "DOMAIN_MAX":
                    if (parts.Length != 4) throw Bad($"{parts[0]} takes 3 numbers");
                    var target = parts[0] == "DOMAIN_MIN" ? min : max;
                    for (int c = 0; c < 3; c++) target[c] = Number(parts[c + 1]);
                    break;
                default:
                    throw Bad($"unknown keyword '{Shown(parts[0])}' (a .cube file has TITLE, LUT_3D_SIZE or LUT_1D_SIZE, DOMAIN_MIN, DOMAIN_MAX and table rows)");
            }
        }
        if (size3 == 0 && size1 == 0) throw GctException.ForFile(path, "no LUT_3D_SIZE or LUT_1D_SIZE: not a .cube file");
        long expected = size3 > 0 ? (long)size3 * size3 * size3 : size1;
        if (values.Count != 3 * expected)
            throw GctException.ForFile(path, $"the table has {values.Count / 3} rows, {(size3 > 0 ? $"LUT_3D_SIZE {size3}" : $"LUT_1D_SIZE {size1}")} needs {expected}");
        for (int c = 0; c < 3; c++)
            if (!(max[c] > min[c])) throw GctException.ForFile(path, "DOMAIN_MAX must exceed DOMAIN_MIN in every channel");
        IColorMap table = size3 > 0 ? new LatticeColorMap(size3, [.. values]) : new CurveColorMap(size1, [.. values]);
        return min is [0, 0, 0] && max is [1, 1, 1] ? table : new DomainColorMap(table, min, max);
    }
}

/// <summary>Three 1D curves (a .cube LUT_1D table): each channel through its own table of N values over [0,1], linear in between.</summary>
public sealed class CurveColorMap(int size, float[] values) : IColorMap
{
    /// <inheritdoc />
    public (float R, float G, float B) Map(float r, float g, float b) => (Curve(r, 0), Curve(g, 1), Curve(b, 2));

    private float Curve(float x, int c)
    {
        float t = Math.Clamp(float.IsNaN(x) ? 0 : x, 0, 1) * (size - 1);
        int i = Math.Min((int)t, size - 2);
        float f = t - i;
        return values[3 * i + c] * (1 - f) + values[3 * (i + 1) + c] * f;
    }
}

/// <summary>A table over [min, max] per channel: inputs are rescaled to [0,1] before the lookup.</summary>
public sealed class DomainColorMap(IColorMap table, float[] min, float[] max) : IColorMap
{
    /// <inheritdoc />
    public (float R, float G, float B) Map(float r, float g, float b) =>
        table.Map((r - min[0]) / (max[0] - min[0]), (g - min[1]) / (max[1] - min[1]), (b - min[2]) / (max[2] - min[2]));
}
