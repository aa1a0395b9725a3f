using GpuColorTransfer.Engine.Vgg;
using GpuColorTransfer.Kernels;

namespace GpuColorTransfer.Engine.Backends;

/// <summary>
/// How much memory a transfer's stage buffers need at their peak, estimated from the image sizes
/// and settings before anything is allocated, as the device backend lays them out (the CPU
/// backend's are estimated the same way): a transfer too large for a device fails at once with a
/// clear error instead of part-way with an out-of-memory exception, and the host memory limit
/// (<see cref="WorkLimits"/>) counts them when the stages run on the host.
/// </summary>
public static class StageMemory
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
        long features = Math.Max(new VggTilePlan(settings.Layers, targetWidth, targetHeight).LayerBufferBytes(tileSize),
            new VggTilePlan(settings.Layers, referenceWidth, referenceHeight).LayerBufferBytes(tileSize));
        long attention = 4 * (kt + AttentionKernels.TargetBlock) * (kr + AttentionKernels.ReferenceBlock);
        long fusion = 8 * kt * kt + 8L * FusionKernels.Slot((int)kt, 0, 0, FusionKernels.CandidateBlocks((int)kt)) + 20 * nt;
        long regrain = 8 * 12 * nt;
        return resident + new[] { slic, features, attention, fusion, regrain }.Max();
    }

    /// <summary>Throws a <see cref="DeviceException"/> saying what to do when <paramref name="needed"/> bytes exceed the <paramref name="available"/> device memory.</summary>
    public static void CheckDevice(long needed, long available, string device, int targetWidth, int targetHeight, int referenceWidth, int referenceHeight)
    {
        if (needed <= available) return;
        throw new DeviceException(DeviceProblem.Capacity, $"a {targetWidth}x{targetHeight} target with a {referenceWidth}x{referenceHeight} reference needs about "
            + $"{WorkLimits.Size(needed)} of device memory and {device} has {WorkLimits.Size(available)} free");
    }
}
