namespace GpuColorTransfer.Engine.Pipeline;

/// <summary>
/// Where a transfer is: a stage has started (<see cref="Finished"/> false, <see cref="Elapsed"/>
/// zero) or has just finished (with its duration). Stages are numbered 0..<see cref="StageCount"/>-1
/// in the order they run.
/// </summary>
/// <param name="Stage">The stage's name ("slic target", "fusion", ...).</param>
/// <param name="StageIndex">Its position among the transfer's stages.</param>
/// <param name="StageCount">How many stages the transfer runs.</param>
/// <param name="Finished">Whether the stage has finished.</param>
/// <param name="Elapsed">The stage's duration when finished; zero when it starts.</param>
public readonly record struct TransferProgress(string Stage, int StageIndex, int StageCount, bool Finished, TimeSpan Elapsed)
{
    /// <summary>The share of the stages done, 0..1 (a stage counts when it has finished).</summary>
    public double Fraction => (double)(StageIndex + (Finished ? 1 : 0)) / StageCount;
}
