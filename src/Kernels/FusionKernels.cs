using ILGPU;
using ILGPU.Runtime;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// The colour fusion (paper eqs. 3-6, factorised; see the CPU stage CpuFusion) as kernels, with the
/// CPU stage's pruning: per target superpixel s, the list of candidate superpixels (centroid within
/// the radius of s's centroid) with a lower bound of D(p, j) valid for every pixel p of s (the
/// smallest eigenvalues of Sigma_j^-1 times the squared distances from j's centroid to the boxes of
/// s's pixel positions and colours), in buckets of increasing bound (<see cref="BoundBuckets"/>);
/// per pixel, D_min is the smallest D over the candidates whose bound is below it, candidates whose
/// bound exceeds D_min + 30 sigma are skipped (their weight is below e^-30 of the largest), and the
/// weights exp(-(D - D_min) / sigma) blend the superpixels' affine colour maps (T_i row-major, then
/// o_i: 12 floats each). Both passes stop at the first bucket beyond what they need. Chunk-loop style.
/// </summary>
public static class FusionKernels
{
    /// <summary>Flag: use the pixel's own superpixel's Sigma for every i.</summary>
    public const int OwnCovariance = 1;
    /// <summary>Flag: apply the blended T to the pixel (statistics mode); otherwise T is 0, or I with <see cref="Shift"/>.</summary>
    public const int Affine = 2;
    /// <summary>Flag: every T_i is the identity (shift mode).</summary>
    public const int Shift = 4;

    /// <summary>
    /// Terms whose weight relative to the pixel's largest, exp(-(D - D_min) / sigma), is below
    /// e^-30 are dropped (here and in the CPU stage): with at most a few tens of thousands of terms
    /// the normalised sum changes by less than 1e-8.
    /// </summary>
    public const float CutOff = 30f;

    /// <summary>Floats per superpixel box: the minima of x, y, r, g, b, then their maxima.</summary>
    public const int BoxFloats = 10;

    /// <summary>
    /// What the fusion needs per superpixel i, from its statistics and matched colours (9 floats
    /// each, as <c>MatchedColors</c>): the packed centroid and Sigma_i^-1 (<see cref="FusionCandidate"/>,
    /// eq. 6, with the two lower eigenvalue bounds of Sigma_i^-1's blocks), the mode's affine map
    /// (<see cref="AffineMap"/>: colour, or <see cref="Shift"/> or <see cref="Affine"/> in
    /// <paramref name="flags"/>), and the box and limit initialised empty for <see cref="Boxes"/>.
    /// </summary>
    public static void Prepare(Index1D thread, int chunk, int count, ArrayView<SuperpixelStatistics> stats, ArrayView<float> colors,
        float deltaS, float deltaC, int flags, ArrayView<Float4> candidates, ArrayView<Float4> affine,
        ArrayView<float> boxes, ArrayView<float> limits)
    {
        for (int i = thread * chunk; i < count && i < (thread + 1) * chunk; i++)
        {
            var st = stats[i];
            FusionMetric.EigenLowerBounds(st, deltaS, deltaC, out float spatial, out float colour);
            FusionCandidate.Store(st, FusionMetric.From(st, deltaS, deltaC), spatial, colour, candidates, i);
            int c = 9 * i;
            var map = (flags & Affine) != 0
                ? AffineMap.Statistics(st, colors[c], colors[c + 1], colors[c + 2], colors[c + 3], colors[c + 4], colors[c + 5], colors[c + 6],
                    colors[c + 7], colors[c + 8])
                : AffineMap.ColourOrShift((flags & Shift) != 0, st, colors[c], colors[c + 1], colors[c + 2]);
            affine[3 * i] = map.First;
            affine[3 * i + 1] = map.Second;
            affine[3 * i + 2] = map.Last;
            for (int k = 0; k < 5; k++)
            {
                boxes[i * BoxFloats + k] = float.PositiveInfinity;
                boxes[i * BoxFloats + 5 + k] = float.NegativeInfinity;
            }
            limits[i] = float.NegativeInfinity;
        }
    }

