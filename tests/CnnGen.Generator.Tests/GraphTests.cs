using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>Graph networks compiled and run against the independent reference: hand-built blocks and seeded random graphs.</summary>
public sealed class GraphTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Block")]
    [InlineData("ResidualDownsample")]
    [InlineData("SqueezeExcite")]
    [InlineData("Inception")]
    [InlineData("SharedInputs")]
    [InlineData("LeadingRelu")]
    [InlineData("Clip")]
    [InlineData("Fire")]
    [InlineData("Column")]
    [InlineData("ColumnUp")]
    public void Block_MatchesTheReference(string name)
    {
        string type = GraphNetworks.TypeName(name);
        Check(type, GraphNetworks.All.References[type], seed: name.Length);
    }

    public static System.Collections.Generic.IEnumerable<object[]> ConvFamily() => ConvFamilyNetworks.Checked.Select(n => new object[] { n.Name });

    [Theory]
    [MemberData(nameof(ConvFamily))]
    public void ConvFamily_MatchesTheReference(string name)
    {
        string type = GraphNetworks.TypeName(name);
        Check(type, GraphNetworks.All.References[type], seed: name.Length + 100);
    }

    [Fact]
    public void Relu6_ClipsAtZeroAndSix_OnItsOwnAndFoldedIntoAConv()
    {
        // Conv weight 2, bias −1: 2x − 1, then clipped. Channel 0 is the conv's, channel 1 the input clipped.
        INetwork network = GraphNetworks.All.Compiled.Create(GraphNetworks.TypeName("Clip"), new[] { 2f, -1f });
        float[] input = { -3f, -0f, 0.25f, 1f, 3f, 3.5f, 5.999f, 6f, 6.5f, 100f, float.PositiveInfinity, float.NegativeInfinity };
        var output = new float[24];
        network.Forward(input, output);
        Assert.Equal(new[] { 0f, 0f, 0f, 1f, 5f, 6f, 6f, 6f, 6f, 6f, 6f, 0f }, output[..12]);
        Assert.Equal(new[] { 0f, 0f, 0.25f, 1f, 3f, 3.5f, 5.999f, 6f, 6f, 6f, 6f, 0f }, output[12..]);
    }

    [Fact]
    public void RandomGraphs_MatchTheReference()
    {
        var failures = new List<string>();
        for (int seed = GraphNetworks.RandomSeedBase; seed < GraphNetworks.RandomSeedBase + GraphNetworks.RandomCount; seed++)
        {
            string type = GraphNetworks.RandomTypeName(seed);
            ReferenceNetwork reference = GraphNetworks.All.References[type];
            try
            {
                Check(type, reference, seed);
            }
            catch (Exception e)
            {
                failures.Add($"seed {seed}:\n{reference}{e.Message}\n");
            }
        }
        output.WriteLine($"{GraphNetworks.RandomCount - failures.Count} of {GraphNetworks.RandomCount} random graphs match the reference.");
        Assert.True(failures.Count == 0, $"{failures.Count} random graphs differ (reproduce with RandomNetworks.Graph(seed)):\n\n{string.Join("\n", failures.Take(6))}");
    }

    [Fact]
    public void Block_LayersDescribeTheGraph()
    {
        var layers = (IReadOnlyList<LayerInfo>)GraphNetworks.All.Compiled.StaticProperty(GraphNetworks.TypeName("Block"), "Layers")!;
        Assert.Equal(new[] { "a", "Relu1", "Conv2", "Relu2", "Conv3", "Add1", "Relu3", "side", "Concat1" }, layers.Select(l => l.Name));
        Assert.Equal(new[] { "Conv3", "Relu1" }, layers[5].Inputs);
        Assert.Equal(new[] { "a" }, layers[7].Inputs);
        Assert.Equal(new[] { "side", "Relu3" }, layers[8].Inputs);
        Assert.Equal(new Shape(32, 32, 24), layers[8].Output); // 8 + 16 channels
        Assert.Equal(new[] { "Input" }, layers[0].Inputs);
        Assert.Equal(LayerType.Concat, layers[8].Type);
        Assert.Equal(32 * 32 * 24, GraphNetworks.All.Compiled.Constant(GraphNetworks.TypeName("Block"), "OutputLength"));
        Assert.Equal(32 * 32 * 24, GraphNetworks.All.Compiled.Constant(GraphNetworks.TypeName("Block"), "Concat1OutputLength"));
    }

    [Fact]
    public void Fire_ConcatsOfKernelOutputsAreWrittenInPlace()
    {
        // c1 and c2: every operand is a kernel's output that only the concat reads, so the kernels write into the
        // concat's channel ranges and no copy runs. c3 (g1 is read again by the Add), the output concat, and Inception's
        // concat (read by a padded conv: it is written into that conv's bordered buffer) stay copies.
        string fire = GeneratorHarness.Run(GraphNetworks.Fire.ToSource("Demo", "Fire")).Source("Fire");
        Assert.Contains("channels of e3, then e1, written in place by their kernels (no copy)", fire, StringComparison.Ordinal);
        Assert.Contains("channels of f3, then f1, then f2, written in place by their kernels (no copy)", fire, StringComparison.Ordinal);
        Assert.DoesNotContain("Forwardc1(", fire, StringComparison.Ordinal);
        Assert.DoesNotContain("Forwardc2(", fire, StringComparison.Ordinal);
        Assert.Contains("Forwardc3(", fire, StringComparison.Ordinal);
        Assert.Matches(@"ForwardConcat\d\(", fire); // the output concat
        string inception = GeneratorHarness.Run(GraphNetworks.Inception.ToSource("Demo", "Inception")).Source("Inception");
        Assert.Contains("ForwardConcat1(", inception, StringComparison.Ordinal);
    }

    [Fact]
    public void OneColumnNetworks_RunTurnedOnTheirSide_WithTheDeclaredShapes()
    {
        // Every volume one column wide: the steps run the network as rows (the vector kernels), while the constants,
        // docs and Layers keep the declared 1×H shapes (GraphTests.Check compares Layers with the reference's shapes).
        string column = GeneratorHarness.Run(GraphNetworks.Column.ToSource("Demo", "Column")).Source("Column");
        Assert.Contains("the steps run the network turned on its side", column, StringComparison.Ordinal);
        Assert.Contains("public const int InputWidth = 1;", column, StringComparison.Ordinal);
        Assert.Contains("public const int InputHeight = 37;", column, StringComparison.Ordinal);
        Assert.Contains("ReLU: 37×1×12 → 37×1×16", column, StringComparison.Ordinal); // the steps' comments: turned
        // A network with one wider volume keeps its declared orientation.
        string fire = GeneratorHarness.Run(GraphNetworks.Fire.ToSource("Demo", "Fire")).Source("Fire");
        Assert.DoesNotContain("turned on its side", fire, StringComparison.Ordinal);
    }

    [Fact]
    public void DeadTaps_AsppConvsRunOnTheirCentreTap_WithTheDeclaredParameters()
    {
        string aspp = GeneratorHarness.Run(ConvFamilyNetworks.DeadTapsAspp.ToSource("Demo", "Aspp")).Source("Aspp");
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(aspp, @"KeptTaps\.Keep\(_parameters").Count);
        Assert.Contains("only taps (1..1, 1..1) of its 3×3 window ever read the input", aspp, StringComparison.Ordinal);
        Assert.Contains("public const int ParameterCount = " + ConvFamilyNetworks.DeadTapsAspp.ParameterCount + ";", aspp, StringComparison.Ordinal);
        string partial = GeneratorHarness.Run(ConvFamilyNetworks.DeadTapsPartial.ToSource("Demo", "Partial")).Source("Partial");
        Assert.Contains("only taps (1..3, 1..3) of its 5×5 window", partial, StringComparison.Ordinal);
        Assert.Contains("only taps (0..2, 2..4) of its 3×5 window", partial, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomGraphs_CoverEveryConstruct()
    {
        ReferenceNetwork[] graphs = GraphNetworks.All.References.Values.ToArray();
        RefLayer[] layers = graphs.SelectMany(g => g.Layers).ToArray();
        Assert.True(layers.OfType<RefAdd>().Count() >= 20, "Add");
        Assert.True(layers.OfType<RefMul>().Count(m => true) >= 10, "Mul");
        Assert.True(layers.OfType<RefConcat>().Count() >= 10, "Concat");
        Assert.True(layers.Count(l => l.From is not null) >= 20, "From");
        Assert.True(layers.Count(l => l.From == "Input") >= 3, "branches from the input");
    }

    /// <summary>Checks the compiled network <paramref name="type"/> (from <paramref name="networks"/>, else the graph networks) against <paramref name="reference"/>.</summary>
    internal static void Check(string type, ReferenceNetwork reference, int seed, CompiledNetworks? networks = null)
    {
        CompiledNetworks compiled = networks ?? GraphNetworks.All.Compiled;
        Assert.Equal(reference.InputLength, compiled.Constant(type, "InputLength"));
        Assert.Equal(reference.OutputLength, compiled.Constant(type, "OutputLength"));
        Assert.Equal(reference.ParameterCount, compiled.Constant(type, "ParameterCount"));
        var layers = (IReadOnlyList<LayerInfo>)compiled.StaticProperty(type, "Layers")!;
        Assert.Equal(reference.Layers.Count, layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            RefShape s = reference.ShapeOf(i);
            Assert.Equal(new Shape(s.Width, s.Height, s.Depth), layers[i].Output);
            Assert.Equal(reference.InputNamesOf(i), layers[i].Inputs);
        }
        float[] parameters = RandomNetworks.Parameters(reference, seed);
        INetwork network = compiled.Create(type, parameters);
        for (int k = 0; k < 2; k++)
        {
            float[] input = RandomNetworks.Values(seed * 13 + k, reference.InputLength);
            var actual = new float[reference.OutputLength];
            network.Forward(input, actual);
            double[] expected = reference.Forward(parameters, input);
            for (int i = 0; i < expected.Length; i++)
            {
                double tolerance = 1e-5 + 1e-4 * Math.Abs(expected[i]);
                Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{type}, input {k}: output {i} is {actual[i]:R} but should be {expected[i]:R}");
            }
        }
    }
}
