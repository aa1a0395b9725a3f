using System.Reflection;
using GpuColorTransfer.Engine.Cpu;
using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Engine.Gpu;
using GpuColorTransfer.Shaders;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace GpuColorTransfer.Tests;

/// <summary>
/// The GPU kernels without a GPU: each compiles to PTX for the H200 (asked as sm_90), and runs on ILGPU's
/// CPU accelerator with the same result as the CPU stage.
/// </summary>
public class GpuKernelTests
{
    public static TheoryData<string> Kernels() =>
        [.. typeof(RegrainKernels).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => $"{m.DeclaringType!.Name}.{m.Name}")];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Every_kernel_compiles_to_ptx_for_the_h200(string kernel)
    {
        var method = typeof(RegrainKernels).GetMethod(kernel.Split('.')[1])!;
        using var context = Context.Create(b => b.CPU().EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(new CudaArchitecture(9, 0)), new CudaArchitecture(9, 0), new CudaInstructionSet(8, 0), null);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(method), KernelSpecialization.Empty);
        // ILGPU 1.5.3 caps its PTX target at sm_80 when asked for sm_90; the driver JIT-compiles
        // such PTX for any later architecture, the H200 included.
        Assert.Matches(@"\.target sm_(8|9)\d", compiled.PTXAssembly);
        Assert.Contains(".entry", compiled.PTXAssembly);
    }

    [Theory]
    [InlineData(100, 90)] // three levels
    [InlineData(30, 17)]  // one level
    public unsafe void Device_regrain_on_the_cpu_accelerator_matches_the_cpu_stage(int w, int h)
    {
        var original = TestData.Photo("castle_day.jpg", 200).Resize(w, h);
        var transferred = Grading.Fade.Apply(TestData.Photo("castle_day.jpg", 200).Resize(w, h));
        var expected = new float[3 * w * h];
        fixed (float* o = original.Planes, t = transferred.Planes, e = expected)
            CpuRegrain.Run(o, t, w, h, 1f, e);

        using var context = Context.Create(b => b.CPU().EnableAlgorithms());
        using var accelerator = context.CreateCPUAccelerator(0);
        using var i0 = accelerator.Allocate1D(original.Planes);
        using var ir = accelerator.Allocate1D(transferred.Planes);
        using var result = new DeviceRegrain(accelerator).Run(i0.View, ir.View, w, h, 1f);
        var actual = result.GetAsArray1D();
        double worst = actual.Zip(expected, (a, b) => (double)Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-5, $"max |device - CPU| = {worst:E2}");
    }
}
