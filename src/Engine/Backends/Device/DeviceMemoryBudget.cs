using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Backends.Device;

/// <summary>
/// How much device memory a transfer needs at its peak, estimated from the image sizes and
/// settings before anything is uploaded, so that a transfer too large for the device fails at once
/// with a clear error instead of part-way with an out-of-memory exception.
/// </summary>
public static class DeviceMemoryBudget
{
    /// <summary>
    /// Bytes needed at the peak, rounded up: the two images and label maps held throughout;
    /// SLIC's CIELAB copy; the VGG layer buffers of one tile; the N_T x N_R similarities; the
    /// fusion's candidate lists (N_T^2 at most) with their counts and offsets per bucket and block, pixel keys, order and output; and regrain's buffers (about eight
    /// float images of the target's size).
    /// </summary>
    public static long Estimate(int targetWidth, int targetHeight, int referenceWidth, int referenceHeight, TransferSettings settings, int tileSize)
    {
        long nt = (long)targetWidth * targetHeight, nr = (long)referenceWidth * referenceHeight;
        long kt = settings.SuperpixelCountFor(nt), kr = settings.SuperpixelCountFor(nr);
        long resident = 16 * (nt + nr);
        long slic = 16 * Math.Max(nt, nr);
        long features = Math.Max(DeviceSuperFeatures.BufferBytes(targetWidth, targetHeight, settings.Layers, tileSize),
            DeviceSuperFeatures.BufferBytes(referenceWidth, referenceHeight, settings.Layers, tileSize));
        long attention = 4 * (kt + AttentionKernels.TargetBlock) * (kr + AttentionKernels.ReferenceBlock);
        long fusion = 8 * kt * kt + 8L * FusionKernels.Slot((int)kt, 0, 0, FusionKernels.CandidateBlocks((int)kt)) + 20 * nt;
        long regrain = 8 * 12 * nt;
        return resident + new[] { slic, features, attention, fusion, regrain }.Max();
    }

    /// <summary>Throws a <see cref="GctException"/> saying what to do when <paramref name="needed"/> bytes exceed <paramref name="available"/>.</summary>
    public static void Check(long needed, long available, string device, int targetWidth, int targetHeight, int referenceWidth, int referenceHeight)
    {
        if (needed <= available) return;
        throw new DeviceException(DeviceProblem.Capacity, $"a {targetWidth}x{targetHeight} target with a {referenceWidth}x{referenceHeight} reference needs about "
            + $"{WorkLimits.Size(needed)} of device memory and {device} has {WorkLimits.Size(available)} free");
    }
}
