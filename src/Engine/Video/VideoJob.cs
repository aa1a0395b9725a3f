using System.Globalization;
using System.Diagnostics;
using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;
using GpuColorTransfer.Engine.Pipeline;

namespace GpuColorTransfer.Engine.Video;

/// <summary>How a film's grading starts: the film, this run's frames, where it runs and what it holds.</summary>
/// <param name="Film">The film's size, rate and frames.</param>
/// <param name="FirstFrame">This run's first frame.</param>
/// <param name="EndFrame">One past this run's last frame.</param>
/// <param name="ShardIndex">This run's shard, from 0.</param>
/// <param name="ShardCount">Shards in all (1: the whole film).</param>
/// <param name="Backend">What runs the transfers.</param>
/// <param name="FallbackReason">Why the CPU runs them although a GPU was looked for; null otherwise.</param>
/// <param name="FramesHeld">The most frames held at once for the smoothing.</param>
/// <param name="Colorized">Whether the film is colourised (a grey film: its lightness kept, its chroma matched) rather than colour-transferred.</param>
public sealed record VideoStart(VideoInfo Film, int FirstFrame, int EndFrame, int ShardIndex, int ShardCount, string Backend, string? FallbackReason, int FramesHeld, bool Colorized);

/// <summary>What a film's grading did.</summary>
/// <param name="Frames">Frames written.</param>
/// <param name="Shots">Shots seen.</param>
/// <param name="Matched">Frames matched to the reference.</param>
/// <param name="Luts">The .cube files written, one per shot (with <see cref="VideoJob.LutFolder"/>).</param>
/// <param name="Elapsed">The time taken.</param>
/// <param name="Colorized">Whether the film was colourised rather than colour-transferred.</param>
public sealed record VideoReport(int Frames, int Shots, int Matched, IReadOnlyList<string> Luts, TimeSpan Elapsed, bool Colorized);

/// <summary>
/// A film graded after a reference image through ffmpeg (gct video), as a library call: the film
/// probed, the reference analysed once, the frames decoded through a pipe, matched and rendered
/// with colour maps kept steady over time (<see cref="VideoGrader{TLook}"/>; a grey film colourised, its chroma kept steady), and encoded back with the
/// film's size, frame rate and audio. The output appears complete or not at all; ffmpeg's processes
/// end with the job on every path.
/// <code>
/// var report = new VideoJob { Input = "film.mp4", Reference = "look.jpg", Output = "graded.mp4" }.Run();
/// </code>
/// </summary>
public sealed class VideoJob
{
    /// <summary>The film to grade.</summary>
    public required string Input { get; init; }

    /// <summary>The image whose colours the film takes.</summary>
    public required string Reference { get; init; }

    /// <summary>The graded film (its container from the extension, <see cref="Ffmpeg.Containers"/>); with a shard, this shard's segment.</summary>
    public required string Output { get; init; }

    /// <summary>The default <see cref="Codec"/>.</summary>
    public const string DefaultCodec = "libx264";

    /// <summary>The default <see cref="Crf"/>.</summary>
    public const int DefaultCrf = 18;

    /// <summary>The default <see cref="EncoderPreset"/>: 'veryfast' encodes 1080p 2.3x faster than ffmpeg's 'medium' (docs/performance.md, "Video").</summary>
    public const string DefaultEncoderPreset = "veryfast";

    /// <summary>ffmpeg's video encoder.</summary>
    public string Codec { get; init; } = DefaultCodec;

    /// <summary>The constant-quality level of libx264, libx265, libvpx-vp9 and libsvtav1.</summary>
    public int Crf { get; init; } = DefaultCrf;

    /// <summary>libx264/libx265's speed preset, one of <see cref="Ffmpeg.EncoderPresets"/>.</summary>
    public string EncoderPreset { get; init; } = DefaultEncoderPreset;

    /// <summary>How the colour maps are kept steady.</summary>
    public TemporalSettings Temporal { get; init; } = new();

    /// <summary>A folder for one .cube LUT per shot (the mean of its colour maps); null for none. Not with a shard.</summary>
    public string? LutFolder { get; init; }

    /// <summary>This run's share of the frames: shard <c>Index</c> of <c>Count</c> (0 of 1: the whole film).</summary>
    public (int Index, int Count) Shard { get; init; } = (0, 1);

    /// <summary>The settings (global render), device and weights of the engine the job creates; the method is always the paper's.</summary>
    public EngineOptions Engine { get; init; } = new();

    /// <summary>Replace outputs that exist.</summary>
    public bool Replace { get; init; }

    /// <summary>Largest frame and reference in pixels.</summary>
    public long MaxPixels { get; init; } = ImageCodec.DefaultMaxPixels;

    /// <summary>Told once the engine runs, before the first frame.</summary>
    public Action<VideoStart>? Started { get; init; }

    /// <summary>Told after each frame written: (frames written, frames to write).</summary>
    public IProgress<(int Done, int Total)>? Progress { get; init; }

