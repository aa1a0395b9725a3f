using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace GpuColorTransfer.Engine.Video;

/// <summary>A video stream's geometry and timing, as ffprobe reports them.</summary>
/// <param name="Width">Frame width.</param>
/// <param name="Height">Frame height.</param>
/// <param name="FrameRate">Frames per second as ffmpeg writes it ("24000/1001").</param>
/// <param name="Frames">Number of frames (packets counted).</param>
/// <param name="HasAudio">Whether the file has an audio stream.</param>
public sealed record VideoInfo(int Width, int Height, string FrameRate, int Frames, bool HasAudio);

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

    /// <summary>The first video stream of <paramref name="path"/>.</summary>
    /// <exception cref="GctException">The file is missing, unreadable as video, or has no video stream.</exception>
    public static VideoInfo Probe(string path)
    {
        if (!File.Exists(path)) throw GctException.ForFile(path, Directory.Exists(path) ? "is a folder, not a video" : "no such file");
        string json = RunToEnd(Find("ffprobe"), ["-v", "error", "-count_packets", "-show_entries",
            "stream=codec_type,width,height,r_frame_rate,nb_read_packets:stream_side_data=rotation:stream_tags=rotate", "-of", "json", path], path);
        using var doc = JsonDocument.Parse(json);
        var streams = doc.RootElement.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
        var video = streams.FirstOrDefault(x => x.GetProperty("codec_type").GetString() == "video");
        if (video.ValueKind == JsonValueKind.Undefined) throw GctException.ForFile(path, "has no video stream");
        int frames = video.TryGetProperty("nb_read_packets", out var n) && int.TryParse(n.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out int f) ? f : 0;
        if (frames == 0) throw GctException.ForFile(path, "has no video frames");
        // ffmpeg decodes a rotated film (a phone's, with a display rotation) upright: a quarter turn swaps the frame's sides.
        bool quarterTurn = Math.Abs(Rotation(video)) % 180 == 90;
        int width = video.GetProperty("width").GetInt32(), height = video.GetProperty("height").GetInt32();
        if (quarterTurn) (width, height) = (height, width);
        return new VideoInfo(width, height,
            video.GetProperty("r_frame_rate").GetString() ?? "25/1", frames, streams.Any(x => x.GetProperty("codec_type").GetString() == "audio"));
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
        var args = new List<string> { "-v", "error", "-nostdin", "-i", path, "-map", "0:v:0" };
        if (first > 0 || count < int.MaxValue)
            args.AddRange(["-vf", string.Create(CultureInfo.InvariantCulture, $"select='between(n\\,{first}\\,{(long)first + count - 1})'")]);
        // Every decoded frame once, whatever the timestamps say (an audio track's earlier start would otherwise duplicate the first frame).
        args.AddRange(["-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]);
        return Start(Find("ffmpeg"), args, redirectInput: false);
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
        if (audioFrom is not null) args.AddRange(["-i", audioFrom, "-map", "0:v", "-map", "1:a?", "-c:a", "copy", "-shortest"]);
        args.AddRange(["-c:v", codec]);
        // 4:2:0 chroma (what players expect) needs even sides; a film with an odd side keeps full chroma (4:4:4).
        string chroma = info.Width % 2 == 0 && info.Height % 2 == 0 ? "yuv420p" : "yuv444p";
        if (codec is "libx264" or "libx265" or "libvpx-vp9" or "libsvtav1")
            args.AddRange(["-crf", crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", chroma]);
        if (codec is "libx264" or "libx265") args.AddRange(["-preset", preset]);
        if (codec is "libvpx-vp9") args.AddRange(["-b:v", "0"]);
        args.AddRange(["-f", container, output]);
        return Start(Find("ffmpeg"), args, redirectInput: true);
    }

    /// <summary>Joins segments of one encoding without re-encoding (ffmpeg's concat demuxer, streams copied), with the audio of <paramref name="audioFrom"/> when given.</summary>
    public static void Concat(IReadOnlyList<string> segments, string output, string container, string? audioFrom)
    {
        string list = Path.Combine(Path.GetTempPath(), $"gct-concat-{Environment.ProcessId}-{Guid.NewGuid():N}.txt");
        File.WriteAllLines(list, segments.Select(s => $"file '{Path.GetFullPath(s).Replace("'", "'\\''")}'"));
        try
        {
            var args = new List<string> { "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", list };
            args.AddRange(audioFrom is null ? ["-map", "0"] : ["-i", audioFrom, "-map", "0:v", "-map", "1:a?", "-shortest"]);
            args.AddRange(["-c", "copy", "-f", container, output]);
            RunToEnd(Find("ffmpeg"), args, segments[0]);
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
        return Process.Start(start) ?? throw new GctException($"{program} could not be started");
    }

    /// <summary>Runs a program to its end; its standard output, or a <see cref="GctException"/> about <paramref name="file"/> with ffmpeg's first error line.</summary>
    private static string RunToEnd(string program, IEnumerable<string> args, string file)
    {
        using var p = Start(program, args, redirectInput: false);
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw GctException.ForFile(file, $"{Path.GetFileName(program)} failed: {FirstLine(stderr.Result)}");
        return stdout;
    }

    /// <summary>The first non-empty line of ffmpeg's error output (its reason), or "no reason given".</summary>
    public static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no reason given";
}
