using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Engine.Methods;

namespace GpuColorTransfer.Tests;

/// <summary>The finishing step every method shares (<see cref="TransferFinish"/>): strength, alpha and range.</summary>
public class TransferFinishTests
{
    public static TheoryData<string, RenderMode> MethodsAndRenders()
    {
        var data = new TheoryData<string, RenderMode>();
        foreach (string method in MethodRegistry.NamesWithIdentity)
            foreach (var render in new[] { RenderMode.Global, RenderMode.Local }) data.Add(method, render);
        return data;
    }

    [Theory]
    [MemberData(nameof(MethodsAndRenders))]
    public void Strength_0_gives_the_target_and_0_5_lies_halfway_with_the_alpha_kept(string method, RenderMode render)
    {
        var target = TestData.Photo("castle_day.jpg", 48);
        target.Alpha = [.. Enumerable.Range(0, target.PixelCount).Select(i => (i % 7) / 6f)];
        var reference = TestData.Photo("sunset_clouds.jpg", 40);
        RgbImage Run(float strength)
        {
            using var engine = ColorTransferEngine.Create(new EngineOptions
            {
                Method = method, Device = DevicePreference.Cpu, Settings = new TransferSettings { Render = render, Strength = strength },
            });
            return engine.Transfer(target, reference);
        }
        var full = Run(1f);
        var none = Run(0f);
        var half = Run(0.5f);
        Assert.All(full.Planes, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(target.Planes, none.Planes);
        for (int i = 0; i < target.Planes.Length; i++)
            Assert.True(Math.Abs(half.Planes[i] - (target.Planes[i] + full.Planes[i]) / 2) <= 1e-6, $"value {i}: {half.Planes[i]} is not halfway between {target.Planes[i]} and {full.Planes[i]}");
        foreach (var result in new[] { full, none, half }) Assert.Equal(target.Alpha, result.Alpha);
        if (method != "identity") Assert.True(Metrics.Psnr8(full, target) < 40, $"{method} changed nothing: the test cannot tell strengths apart");
    }
}
