using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine.Evaluation;

/// <summary>One ground-truth case: transfer <see cref="Reference"/> onto <see cref="Target"/> and compare with <see cref="Truth"/>.</summary>
public sealed record RecoveryCase(string Photo, double Overlap, Grading Grading, RgbImage Target, RgbImage Reference, RgbImage Truth);

/// <summary>
/// The ground-truth recovery protocol (DESIGN section 6): the photo is resized to a long side of
/// 384 (Lanczos-3) and stored as 8 bits; with W its width and f the overlap,
/// w = floor(W / (2 - f)), crop A = columns [0, w), B = columns [W - w, W). A known grading G
/// makes the reference R = G(A) rounded to 8 bits; the target is B; the truth is G(B), unrounded.
/// </summary>
public static class RecoveryProtocol
{
    /// <summary>The photo resized so that its long side is <paramref name="longSide"/>, clamped and rounded to 8 bits.</summary>
    public static RgbImage Prepare(RgbImage photo, int longSide)
    {
        double s = (double)longSide / Math.Max(photo.Width, photo.Height);
        int w = Math.Max(1, (int)Math.Round(photo.Width * s)), h = Math.Max(1, (int)Math.Round(photo.Height * s));
        var resized = s == 1 ? photo.Clone() : photo.Resize(w, h, ResizeKernel.Lanczos3);
        resized.Clamp();
        return resized.RoundTo8Bits();
    }

    /// <summary>The case of a prepared photo for an overlap and a grading.</summary>
    public static RecoveryCase Make(string name, RgbImage prepared, double overlap, Grading grading)
    {
        int width = prepared.Width, w = (int)Math.Floor(width / (2 - overlap));
        var a = prepared.CropColumns(0, w);
        var b = prepared.CropColumns(width - w, w);
        // Colourisation runs the other way: the target loses its colour, the reference and the truth keep theirs.
        if (grading.Family == GradingFamily.Colorize) return new RecoveryCase(name, overlap, grading, grading.Apply(b).RoundTo8Bits(), a, b);
        return new RecoveryCase(name, overlap, grading, b, grading.Apply(a).RoundTo8Bits(), grading.Apply(b));
    }
}
