namespace GpuColorTransfer.Kernels;

/// <summary>The per-pixel formulas of SLIC (Achanta et al. 2012), shared by the CPU stage and the kernels.</summary>
public static class SlicMath
{
    /// <summary>D = d_lab^2 + (d_xy / S)^2 m^2 (Achanta et al., eq. 3, squared), with <paramref name="spatial"/> = m^2 / S^2.</summary>
    public static float Distance(float l, float a, float b, float x, float y, float cl, float ca, float cb, float cx, float cy, float spatial)
    {
        float dl = l - cl, da = a - ca, db = b - cb, dx = x - cx, dy = y - cy;
        return dl * dl + da * da + db * db + spatial * (dx * dx + dy * dy);
    }

    /// <summary>Squared Lab gradient from central differences: (right - left) and (down - up) of L, a and b.</summary>
    public static float Gradient(float lRight, float lLeft, float lDown, float lUp, float aRight, float aLeft, float aDown, float aUp,
        float bRight, float bLeft, float bDown, float bUp)
    {
        float lx = lRight - lLeft, ly = lDown - lUp, ax = aRight - aLeft, ay = aDown - aUp, bx = bRight - bLeft, by = bDown - bUp;
        return lx * lx + ly * ly + ax * ax + ay * ay + bx * bx + by * by;
    }

    /// <summary>The grid cell (column or row) of a pixel coordinate: floor(coordinate / size), at most cells - 1.</summary>
    public static int Cell(int coordinate, float size, int cells)
    {
        int c = (int)(coordinate / size);
        return c < cells - 1 ? c : cells - 1;
    }

    /// <summary>The pixel a seed starts from: the middle of grid cell (gx, gy), inside the image.</summary>
    public static void SeedStart(int gx, int gy, float cw, float ch, int w, int h, out int x, out int y)
    {
        x = (int)((gx + 0.5f) * cw);
        y = (int)((gy + 0.5f) * ch);
        x = x < w - 1 ? x : w - 1;
        y = y < h - 1 ? y : h - 1;
    }
}
