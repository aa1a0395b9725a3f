using System.CommandLine;
using System.Globalization;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>
/// `--shard I/N` (0-based I) or `--shard N` with I from the job array: $JOB_COMPLETION_INDEX
/// (a Kubernetes Indexed Job) or $SLURM_ARRAY_TASK_ID minus $SLURM_ARRAY_TASK_MIN (a Slurm job array).
/// </summary>
internal sealed class ShardOption
{
    public Option<string> Option { get; } = new("--shard")
    {
        Description = "Process only share I of N (0-based; a contiguous run of the sorted inputs), for job arrays. 'N' alone takes I from " +
            "$JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or $SLURM_ARRAY_TASK_ID - $SLURM_ARRAY_TASK_MIN (Slurm).",
        HelpName = "I/N|N",
    };

    public ShardOption()
    {
        Option.Validators.Add(r =>
        {
            try { Parse(r.GetValueOrDefault<string>() ?? "", validateOnly: true); }
            catch (FormatException e) { r.AddError($"--shard: {e.Message}"); }
        });
    }

    /// <summary>(index, count); (0, 1) when not given.</summary>
    public (int Index, int Count) Read(ParseResult p)
    {
        try { return p.GetValue(Option) is { } text ? Parse(text, validateOnly: false) : (0, 1); }
        catch (FormatException e) { throw new UsageException($"--shard: {e.Message}"); }
    }

    private static (int, int) Parse(string text, bool validateOnly)
    {
        string[] parts = text.Split('/');
        int Number(string s, string what) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
            ? v : throw new FormatException($"{what} must be a whole number, not '{s}' (give I/N, e.g. 0/4, or N)");
        if (parts.Length > 2) throw new FormatException($"'{text}' is not I/N or N");
        int count = Number(parts[^1], "N");
        if (count < 1) throw new FormatException("N must be at least 1");
        if (validateOnly && parts.Length == 1) return (0, count);
        int index = parts.Length == 2 ? Number(parts[0], "I") : FromEnvironment();
        if (index < 0 || index >= count) throw new FormatException($"I must be from 0 to N - 1: {index}/{count}");
        return (index, count);
    }

    private static int FromEnvironment()
    {
        static int? Variable(string name)
        {
            string? text = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(text)) return null;
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v
                : throw new FormatException($"${name} is '{text}', not a whole number (the job array's index)");
        }
        if (Variable("JOB_COMPLETION_INDEX") is { } k) return k;
        if (Variable("SLURM_ARRAY_TASK_ID") is { } id) return id - (Variable("SLURM_ARRAY_TASK_MIN") ?? 0);
        throw new FormatException("N alone takes I from $JOB_COMPLETION_INDEX or $SLURM_ARRAY_TASK_ID, and neither is set; give I/N");
    }
}