    /// <summary>
    /// The box of each superpixel's pixels in (x/W, y/H, r, g, b) (boxes must start at +inf minima
    /// and -inf maxima), and the largest first cut-off limit of its pixels, D(p, own) + 30 sigma
    /// (limits must start at -inf): no pixel of the superpixel ever admits a candidate whose lower
    /// bound of D exceeds it, since each pixel's limit only falls from there. A <see cref="PixelRun"/>
    /// per thread, one set of atomics per superpixel met.
    /// </summary>
    public static void Boxes(Index1D thread, int chunk, int w, int h, ArrayView<float> planes, ArrayView<int> labels, ArrayView<Float4> candidates,
        float sigma, ArrayView<float> boxes, ArrayView<float> limits)
    {
        int n = w * h;
        var image = new Rect(0, 0, w, h);
        for (long e = (long)thread.X * chunk; e < PixelRun.Count(image) && e < (thread.X + 1L) * chunk; e++)
        {
            var run = new PixelRun((int)e, image);
            float x = (float)run.X / w;
            int first = run.Y0 * w + run.X;
            int label = labels[first];
            var mine = FusionCandidate.Load(candidates, label);
            float y0 = (float)run.Y0 / h, y1 = y0, limit = float.NegativeInfinity;
            float r0 = planes[first], r1 = r0, g0 = planes[n + first], g1 = g0, b0 = planes[2 * n + first], b1 = b0;
            for (int row = run.Y0; row <= run.Y1; row++)
            {
                int p = row * w + run.X;
                if (row == run.Y1 || labels[p] != label)
                {
                    int o = label * BoxFloats;
                    Atomic.Min(ref boxes[o], x); Atomic.Min(ref boxes[o + 1], y0);
                    Atomic.Min(ref boxes[o + 2], r0); Atomic.Min(ref boxes[o + 3], g0); Atomic.Min(ref boxes[o + 4], b0);
                    Atomic.Max(ref boxes[o + 5], x); Atomic.Max(ref boxes[o + 6], y1);
                    Atomic.Max(ref boxes[o + 7], r1); Atomic.Max(ref boxes[o + 8], g1); Atomic.Max(ref boxes[o + 9], b1);
                    Atomic.Max(ref limits[label], limit);
                    if (row == run.Y1) break;
                    label = labels[p];
                    mine = FusionCandidate.Load(candidates, label);
                    y0 = (float)row / h;
                    r0 = r1 = planes[p]; g0 = g1 = planes[n + p]; b0 = b1 = planes[2 * n + p];
                    limit = float.NegativeInfinity;
                }
                float fy = (float)row / h, r = planes[p], g = planes[n + p], b = planes[2 * n + p];
                y1 = fy;
                r0 = r < r0 ? r : r0; r1 = r > r1 ? r : r1;
                g0 = g < g0 ? g : g0; g1 = g > g1 ? g : g1;
                b0 = b < b0 ? b : b0; b1 = b > b1 ? b : b1;
                float own = Limit(mine.Distance(x, fy, r, g, b, mine.Metric), sigma);
                limit = own > limit ? own : limit;
            }
        }
    }

    /// <summary>
    /// The key by which <see cref="Fuse"/> takes the pixels: label * <see cref="BoundBuckets.Count"/> + the
    /// bucket of the pixel's first cut-off limit, D(p, own) + 30 sigma, under its superpixel's limit.
    /// Grouped by it (<see cref="LabelKernels.Group"/>), the threads of a warp share one list and
    /// admit similar parts of it, so few idle while one lane walks far.
    /// </summary>
    public static void Keys(Index1D thread, int chunk, int w, int h, ArrayView<float> planes, ArrayView<int> labels, ArrayView<Float4> candidates,
        ArrayView<float> limits, float sigma, ArrayView<int> keys)
    {
        int n = w * h;
        for (int p = thread * chunk; p < n && p < (thread + 1) * chunk; p++)
        {
            int label = labels[p];
            var mine = FusionCandidate.Load(candidates, label);
            float d = mine.Distance((float)(p % w) / w, (float)(p / w) / h, planes[p], planes[n + p], planes[2 * n + p], mine.Metric);
            keys[p] = label * BoundBuckets.Count + BoundBuckets.Of(Limit(d, sigma), limits[label]);
        }
    }

