using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Methods;
using GpuColorTransfer.Engine.Vgg;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>The colour transfer methods selectable on the command line.</summary>
internal static class MethodChoice
{
    public static readonly string[] Names = ["carrillo", "reinhard", "mkl", "idt"];

    /// <summary>The method called <paramref name="name"/>; the network is loaded only for carrillo.</summary>
    public static IColorTransferMethod Create(string name, IBackend backend, Func<VggNetwork> network, TransferSettings settings) => name switch
    {
        "identity" => new Identity(),
        "reinhard" => new Reinhard(),
        "mkl" => new Mkl(),
        "idt" => new Idt(settings.Regrain, settings.Smoothness),
        _ => new Carrillo(backend, network(), settings),
    };
}
