namespace GpuColorTransfer.Engine.ColorMaps;

/// <summary>
/// Fits a <see cref="LatticeColorMap"/> to colour pairs: the node values x minimise
/// <code>
///   (1/W) sum_k w_k |sum_v beta_kv x_v - y_k|^2  +  lambda sum_lines |D2 x|^2  +  mu sum_v |x_v - a(v)|^2
/// </code>
/// with beta the trilinear weights of x_k, D2 the second difference along each axis of the
/// lattice (a smoothness penalty that leaves affine maps free), a the affine fit evaluated at
/// the nodes (it holds the nodes that no pair reaches) and W the total weight. The normal
/// equations (a 27-point stencil) are solved per channel by conjugate gradients from a (then from
/// the last fit); the weights are then made robust (<see cref="ColorPairs.Reweight"/>) and the fit repeated.
/// </summary>
public static class LatticeFit
{
    /// <summary>Fits an N^3 lattice to <paramref name="pairs"/>, pulled towards <paramref name="prior"/>.</summary>
    /// <param name="pairs">The colour pairs.</param>
    /// <param name="prior">The map the nodes without data follow (an affine fit).</param>
    /// <param name="size">Nodes per axis.</param>
    /// <param name="smoothness">lambda.</param>
    /// <param name="pull">mu.</param>
    /// <param name="iterations">Robust reweightings after the first fit.</param>
    public static LatticeColorMap Fit(ColorPairs pairs, IColorMap prior, int size = 17, double smoothness = 1, double pull = 1e-7, int iterations = 2)
    {
        var start = LatticeColorMap.Sample(prior, size);
        int n = pairs.Count;
        var corners = new int[8 * n];
        var betas = new float[8 * n];
        for (int k = 0; k < n; k++)
            LatticeColorMap.Corners(size, pairs.From[3 * k], pairs.From[3 * k + 1], pairs.From[3 * k + 2], corners.AsSpan(8 * k, 8), betas.AsSpan(8 * k, 8));
        var w = (float[])pairs.Weights.Clone();
        var neighbours = Neighbours(size);
        var fit = Solve(pairs, w, corners, betas, start, start, neighbours, size, smoothness, pull);
        for (int it = 0; it < iterations && n > 8; it++)
        {
            pairs.Reweight(fit, w);
            fit = Solve(pairs, w, corners, betas, start, fit, neighbours, size, smoothness, pull);
        }
        return fit;
    }

    /// <summary>For each node and stencil offset o = (di+1) + 3 (dj+1) + 9 (dk+1), the neighbouring node, or -1 off the lattice.</summary>
    private static int[] Neighbours(int size)
    {
        int nodes = size * size * size;
        var table = new int[27 * nodes];
        for (int v = 0; v < nodes; v++)
        {
            int i = v % size, j = v / size % size, k = v / (size * size);
            for (int o = 0; o < 27; o++)
            {
                int ni = i + o % 3 - 1, nj = j + o / 3 % 3 - 1, nk = k + o / 9 - 1;
                bool inside = ni >= 0 && ni < size && nj >= 0 && nj < size && nk >= 0 && nk < size;
                table[27 * v + o] = inside ? ni + size * (nj + size * nk) : -1;
            }
        }
        return table;
    }

