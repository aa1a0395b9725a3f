namespace GpuColorTransfer.Engine;

/// <summary>Which cap a request exceeds.</summary>
public enum WorkLimit
{
    /// <summary><see cref="WorkLimits.MaxSuperpixels"/>.</summary>
    Superpixels,
    /// <summary><see cref="WorkLimits.MaxMemoryBytes"/>.</summary>
    Memory,
}

/// <summary>A request above a <see cref="WorkLimits"/> cap, refused before any work.</summary>
public sealed class WorkTooLargeException(WorkLimit limit, string message) : GctException(message)
{
    /// <summary>The cap exceeded.</summary>
    public WorkLimit Limit { get; } = limit;
}
