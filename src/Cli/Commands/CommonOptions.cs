using System.CommandLine;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>Options shared by several commands, and the checks on output paths.</summary>
internal static class CommonOptions
{
    public static Option<string> Output() => new("--output", "-o")
    {
        Description = "Output image; the format follows the extension (.png, .jpg/.jpeg, .webp).",
        Required = true,
        HelpName = "FILE",
    };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Print the backend and the time of each stage; full details on errors." };

    public static Option<bool> Force() => new("--force", "-f") { Description = "Overwrite the output file if it exists." };

    public static Option<int> Quality() => NumberOption.Create("--quality", "JPEG and WebP quality, 1-100.", 95, 1, 100, "Q");

    public static Option<long> MaxPixels() => NumberOption.Create("--max-pixels",
        "Refuse input images with more pixels than this (checked from the header, before decoding).", ImageCodec.DefaultMaxPixels, 1L, long.MaxValue, "N");

    public static Option<float> Strength(string applied) =>
        NumberOption.Create("--strength", $"Blend with the input: 0 leaves it unchanged, 1 gives {applied}.", 1f, 0f, 1f, "S");

    public static Option<float> Smoothness() =>
        NumberOption.Create("--smoothness", "Regrain smoothness: larger values smooth more.", 1f, 0f, 1e6f, "S", minExclusive: true);

    /// <summary>Fails before any work when the output image cannot be written as asked.</summary>
    public static void CheckOutput(string output, bool force, params string[] inputs)
    {
        try { ImageCodec.FormatFor(output); }
        catch (GctException e) { throw new UsageException(e.Message); }
        CheckFile(output, force, inputs);
    }

    /// <summary>Fails before any work when the output file cannot be written as asked: an input, a directory, a missing folder, an existing file without --force.</summary>
    public static void CheckFile(string output, bool force, params string[] inputs)
    {
        string full = Path.GetFullPath(output);
        if (inputs.Any(i => Path.GetFullPath(i) == full || FileIdentity.Same(i, output)))
            throw new UsageException($"{output}: is also an input (the same file); choose another output file");
        if (Directory.Exists(full)) throw new UsageException($"{output}: is a directory; give a file name");
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(folder)) throw new GctException($"{output}: the folder {folder} does not exist; create it first");
        if (File.Exists(full) && !force)
            throw new GctException($"{output}: already exists; pass --force to overwrite it");
    }

    /// <summary>Prints a stage timing line when verbose.</summary>
    public static Action<string, TimeSpan>? StageLog(bool verbose) =>
        verbose ? (name, time) => Console.Error.WriteLine($"  {name,-26} {time.TotalMilliseconds,9:F1} ms") : null;
}
