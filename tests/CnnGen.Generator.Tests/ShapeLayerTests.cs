using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The shape and channel kinds (global pools, Slice, ChannelShuffle, Pad, Upsample): the reference's semantics on
/// hand-worked values, generated code against the reference on blocks that use them, the layer list, allocation and
/// batches. The scalar paths run in <see cref="InstructionSetTests"/>' child process.
/// </summary>
public sealed class ShapeLayerTests
{
    private static float[] Run(string name, float[] input, float[]? parameters = null)
    {
        INetwork network = ShapeNetworks.All.Compiled.Create(ShapeNetworks.TypeName(name), parameters ?? Array.Empty<float>());
        var output = new float[network.OutputLength];
        network.Forward(input, output);
        return output;
    }

    private static void AssertClose(double[] expected, IReadOnlyList<double> actual, string context)
    {
        Assert.True(expected.Length == actual.Count, $"{context}: {actual.Count} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]), $"{context}: value {i} is {actual[i]:R} but should be {expected[i]:R}");
        }
    }

    /// <summary>The hand-worked cases, checked on the reference and on the generated code.</summary>
    public static TheoryData<string, RefLayer, int[], float[], double[]> HandWorked() => new()
    {
        // PyTorch: F.interpolate([1, 3], scale_factor=2, mode='linear') = [1, 1.5, 2.5, 3]: source x = (dst + ½)/2 − ½ = −¼ (clamped to 0), ¼, ¾, 1¼ (the last neighbour twice).
        { "BilinearRow", new RefUpsample(2, 1) { Bilinear = true }, new[] { 2, 1, 1 }, new[] { 1f, 3 }, new[] { 1, 1.5, 2.5, 3 } },
        // align_corners=True: source x = dst·(2 − 1)/(4 − 1) = 0, ⅓, ⅔, 1.
        { "AlignedRow", new RefUpsample(2, 1) { Bilinear = true, AlignCorners = true }, new[] { 2, 1, 1 }, new[] { 1f, 3 }, new[] { 1, 5 / 3.0, 7 / 3.0, 3 } },
        // The classic 2×2 → 4×4: rows blend [1 2] and [3 4] with the same weights as the columns.
        { "BilinearSquare", new RefUpsample(2, 2) { Bilinear = true }, new[] { 2, 2, 1 }, new[] { 1f, 2, 3, 4 },
            new[] { 1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4 } },
        // Nearest by 3 across and 2 down: each value three times, the row twice.
        { "NearestRect", new RefUpsample(3, 2), new[] { 2, 1, 1 }, new[] { 1f, 2 }, new double[] { 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2 } },
        // Channels [1 2 3 4] and [−5 6 −7 8]: means 2.5 and 0.5, largest 4 and 8.
        { "Mean", new RefGlobalPool(false), new[] { 2, 2, 2 }, new[] { 1f, 2, 3, 4, -5, 6, -7, 8 }, new[] { 2.5, 0.5 } },
        { "Largest", new RefGlobalPool(true), new[] { 2, 2, 2 }, new[] { 1f, 2, 3, 4, -5, 6, -7, 8 }, new double[] { 4, 8 } },
        // Channels [1 2], [3 4], [5 6]: channels 1 and 2.
        { "Middle", new RefSlice(1, 2), new[] { 1, 2, 3 }, new[] { 1f, 2, 3, 4, 5, 6 }, new double[] { 3, 4, 5, 6 } },
        // 6 channels in 2 groups: [[0 1 2], [3 4 5]] transposed to [[0 3], [1 4], [2 5]]; in 3 groups: [[0 1], [2 3], [4 5]] → [[0 2 4], [1 3 5]].
        { "Shuffle2", new RefChannelShuffle(2), new[] { 1, 1, 6 }, new[] { 0f, 1, 2, 3, 4, 5 }, new double[] { 0, 3, 1, 4, 2, 5 } },
        { "Shuffle3", new RefChannelShuffle(3), new[] { 1, 1, 6 }, new[] { 0f, 1, 2, 3, 4, 5 }, new double[] { 0, 2, 4, 1, 3, 5 } },
        // [1 2] with a zero column on the left and a zero row below: [0 1 2], [0 0 0].
        { "PadCorner", new RefPad(1, 0, 0, 1), new[] { 2, 1, 1 }, new[] { 1f, 2 }, new double[] { 0, 1, 2, 0, 0, 0 } },
    };

    [Theory]
    [MemberData(nameof(HandWorked))]
    public void HandWorked_Reference(string name, RefLayer layer, int[] shape, float[] input, double[] expected)
    {
        var network = new ReferenceNetwork(new RefShape(shape[0], shape[1], shape[2]), new[] { layer });
        AssertClose(expected, network.Forward(Array.Empty<float>(), input), name + " (reference)");
    }

