using System.Runtime.Intrinsics;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Backends.Cpu;

/// <summary>
/// Colour fusion (paper section 3.3, eqs. 3-6) in its factorised form. Because the rows of A sum
/// to 1, eqs. 3-4 give
///   I_T^(p) = sum_j W(p,j) Ibar_R(j) / sum_j W(p,j) = sum_i d(p,i) C(i) / sum_i d(p,i),
/// so each pixel sums over target superpixels only. d(p,i) = exp(-D(p,i) / sigma) (eq. 5) with
/// D the squared Mahalanobis distance of v(p) = [x/W, y/H, r, g, b] to the centroid of
/// superpixel i under Sigma (eq. 6, + 1e-4 I). exp(-(D - min_i D) / sigma) is used instead, which
/// leaves the normalised sum unchanged and cannot underflow to 0/0.
///
/// Pixels are processed superpixel by superpixel. The candidates (all superpixels, or those
/// whose centroid lies within the radius of the pixel's own centroid) are gathered once into
/// vector-friendly scratch, ordered by a lower bound of D valid for every pixel of the
/// superpixel: the smallest eigenvalues of the two blocks of Sigma_j^-1 (bounded below, see
/// <see cref="FusionMetric.EigenLowerBounds"/>) times the squared distances from j's centroid to
/// the bounding boxes of those pixels' positions and colours. Each pixel then evaluates
/// candidates in that order and stops once the bound exceeds D_min + 30 sigma (for the running
/// D_min; with sigma = D_min + 1e-5 that is 31 D_min + 3e-4): every later term weighs less than
/// e^-30 of the largest (see <see cref="FusionKernels.CutOff"/>).
///
/// Every mode blends per-superpixel affine colour maps, out(p) = sum_i d(p,i) (T_i I_T(p) + o_i) /
/// sum_i d(p,i): <see cref="FusionMode.Colour"/> (the paper) has T_i = 0, o_i = C(i);
/// <see cref="FusionMode.Shift"/> (beyond the paper) T_i = I, o_i = C(i) - Ibar_T(i), keeping the
/// target's detail; <see cref="FusionMode.Statistics"/> (beyond the paper) takes T_i as the linear
/// Monge-Kantorovich map from the colour covariance of target superpixel i to the
/// attention-weighted covariance of the reference colours around C(i) (both + 1e-4 I), and
/// o_i = C(i) - T_i Ibar_T(i): mean and covariance matched per superpixel.
/// </summary>
internal static unsafe class CpuFusion
{
    private const int Lanes = 8;

    private const float CutOff = FusionKernels.CutOff;

    public static void Run(float* planes, int w, int h, int* labels, SuperpixelStatistics[] stats, float[] colors,
        TransferSettings settings, float* output)
    {
        int n = w * h, count = stats.Length;
        var metrics = new FusionMetric[count];
        var bounds = new (float Spatial, float Colour)[count];
        for (int i = 0; i < count; i++)
        {
            metrics[i] = FusionMetric.From(stats[i], settings.DeltaS, settings.DeltaC);
            FusionMetric.EigenLowerBounds(stats[i], settings.DeltaS, settings.DeltaC, out bounds[i].Spatial, out bounds[i].Colour);
        }

        // Pixels grouped by superpixel (counting sort).
        var start = new int[count + 1];
        for (int p = 0; p < n; p++) start[labels[p] + 1]++;
        for (int i = 0; i < count; i++) start[i + 1] += start[i];
        var order = new int[n];
        var fill = (int[])start.Clone();
        for (int p = 0; p < n; p++) order[fill[labels[p]]++] = p;

        var maps = AffineMaps(stats, colors, settings.FusionMode);
        var group = new Group(planes, w, h, stats, metrics, bounds, maps, settings);
        Parallel.For(0, count, () => new Scratch(count, settings.FusionMode == FusionMode.Statistics), (s, _, scratch) =>
        {
            scratch.Fuse(group, s, order.AsSpan(start[s], start[s + 1] - start[s]), output);
            return scratch;
        }, _ => { });
    }

