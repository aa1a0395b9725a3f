using ILGPU;

namespace GpuColorTransfer.Kernels;

/// <summary>
/// Eight floats held in registers by a kernel thread: the partial sums of eight output channels
/// of one pixel in <see cref="VggKernels.Conv3x3"/>, of eight similarities in
/// <see cref="AttentionKernels.Similarities"/>. Value semantics only, so that the compiler
/// keeps it out of memory.
/// </summary>
public readonly struct Float8(float a0, float a1, float a2, float a3, float a4, float a5, float a6, float a7)
{
    private readonly float _a0 = a0, _a1 = a1, _a2 = a2, _a3 = a3, _a4 = a4, _a5 = a5, _a6 = a6, _a7 = a7;

    /// <summary>Eight consecutive values from <paramref name="index"/>.</summary>
    public static Float8 Load(ArrayView<float> from, int index) =>
        new(from[index], from[index + 1], from[index + 2], from[index + 3], from[index + 4], from[index + 5], from[index + 6], from[index + 7]);

    /// <summary>Eight consecutive values from float <paramref name="index"/> (a multiple of 4), read as two <see cref="Float4"/>.</summary>
    public static Float8 Load(ArrayView<Float4> from, int index)
    {
        Float4 low = from[index / 4], high = from[index / 4 + 1];
        return new(low.A, low.B, low.C, low.D, high.A, high.B, high.C, high.D);
    }

    /// <summary>this + v w, element-wise.</summary>
    public Float8 Fma(float v, Float8 w) =>
        new(_a0 + v * w._a0, _a1 + v * w._a1, _a2 + v * w._a2, _a3 + v * w._a3, _a4 + v * w._a4, _a5 + v * w._a5, _a6 + v * w._a6, _a7 + v * w._a7);

    /// <summary>Writes the eight values to <c>to[index..index + 8]</c>.</summary>
    public void Store(ArrayView<float> to, int index)
    {
        to[index] = _a0;
        to[index + 1] = _a1;
        to[index + 2] = _a2;
        to[index + 3] = _a3;
        to[index + 4] = _a4;
        to[index + 5] = _a5;
        to[index + 6] = _a6;
        to[index + 7] = _a7;
    }

    /// <summary>Writes max(element k, 0) to <c>to[index + k stride]</c>.</summary>
    public void StoreRelu(ArrayView<float> to, int index, int stride)
    {
        to[index] = Relu(_a0);
        to[index + stride] = Relu(_a1);
        to[index + 2 * stride] = Relu(_a2);
        to[index + 3 * stride] = Relu(_a3);
        to[index + 4 * stride] = Relu(_a4);
        to[index + 5 * stride] = Relu(_a5);
        to[index + 6 * stride] = Relu(_a6);
        to[index + 7 * stride] = Relu(_a7);
    }

    private static float Relu(float v) => v > 0 ? v : 0;
}
