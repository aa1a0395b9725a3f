namespace GpuColorTransfer.Tests.Imaging;

/// <summary>MATLAB's antialiased imresize, as the regrain needs it, against hand-computed weights.</summary>
public class ImResizeTests
{
    [Fact]
    public unsafe void Shrinking_by_two_matches_matlab_imresize_antialiased_weights()
    {
        // MATLAB imresize(x, 0.5, 'bilinear') of a row: the triangle kernel is widened to 4 taps
        // with weights 1/8, 3/8, 3/8, 1/8, mirrored at the borders.
        var row = new float[] { 0, 8, 16, 24, 32, 40, 48, 56 };
        float[] small;
        fixed (float* p = row) small = Engine.Imaging.ImResize.Resize(p, 1, 8, 1, 4, 1);
        float[] expected =
        [
            (0 * 1 + 0 * 3 + 8 * 3 + 16 * 1) / 8f,
            (8 * 1 + 16 * 3 + 24 * 3 + 32 * 1) / 8f,
            (24 * 1 + 32 * 3 + 40 * 3 + 48 * 1) / 8f,
            (40 * 1 + 48 * 3 + 56 * 3 + 56 * 1) / 8f,
        ];
        Assert.Equal(expected, small, (a, b) => Math.Abs(a - b) < 1e-4);
    }
}
