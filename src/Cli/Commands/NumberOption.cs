using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>
/// The one parsing path of every numeric option: the value is read with the invariant culture, must
/// be finite and within the option's range, and anything else (letters, inf, nan, a fraction for a
/// whole number, a number beyond the type) is a usage error naming the option and its range.
/// </summary>
internal static class NumberOption
{
    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>] (above <paramref name="min"/> when <paramref name="minExclusive"/>).</summary>
    public static Option<T> Create<T>(string name, string description, T defaultValue, T min, T max, string help = "X", bool minExclusive = false)
        where T : struct, INumber<T>, IMinMaxValue<T>
    {
        string range = Range(min, max, minExclusive);
        return new Option<T>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = help,
            CustomParser = r => Read(r, name, range, min, max, minExclusive) ?? defaultValue,
        };
    }

    /// <summary>As <see cref="Create{T}"/>, for an option without a default value (null when not given).</summary>
    public static Option<T?> Optional<T>(string name, string description, T min, T max, string help = "N")
        where T : struct, INumber<T>, IMinMaxValue<T>
    {
        string range = Range(min, max, false);
        return new Option<T?>(name)
        {
            Description = description,
            HelpName = help,
            CustomParser = r => Read(r, name, range, min, max, false),
        };
    }

    private static T? Read<T>(ArgumentResult r, string name, string range, T min, T max, bool minExclusive)
        where T : struct, INumber<T>, IMinMaxValue<T>
    {
        string text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        var style = IsInteger<T>() ? NumberStyles.Integer : NumberStyles.Float;
        if (T.TryParse(text, style, CultureInfo.InvariantCulture, out T value) && T.IsFinite(value)
            && (minExclusive ? value > min : value >= min) && value <= max)
            return value;
        r.AddError($"{name} must be {range}, not '{text}'.");
        return null;
    }

    private static bool IsInteger<T>() where T : INumber<T> => T.One / (T.One + T.One) == T.Zero;

    /// <summary>"a number greater than 0", "at least 1", "between 1 and 100".</summary>
    private static string Range<T>(T min, T max, bool minExclusive) where T : struct, INumber<T>, IMinMaxValue<T>
    {
        string kind = IsInteger<T>() ? "a whole number" : "a number";
        string Text(T v) => v.ToString(null, CultureInfo.InvariantCulture);
        bool unbounded = max == T.MaxValue && !IsInteger<T>(); // a whole number states its type's limit
        if (minExclusive) return unbounded ? $"{kind} greater than {Text(min)}" : $"{kind} greater than {Text(min)} and at most {Text(max)}";
        return unbounded ? $"{kind} of at least {Text(min)}" : $"{kind} between {Text(min)} and {Text(max)}";
    }
}
