using System.Reflection;
using GpuColorTransfer.Engine;
using GpuColorTransfer.Engine.Backends;
using GpuColorTransfer.Engine.Backends.Cpu;
using GpuColorTransfer.Engine.Backends.Device;
using GpuColorTransfer.Engine.Evaluation;
using GpuColorTransfer.Engine.Imaging;
using GpuColorTransfer.Kernels;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace GpuColorTransfer.Tests.Backends.Device;

/// <summary>
/// The GPU kernels without a GPU: each compiles to PTX for the H200 (asked as sm_90), and runs on ILGPU's
/// CPU accelerator with the same result as the CPU stage.
/// </summary>
public class DeviceKernelTests(Xunit.Abstractions.ITestOutputHelper log, DeviceKernelTests.Simulator simulator) : IClassFixture<DeviceKernelTests.Simulator>
{
    /// <summary>One device backend on the CPU accelerator for the class: its kernels are compiled once.</summary>
    public sealed class Simulator : IDisposable
    {
        internal DeviceBackend Backend { get; } = DeviceBackend.CreateSimulator();

        public void Dispose() => Backend.Dispose();
    }

    [Fact]
    public void Upload_and_download_through_the_staging_buffer_keep_every_value()
    {
        // A second, smaller image after the first reuses the page-locked buffer.
        var random = new Random(5);
        foreach (var (w, h) in new[] { (1500, 1000), (7, 5) })
        {
            var image = new RgbImage(w, h);
            for (int i = 0; i < image.Planes.Length; i++) image.Planes[i] = (float)random.NextDouble();
            using var device = simulator.Backend.Upload(image);
            Assert.Equal(image.Planes, device.Planes.GetAsArray1D());
            Assert.Equal(image.Planes, simulator.Backend.Download(device).Planes);
        }
    }

    private static readonly Type[] KernelClasses = [typeof(RegrainKernels), typeof(FusionKernels), typeof(StatisticsKernels), typeof(AttentionKernels), typeof(SlicKernels), typeof(ConnectivityKernels), typeof(LabelKernels), typeof(VggKernels)];

