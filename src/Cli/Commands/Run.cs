using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>Runs a command body: user-facing failures become one line on stderr (with what to do on the command line) and exit code 1.</summary>
internal static class Run
{
    public static int Guarded(bool verbose, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (OutputRefusedException e) when (e.Problem is not OutputProblem.Exists)
        {
            Console.Error.WriteLine($"gct: {e.Message}");
            return Program.UsageError;
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"gct: {e.Message}");
            return Program.UsageError;
        }
        catch (ArgumentException e) when (e.ParamName is "path" && e is not ArgumentOutOfRangeException)
        {
            // .NET's refusal of an empty (or otherwise unusable) path given on the command line.
            Console.Error.WriteLine($"gct: a path given is empty or not usable ({e.Message.Split(" (Parameter")[0]}); name a file or folder");
            return Program.UsageError;
        }
        catch (ArgumentException e) when (e.ParamName is null)
        {
            // The engine's refusal of a request (a combination of settings it cannot run), not of one parameter's value.
            Console.Error.WriteLine($"gct: {e.Message}");
            return Program.UsageError;
        }
        catch (GctException e)
        {
            Console.Error.WriteLine($"gct: error: {e.Message}{Advice(e)}");
            if (verbose) Console.Error.WriteLine(e);
            return Program.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A filesystem condition the engine did not name itself: .NET's message names the path.
            Console.Error.WriteLine($"gct: error: {e.Message}; check the path, its permissions and the free space");
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

    /// <summary>What to do about an engine error, in terms of gct's options.</summary>
    private static string Advice(GctException e) => e switch
    {
        ImageTooLargeException => "; raise --max-pixels if this is intended",
        OutputRefusedException => "; pass --force to replace it",
        WorkTooLargeException { Limit: WorkLimit.Superpixels } => "; give fewer (--superpixels, --superpixel-factor) or raise --max-superpixels",
        WorkTooLargeException => "; use fewer superpixels, a smaller --work-size or smaller images, or raise --max-memory",
        DeviceException { Problem: DeviceProblem.Unavailable } => "; 'gct devices' lists what ILGPU sees; use --device cpu",
        DeviceException { Problem: DeviceProblem.Capacity } => "; use --device cpu, smaller images or fewer superpixels (--superpixels, --superpixel-factor)",
        DeviceException => "; use --device cpu",
        _ => "",
    };
}

/// <summary>A bad combination of options found after parsing: exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
