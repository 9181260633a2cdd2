using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Grouped and depthwise convolutions, BatchNorm, Normalize and ConvTranspose on networks worked out by
/// hand: the generated code and the reference must both give the hand's numbers (so the reference can be
/// trusted for the larger networks of <see cref="GraphTests.ConvFamily_MatchesTheReference"/>).
/// </summary>
public sealed class ConvFamilyTests
{
    /// <summary>The hand-worked network's output from the generated code, after checking the reference gives <paramref name="expected"/> too.</summary>
    private static void AssertByHand(string name, float[] parameters, float[] input, double[] expected)
    {
        string type = GraphNetworks.TypeName(name);
        ReferenceNetwork reference = GraphNetworks.All.References[type];
        double[] oracle = reference.Forward(parameters, input);
        INetwork network = GraphNetworks.All.Compiled.Create(type, parameters);
        var actual = new float[network.OutputLength];
        network.Forward(input, actual);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(oracle[i] - expected[i]) <= 1e-6 * (1 + Math.Abs(expected[i])), $"{name}: the reference gives {oracle[i]} at {i}, the hand {expected[i]}");
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"{name}: output {i} is {actual[i]} but should be {expected[i]}");
        }
    }

    [Fact]
    public void Depthwise_EachChannelHasItsOwnFilter()
    {
        // Channel 0 [1 2 3] with [1 10], bias 0: [21, 32]. Channel 1 [4 5 6] with [2 3], bias 1: [8 + 15 + 1, 10 + 18 + 1].
        AssertByHand("HandDepthwise", new[] { 1f, 10, 2, 3, 0, 1 }, new[] { 1f, 2, 3, 4, 5, 6 }, new[] { 21.0, 32, 24, 29 });
    }

    [Fact]
    public void BatchNorm_FoldedIntoTheConvBeforeIt()
    {
        // Conv: 2x + 1 on [1, 2] = [3, 5]; BatchNorm γ 3, β 0.5, mean 1, var 3, ε 1: 3·(v − 1)/2 + 0.5 = [3.5, 6.5].
        AssertByHand("HandFolded", new[] { 2f, 1, 3, 0.5f, 1, 3 }, new[] { 1f, 2 }, new[] { 3.5, 6.5 });
    }

    [Fact]
    public void BatchNorm_OnItsOwn()
    {
        // 3·(x − 1)/2 + 0.5 on [1, 2] = [0.5, 2].
        AssertByHand("HandBatchNorm", new[] { 3f, 0.5f, 1, 3 }, new[] { 1f, 2 }, new[] { 0.5, 2 });
    }

    [Fact]
    public void BatchNorm_LeavesTheCallersParametersAlone()
    {
        float[] parameters = { 2f, 1, 3, 0.5f, 1, 3 };
        float[] copy = parameters.ToArray();
        GraphNetworks.All.Compiled.Create(GraphNetworks.TypeName("HandFolded"), parameters);
        Assert.Equal(copy, parameters);
    }

    [Fact]
    public void Normalize_PerChannel()
    {
        // Channel 0 (x − 0.5)/0.5 on [1, 2] = [1, 3]; channel 1 (x − 1)/2 on [3, 5] = [1, 2].
        AssertByHand("HandNormalize", Array.Empty<float>(), new[] { 1f, 2, 3, 5 }, new[] { 1.0, 3, 1, 2 });
    }

    [Fact]
    public void ConvTranspose_ScattersEachInputThroughTheKernel()
    {
        // Stride 2, kernel [10 1], bias 0.5: x0 = 1 → [10 1], x1 = 2 → [20 2], side by side.
        AssertByHand("HandTransposeStride2", new[] { 10f, 1, 0.5f }, new[] { 1f, 2 }, new[] { 10.5, 1.5, 20.5, 2.5 });
        // Stride 1: the two copies overlap in the middle: [10, 1 + 20, 2].
        AssertByHand("HandTransposeStride1", new[] { 10f, 1, 0.5f }, new[] { 1f, 2 }, new[] { 10.5, 21.5, 2.5 });
        // 3×3 kernel, middle row [1 2 3], stride 2, padding 1, output padding 1. Along the width the full output is
        // [1 2 3+2 4 6] plus one output-padding column [0]; padding 1 crops the first: [2 5 4 6]. Along the height the
        // one input row gives full rows 0–2 (+ row 3 of output padding); the output keeps rows 1 (the middle kernel row) and 2 (zeros).
        AssertByHand("HandTransposeCropped", new[] { 0f, 0, 0, 1, 2, 3, 0, 0, 0, 0 }, new[] { 1f, 2 }, new[] { 2.0, 5, 4, 6, 0, 0, 0, 0 });
    }

    [Fact]
    public void Layers_DescribeTheNewFields()
    {
        IReadOnlyList<LayerInfo> Layers(string name) => (IReadOnlyList<LayerInfo>)GraphNetworks.All.Compiled.StaticProperty(GraphNetworks.TypeName(name), "Layers")!;

        LayerInfo depthwise = Layers("DepthwiseStride2")[0];
        Assert.Equal((LayerType.Conv, 4, 3 * 3 * 8 + 8), (depthwise.Type, depthwise.Groups, depthwise.ParameterCount));
        Assert.Equal(9L * 8 * 20 * 6, depthwise.MultiplyAdds);

        LayerInfo norm = Layers("BatchNorms")[2];
        Assert.Equal((LayerType.BatchNorm, 1e-3f, 32), (norm.Type, norm.Epsilon, norm.ParameterCount));

        LayerInfo up = Layers("TransposeGraph")[3];
        Assert.Equal((LayerType.ConvTranspose, 3, 2, 3, 2, 2), (up.Type, up.KernelWidth, up.KernelHeight, up.StrideX, up.OutputPaddingX, up.OutputPaddingY));
        Assert.Equal(new Shape(20, 16, 2), up.Output);
        Assert.Equal(3 * 2 * 2 * 3 + 2, up.ParameterCount);

        LayerInfo normalize = Layers("Normalize")[0];
        Assert.Equal(LayerType.Normalize, normalize.Type);
        Assert.Equal(new[] { 0.485f, 0.456f, 0.406f }, normalize.Mean);
        Assert.Equal(new[] { 0.229f, 0.224f, 0.225f }, normalize.Std);
    }

    [Fact]
    public void GeneratedCode_FoldsBatchNormAtConstruction_AndHoistsDepthwiseWeights()
    {
        string source = Generate(ConvFamilyNetworks.MobileNetBlock.ToPlainSource("N", "Block"));
        // Three BatchNorms, all folded: no pass of their own.
        Assert.Contains("FoldParameters(_parameters);", source, StringComparison.Ordinal);
        foreach (string fold in new[] { "// Conv1 + BatchNorm1 (folded into the weights) + ReLU6", "// Conv2 + BatchNorm2 (folded into the weights) + ReLU6", "// Conv3 + BatchNorm3 (folded into the weights)" })
        {
            Assert.Contains(fold, source, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("private static void ForwardBatchNorm", source, StringComparison.Ordinal);
        // The depthwise 3×3 keeps its 9 weights in registers (rows of 14: AVX2).
        Assert.Contains("CnnFloat8 w8 = CnnVector256.Create(CnnUnsafe.Add(ref filter, 8));", source, StringComparison.Ordinal);

        string shared = Generate(ConvFamilyNetworks.BatchNormShared.ToPlainSource("N", "Shared"));
        Assert.Contains("private static void ForwardBatchNorm1(", shared, StringComparison.Ordinal);
        Assert.DoesNotContain("(folded into the weights)", shared, StringComparison.Ordinal);
    }

    /// <summary>A small, readable baseline: a depthwise 3×3 with a folded BatchNorm and ReLU6 (AVX-512, AVX2 and scalar kernels).</summary>
    [Fact]
    public void Snapshot_Depthwise() => Snapshot.Verify("Depthwise", Generate("""
        using CnnGen;

        namespace Fixed;

        [Network]
        [Input(16, 2, 2)]
        [Conv(3, 3, 2, Padding = 1, Groups = 2)]
        [BatchNorm]
        [Relu6]
        public partial class Depthwise { }
        """));

    [Fact]
    public void Normalize_FoldsOnlyIntoAConvWithoutPadding()
    {
        string source = Generate(ConvFamilyNetworks.Normalize.ToPlainSource("N", "Normalized"));
        // Normalize1 feeds a padded conv: a pass of its own, written into the conv's bordered buffer.
        Assert.Contains("private static void ForwardNormalize1(", source, StringComparison.Ordinal);
        // Normalize2 feeds an unpadded conv: folded into its weights, no pass.
        Assert.DoesNotContain("private static void ForwardNormalize2(", source, StringComparison.Ordinal);
        Assert.Contains("// Conv2 after Normalize2 (folded into the weights)", source, StringComparison.Ordinal);
        // Normalize3 feeds a ReLU: a pass.
        Assert.Contains("private static void ForwardNormalize3(", source, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomNetworks_DrawTheConvFamily()
    {
        // The random chains and graphs are only as good as what they draw: every new kind, in its variants.
        RefLayer[] chains = Networks.Random.References.SelectMany(r => r.Layers).ToArray();
        RefLayer[] graphs = GraphNetworks.All.References.Values.SelectMany(r => r.Layers).ToArray();
        var counts = new (string What, int Count, int Minimum)[]
        {
            ("grouped convs in chains (the inputs have 1 to 3 channels)", chains.OfType<RefConv>().Count(c => c.Groups > 1), 5),
            ("grouped, not depthwise, convs in graphs", graphs.OfType<RefConv>().Count(c => c.Groups > 1 && c.Groups != c.Filters), 5),
            ("strided grouped convs in chains", chains.OfType<RefConv>().Count(c => c.Groups > 1 && c.StrideX == 2), 3),
            ("BatchNorm in chains", chains.OfType<RefBatchNorm>().Count(), 10),
            ("strided ConvTranspose in chains", chains.OfType<RefConvTranspose>().Count(t => t.Stride > 1), 5),
            ("Normalize in chains", chains.OfType<RefNormalize>().Count(), 5),
            ("depthwise convs in graphs", graphs.OfType<RefConv>().Count(c => c.Groups > 1 && c.Groups == c.Filters), 10),
            ("BatchNorm in graphs", graphs.OfType<RefBatchNorm>().Count(), 30),
            ("ConvTranspose in graphs", graphs.OfType<RefConvTranspose>().Count(), 5),
        };
        string report = string.Join("\n", counts.Select(c => $"{c.What}: {c.Count} (at least {c.Minimum})"));
        Assert.True(counts.All(c => c.Count >= c.Minimum), report);
    }

    /// <summary>The one generated file for <paramref name="source"/>, which must generate without diagnostics.</summary>
    internal static string Generate(string source)
    {
        GeneratorRun run = GeneratorHarness.Run(source);
        run.ThrowIfGeneratorFailed();
        Assert.Empty(run.GeneratorDiagnostics);
        return Assert.Single(run.GeneratedSources).SourceText.ToString();
    }
}
