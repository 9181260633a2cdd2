using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Environments;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BenchmarkDotNet.Toolchains.NativeAot;
using CnnGen.Benchmarks.Models;
using CnnGen.Benchmarks.Networks;

namespace CnnGen.Benchmarks;

/// <summary>
/// The <c>aot</c> mode (issue 11: NativeAOT with its default instruction set within 1.5× of the JIT build):
/// the four networks of issue 5 and three whole models, batch 1, one thread, in two BenchmarkDotNet jobs of
/// one run, each its own process: <b>JIT</b> (the default toolchain, the JIT picks AVX-512/AVX2 paths on this
/// machine) and <b>NativeAOT</b> published with no <c>IlcInstructionSet</c> (BenchmarkDotNet's NativeAOT
/// toolchain would otherwise pass <c>native</c>), so the binary has NativeAOT's default x64 baseline, where
/// every <c>Avx2.IsSupported</c>/<c>Vector256.IsHardwareAccelerated</c> test of the generated kernels is false
/// at compile time. The ratio column is NativeAOT's time over the JIT's.
/// </summary>
[MemoryDiagnoser]
public class NativeAotVsJit
{
    /// <summary>
    /// The four networks of issue 5 (<see cref="Catalog.Networks"/>, listed again here so that the NativeAOT binary
    /// does not initialize <see cref="Catalog"/>, whose layer matrix would pull every matrix network into it), then
    /// three whole models: a ResNet, a depthwise network, and the U-Net (30 M multiply-adds).
    /// </summary>
    private static readonly NetworkCase[] Cases =
    [
        new("1-seed", "Seed", SeedNet.Layers, SeedNet.ParameterCount, p => new SeedNet(p)),
        new("2-lenet", "LeNet MNIST", LeNetMnist.Layers, LeNetMnist.ParameterCount, p => new LeNetMnist(p)),
        new("3-cifar", "CIFAR-10 demo", CifarNet.Layers, CifarNet.ParameterCount, p => new CifarNet(p)),
        new("4-vgg", "VGG-style", VggNet.Layers, VggNet.ParameterCount, p => new VggNet(p)),
        new("resnet18", "resnet18 (64×64, reduced width)", ModelResnet18.Layers, ModelResnet18.ParameterCount, p => new ModelResnet18(p)),
        new("mobilenet_v2", "mobilenet_v2 (64×64, reduced width)", ModelMobilenetV2.Layers, ModelMobilenetV2.ParameterCount, p => new ModelMobilenetV2(p)),
        new("unet", "unet (64×64, reduced width)", ModelUnet.Layers, ModelUnet.ParameterCount, p => new ModelUnet(p)),
    ];

    private INetwork _network = null!;
    private float[] _input = [];
    private float[] _output = [];

    /// <summary>The four issue-5 networks, then the models.</summary>
    public static IEnumerable<string> Ids => Cases.Select(n => n.Id);

    /// <summary>The network under test.</summary>
    [ParamsSource(nameof(Ids))]
    public string Network { get; set; } = "";

    /// <summary>
    /// Builds the network with the deterministic He-uniform weights of <see cref="NetworkCase"/> (the models'
    /// imported weights would need the ONNX importer in the NativeAOT binary; the time does not depend on the
    /// values) and checks one run gives finite outputs. Agreement with the scalar loop and ONNX Runtime is
    /// the <c>verify</c> mode's job, and the test suite checks a NativeAOT build against the JIT one.
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        NetworkCase network = Cases.First(n => n.Id == Network);
        _network = network.CreateCnnGen(network.CreateParameters());
        _input = network.CreateInputs();
        _output = new float[network.OutputLength];
        _network.Forward(_input, _output);
        if (!_output.All(float.IsFinite))
        {
            throw new InvalidOperationException($"{Network}: an output is not finite.");
        }
        // In the log: which kernels this process can take (NativeAOT fixes these when it compiles).
        Console.WriteLine($"// {Network}: Avx2.IsSupported {Avx2.IsSupported}, Fma.IsSupported {Fma.IsSupported}, "
            + $"Vector256.IsHardwareAccelerated {Vector256.IsHardwareAccelerated}, Vector128.IsHardwareAccelerated {Vector128.IsHardwareAccelerated}");
    }

    /// <summary>One inference.</summary>
    [Benchmark(Description = "CnnGen")]
    public void CnnGen() => _network.Forward(_input, _output);

    /// <summary>Runs the comparison: <paramref name="quick"/> for BenchmarkDotNet's short run; <paramref name="options"/> go to BenchmarkDotNet.</summary>
    public static int Run(bool quick, string[] options)
    {
        Job measurement = quick
            ? Job.ShortRun
            : Job.Default.WithWarmupCount(6).WithIterationCount(20).WithMinIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150));
        // The JIT job runs in this process (as the other modes' --inprocess): only the NativeAOT job needs a
        // build of its own, which on a loaded 2-core machine takes several minutes, hence the long build timeout.
        Job jit = measurement.WithToolchain(InProcessEmitToolchain.Instance).WithId("JIT").AsBaseline();
        Job aot = measurement.WithRuntime(NativeAotRuntime.Net10_0).WithId("NativeAOT default ISA").WithToolchain(
            NativeAotToolchain.CreateBuilder()
                .UseNuGet("", "https://api.nuget.org/v3/index.json") // "": the SDK's own ILCompiler, no version named
                .IlcInstructionSet("") // "": NativeAOT's default instruction set, not BenchmarkDotNet's "native"
                .TargetFrameworkMoniker("net10.0")
                .DisplayName("NativeAOT, default ISA")
                .ToToolchain());
        IConfig config = DefaultConfig.Instance
            .AddJob(jit)
            .AddJob(aot)
            .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
            .WithBuildTimeout(TimeSpan.FromMinutes(40))
            .WithOptions(ConfigOptions.DisableLogFile);
        Summary summary = BenchmarkRunner.Run<NativeAotVsJit>(config, options);
        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
    }
}