    [Theory]
    [MemberData(nameof(HandWorked))]
    public void HandWorked_Generated(string name, RefLayer layer, int[] shape, float[] input, double[] expected)
    {
        _ = (layer, shape);
        AssertClose(expected, Run(name, input).Select(v => (double)v).ToArray(), name);
    }

    [Fact]
    public void ZeroPad_BeforeAMaxPool_IsAZero_NotMinusInfinity()
    {
        // [−3 −4] padded to [0 0 0], [0 −3 −4], [0 0 0] (no right pad): every 2×2 window holds a zero of the Pad.
        AssertClose(new double[] { 0, 0, 0, 0 }, Run("PadMax", new[] { -3f, -4 }).Select(v => (double)v).ToArray(), "PadMax");
    }

    [Theory]
    [InlineData("SqueezeExcite")]
    [InlineData("GlobalHeads")]
    [InlineData("ShuffleUnit")]
    [InlineData("UNetUp")]
    [InlineData("Bilinear")]
    [InlineData("Pads")]
    [InlineData("Slices")]
    [InlineData("WideBilinear")]
    [InlineData("TableBilinear")]
    [InlineData("Nearest")]
    public void Block_MatchesTheReference(string name)
    {
        string type = ShapeNetworks.TypeName(name);
        ReferenceNetwork reference = ShapeNetworks.All.References[type];
        CompiledNetworks compiled = ShapeNetworks.All.Compiled;
        Assert.Equal(reference.OutputLength, compiled.Constant(type, "OutputLength"));
        Assert.Equal(reference.ParameterCount, compiled.Constant(type, "ParameterCount"));
        var layers = (IReadOnlyList<LayerInfo>)compiled.StaticProperty(type, "Layers")!;
        for (int i = 0; i < layers.Count; i++)
        {
            RefShape s = reference.ShapeOf(i);
            Assert.Equal(new Shape(s.Width, s.Height, s.Depth), layers[i].Output);
            Assert.Equal(reference.InputNamesOf(i), layers[i].Inputs);
        }
        float[] parameters = RandomNetworks.Parameters(reference, name.Length);
        INetwork network = compiled.Create(type, parameters);
        for (int k = 0; k < 3; k++)
        {
            float[] input = RandomNetworks.Values(k * 31 + name.Length, reference.InputLength, 2);
            var actual = new float[reference.OutputLength];
            network.Forward(input, actual);
            AssertClose(reference.Forward(parameters, input), actual.Select(v => (double)v).ToArray(), $"{name}, input {k}");
        }
    }

    [Fact]
    public void Layers_DescribeTheNewKinds()
    {
        var layers = (IReadOnlyList<LayerInfo>)ShapeNetworks.All.Compiled.StaticProperty(ShapeNetworks.TypeName("Bilinear"), "Layers")!;
        LayerInfo aligned = layers.Single(l => l.Name == "aligned");
        Assert.Equal((LayerType.Upsample, 2, 3, true, true), (aligned.Type, aligned.ScaleX, aligned.ScaleY, aligned.Bilinear, aligned.AlignCorners));
        LayerInfo wide = layers.Single(l => l.Name == "wide");
        Assert.Equal((5, 2, false, false), (wide.ScaleX, wide.ScaleY, wide.Bilinear, wide.AlignCorners));

        layers = (IReadOnlyList<LayerInfo>)ShapeNetworks.All.Compiled.StaticProperty(ShapeNetworks.TypeName("Slices"), "Layers")!;
        Assert.Equal((LayerType.Slice, 2, new Shape(6, 5, 3)), (layers[0].Type, layers[0].Start, layers[0].Output));
        LayerInfo shuffle = layers.Single(l => l.Name == "ChannelShuffle1");
        Assert.Equal((LayerType.ChannelShuffle, 3), (shuffle.Type, shuffle.Groups));

        layers = (IReadOnlyList<LayerInfo>)ShapeNetworks.All.Compiled.StaticProperty(ShapeNetworks.TypeName("Pads"), "Layers")!;
        LayerInfo p = layers.Single(l => l.Name == "p");
        Assert.Equal((LayerType.Pad, 2, 0, 1, 3, new Shape(8, 7, 3)), (p.Type, p.PadLeft, p.PadTop, p.PadRight, p.PadBottom, p.Output));
        Assert.Equal(LayerType.GlobalAvgPool, layers.Single(l => l.Name == "GlobalAvgPool1").Type);
        Assert.Equal((LayerType.GlobalMaxPool, new Shape(1, 1, 3)), (layers.Single(l => l.Name == "GlobalMaxPool1").Type, layers.Single(l => l.Name == "GlobalMaxPool1").Output));
    }

