using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.ColorMaps;
using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Tests.ColorMaps;

/// <summary>The fitted colour maps against known maps, trilinear lookup against a naive formula, .cube files.</summary>
public class ColorMapTests
{
    private static readonly float[] KnownAffine = [0.9f, 0.1f, -0.05f, 0.03f, -0.08f, 1.1f, 0.02f, -0.02f, 0.05f, -0.1f, 0.8f, 0.1f];

    /// <summary>n random colours (fixed seed) and their images under <paramref name="f"/>.</summary>
    private static ColorPairs Pairs(Func<float, float, float, (float, float, float)> f, int n, int seed)
    {
        var rng = new Random(seed);
        var from = new float[3 * n];
        var to = new float[3 * n];
        for (int k = 0; k < n; k++)
        {
            for (int c = 0; c < 3; c++) from[3 * k + c] = (float)rng.NextDouble();
            (to[3 * k], to[3 * k + 1], to[3 * k + 2]) = f(from[3 * k], from[3 * k + 1], from[3 * k + 2]);
        }
        return new ColorPairs(from, to, Enumerable.Repeat(1f, n).ToArray());
    }

    private static (float, float, float) Affine(float r, float g, float b)
    {
        var m = KnownAffine;
        return (m[0] * r + m[1] * g + m[2] * b + m[3], m[4] * r + m[5] * g + m[6] * b + m[7], m[8] * r + m[9] * g + m[10] * b + m[11]);
    }

    [Fact]
    public void The_affine_fit_recovers_a_known_map_and_ignores_a_fifth_of_outliers()
    {
        var clean = AffineColorMap.Fit(Pairs(Affine, 2000, 1));
        for (int i = 0; i < 12; i++) Assert.Equal(KnownAffine[i], clean.Matrix[i], 1e-4f);

        var pairs = Pairs(Affine, 2000, 2);
        var rng = new Random(3);
        for (int k = 0; k < pairs.Count; k += 5) // every fifth pair sent somewhere else entirely
            for (int c = 0; c < 3; c++) pairs.To[3 * k + c] = (float)rng.NextDouble();
        var robust = AffineColorMap.Fit(pairs);
        var plain = AffineColorMap.Fit(pairs, iterations: 0);
        double Error(AffineColorMap m) => Enumerable.Range(0, 12).Max(i => Math.Abs(m.Matrix[i] - KnownAffine[i]));
        Assert.True(Error(robust) < 0.02, $"robust fit off by {Error(robust)}");
        Assert.True(Error(plain) > 5 * Error(robust), "the outliers should pull the plain least-squares fit away");
    }

    /// <summary>A known second-order map: an S-like bend of each channel plus cross terms.</summary>
    private static (float, float, float) Quadratic(float r, float g, float b) =>
        (0.05f + 0.8f * r + 0.1f * g + 0.3f * r * r - 0.2f * g * b, 0.9f * g + 0.2f * g * g - 0.1f * r * b, 0.1f + 0.7f * b - 0.15f * b * b + 0.1f * r * g);

    [Fact]
    public void The_quadratic_fit_recovers_a_known_second_order_map_and_ignores_outliers()
    {
        var pairs = Pairs(Quadratic, 3000, 4);
        var rng = new Random(6);
        for (int k = 0; k < pairs.Count; k += 7)
            for (int c = 0; c < 3; c++) pairs.To[3 * k + c] = (float)rng.NextDouble();
        var fit = QuadraticColorMap.Fit(pairs, ridge: 1e-7);
        var probe = new Random(8);
        for (int i = 0; i < 200; i++)
        {
            float r = (float)probe.NextDouble(), g = (float)probe.NextDouble(), b = (float)probe.NextDouble();
            var (er, eg, eb) = Quadratic(r, g, b);
            var (ar, ag, ab) = fit.Map(r, g, b);
            Assert.True(Math.Max(Math.Abs(ar - er), Math.Max(Math.Abs(ag - eg), Math.Abs(ab - eb))) < 0.01, $"at ({r}, {g}, {b}): {(ar, ag, ab)} vs {(er, eg, eb)}");
        }
    }

