using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The activation kinds in generated code: hand-worked values, networks against the reference (the scalar path runs
/// too, in <see cref="InstructionSetTests"/>' child process), edge values, the <c>Layers</c> list, the code generated
/// (fused epilogues, no pass for the no-ops), a snapshot, and no allocations.
/// </summary>
public sealed class ActivationNetworkTests
{
    private static float[] Run(string name, float[] parameters, float[] input)
    {
        INetwork network = ActivationNetworks.Compiled.Create(ActivationNetworks.TypeName(name), parameters);
        var output = new float[network.OutputLength];
        network.Forward(input, output);
        return output;
    }

    [Theory]
    [InlineData("Fused")]
    [InlineData("OnTheInput")]
    [InlineData("PReluAlone")]
    [InlineData("Graph")]
    [InlineData("OnlyNoOps")]
    [InlineData("Edges")]
    [InlineData("PReluByHand")]
    [InlineData("PReluFolded")]
    [InlineData("Passes")]
    [InlineData("NarrowPasses")]
    [InlineData("ElementWisePasses")]
    [InlineData("ZeroBorderPasses")]
    [InlineData("GappedGelu")]
    public void Network_MatchesTheReference(string name)
    {
        ReferenceNetwork reference = ActivationNetworks.All.Single(n => n.Name == name).Create();
        string type = ActivationNetworks.TypeName(name);
        Assert.Equal(reference.ParameterCount, ActivationNetworks.Compiled.Constant(type, "ParameterCount"));
        var layers = (IReadOnlyList<LayerInfo>)ActivationNetworks.Compiled.StaticProperty(type, "Layers")!;
        Assert.Equal(reference.Layers.Count, layers.Count);
        for (int i = 0; i < layers.Count; i++)
        {
            Assert.Equal(reference.InputNamesOf(i), layers[i].Inputs);
            Assert.Equal(reference.ParameterOffsets[i], layers[i].ParameterCount == 0 ? reference.ParameterOffsets[i] : layers[i].ParameterOffset);
        }
        for (int seed = 1; seed <= 3; seed++)
        {
            float[] parameters = RandomNetworks.Parameters(reference, seed);
            // Inputs up to ±4: far enough out for the curves' tails, the clips and the hard functions' corners.
            float[] input = RandomNetworks.Values(seed * 31, reference.InputLength, scale: 4);
            float[] actual = Run(name, parameters, input);
            double[] expected = reference.Forward(parameters, input);
            for (int i = 0; i < expected.Length; i++)
            {
                double tolerance = 1e-5 + 1e-4 * Math.Abs(expected[i]);
                Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{name}, seed {seed}: output {i} is {actual[i]:R} but should be {expected[i]:R}");
            }
        }
    }

    [Fact]
    public void PRelu_ByHand_OnItsOwnAndFoldedIntoAConv()
    {
        // Two channels [−2, 4] and [−3, 5], slopes [0.5, −1]: [−1, 4] and [3, 5].
        Assert.Equal(new[] { -1f, 4f, 3f, 5f }, Run("PReluByHand", new[] { 0.5f, -1f }, new[] { -2f, 4f, -3f, 5f }));
        // Conv 1×1 with weights [1, −1] and zero biases: [−2, 4] and [2, −4]; slopes [0.5, 2]: [−1, 4] and [2, −8].
        Assert.Equal(new[] { -1f, 4f, 2f, -8f }, Run("PReluFolded", new[] { 1f, -1f, 0f, 0f, 0.5f, 2f }, new[] { -2f, 4f }));
    }

    [Fact]
    public void LogSoftmax_AndClip_ByHand()
    {
        // Fused ends FC(5) → Clip(−1.5, 2) → LogSoftmax. With every FC5 weight 0 and biases [−3, 0, ln 3, 5, 1]:
        // clipped [−1.5, 0, ln 3, 2, 1]; log-softmax = x − log Σ eˣ.
        ReferenceNetwork reference = ActivationNetworks.Fused;
        float[] parameters = RandomNetworks.Parameters(reference, 4);
        int fc5 = reference.ParameterOffsets[10];
        Array.Clear(parameters, fc5, 5 * 6);
        float[] biases = { -3f, 0f, MathF.Log(3f), 5f, 1f };
        biases.CopyTo(parameters, fc5 + 30);
        double[] clipped = { -1.5, 0, Math.Log(3), 2, 1 };
        double logSum = Math.Log(clipped.Sum(Math.Exp));
        float[] y = Run("Fused", parameters, RandomNetworks.Values(5, reference.InputLength));
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(clipped[i] - logSum, y[i], 5);
        }
    }

    [Fact]
    public void EdgeValues_InGeneratedCode_OnEveryPath()
    {
        // 20 values: two 8-wide vectors then four scalars; the same values fall on both.
        float[] special = { float.PositiveInfinity, float.NegativeInfinity, float.NaN, -0f, 100f, -100f, 0f, 1f };
        float[] input = special.Concat(special).Concat(special.Take(4)).ToArray();
        float[] y = Run("Edges", Array.Empty<float>(), input);
        for (int i = 0; i < 20; i++)
        {
            float x = input[i];
            if (float.IsNaN(x))
            {
                Assert.True(float.IsNaN(y[i]), $"sigmoid(NaN) at {i} is {y[i]}");
                continue;
            }
            float expected = float.IsPositiveInfinity(x) ? 1f : float.IsNegativeInfinity(x) ? 0f : (float)(1 / (1 + Math.Exp(-x)));
            Assert.True(Math.Abs(expected - y[i]) <= 1e-7 * Math.Abs(expected) + 1e-45, $"sigmoid({x}) at {i} is {y[i]:R}, should be {expected:R}");
        }
    }

    [Fact]
    public void Layers_DescribeTheArguments()
    {
        var layers = (IReadOnlyList<LayerInfo>)ActivationNetworks.Compiled.StaticProperty(ActivationNetworks.TypeName("Fused"), "Layers")!;
        Assert.Equal(
            new[] { LayerType.Conv, LayerType.PRelu, LayerType.Conv, LayerType.Gelu, LayerType.Dropout, LayerType.MaxPool, LayerType.HardSwish, LayerType.Flatten,
                LayerType.FullyConnected, LayerType.LeakyRelu, LayerType.FullyConnected, LayerType.Clip, LayerType.LogSoftmax },
            layers.Select(l => l.Type));
        Assert.Equal(new[] { "Conv1", "PRelu1", "Conv2", "Gelu1", "Dropout1", "MaxPool1", "HardSwish1", "Flatten1", "Fc1", "LeakyRelu1", "Fc2", "Clip1", "LogSoftmax1" }, layers.Select(l => l.Name));
        Assert.Equal((4, 76), (layers[1].ParameterCount, layers[1].ParameterOffset)); // after the conv's 4·2·9 + 4
        Assert.Equal(0.2f, layers[9].Alpha);
        Assert.Equal((-1.5f, 2f), (layers[11].Alpha, layers[11].Beta));
        Assert.False(layers[3].Approximate);
        Assert.Equal(new Shape(5, 3, 4), layers[7].Output); // Flatten keeps the volume (C,H,W is already flat)

        var onInput = (IReadOnlyList<LayerInfo>)ActivationNetworks.Compiled.StaticProperty(ActivationNetworks.TypeName("OnTheInput"), "Layers")!;
        Assert.Equal((0.5f, 0f), (onInput[3].Alpha, onInput[3].Beta));              // Elu(0.5)
        Assert.Equal((0.2f, 0.5f), (onInput[4].Alpha, onInput[4].Beta));            // HardSigmoid(0.2, 0.5)
        Assert.True(onInput[5].Approximate);                                          // Gelu tanh
        Assert.Equal(0.01f, onInput[6].Alpha);                                        // LeakyRelu's default slope
        Assert.Equal((float.NegativeInfinity, 0.5f), (onInput[8].Alpha, onInput[8].Beta));
    }

    [Fact]
    public void GeneratedCode_FusesTheActivations_AndEmitsNothingForTheNoOps()
    {
        string source = Generate(ActivationNetworks.Fused);
        // One method per kernel: the activations are in the kernels' stores, the no-ops nowhere.
        foreach (string absent in new[] { "ForwardPRelu1", "ForwardGelu1", "ForwardHardSwish1", "ForwardLeakyRelu1", "ForwardClip1", "ForwardDropout1", "ForwardFlatten1" })
        {
            Assert.DoesNotContain("void " + absent, source, StringComparison.Ordinal);
        }
        Assert.Contains("global::CnnGen.Kernels.LeakyRelu(acc0_0, CnnUnsafe.Add(ref weights, 76 + f))", source, StringComparison.Ordinal); // PRelu slopes, 76 floats after the conv's
        // GELU after a conv: an in-place pass over the conv's 10×6×4 output, not a call in its store.
        Assert.Contains("global::CnnGen.Kernels.GeluInPlace(ref CnnUnsafe.Add(ref scratch, 240), 10, 6, 4, 10, 60);", source, StringComparison.Ordinal);
        Assert.DoesNotContain("global::CnnGen.Kernels.Gelu(", source, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.Clip(", source, StringComparison.Ordinal);
        Assert.Contains("void ForwardLogSoftmax1", source, StringComparison.Ordinal);

        string graph = Generate(ActivationNetworks.Graph);
        Assert.Contains("void Forwards(", graph, StringComparison.Ordinal);                                   // s (Silu) reads c, which Tanh reads too: its own pass
        Assert.Contains("void Forwardp(", graph, StringComparison.Ordinal);                                   // PRelu after an Add: its own per-channel pass
        Assert.DoesNotContain("void ForwardDropout1", graph, StringComparison.Ordinal);

        // An element-wise step ending in an activation with an exponential: its loop, then an in-place pass over its output.
        string passes = Generate(ActivationNetworks.ElementWisePasses);
        Assert.Contains("global::CnnGen.Kernels.SiluInPlace(ref output, 11, 3, 6, ", passes, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.TanhInPlace(ref output, 11, 3, 6, ", passes, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.GeluInPlace(ref output, 11, 3, 5, 11, 33);", passes, StringComparison.Ordinal);
        Assert.DoesNotContain("global::CnnGen.Kernels.Silu(", passes, StringComparison.Ordinal);
        Assert.DoesNotContain("global::CnnGen.Kernels.Gelu(", passes, StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratedCode_RunsPassesOverZeroBorders_AsOnePlaneRun()
    {
        string source = Generate(ActivationNetworks.ZeroBorderPasses);
        // SiLU into the depthwise 3×3's buffer (rows of 13, 15 apart, planes of 15 × 8): one run of 5 · 15 + 13 values per plane.
        Assert.Contains(", 88, 1, 20, 88, 120);", source, StringComparison.Ordinal);
        // GELU into the depthwise 5×5's (rows 17 apart, planes of 17 × 10): 5 · 17 + 13.
        Assert.Contains("GeluInPlace(ref CnnUnsafe.Add(ref scratch, ", source, StringComparison.Ordinal);
        Assert.Contains(", 98, 1, 18, 98, 170);", source, StringComparison.Ordinal);
        // SiLU into the max pool's input: never over a −∞ border, row by row (13 × 6).
        Assert.Contains(", 13, 6, 18, ", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_Fused() => Snapshot.Verify("Activations", Generate(ActivationNetworks.Fused));

    [Fact]
    public void NetworkBatch_GivesEachItemsSingleForward()
    {
        ReferenceNetwork reference = ActivationNetworks.Graph;
        INetwork network = ActivationNetworks.Compiled.Create(ActivationNetworks.TypeName("Graph"), RandomNetworks.Parameters(reference, 9));
        const int Items = 12;
        float[] inputs = RandomNetworks.Values(9, Items * network.InputLength, scale: 4);
        var batched = new float[Items * network.OutputLength];
        NetworkBatch.Forward(network, inputs, batched, maxDegreeOfParallelism: 2);
        for (int i = 0; i < Items; i++)
        {
            var single = new float[network.OutputLength];
            network.Forward(inputs.AsSpan(i * network.InputLength, network.InputLength), single);
            Assert.Equal(single, batched.AsSpan(i * network.OutputLength, network.OutputLength).ToArray());
        }
    }

    [Fact]
    public void Forward_DoesNotAllocate()
    {
        foreach ((string name, Func<ReferenceNetwork> create) in ActivationNetworks.All)
        {
            INetwork network = ActivationNetworks.Compiled.Create(ActivationNetworks.TypeName(name), RandomNetworks.Parameters(create(), 2));
            float[] input = RandomNetworks.Values(2, network.InputLength);
            Assert.True(RuntimeBehaviourTests.AllocatedBytes(network, input, calls: 100) == 0, $"{name} allocates");
        }
    }

    [Fact]
    public void RandomNetworks_CoverEveryActivationKind()
    {
        // Guards the random generators: the 120 chains and 100 graphs must exercise every new kind, folded and on its own.
        RefLayer[] chains = Networks.Random.References.SelectMany(r => r.Layers).ToArray();
        ReferenceNetwork[] graphs = GraphNetworks.All.References.Values.ToArray();
        RefLayer[] all = chains.Concat(graphs.SelectMany(g => g.Layers)).ToArray();
        foreach (string kind in new[] { "LeakyRelu", "Clip", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Silu", "Gelu", "Elu", "PRelu", "LogSoftmax", "Dropout", "Flatten" })
        {
            int count = all.OfType<RefActivation>().Count(a => a.Kind == kind);
            Assert.True(count >= 5, $"only {count} random layers of kind {kind}");
        }
        Assert.True(all.OfType<RefGelu>().Count(g => g.Tanh) >= 3, "Gelu tanh");
        // PRelu folded into a conv or FC (reads a kernel read by nothing else) and on its own (reads anything else).
        int foldedPRelu = 0, alonePRelu = 0;
        foreach (ReferenceNetwork g in Networks.Random.References.Concat(graphs))
        {
            for (int i = 0; i < g.Layers.Count; i++)
            {
                if (g.Layers[i] is RefPRelu)
                {
                    int source = g.InputIndices[i][0];
                    bool kernel = source >= 0 && g.Layers[source] is RefConv or RefFullyConnected && g.ReadersOf(source).Count == 1;
                    _ = kernel ? foldedPRelu++ : alonePRelu++;
                }
            }
        }
        Assert.True(foldedPRelu >= 5 && alonePRelu >= 5, $"PRelu folded {foldedPRelu}, alone {alonePRelu}");
    }

    private static string Generate(ReferenceNetwork network)
    {
        GeneratorRun run = GeneratorHarness.Run(network.ToPlainSource("Snapshots", "Net"));
        run.ThrowIfGeneratorFailed();
        Assert.Empty(run.GeneratorDiagnostics);
        return run.Source("Net");
    }
}
