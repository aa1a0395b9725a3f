using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Pipeline;
using GpuColorTransfer.Engine.Vgg;

namespace GpuColorTransfer.Engine.Methods;

/// <summary>The method of Carrillo, Clément and Bugeau (2021): <see cref="ColorTransfer"/> on a backend.</summary>
public sealed class Carrillo(IBackend backend, VggNetwork network, TransferSettings settings) : IColorTransferMethod
{
    /// <inheritdoc />
    public string Name => "carrillo";

    /// <inheritdoc />
    public RgbImage Transfer(RgbImage target, RgbImage reference) => new ColorTransfer(backend, network, settings).Run(target, reference);
}
