using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.Methods;

/// <summary>A colour transfer method: the colours of a reference onto a target of any size.</summary>
public interface IColorTransferMethod
{
    /// <summary>Name used on the command line and in reports.</summary>
    string Name { get; }

    /// <summary>
    /// The target recoloured after the reference, the target's size; values may leave [0,1] and
    /// carry no alpha until the engine finishes them (<see cref="TransferFinish"/>).
    /// </summary>
    RgbImage Transfer(RgbImage target, RgbImage reference);
}
