using System.CommandLine;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Cpu;
using GpuColorTransfer.Engine.Gpu;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`--device auto|cuda|cpu` and the backend it selects.</summary>
internal sealed class DeviceOption
{
    public Option<string> Option { get; } = CreateOption();

    private static Option<string> CreateOption()
    {
        var o = new Option<string>("--device")
        {
            Description = "Where the stages run: 'cuda' (the first CUDA GPU, an error if there is none), 'cpu' (SIMD C#), " +
                "'auto' (CUDA when one starts and has the memory the job needs, else the CPU with a warning).",
            DefaultValueFactory = _ => "auto",
            HelpName = "auto|cuda|cpu",
        };
        o.AcceptOnlyFromAmong("auto", "cuda", "cpu");
        return o;
    }

    /// <summary>
    /// The backend chosen for a transfer between images of these sizes: with auto, a CUDA device
    /// without the memory the transfer needs (<see cref="IBackend.CheckCapacity"/>) is given up for
    /// the CPU with one line on stderr, as a CUDA failure at start is; with cuda, that is an error.
    /// </summary>
    public IBackend CreateFor(ParseResult p, bool verbose, (int Width, int Height) target, (int Width, int Height) reference, TransferSettings settings)
    {
        var backend = Create(p, verbose);
        try
        {
            backend.CheckCapacity(target.Width, target.Height, reference.Width, reference.Height, settings);
            return backend;
        }
        catch (GctException e) when (p.GetValue(Option) == "auto")
        {
            backend.Dispose();
            Console.Error.WriteLine($"gct: warning: {e.Message}; using the CPU backend");
            return new CpuBackend();
        }
        catch
        {
            backend.Dispose();
            throw;
        }
    }

    /// <summary>The backend chosen; with auto, a CUDA failure falls back to the CPU with one line on stderr.</summary>
    public IBackend Create(ParseResult p, bool verbose)
    {
        string device = p.GetValue(Option)!;
        if (device == "cpu") return new CpuBackend();
        if (device == "cuda") return DeviceBackend.CreateCuda();
        if (!DeviceInventory.List().Any(d => d.Kind == "Cuda"))
        {
            if (verbose) Console.Error.WriteLine("gct: no CUDA device; using the CPU backend");
            return new CpuBackend();
        }
        try { return DeviceBackend.CreateCuda(); }
        catch (GctException e)
        {
            Console.Error.WriteLine($"gct: warning: {e.Message}; using the CPU backend");
            return new CpuBackend();
        }
    }
}
