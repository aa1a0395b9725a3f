using System.CommandLine;
using GpuColorTransfer.Engine.Weights;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct weights verify [DIR]`: check the VGG-19 weights.</summary>
internal static class WeightsCommand
{
    public static Command Create()
    {
        var verifyDir = new Argument<string?>("DIR")
        {
            Description = $"Folder to check (default: ${WeightStore.FolderVariable} if set, else the built-in copy).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var verify = new Command("verify", "Check that a folder (or the built-in copy) holds every weight file with the expected SHA-256.") { verifyDir };
        verify.SetAction(p => Run.Guarded(false, () =>
        {
            string? folder = p.GetValue(verifyDir)
                ?? (Environment.GetEnvironmentVariable(WeightStore.FolderVariable) is { Length: > 0 } env ? env : null);
            var problems = WeightStore.Verify(folder);
            string name = folder ?? "built-in weights";
            if (problems.Count == 0)
            {
                Console.WriteLine($"{name}: all {WeightStore.Manifest.Count} files present and verified");
                return 0;
            }
            foreach (var problem in problems) Console.Error.WriteLine($"gct: error: {problem}");
            Console.Error.WriteLine("gct: the folder must hold model.json and group1..5-shard1of1 of the VGG-19 TF.js export (see weights/README.md of the project)");
            return Program.Failure;
        }));

        return new Command("weights", "Check the VGG-19 weights (conv1_1..conv3_1, Oxford VGG, CC BY 4.0); a copy is built in.") { verify };
    }
}
