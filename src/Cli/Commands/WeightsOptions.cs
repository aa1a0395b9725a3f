using System.CommandLine;
using GpuColorTransfer.Engine.Weights;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`--weights DIR`: a folder of weights instead of the built-in copy.</summary>
internal sealed class WeightsOptions
{
    public Option<string> Folder { get; } = new("--weights")
    {
        Description = $"Folder with VGG-19 weights to use instead of the built-in copy (default: ${WeightStore.FolderVariable} if set; files checked against their SHA-256).",
        HelpName = "DIR",
    };

    public IEnumerable<Option> All => [Folder];
}
