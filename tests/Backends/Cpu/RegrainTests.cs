using GpuColorTransfer.Engine.Imaging;
using Xunit.Abstractions;

namespace GpuColorTransfer.Tests.Backends.Cpu;

/// <summary>Regrain against the output of Pitié's own regrain.m (tests/fixtures/regrain).</summary>
public class RegrainTests(ITestOutputHelper log)
{
    [Fact]
    public void Gct_regrain_reproduces_the_authors_output_above_50_dB()
    {
        string dir = TestData.TempFolder(), output = Path.Combine(dir, "regrain.png");
        var run = Gct.Run("regrain", TestData.Fixture("regrain", "scotland_house.png"), TestData.Fixture("regrain", "result_IDT.png"), "-o", output);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var ours = ImageCodec.Decode(output);
        var theirs = ImageCodec.Decode(TestData.Fixture("regrain", "result_IDT_regrain.png"));
        double psnr = Metrics.Psnr8(ours, theirs);
        log.WriteLine($"regrain PSNR against regrain.m's output: {psnr:F2} dB");
        // Calibration (fixtures/regrain/README.md): 58.5 dB faithful, 43.2 dB without antialiased shrinking.
        Assert.True(psnr >= 50, $"PSNR {psnr:F2} dB < 50 dB");
        // And regrain did something: the input itself is 26.6 dB away.
        Assert.True(Metrics.Psnr8(ImageCodec.Decode(TestData.Fixture("regrain", "result_IDT.png")), theirs) < 30);
    }
}
