using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Vgg;

namespace GpuColorTransfer.Tests.Backends;

/// <summary>The stage memory estimate and the error a transfer too large for the device gives.</summary>
public class StageMemoryTests
{
    [Fact]
    public void The_vgg_buffers_of_one_tile_are_counted_exactly()
    {
        // relu1_1 over one 64 x 64 tile: the 64-channel output over the tile, and the 3-channel
        // preprocessed input over the tile grown by one pixel, clipped to the image (the tile is the image).
        Assert.Equal(4L * (64 * 64 * 64 + 3 * 64 * 64), new VggTilePlan([FeatureTap.Relu1_1], 64, 64).LayerBufferBytes(64));
        // Four tiles of 32 x 32: output 32 x 32, input 33 x 33 (two sides clipped at the image border).
        Assert.Equal(4L * (64 * 32 * 32 + 3 * 33 * 33), new VggTilePlan([FeatureTap.Relu1_1], 64, 64).LayerBufferBytes(32));
    }

    [Fact]
    public void A_4k_pair_fits_an_h200_and_not_a_small_device()
    {
        var settings = new TransferSettings();
        long needed = StageMemory.Estimate(3840, 2160, 3840, 2160, settings, TransferSettings.CudaTileSize);
        // At least the two images and their labels (16 bytes per pixel), far below 139 GiB.
        Assert.InRange(needed, 16L * 2 * 3840 * 2160, 8L << 30);
        StageMemory.CheckDevice(needed, 139L << 30, "cuda (H200)", 3840, 2160, 3840, 2160);
        var e = Assert.Throws<DeviceException>(() => StageMemory.CheckDevice(needed, 256L << 20, "cuda (small)", 3840, 2160, 3840, 2160));
        Assert.Equal(DeviceProblem.Capacity, e.Problem);
        Assert.Contains("3840x2160 target", e.Message);
        Assert.Contains("256 MiB free", e.Message);
    }

    [Fact]
    public void The_estimate_grows_with_the_images_and_the_deeper_layers()
    {
        var shallow = new TransferSettings();
        var deep = new TransferSettings { Layers = FeatureTaps.Parse("relu1_1,relu3_1") };
        long small = StageMemory.Estimate(1920, 1080, 1920, 1080, shallow, TransferSettings.CudaTileSize);
        long large = StageMemory.Estimate(7680, 4320, 1920, 1080, shallow, TransferSettings.CudaTileSize);
        Assert.True(large > 4 * small, $"{large} vs {small}");
        Assert.True(StageMemory.Estimate(1920, 1080, 1920, 1080, deep, TransferSettings.CudaTileSize) > small);
    }
}
