namespace GpuColorTransfer.Engine.Files;

/// <summary>Why an output file is refused.</summary>
public enum OutputProblem
{
    /// <summary>The output is one of the inputs (the same file, by device and inode).</summary>
    Input,
    /// <summary>The output names a directory.</summary>
    Directory,
    /// <summary>The same output is named twice.</summary>
    Duplicate,
    /// <summary>A file of that name exists and replacing was not allowed.</summary>
    Exists,
    /// <summary>The name is a device, a pipe or a socket, which is never replaced.</summary>
    NotAFile,
}

/// <summary>An output file refused before it is written: nothing was written.</summary>
public sealed class OutputRefusedException(OutputProblem problem, string message) : GctException(message)
{
    /// <summary>What is wrong.</summary>
    public OutputProblem Problem { get; } = problem;
}