    /// <summary>Superpixels j one thread of <see cref="CandidateCounts"/> and <see cref="Candidates"/> considers for one superpixel s.</summary>
    public const int CandidateBlock = 256;

    /// <summary>Blocks of <see cref="CandidateBlock"/> superpixels among <paramref name="count"/>.</summary>
    public static int CandidateBlocks(int count) => (count + CandidateBlock - 1) / CandidateBlock;

    /// <summary>Where the candidates of superpixel s in bucket k (<see cref="BoundBuckets"/>) from block b start: the index in the counts and offsets.</summary>
    public static int Slot(int s, int k, int b, int blocks) => (s * BoundBuckets.Count + k) * blocks + b;

    /// <summary>
    /// counts[<see cref="Slot"/>(s, k, b)]: the candidates of superpixel s in block b of the
    /// superpixels (the non-empty ones whose centroid is within the radius of s's, and whose lower
    /// bound of D over s's box is within s's limit from <see cref="Boxes"/>) that fall in bucket k,
    /// a thread per (s, b). The eigenvalue bounds are each candidate's, or s's own with
    /// <paramref name="ownCovariance"/> != 0.
    /// </summary>
    public static void CandidateCounts(Index1D thread, int chunk, int count, ArrayView<Float4> candidates, ArrayView<float> boxes,
        ArrayView<float> limits, float radius2, int ownCovariance, ArrayView<int> counts)
    {
        int blocks = CandidateBlocks(count);
        for (int e = thread * chunk; e < count * blocks && e < (thread + 1) * chunk; e++)
        {
            Part(e, count, blocks, candidates, boxes, limits, out int s, out int b, out int j1, out var owner, out var box, out float limit);
            var tally = new BucketTally();
            for (int j = b * CandidateBlock; j < j1; j++)
                if (Candidate(candidates, owner, box, radius2, ownCovariance, j, out float bound) && bound <= limit)
                    tally.Add(BoundBuckets.Of(bound, limit));
            for (int k = 0; k < BoundBuckets.Count; k++) counts[Slot(s, k, b, blocks)] = tally[k];
        }
    }

    /// <summary>
    /// The candidates of <see cref="CandidateCounts"/> with their lower bounds of D, from
    /// offsets[<see cref="Slot"/>(s, k, b)] on (the exclusive scan of the counts, total appended):
    /// each superpixel's list is contiguous, bucket by bucket. Should a bound round differently
    /// here than when counted, the slots are never overrun, and any left over hold s itself with an
    /// infinite bound, which every pixel skips.
    /// </summary>
    public static void Candidates(Index1D thread, int chunk, int count, ArrayView<Float4> candidates, ArrayView<float> boxes,
        ArrayView<float> limits, float radius2, int ownCovariance, ArrayView<int> offsets, ArrayView<int> list, ArrayView<float> bounds)
    {
        int blocks = CandidateBlocks(count);
        for (int t = thread * chunk; t < count * blocks && t < (thread + 1) * chunk; t++)
        {
            Part(t, count, blocks, candidates, boxes, limits, out int s, out int b, out int j1, out var owner, out var box, out float limit);
            var placed = new BucketTally();
            for (int j = b * CandidateBlock; j < j1; j++)
            {
                if (!Candidate(candidates, owner, box, radius2, ownCovariance, j, out float bound) || bound > limit) continue;
                int k = BoundBuckets.Of(bound, limit), slot = Slot(s, k, b, blocks), e = offsets[slot] + placed[k];
                if (e >= offsets[slot + 1]) continue;
                list[e] = j;
                bounds[e] = bound;
                placed.Add(k);
            }
            for (int k = 0; k < BoundBuckets.Count; k++)
            {
                int slot = Slot(s, k, b, blocks);
                for (int e = offsets[slot] + placed[k]; e < offsets[slot + 1]; e++)
                {
                    list[e] = s;
                    bounds[e] = float.PositiveInfinity;
                }
            }
        }
    }

