using GpuColorTransfer.Engine.Imaging;

namespace GpuColorTransfer.Engine;

/// <summary>
/// The last step of every transfer, whatever the method or render: values clamped to [0,1], the
/// result blended with the target by the strength (0 gives the target, 1 the full transfer), the
/// target's alpha kept.
/// </summary>
public static class TransferFinish
{
    /// <summary>Finishes <paramref name="result"/> in place and returns it.</summary>
    /// <param name="target">The image that was recoloured (same size as the result).</param>
    /// <param name="result">The method's output.</param>
    /// <param name="strength">The blend: result = target + strength (result - target).</param>
    public static RgbImage Apply(RgbImage target, RgbImage result, float strength)
    {
        result.Clamp();
        if (strength != 1f) result.BlendFrom(target, strength);
        result.Alpha = target.Alpha;
        return result;
    }
}