    /// <summary>One weighted solve: the prior <paramref name="start"/> in the pull term, CG from <paramref name="guess"/>.</summary>
    private static LatticeColorMap Solve(ColorPairs pairs, float[] w, int[] corners, float[] betas, LatticeColorMap start, LatticeColorMap guess,
        int[] neighbours, int size, double smoothness, double pull)
    {
        int nodes = size * size * size;
        double total = 0;
        foreach (float x in w) total += x;
        double scale = 1 / Math.Max(total, 1e-12);
        // Data term: B^T W B as a 27-point stencil (offset o = (di+1) + 3 (dj+1) + 9 (dk+1)), B^T W y per channel.
        var stencil = new double[27 * nodes];
        var rhs = new double[3 * nodes];
        for (int k = 0; k < pairs.Count; k++)
        {
            double wk = w[k] * scale;
            for (int a = 0; a < 8; a++)
            {
                int va = corners[8 * k + a];
                double wa = wk * betas[8 * k + a];
                for (int c = 0; c < 3; c++) rhs[3 * va + c] += wa * pairs.To[3 * k + c];
                // Corner c lies at (c & 1, c >> 1 & 1, c >> 2) from the first: the stencil offset of b seen from a.
                for (int b = 0; b < 8; b++)
                    stencil[27 * va + 13 + (b & 1) - (a & 1) + 3 * ((b >> 1 & 1) - (a >> 1 & 1)) + 9 * ((b >> 2) - (a >> 2))] += wa * betas[8 * k + b];
            }
        }
        for (int v = 0; v < nodes; v++)
            for (int c = 0; c < 3; c++) rhs[3 * v + c] += pull * start.Nodes[3 * v + c];

        void Apply(double[] x, double[] y)
        {
            // y = (B^T W B + lambda L + mu I) x, for one channel.
            for (int v = 0; v < nodes; v++)
            {
                double sum = pull * x[v];
                for (int o = 27 * v, end = o + 27; o < end; o++)
                    if (neighbours[o] >= 0) sum += stencil[o] * x[neighbours[o]];
                y[v] = sum;
            }
            if (smoothness > 0) AddSecondDifferences(x, y, size, smoothness);
        }

        // Jacobi preconditioner: the operator's diagonal (data, pull, and 1-4-1 of each second difference).
        var diagonal = new double[nodes];
        for (int v = 0; v < nodes; v++) diagonal[v] = stencil[27 * v + 13] + pull;
        foreach (int stride in new[] { 1, size, size * size })
            for (int v = 0; v < nodes; v++)
            {
                int position = v / stride % size;
                if (position == 0 || position == size - 1) continue;
                diagonal[v - stride] += smoothness;
                diagonal[v] += 4 * smoothness;
                diagonal[v + stride] += smoothness;
            }

        var result = new float[3 * nodes];
        var xc = new double[nodes];
        var bc = new double[nodes];
        for (int c = 0; c < 3; c++)
        {
            for (int v = 0; v < nodes; v++)
            {
                xc[v] = guess.Nodes[3 * v + c];
                bc[v] = rhs[3 * v + c];
            }
            ConjugateGradients(Apply, diagonal, bc, xc, maxIterations: 300, tolerance: 1e-6);
            for (int v = 0; v < nodes; v++) result[3 * v + c] = (float)xc[v];
        }
        return new LatticeColorMap(size, result);
    }

    /// <summary>y += lambda D2^T D2 x along each axis (D2 x at interior node = x[-1] - 2 x[0] + x[+1]).</summary>
    private static void AddSecondDifferences(double[] x, double[] y, int size, double lambda)
    {
        int[] strides = [1, size, size * size];
        int nodes = size * size * size;
        foreach (int stride in strides)
            for (int v = 0; v < nodes; v++)
            {
                int position = v / stride % size;
                if (position == 0 || position == size - 1) continue;
                double d = lambda * (x[v - stride] - 2 * x[v] + x[v + stride]);
                y[v - stride] += d;
                y[v] -= 2 * d;
                y[v + stride] += d;
            }
    }

    /// <summary>
    /// Solves A x = b for a symmetric positive definite A given as a product, from the x given, by
    /// conjugate gradients preconditioned with A's <paramref name="diagonal"/>; stops when |r| &lt;= tolerance |b|.
    /// </summary>
    private static void ConjugateGradients(Action<double[], double[]> a, double[] diagonal, double[] b, double[] x, int maxIterations, double tolerance)
    {
        int n = b.Length;
        var r = new double[n];
        var z = new double[n];
        var p = new double[n];
        var ap = new double[n];
        a(x, ap);
        double rz = 0, bb = 0, rr = 0;
        for (int i = 0; i < n; i++)
        {
            r[i] = b[i] - ap[i];
            z[i] = r[i] / diagonal[i];
            p[i] = z[i];
            rz += r[i] * z[i];
            rr += r[i] * r[i];
            bb += b[i] * b[i];
        }
        double stop = tolerance * tolerance * Math.Max(bb, 1e-30);
        for (int it = 0; it < maxIterations && rr > stop; it++)
        {
            a(p, ap);
            double pap = 0;
            for (int i = 0; i < n; i++) pap += p[i] * ap[i];
            if (pap <= 0) break;
            double alpha = rz / pap, next = 0;
            rr = 0;
            for (int i = 0; i < n; i++)
            {
                x[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
                z[i] = r[i] / diagonal[i];
                next += r[i] * z[i];
                rr += r[i] * r[i];
            }
            double beta = next / rz;
            rz = next;
            for (int i = 0; i < n; i++) p[i] = z[i] + beta * p[i];
        }
    }
}
