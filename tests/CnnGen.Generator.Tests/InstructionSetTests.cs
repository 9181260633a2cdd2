using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Intrinsics;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Generated kernels pick an AVX-512, AVX2/FMA, portable <c>Vector128</c> or scalar path at run time, so a run of the
/// suite only checks the path this machine takes. This re-runs the numerical tests in child processes: without
/// hardware intrinsics (the scalar path); with AVX2 disabled, which on .NET 10 also disables FMA and AVX-512 (the
/// <c>Vector128</c> path as NativeAOT's default x86-64 target runs it, <c>Kernels.MultiplyAdd</c> a multiply and an
/// add); with 128-bit preferred vectors (the <c>Vector128</c> path with fused multiply-adds, as on Arm64); and with
/// AVX-512 disabled, which forces the AVX2 kernels on a machine that has AVX-512. (The AVX-512 path needs a machine
/// that has it: run the suite there too.) Each child asserts it really runs the path it is named after.
/// </summary>
public sealed class InstructionSetTests(ITestOutputHelper output)
{
    private const string ChildVariable = "CNNGEN_TEST_CHILD";

    /// <summary>The path a child must run: <c>scalar</c>, <c>Vector128</c>, <c>Vector128+FMA</c> or <c>AVX2</c>.</summary>
    private const string PathVariable = "CNNGEN_TEST_PATH";

    [Fact]
    public System.Threading.Tasks.Task ScalarKernels_MatchTheReference() =>
        RunChild("scalar", ("DOTNET_EnableHWIntrinsic", "0"));

    [Fact]
    public System.Threading.Tasks.Task Vector128KernelsWithoutFma_MatchTheReference()
    {
        if (!System.Runtime.Intrinsics.X86.Sse41.IsSupported)
        {
            return System.Threading.Tasks.Task.CompletedTask; // not x64: the suite itself runs the machine's own path
        }
        // x86-64-v2: SSE4.2 without AVX2, FMA or AVX-512 (.NET 10 disables FMA and AVX-512 with AVX2)
        return RunChild("Vector128", ("DOTNET_EnableAVX2", "0"));
    }

    [Fact]
    public System.Threading.Tasks.Task Vector128KernelsWithFma_MatchTheReference()
    {
        if (!System.Runtime.Intrinsics.X86.Fma.IsSupported)
        {
            return System.Threading.Tasks.Task.CompletedTask; // no FMA to keep while the wider vectors go
        }
        // 128-bit preferred vectors: Vector256 and Vector512 not accelerated, FMA kept (fused like Arm64's AdvSimd)
        return RunChild("Vector128+FMA", ("DOTNET_PreferredVectorBitWidth", "128"));
    }

    [Fact]
    public System.Threading.Tasks.Task Avx2Kernels_MatchTheReference()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported || !Vector512.IsHardwareAccelerated)
        {
            return System.Threading.Tasks.Task.CompletedTask; // without AVX-512 the suite itself runs the AVX2 kernels
        }
        // PreferredVectorBitWidth=256 makes Vector512.IsHardwareAccelerated false, which the AVX-512 kernels require.
        return RunChild("AVX2", ("DOTNET_EnableAVX512F", "0"), ("DOTNET_EnableAVX512", "0"), ("DOTNET_PreferredVectorBitWidth", "256"));
    }

    private System.Threading.Tasks.Task RunChild(string path, params (string Name, string Value)[] environment) =>
        RunChild(path, ChildFilter, environment);

    /// <summary>The numerical test classes the children run (each kernel family has one).</summary>
    private static readonly string[] ChildClasses =
    [
        "CompileAndRunTests",
        "GraphTests",
        "InstructionSetTests.ChildRunsWithoutVectors",
        "ShapeLayerTests",
        "ActivationNetworkTests",
        "ActivationAccuracyTests",
        "ConvFamilyTests",
        "DepthwiseTests",
        "PyTorchBlockTests",
        "ShapeMatrixTests",
        "ChannelConvTests",
        "DirectConvTests",
        "PhaseSplitTests",
        "ChannelDotTests",
        "GroupedConvTests",
        "StridedGroupsTests",
        "PointwiseTests",
        "PatchTests",
        "WinogradTests",
        "PoolFcTests",
        "BatchTailTests",
        "SharedBorderTests",
    ];

    private static readonly string ChildFilter =
        string.Join("|", ChildClasses.Select(c => "FullyQualifiedName~CnnGen.Generator.Tests." + c));

    private async System.Threading.Tasks.Task RunChild(string path, string filter, params (string Name, string Value)[] environment)
    {
        if (Environment.GetEnvironmentVariable(ChildVariable) == "1")
        {
            return; // already the child
        }
        string assembly = typeof(InstructionSetTests).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "test", assembly,
                "--filter", filter,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[ChildVariable] = "1";
        start.Environment[PathVariable] = path;
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }
        using Process process = Process.Start(start)!;
        System.Threading.Tasks.Task<string> stderr = process.StandardError.ReadToEndAsync();
        // the scalar child runs every vector operation in software: slow on a busy machine
        using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(10));
        string stdout;
        try
        {
            stdout = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // not left running beside the next child
            throw;
        }
        output.WriteLine(stdout);
        Assert.True(process.ExitCode == 0, $"the {path}-path run failed (exit {process.ExitCode}):\n{Tail(stdout)}\n{await stderr}");
        Assert.Contains("Passed!", stdout, StringComparison.Ordinal);
    }

    /// <summary>Only meaningful in the child: proves the environment really took the kernels' conditions to its path.</summary>
    [Fact]
    public void ChildRunsWithoutVectors()
    {
        if (Environment.GetEnvironmentVariable(ChildVariable) != "1")
        {
            return;
        }
        string? path = Environment.GetEnvironmentVariable(PathVariable);
        Assert.False(Vector512.IsHardwareAccelerated); // the condition of every AVX-512 kernel
        // the AVX2 kernels need Vector256, the Vector128 kernels Vector128, the scalar ones neither
        Assert.Equal(path == "AVX2", Vector256.IsHardwareAccelerated);
        Assert.Equal(path != "scalar", Vector128.IsHardwareAccelerated);
        if (path == "Vector128")
        {
            Assert.False(System.Runtime.Intrinsics.X86.Fma.IsSupported); // Kernels.MultiplyAdd multiplies, then adds
            Assert.False(System.Runtime.Intrinsics.X86.Avx2.IsSupported); // nor do the pools take their AVX2 kernels
        }
        if (path == "Vector128+FMA")
        {
            Assert.True(System.Runtime.Intrinsics.X86.Fma.IsSupported); // Kernels.MultiplyAdd fuses
        }
    }

    private static string Tail(string text)
    {
        string[] lines = text.Split('\n');
        return string.Join("\n", lines[Math.Max(0, lines.Length - 60)..]);
    }
}