    /// <summary>Grades the film (this shard's frames).</summary>
    /// <exception cref="ArgumentException">The settings' render is not global, the output's container is unknown, or a LUT folder is asked of a shard or with <see cref="ColorizeMode.Always"/>.</exception>
    /// <exception cref="GctException">A file cannot be used, ffmpeg is missing or fails; nothing was written.</exception>
    public VideoReport Run()
    {
        string container = Ffmpeg.ContainerFor(Output);
        var settings = Engine.Settings;
        if (settings.Render != RenderMode.Global) throw new ArgumentException("a film is graded with the global render: its colour maps are what is smoothed over time");
        if (Shard.Count > 1 && LutFolder is not null) throw new ArgumentException("a LUT per shot needs the whole film, not a shard");

        using var outputs = new OutputSet(Replace, [Input, Reference]);
        outputs.Add(Output);
        if (LutFolder is { } dir)
        {
            outputs.AddFolder(dir);
            if (!Replace && Directory.GetFiles(dir, "shot-frame-*.cube").FirstOrDefault() is { } old)
                throw new OutputRefusedException(OutputProblem.Exists, $"{old}: already exists (a LUT of an earlier run)");
            new StagedFile(Path.Combine(dir, "shot-frame-000000.cube")).Dispose(); // the folder is writable, known before any frame
        }
        var info = Ffmpeg.Probe(Input);
        if ((long)info.Width * info.Height > MaxPixels) throw new ImageTooLargeException(Input, info.Width, info.Height, MaxPixels);
        // Frames go to the encoder at one rate: a rate that varies so much that even spacing would move a
        // frame by more than picture and sound may drift apart unnoticed is refused, never retimed.
        if (info.Drift > MaxDrift)
            throw GctException.ForFile(Input, string.Create(CultureInfo.InvariantCulture,
                $"its frame rate varies too much to keep its timing: spaced evenly at its average rate, a frame would move by {info.Drift:F2} s (at most {MaxDrift} s keeps the sound in step); " +
                $"make its rate constant first, e.g. ffmpeg -i FILM -fps_mode cfr -r 30 FILM-cfr.mp4"));
        if (Shard.Count > info.Frames)
            throw new ArgumentException($"{Input}: has {info.Frames} frames, fewer than the {Shard.Count} shards asked; use at most {info.Frames} shards");
        int first = (int)((long)Shard.Index * info.Frames / Shard.Count), end = (int)((long)(Shard.Index + 1) * info.Frames / Shard.Count);
        var reference = ImageCodec.Decode(Reference, MaxPixels);
        // A grey film is colourised: its lightness kept, the chroma matched and smoothed over time.
        bool colorize = Colorization.Applies(settings.Colorize, () => IsGreyFilm(Input, info));
        if (colorize && LutFolder is not null)
            throw settings.Colorize == ColorizeMode.Always
                ? new ArgumentException("--colorize and --lut-out-dir: a colourisation is no colour map (its chroma depends on the place); leave one out")
                : GctException.ForFile(Input, "is grey and is colourised, which no LUT can do (its chroma depends on the place); nothing was written; leave out --lut-out-dir, or give --no-colorize for the colour transfer's LUTs");
        using var engine = ColorTransferEngine.Create(Engine with { Method = MethodRegistry.Default },
            new TransferJob(info.Width, info.Height, reference.Width, reference.Height, settings));
        using var analysis = engine.Analyse(reference);
        var clock = Stopwatch.StartNew();
        var luts = new List<string>();
        int shots, matched;
        if (colorize)
        {
            var grader = new VideoGrader<ChromaField>(frame => engine.MatchChroma(frame, analysis), engine.Render, ChromaField.Mean, Temporal) { Progress = Progress };
            Grade(grader.Run, grader.ContextBefore, () => grader.Written);
            (shots, matched) = (grader.Shots.Count, grader.Matched);
        }
        else
        {
            var grader = new VideoGrader<IColorMap>(frame => engine.Match(frame, analysis), engine.Render, ColorMapBlend.Mean, Temporal)
            {
                Progress = Progress, KeepShotLooks = LutFolder is not null,
            };
            Grade(grader.Run, grader.ContextBefore, () => grader.Written);
            (shots, matched) = (grader.Shots.Count, grader.Matched);
            if (LutFolder is { } folder)
                foreach (var (shotStart, maps) in grader.Shots.Where(s => s.Maps.Count > 0))
                {
                    string path = Path.Combine(folder, $"shot-frame-{shotStart:D6}.cube");
                    outputs.Write(path, AtomicFile.Text(CubeFile.Text(ColorMapBlend.Mean([.. maps.Select(m => (m, 1.0))]), 33,
                        $"gct {Path.GetFileName(Reference)} onto {Path.GetFileName(Input)} from frame {shotStart}")));
                    luts.Add(path);
                }
        }

        // Decodes this run's frames (with the grader's context) into the grader and its frames into the encoder.
        void Grade(Func<Stream, int, int, int, int, int, Stream, int> run, int contextBefore, Func<int> written)
        {
            int decodedFrom = Math.Max(0, first - contextBefore);
            int held = Temporal.Radius + 2; // the look-ahead, the frame in the render and the one being read
            Started?.Invoke(new VideoStart(info, first, end, Shard.Index, Shard.Count, engine.Backend.Name, engine.FallbackReason, held, colorize));
            using var decoder = Ffmpeg.Decode(Input, decodedFrom, end + Temporal.Radius - decodedFrom);
            using var encoder = Ffmpeg.Encode(outputs.WriteExternally(Output), container, info, Codec, Crf, EncoderPreset, Shard.Count == 1 && info.HasAudio ? Input : null);
            var decodeErrors = decoder.StandardError.ReadToEndAsync();
            var encodeErrors = encoder.StandardError.ReadToEndAsync();
            bool fed = false;
            try
            {
                run(decoder.StandardOutput.BaseStream, info.Width, info.Height, decodedFrom, first, end - first, encoder.StandardInput.BaseStream);
                encoder.StandardInput.Close();
                fed = true;
            }
            catch (IOException e)
            {
                Ffmpeg.Stop(decoder);
                encoder.WaitForExit();
                throw GctException.ForFile(Output, $"the encoder stopped: {Ffmpeg.FirstLine(encodeErrors.Result)}", e);
            }
            finally
            {
                Ffmpeg.Stop(decoder);
                if (!fed) Ffmpeg.Stop(encoder);
            }
            encoder.WaitForExit();
            if (Ffmpeg.Failure(encoder.ExitCode, encodeErrors.Result) is { } reason) throw GctException.ForFile(Output, $"the encoder failed: {reason}");
            if (written() < end - first)
                throw GctException.ForFile(Input, $"the decoder stopped after {written()} of {end - first} frames: {Ffmpeg.FirstLine(decodeErrors.Result)}");
        }
        outputs.Commit();
        return new VideoReport(end - first, shots, matched, luts, clock.Elapsed, colorize);
    }

