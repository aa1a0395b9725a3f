using System.CommandLine;
using System.CommandLine.Parsing;
using GpuColorTransfer.Cli.Commands;

namespace GpuColorTransfer.Cli;

/// <summary>The `gct` command: colour transfer, regrain, superpixels and weights management.</summary>
public static class Program
{
    /// <summary>Exit code of a usage error (bad option or argument).</summary>
    public const int UsageError = 2;
    /// <summary>Exit code of a failure (bad input file, I/O error...).</summary>
    public const int Failure = 1;

    /// <summary>Entry point; returns the exit code.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand(
            "gct: colour transfer between photos with superpixel-matched VGG-19 features " +
            "(Carrillo, Clément and Bugeau 2021), Pitié's regrain, and the tools around them.")
        {
            TransferCommand.Create(),
            RegrainCommand.Create(),
            SuperpixelsCommand.Create(),
            WeightsCommand.Create(),
            EvalCommand.Create(),
            BenchCommand.Create(),
            DevicesCommand.Create(),
            CompareCommand.Create(),
            ApplyCommand.Create(),
            BatchCommand.Create(),
            VideoCommand.Create(),
            SteadinessCommand.Create(),
            Serve.ServeCommand.Create(),
        };
        var parsed = root.Parse(args);
        // A file named like an option ("-v.jpg": the flag -v, then the operand ".jpg") is not what the user meant.
        // When the command line parses, a real option ("-o") used as one stays an option even if a file of that name is in the folder.
        var options = args.TakeWhile(a => a != "--").Where(a => a.StartsWith('-') && a != "-" && File.Exists(a));
        string? dashed = parsed.Errors.Count > 0
            ? options.FirstOrDefault()
            : options.FirstOrDefault(a => !parsed.Tokens.Any(t => t.Value == a && t.Type is TokenType.Argument or TokenType.Option));
        if (parsed.Errors.Count > 0 || dashed is not null)
        {
            foreach (var e in parsed.Errors) Console.Error.WriteLine($"gct: {e.Message}");
            if (dashed is not null)
                Console.Error.WriteLine($"gct: '{dashed}' is read as an option; to name a file that starts with '-', write ./{dashed} or put it after '--' (which ends the options).");
            string name = parsed.CommandResult.Command == root ? "gct" : $"gct {parsed.CommandResult.Command.Name}";
            Console.Error.WriteLine($"Run '{name} --help' for usage.");
            return UsageError;
        }
        return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }
}