    [Fact]
    public void Blocks_DoNotAllocate_AndRunInBatches()
    {
        foreach ((string type, ReferenceNetwork reference) in ShapeNetworks.All.References)
        {
            INetwork network = ShapeNetworks.All.Compiled.Create(type, RandomNetworks.Parameters(reference, 5));
            Assert.True(RuntimeBehaviourTests.AllocatedBytes(network, RandomNetworks.Values(5, network.InputLength)) == 0, $"{type} allocates");

            const int Items = 9;
            float[] inputs = RandomNetworks.Values(6, Items * network.InputLength);
            var batch = new float[Items * network.OutputLength];
            NetworkBatch.Forward(network, inputs, batch, maxDegreeOfParallelism: 3);
            for (int i = 0; i < Items; i++)
            {
                var output = new float[network.OutputLength];
                network.Forward(inputs.AsSpan(i * network.InputLength, network.InputLength), output);
                Assert.True(output.AsSpan().SequenceEqual(batch.AsSpan(i * network.OutputLength, network.OutputLength)), $"{type}: batch item {i} differs");
            }
        }
    }

    [Fact]
    public void TheCompiledRandomNetworks_UseEveryShapeKind()
    {
        // The random graphs GraphTests compiles and the random chains CompileAndRunTests compiles (seeds, not the compiled code: cheap).
        RefLayer[] graphs = Enumerable.Range(GraphNetworks.RandomSeedBase, GraphNetworks.RandomCount).SelectMany(s => RandomNetworks.Graph(s).Layers).ToArray();
        RefLayer[] chains = Enumerable.Range(Networks.RandomSeedBase, Networks.RandomCount).SelectMany(s => RandomNetworks.Create(s).Layers).ToArray();
        string counts = string.Join(", ", new[] { ("graphs", graphs), ("chains", chains) }.Select(x =>
            $"{x.Item1}: {x.Item2.OfType<RefShapeLayer>().GroupBy(l => l is RefUpsample { Bilinear: true } ? "bilinear" : l.Prefix).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}").Aggregate((a, b) => a + ", " + b)}"));
        foreach (RefLayer[] layers in new[] { graphs, chains })
        {
            Assert.True(layers.OfType<RefGlobalPool>().Count() >= 3, counts);
            Assert.True(layers.OfType<RefSlice>().Count() >= 3, counts);
            Assert.True(layers.OfType<RefChannelShuffle>().Count() >= 3, counts);
            Assert.True(layers.OfType<RefPad>().Count() >= 3, counts);
            Assert.True(layers.OfType<RefUpsample>().Count(u => u.Bilinear) >= 3, counts);
            Assert.True(layers.OfType<RefUpsample>().Count(u => !u.Bilinear) >= 3, counts);
        }
    }

    /// <summary>A small network with each kind and each placement: a slice read in place, a pad buffer its producer writes into, a shuffle into a padded conv.</summary>
    private const string SnapshotNetwork = """
        [Network]
        [Input(8, 6, 4)]
        [Slice(0, 2, Name = "half")]
        [Conv(1, 1, 2, From = "Input")]
        [Pad(1)]
        [Conv(3, 3, 2)]
        [Concat("half")]
        [ChannelShuffle(2)]
        [Conv(3, 3, 4, Padding = 1)]
        [Upsample(2, Mode = UpsampleMode.Bilinear)]
        [Relu]
        [Upsample(1, ScaleX = 2)]
        [GlobalAvgPool]
        public partial class ShapeKinds { }
        """;

    [Fact]
    public void Snapshot_ShapeKinds()
    {
        GeneratorRun run = GeneratorHarness.Run(Networks.Wrap(SnapshotNetwork));
        run.ThrowIfGeneratorFailed();
        Assert.Empty(run.GeneratorDiagnostics);
        Snapshot.Verify("ShapeKinds", run.Source("ShapeKinds"));
    }

    [Fact]
    public void Blocks_CompileCleanly_WithoutImplicitUsings()
    {
        IEnumerable<string> sources = ShapeNetworks.All.References.Select(r => r.Value.ToSource(ShapeNetworks.Namespace, r.Key.Substring(ShapeNetworks.Namespace.Length + 1)))
            .Append(Networks.Wrap(SnapshotNetwork));
        GeneratorRun run = GeneratorHarness.Run(sources, allowUnsafe: false);
        run.ThrowIfGeneratorFailed();
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(run.CompilationProblems());
    }
}
