using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.Methods;

/// <summary>The anchor of every comparison: output = target.</summary>
public sealed class Identity : IColorTransferMethod
{
    /// <inheritdoc />
    public string Name => "identity";

    /// <inheritdoc />
    public RgbImage Transfer(RgbImage target, RgbImage reference) => target.Clone();
}
