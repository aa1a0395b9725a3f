using System.CommandLine;
using GpuColorTransfer.Engine.Backends;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct devices`: what ILGPU finds on this machine.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "List the compute devices ILGPU finds (type, name, memory, CUDA compute capability).");
        command.SetAction(p => Run.Guarded(false, () =>
        {
            var devices = DeviceInventory.List();
            Console.WriteLine($"{"#",2} {"type",-7} {"memory",10} {"capability",10}  name");
            for (int i = 0; i < devices.Count; i++)
            {
                var d = devices[i];
                string memory = d.MemoryBytes is long m ? $"{m / (1024.0 * 1024 * 1024):F1} GiB" : "host";
                Console.WriteLine($"{i,2} {d.Kind,-7} {memory,10} {d.ComputeCapability ?? "-",10}  {d.Name}");
            }
            Console.WriteLine("--device cuda runs the stages as ILGPU kernels on the first CUDA device; --device cpu on the SIMD C# backend.");
            return 0;
        }));
        return command;
    }
}
