using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.Intrinsics;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Generated kernels pick an AVX-512, AVX2/FMA or scalar path at run time, so a run of the suite only checks the
/// path this machine takes. This re-runs the numerical tests in child processes with AVX2 disabled, which forces
/// the scalar path, and with AVX-512 disabled, which forces the AVX2 kernels on a machine that has AVX-512. (The
/// AVX-512 path needs a machine that has it: run the suite there too.)
/// </summary>
public sealed class InstructionSetTests(ITestOutputHelper output)
{
    private const string ChildVariable = "CNNGEN_TEST_CHILD";

    [Fact]
    public System.Threading.Tasks.Task ScalarKernels_MatchTheReference() =>
        RunChild("scalar", ("DOTNET_EnableAVX2", "0"), ("DOTNET_EnableAVX512F", "0"));

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

    /// <summary>
    /// With no hardware intrinsics at all (Vector128 not accelerated either): the depthwise, channel-vectorized and
    /// Winograd tests on the scalar kernels, which the run above no longer reaches (it takes the portable Vector128 ones).
    /// </summary>
    [Fact]
    public System.Threading.Tasks.Task ScalarDepthwiseKernels_MatchTheReference() =>
        RunChild("no-intrinsics", "FullyQualifiedName~CnnGen.Generator.Tests.DepthwiseTests.Network_|FullyQualifiedName~CnnGen.Generator.Tests.GraphTests.ConvFamily_|FullyQualifiedName~CnnGen.Generator.Tests.ChannelConvTests.EveryCase_MatchesTheReference|FullyQualifiedName~CnnGen.Generator.Tests.WinogradTests.Network_|FullyQualifiedName~CnnGen.Generator.Tests.InstructionSetTests.ChildRunsWithoutVectors",
            ("DOTNET_EnableHWIntrinsic", "0"));

    private System.Threading.Tasks.Task RunChild(string path, params (string Name, string Value)[] environment) =>
        RunChild(path, ChildFilter, environment);

    private const string ChildFilter =
        "FullyQualifiedName~CnnGen.Generator.Tests.CompileAndRunTests|FullyQualifiedName~CnnGen.Generator.Tests.GraphTests|FullyQualifiedName~CnnGen.Generator.Tests.InstructionSetTests.ChildRunsWithoutVectors|FullyQualifiedName~CnnGen.Generator.Tests.ShapeLayerTests|FullyQualifiedName~CnnGen.Generator.Tests.ActivationNetworkTests|FullyQualifiedName~CnnGen.Generator.Tests.ActivationAccuracyTests|FullyQualifiedName~CnnGen.Generator.Tests.ConvFamilyTests|FullyQualifiedName~CnnGen.Generator.Tests.DepthwiseTests|FullyQualifiedName~CnnGen.Generator.Tests.PyTorchBlockTests|FullyQualifiedName~CnnGen.Generator.Tests.ShapeMatrixTests|FullyQualifiedName~CnnGen.Generator.Tests.ChannelConvTests|FullyQualifiedName~CnnGen.Generator.Tests.WinogradTests";

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
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }
        using Process process = Process.Start(start)!;
        System.Threading.Tasks.Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine(stdout);
        Assert.True(process.ExitCode == 0, $"the {path}-path run failed (exit {process.ExitCode}):\n{Tail(stdout)}\n{await stderr}");
        Assert.Contains("Passed!", stdout, StringComparison.Ordinal);
    }

    /// <summary>Only meaningful in the child: proves the environment really took the vector paths away.</summary>
    [Fact]
    public void ChildRunsWithoutVectors()
    {
        if (Environment.GetEnvironmentVariable(ChildVariable) != "1")
        {
            return;
        }
        Assert.False(Vector512.IsHardwareAccelerated); // the condition of every AVX-512 kernel
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
        {
            Assert.False(Vector128.IsHardwareAccelerated); // the condition of every portable kernel
        }
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0")
        {
            Assert.False(Vector256.IsHardwareAccelerated);
            Assert.False(System.Runtime.Intrinsics.X86.Avx2.IsSupported);
        }
    }

    private static string Tail(string text)
    {
        string[] lines = text.Split('\n');
        return string.Join("\n", lines[Math.Max(0, lines.Length - 60)..]);
    }
}
