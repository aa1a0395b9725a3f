namespace GpuColorTransfer.Engine.Video;

/// <summary>How a film's colour maps are kept steady over time (see <see cref="VideoGrader{TLook}"/>).</summary>
public sealed record TemporalSettings
{
    /// <summary>
    /// Standard deviation, in frames, of the Gaussian that averages the matched frames' colour maps
    /// within a shot (0: each frame's own map, or the nearest matched one). Default 6 (a quarter of
    /// a second at 24 frames/s): the still shot's flicker 0.259 -> 0.017 Lab/frame, the pan's second
    /// difference 0.794 -> 0.029, while a lighting ramp is still followed (docs/performance.md, "Video").
    /// </summary>
    public double Smoothing { get; init; } = 6;

    /// <summary>
    /// Match one frame in this many (and every shot's first); the others take the smoothed maps
    /// around them. Default 4: at <see cref="Smoothing"/> 6 it kept the still shot's change at
    /// 0.023 Lab/frame (0.017 matching every frame) for a third of the time (docs/performance.md, "Video").
    /// </summary>
    public int MatchEvery { get; init; } = 4;

    /// <summary>The scene-cut threshold of <see cref="SceneCuts"/>.</summary>
    public double CutThreshold { get; init; } = SceneCuts.DefaultThreshold;

    /// <summary>Frames on either side whose maps a frame's map may use: 3 standard deviations, and at least up to the previous matched frame.</summary>
    public int Radius => Math.Max((int)Math.Ceiling(3 * Smoothing), MatchEvery - 1);
}
