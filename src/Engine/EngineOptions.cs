using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Engine;

/// <summary>How a <see cref="ColorTransferEngine"/> transfers colours.</summary>
public sealed record EngineOptions
{
    /// <summary>One of <see cref="MethodRegistry.Names"/>; default the paper's method.</summary>
    public string Method { get; init; } = MethodRegistry.Default;

    /// <summary>The method's settings (superpixels, features, attention, fusion, regrain).</summary>
    public TransferSettings Settings { get; init; } = new();

    /// <summary>Where the stages run; default a CUDA GPU when one can run the job, else the CPU.</summary>
    public DevicePreference Device { get; init; } = DevicePreference.Auto;

    /// <summary>A folder of VGG-19 weights to use instead of the built-in copy (then $GCT_WEIGHTS); null for the default.</summary>
    public string? WeightsFolder { get; init; }
}
