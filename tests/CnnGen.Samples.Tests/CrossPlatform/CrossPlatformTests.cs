using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.CrossPlatform.App;
using CnnGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Samples.Tests.CrossPlatform;

/// <summary>
/// Arm64 runs and computes what x64 computes. tests/CnnGen.CrossPlatform.App (networks that reach every
/// kernel family, seeded weights and inputs) is published for linux-arm64 and run under qemu, where the
/// kernels take their Arm64 paths (AdvSimd, 128-bit vectors, no 256-bit ones), and published for
/// linux-x64 and run here (AVX-512 or AVX2 paths). Every output value of the Arm64 run must equal the
/// x64 run's within 1e-4 relative + 1e-5 absolute (fused or separate multiply-adds and other summation
/// orders move the last bits; bit equality is not expected), and the x64 run must equal the independent
/// reference (<see cref="ReferenceNetwork"/>) within the same tolerance, so the two do not agree on a
/// wrong answer. The in-process compile-and-run tests cover x64 more widely (random graphs, the AVX2
/// and scalar paths); this test is the one that executes the Arm64 code.
/// </summary>
public sealed class CrossPlatformTests(PublishedRuns runs, ITestOutputHelper output) : IClassFixture<PublishedRuns>
{
    [Fact]
    public void Arm64Run_ReportsArm64WithAdvSimdAndOnly128BitVectors()
    {
        AppRun arm = runs.Arm64;
        output.WriteLine(string.Join("\n", arm.Facts.Select(f => $"{f.Key} {f.Value}")));
        Assert.Equal("Arm64", arm.Fact("ProcessArchitecture"));
        Assert.Equal("True", arm.Fact("AdvSimd.IsSupported"));
        Assert.Equal("True", arm.Fact("Vector128.IsHardwareAccelerated"));
        Assert.Equal("False", arm.Fact("Vector256.IsHardwareAccelerated"));
        Assert.Equal("False", arm.Fact("Vector512.IsHardwareAccelerated"));
    }

    [Fact]
    public void X64Run_ReportsX64()
    {
        AppRun x64 = runs.X64;
        output.WriteLine(string.Join("\n", x64.Facts.Select(f => $"{f.Key} {f.Value}")));
        Assert.Equal("X64", x64.Fact("ProcessArchitecture"));
    }

    [Fact]
    public void BothRuns_PrintEveryNetworkOfTheApp()
    {
        string[] names = NetworkCatalog.All.Select(e => e.Name).ToArray();
        Assert.Equal(names, runs.X64.Outputs.Keys);
        Assert.Equal(names, runs.Arm64.Outputs.Keys);
        Assert.Equal(names.Order(), CrossPlatformNetworks.All.Keys.Order());
    }

    [Fact]
    public void Arm64Outputs_MatchX64()
    {
        var differences = new List<string>();
        int values = 0;
        foreach ((string network, float[] x64) in runs.X64.Outputs)
        {
            float[] arm = runs.Arm64.Outputs.GetValueOrDefault(network) ?? Array.Empty<float>();
            differences.AddRange(AppRun.Differences(network, arm, Array.ConvertAll(x64, v => (double)v)));
            values += x64.Length;
        }
        output.WriteLine($"{values} values of {runs.X64.Outputs.Count} networks compared.");
        Assert.True(differences.Count == 0, $"The Arm64 run differs from the x64 run (Arm64 vs x64):\n{string.Join("\n", differences)}");
    }

    [Fact]
    public void X64Outputs_MatchTheReference()
    {
        var differences = new List<string>();
        foreach (CatalogEntry entry in NetworkCatalog.All)
        {
            ReferenceNetwork reference = CrossPlatformNetworks.All[entry.Name];
            AssertSameNetwork(entry, reference);
            double[] expected = reference.Forward(entry.Parameters(), entry.Input());
            differences.AddRange(AppRun.Differences(entry.Name, runs.X64.Outputs.GetValueOrDefault(entry.Name) ?? Array.Empty<float>(), expected));
        }
        Assert.True(differences.Count == 0, $"The x64 run differs from the reference (x64 vs reference):\n{string.Join("\n", differences)}");
    }

    /// <summary>The app's network is the one <paramref name="reference"/> describes: sizes, parameter layout, each layer's inputs and output shape.</summary>
    private static void AssertSameNetwork(CatalogEntry entry, ReferenceNetwork reference)
    {
        string name = entry.Name;
        Assert.True(reference.InputLength == entry.InputLength, $"{name}: input length {entry.InputLength}, the reference's {reference.InputLength}");
        Assert.True(reference.ParameterCount == entry.ParameterCount, $"{name}: {entry.ParameterCount} parameters, the reference has {reference.ParameterCount}");
        Assert.True(reference.Layers.Count == entry.Layers.Count, $"{name}: {entry.Layers.Count} layers, the reference has {reference.Layers.Count}");
        for (int i = 0; i < entry.Layers.Count; i++)
        {
            LayerInfo layer = entry.Layers[i];
            RefShape shape = reference.ShapeOf(i);
            Assert.True(new Shape(shape.Width, shape.Height, shape.Depth) == layer.Output, $"{name}.{layer.Name}: output {layer.Output}, the reference's {shape}");
            Assert.True(reference.InputNamesOf(i).SequenceEqual(layer.Inputs), $"{name}.{layer.Name} reads {string.Join(", ", layer.Inputs)}, the reference's {string.Join(", ", reference.InputNamesOf(i))}");
            Assert.True(layer.ParameterCount == 0 || reference.ParameterOffsets[i] == layer.ParameterOffset, $"{name}.{layer.Name}: parameters from {layer.ParameterOffset}, the reference's from {reference.ParameterOffsets[i]}");
        }
    }
}