    [Fact]
    public void Auto_chooses_the_quadratic_map_for_a_bent_look_and_the_affine_one_for_an_affine_look()
    {
        var settings = new TransferSettings { ColorMap = ColorMapKind.Auto };
        // Noise on the destinations, as matched colours have: the affine truth gives the quadratic
        // family nothing to gain on held-out pairs.
        ColorPairs Noisy(Func<float, float, float, (float, float, float)> f, int seed)
        {
            var pairs = Pairs(f, 2000, seed);
            var rng = new Random(seed + 100);
            for (int i = 0; i < pairs.To.Length; i++) pairs.To[i] += (float)(0.03 * (rng.NextDouble() - 0.5));
            return pairs;
        }
        Assert.IsType<QuadraticColorMap>(ColorMapFit.Fit(Noisy(Quadratic, 9), settings));
        Assert.IsType<AffineColorMap>(ColorMapFit.Fit(Noisy(Affine, 10), settings));
    }

    [Fact]
    public void A_quadratic_map_renders_as_its_formula_and_blends_exactly_with_an_affine_one()
    {
        var quadratic = QuadraticColorMap.Fit(Pairs(Quadratic, 500, 11), ridge: 1e-7);
        var affine = new AffineColorMap(KnownAffine);
        var image = TestData.Photo("castle_day.jpg", 37); // an odd width: the vector loop and its scalar tail
        var rendered = ColorMapRender.Apply(quadratic, image);
        int n = image.PixelCount;
        var blend = ColorMapBlend.Mean([(quadratic, 1), (affine, 3)]);
        Assert.IsType<QuadraticColorMap>(blend);
        for (int p = 0; p < n; p++)
        {
            float r = image.Planes[p], g = image.Planes[n + p], b = image.Planes[2 * n + p];
            var (er, eg, eb) = quadratic.Map(r, g, b);
            Assert.Equal(er, rendered.Planes[p], 1e-5f);
            Assert.Equal(eg, rendered.Planes[n + p], 1e-5f);
            Assert.Equal(eb, rendered.Planes[2 * n + p], 1e-5f);
            var (ar, ag, ab) = affine.Map(r, g, b);
            var (br, bg, bb) = blend.Map(r, g, b);
            Assert.Equal((er + 3 * ar) / 4, br, 1e-5f);
            Assert.Equal((eg + 3 * ag) / 4, bg, 1e-5f);
            Assert.Equal((eb + 3 * ab) / 4, bb, 1e-5f);
        }
    }

    [Fact]
    public void Trilinear_lookup_matches_the_naive_formula()
    {
        var rng = new Random(4);
        int n = 5;
        var nodes = Enumerable.Range(0, 3 * n * n * n).Select(_ => (float)rng.NextDouble()).ToArray();
        var lut = new LatticeColorMap(n, nodes);
        for (int t = 0; t < 500; t++)
        {
            float r = (float)rng.NextDouble(), g = (float)rng.NextDouble(), b = (float)rng.NextDouble();
            var got = lut.Map(r, g, b);
            // Naive: the 8 corners by their coordinates, weights as products of 1-D hat functions.
            double[] expected = new double[3];
            for (int k = 0; k < n; k++)
                for (int j = 0; j < n; j++)
                    for (int i = 0; i < n; i++)
                    {
                        double w = Hat(r * (n - 1) - i) * Hat(g * (n - 1) - j) * Hat(b * (n - 1) - k);
                        for (int c = 0; c < 3; c++) expected[c] += w * nodes[3 * (i + n * (j + n * k)) + c];
                    }
            Assert.Equal(expected[0], got.R, 1e-5);
            Assert.Equal(expected[1], got.G, 1e-5);
            Assert.Equal(expected[2], got.B, 1e-5);
        }
        static double Hat(double x) => Math.Max(0, 1 - Math.Abs(x));
    }