    /// <summary>Per superpixel, the affine colour map (T row-major, then o) that the mode blends.</summary>
    internal static float[][] AffineMaps(SuperpixelStatistics[] stats, float[] colors, FusionMode mode)
    {
        const int stride = Backends.MatchedColors.Stride;
        var maps = new float[stats.Length][];
        Parallel.For(0, stats.Length, i =>
        {
            var st = stats[i];
            var c = colors.AsSpan(stride * i, stride);
            var map = maps[i] = new float[12];
            switch (mode)
            {
                case FusionMode.Colour or FusionMode.Shift:
                    AffineMap.ColourOrShift(mode == FusionMode.Shift, st, c[0], c[1], c[2]).CopyTo(map);
                    break;
                default:
                    AffineMap.Statistics(st, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]).CopyTo(map);
                    break;
            }
        });
        return maps;
    }

    /// <summary>Everything the per-superpixel work reads.</summary>
    private sealed class Group(float* planes, int width, int height, SuperpixelStatistics[] stats, FusionMetric[] metrics,
        (float Spatial, float Colour)[] bounds, float[][] maps, TransferSettings settings)
    {
        public float* Planes { get; } = planes;
        public int Width { get; } = width;
        public int Height { get; } = height;
        public SuperpixelStatistics[] Stats { get; } = stats;
        public FusionMetric[] Metrics { get; } = metrics;
        public (float Spatial, float Colour)[] Bounds { get; } = bounds;
        public float[][] Maps { get; } = maps;
        public TransferSettings Settings { get; } = settings;
    }

    /// <summary>Fields of a candidate, each a contiguous array (structure of arrays).</summary>
    private enum Field { X, Y, R, G, B, Sxx, Sxy, Syy, Crr, Crg, Crb, Cgg, Cgb, Cbb, OutR, OutG, OutB, Count, T00 = Count, T01, T02, T10, T11, T12, T20, T21, T22, WithMaps }

    /// <summary>
    /// A list of candidate superpixels, padded to whole vectors, stored as blocks of eight
    /// candidates with each field's eight values contiguous (an array of structures of arrays):
    /// one pointer walks all fields, which keeps the distance loop in registers.
    /// </summary>
    private sealed class Candidates
    {
        private readonly int _blockFloats;
        private readonly float[] _data;
        private readonly float* _base;
        public int Length;

        /// <param name="capacity">Most candidates the list holds.</param>
        /// <param name="withMaps">Whether the blocks also hold the matrices T_i (statistics mode only, to keep the others' blocks small).</param>
        public Candidates(int capacity, bool withMaps)
        {
            _blockFloats = (int)(withMaps ? Field.WithMaps : Field.Count) * Lanes;
            // Pinned for the lifetime of the list, so the loops can use raw pointers.
            _data = GC.AllocateArray<float>((capacity + Lanes) / Lanes * _blockFloats, pinned: true);
            _base = (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _data[0]);
            WithMaps = withMaps;
        }

        public bool WithMaps { get; }

        /// <summary>The first of the eight values of field f in block b.</summary>
        public float* Block(int b) => _base + b * _blockFloats;

        public void Add(in SuperpixelStatistics st, in FusionMetric f, float[] map)
        {
            int k = Length++;
            float* q = _base + k / Lanes * _blockFloats + k % Lanes;
            void Set(Field field, float value) => q[(int)field * Lanes] = value;
            Set(Field.X, st.X); Set(Field.Y, st.Y); Set(Field.R, st.R); Set(Field.G, st.G); Set(Field.B, st.B);
            // Off-diagonal terms doubled: D = the diagonal terms + 2 x the upper triangle.
            Set(Field.Sxx, f.Sxx); Set(Field.Sxy, 2 * f.Sxy); Set(Field.Syy, f.Syy);
            Set(Field.Crr, f.Crr); Set(Field.Crg, 2 * f.Crg); Set(Field.Crb, 2 * f.Crb);
            Set(Field.Cgg, f.Cgg); Set(Field.Cgb, 2 * f.Cgb); Set(Field.Cbb, f.Cbb);
            // The affine map: T row-major, then the offset o.
            if (WithMaps)
                for (int e = 0; e < 9; e++) Set(Field.T00 + e, map[e]);
            Set(Field.OutR, map[9]); Set(Field.OutG, map[10]); Set(Field.OutB, map[11]);
        }

        private static readonly float[] Zero = new float[12];

        /// <summary>Pads to whole vectors with a centroid so far away that its weight is exactly 0.</summary>
        public void Pad(in FusionMetric metric)
        {
            while (Length % Lanes != 0) Add(new SuperpixelStatistics { X = 1e6f, Y = 1e6f }, metric, Zero);
        }
    }

    /// <summary>Per-thread scratch: the ordered candidate list, its bounds, the distances of one pixel.</summary>
    private sealed class Scratch(int count, bool withMaps)
    {
        private readonly Candidates _list = new(count, withMaps);
        private readonly float[] _bound = new float[count];
        private readonly int[] _index = new int[count];
        private readonly float[] _blockBound = new float[count / Lanes + 1];
        private readonly float[] _distance = GC.AllocateArray<float>((count + Lanes) / Lanes * Lanes, pinned: true);

        public void Fuse(Group g, int s, ReadOnlySpan<int> pixels, float* output)
        {
            var stats = g.Stats;
            var settings = g.Settings;
            bool own = settings.FusionCovariance == FusionCovariance.Own;
            bool shift = settings.FusionMode == FusionMode.Shift, affine = settings.FusionMode == FusionMode.Statistics;
            float radius2 = settings.FusionRadius is float r ? r * r : float.PositiveInfinity;
            int w = g.Width, h = g.Height, n = w * h;
            float* src = g.Planes;

            // Bounding boxes of the pixels' positions and colours.
            Span<float> lo = stackalloc float[5], hi = stackalloc float[5];
            lo.Fill(float.PositiveInfinity);
            hi.Fill(float.NegativeInfinity);
            foreach (int p in pixels)
            {
                Extend(lo, hi, 0, (float)(p % w) / w); Extend(lo, hi, 1, (float)(p / w) / h);
                Extend(lo, hi, 2, src[p]); Extend(lo, hi, 3, src[n + p]); Extend(lo, hi, 4, src[2 * n + p]);
            }

            // Candidates in increasing order of their lower bound.
            int m = 0;
            for (int i = 0; i < stats.Length; i++)
            {
                float dx = stats[i].X - stats[s].X, dy = stats[i].Y - stats[s].Y;
                if (dx * dx + dy * dy > radius2 || stats[i].Count == 0) continue;
                var bound = g.Bounds[own ? s : i];
                var st = stats[i];
                _bound[m] = bound.Spatial * (Gap(st.X, lo[0], hi[0]) + Gap(st.Y, lo[1], hi[1]))
                          + bound.Colour * (Gap(st.R, lo[2], hi[2]) + Gap(st.G, lo[3], hi[3]) + Gap(st.B, lo[4], hi[4]));
                _index[m++] = i;
            }
            Array.Sort(_bound, _index, 0, m);
            _list.Length = 0;
            for (int k = 0; k < m; k++)
            {
                int i = _index[k];
                if (k % Lanes == 0) _blockBound[k / Lanes] = _bound[k];
                _list.Add(stats[i], g.Metrics[own ? s : i], g.Maps[i]);
            }
            _list.Pad(g.Metrics[s]);

            foreach (int p in pixels)
            {
                Pixel((float)(p % w) / w, (float)(p / w) / h, src[p], src[n + p], src[2 * n + p], settings.FusionSigma, affine,
                    out output[p], out output[n + p], out output[2 * n + p]);
                // Shift mode: every T_i is the identity, so their blend applied to the pixel is the pixel.
                if (shift)
                {
                    output[p] += src[p];
                    output[n + p] += src[n + p];
                    output[2 * n + p] += src[2 * n + p];
                }
            }
        }

        private static void Extend(Span<float> lo, Span<float> hi, int axis, float v)
        {
            lo[axis] = MathF.Min(lo[axis], v);
            hi[axis] = MathF.Max(hi[axis], v);
        }

        /// <summary>Squared distance from v to the interval [lo, hi].</summary>
        private static float Gap(float v, float lo, float hi)
        {
            float d = v < lo ? lo - v : v > hi ? v - hi : 0f;
            return d * d;
        }

        /// <summary>The fused colour of one pixel v = (x, y, r, g, b) over a candidate list.</summary>
        private void Pixel(float x, float y, float r, float g, float b, float? fixedSigma, bool affine, out float outR, out float outG, out float outB)
        {
            var c = _list;
            int blocks = c.Length / Lanes;
            fixed (float* dist = _distance)
            {
                var vx = Vector256.Create(x); var vy = Vector256.Create(y);
                var vr = Vector256.Create(r); var vg = Vector256.Create(g); var vb = Vector256.Create(b);
                var min = Vector256.Create(float.PositiveInfinity);
                float dmin = float.PositiveInfinity, limit = float.PositiveInfinity;
                float sigmaValue = fixedSigma.GetValueOrDefault(); // 0: sigma = D_min + 1e-5
                int evaluated = 0;
                for (int k = 0; k < blocks; k++, evaluated++)
                {
                    if (_blockBound[k] > limit) break;
                    float* q = c.Block(k);
                    var dx = vx - Load(q, Field.X); var dy = vy - Load(q, Field.Y);
                    var dr = vr - Load(q, Field.R); var dg = vg - Load(q, Field.G); var db = vb - Load(q, Field.B);
                    var d = (Load(q, Field.Sxx) * dx + Load(q, Field.Sxy) * dy) * dx + Load(q, Field.Syy) * dy * dy
                          + (Load(q, Field.Crr) * dr + Load(q, Field.Crg) * dg + Load(q, Field.Crb) * db) * dr
                          + (Load(q, Field.Cgg) * dg + Load(q, Field.Cgb) * db) * dg + Load(q, Field.Cbb) * db * db;
                    d.Store(dist + k * Lanes);
                    min = Vector256.Min(min, d);
                    // Beyond D_min + 30 sigma every term weighs less than e^-30 of the largest.
                    dmin = HorizontalMin(min);
                    limit = FusionKernels.Limit(dmin, sigmaValue);
                }
                float sigma = FusionKernels.Sigma(dmin, sigmaValue);
                // d(p,i) / d(p,i_min) = exp(-(D - D_min) / sigma)
                var vmin = Vector256.Create(dmin);
                var scale = Vector256.Create(-1f / sigma);
                var cut = Vector256.Create(-CutOff);
                Vector256<float> sum = default, sr = default, sg = default, sb = default;
                Span<Vector256<float>> st = stackalloc Vector256<float>[9];
                for (int k = 0; k < evaluated; k++)
                {
                    var arg = (Vector256.Load(dist + k * Lanes) - vmin) * scale;
                    if (Vector256.GreaterThanAll(cut, arg)) continue;
                    float* q = c.Block(k);
                    var weight = Vector256.ConditionalSelect(Vector256.GreaterThan(cut, arg), Vector256<float>.Zero, Vector256.Exp(Vector256.Max(arg, cut)));
                    sum += weight;
                    sr += weight * Load(q, Field.OutR);
                    sg += weight * Load(q, Field.OutG);
                    sb += weight * Load(q, Field.OutB);
                    if (affine)
                        for (int e = 0; e < 9; e++) st[e] += weight * Load(q, Field.T00 + e);
                }
                float total = Vector256.Sum(sum);
                outR = Vector256.Sum(sr) / total;
                outG = Vector256.Sum(sg) / total;
                outB = Vector256.Sum(sb) / total;
                if (affine)
                {
                    // + (sum_i d T_i / sum_i d) I_T(p)
                    outR += (Vector256.Sum(st[0]) * r + Vector256.Sum(st[1]) * g + Vector256.Sum(st[2]) * b) / total;
                    outG += (Vector256.Sum(st[3]) * r + Vector256.Sum(st[4]) * g + Vector256.Sum(st[5]) * b) / total;
                    outB += (Vector256.Sum(st[6]) * r + Vector256.Sum(st[7]) * g + Vector256.Sum(st[8]) * b) / total;
                }
            }
        }

        private static Vector256<float> Load(float* block, Field f) => Vector256.Load(block + (int)f * Lanes);

        private static float HorizontalMin(Vector256<float> v)
        {
            var m = Vector128.Min(v.GetLower(), v.GetUpper());
            m = Vector128.Min(m, Vector128.Shuffle(m, Vector128.Create(2, 3, 0, 1)));
            m = Vector128.Min(m, Vector128.Shuffle(m, Vector128.Create(1, 0, 3, 2)));
            return m.ToScalar();
        }
    }
}
