using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GpuColorTransfer.Engine.Files;

namespace GpuColorTransfer.Engine.Video;

/// <summary>A video stream's geometry, timing and encoding, as ffprobe reports them.</summary>
/// <param name="Width">Frame width (after a display rotation).</param>
/// <param name="Height">Frame height (after a display rotation).</param>
/// <param name="FrameRate">
/// Frames per second as ffmpeg writes it ("24000/1001"): the stream's average rate (frames over
/// duration), so that the frames written at this rate last as long as the film, also when its rate
/// varies (a phone's film); its nominal rate when no average is known.
/// </param>
/// <param name="Frames">Number of frames (packets counted).</param>
/// <param name="HasAudio">Whether the file has an audio stream.</param>
/// <param name="Codec">The video codec's name (h264, ffv1...).</param>
/// <param name="PixelFormat">The decoded pixel format (yuv420p...).</param>
/// <param name="VariableRate">Whether the frames' timing varies (their intervals differ from the nominal rate's).</param>
/// <param name="Drift">
/// The most a frame's time differs from where <paramref name="FrameRate"/> puts it (seconds): 0 for a
/// constant rate; for a variable one, how far even spacing at the average rate would move a frame.
/// </param>
public sealed record VideoInfo(int Width, int Height, string FrameRate, int Frames, bool HasAudio, string Codec = "", string PixelFormat = "",
    bool VariableRate = false, double Drift = 0)
{
    /// <summary>The film's length in seconds: its frames at <see cref="FrameRate"/>; 0 when the rate is not one.</summary>
    public double Duration => Ffmpeg.Rate(FrameRate) is { } rate ? Frames / rate : 0;
}

