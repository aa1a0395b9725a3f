using System.CommandLine;
using System.Diagnostics;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Files;
using GpuColorTransfer.Engine.Imaging;
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
        var codec = new Option<string>("--codec") { Description = "ffmpeg video encoder (libx264, libx265, libvpx-vp9, libsvtav1, ffv1 lossless, ...).", DefaultValueFactory = _ => "libx264", HelpName = "NAME" };
        var crf = NumberOption.Create("--crf", "Constant-quality level of libx264/libx265/libvpx-vp9/libsvtav1 (lower is better).", 18, 0, 63, "N");
        var preset = new Option<string>("--preset")
        {
            Description = "libx264/libx265 speed preset: 'veryfast' encodes 1080p 2.3x faster than ffmpeg's 'medium' (docs/performance.md, \"Video\").",
            DefaultValueFactory = _ => "veryfast",
            HelpName = "NAME",
        };
        preset.AcceptOnlyFromAmong("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow");
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
        { files, output, codec, crf, preset, smoothing, matchEvery, cutThreshold, lutDir, concat, audioFrom, shard.Option };
        foreach (var o in method.All) command.Add(o);
        foreach (var o in weights.All) command.Add(o);
        command.Add(device.Option);
        command.Add(maxPixels);
        command.Add(force);

        command.SetAction(p => Run.Guarded(false, () =>
        {
            var names = p.GetValue(files)!;
            string o = p.GetValue(output)!;
            string container = Ffmpeg.Containers.TryGetValue(Path.GetExtension(o), out var c) ? c
                : throw new UsageException($"{o}: cannot write '{Path.GetExtension(o)}' videos; use {string.Join(", ", Ffmpeg.Containers.Keys)}");
            if (p.GetValue(concat)) return Concat(names, o, container, p.GetValue(audioFrom), p.GetValue(force));
            if (names.Length != 2) throw new UsageException($"give INPUT and REFERENCE (got {names.Length} files), or --concat SEGMENTS...");
            if (p.GetValue(audioFrom) is not null) throw new UsageException("--audio-from goes with --concat; a graded film keeps its own audio");
            string input = names[0], r = names[1];
            var settings = method.Read(p);
            if (settings.Render != RenderMode.Global) throw new UsageException("video needs --render global: its colour maps are what is smoothed over time");
            var temporal = new TemporalSettings { Smoothing = p.GetValue(smoothing), MatchEvery = p.GetValue(matchEvery), CutThreshold = p.GetValue(cutThreshold) };
            var (index, count) = shard.Read(p);
            if (count > 1 && p.GetValue(lutDir) is not null) throw new UsageException("--lut-out-dir needs the whole film; leave out --shard");

            using var outputs = new OutputSet(p.GetValue(force), [input, r]);
            outputs.Add(o);
            if (p.GetValue(lutDir) is { } dir)
            {
                outputs.AddFolder(dir);
                if (!p.GetValue(force) && Directory.GetFiles(dir, "shot-frame-*.cube").FirstOrDefault() is { } old)
                    throw new OutputRefusedException(OutputProblem.Exists, $"{old}: already exists (a LUT of an earlier run)");
            }
            var info = Ffmpeg.Probe(input);
            if ((long)info.Width * info.Height > p.GetValue(maxPixels)) throw new ImageTooLargeException(input, info.Width, info.Height, p.GetValue(maxPixels));
            int first = (int)((long)index * info.Frames / count), end = (int)((long)(index + 1) * info.Frames / count);
            var referenceImage = ImageCodec.Decode(r, p.GetValue(maxPixels));
            using var engine = device.CreateEngine(p, weights, MethodRegistry.Default, settings, new TransferJob(info.Width, info.Height, referenceImage.Width, referenceImage.Height, settings));
            using var analysis = engine.Analyse(referenceImage);
            using var bar = ProgressBar.ForTerminal<(int Done, int Total)>(x => (double)x.Done / Math.Max(1, x.Total),
                (x, elapsed) => $"frame {x.Done}/{x.Total}, {x.Done / Math.Max(elapsed.TotalSeconds, 1e-3):F1} frames/s, ETA " +
                    (x.Done == 0 ? "--" : $"{(x.Total - x.Done) * elapsed.TotalSeconds / x.Done:F0} s"));
            var grader = new VideoGrader(frame => engine.Match(frame, analysis), (frame, map) => engine.Render(frame, map), temporal) { Progress = bar };
            int decodedFrom = Math.Max(0, first - grader.ContextBefore);
            string shardText = count == 1 ? "" : $", shard {index}/{count}: frames {first}-{end - 1}";
            int held = temporal.Radius + 2; // the look-ahead, the frame in the render and the one being read
            Console.Error.WriteLine($"gct: {info.Width}x{info.Height} at {info.FrameRate} frames/s, {info.Frames} frames{shardText}, on {engine.Backend.Name}; " +
                $"at most {held} frames ({held * 3L * info.Width * info.Height / 1e6:F0} MB) held for the smoothing");
            var clock = Stopwatch.StartNew();
            using var decoder = Ffmpeg.Decode(input, decodedFrom, end + temporal.Radius - decodedFrom);
            using var encoder = Ffmpeg.Encode(outputs.WriteExternally(o), container, info, p.GetValue(codec)!, p.GetValue(crf), p.GetValue(preset)!, count == 1 && info.HasAudio ? input : null);
            var decodeErrors = decoder.StandardError.ReadToEndAsync();
            var encodeErrors = encoder.StandardError.ReadToEndAsync();
            try
            {
                grader.Run(decoder.StandardOutput.BaseStream, info.Width, info.Height, decodedFrom, first, end - first, encoder.StandardInput.BaseStream);
                encoder.StandardInput.Close();
            }
            catch (IOException e)
            {
                Stop(decoder);
                encoder.WaitForExit();
                throw GctException.ForFile(o, $"the encoder stopped: {Ffmpeg.FirstLine(encodeErrors.Result)}", e);
            }
            finally { Stop(decoder); }
            encoder.WaitForExit();
            bar.Dispose();
            if (encoder.ExitCode != 0) throw GctException.ForFile(o, $"the encoder failed: {Ffmpeg.FirstLine(encodeErrors.Result)}");
            if (grader.Written < end - first)
                throw GctException.ForFile(input, $"the decoder stopped after {grader.Written} of {end - first} frames: {Ffmpeg.FirstLine(decodeErrors.Result)}");
            if (p.GetValue(lutDir) is { } luts)
                foreach (var (shotStart, maps) in grader.Shots.Where(s => s.Maps.Count > 0))
                    outputs.Write(Path.Combine(luts, $"shot-frame-{shotStart:D6}.cube"),
                        AtomicFile.Text(CubeFile.Text(ColorMapBlend.Mean([.. maps.Select(m => (m, 1.0))]), 33, $"gct {Path.GetFileName(r)} onto {Path.GetFileName(input)} from frame {shotStart}")));
            outputs.Commit();
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"wrote {o} ({end - first} frames, {grader.Shots.Count} shots, {grader.Matched} frames matched, {seconds:F1} s, {(end - first) / seconds:F1} frames/s)");
            return 0;
        }));
        return command;
    }

    private static void Stop(Process decoder)
    {
        if (!decoder.HasExited)
        {
            try { decoder.Kill(); } catch (InvalidOperationException) { }
        }
        decoder.WaitForExit();
    }

    private static int Concat(string[] segments, string output, string container, string? audio, bool force)
    {
        if (segments.Length < 1) throw new UsageException("--concat needs the segments");
        foreach (var s in segments) Ffmpeg.Probe(s);
        using var outputs = new OutputSet(force, audio is null ? segments : [.. segments, audio]);
        outputs.Add(output);
        Ffmpeg.Concat(segments, outputs.WriteExternally(output), container, audio);
        outputs.Commit();
        Console.WriteLine($"wrote {output} ({segments.Length} segments joined)");
        return 0;
    }
}
