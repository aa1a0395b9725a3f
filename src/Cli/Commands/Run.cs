using GpuColorTransfer.Engine;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>Runs a command body: user-facing failures become one line on stderr and exit code 1.</summary>
internal static class Run
{
    public static int Guarded(bool verbose, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"gct: {e.Message}");
            return Program.UsageError;
        }
        catch (GctException e)
        {
            Console.Error.WriteLine($"gct: error: {e.Message}");
            if (verbose) Console.Error.WriteLine(e);
            return Program.Failure;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"gct: error: unexpected failure ({e.GetType().Name}: {e.Message}); rerun with --verbose for details");
            if (verbose) Console.Error.WriteLine(e);
            return Program.Failure;
        }
    }
}

/// <summary>A bad combination of options found after parsing: exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
