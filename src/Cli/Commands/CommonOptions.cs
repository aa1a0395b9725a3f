using System.CommandLine;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>Options shared by several commands, and the check on output images.</summary>
internal static class CommonOptions
{
    public static Option<string> Output() => new("--output", "-o")
    {
        Description = "Output image; the format follows the extension (.png, .jpg/.jpeg, .webp).",
        Required = true,
        HelpName = "FILE",
    };

    public static Option<bool> Verbose() => new("--verbose", "-v") { Description = "Print the backend and the time of each stage; full details on errors." };

    public static Option<bool> Force() => new("--force", "-f") { Description = "Replace output files that exist (without it, an existing file is never replaced, even one created while the command runs)." };

    public static Option<int> Quality() => NumberOption.Create("--quality", "JPEG and WebP quality, 1-100.", 95, 1, 100, "Q");

    public static Option<long> MaxPixels() => NumberOption.Create("--max-pixels",
        "Refuse input images with more pixels than this (checked from the header, before decoding).", ImageCodec.DefaultMaxPixels, 1L, long.MaxValue, "N");

    public static Option<float> Strength(string applied) =>
        NumberOption.Create("--strength", $"Blend with the input: 0 leaves it unchanged, 1 gives {applied}.", 1f, 0f, 1f, "S");

    public static Option<float> Smoothness() =>
        NumberOption.Create("--smoothness", "Regrain smoothness: larger values smooth more.", 1f, 0f, 1e6f, "S", minExclusive: true);

    /// <summary>
    /// Adds an output image to the command's guarded writer: refused before any work when its
    /// extension names no format, or when the set refuses it (an input, a directory, a missing folder,
    /// an existing file without --force).
    /// </summary>
    public static void AddImage(OutputSet outputs, string path)
    {
        try { ImageCodec.FormatFor(path); }
        catch (GctException e) { throw new UsageException(e.Message); }
        outputs.Add(path);
    }

    /// <summary>Prints a stage timing line when verbose.</summary>
    public static Action<string, TimeSpan>? StageLog(bool verbose) =>
        verbose ? (name, time) => Console.Error.WriteLine($"  {name,-26} {time.TotalMilliseconds,9:F1} ms") : null;
}
