using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>Images laid out in a grid, each scaled to a common row height, on a white background.</summary>
public static class ContactSheet
{
    /// <summary>Composes rows of images; every tile is scaled to <paramref name="tileHeight"/> pixels high, 4 pixels apart.</summary>
    public static RgbImage Compose(IReadOnlyList<RgbImage[]> rows, int tileHeight)
    {
        const int gap = 4;
        var scaled = rows.Select(r => r.Select(img => img.Resize(Math.Max(1, (int)Math.Round((double)img.Width * tileHeight / img.Height)), tileHeight)).ToArray()).ToArray();
        int width = scaled.Max(r => r.Sum(t => t.Width + gap) + gap), height = rows.Count * (tileHeight + gap) + gap;
        var sheet = new RgbImage(width, height);
        Array.Fill(sheet.Planes, 1f);
        int n = sheet.PixelCount;
        for (int row = 0; row < scaled.Length; row++)
        {
            int x0 = gap, y0 = gap + row * (tileHeight + gap);
            foreach (var tile in scaled[row])
            {
                int m = tile.PixelCount;
                for (int c = 0; c < 3; c++)
                    for (int y = 0; y < tile.Height; y++)
                        Array.Copy(tile.Planes, c * m + y * tile.Width, sheet.Planes, c * n + (y0 + y) * width + x0, tile.Width);
                x0 += tile.Width + gap;
            }
        }
        sheet.Clamp();
        return sheet;
    }
}