    /// <summary>
    /// What list-building thread t works on: superpixel s, block b of the candidates (up to j1), and
    /// s's centroid, box and limit.
    /// </summary>
    private static void Part(int t, int count, int blocks, ArrayView<Float4> candidates, ArrayView<float> boxes, ArrayView<float> limits,
        out int s, out int b, out int j1, out CandidateCentre owner, out SuperpixelBox box, out float limit)
    {
        (s, b) = (t / blocks, t % blocks);
        j1 = (b + 1) * CandidateBlock < count ? (b + 1) * CandidateBlock : count;
        owner = CandidateCentre.Load(candidates, s);
        box = SuperpixelBox.Load(boxes, s);
        limit = limits[s];
    }

    /// <summary>
    /// Whether superpixel j is a candidate of the owner s: not empty (a NaN centroid fails), its
    /// centroid within the radius of s's; and the lower bound of D(p, j) over s's box.
    /// </summary>
    private static bool Candidate(ArrayView<Float4> candidates, in CandidateCentre owner, in SuperpixelBox box, float radius2, int ownCovariance,
        int j, out float bound)
    {
        var c = CandidateCentre.Load(candidates, j);
        float dx = c.X - owner.X, dy = c.Y - owner.Y;
        bound = ownCovariance != 0 ? box.Bound(c, owner.Spatial, owner.Colour) : box.Bound(c, c.Spatial, c.Colour);
        return dx * dx + dy * dy <= radius2;
    }