    [Fact]
    public void The_lattice_fit_reproduces_an_affine_map_and_follows_a_curve()
    {
        // Trilinear interpolation reproduces affine maps and the smoothness penalty leaves them free.
        var pairs = Pairs(Affine, 4000, 5);
        var lattice = LatticeFit.Fit(pairs, AffineColorMap.Identity, size: 9);
        var probe = new Random(6);
        for (int t = 0; t < 200; t++)
        {
            float r = (float)probe.NextDouble(), g = (float)probe.NextDouble(), b = (float)probe.NextDouble();
            var (er, eg, eb) = Affine(r, g, b);
            var got = lattice.Map(r, g, b);
            Assert.True(Math.Abs(got.R - er) + Math.Abs(got.G - eg) + Math.Abs(got.B - eb) < 3e-3, $"({r}, {g}, {b})");
        }
        // A tone curve no affine map follows: the lattice does, to within 0.01.
        static (float, float, float) Curve(float r, float g, float b) => (MathF.Pow(r, 0.6f), MathF.Pow(g, 0.6f), MathF.Pow(b, 0.6f));
        var curved = Pairs(Curve, 8000, 7);
        var affine = AffineColorMap.Fit(curved);
        var fitted = LatticeFit.Fit(curved, affine, size: 17, smoothness: 1e-5);
        double latticeError = 0, affineError = 0;
        for (int t = 0; t < 500; t++)
        {
            float x = 0.05f + 0.9f * (float)probe.NextDouble();
            latticeError = Math.Max(latticeError, Math.Abs(fitted.Map(x, x, x).R - MathF.Pow(x, 0.6f)));
            affineError = Math.Max(affineError, Math.Abs(affine.Map(x, x, x).R - MathF.Pow(x, 0.6f)));
        }
        Assert.True(latticeError < 0.01, $"lattice off by {latticeError}");
        Assert.True(affineError > 4 * latticeError, $"affine {affineError}, lattice {latticeError}");
    }

    [Fact]
    public void A_cube_file_round_trips_and_a_1d_table_is_a_curve_per_channel()
    {
        string dir = TestData.TempFolder(), path = Path.Combine(dir, "look.cube");
        // A map that keeps the cube inside [0,1], so that no node is clamped.
        var map = new AffineColorMap([0.7f, 0.1f, 0.05f, 0.1f, 0.05f, 0.8f, 0.05f, 0.05f, 0.1f, 0.05f, 0.7f, 0.1f]);
        CubeFile.Write(map, path, 9, "test \"look\"");
        var text = File.ReadAllLines(path);
        Assert.Contains("LUT_3D_SIZE 9", text);
        Assert.Equal(9 * 9 * 9, text.Count(l => l.Length > 0 && char.IsDigit(l[0])));
        var read = CubeFile.Read(path);
        var rng = new Random(8);
        for (int t = 0; t < 100; t++)
        {
            float r = (float)rng.NextDouble(), g = (float)rng.NextDouble(), b = (float)rng.NextDouble();
            var (er, eg, eb) = map.Map(r, g, b);
            var got = read.Map(r, g, b);
            // Trilinear interpolation of an affine map's samples is the map itself (to the 6 decimals written).
            Assert.Equal(er, got.R, 1e-5f);
            Assert.Equal(eg, got.G, 1e-5f);
            Assert.Equal(eb, got.B, 1e-5f);
        }

        string curve = Path.Combine(dir, "curve.cube");
        File.WriteAllText(curve, "# a 1D table\nLUT_1D_SIZE 3\n0 0 1\n0.25 0.5 0.5\n1 1 0\n");
        var c = CubeFile.Read(curve);
        Assert.Equal((0.125f, 0.25f, 0.75f), c.Map(0.25f, 0.25f, 0.25f));
        Assert.Equal((0.625f, 0.75f, 0.25f), c.Map(0.75f, 0.75f, 0.75f));
    }

