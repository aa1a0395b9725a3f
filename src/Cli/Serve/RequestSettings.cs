using System.CommandLine;
using GpuColorTransfer.Cli.Commands;
using GpuColorTransfer.Engine;

namespace GpuColorTransfer.Cli.Serve;

/// <summary>
/// The transfer options of one request: form fields named like `gct transfer`'s options without
/// their dashes (tau=0.02, render=local, regrain=true), read by the CLI's own parser over the
/// options `gct serve` was started with, so values, ranges and messages are the CLI's. The caps
/// (--max-superpixels, --max-memory) stay the server's.
/// </summary>
internal sealed class RequestSettings
{
    private readonly TransferOptions _options = new();
    private readonly Command _parser = new("request");
    private readonly IReadOnlyList<(string Name, string[] Tokens)> _server;
    private readonly Func<TransferSettings, EngineOptions> _engine;

    /// <param name="server">The server's own transfer options as given on its command line (name, then its tokens).</param>
    /// <param name="engine">The engine options for a request's settings (device, weights, method as the server's).</param>
    public RequestSettings(IReadOnlyList<(string Name, string[] Tokens)> server, Func<TransferSettings, EngineOptions> engine)
    {
        foreach (var o in _options.All) _parser.Add(o);
        (_server, _engine) = (server, engine);
    }

    /// <summary>The server's transfer options as given to <paramref name="p"/> (those left at their defaults omitted).</summary>
    public static IReadOnlyList<(string Name, string[] Tokens)> Given(ParseResult p, TransferOptions options) =>
        [.. options.All.Select(o => p.GetResult(o)).OfType<System.CommandLine.Parsing.OptionResult>().Where(r => !r.Implicit)
            .Select(r => (r.Option.Name, r.Tokens.Select(t => t.Value).ToArray()))];

    /// <summary>Whether a form field names a transfer option a request may set.</summary>
    public bool IsOption(string field) => Find(field) is not null;

    /// <summary>
    /// The request's options as a key (empty: the server's own settings) and the engine options they
    /// give. Fields are (name, value); a flag is set by "true" and left by "false".
    /// </summary>
    /// <exception cref="FieldException">A field is not an option a request may set, or its value is refused.</exception>
    public (string Key, EngineOptions Engine)? Read(IReadOnlyList<(string Field, string Value)> fields)
    {
        if (fields.Count == 0) return null;
        var request = new List<string>();
        foreach (var (field, value) in fields.OrderBy(f => f.Field, StringComparer.Ordinal))
        {
            var option = Find(field) ?? throw new FieldException(field, $"'{field}' is not a transfer option a request may set");
            if (option is Option<bool>)
            {
                if (value is not ("true" or "false")) throw new FieldException(field, $"{field} is a flag: true or false, not '{value}'");
                if (value == "true") request.Add(option.Name);
            }
            else request.AddRange([option.Name, value]);
        }
        var names = fields.Select(f => "--" + f.Field).ToHashSet();
        string[] args = [.. _server.Where(s => !names.Contains(s.Name)).SelectMany(s => s.Tokens.Prepend(s.Name)), .. request];
        var parsed = _parser.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string message = parsed.Errors[0].Message;
            string? field = fields.Select(f => f.Field).FirstOrDefault(f => message.Contains("--" + f, StringComparison.Ordinal));
            throw new FieldException(field ?? fields[0].Field, message);
        }
        TransferSettings settings;
        try { settings = _options.Read(parsed); }
        catch (Exception e) when (e is UsageException or FormatException or ArgumentException) { throw new FieldException(fields[0].Field, e.Message); }
        return (string.Join(' ', request), _engine(settings));
    }

    /// <summary>The option a field names; the caps and the strength (a field of its own) are not among them.</summary>
    private Option? Find(string field) =>
        field is "max-superpixels" or "max-memory" or "strength" ? null : _options.All.FirstOrDefault(o => o.Name == "--" + field);
}
