using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.Video;

/// <summary>
/// Grades a film's frames with looks that stay steady (colour maps, <see cref="IColorMap"/>, or for a grey
/// film the chroma fields of colourisation, <see cref="Pipeline.ChromaField"/>): frames are matched to the reference
/// (every frame, or one in <see cref="TemporalSettings.MatchEvery"/> and every shot's first), each
/// frame is rendered with the Gaussian-weighted mean of the matched maps within
/// <see cref="TemporalSettings.Radius"/> frames in its own shot, so that the map follows slow
/// changes but not the noise of single matches, and a scene cut (<see cref="SceneCuts"/>) starts
/// afresh. A frame is written once every map it depends on is known (a look-ahead of
/// <see cref="TemporalSettings.Radius"/> frames is held). Which frames are matched and how maps are
/// weighted depend only on absolute frame numbers, so a segment graded with enough context before
/// and after it (<see cref="ContextBefore"/>, <see cref="TemporalSettings.Radius"/>) gives the frames the whole film would.
/// </summary>
/// <typeparam name="TLook">What a frame's matching gives and its render applies.</typeparam>
/// <param name="match">The look of one frame (the global render's matching, reference kept).</param>
/// <param name="render">A frame through a look (with the settings' regrain and strength).</param>
/// <param name="mean">The weighted mean of looks (<see cref="ColorMapBlend.Mean"/>, <see cref="Pipeline.ChromaField.Mean"/>).</param>
/// <param name="temporal">The smoothing settings.</param>
public sealed class VideoGrader<TLook>(Func<RgbImage, TLook> match, Func<RgbImage, TLook, RgbImage> render,
    Func<IReadOnlyList<(TLook, double)>, TLook> mean, TemporalSettings temporal)
{
    /// <summary>Frames a segment must decode before its first output frame: the look-back and one frame to detect a cut at its start.</summary>
    public int ContextBefore => temporal.Radius + 1;

    /// <summary>Told after each frame written: (frames written, frames to write).</summary>
    public IProgress<(int Done, int Total)>? Progress { get; init; }

    /// <summary>Whether <see cref="Shots"/> keeps every look matched (for a LUT per shot); otherwise only the shots' first frames, so that a long film's looks are not all held.</summary>
    public bool KeepShotLooks { get; init; }

    /// <summary>Shots seen, each with its first frame and, with <see cref="KeepShotLooks"/>, the looks matched in it.</summary>
    public List<(int FirstFrame, List<TLook> Maps)> Shots { get; } = [];

    /// <summary>Frames written by the last <see cref="Run"/>.</summary>
    public int Written { get; private set; }

    /// <summary>Frames matched.</summary>
    public int Matched { get; private set; }

    /// <summary>
    /// Reads raw RGB24 frames numbered from <paramref name="decodedFrom"/> and writes frames
    /// [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) graded to <paramref name="output"/>.
    /// </summary>
    /// <returns>The number of frames read.</returns>
    public int Run(Stream input, int width, int height, int decodedFrom, int first, int count, Stream output)
    {
        int frameBytes = checked(3 * width * height), radius = temporal.Radius, end = first + count;
        var cuts = new SceneCuts(temporal.CutThreshold);
        var pending = new Queue<(int Frame, byte[] Rgb, int Shot)>();
        var matched = new List<(int Frame, int Shot, TLook Map)>();
        var outBuffer = new byte[frameBytes];
        int shot = -1, t = decodedFrom;
        Written = 0;

        void Emit((int Frame, byte[] Rgb, int Shot) f)
        {
            var map = MapAt(f.Frame, f.Shot, matched);
            var image = render(RawFrames.ToImage(f.Rgb, width, height), map);
            RawFrames.FromImage(image, outBuffer);
            output.Write(outBuffer);
            Progress?.Report((++Written, count));
            matched.RemoveAll(m => m.Frame < f.Frame - radius);
        }

        for (var rgb = new byte[frameBytes]; t < end + radius && RawFrames.Read(input, rgb); t++, rgb = new byte[frameBytes])
        {
            if (cuts.IsCut(rgb, width, height))
            {
                while (pending.Count > 0) Emit(pending.Dequeue()); // the shot before the cut is complete
                shot++;
                if (t >= first - radius) Shots.Add((t, []));
            }
            if (t >= first - radius && (t % temporal.MatchEvery == 0 || Shots.Count > 0 && Shots[^1].FirstFrame == t))
            {
                var map = match(RawFrames.ToImage(rgb, width, height));
                matched.Add((t, shot, map));
                if (Shots.Count == 0) Shots.Add((t, [])); // a segment that starts inside a shot
                if (KeepShotLooks) Shots[^1].Maps.Add(map);
                Matched++;
            }
            if (t >= first && t < end) pending.Enqueue((t, rgb, shot));
            while (pending.Count > 0 && pending.Peek().Frame + radius <= t) Emit(pending.Dequeue());
        }
        while (pending.Count > 0) Emit(pending.Dequeue());
        return t - decodedFrom;
    }

    /// <summary>The Gaussian-weighted mean of the looks matched within the radius in the frame's shot (σ = 0: the nearest one).</summary>
    private TLook MapAt(int frame, int shot, List<(int Frame, int Shot, TLook Map)> matched)
    {
        var near = matched.Where(m => m.Shot == shot && Math.Abs(m.Frame - frame) <= temporal.Radius).ToList();
        if (near.Count == 0) throw new InvalidOperationException($"no matched frame near frame {frame}");
        if (temporal.Smoothing <= 0)
        {
            var nearest = near.MinBy(m => (Math.Abs(m.Frame - frame), m.Frame));
            return nearest.Map;
        }
        double twoSigma2 = 2 * temporal.Smoothing * temporal.Smoothing;
        return mean([.. near.Select(m => (m.Map, Math.Exp(-(m.Frame - frame) * (double)(m.Frame - frame) / twoSigma2)))]);
    }
}