/// <summary>
/// The ffmpeg and ffprobe programs (Debian's ffmpeg package), found on PATH: probing a video,
/// decoding its frames as raw 8-bit RGB through a pipe and encoding frames back through a pipe.
/// </summary>
public static class Ffmpeg
{
    /// <summary>The containers written, by extension, with ffmpeg's format name (the output goes to a temporary file first).</summary>
    public static readonly IReadOnlyDictionary<string, string> Containers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = "mp4", [".mov"] = "mov", [".mkv"] = "matroska", [".webm"] = "webm", [".avi"] = "avi",
    };

    /// <summary>The speed presets of libx264 and libx265, fastest first.</summary>
    public static readonly IReadOnlyList<string> EncoderPresets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    /// <summary>ffmpeg's container name for a video file's extension (<see cref="Containers"/>).</summary>
    /// <exception cref="ArgumentException">The extension names no container written.</exception>
    public static string ContainerFor(string path) => Containers.TryGetValue(Path.GetExtension(path), out var container) ? container
        : throw new ArgumentException($"{path}: cannot write '{Path.GetExtension(path)}' videos; use {string.Join(", ", Containers.Keys)}");

    /// <summary>The full path of a program on PATH.</summary>
    /// <exception cref="GctException">It is not on PATH; the message says how to install it.</exception>
    public static string Find(string program)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        throw new GctException($"{program} was not found on PATH; video needs it: install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg)");
    }

    /// <summary>
    /// Refuses a file ffmpeg is to read unless it is a readable regular file (what a link points to):
    /// a folder, a device, a pipe (which could block or never end) or a missing file is named with the reason.
    /// </summary>
    /// <exception cref="GctException">The file cannot be read as a film.</exception>
    public static void CheckInput(string path, string what = "a video file")
    {
        switch (FileIdentity.KindOf(path))
        {
            case FileKind.Regular:
                try { new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite).Dispose(); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw GctException.Unreadable(path, e); }
                return;
            case FileKind.Missing:
                throw GctException.ForFile(path, new FileInfo(path).LinkTarget is { } target ? $"is a broken link (to {target})" : "no such file");
            case FileKind.Folder:
                throw GctException.ForFile(path, $"is a folder, not {what}");
            case var kind:
                throw GctException.ForFile(path, $"is a {kind.ToString().ToLowerInvariant()}, not {what}");
        }
    }

    /// <summary>A path as ffmpeg must read it: absolute, so that a name beginning with '-' is never an option and no name is a protocol ("http:...").</summary>
    public static string Argument(string path) => Path.GetFullPath(path);

    /// <summary>The first video stream of <paramref name="path"/> (checked first with <see cref="CheckInput"/>).</summary>
    /// <exception cref="GctException">The file is missing, unreadable as video, or has no video stream.</exception>
    public static VideoInfo Probe(string path)
    {
        CheckInput(path);
        string json = RunToEnd(Find("ffprobe"), ["-v", "error", "-show_entries",
            "stream=codec_type,codec_name,pix_fmt,width,height,r_frame_rate,avg_frame_rate:stream_side_data=rotation:stream_tags=rotate",
            "-of", "json", Argument(path)], path);
        using var doc = JsonDocument.Parse(json);
        var streams = doc.RootElement.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var video = streams.FirstOrDefault(x => x.GetProperty("codec_type").GetString() == "video");
        if (video.ValueKind == JsonValueKind.Undefined) throw GctException.ForFile(path, "has no video stream");
        // Every packet of the first video stream is a frame; their presentation times give the true timing.
        string[] packets = RunToEnd(Find("ffprobe"), ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time", "-of", "csv=p=0", Argument(path)], path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int frames = packets.Length;
        if (frames == 0) throw GctException.ForFile(path, "has no video frames");
        // ffmpeg decodes a rotated film (a phone's, with a display rotation) upright: a quarter turn swaps the frame's sides.
        bool quarterTurn = Math.Abs(Rotation(video)) % 180 == 90;
        int width = video.GetProperty("width").GetInt32(), height = video.GetProperty("height").GetInt32();
        if (quarterTurn) (width, height) = (height, width);
        string nominal = video.TryGetProperty("r_frame_rate", out var r) && Rate(r.GetString() ?? "") is not null ? r.GetString()! : "25/1";
        var (rate, variable, drift) = Timing(packets, nominal);
        return new VideoInfo(width, height, rate, frames,
            streams.Any(x => x.GetProperty("codec_type").GetString() == "audio"),
            video.TryGetProperty("codec_name", out var codec) ? codec.GetString() ?? "" : "",
            video.TryGetProperty("pix_fmt", out var pix) ? pix.GetString() ?? "" : "", variable, drift);
    }

    /// <summary>
    /// The rate to write the frames at, from their presentation times: the nominal rate when every
    /// interval is the nominal one (within a quarter of it: timestamps are rounded to the time base);
    /// otherwise the average rate (frames over the span, the last frame lasting the median interval),
    /// which keeps the film's length, with the most a frame moves when spaced evenly at it.
    /// Times that are missing ("N/A") leave the nominal rate.
    /// </summary>
    private static (string Rate, bool Variable, double Drift) Timing(string[] packets, string nominal)
    {
        double step = 1 / Rate(nominal)!.Value;
        var times = new double[packets.Length];
        for (int i = 0; i < packets.Length; i++)
            if (!double.TryParse(packets[i], NumberStyles.Float, CultureInfo.InvariantCulture, out times[i])) return (nominal, false, 0);
        Array.Sort(times); // packets come in decoding order; B-frames are presented later
        if (times.Length < 2) return (nominal, false, 0);
        var intervals = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
        if (intervals.All(d => Math.Abs(d - step) <= 0.25 * step)) return (nominal, false, 0);
        double median = intervals.Order().ElementAt(intervals.Length / 2);
        double span = times[^1] - times[0] + median;
        double average = times.Length / span, drift = 0;
        for (int i = 0; i < times.Length; i++) drift = Math.Max(drift, Math.Abs(times[i] - times[0] - i / average));
        long num = (long)times.Length * 1_000_000, den = (long)Math.Round(span * 1e6);
        long gcd = (long)System.Numerics.BigInteger.GreatestCommonDivisor(num, den);
        return (string.Create(CultureInfo.InvariantCulture, $"{num / gcd}/{den / gcd}"), true, drift);
    }

    /// <summary>A rate "num/den" in frames per second; null when it is not a positive rate ("0/0").</summary>
    internal static double? Rate(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double n)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && n > 0 && d > 0 ? n / d : null;
    }

    /// <summary>Whether <paramref name="path"/> has an audio stream.</summary>
    /// <exception cref="GctException">The file cannot be read by ffprobe.</exception>
    public static bool HasAudio(string path)
    {
        CheckInput(path, "a film or sound file");
        string json = RunToEnd(Find("ffprobe"), ["-v", "error", "-show_entries", "stream=codec_type", "-of", "json", Argument(path)], path);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty("streams", out var s) && s.EnumerateArray().Any(x => x.GetProperty("codec_type").GetString() == "audio");
    }

    /// <summary>The display rotation of a stream in degrees (side data, or the older "rotate" tag), 0 when none.</summary>
    private static int Rotation(JsonElement stream)
    {
        if (stream.TryGetProperty("side_data_list", out var list))
            foreach (var item in list.EnumerateArray())
                if (item.TryGetProperty("rotation", out var r) && r.TryGetInt32(out int degrees)) return degrees;
        if (stream.TryGetProperty("tags", out var tags) && tags.TryGetProperty("rotate", out var tag)
            && int.TryParse(tag.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int tagged)) return tagged;
        return 0;
    }

    /// <summary>Starts ffmpeg decoding frames [first, first + count) of the first video stream as raw RGB24 on its standard output.</summary>
    public static Process Decode(string path, int first, int count)
    {
        var args = new List<string> { "-v", "error", "-nostdin", "-i", Argument(path), "-map", "0:v:0" };
        if (first > 0 || count < int.MaxValue)
            args.AddRange(["-vf", string.Create(CultureInfo.InvariantCulture, $"select='between(n\\,{first}\\,{(long)first + count - 1})'")]);
        // Every decoded frame once, whatever the timestamps say (an audio track's earlier start would otherwise duplicate the first frame).
        args.AddRange(["-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]);
        return Start(Find("ffmpeg"), args, redirectInput: false);
    }

    /// <summary>The frame shown <paramref name="seconds"/> into the film (a fast seek), as RGB24; null when none decodes there.</summary>
    public static byte[]? FrameAt(string path, double seconds, int width, int height)
    {
        string at = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        using var process = Start(Find("ffmpeg"), ["-v", "error", "-nostdin", "-ss", at, "-i", Argument(path), "-map", "0:v:0", "-frames:v", "1",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], redirectInput: false);
        _ = process.StandardError.ReadToEndAsync();
        var rgb = new byte[checked(3 * width * height)];
        try
        {
            return RawFrames.Read(process.StandardOutput.BaseStream, rgb) ? rgb : null;
        }
        finally
        {
            Stop(process);
        }
    }

    /// <summary>
    /// Starts ffmpeg encoding raw RGB24 frames from its standard input into <paramref name="output"/>
    /// (a <paramref name="container"/> file), with the audio of <paramref name="audioFrom"/> copied when given.
    /// </summary>
    /// <remarks><paramref name="preset"/> is passed to libx264 and libx265 (their speed/size trade-off).</remarks>
    public static Process Encode(string output, string container, VideoInfo info, string codec, int crf, string preset, string? audioFrom)
    {
        var args = new List<string> { "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
            "-s", $"{info.Width}x{info.Height}", "-framerate", info.FrameRate, "-i", "-" };
        // The audio is copied whole: the frames last as long as the film (at its average rate), and nothing is cut.
        if (audioFrom is not null) args.AddRange(["-i", Argument(audioFrom), "-map", "0:v", "-map", "1:a?", "-c:a", "copy"]);
        args.AddRange(["-c:v", codec]);
        // 4:2:0 chroma (what players expect) needs even sides; a film with an odd side keeps full chroma (4:4:4).
        string chroma = info.Width % 2 == 0 && info.Height % 2 == 0 ? "yuv420p" : "yuv444p";
        if (codec is "libx264" or "libx265" or "libvpx-vp9" or "libsvtav1")
            args.AddRange(["-crf", crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", chroma]);
        if (codec is "libx264" or "libx265") args.AddRange(["-preset", preset]);
        if (codec is "libvpx-vp9") args.AddRange(["-b:v", "0"]);
        args.AddRange(["-f", container, Argument(output)]);
        return Start(Find("ffmpeg"), args, redirectInput: true);
    }

    /// <summary>Joins segments of one encoding without re-encoding (ffmpeg's concat demuxer, streams copied), with the audio of <paramref name="audioFrom"/> when given.</summary>
    /// <remarks>Errors name <paramref name="shownAs"/> (the output's own name; <paramref name="output"/> is its temporary file).</remarks>
    public static void Concat(IReadOnlyList<string> segments, string output, string container, string? audioFrom, string shownAs)
    {
        string list = Path.Combine(Path.GetTempPath(), $"gct-concat-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(list, segments.Select(s => $"file '{Path.GetFullPath(s).Replace("'", "'\\''")}'"));
        try
        {
            var args = new List<string> { "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", list };
            args.AddRange(audioFrom is null ? ["-map", "0"] : ["-i", Argument(audioFrom), "-map", "0:v", "-map", "1:a?"]);
            args.AddRange(["-c", "copy", "-f", container, Argument(output)]);
            RunToEnd(Find("ffmpeg"), args, shownAs);
        }
        finally { File.Delete(list); }
    }

    private static Process Start(string program, IEnumerable<string> args, bool redirectInput)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = !redirectInput, RedirectStandardInput = redirectInput, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new GctException($"{program} could not be started");
        ChildProcesses.Track(process);
        return process;
    }

    /// <summary>Ends a process that is still running (an ffmpeg gct started) and waits for it.</summary>
    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill();
        }
        catch (InvalidOperationException) { }
        process.WaitForExit();
    }

    /// <summary>Runs a program to its end; its standard output, or a <see cref="GctException"/> about <paramref name="file"/> with ffmpeg's first error line.</summary>
    private static string RunToEnd(string program, IEnumerable<string> args, string file)
    {
        using var p = Start(program, args, redirectInput: false);
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (Failure(p.ExitCode, stderr.Result) is { } reason) throw GctException.ForFile(file, $"{Path.GetFileName(program)} failed: {reason}");
        return stdout;
    }

    /// <summary>
    /// Why an ffmpeg run failed, from its exit status and error output; null when it succeeded. ffmpeg
    /// exits 0 when it cannot finish its output (a full disk while it writes the last packets or the
    /// trailer, leaving a truncated file): its error output says so, and that is a failure too.
    /// </summary>
    public static string? Failure(int exitCode, string errors)
    {
        string[] lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? unfinished = lines.FirstOrDefault(l => l.Contains("Error writing trailer", StringComparison.Ordinal)
            || l.Contains("Error closing file", StringComparison.Ordinal) || l.Contains("No space left on device", StringComparison.Ordinal)
            || l.Contains("Error submitting a packet to the muxer", StringComparison.Ordinal));
        return unfinished ?? (exitCode != 0 ? FirstLine(errors) : null);
    }

    /// <summary>The first non-empty line of ffmpeg's error output (its reason), or "no reason given".</summary>
    public static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no reason given";
}
