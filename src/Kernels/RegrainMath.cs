namespace GpuColorTransfer.Kernels;

/// <summary>
/// The per-pixel formulas of Pitié's regrain, shared by the CPU stage and the kernels.
/// </summary>
public static class RegrainMath
{
    /// <summary>Relaxation rho of the Jacobi update.</summary>
    public const float Rho = 0.2f;

    /// <summary>Jacobi sweeps per level, finest first.</summary>
    public static ReadOnlySpan<int> Sweeps => [4, 16, 32, 64, 64, 64];

    /// <summary>
    /// The sizes of the pyramid's levels, finest (w x h) first: halved, rounded up, while both
    /// halves exceed 20 pixels and levels (<see cref="Sweeps"/>) remain.
    /// </summary>
    public static List<(int W, int H)> Levels(int w, int h)
    {
        var sizes = new List<(int W, int H)> { (w, h) };
        while (sizes.Count < Sweeps.Length && (sizes[^1].W + 1) / 2 > 20 && (sizes[^1].H + 1) / 2 > 20)
            sizes.Add(((sizes[^1].W + 1) / 2, (sizes[^1].H + 1) / 2));
        return sizes;
    }

    /// <summary>Data weight psi = min(256 |grad| / 5, 1).</summary>
    public static float Psi(float gradient) => MathF.Min(256f * gradient / 5f, 1f);

    /// <summary>Smoothness weight phi = 30 / (1 + 10 |grad| / smoothness) * 2^-level.</summary>
    public static float Phi(float gradient, float smoothness, float levelScale) => 30f / (1f + 10f * gradient / smoothness) * levelScale;

    /// <summary>
    /// One Jacobi update of one channel: (psi IR + sum_k phi_k (J_k - I0_k + I0)) / (psi + sum_k phi_k) (1 - rho) + rho J,
    /// with <paramref name="inverse"/> = 1 / (psi + sum_k phi_k) and the neighbours right, left, down, up.
    /// </summary>
    public static float Update(float psi, float inverse, float ir, float i0, float j,
        float phiRight, float jRight, float i0Right, float phiLeft, float jLeft, float i0Left,
        float phiDown, float jDown, float i0Down, float phiUp, float jUp, float i0Up)
    {
        float num = psi * ir
            + phiRight * (jRight - i0Right + i0) + phiLeft * (jLeft - i0Left + i0)
            + phiDown * (jDown - i0Down + i0) + phiUp * (jUp - i0Up + i0);
        return num * inverse * (1 - Rho) + Rho * j;
    }

    /// <summary>Offsets of the four neighbours of pixel (x, y), borders replicated (an offset of 0 at an edge).</summary>
    public static void Neighbours(int x, int y, int w, int h, out int right, out int left, out int down, out int up)
    {
        right = x < w - 1 ? 1 : 0;
        left = x > 0 ? -1 : 0;
        down = y < h - 1 ? w : 0;
        up = y > 0 ? -w : 0;
    }

    /// <summary>phi_k = (phi(neighbour k) + phi(p)) / 2 for the four neighbours, and 1 / (psi + sum_k phi_k).</summary>
    public static float NeighbourWeights(float psi, float phi, float phiRight, float phiLeft, float phiDown, float phiUp,
        out float right, out float left, out float down, out float up)
    {
        right = (phiRight + phi) * 0.5f;
        left = (phiLeft + phi) * 0.5f;
        down = (phiDown + phi) * 0.5f;
        up = (phiUp + phi) * 0.5f;
        return 1f / (psi + right + left + down + up);
    }
}
