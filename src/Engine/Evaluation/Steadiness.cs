using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Video;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>How steady a grading is over one shot.</summary>
/// <param name="FirstFrame">The shot's first frame.</param>
/// <param name="Frames">Its length in frames.</param>
/// <param name="Change">Mean frame-to-frame change of the palette, in CIELAB units (the flicker of a still shot).</param>
/// <param name="SecondDifference">Mean second difference in time of the palette, CIELAB units (the jerkiness of a moving shot).</param>
public sealed record ShotSteadiness(int FirstFrame, int Frames, double Change, double SecondDifference);

/// <summary>
/// The steadiness of a grading, measured from the input and output films alone: for each frame an
/// affine map is fitted from the input frame to the output frame (robust least squares) and applied
/// to a fixed palette, the 64 colours of an 8 x 8 grid of the shot's first input frame; the palette's
/// CIELAB positions should move little from frame to frame on a still shot (<see cref="ShotSteadiness.Change"/>)
/// and smoothly on a pan (<see cref="ShotSteadiness.SecondDifference"/>). Shots are cut with <see cref="SceneCuts"/> on the input.
/// </summary>
public sealed class Steadiness(double cutThreshold = SceneCuts.DefaultThreshold)
{
    private readonly SceneCuts _cuts = new(cutThreshold);
    private readonly List<ShotSteadiness> _shots = [];
    private readonly List<float[]> _palettes = []; // the current shot's palette in CIELAB, per frame
    private float[] _palette = [];
    private int _shotStart, _frame;

    /// <summary>
    /// The steadiness of the grading of <paramref name="input"/> into <paramref name="graded"/>, two
    /// films of the same size and frame count, decoded side by side through ffmpeg.
    /// </summary>
    /// <exception cref="GctException">A film cannot be read, is larger than <paramref name="maxPixels"/>, or the two differ in size or frames.</exception>
    public static IReadOnlyList<ShotSteadiness> OfFilms(string input, string graded, double cutThreshold, long maxPixels)
    {
        var a = Ffmpeg.Probe(input);
        var b = Ffmpeg.Probe(graded);
        foreach (var (path, info) in new[] { (input, a), (graded, b) })
            if ((long)info.Width * info.Height > maxPixels) throw new ImageTooLargeException(path, info.Width, info.Height, maxPixels);
        if ((a.Width, a.Height) != (b.Width, b.Height)) throw GctException.ForFile(graded, $"is {b.Width}x{b.Height} but {input} is {a.Width}x{a.Height}");
        if (a.Frames != b.Frames)
            throw GctException.ForFile(graded, $"has {b.Frames} frames but {input} has {a.Frames}; steadiness compares a film with its grading frame by frame");
        var da = Ffmpeg.Decode(input, 0, int.MaxValue);
        var db = Ffmpeg.Decode(graded, 0, int.MaxValue);
        try
        {
            _ = da.StandardError.ReadToEndAsync();
            _ = db.StandardError.ReadToEndAsync();
            var measure = new Steadiness(cutThreshold);
            var fa = new byte[3 * a.Width * a.Height];
            var fb = new byte[fa.Length];
            while (RawFrames.Read(da.StandardOutput.BaseStream, fa) && RawFrames.Read(db.StandardOutput.BaseStream, fb))
                measure.Add(fa, fb, a.Width, a.Height);
            return measure.Shots();
        }
        finally
        {
            Ffmpeg.Stop(da);
            Ffmpeg.Stop(db);
            da.Dispose();
            db.Dispose();
        }
    }

    /// <summary>Adds one frame pair (RGB24 input and output of one size).</summary>
    public void Add(byte[] input, byte[] output, int width, int height)
    {
        if (_cuts.IsCut(input, width, height))
        {
            Close();
            _shotStart = _frame;
            _palette = GridColors(input, width, height);
        }
        var map = AffineColorMap.Fit(ColorPairs.FromImages(RawFrames.ToImage(input, width, height), RawFrames.ToImage(output, width, height), 4096));
        var lab = new float[_palette.Length];
        for (int i = 0; i < lab.Length; i += 3)
        {
            var (r, g, b) = map.Map(_palette[i], _palette[i + 1], _palette[i + 2]);
            ColorMath.RgbToLab(Math.Clamp(r, 0, 1), Math.Clamp(g, 0, 1), Math.Clamp(b, 0, 1), out lab[i], out lab[i + 1], out lab[i + 2]);
        }
        _palettes.Add(lab);
        _frame++;
    }

    /// <summary>The shots measured so far (the last one included).</summary>
    public IReadOnlyList<ShotSteadiness> Shots()
    {
        Close();
        return _shots;
    }

    private void Close()
    {
        if (_palettes.Count == 0) return;
        double change = Mean(1, t => Distance(_palettes[t], _palettes[t - 1], null));
        double second = Mean(2, t => Distance(_palettes[t], _palettes[t - 1], _palettes[t - 2]));
        _shots.Add(new ShotSteadiness(_shotStart, _palettes.Count, change, second));
        _palettes.Clear();
    }

    private double Mean(int from, Func<int, double> value) =>
        _palettes.Count > from ? Enumerable.Range(from, _palettes.Count - from).Average(value) : 0;

    /// <summary>Mean over the palette of |a - b| (first difference) or |a - 2b + c| (second difference), in CIELAB.</summary>
    private static double Distance(float[] a, float[] b, float[]? c)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i += 3)
        {
            double d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1], d2 = a[i + 2] - b[i + 2];
            if (c is not null) { d0 -= b[i] - c[i]; d1 -= b[i + 1] - c[i + 1]; d2 -= b[i + 2] - c[i + 2]; }
            sum += Math.Sqrt(d0 * d0 + d1 * d1 + d2 * d2);
        }
        return sum / (a.Length / 3);
    }

    /// <summary>The colours (0..1) of an 8 x 8 grid of pixels, at the centres of the grid's cells.</summary>
    private static float[] GridColors(byte[] rgb, int width, int height)
    {
        var colors = new float[3 * 64];
        for (int gy = 0; gy < 8; gy++)
            for (int gx = 0; gx < 8; gx++)
            {
                int x = (2 * gx + 1) * width / 16, y = (2 * gy + 1) * height / 16, p = 3 * (y * width + x), k = 3 * (gy * 8 + gx);
                for (int c = 0; c < 3; c++) colors[k + c] = rgb[p + c] / 255f;
            }
        return colors;
    }
}