    [Theory]
    [InlineData("LUT_3D_SIZE 2\n0 0 0\n", "", "the table has 1 rows, LUT_3D_SIZE 2 needs 8")]
    [InlineData("0 0 0\nLUT_3D_SIZE 2\n", "line 1", "before LUT_3D_SIZE")]
    [InlineData("LUT_3D_SIZE 2\n0 0 x\n", "line 2", "'x' is not a number")]
    [InlineData("LUT_3D_SIZE 2\n0 0\n", "line 2", "3 numbers, not 2")]
    [InlineData("LUT_3D_SIZE two\n", "line 1", "one whole number")]
    [InlineData("LUT_3D_SIZE 1\n", "line 1", "between 2 and 256")]
    [InlineData("LUT_3D_SIZE 2\nLUT_1D_SIZE 2\n", "line 2", "a second table size")]
    [InlineData("COLOR_SPACE x\nLUT_3D_SIZE 2\n", "line 1", "unknown keyword 'COLOR_SPACE'")]
    [InlineData("TITLE \"x\"\n", "", "not a .cube file")]
    [InlineData("LUT_3D_SIZE 2\nDOMAIN_MIN 1 1 1\nDOMAIN_MAX 1 1 1\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n", "", "DOMAIN_MAX must exceed")]
    [InlineData("LUT_3D_SIZE 2\n0 0 nan\n", "line 2", "'nan' is not a number")]
    public void A_malformed_cube_file_is_an_error_naming_the_line(string content, string where, string reason)
    {
        string path = Path.Combine(TestData.TempFolder(), "bad.cube");
        File.WriteAllText(path, content);
        var e = Assert.Throws<GctException>(() => CubeFile.Read(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(where, e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Any_mutation_of_a_cube_file_is_read_or_refused_with_the_file_named()
    {
        // 500 mutations (fixed seed) of a valid file: bytes replaced, inserted, deleted, lines cut or repeated.
        string valid = CubeFile.Text(AffineColorMap.Identity, 3, "fuzz");
        string dir = TestData.TempFolder();
        var rng = new Random(11);
        char[] alphabet = [.. "0123456789.-+eE \t\n\r#\"xLUT_3D_SIZEDOMAIN_MAX\0\u00e9"];
        for (int trial = 0; trial < 500; trial++)
        {
            var text = new System.Text.StringBuilder(valid);
            for (int edit = rng.Next(1, 6); edit > 0 && text.Length > 0; edit--)
            {
                int at = rng.Next(text.Length);
                switch (rng.Next(4))
                {
                    case 0: text[at] = alphabet[rng.Next(alphabet.Length)]; break;
                    case 1: text.Insert(at, alphabet[rng.Next(alphabet.Length)]); break;
                    case 2: text.Remove(at, Math.Min(rng.Next(1, 40), text.Length - at)); break;
                    default: text.Insert(at, text.ToString(at, Math.Min(rng.Next(1, 60), text.Length - at))); break;
                }
            }
            string path = Path.Combine(dir, $"m{trial}.cube");
            File.WriteAllText(path, text.ToString());
            try
            {
                var map = CubeFile.Read(path);
                var rgb = map.Map(0.3f, 0.6f, 0.9f);
                Assert.True(float.IsFinite(rgb.R) && float.IsFinite(rgb.G) && float.IsFinite(rgb.B), $"trial {trial}: non-finite colour");
            }
            catch (GctException e)
            {
                Assert.StartsWith(path, e.Message);
            }
        }
    }

    [Fact]
    public void A_missing_cube_file_or_a_folder_is_named_as_such()
    {
        string dir = TestData.TempFolder();
        Assert.Contains("no such file", Assert.Throws<GctException>(() => CubeFile.Read(Path.Combine(dir, "none.cube"))).Message);
        Assert.Contains("is a folder", Assert.Throws<GctException>(() => CubeFile.Read(dir)).Message);
    }

    [Fact]
    public void A_cube_file_with_a_byte_order_mark_is_read_and_a_binary_one_refused_without_its_bytes()
    {
        string dir = TestData.TempFolder(), plain = Path.Combine(dir, "plain.cube"), marked = Path.Combine(dir, "marked.cube");
        string text = "LUT_3D_SIZE 2\n" + string.Concat(Enumerable.Range(0, 8).Select(i => $"{i & 1} {(i >> 1) & 1} {i >> 2}\n"));
        File.WriteAllText(plain, text);
        File.WriteAllBytes(marked, [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.ASCII.GetBytes(text)]);
        Assert.Equal(CubeFile.Read(plain).Map(0.2f, 0.5f, 0.9f), CubeFile.Read(marked).Map(0.2f, 0.5f, 0.9f));

        string binary = Path.Combine(dir, "photo.cube");
        File.WriteAllBytes(binary, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x1B, (byte)'[', (byte)'2', (byte)'J']);
        var e = Assert.Throws<GctException>(() => CubeFile.Read(binary));
        Assert.Contains("is a binary file", e.Message);
        Assert.DoesNotContain('\u001B', e.Message);
        Assert.DoesNotContain("PNG", e.Message);

        // Control characters in a text file's unknown word are shown as '?', never echoed.
        string control = Path.Combine(dir, "control.cube");
        File.WriteAllText(control, "LUT_3D_SIZE 2\n\u001B[2Jrow\n");
        var c = Assert.Throws<GctException>(() => CubeFile.Read(control));
        Assert.DoesNotContain('\u001B', c.Message);
        Assert.Contains("?[2Jrow", c.Message);
    }

    [Fact]
    public void The_global_render_recovers_a_global_grading_far_better_than_the_target()
    {
        var photo = TestData.Photo("forest_path.jpg", 160);
        var truth = Grading.TealOrange.Apply(photo);
        var settings = new TransferSettings { Render = RenderMode.Global };
        using var engine = ColorTransferEngine.Create(new EngineOptions { Device = Engine.Backends.DevicePreference.Cpu, Settings = settings });
        var result = engine.Transfer(photo, truth);
        Assert.IsType<AffineColorMap>(engine.LastColorMap);
        double before = Scores.MeanDeltaE00(photo, truth), after = Scores.MeanDeltaE00(result, truth);
        Assert.True(after < before / 3, $"dE00 {before:F2} -> {after:F2}");

        using var none = ColorTransferEngine.Create(new EngineOptions { Device = Engine.Backends.DevicePreference.Cpu, Settings = settings with { Strength = 0 } });
        var unchanged = none.Transfer(photo, truth);
        Assert.Equal(photo.Planes, unchanged.Planes);
    }

    [Fact]
    public void Lut_out_with_apply_reproduces_the_global_render_and_needs_it()
    {
        string dir = TestData.TempFolder(), output = Path.Combine(dir, "g.png"), lut = Path.Combine(dir, "g.cube"), applied = Path.Combine(dir, "a.png");
        string target = TestData.Sample("target.jpg"), reference = TestData.Sample("reference.jpg");
        var refused = Gct.Run("transfer", target, reference, "-o", output, "--lut-out", lut, "--render", "local");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--render global", refused.Stderr);
        Assert.False(File.Exists(output));

        var run = Gct.Run("transfer", target, reference, "-o", output, "--render", "global", "--lut-out", lut, "--lut-out-size", "65");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var apply = Gct.Run("apply", target, "--lut", lut, "-o", applied);
        Assert.True(apply.ExitCode == 0, apply.Stderr);
        var a = ImageCodec.Decode(output);
        var b = ImageCodec.Decode(applied);
        // The affine map sampled on 65^3 nodes and interpolated: within 1/255 at every pixel but a few clamped ones.
        int far = Enumerable.Range(0, a.Planes.Length).Count(i => Math.Abs(a.Planes[i] - b.Planes[i]) > 1.01f / 255);
        Assert.True(far < a.Planes.Length / 1000, $"{far} values differ by more than 1/255");
    }
}
