using System.Diagnostics;
using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Video;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Tests.Video;

/// <summary>The temporal grading of films: scene cuts, smoothing, segments; and `gct video` through ffmpeg end to end.</summary>
public class VideoTests
{
    private const int W = 32, H = 18;

    /// <summary>A photo at W x H as RGB24 with seeded noise of +-<paramref name="noise"/> levels.</summary>
    private static byte[] Frame(string photo, int seed, int noise)
    {
        var image = TestData.Photo(photo, W).Resize(W, H);
        var rgb = new byte[3 * W * H];
        RawFrames.FromImage(image, rgb);
        var rng = new Random(seed);
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)Math.Clamp(rgb[i] + rng.Next(-noise, noise + 1), 0, 255);
        return rgb;
    }

    /// <summary>20 noisy frames of one photo, a cut, 20 of another.</summary>
    private static List<byte[]> Film() =>
        [.. Enumerable.Range(0, 40).Select(t => Frame(t < 20 ? "castle_day.jpg" : "forest_path.jpg", t, 12))];

    /// <summary>A stand-in matcher: an offset map whose value is the frame's mean plus a jitter seeded by its content (as a real matching jitters with noise).</summary>
    private static IColorMap NoisyMatch(RgbImage frame)
    {
        double mean = frame.Planes.Average();
        var rng = new Random(frame.Planes.Take(50).Select(v => (int)(v * 255)).Aggregate(17, (a, v) => a * 31 + v));
        float offset = (float)(0.1 * mean + 0.03 * (rng.NextDouble() - 0.5));
        return new AffineColorMap([1, 0, 0, offset, 0, 1, 0, offset, 0, 0, 1, offset]);
    }

    private static byte[] Grade(List<byte[]> film, TemporalSettings temporal, int first, int count, out VideoGrader<IColorMap> grader)
    {
        grader = new VideoGrader<IColorMap>(NoisyMatch, (f, m) => ColorMapRender.Apply(m, f), ColorMapBlend.Mean, temporal);
        int from = Math.Max(0, first - grader.ContextBefore);
        using var input = new MemoryStream([.. film.Skip(from).SelectMany(f => f)]);
        using var output = new MemoryStream();
        grader.Run(input, W, H, from, first, count, output);
        return output.ToArray();
    }

    [Fact]
    public void Scene_cuts_separate_shots_but_not_noisy_frames_of_one()
    {
        var cuts = new SceneCuts();
        var film = Film();
        var flags = film.Select(f => cuts.IsCut(f, W, H)).ToList();
        Assert.Equal([0, 20], flags.Select((c, t) => (c, t)).Where(x => x.c).Select(x => x.t));
    }

    [Fact]
    public void Smoothing_steadies_the_maps_of_a_still_shot()
    {
        var film = Film();
        double Jitter(double smoothing)
        {
            var bytes = Grade(film, new TemporalSettings { Smoothing = smoothing }, 0, 40, out _);
            // The map's offset per frame: the output's mean minus the input's, over the first shot.
            var offsets = Enumerable.Range(0, 20).Select(t => bytes.AsSpan(t * 3 * W * H, 3 * W * H).ToArray().Average(b => (double)b) - film[t].Average(b => (double)b)).ToArray();
            return offsets.Zip(offsets.Skip(1), (a, b) => Math.Abs(a - b)).Average();
        }
        double perFrame = Jitter(0), smoothed = Jitter(6);
        Assert.True(smoothed < perFrame / 4, $"per frame {perFrame:F3}, smoothed {smoothed:F3}");
    }

    [Theory]
    [InlineData(6, 1)]
    [InlineData(2, 4)]
    [InlineData(0, 3)]
    public void Segments_graded_with_their_context_give_the_frames_of_the_whole_film(double smoothing, int matchEvery)
    {
        var film = Film();
        var temporal = new TemporalSettings { Smoothing = smoothing, MatchEvery = matchEvery };
        var whole = Grade(film, temporal, 0, 40, out var all);
        var pieces = new[] { (0, 13), (13, 14), (27, 13) }.SelectMany(s => Grade(film, temporal, s.Item1, s.Item2, out _)).ToArray();
        Assert.Equal(whole, pieces);
        Assert.Equal(2, all.Shots.Count);
        Assert.Equal(matchEvery == 1 ? 40 : 2 + Enumerable.Range(0, 40).Count(t => t % matchEvery == 0 && t is not 0 and not 20), all.Matched);
    }

    [Fact]
    public void Blending_affine_maps_is_the_mean_of_their_matrices()
    {
        var a = new AffineColorMap([1, 0, 0, 0.1f, 0, 1, 0, 0, 0, 0, 1, 0]);
        var b = new AffineColorMap([0.5f, 0, 0, 0.3f, 0, 1, 0, 0.2f, 0, 0, 1, 0]);
        var m = ColorMapBlend.Mean([(a, 1), (b, 3)]);
        var (r, g, _) = m.Map(0.4f, 0.5f, 0.6f);
        Assert.Equal(0.25 * (0.4 + 0.1) + 0.75 * (0.2 + 0.3), r, 5);
        Assert.Equal(0.5 + 0.75 * 0.2, g, 5);
        var lattice = ColorMapBlend.Mean([(a, 1), (LatticeColorMap.Sample(b, 9), 1)]); // mixed families: sampled on a lattice
        Assert.Equal(0.5 * (0.4 + 0.1) + 0.5 * (0.2 + 0.3), lattice.Map(0.4f, 0.5f, 0.6f).R, 4);
    }

    // ---- gct video through ffmpeg ----

    private static readonly string Reference = TestData.Image("sunset_clouds.jpg");

    private static void Shell(string program, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} {string.Join(' ', args)}: {err}");
    }

    /// <summary>A 160x90 clip: 1 s still, a cut, 1 s of pan and zoom, film-like noise, a 440 Hz sound.</summary>
    private static string Clip(string dir)
    {
        string silent = Path.Combine(dir, "silent.mp4"), clip = Path.Combine(dir, "clip.mp4");
        Shell("bash", Path.Combine(TestData.RepositoryRoot, "scripts", "make-clip.sh"), TestData.Image("castle_day.jpg"), TestData.Image("forest_path.jpg"), silent, "160x90", "1", "1");
        Shell("ffmpeg", "-v", "error", "-y", "-i", silent, "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:v", "copy", "-c:a", "aac", "-shortest", clip);
        return clip;
    }

    /// <summary>The decoded frames of a video, as one array of RGB24 bytes.</summary>
    private static byte[] Frames(string video)
    {
        using var p = Ffmpeg.Decode(video, 0, int.MaxValue);
        _ = p.StandardError.ReadToEndAsync();
        using var bytes = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(bytes);
        p.WaitForExit();
        return bytes.ToArray();
    }

    [Fact]
    public void A_film_is_graded_with_its_size_rate_frames_and_audio_and_steadier_than_frame_by_frame()
    {
        string dir = TestData.TempFolder(), clip = Clip(dir), smooth = Path.Combine(dir, "smooth.mkv"), raw = Path.Combine(dir, "raw.mkv");
        var r = Gct.Run("video", clip, Reference, "-o", smooth, "--codec", "ffv1", "--device", "cpu", "--lut-out-dir", Path.Combine(dir, "luts"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("2 shots", r.Stdout);
        var (a, b) = (Ffmpeg.Probe(clip), Ffmpeg.Probe(smooth));
        Assert.Equal((a.Width, a.Height, a.FrameRate, a.Frames, true), (b.Width, b.Height, b.FrameRate, b.Frames, b.HasAudio));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(dir, "luts"), "*.cube").Length);
        Assert.Equal(0, Gct.Run("video", clip, Reference, "-o", raw, "--codec", "ffv1", "--device", "cpu", "--smoothing", "0", "--match-every", "1").ExitCode);

        var steadySmooth = Steadiness(clip, smooth);
        var steadyRaw = Steadiness(clip, raw);
        Assert.Equal(2, steadySmooth.Count);
        for (int shot = 0; shot < 2; shot++)
        {
            Assert.True(steadySmooth[shot].Change < steadyRaw[shot].Change / 2, $"shot {shot}: change {steadySmooth[shot].Change:F3} vs {steadyRaw[shot].Change:F3}");
            Assert.True(steadySmooth[shot].SecondDifference < steadyRaw[shot].SecondDifference / 2, $"shot {shot}");
        }
    }

    private static IReadOnlyList<ShotSteadiness> Steadiness(string input, string output)
    {
        var (fa, fb) = (Frames(input), Frames(output));
        var info = Ffmpeg.Probe(input);
        int size = 3 * info.Width * info.Height;
        var measure = new Steadiness();
        for (int t = 0; t < fa.Length / size; t++) measure.Add(fa[(t * size)..((t + 1) * size)], fb[(t * size)..((t + 1) * size)], info.Width, info.Height);
        return measure.Shots();
    }

    [Fact]
    public void A_grey_film_is_colourised_its_lightness_kept_its_chroma_steady_on_a_still_shot_and_no_lut_is_written_but_a_fade_from_black_is_no_grey_film()
    {
        string dir = TestData.TempFolder(), clip = Clip(dir), grey = Path.Combine(dir, "grey.mp4"), output = Path.Combine(dir, "colour.mkv");
        Shell("ffmpeg", "-v", "error", "-y", "-i", clip, "-vf", "format=gray,format=yuv420p", "-c:v", "libx264", "-crf", "12", "-c:a", "copy", grey);
        var r = Gct.Run("video", grey, Reference, "-o", output, "--codec", "ffv1", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("the film is grey: coloured after the reference", r.Stderr);
        var (before, after) = (Frames(grey), Frames(output));
        Assert.Equal(before.Length, after.Length);
        double lightness = 0, chroma = 0;
        int pixels = before.Length / 3;
        for (int i = 0; i < pixels; i += 7)
        {
            ColorMath.RgbToLab(before[3 * i] / 255f, before[3 * i + 1] / 255f, before[3 * i + 2] / 255f, out float l0, out _, out _);
            ColorMath.RgbToLab(after[3 * i] / 255f, after[3 * i + 1] / 255f, after[3 * i + 2] / 255f, out float l1, out float a, out float b);
            lightness += Math.Abs(l1 - l0);
            chroma += Math.Sqrt(a * a + b * b);
        }
        int samples = (pixels + 6) / 7;
        Assert.True(lightness / samples < 1.5, $"lightness moved by {lightness / samples:F2} on average");
        Assert.True(chroma / samples > 4, $"mean chroma {chroma / samples:F2}: the film stayed grey");
        // The still shot (its noise is the film's own grain) keeps its colours.
        Assert.True(Steadiness(grey, output)[0].Change <= 0.05, $"flicker {Steadiness(grey, output)[0].Change:F3} Lab/frame");

        // A colour film that fades in from black is no grey film (frames spread over it decide).
        string faded = Path.Combine(dir, "faded.mp4");
        Shell("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=black:s=160x90:r=24:d=1", "-i", clip, "-filter_complex",
            "[0:v]setsar=1[a];[1:v]setsar=1[b];[a][b]concat=n=2:v=1:a=0,format=yuv420p", "-c:v", "libx264", "-crf", "12", faded);
        var colour = Gct.Run("video", faded, Reference, "-o", Path.Combine(dir, "faded.mkv"), "--codec", "ffv1", "--device", "cpu");
        Assert.True(colour.ExitCode == 0, colour.Stderr);
        Assert.DoesNotContain("the film is grey", colour.Stderr);

        var lut = Gct.Run("video", grey, Reference, "-o", Path.Combine(dir, "again.mkv"), "--codec", "ffv1", "--device", "cpu", "--lut-out-dir", Path.Combine(dir, "luts"));
        Assert.Equal(1, lut.ExitCode); // found in the film, as a grey target with --lut-out is
        Assert.Contains("is grey and is colourised, which no LUT can do", lut.Stderr);
        Assert.Equal(2, Gct.Run("video", faded, Reference, "-o", Path.Combine(dir, "again.mkv"), "--colorize", "--lut-out-dir", Path.Combine(dir, "luts")).ExitCode);
        Assert.False(File.Exists(Path.Combine(dir, "again.mkv")));
        Assert.Empty(Directory.Exists(Path.Combine(dir, "luts")) ? Directory.GetFiles(Path.Combine(dir, "luts")) : []);
    }

    [Fact]
    public void A_film_with_a_display_rotation_is_graded_upright()
    {
        // A phone's film: frames stored 160x90 with a quarter-turn display rotation; ffmpeg decodes them upright (90x160).
        string dir = TestData.TempFolder(), clip = Clip(dir), rotated = Path.Combine(dir, "rotated.mp4"), graded = Path.Combine(dir, "graded.mkv");
        Shell("ffmpeg", "-v", "error", "-y", "-i", clip, "-c", "copy", "-metadata:s:v:0", "rotate=90", rotated);
        var r = Gct.Run("video", rotated, Reference, "-o", graded, "--codec", "ffv1", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var info = Ffmpeg.Probe(graded);
        Assert.Equal((90, 160), (info.Width, info.Height));
        // Each graded frame is a colour map of its input frame (read with the sides right, not scrambled):
        // a second-order fit from one to the other (the family of the maps) leaves a small residual.
        var (input, output) = (Frames(rotated), Frames(graded));
        int size = 3 * 90 * 160;
        for (int t = 0; t < 48; t += 12)
        {
            var a = RawFrames.ToImage(input[(t * size)..((t + 1) * size)], 90, 160);
            var b = RawFrames.ToImage(output[(t * size)..((t + 1) * size)], 90, 160);
            var map = QuadraticColorMap.Fit(ColorPairs.FromImages(a, b));
            double residual = Enumerable.Range(0, a.PixelCount).Average(p =>
            {
                var (x, y, z) = map.Map(a.Planes[p], a.Planes[a.PixelCount + p], a.Planes[2 * a.PixelCount + p]);
                return Math.Abs(x - b.Planes[p]) + Math.Abs(y - b.Planes[a.PixelCount + p]) + Math.Abs(z - b.Planes[2 * a.PixelCount + p]);
            });
            Assert.True(residual < 0.03, $"frame {t}: residual {residual:F3}");
        }
    }

    [Fact]
    public void A_film_with_odd_sides_keeps_its_size()
    {
        // H.264 in 4:2:0 needs even sides: an odd-sized film is encoded with full chroma instead of failing.
        string dir = TestData.TempFolder(), odd = Path.Combine(dir, "odd.mp4"), graded = Path.Combine(dir, "graded.mp4");
        Shell("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=161x91:rate=24:duration=0.5", "-c:v", "libx264", "-pix_fmt", "yuv444p", odd);
        var r = Gct.Run("video", odd, Reference, "-o", graded, "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var info = Ffmpeg.Probe(graded);
        Assert.Equal((161, 91, 12), (info.Width, info.Height, info.Frames));
    }

    [Fact]
    public void Shards_joined_by_concat_give_the_frames_of_one_run()
    {
        string dir = TestData.TempFolder(), clip = Clip(dir), whole = Path.Combine(dir, "whole.mkv");
        string[] common = ["--codec", "ffv1", "--device", "cpu", "--match-every", "2"];
        Assert.Equal(0, Gct.Run(["video", clip, Reference, "-o", whole, .. common]).ExitCode);
        var segments = Enumerable.Range(0, 3).Select(i => Path.Combine(dir, $"part{i}.mkv")).ToArray();
        for (int i = 0; i < 3; i++)
        {
            var r = Gct.Run(new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = (i + 1).ToString(), ["SLURM_ARRAY_TASK_MIN"] = "1" },
                ["video", clip, Reference, "-o", segments[i], "--shard", "3", .. common]);
            Assert.True(r.ExitCode == 0, r.Stderr);
        }
        string joined = Path.Combine(dir, "joined.mkv");
        var c = Gct.Run(["video", "--concat", .. segments, "-o", joined, "--audio-from", clip]);
        Assert.True(c.ExitCode == 0, c.Stderr);
        Assert.Equal(Frames(whole), Frames(joined));
        Assert.True(Ffmpeg.Probe(joined).HasAudio);
    }

    [Fact]
    public void A_broken_film_or_a_missing_ffmpeg_is_a_clear_error_and_writes_nothing()
    {
        string dir = TestData.TempFolder(), clip = Clip(dir), broken = Path.Combine(dir, "broken.mp4"), output = Path.Combine(dir, "out.mp4");
        var bytes = File.ReadAllBytes(clip);
        File.WriteAllBytes(broken, bytes[..(bytes.Length / 3)]);
        var r = Gct.Run("video", broken, Reference, "-o", output, "--device", "cpu");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("broken.mp4", r.Stderr);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(dir, ".*.tmp"));

        // PATH holds only a link to dotnet: no ffmpeg.
        string bin = Path.Combine(dir, "bin");
        Directory.CreateDirectory(bin);
        string dotnet = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "dotnet")).First(File.Exists);
        File.CreateSymbolicLink(Path.Combine(bin, "dotnet"), dotnet);
        var noFfmpeg = Gct.Run(new Dictionary<string, string?> { ["PATH"] = bin }, "video", clip, Reference, "-o", output);
        Assert.Equal(1, noFfmpeg.ExitCode);
        Assert.Contains("ffprobe was not found on PATH", noFfmpeg.Stderr);
        Assert.Contains("apt-get install ffmpeg", noFfmpeg.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Preset_means_the_settings_as_everywhere_and_the_encoder_has_its_own_option()
    {
        string dir = TestData.TempFolder(), clip = Clip(dir), output = Path.Combine(dir, "paper.mkv");
        var help = Gct.Run("video", "--help");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(help.Stdout, @"^\s+--preset\b", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Contains("--encoder-preset", help.Stdout);
        // The paper's preset renders locally: a film needs the global render, said as a usage error.
        var local = Gct.Run("video", clip, Reference, "-o", output, "--preset", "paper", "--device", "cpu");
        Assert.Equal(2, local.ExitCode);
        Assert.Contains("global render", local.Stderr);
        var paper = Gct.Run("video", clip, Reference, "-o", output, "--preset", "paper", "--render", "global", "--encoder-preset", "ultrafast", "--device", "cpu");
        Assert.True(paper.ExitCode == 0, paper.Stderr);
        Assert.Equal(Ffmpeg.Probe(clip).Frames, Ffmpeg.Probe(output).Frames);
        Assert.Equal(2, Gct.Run("video", clip, Reference, "-o", output, "--encoder-preset", "paper", "--force").ExitCode);
    }

    /// <summary>The duration in seconds of a file's first stream of <paramref name="type"/> (video or audio), by ffprobe.</summary>
    private static double Duration(string file, string type)
    {
        var start = new ProcessStartInfo("ffprobe", ["-v", "error", "-select_streams", type == "video" ? "v:0" : "a:0", "-show_entries", "stream=duration:format=duration",
            "-of", "default=nw=1:nk=1", file]) { RedirectStandardOutput = true };
        using var p = Process.Start(start)!;
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => double.TryParse(l, System.Globalization.CultureInfo.InvariantCulture, out double d) ? d : 0).Max();
    }

    [Fact]
    public void A_film_with_a_variable_frame_rate_keeps_its_length_and_its_whole_sound_or_is_refused()
    {
        // A phone's film: frames a little early or late around 24 frames/s, with 4 s of sound.
        string dir = TestData.TempFolder(), clip = Clip(dir), jitter = Path.Combine(dir, "jitter.mp4"), graded = Path.Combine(dir, "graded.mkv");
        Shell("ffmpeg", "-v", "error", "-y", "-i", clip, "-f", "lavfi", "-i", "sine=frequency=300:duration=4", "-map", "0:v", "-map", "1:a",
            "-vf", "setpts='(N/24+0.015*mod(N,3))/TB'", "-fps_mode", "vfr", "-c:v", "libx264", "-crf", "10", "-c:a", "aac", jitter);
        var info = Ffmpeg.Probe(jitter);
        Assert.True(info.VariableRate);
        Assert.InRange(info.Drift, 0, VideoJob.MaxDrift);
        var r = Gct.Run("video", jitter, Reference, "-o", graded, "--codec", "ffv1", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(info.Frames, Ffmpeg.Probe(graded).Frames);
        Assert.InRange(Duration(graded, "video"), Duration(jitter, "video") - 0.1, Duration(jitter, "video") + 0.1);
        Assert.InRange(Duration(graded, "audio"), Duration(jitter, "audio") - 0.1, Duration(jitter, "audio") + 0.1);

        // A second at 24 frames/s, then as many frames at 8 frames/s: even spacing would put the sound a second out of step.
        string slowing = Path.Combine(dir, "slowing.mp4"), refused = Path.Combine(dir, "refused.mkv");
        Shell("ffmpeg", "-v", "error", "-y", "-i", clip, "-f", "lavfi", "-i", "sine=frequency=300:duration=4", "-map", "0:v", "-map", "1:a",
            "-vf", "setpts='if(lt(N,24),N/24,1+(N-24)/8)/TB'", "-fps_mode", "vfr", "-c:v", "libx264", "-crf", "10", "-c:a", "aac", slowing);
        var slow = Gct.Run("video", slowing, Reference, "-o", refused, "--codec", "ffv1", "--device", "cpu");
        Assert.Equal(1, slow.ExitCode);
        Assert.Contains("its frame rate varies too much to keep its timing", slow.Stderr);
        Assert.False(File.Exists(refused));
        Assert.Empty(Directory.GetFiles(dir, ".*"));
    }

    [Fact]
    public void An_ffmpeg_that_cannot_finish_its_file_is_a_failure_even_when_it_exits_0()
    {
        // ffmpeg writing to a full disk (/dev/full) exits 0 with a truncated file; its error output tells.
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=10", "-t", "1", "-c:v", "ffv1", "-f", "matroska", "/dev/full" })
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        string errors = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Contains("No space left on device", Ffmpeg.Failure(p.ExitCode, errors));
        Assert.Null(Ffmpeg.Failure(0, ""));
        Assert.Equal("Invalid argument", Ffmpeg.Failure(1, "\nInvalid argument\nmore"));
    }

    [Fact]
    public void Films_are_checked_like_images_and_a_name_beginning_with_a_dash_is_never_an_option()
    {
        string dir = TestData.TempFolder(), clip = Clip(dir), output = Path.Combine(dir, "out.mkv");
        string fifo = Path.Combine(dir, "pipe.mp4");
        using (var mk = Process.Start("mkfifo", fifo)) mk.WaitForExit();
        var pipe = Gct.Run("video", fifo, Reference, "-o", output, "--device", "cpu");
        Assert.Equal(1, pipe.ExitCode);
        Assert.Contains("is a pipe, not a video file", pipe.Stderr);
        Assert.Contains("is a folder, not a video", Gct.Run("video", dir, Reference, "-o", output).Stderr);
        // A film named "-y.mp4" (ffmpeg's option to overwrite) after '--'.
        File.Copy(clip, Path.Combine(dir, "-y.mp4"));
        var dashed = Gct.RunIn(dir, null, "video", "-o", "dashed.mkv", "--codec", "ffv1", "--device", "cpu", "--", "-y.mp4", Reference);
        Assert.True(dashed.ExitCode == 0, dashed.Stderr);
        Assert.Equal(Ffmpeg.Probe(clip).Frames, Ffmpeg.Probe(Path.Combine(dir, "dashed.mkv")).Frames);
        Assert.True(File.Exists(Path.Combine(dir, "-y.mp4")));
    }

    [Fact]
    public void Segments_that_do_not_match_more_shards_than_frames_and_silent_audio_are_refused()
    {
        string dir = TestData.TempFolder(), clip = Clip(dir);
        string a = Path.Combine(dir, "a.mkv"), b = Path.Combine(dir, "b.mkv"), small = Path.Combine(dir, "small.mkv"), silent = Path.Combine(dir, "silent.mp4");
        Assert.Equal(0, Gct.Run("video", clip, Reference, "-o", a, "--codec", "ffv1", "--shard", "0/2", "--device", "cpu").ExitCode);
        Shell("ffmpeg", "-v", "error", "-y", "-i", clip, "-vf", "scale=80:46", "-c:v", "ffv1", "-an", small);
        var mismatch = Gct.Run("video", "--concat", a, small, "-o", Path.Combine(dir, "joined.mkv"));
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("small.mkv: is 80x46", mismatch.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "joined.mkv")));

        var many = Gct.Run("video", clip, Reference, "-o", b, "--shard", "0/500", "--device", "cpu");
        Assert.Equal(2, many.ExitCode);
        Assert.Contains("fewer than the 500 shards", many.Stderr);

        Shell("ffmpeg", "-v", "error", "-y", "-i", clip, "-an", "-c:v", "copy", silent);
        var noAudio = Gct.Run("video", "--concat", a, "--audio-from", silent, "-o", Path.Combine(dir, "joined.mkv"));
        Assert.Equal(2, noAudio.ExitCode);
        Assert.Contains("has no audio", noAudio.Stderr);

        var steadiness = Gct.Run("steadiness", clip, a);
        Assert.Equal(1, steadiness.ExitCode);
        Assert.Contains("frames", steadiness.Stderr);
        Assert.Equal(1, Gct.Run("steadiness", clip, clip, "--max-pixels", "100").ExitCode);
    }

    [Fact]
    public void Stopping_gct_ends_its_ffmpeg_processes_and_leaves_no_temporary_file()
    {
        string dir = TestData.TempFolder(), clip = Clip(dir), output = Path.Combine(dir, "out.mkv");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "gct.dll"), "video", clip, Reference, "-o", output, "--codec", "ffv1", "--match-every", "1", "--device", "cpu" })
            start.ArgumentList.Add(arg);
        using var gct = Process.Start(start)!;
        _ = gct.StandardOutput.ReadToEndAsync();
        _ = gct.StandardError.ReadToEndAsync();
        int[] children = [];
        for (int i = 0; i < 200 && children.Length < 2 && !gct.HasExited; i++)
        {
            Thread.Sleep(50);
            children = Children(gct.Id);
        }
        Assert.True(children.Length >= 2, "ffmpeg did not start");
        using (var kill = Process.Start("kill", ["-TERM", gct.Id.ToString()])) kill.WaitForExit();
        Assert.True(gct.WaitForExit(20_000));
        Thread.Sleep(200);
        Assert.All(children, pid => Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z "), $"ffmpeg {pid} outlived gct"));
        Assert.Empty(Directory.GetFiles(dir, ".*"));
        Assert.False(File.Exists(output));
    }

    /// <summary>The ids of the processes whose parent is <paramref name="parent"/>.</summary>
    private static int[] Children(int parent) =>
        [.. Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsDigit)).Select(int.Parse!).Where(pid =>
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]) == parent;
            }
            catch (IOException) { return false; }
        })];
}
