using System.CommandLine;
using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Engine.Weights;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`--weights DIR` and `--offline`, and loading the network they designate.</summary>
internal sealed class WeightsOptions
{
    public Option<string> Folder { get; } = new("--weights")
    {
        Description = $"Folder with the VGG-19 weights (default: ${WeightStore.FolderVariable}, else the user cache, downloaded on first use).",
        HelpName = "DIR",
    };

    public Option<bool> Offline { get; } = new("--offline") { Description = "Never download the weights; fail with instructions when they are missing." };

    public IEnumerable<Option> All => [Folder, Offline];

    /// <summary>Finds (downloading into the cache if allowed, with a progress bar) and loads the weights.</summary>
    public VggNetwork Load(ParseResult p) =>
        VggNetwork.Load(WeightStore.Resolve(p.GetValue(Folder), p.GetValue(Offline), s => Console.Error.WriteLine($"gct: {s}"), WeightsCommand.ProgressBar()));
}