    /// <summary>
    /// The fused colour of each pixel. Threads take the pixels in <paramref name="order"/>, grouped
    /// by superpixel and the bucket of their first limit (<see cref="Keys"/>), so that the threads of
    /// a warp read the same candidate list (one load serves them all) and follow the same branches.
    /// </summary>
    /// <param name="thread">Thread index.</param>
    /// <param name="chunk">Pixels per thread.</param>
    /// <param name="w">Width.</param>
    /// <param name="planes">Target, planar RGB.</param>
    /// <param name="labels">Superpixel of each pixel (w x h: the height is their length over w).</param>
    /// <param name="order">The pixels grouped by <see cref="Keys"/> (<see cref="LabelKernels.Group"/>).</param>
    /// <param name="candidates">Centroid and Sigma_i^-1 of each superpixel (<see cref="FusionCandidate"/>).</param>
    /// <param name="maps">Affine colour map of each superpixel: 12 floats, T row-major then o, read as 3 <see cref="Float4"/>.</param>
    /// <param name="limits">Each superpixel's limit from <see cref="Boxes"/>, whose <see cref="BoundBuckets"/> order its list.</param>
    /// <param name="offsets">
    /// Where the candidates of superpixel s in bucket k start in <paramref name="list"/>:
    /// offsets[<see cref="Slot"/>(s, k, 0)], blocks = <see cref="CandidateBlocks"/> of the superpixel count.
    /// </param>
    /// <param name="list">The candidates (<see cref="Candidates"/>).</param>
    /// <param name="bounds">Their lower bounds of D.</param>
    /// <param name="sigma">Fixed sigma, or 0 for sigma = min_i D + 1e-5.</param>
    /// <param name="flags">
    /// <see cref="OwnCovariance"/>, <see cref="Affine"/>, <see cref="Shift"/>: a specialised value, so
    /// that each mode is compiled apart and the shift and colour modes carry no registers for T.
    /// </param>
    /// <param name="output">Fused image, planar RGB.</param>
    public static void Fuse(Index1D thread, int chunk, int w, ArrayView<float> planes, ArrayView<int> labels, ArrayView<int> order,
        ArrayView<Float4> candidates, ArrayView<Float4> maps, ArrayView<float> limits, ArrayView<int> offsets,
        ArrayView<int> list, ArrayView<float> bounds, float sigma, SpecializedValue<int> flags, ArrayView<float> output)
    {
        int n = labels.IntLength, h = n / w, blocks = CandidateBlocks(candidates.IntLength / FusionCandidate.Float4s);
        bool ownCovariance = (flags.Value & OwnCovariance) != 0, affine = (flags.Value & Affine) != 0, shift = (flags.Value & Shift) != 0;
        for (int q = thread * chunk; q < n && q < (thread + 1) * chunk; q++)
        {
            int p = order[q];
            float x = (float)(p % w) / w, y = (float)(p / w) / h;
            float r = planes[p], g = planes[n + p], b = planes[2 * n + p];
            int own = labels[p], head = Slot(own, 0, 0, blocks);
            float spread = limits[own];
            // D to the pixel's own superpixel: a first D_min. Then the smallest D over the candidates whose
            // bound is below the running D_min (none other can lower it), bucket by bucket, up to the first
            // bucket whose lower edge reaches D_min.
            var mine = FusionCandidate.Load(candidates, own);
            float dmin = mine.Distance(x, y, r, g, b, mine.Metric), lower = 0;
            for (int k = 0; k < BoundBuckets.Count && lower < dmin; k++)
            {
                for (int e = offsets[head + k * blocks], end = offsets[head + (k + 1) * blocks]; e < end; e++)
                {
                    if (bounds[e] >= dmin) continue;
                    var c = FusionCandidate.Load(candidates, list[e]);
                    float d = c.Distance(x, y, r, g, b, ownCovariance ? mine.Metric : c.Metric);
                    dmin = d < dmin ? d : dmin;
                }
                lower = k == 0 ? BoundBuckets.FirstEdge(spread) : lower * BoundBuckets.Ratio;
            }
            // The blend over the candidates whose bound is within D_min + 30 sigma, up to the first bucket beyond it.
            float limit = Limit(dmin, sigma);
            float scale = -1f / Sigma(dmin, sigma);
            float sum = 0, o0 = 0, o1 = 0, o2 = 0;
            float t00 = 0, t01 = 0, t02 = 0, t10 = 0, t11 = 0, t12 = 0, t20 = 0, t21 = 0, t22 = 0;
            lower = 0;
            for (int k = 0; k < BoundBuckets.Count && lower <= limit; k++)
            {
                for (int e = offsets[head + k * blocks], end = offsets[head + (k + 1) * blocks]; e < end; e++)
                {
                    if (bounds[e] > limit) continue;
                    int i = list[e];
                    var c = FusionCandidate.Load(candidates, i);
                    float arg = (c.Distance(x, y, r, g, b, ownCovariance ? mine.Metric : c.Metric) - dmin) * scale;
                    if (arg < -CutOff) continue;
                    float wgt = MathF.Exp(arg);
                    // maps: (T00 T01 T02 T10) (T11 T12 T20 T21) (T22 o0 o1 o2)
                    var last = maps[3 * i + 2];
                    sum += wgt;
                    o0 += wgt * last.B; o1 += wgt * last.C; o2 += wgt * last.D;
                    if (affine)
                    {
                        Float4 first = maps[3 * i], second = maps[3 * i + 1];
                        t00 += wgt * first.A; t01 += wgt * first.B; t02 += wgt * first.C;
                        t10 += wgt * first.D; t11 += wgt * second.A; t12 += wgt * second.B;
                        t20 += wgt * second.C; t21 += wgt * second.D; t22 += wgt * last.A;
                    }
                }
                lower = k == 0 ? BoundBuckets.FirstEdge(spread) : lower * BoundBuckets.Ratio;
            }
            float outR = o0 / sum, outG = o1 / sum, outB = o2 / sum;
            if (affine)
            {
                outR += (t00 * r + t01 * g + t02 * b) / sum;
                outG += (t10 * r + t11 * g + t12 * b) / sum;
                outB += (t20 * r + t21 * g + t22 * b) / sum;
            }
            else if (shift)
            {
                outR += r;
                outG += g;
                outB += b;
            }
            output[p] = outR;
            output[n + p] = outG;
            output[2 * n + p] = outB;
        }
    }

    /// <summary>Sigma of eq. 5 for a pixel: the fixed <paramref name="sigma"/>, or with 0 there, D_min + 1e-5 (SCT).</summary>
    public static float Sigma(float dmin, float sigma) => sigma > 0 ? sigma : dmin + 1e-5f;

    /// <summary>D_min + 30 sigma (<see cref="Sigma"/>): beyond it every term weighs less than e^-30 of the largest.</summary>
    public static float Limit(float dmin, float sigma) => dmin + CutOff * Sigma(dmin, sigma);
}
