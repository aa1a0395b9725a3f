using System.CommandLine;
using GpuColorTransfer.Engine.Methods;
using GpuColorTransfer.Engine.Video;

namespace GpuColorTransfer.Cli.Commands;

/// <summary>`gct video INPUT REFERENCE -o OUTPUT`: a film graded after one reference through ffmpeg, steady over time; `--concat` joins shards' segments.</summary>
internal static class VideoCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILES") { Description = "INPUT REFERENCE (the film and the image whose colours it takes), or with --concat the segments in order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = $"Output video ({string.Join(", ", Ffmpeg.Containers.Keys)}); with --shard, this shard's segment.", Required = true, HelpName = "FILE" };
        var codec = new Option<string>("--codec") { Description = "ffmpeg video encoder (libx264, libx265, libvpx-vp9, libsvtav1, ffv1 lossless, ...).", DefaultValueFactory = _ => VideoJob.DefaultCodec, HelpName = "NAME" };
        var crf = NumberOption.Create("--crf", "Constant-quality level of libx264/libx265/libvpx-vp9/libsvtav1 (lower is better).", VideoJob.DefaultCrf, 0, 63, "N");
        var encoderPreset = new Option<string>("--encoder-preset")
        {
            Description = "libx264/libx265 speed preset: 'veryfast' encodes 1080p 2.3x faster than ffmpeg's 'medium' (docs/performance.md, \"Video\").",
            DefaultValueFactory = _ => VideoJob.DefaultEncoderPreset,
            HelpName = "NAME",
        };
        encoderPreset.AcceptOnlyFromAmong([.. Ffmpeg.EncoderPresets]);
        var smoothing = NumberOption.Create("--smoothing", "Standard deviation in frames of the Gaussian averaging the colour maps within a shot (0: per-frame maps).",
            new TemporalSettings().Smoothing, 0.0, 1000.0, "FRAMES");
        var matchEvery = NumberOption.Create("--match-every", "Match one frame in N (and each shot's first); the others take the smoothed maps around them.",
            new TemporalSettings().MatchEvery, 1, 10_000, "N");
        var cutThreshold = NumberOption.Create("--cut-threshold", "Scene-cut threshold: total variation of consecutive frames' colour histograms (0-1).",
            SceneCuts.DefaultThreshold, 0.0, 1.0, "T", minExclusive: true);
        var lutDir = new Option<string>("--lut-out-dir") { Description = "Also write one .cube LUT per shot (the mean of its colour maps) into this folder.", HelpName = "DIR" };
        var concat = new Option<bool>("--concat") { Description = "Join the segments FILES (written by --shard runs, in order) without re-encoding." };
        var audioFrom = new Option<string>("--audio-from") { Description = "With --concat: copy the audio of this file (the original film) into the output.", HelpName = "FILE" };
        var shard = new ShardOption();
        var method = new TransferOptions();
        var weights = new WeightsOptions();
        var device = new DeviceOption();
        var maxPixels = CommonOptions.MaxPixels();
        var force = CommonOptions.Force();
        var command = new Command("video",
            "Grade a film after a reference image through ffmpeg (on PATH): frames decoded through a pipe, matched to the reference (analysed once), " +
            "rendered with colour maps averaged over time within each shot (cuts detected), encoded back with the film's size, frame rate and audio.")
        { files, output, codec, crf, encoderPreset, smoothing, matchEvery, cutThreshold, lutDir, concat, audioFrom, shard.Option };
        foreach (var o in method.All) command.Add(o);
        foreach (var o in weights.All) command.Add(o);
        command.Add(device.Option);
        command.Add(maxPixels);
        command.Add(force);

        command.SetAction(p => Run.Guarded(false, () =>
        {
            var names = p.GetValue(files)!;
            string o = p.GetValue(output)!;
            if (p.GetValue(concat))
            {
                if (names.Length < 1) throw new UsageException("--concat needs the segments");
                VideoJob.Concat(names, o, p.GetValue(audioFrom), p.GetValue(force));
                Console.WriteLine($"wrote {o} ({names.Length} segments joined)");
                return 0;
            }
            if (names.Length != 2) throw new UsageException($"give INPUT and REFERENCE (got {names.Length} files), or --concat SEGMENTS...");
            if (p.GetValue(audioFrom) is not null) throw new UsageException("--audio-from goes with --concat; a graded film keeps its own audio");
            using var bar = ProgressBar.ForTerminal<(int Done, int Total)>(x => (double)x.Done / Math.Max(1, x.Total),
                (x, elapsed) => $"frame {x.Done}/{x.Total}, {x.Done / Math.Max(elapsed.TotalSeconds, 1e-3):F1} frames/s, ETA " +
                    (x.Done == 0 ? "--" : $"{(x.Total - x.Done) * elapsed.TotalSeconds / x.Done:F0} s"));
            var job = new VideoJob
            {
                Input = names[0], Reference = names[1], Output = o, Codec = p.GetValue(codec)!, Crf = p.GetValue(crf), EncoderPreset = p.GetValue(encoderPreset)!,
                Temporal = new TemporalSettings { Smoothing = p.GetValue(smoothing), MatchEvery = p.GetValue(matchEvery), CutThreshold = p.GetValue(cutThreshold) },
                LutFolder = p.GetValue(lutDir), Shard = shard.Read(p), Replace = p.GetValue(force), MaxPixels = p.GetValue(maxPixels),
                Engine = device.Options(p, weights, MethodRegistry.Default, method.Read(p)),
                Started = s =>
                {
                    DeviceOption.Fallback(s.FallbackReason);
                    var f = s.Film;
                    string shardText = s.ShardCount == 1 ? "" : $", shard {s.ShardIndex}/{s.ShardCount}: frames {s.FirstFrame}-{s.EndFrame - 1}";
                    Console.Error.WriteLine($"gct: {f.Width}x{f.Height} at {f.FrameRate} frames/s, {f.Frames} frames{shardText}, on {s.Backend}; " +
                        $"at most {s.FramesHeld} frames ({s.FramesHeld * 3L * f.Width * f.Height / 1e6:F0} MB) held for the smoothing");
                    if (s.Colorized)
                        Console.Error.WriteLine(p.GetValue(method.Colorize)
                            ? "gct: note: colourising the film (--colorize): its lightness kept, its chroma after the reference, smoothed over time"
                            : "gct: note: the film is grey: coloured after the reference, its lightness kept, its chroma smoothed over time (--no-colorize gives it a cast instead)");
                },
                Progress = bar,
            };
            var report = job.Run();
            bar.Dispose();
            double seconds = report.Elapsed.TotalSeconds;
            Console.WriteLine($"wrote {o} ({report.Frames} frames, {report.Shots} shots, {report.Matched} frames matched, {seconds:F1} s, {report.Frames / seconds:F1} frames/s)");
            return 0;
        }));
        return command;
    }
}
