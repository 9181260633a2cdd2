using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CnnGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The oracle's graph semantics (names, From, Add, Mul with broadcast, Concat, parameter order) on
/// small networks whose outputs are worked out by hand, and the seeded random graph networks
/// (deterministic, valid, no dead branches, every construct covered).
/// </summary>
public sealed class ReferenceGraphTests(ITestOutputHelper output)
{
    private static readonly RefPool WholePool2x2 = new(false, 2, 2, 2, 2);

    private static RefConv Same3x3(int filters) => new(3, 3, filters) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 };

    [Fact]
    public void DefaultNames_CountEveryLayerOfTheKind_NamedOnesToo()
    {
        var network = new ReferenceNetwork(new RefShape(2, 2, 1), new RefLayer[]
        {
            new RefConv(1, 1, 1) { Name = "a" },
            new RefRelu(),
            new RefConv(1, 1, 1),
            new RefRelu(),
            new RefAdd("a"),
            new RefMul("Relu1"),
            new RefConcat("Conv2"),
            new RefPool(true, 2, 2, 2, 2),
            new RefPool(false, 1, 1, 1, 1),
            new RefFullyConnected(3),
            new RefSoftmax(),
        });

        Assert.Equal(
            new[] { "a", "Relu1", "Conv2", "Relu2", "Add1", "Mul1", "Concat1", "MaxPool1", "AvgPool1", "Fc1", "Softmax1" },
            network.Names);
        Assert.Equal(new[] { "Input" }, network.InputNamesOf(0));
        Assert.Equal(new[] { "Relu2", "a" }, network.InputNamesOf(4));
        Assert.Equal(new[] { "Add1", "Relu1" }, network.InputNamesOf(5));
        Assert.Equal(new[] { "Mul1", "Conv2" }, network.InputNamesOf(6));
        Assert.Equal(new RefShape(2, 2, 2), network.OutputShapes[6]);
        Assert.Equal(new RefShape(1, 1, 2), network.OutputShapes[8]);
        Assert.Equal(6, network.IndexOf("Concat1"));
        Assert.Equal(ReferenceNetwork.InputIndex, network.IndexOf("Input"));
        // Conv a: 1+1, Conv2: 1+1, Fc1: 3·2 + 3.
        Assert.Equal(new[] { 0, 2, 2, 4, 4, 4, 4, 4, 4, 4, 13 }, network.ParameterOffsets);
        Assert.Equal(13, network.ParameterCount);
        Assert.Empty(network.DeadLayers());
    }

    [Fact]
    public void Attributes_SpellNameAndFromAsNamedArguments()
    {
        Assert.Equal("[Conv(1, 1, 1, Name = \"a\")]", new RefConv(1, 1, 1) { Name = "a" }.AttributeText);
        Assert.Equal("[Relu(Name = \"r\")]", new RefRelu { Name = "r" }.AttributeText);
        Assert.Equal("[Relu(From = \"a\")]", new RefRelu { From = "a" }.AttributeText);
        Assert.Equal("[Relu]", new RefRelu().AttributeText);
        Assert.Equal("[Softmax(Name = \"out\", From = \"Input\")]", new RefSoftmax { Name = "out", From = "Input" }.CanonicalAttribute());
        Assert.Equal("[Add(\"a\", \"b\")]", new RefAdd("a", "b").AttributeText);
        Assert.Equal("[Mul(\"g\", From = \"x\")]", new RefMul("g") { From = "x" }.AttributeText);
        Assert.Equal("[Concat(\"x\", Name = \"c\", From = \"Input\")]", new RefConcat("x") { Name = "c", From = "Input" }.AttributeText);
        Assert.Equal("[FullyConnected(4, Name = \"fc\")]", new RefFullyConnected(4) { Name = "fc" }.AttributeText);
        // A hand-written spelling keeps its arguments and gets the graph ones appended.
        Assert.Equal("[Conv(3, 3, 8, Padding = 1, Name = \"x\")]", (Same3x3(8) with { Attribute = "[Conv(3, 3, 8, Padding = 1)]", Name = "x" }).AttributeText);
        Assert.Equal("[AvgPool(2, 2, From = \"x\")]", (WholePool2x2 with { Attribute = "[AvgPool(2, 2)]", From = "x" }).AttributeText);

        var network = new ReferenceNetwork(new RefShape(2, 1, 1), new RefLayer[] { new RefRelu { Name = "r" }, new RefAdd("Input", "r") });
        Assert.Equal("[Input(2, 1, 1)]\n[Relu(Name = \"r\")]\n[Add(\"Input\", \"r\")]\n", network.Attributes().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void MergeRecords_CompareTheirNamesByContent()
    {
        Assert.Equal(new RefAdd("a", "b"), new RefAdd("a", "b"));
        Assert.Equal(new RefAdd("a", "b").GetHashCode(), new RefAdd("a", "b").GetHashCode());
        Assert.NotEqual(new RefAdd("a", "b"), new RefAdd("b", "a"));
        Assert.NotEqual<RefLayer>(new RefAdd("a"), new RefMul("a"));
        Assert.NotEqual(new RefAdd("a"), new RefAdd("a") { Name = "s" });
        Assert.Throws<ArgumentException>(() => new RefConcat());
    }

    [Fact]
    public void Add_SumsTheInputAndTheNamedOutputs()
    {
        // x = [1, −2, 3, −4] (2×2×1). c = 2x + 1 = [3, −3, 7, −7]; Relu1 = [3, 0, 7, 0];
        // Add1 = Relu1 + c + x = [3+3+1, 0−3−2, 7+7+3, 0−7−4] = [7, −5, 17, −11].
        var network = new ReferenceNetwork(new RefShape(2, 2, 1), new RefLayer[]
        {
            new RefConv(1, 1, 1) { Name = "c" },
            new RefRelu(),
            new RefAdd("c", "Input"),
        });
        double[] y = network.Forward(new float[] { 2, 1 }, new float[] { 1, -2, 3, -4 });
        Assert.Equal(new double[] { 7, -5, 17, -11 }, y);
        Assert.Equal(new[] { "Relu1", "c", "Input" }, network.InputNamesOf(2));
    }

    [Fact]
    public void From_ReadsANamedOrDefaultNamedEarlierOutput()
    {
        // x = [1, −2] (2×1×1). Conv1 = 3x = [3, −6]; Relu1 = [3, 0];
        // Conv2 reads Conv1 (not Relu1): Conv1 + 1 = [4, −5]; Add1 = Conv2 + Relu1 = [7, −5].
        var network = new ReferenceNetwork(new RefShape(2, 1, 1), new RefLayer[]
        {
            new RefConv(1, 1, 1),
            new RefRelu(),
            new RefConv(1, 1, 1) { From = "Conv1" },
            new RefAdd("Relu1"),
        });
        IReadOnlyList<double[]> all = network.ForwardAll(new float[] { 3, 0, 1, 1 }, new float[] { 1, -2 });
        Assert.Equal(new double[] { 3, -6 }, all[0]);
        Assert.Equal(new double[] { 3, 0 }, all[1]);
        Assert.Equal(new double[] { 4, -5 }, all[2]);
        Assert.Equal(new double[] { 7, -5 }, all[3]);
        Assert.Equal(new double[] { 7, -5 }, network.Forward(new float[] { 3, 0, 1, 1 }, new float[] { 1, -2 }));
        Assert.Equal(new[] { 0 }, network.ReadersOf(ReferenceNetwork.InputIndex));
        Assert.Equal(new[] { 1, 2 }, network.ReadersOf(0));
    }

    [Fact]
    public void Branches_TakeTheirParametersInAttributeOrder_AndFullyConnectedReadsItsOwnInput()
    {
        // x = 1..9 in a 3×3×1 input (rows [1 2 3], [4 5 6], [7 8 9]).
        // same: 3×3 conv, padding 1, all weights 1, bias 0 → neighbourhood sums
        //   [12 21 16], [27 45 33], [24 39 28] (parameters 0..9).
        // Conv2 (From Input): 1×1, weight −1, bias 0.5 → 0.5 − x (parameters 10, 11).
        // Add1 = same + Conv2 = [11.5 19.5 13.5], [23.5 40.5 27.5], [17.5 31.5 19.5].
        // Fc1 (2 outputs, 9 inputs, parameters 12..29): row 0 all ones → 204.5 (= 245 − 40.5);
        //   row 1 picks the centre → 40.5, bias [0, 1] → [204.5, 41.5].
        var network = new ReferenceNetwork(new RefShape(3, 3, 1), new RefLayer[]
        {
            Same3x3(1) with { Name = "same" },
            new RefConv(1, 1, 1) { From = "Input" },
            new RefAdd("same"),
            new RefFullyConnected(2),
        });
        Assert.Equal(new[] { 0, 10, 12, 12 }, network.ParameterOffsets);
        Assert.Equal(32, network.ParameterCount);
        Assert.Equal(new RefShape(3, 3, 1), network.InputShapeOf(1));
        Assert.Equal(new RefShape(3, 3, 1), network.InputShapeOf(3));

        var p = new List<float>();
        p.AddRange(Enumerable.Repeat(1f, 9)); // same: weights
        p.Add(0); // same: bias
        p.AddRange(new float[] { -1, 0.5f }); // Conv2
        p.AddRange(Enumerable.Repeat(1f, 9)); // Fc1 row 0
        p.AddRange(new float[] { 0, 0, 0, 0, 1, 0, 0, 0, 0 }); // Fc1 row 1
        p.AddRange(new float[] { 0, 1 }); // Fc1 bias
        float[] x = Enumerable.Range(1, 9).Select(v => (float)v).ToArray();

        IReadOnlyList<double[]> all = network.ForwardAll(p.ToArray(), x);
        Assert.Equal(new double[] { 12, 21, 16, 27, 45, 33, 24, 39, 28 }, all[0]);
        Assert.Equal(new double[] { 11.5, 19.5, 13.5, 23.5, 40.5, 27.5, 17.5, 31.5, 19.5 }, all[2]);
        Assert.Equal(new double[] { 204.5, 41.5 }, all[3]);
    }

    [Fact]
    public void Mul_Broadcasts1x1xC_OnEitherSide()
    {
        // x (2×2×2, C,H,W): channel 0 = [1 2 3 4], channel 1 = [5 6 7 8].
        // sq: 2×2 average per channel → [2.5, 6.5]; g: FullyConnected weights [[1, 0], [0, −1]], bias [0, 1] → [2.5, −5.5].
        // g · x: channel 0 = 2.5·[1 2 3 4] = [2.5 5 7.5 10], channel 1 = −5.5·[5 6 7 8] = [−27.5 −33 −38.5 −44].
        float[] x = { 1, 2, 3, 4, 5, 6, 7, 8 };
        float[] p = { 1, 0, 0, -1, 0, 1 };
        double[] expected = { 2.5, 5, 7.5, 10, -27.5, -33, -38.5, -44 };
        RefLayer[] gate = { WholePool2x2 with { Name = "sq" }, new RefFullyConnected(2) { Name = "g" } };

        var gateFirst = new ReferenceNetwork(new RefShape(2, 2, 2), gate.Append(new RefMul("Input")).ToArray());
        var tensorFirst = new ReferenceNetwork(new RefShape(2, 2, 2), gate.Append(new RefMul("g") { From = "Input" }).ToArray());

        Assert.Equal(new RefShape(1, 1, 2), gateFirst.InputShapeOf(2));
        Assert.Equal(new RefShape(2, 2, 2), gateFirst.OutputShapes[2]);
        Assert.Equal(new RefShape(2, 2, 2), tensorFirst.InputShapeOf(2));
        Assert.Equal(new RefShape(2, 2, 2), tensorFirst.OutputShapes[2]);
        Assert.Equal(expected, gateFirst.Forward(p, x));
        Assert.Equal(expected, tensorFirst.Forward(p, x));
    }

    [Fact]
    public void Mul_OfEqualShapes_IsElementWise_AndTakesSeveralOperands()
    {
        // x = [1, −2, 3] (3×1×1); Relu1 = [1, 0, 3]; Mul1 = x · x · Relu1 = [1, 0, 27].
        var network = new ReferenceNetwork(new RefShape(3, 1, 1), new RefLayer[] { new RefRelu(), new RefMul("Input", "Relu1") { From = "Input" } });
        Assert.Equal(new double[] { 1, 0, 27 }, network.Forward(Array.Empty<float>(), new float[] { 1, -2, 3 }));
    }

    [Fact]
    public void Concat_PutsTheInputsChannelsFirst_ThenEachNamedOutputInOrder()
    {
        // x = [1, −2] (2×1×1). c: 1×1 conv to 2 channels, weights [1, −1], biases [0, 10] → [1, −2 | 9, 12];
        // Relu1 reads the input → [1, 0]; Concat1 = Relu1 | c | Input = [1, 0 | 1, −2 | 9, 12 | 1, −2], 2×1×4.
        var network = new ReferenceNetwork(new RefShape(2, 1, 1), new RefLayer[]
        {
            new RefConv(1, 1, 2) { Name = "c" },
            new RefRelu { From = "Input" },
            new RefConcat("c", "Input"),
        });
        Assert.Equal(new RefShape(2, 1, 4), network.OutputShapes[2]);
        Assert.Equal(8, network.OutputLength);
        Assert.Equal(new double[] { 1, 0, 1, -2, 9, 12, 1, -2 }, network.Forward(new float[] { 1, -1, 0, 10 }, new float[] { 1, -2 }));
    }

    [Fact]
    public void Concat_ThenConv_SeesTheConcatenatedChannels()
    {
        // x = [2] (1×1×1). Relu1 = [2]; Concat1 = [2 | 2 | 2] (depth 3); Conv2 (1×1, 1 filter) has 3 weights:
        // [1, 10, 100] · [2, 2, 2] + bias 0.5 = 222.5. Parameter count 3 + 1.
        var network = new ReferenceNetwork(new RefShape(1, 1, 1), new RefLayer[]
        {
            new RefRelu(),
            new RefConcat("Input", "Relu1"),
            new RefConv(1, 1, 1),
        });
        Assert.Equal(4, network.ParameterCount);
        Assert.Equal(new double[] { 222.5 }, network.Forward(new float[] { 1, 10, 100, 0.5f }, new float[] { 2 }));
    }

    public static TheoryData<string, RefLayer[]> InvalidGraphs() => new()
    {
        { "unknown name", new RefLayer[] { new RefRelu(), new RefAdd("nothing") } },
        { "unknown From", new RefLayer[] { new RefRelu { From = "nothing" } } },
        { "later layer", new RefLayer[] { new RefAdd("Relu1"), new RefRelu() } },
        { "itself", new RefLayer[] { new RefRelu(), new RefAdd("Add1") } },
        { "From itself", new RefLayer[] { new RefRelu { Name = "r", From = "r" } } },
        { "duplicate names", new RefLayer[] { new RefRelu { Name = "r" }, new RefRelu { Name = "r" } } },
        { "explicit name equal to a default one", new RefLayer[] { new RefConv(1, 1, 1) { Name = "Relu1" }, new RefRelu() } },
        { "a layer called Input", new RefLayer[] { new RefRelu { Name = "Input" } } },
        { "Add of different shapes", new RefLayer[] { new RefConv(1, 1, 2), new RefAdd("Input") } },
        { "Add of 1x1xC and WxHxC", new RefLayer[] { WholePool2x2, new RefAdd("Input") } },
        { "Mul of different depths", new RefLayer[] { new RefFullyConnected(3), new RefMul("Input") } },
        { "Mul of different sizes", new RefLayer[] { new RefPool(true, 2, 1, 2, 1), new RefMul("Input") } },
        { "Concat of different widths", new RefLayer[] { new RefPool(true, 2, 1, 2, 1), new RefConcat("Input") } },
    };

    [Theory]
    [MemberData(nameof(InvalidGraphs))]
    public void InvalidGraphs_Throw(string what, RefLayer[] layers)
    {
        // Input 2×2×1 throughout.
        Assert.Throws<ArgumentException>(() => new ReferenceNetwork(new RefShape(2, 2, 1), layers));
        output.WriteLine(what);
    }

    [Fact]
    public void DeadLayers_AreThoseWhoseOutputNeverReachesTheLast()
    {
        // Relu1 is read by nobody; Conv2 only by the dead Relu2; a and Conv3 reach the output.
        var network = new ReferenceNetwork(new RefShape(2, 2, 1), new RefLayer[]
        {
            new RefConv(1, 1, 1) { Name = "a" },
            new RefRelu(),
            new RefConv(1, 1, 1) { From = "Input" },
            new RefRelu(),
            new RefConv(1, 1, 1) { From = "a" },
        });
        Assert.Equal(new[] { 1, 2, 3 }, network.DeadLayers());
        Assert.Empty(new ReferenceNetwork(new RefShape(2, 2, 1), new RefLayer[] { new RefRelu() }).DeadLayers());
    }

    [Fact]
    public void Chains_KeepTheirMeaning()
    {
        // A chain has no names or merges: each layer reads the previous one, as before graphs.
        ReferenceNetwork chain = RandomNetworks.Create(3);
        for (int i = 0; i < chain.Layers.Count; i++)
        {
            Assert.Equal(new[] { i - 1 }, chain.InputIndices[i]);
            Assert.Equal(i == 0 ? chain.Input : chain.OutputShapes[i - 1], chain.InputShapeOf(i));
        }
        Assert.DoesNotContain("Name =", chain.Attributes(), StringComparison.Ordinal);
        Assert.DoesNotContain("From =", chain.Attributes(), StringComparison.Ordinal);
    }

    private static readonly Lazy<ReferenceNetwork[]> Graphs = new(() => Enumerable.Range(0, 200).Select(RandomNetworks.Graph).ToArray());

    [Fact]
    public void RandomGraphs_AreDeterministicPerSeed()
    {
        foreach (int seed in new[] { 0, 1, 17, 199, 12345 })
        {
            ReferenceNetwork a = RandomNetworks.Graph(seed), b = RandomNetworks.Graph(seed);
            Assert.Equal(a.ToString(), b.ToString());
            Assert.Equal(a.Layers, b.Layers);
            Assert.Equal(a.Input, b.Input);
        }
        foreach (int seed in new[] { 17, 42, 99 })
        {
            output.WriteLine(RandomNetworks.Graph(seed).ToPlainSource("Sample", "Graph" + seed));
        }
        Assert.True(Graphs.Value.Select(g => g.ToString()).Distinct().Count() >= 190, "seeds should give different graphs");
    }

    [Fact]
    public void RandomGraphs_AreValid_Small_AndHaveNoDeadBranches()
    {
        for (int seed = 0; seed < Graphs.Value.Length; seed++)
        {
            ReferenceNetwork g = Graphs.Value[seed];
            string where = $"seed {seed}:\n{g}";
            Assert.True(g.DeadLayers().Count == 0, where);
            Assert.InRange(g.Layers.Count, 1, RandomNetworks.MaxGraphLayers);
            Assert.True(g.Input.Width <= 24 && g.Input.Height <= 24 && g.Input.Depth <= RandomNetworks.MaxGraphDepth, where);
            Assert.True(g.OutputShapes.All(s => s.Depth <= RandomNetworks.MaxGraphDepth && s.Width <= 24 && s.Height <= 24), where);
            Assert.True(g.Layers.Take(g.Layers.Count - 1).All(l => l is not RefSoftmax), "Softmax only last: " + where);
            // Every layer but the last is read by someone (no compiler warning for an unread layer).
            Assert.True(Enumerable.Range(0, g.Layers.Count - 1).All(i => g.ReadersOf(i).Count > 0), where);
            // The attribute text round-trips through the oracle's own view: every reference names an earlier tensor.
            for (int i = 0; i < g.Layers.Count; i++)
            {
                IEnumerable<string> references = (g.Layers[i] is RefMerge m ? m.Others : Array.Empty<string>())
                    .Concat(g.Layers[i].From is string f ? new[] { f } : Array.Empty<string>());
                Assert.All(references, r => Assert.True(g.IndexOf(r) < i, where));
            }
        }
    }

    [Fact]
    public void RandomGraphs_RunOnTheOracle_WithFiniteOutputs()
    {
        for (int seed = 0; seed < 60; seed++)
        {
            ReferenceNetwork g = Graphs.Value[seed];
            double[] y = g.Forward(RandomNetworks.Parameters(g, seed), RandomNetworks.Values(seed, g.InputLength));
            Assert.Equal(g.OutputLength, y.Length);
            Assert.True(y.All(double.IsFinite), $"seed {seed}:\n{g}");
        }
    }

    [Fact]
    public void RandomGraphs_CoverEveryConstruct()
    {
        ReferenceNetwork[] graphs = Graphs.Value;
        var layers = graphs.SelectMany(g => g.Layers.Select((l, i) => (Graph: g, Layer: l, Index: i))).ToArray();
        var coverage = new StringBuilder();
        void Require(string what, int count, int minimum)
        {
            coverage.AppendLine($"{what}: {count}");
            Assert.True(count >= minimum, $"only {count} random graph layers/networks with {what}\n{coverage}");
        }
        bool IsBroadcast(ReferenceNetwork g, int read) => g.ShapeOf(read) is { Width: 1, Height: 1 };
        bool ReadsDefaultName(RefLayer l) => References(l).Any(r => r != "Input" && char.IsUpper(r[0]));
        bool ReadsExplicitName(RefLayer l) => References(l).Any(r => char.IsLower(r[0]));

        Require("Add", layers.Count(x => x.Layer is RefAdd), 100);
        Require("residual Add (reads a tensor from before a same-shape conv path)", layers.Count(x => x.Layer is RefAdd
            && x.Graph.InputIndices[x.Index].Any(r => r >= 0 && x.Graph.Layers.Skip(r + 1).Take(x.Index - r - 1).OfType<RefConv>().Any())), 50);
        Require("Add of three tensors", layers.Count(x => x.Layer is RefAdd a && a.Others.Count >= 2), 10);
        Require("Mul", layers.Count(x => x.Layer is RefMul), 50);
        Require("Mul broadcasting its input", layers.Count(x => x.Layer is RefMul && IsBroadcast(x.Graph, x.Graph.InputIndices[x.Index][0])
            && x.Graph.OutputShapes[x.Index].Width * x.Graph.OutputShapes[x.Index].Height > 1), 20);
        Require("Mul broadcasting a named operand", layers.Count(x => x.Layer is RefMul && x.Graph.InputIndices[x.Index].Skip(1).Any(r => IsBroadcast(x.Graph, r))
            && x.Graph.OutputShapes[x.Index].Width * x.Graph.OutputShapes[x.Index].Height > 1), 20);
        Require("squeeze (AvgPool over the whole input)", layers.Count(x => x.Layer is RefPool { IsMax: false } p
            && x.Graph.InputShapeOf(x.Index) is var s && p.WindowWidth == s.Width && p.WindowHeight == s.Height && s.Width * s.Height > 1), 50);
        Require("Concat", layers.Count(x => x.Layer is RefConcat), 100);
        Require("Concat of three tensors", layers.Count(x => x.Layer is RefConcat c && c.Others.Count >= 2), 30);
        Require("inception Concat of convs with different kernels", layers.Count(x => x.Layer is RefConcat
            && x.Graph.InputIndices[x.Index].Select(r => r >= 0 ? x.Graph.Layers[r] : null).OfType<RefConv>()
                .Select(c => (c.KernelWidth, c.KernelHeight, c.DilationX)).Distinct().Count() >= 2), 30);
        Require("layer reading the network input by From (not first)", layers.Count(x => x.Index > 0 && x.Layer.From == "Input"), 20);
        Require("merge naming the network input", layers.Count(x => x.Layer is RefMerge m && m.Others.Contains("Input")), 5);
        Require("branch from an earlier layer (From, not the previous one)", layers.Count(x => x.Layer.From is string f && f != "Input"
            && x.Graph.IndexOf(f) < x.Index - 1), 100);
        Require("From naming the previous layer anyway", layers.Count(x => x.Layer.From is string f && x.Graph.IndexOf(f) == x.Index - 1), 5);
        Require("reference by default name", layers.Count(x => ReadsDefaultName(x.Layer)), 100);
        Require("reference by explicit name", layers.Count(x => ReadsExplicitName(x.Layer)), 50);
        Require("named layers", layers.Count(x => x.Layer.Name is not null), 200);
        Require("activation (Relu or another element-wise kind) after a tensor read elsewhere too", layers.Count(x => RandomNetworks.IsElementWise(x.Layer)
            && x.Graph.InputIndices[x.Index][0] is int r && x.Graph.ReadersOf(r).Count > 1), 30);
        Require("stride-2 conv", layers.Count(x => x.Layer is RefConv { StrideX: 2 }), 50);
        Require("downsampling pool", layers.Count(x => x.Layer is RefPool { StrideX: 2 }), 30);
        Require("max pool", layers.Count(x => x.Layer is RefPool { IsMax: true }), 30);
        Require("dilated conv", layers.Count(x => x.Layer is RefConv { DilationX: 2 }), 20);
        Require("rectangular conv", layers.Count(x => x.Layer is RefConv c && c.KernelWidth != c.KernelHeight), 20);
        Require("Softmax (last)", graphs.Count(g => g.Layers[^1] is RefSoftmax), 20);
        Require("fully connected head", graphs.Count(g => g.Layers.Count >= 2 && g.Layers[^1] is RefFullyConnected or RefSoftmax
            && g.OutputShapes[^1] is { Width: 1, Height: 1 } && g.Layers.Skip(g.Layers.Count - 2).Any(l => l is RefFullyConnected)), 20);
        Require("spatial output", graphs.Count(g => g.OutputShapes[^1].Width * g.OutputShapes[^1].Height > 1), 50);
        Require("graphs with 15+ layers", graphs.Count(g => g.Layers.Count >= 15), 20);
        Require("graphs with every merge kind", graphs.Count(g => g.Layers.OfType<RefAdd>().Any() && g.Layers.OfType<RefMul>().Any()
            && g.Layers.OfType<RefConcat>().Any()), 10);
        Require("global pool", layers.Count(x => x.Layer is RefGlobalPool), 20);
        Require("Slice (ShuffleNet split)", layers.Count(x => x.Layer is RefSlice), 30);
        Require("ChannelShuffle", layers.Count(x => x.Layer is RefChannelShuffle), 10);
        Require("Upsample", layers.Count(x => x.Layer is RefUpsample), 20);
        Require("bilinear Upsample", layers.Count(x => x.Layer is RefUpsample { Bilinear: true }), 10);
        Require("Pad", layers.Count(x => x.Layer is RefPad), 20);
        Require("Pad as an Add operand's producer chain (pad, valid conv, Add)", layers.Count(x => x.Layer is RefAdd
            && x.Graph.InputIndices[x.Index][0] is int r && r >= 1 && x.Graph.Layers[r] is RefConv && x.Graph.Layers[r - 1] is RefPad), 5);
        output.WriteLine(coverage.ToString());
    }

    private static IEnumerable<string> References(RefLayer layer) =>
        (layer is RefMerge m ? m.Others : Array.Empty<string>()).Concat(layer.From is string f ? new[] { f } : Array.Empty<string>());
}
