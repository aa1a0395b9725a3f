using System.Runtime.Intrinsics;

namespace GpuColorTransfer.Engine.Backends.Cpu;

/// <summary>
/// The VGG 3x3 convolution (stride 1, cross-correlation) followed by ReLU, register-blocked with
/// Vector256: 16 output channels x 4 pixels of one row per inner block, weights in HWIO layout.
/// </summary>
internal static class CpuConv3x3
{
    /// <summary>
    /// out(x, y, o) = ReLU(bias(o) + sum_{ky,kx,i} in(x + kx - 1, y + ky - 1, i) K[ky, kx, i, o]) for every
    /// (x, y) of <paramref name="output"/>'s region. <paramref name="input"/> covers that region grown by
    /// one pixel, with zeros where it lies outside the image (the zero padding).
    /// </summary>
    public static unsafe void Run(FeatureTile input, FeatureTile output, float[] kernel, float[] bias)
    {
        int cin = input.Channels, cout = output.Channels;
        if (cout % 16 != 0) throw new ArgumentException("output channels must be a multiple of 16");
        int ow = output.Region.Width, oh = output.Region.Height, iw = input.Region.Width;
        int rowStride = iw * cin;
        fixed (float* inp = input.Data, outp = output.Data, wts = kernel, b = bias)
        {
            for (int y = 0; y < oh; y++)
            {
                for (int oc = 0; oc < cout; oc += 16)
                {
                    var b0 = Vector256.Load(b + oc);
                    var b1 = Vector256.Load(b + oc + 8);
                    int x = 0;
                    for (; x + 4 <= ow; x += 4)
                    {
                        Vector256<float> a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
                        for (int ky = 0; ky < 3; ky++)
                            for (int kx = 0; kx < 3; kx++)
                            {
                                float* src = inp + (y + ky) * rowStride + (x + kx) * cin;
                                float* wk = wts + (ky * 3 + kx) * cin * cout + oc;
                                for (int i = 0; i < cin; i++, wk += cout)
                                {
                                    var w0 = Vector256.Load(wk);
                                    var w1 = Vector256.Load(wk + 8);
                                    var v0 = Vector256.Create(src[i]);
                                    var v1 = Vector256.Create(src[i + cin]);
                                    var v2 = Vector256.Create(src[i + 2 * cin]);
                                    var v3 = Vector256.Create(src[i + 3 * cin]);
                                    a00 = Vector256.FusedMultiplyAdd(v0, w0, a00); a01 = Vector256.FusedMultiplyAdd(v0, w1, a01);
                                    a10 = Vector256.FusedMultiplyAdd(v1, w0, a10); a11 = Vector256.FusedMultiplyAdd(v1, w1, a11);
                                    a20 = Vector256.FusedMultiplyAdd(v2, w0, a20); a21 = Vector256.FusedMultiplyAdd(v2, w1, a21);
                                    a30 = Vector256.FusedMultiplyAdd(v3, w0, a30); a31 = Vector256.FusedMultiplyAdd(v3, w1, a31);
                                }
                            }
                        float* dst = outp + (y * ow + x) * cout + oc;
                        Store(dst, a00, a01);
                        Store(dst + cout, a10, a11);
                        Store(dst + 2 * cout, a20, a21);
                        Store(dst + 3 * cout, a30, a31);
                    }
                    for (; x < ow; x++)
                    {
                        Vector256<float> a0 = b0, a1 = b1;
                        for (int ky = 0; ky < 3; ky++)
                            for (int kx = 0; kx < 3; kx++)
                            {
                                float* src = inp + (y + ky) * rowStride + (x + kx) * cin;
                                float* wk = wts + (ky * 3 + kx) * cin * cout + oc;
                                for (int i = 0; i < cin; i++, wk += cout)
                                {
                                    var v = Vector256.Create(src[i]);
                                    a0 = Vector256.FusedMultiplyAdd(v, Vector256.Load(wk), a0);
                                    a1 = Vector256.FusedMultiplyAdd(v, Vector256.Load(wk + 8), a1);
                                }
                            }
                        Store(outp + (y * ow + x) * cout + oc, a0, a1);
                    }
                }
            }
        }
    }

    private static unsafe void Store(float* dst, Vector256<float> a, Vector256<float> b)
    {
        Vector256.Max(a, Vector256<float>.Zero).Store(dst);
        Vector256.Max(b, Vector256<float>.Zero).Store(dst + 8);
    }
}