    public static TheoryData<string> Kernels() =>
        [.. KernelClasses.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.ReturnType == typeof(void)).Select(m => $"{m.DeclaringType!.Name}.{m.Name}")];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Every_kernel_compiles_to_ptx_for_the_h200(string kernel)
    {
        var ptx = Ptx(kernel);
        // ILGPU 1.5.3 caps its PTX target at sm_80 when asked for sm_90; the driver JIT-compiles
        // such PTX for any later architecture, the H200 included.
        Assert.Matches(@"\.target sm_(8|9)\d", ptx);
        Assert.Contains(".entry", ptx);
        // A .NET method ILGPU cannot map (MathF.Cbrt was one) becomes an extern function, which the
        // driver's JIT cannot link: the first launch fails with "a PTX JIT compilation failed".
        Assert.DoesNotContain(".extern", ptx);
        // bench/check-ptx.sh sets this to assemble every kernel with NVIDIA's ptxas.
        if (Environment.GetEnvironmentVariable("GCT_PTX_DIR") is { Length: > 0 } dir)
            File.WriteAllText(Path.Combine(dir, $"{kernel}.ptx"), ptx);
        Assert.DoesNotContain(".local", ptx); // nothing spilled to local memory: the Float8 sums stay in registers
    }

    [Theory]
    [InlineData("VggKernels.Conv3x3", "ld.shared.v4.f32")] // the weights, 8 per 2 loads
    [InlineData("AttentionKernels.Similarities", "ld.global.v4.f32")] // the target features
    [InlineData("FusionKernels.Fuse", "ld.global.v4.f32")] // the candidates (FusionCandidate) and their colour maps
    public void The_inner_loops_load_four_floats_per_instruction(string kernel, string instruction) =>
        Assert.Contains(instruction, Ptx(kernel));

    private static string Ptx(string kernel)
    {
        var method = KernelClasses.Single(t => t.Name == kernel.Split('.')[0]).GetMethod(kernel.Split('.')[1])!;
        using var context = Context.Create(b => b.CPU().EnableAlgorithms().Optimize(KernelGrid.Optimization));
        using var backend = new PTXBackend(context, new CudaCapabilityContext(new CudaArchitecture(9, 0)), new CudaArchitecture(9, 0), new CudaInstructionSet(7, 8), null);
        bool implicitlyGrouped = method.GetParameters()[0].ParameterType == typeof(Index1D);
        var entry = implicitlyGrouped ? EntryPointDescription.FromImplicitlyGroupedKernel(method) : EntryPointDescription.FromExplicitlyGroupedKernel(method);
        return ((PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty)).PTXAssembly;
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

        using var context = Context.Create(b => b.CPU(KernelGrid.CpuDevice).EnableAlgorithms().Optimize(KernelGrid.Optimization));
        using var accelerator = context.CreateCPUAccelerator(0);
        using var i0 = accelerator.Allocate1D(original.Planes);
        using var ir = accelerator.Allocate1D(transferred.Planes);
        using var result = new DeviceRegrain(accelerator).Run(i0.View, ir.View, w, h, 1f);
        var actual = result.GetAsArray1D();
        double worst = actual.Zip(expected, (a, b) => (double)Math.Abs(a - b)).Max();
        Assert.True(worst <= 1e-5, $"max |device - CPU| = {worst:E2}");
    }

    [Theory]
    [InlineData(FusionMode.Colour, 0.3f, 20f, 1e-5, null)]
    [InlineData(FusionMode.Shift, 0.3f, null, 1e-4, null)]
    [InlineData(FusionMode.Statistics, null, 20f, 1e-5, null)]
    [InlineData(FusionMode.Shift, null, null, 1e-4, null)]
    [InlineData(FusionMode.Shift, 0.5f, null, 1e-4, 700)] // more superpixels than one candidate block
    public unsafe void Device_fusion_on_the_cpu_accelerator_matches_the_cpu_stage(FusionMode mode, float? radius, float? sigma, double tolerance,
        int? superpixels)
    {
        var settings = new TransferSettings { FusionMode = mode, FusionRadius = radius, FusionSigma = sigma, Superpixels = superpixels };
        using var pair = new PairStages("forest_path.jpg", "waterfall_autumn.jpg", settings);
        var (cpu, t, tMap, tStats, tFeatures, rStats, rFeatures) = (pair.Cpu, pair.T, pair.TMap, pair.TStats, pair.TFeatures, pair.RStats, pair.RFeatures);
        var target = pair.Target;
        using var colors = cpu.Attention(tFeatures, rFeatures, rStats, settings);
        using var expected = cpu.Fusion(t, tMap, tStats, colors, settings);

        // The CPU backend's buffers live on ILGPU's CPU accelerator: the kernel reads them directly.
        using var result = new DeviceFusion(cpu.Accelerator).Run(t.Planes.View, tMap.Labels.View, target.Width, target.Height,
            tStats.Values.View, tStats.Count, colors.Values.View, settings);
        Assert.True(superpixels is null || tMap.Count > GpuColorTransfer.Kernels.FusionKernels.CandidateBlock, $"{tMap.Count} superpixels");
        var actual = result.GetAsArray1D();
        var cpuResult = expected.Planes.GetAsArray1D();
        double worst = actual.Zip(cpuResult, (a, b) => (double)Math.Abs(a - b)).Max();
        Assert.True(worst <= tolerance, $"max |device - CPU| = {worst:E2}");
    }

    [Fact]
    public void Device_statistics_on_the_cpu_accelerator_match_the_cpu_stage()
    {
        var settings = new TransferSettings();
        var target = TestData.Photo("glacier.jpg", 80);
        using var cpu = new CpuBackend();
        using var t = cpu.Upload(target);
        using var map = cpu.Superpixels(t, settings.SuperpixelCountFor(target.PixelCount), settings);
        using var expected = cpu.Statistics(t, map);
        using var actual = new DeviceStatistics(cpu.Accelerator).Run(t.Planes.View, map.Labels.View, target.Width, target.Height, map.Count);
        var e = expected.Values.GetAsArray1D();
        var a = actual.GetAsArray1D();
        for (int i = 0; i < e.Length; i++)
        {
            float[] x = [e[i].Count, e[i].X, e[i].Y, e[i].R, e[i].G, e[i].B, e[i].Cxx, e[i].Cxy, e[i].Cyy, e[i].Crr, e[i].Crg, e[i].Crb, e[i].Cgg, e[i].Cgb, e[i].Cbb];
            float[] y = [a[i].Count, a[i].X, a[i].Y, a[i].R, a[i].G, a[i].B, a[i].Cxx, a[i].Cxy, a[i].Cyy, a[i].Crr, a[i].Crg, a[i].Crb, a[i].Cgg, a[i].Cgb, a[i].Cbb];
            for (int k = 0; k < x.Length; k++)
                Assert.True(Math.Abs(x[k] - y[k]) <= 1e-6 * Math.Max(1, Math.Abs(x[k])), $"superpixel {i}, moment {k}: {y[k]} vs {x[k]}");
        }
    }

    [Theory]
    [InlineData(Centring.Channel, 0.02f, 0)]
    [InlineData(Centring.Vector, 0.01f, 0)]
    [InlineData(Centring.Channel, 0.02f, 7)]
    [InlineData(Centring.Channel, 0.02f, 1)]
    public void Device_attention_on_the_cpu_accelerator_matches_the_cpu_stage(Centring centring, float tau, int topK)
    {
        var settings = new TransferSettings { Centring = centring, Tau = tau, AttentionTopK = topK };
        using var pair = new PairStages("castle_day.jpg", "city_night_bridge.jpg", settings);
        var (cpu, rStats, tFeatures, rFeatures) = (pair.Cpu, pair.RStats, pair.TFeatures, pair.RFeatures);
        using var expected = cpu.Attention(tFeatures, rFeatures, rStats, settings);
        using var actual = new DeviceAttention(cpu.Accelerator).Run(tFeatures.Values.View, tFeatures.Count, rFeatures.Values.View, rFeatures.Count,
            tFeatures.Channels, rStats.Values.View, settings);
        var e = expected.Values.GetAsArray1D();
        var a = actual.GetAsArray1D();
        double worst = a.Zip(e, (x, y) => (double)Math.Abs(x - y)).Max();
        Assert.True(worst <= 1e-5, $"max |device - CPU| = {worst:E2}");
    }

    [Theory]
    [InlineData(Centring.Channel, 0.02f, 0)]
    [InlineData(Centring.Vector, 0.01f, 7)]
    public void Device_attention_matrix_on_the_cpu_accelerator_matches_the_cpu_stage(Centring centring, float tau, int topK)
    {
        // The matrix the picture of the steps shows: the CPU stage's rows of A against the device's
        // (RowPartials merged per entry), and each row a distribution with topK entries at most.
        var settings = new TransferSettings { Centring = centring, Tau = tau, AttentionTopK = topK };
        using var pair = new PairStages("castle_day.jpg", "city_night_bridge.jpg", settings);
        var expected = pair.Cpu.AttentionMatrix(pair.TFeatures, pair.RFeatures, pair.RStats, settings);
        var actual = AttentionMatrixOf(simulator.Backend, pair, settings);
        Assert.Equal(pair.TFeatures.Count * pair.RFeatures.Count, actual.Length);
        // M's float sums in another order differ by ~1e-7, which exp(M / tau) scales by 1 / tau.
        double worst = actual.Zip(expected, (x, y) => (double)Math.Abs(x - y)).Max();
        Assert.True(worst <= 1e-7 / tau * 20, $"max |device - CPU| = {worst:E2}");
        int nr = pair.RFeatures.Count;
        for (int i = 0; i < pair.TFeatures.Count; i++)
        {
            var row = actual.AsSpan(i * nr, nr);
            Assert.Equal(1.0, row.ToArray().Sum(v => (double)v), 1e-4);
            if (topK > 0) Assert.True(row.ToArray().Count(v => v > 0) <= topK, $"row {i} keeps more than {topK} entries");
        }
    }

    [Fact]
    public void Device_features_side_by_side_match_the_cpu_stage()
    {
        var settings = new TransferSettings();
        using var pair = new PairStages("castle_day.jpg", "city_night_bridge.jpg", settings);
        using var expected = pair.Cpu.Concatenate(pair.TFeatures, pair.TFeatures);
        var device = simulator.Backend;
        using var t = new Engine.Backends.SuperFeatureMatrix(pair.TFeatures.Count, pair.TFeatures.Channels, device.Accelerator.Allocate1D(pair.TFeatures.Values.GetAsArray1D()));
        using var actual = device.Concatenate(t, t);
        Assert.Equal(expected.Channels, actual.Channels);
        Assert.Equal(expected.Values.GetAsArray1D(), actual.Values.GetAsArray1D());
    }

    [Fact]
    public void Device_attention_refuses_more_similarities_than_it_indexes()
    {
        const int n = 46_400; // 46,400^2 > 2^31
        using var cpu = new CpuBackend();
        using var features = cpu.Accelerator.Allocate1D<float>(n);
        using var stats = cpu.Accelerator.Allocate1D<GpuColorTransfer.Kernels.SuperpixelStatistics>(n);
        var e = Assert.Throws<DeviceException>(() => new DeviceAttention(cpu.Accelerator).Run(features.View, n, features.View, n, 1,
            stats.View, new TransferSettings()));
        Assert.Equal(DeviceProblem.Capacity, e.Problem);
        Assert.Contains("46400 x 46400 superpixels", e.Message);
    }

    [Theory]
    [InlineData("forest_path.jpg", 96)]
    [InlineData("castle_day.jpg", 120)]
    public void Device_slic_on_the_cpu_accelerator_matches_the_cpu_stage(string photo, int size)
    {
        // The device sums clusters with atomics, in no fixed order: a centre may differ from the CPU
        // stage's in its last bits and flip a pixel on a tie. Nearly every label must agree.
        var settings = new TransferSettings();
        var image = TestData.Photo(photo, size);
        int k = settings.SuperpixelCountFor(image.PixelCount);
        using var cpu = new CpuBackend();
        using var planes = cpu.Upload(image);
        using var expected = cpu.Superpixels(planes, k, settings);
        using var actual = new DeviceSlic(cpu.Accelerator).Run(planes.Planes.View, image.Width, image.Height, k, settings.Compactness, settings.SlicIterations, out int count);
        var e = expected.Labels.GetAsArray1D();
        var a = actual.GetAsArray1D();
        double agree = e.Zip(a, (x, y) => x == y ? 1.0 : 0.0).Average();
        Assert.True(agree >= 0.99, $"{agree:P2} of the labels agree");
        Assert.InRange(count, (int)(0.97 * expected.Count), (int)Math.Ceiling(1.03 * expected.Count));
        Assert.Equal(Enumerable.Range(0, count), a.Distinct().Order());
    }

    [Theory]
    [InlineData(97, 61, 10, 1)]
    [InlineData(200, 150, 40, 2)]
    [InlineData(64, 64, 1, 3)]
    public unsafe void Device_connectivity_gives_the_labels_of_the_cpu_stage(int w, int h, int minSize, int seed)
    {
        // Blocks of labels with a tenth of the pixels flipped to a neighbouring block's label: many
        // fragments and small components, merged the same way on both sides.
        var random = new Random(seed);
        int n = w * h;
        var raw = new int[n];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                raw[y * w + x] = (x / 9) + (y / 7) * 100 + (random.NextDouble() < 0.1 ? random.Next(2) * 100 + random.Next(2) : 0);
        var expected = new int[n];
        int expectedCount;
        fixed (int* e = expected) CpuSlic.EnforceConnectivity(raw, e, w, h, minSize, out expectedCount);

        using var cpu = new CpuBackend();
        using var labels = cpu.Accelerator.Allocate1D(raw);
        using var actual = new DeviceSlic(cpu.Accelerator).EnforceConnectivity(labels.View, w, h, minSize, out int count);
        Assert.Equal(expectedCount, count);
        Assert.Equal(expected, actual.GetAsArray1D());
    }

    [Theory]
    [InlineData(97, 61, 1)]
    [InlineData(200, 150, 2)]
    public void Pixels_grouped_by_label_are_a_permutation_in_label_order(int w, int h, int seed)
    {
        // Labels of 9 x 7 blocks with a tenth of the pixels moved to a neighbouring block: runs that meet several labels.
        var random = new Random(seed);
        var raw = new int[w * h];
        int blocksPerRow = (w + 8) / 9;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                raw[y * w + x] = Math.Min(x / 9 + random.Next(10) / 9, blocksPerRow - 1) + y / 7 * blocksPerRow;
        int count = raw.Max() + 1;
        var accelerator = simulator.Backend.Accelerator;
        using var labels = accelerator.Allocate1D(raw);
        using var counts = accelerator.Allocate1D<int>(count);
        using var cursors = accelerator.Allocate1D<int>(count);
        using var order = accelerator.Allocate1D<int>(raw.Length);
        counts.MemSetToZero();
        var (threads, chunk) = KernelGrid.Split(accelerator, PixelRun.Count(new Rect(0, 0, w, h)));
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<int>, ArrayView<int>>(LabelKernels.Counts)(
            threads, chunk, w, h, labels.View, counts.View);
        new DeviceScan(accelerator).Exclusive(counts.View, cursors.View);
        accelerator.LoadAutoGroupedStreamKernel<Index1D, int, int, int, ArrayView<int>, ArrayView<int>, ArrayView<int>>(LabelKernels.Group)(
            threads, chunk, w, h, labels.View, cursors.View, order.View);
        var grouped = order.GetAsArray1D();
        Assert.Equal(Enumerable.Range(0, raw.Length), grouped.Order());
        var expected = raw.Order().ToArray(); // the labels in grouped order must be sorted: each label's pixels contiguous, labels ascending
        Assert.Equal(expected, grouped.Select(p => raw[p]));
    }

    [Theory]
    [InlineData("relu1_1", FeaturePooling.Mean, 48, 64, 256)] // the GPU's group size
    [InlineData("relu1_2,relu2_1,relu3_1", FeaturePooling.Mean, 48, 64, 32)]
    [InlineData("relu1_2,relu2_1", FeaturePooling.Mean, 32, 11, 32)] // tiles of 10-11 pixels: every region border
    [InlineData("relu1_1,relu2_1", FeaturePooling.Max, 48, 24, 32)]
    public void Device_super_features_on_the_cpu_accelerator_match_the_cpu_stage(string layers, FeaturePooling pooling, int size, int tileSize, int groupSize)
    {
        // The simulator's group barriers are slow (ms): the deep layers, with many channel blocks, are kept to few tiles.
        var settings = new TransferSettings { Layers = Engine.Vgg.FeatureTaps.Parse(layers), Pooling = pooling };
        var image = TestData.Photo("dune_sea.jpg", size);
        using var cpu = new CpuBackend();
        using var planes = cpu.Upload(image);
        using var map = cpu.Superpixels(planes, settings.SuperpixelCountFor(image.PixelCount), settings);
        using var expected = cpu.SuperFeatures(planes, map, TestData.Network, settings);
        // A simulated device with room for groups of groupSize threads.
        using var context = Context.Create(b => b.CPU(new CPUDevice(32, groupSize / 32, 1)).EnableAlgorithms().Optimize(KernelGrid.Optimization));
        using var accelerator = context.CreateCPUAccelerator(0);
        using var devicePlanes = accelerator.Allocate1D(image.Planes);
        using var deviceLabels = accelerator.Allocate1D(map.Labels.GetAsArray1D());
        using var actual = new DeviceSuperFeatures(accelerator, groupSize).Run(devicePlanes.View, deviceLabels.View, image.Width, image.Height, map.Count,
            TestData.Network, settings.Layers, pooling, tileSize);
        var e = expected.Values.GetAsArray1D();
        var a = actual.GetAsArray1D();
        Assert.Equal(e.Length, a.Length);
        double scale = e.Max(Math.Abs), worst = a.Zip(e, (x, y) => (double)Math.Abs(x - y)).Max();
        Assert.True(worst <= 1e-5 * scale, $"max |device - CPU| = {worst:E2} of max {scale:F1}");
    }

    [Theory]
    [InlineData(RenderMode.Local)]
    [InlineData(RenderMode.Global)]
    public void The_whole_device_pipeline_on_the_cpu_accelerator_is_within_45_dB_of_the_cpu_backend(RenderMode render)
    {
        var target = TestData.Photo("green_hills_sky.jpg", 64);
        var reference = TestData.Photo("sunset_clouds.jpg", 56);
        var settings = new TransferSettings { Render = render };
        RgbImage Run(Engine.Backends.IBackend backend) => new Engine.Pipeline.ColorTransfer(backend, TestData.Network, settings).Run(target, reference);
        RgbImage cpuResult;
        using (var cpu = new CpuBackend()) cpuResult = Run(cpu);
        var deviceResult = Run(simulator.Backend);
        double psnr = Metrics.Psnr8(deviceResult, cpuResult);
        log.WriteLine($"device pipeline on the CPU accelerator: {psnr:F2} dB from the CPU backend");
        Assert.True(psnr >= 45, $"device pipeline {psnr:F1} dB from the CPU backend");
    }

    [Theory]
    [InlineData(RenderMode.Local)]
    [InlineData(RenderMode.Global)]
    public void A_reference_analysed_once_on_the_device_serves_several_targets_as_fresh_runs_do(RenderMode render)
    {
        // The analysis's buffers outlive transfers of targets of other sizes (a batch, a film): each
        // result must equal a fresh run's: bit for bit on the CPU backend; on the device backend, whose
        // atomic sums make two fresh runs differ by a few float ulps (2e-7 here), within 1e-6.
        var reference = TestData.Photo("sunset_clouds.jpg", 56);
        var targets = new[] { TestData.Photo("green_hills_sky.jpg", 64), TestData.Photo("castle_day.jpg", 40), TestData.Photo("forest_path.jpg", 72) };
        var settings = new TransferSettings { Render = render };
        using var cpu = new CpuBackend();
        foreach (var (backend, tolerance) in new (Engine.Backends.IBackend, float)[] { (simulator.Backend, 1e-6f), (cpu, 0f) })
        {
            var transfer = new Engine.Pipeline.ColorTransfer(backend, TestData.Network, settings);
            using var analysis = transfer.Analyse(reference);
            foreach (var target in targets)
            {
                var fresh = transfer.Run(target, reference).Planes;
                var kept = transfer.Run(target, analysis).Planes;
                float worst = fresh.Zip(kept, (a, b) => Math.Abs(a - b)).Max();
                Assert.True(worst <= tolerance, $"{backend.Name}: kept analysis differs from a fresh run by {worst:E2}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestData.ExtremeSizes), MemberType = typeof(TestData))]
    public void Tiny_and_extreme_sizes_on_the_device_pipeline_match_the_cpu_backend(int tw, int th, int rw, int rh)
    {
        var settings = new TransferSettings { Render = RenderMode.Local };
        RgbImage Run(Engine.Backends.IBackend backend) =>
            new Engine.Pipeline.ColorTransfer(backend, TestData.Network, settings).Run(TestData.Patterned(tw, th, 1), TestData.Patterned(rw, rh, 2));
        RgbImage cpuResult;
        using (var cpu = new CpuBackend()) cpuResult = Run(cpu);
        var deviceResult = Run(simulator.Backend);
        Assert.Equal((tw, th), (deviceResult.Width, deviceResult.Height));
        double psnr = Metrics.Psnr8(deviceResult, cpuResult);
        Assert.True(psnr >= 45, $"device pipeline {psnr:F1} dB from the CPU backend");
    }

    /// <summary>The attention matrix of a pair's CPU super-features computed by the device backend (the features copied to its accelerator).</summary>
    private static float[] AttentionMatrixOf(DeviceBackend device, PairStages pair, TransferSettings settings)
    {
        using var t = new Engine.Backends.SuperFeatureMatrix(pair.TFeatures.Count, pair.TFeatures.Channels, device.Accelerator.Allocate1D(pair.TFeatures.Values.GetAsArray1D()));
        using var r = new Engine.Backends.SuperFeatureMatrix(pair.RFeatures.Count, pair.RFeatures.Channels, device.Accelerator.Allocate1D(pair.RFeatures.Values.GetAsArray1D()));
        using var stats = new Engine.Backends.SuperpixelStatisticsSet(pair.RStats.Count, device.Accelerator.Allocate1D(pair.RStats.Values.GetAsArray1D()));
        return device.AttentionMatrix(t, r, stats, settings);
    }

    /// <summary>A small real pair through the CPU backend's first stages (superpixels, statistics, super-features).</summary>
    private sealed class PairStages : IDisposable
    {
        public PairStages(string target, string reference, TransferSettings settings)
        {
            Target = TestData.Photo(target, 64);
            var referenceImage = TestData.Photo(reference, 56);
            T = Cpu.Upload(Target);
            R = Cpu.Upload(referenceImage);
            TMap = Cpu.Superpixels(T, settings.SuperpixelCountFor(Target.PixelCount), settings);
            RMap = Cpu.Superpixels(R, settings.SuperpixelCountFor(referenceImage.PixelCount), settings);
            TStats = Cpu.Statistics(T, TMap);
            RStats = Cpu.Statistics(R, RMap);
            TFeatures = Cpu.SuperFeatures(T, TMap, TestData.Network, settings);
            RFeatures = Cpu.SuperFeatures(R, RMap, TestData.Network, settings);
        }

        public CpuBackend Cpu { get; } = new();
        public RgbImage Target { get; }
        public Engine.Backends.BackendImage T { get; }
        public Engine.Backends.BackendImage R { get; }
        public Engine.Backends.SuperpixelMap TMap { get; }
        public Engine.Backends.SuperpixelMap RMap { get; }
        public Engine.Backends.SuperpixelStatisticsSet TStats { get; }
        public Engine.Backends.SuperpixelStatisticsSet RStats { get; }
        public Engine.Backends.SuperFeatureMatrix TFeatures { get; }
        public Engine.Backends.SuperFeatureMatrix RFeatures { get; }

        public void Dispose()
        {
            foreach (var d in new IDisposable[] { TFeatures, RFeatures, TStats, RStats, TMap, RMap, T, R, Cpu }) d.Dispose();
        }
    }
}
