using System.CommandLine;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`--device auto|cuda|cpu`, the engine on the backend it asks for, and the note when the CPU stands in for a GPU.</summary>
internal sealed class DeviceOption
{
    public Option<string> Option { get; } = CreateOption();

    private static Option<string> CreateOption()
    {
        var o = new Option<string>("--device")
        {
            Description = "Where the stages run: 'cuda' (the first CUDA GPU, an error if there is none), 'cpu' (SIMD C#), " +
                "'auto' (CUDA when one starts and has the memory the job needs, else the CPU with a note on stderr).",
            DefaultValueFactory = _ => "auto",
            HelpName = "auto|cuda|cpu",
        };
        o.AcceptOnlyFromAmong("auto", "cuda", "cpu");
        return o;
    }

    /// <summary>The preference the option gives.</summary>
    public DevicePreference Preference(ParseResult p) => p.GetValue(Option) switch
    {
        "cuda" => DevicePreference.Cuda,
        "cpu" => DevicePreference.Cpu,
        _ => DevicePreference.Auto,
    };

    /// <summary>The engine options of the command line: <paramref name="method"/> with <paramref name="settings"/> on the device asked for, with the weights of <paramref name="weights"/> (none: the built-in copy).</summary>
    public EngineOptions Options(ParseResult p, WeightsOptions? weights, string method, TransferSettings settings) => new()
    {
        Method = method, Settings = settings, Device = Preference(p), WeightsFolder = weights is null ? null : p.GetValue(weights.Folder),
    };

    /// <summary>An engine for <paramref name="method"/> on the device asked for (one that can run <paramref name="job"/> when given); says on stderr why the CPU runs it when auto fell back.</summary>
    public ColorTransferEngine CreateEngine(ParseResult p, WeightsOptions? weights, string method, TransferSettings settings, TransferJob? job = null)
    {
        var engine = ColorTransferEngine.Create(Options(p, weights, method, settings), job);
        Fallback(engine.FallbackReason);
        return engine;
    }

    /// <summary>One line on stderr when the CPU stands in for a GPU.</summary>
    public static void Fallback(string? reason)
    {
        if (reason is not null) Console.Error.WriteLine($"gct: note: {reason}; running on the CPU (--device cpu chooses it without this note)");
    }
}