    /// <summary>
    /// Whether a film is grey: frames at five evenly spread times of it (fast seeks) all grey, so that a
    /// fade from black or a dark scene does not make a colour film grey, and every shard decides alike.
    /// </summary>
    private static bool IsGreyFilm(string input, VideoInfo info)
    {
        const int samples = 5;
        bool seen = false;
        for (int k = 0; k < samples; k++)
        {
            if (Ffmpeg.FrameAt(input, info.Duration * (k + 0.5) / samples, info.Width, info.Height) is not { } rgb) continue;
            if (!Colorization.IsGrey(RawFrames.ToImage(rgb, info.Width, info.Height))) return false;
            seen = true;
        }
        return seen;
    }

    /// <summary>The most a frame of a film with a variable rate may move when its frames are spaced evenly (seconds; about where a viewer notices sound out of step).</summary>
    public const double MaxDrift = 0.1;

    /// <summary>
    /// Joins segments written by shards (in order) into <paramref name="output"/> without re-encoding,
    /// with the audio of <paramref name="audioFrom"/> when given. The segments must share their size,
    /// pixel format, codec and frame rate, and the audio file must have audio.
    /// </summary>
    /// <exception cref="GctException">A segment or the audio file cannot be read, or ffmpeg fails; nothing was written.</exception>
    /// <exception cref="ArgumentException">The segments do not match, or the audio file has no audio.</exception>
    public static void Concat(IReadOnlyList<string> segments, string output, string? audioFrom, bool replace)
    {
        if (segments.Count < 1) throw new ArgumentException("no segments to join");
        string container = Ffmpeg.ContainerFor(output);
        var infos = segments.Select(Ffmpeg.Probe).ToList();
        for (int k = 1; k < segments.Count; k++)
        {
            var (a, b) = (infos[0], infos[k]);
            string? difference = (a.Width, a.Height) != (b.Width, b.Height) ? $"is {b.Width}x{b.Height}, {segments[0]} {a.Width}x{a.Height}"
                : a.PixelFormat != b.PixelFormat ? $"has pixel format {b.PixelFormat}, {segments[0]} {a.PixelFormat}"
                : a.Codec != b.Codec ? $"is coded with {b.Codec}, {segments[0]} with {a.Codec}"
                : a.FrameRate != b.FrameRate ? $"runs at {b.FrameRate} frames/s, {segments[0]} at {a.FrameRate}"
                : a.HasAudio != b.HasAudio ? $"{(b.HasAudio ? "has" : "has no")} audio, {segments[0]} {(a.HasAudio ? "has" : "has none")}"
                : null;
            if (difference is not null) throw new ArgumentException($"{segments[k]}: {difference}; only segments of one grading join");
        }
        if (audioFrom is not null && !Ffmpeg.HasAudio(audioFrom)) throw new ArgumentException($"{audioFrom}: has no audio to copy; leave out --audio-from");
        using var outputs = new OutputSet(replace, audioFrom is null ? segments : [.. segments, audioFrom]);
        outputs.Add(output);
        Ffmpeg.Concat(segments, outputs.WriteExternally(output), container, audioFrom, output);
        outputs.Commit();
    }
}
