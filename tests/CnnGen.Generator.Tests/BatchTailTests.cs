using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The batched fully connected tail (<see cref="IBatchTail"/>, <c>CnnGen.Dense.ForwardBatch</c>) that
/// <see cref="NetworkBatch"/> uses for networks ending in a chain of fully connected layers: every batch size that is
/// around the 2 items per pass (1, 2, 3, 5, 17), one and two threads, against each item's own
/// <see cref="INetwork.Forward"/> (bit for bit: the same sums in the same order) and the independent reference. The
/// tails cover every part of the blocked layout (blocks of 128, panels of 16, rows), chunks of 512 inputs and a last
/// partial one, ReLU, ReLU6, PRelu, SiLU and GELU (fused or as passes), dropout and flatten, softmax and log-softmax
/// after the chain, a layer too small for the kernel (one dot product per output) inside it, a tail that starts at the
/// network input; networks without such a tail keep the item-by-item path. <see cref="InstructionSetTests"/> reruns
/// them without AVX-512, without AVX2 and without vectors.
/// </summary>
public sealed class BatchTailTests
{
    private const string Namespace = "BatchTail";

    private static ReferenceNetwork Net(int w, int h, int c, params RefLayer[] layers) => new(new RefShape(w, h, c), layers);

    private static RefConv Conv(int filters) => new(3, 3, filters) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 };

    /// <summary>The networks, by name, and whether they have a batched tail.</summary>
    public static readonly (string Name, bool Tail, Func<ReferenceNetwork> Create)[] Checked =
    {
        // AlexNet's shape: features, flatten, dropout, FC + ReLU, dropout, FC + ReLU, FC (2 blocks + 3 panels + 5 rows: 309), softmax.
        ("Alex", true, () => Net(6, 5, 3, Conv(8), new RefRelu(), new RefPool(true, 2, 2, 2, 2), new RefFlatten(), new RefDropout(),
            new RefFullyConnected(300), new RefRelu(), new RefDropout(), new RefFullyConnected(150), new RefRelu(), new RefFullyConnected(309), new RefSoftmax())),
        // More than one chunk of 512 inputs (1100 = 2 chunks + 76), PRelu's per-output slopes, log-softmax after the chain.
        ("LongInputs", true, () => Net(10, 10, 11, Conv(11), new RefFlatten(), new RefFullyConnected(131), new RefPRelu(), new RefFullyConnected(20), new RefLogSoftmax())),
        // The tail starts at the network input (ForwardFeatures copies it); ReLU6 then SiLU and GELU.
        ("FromInput", true, () => Net(1, 1, 45, new RefFullyConnected(383), new RefRelu6(), new RefFullyConnected(129), new RefSilu(), new RefFullyConnected(17), new RefGelu())),
        // One fully connected layer of exactly one block and nothing after it (no scratch); a small one after a big one (dot products per item).
        ("OneBlock", true, () => Net(4, 4, 5, Conv(6), new RefRelu(), new RefFullyConnected(128))),
        ("SmallLast", true, () => Net(3, 3, 4, Conv(5), new RefFullyConnected(200), new RefRelu(), new RefFullyConnected(3), new RefSoftmax())),
        // Rows only (fewer than 16 outputs, not repacked).
        ("RowsOnly", true, () => Net(2, 2, 9, Conv(7), new RefFullyConnected(11), new RefTanh())),
        // No batched tail: a conv last, a global pool last, a last fully connected layer too small for the kernel.
        ("ConvLast", false, () => Net(5, 5, 3, Conv(4), new RefRelu(), Conv(6))),
        ("PoolLast", false, () => Net(5, 5, 3, Conv(4), new RefGlobalPool(false))),
        ("TinyFc", false, () => Net(2, 2, 2, Conv(3), new RefFullyConnected(3))),
    };

    private static readonly Lazy<(CompiledNetworks Compiled, Dictionary<string, ReferenceNetwork> References)> Lazy = new(() =>
    {
        var references = Checked.ToDictionary(n => Namespace + "." + n.Name, n => n.Create());
        IEnumerable<string> sources = references.Select(r => r.Value.ToSource(Namespace, r.Key.Substring(Namespace.Length + 1)));
        return (GeneratorHarness.Compile(sources, references.Keys, implicitUsings: true), references);
    });

    public static IEnumerable<object[]> Names() => Checked.Select(n => new object[] { n.Name });

    private static (INetwork Network, ReferenceNetwork Reference, float[] Parameters) Create(string name)
    {
        string type = Namespace + "." + name;
        ReferenceNetwork reference = Lazy.Value.References[type];
        float[] parameters = RandomNetworks.Parameters(reference, name.Length + 700);
        return (Lazy.Value.Compiled.Create(type, parameters), reference, parameters);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SingleForward_MatchesTheReference(string name) =>
        GraphTests.Check(Namespace + "." + name, Lazy.Value.References[Namespace + "." + name], seed: name.Length + 700, Lazy.Value.Compiled);

    [Theory]
    [MemberData(nameof(Names))]
    public void HasATail_WhereItShould(string name)
    {
        (INetwork network, _, _) = Create(name);
        Assert.Equal(Checked.Single(n => n.Name == name).Tail, network is IBatchTail);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void NetworkBatch_MatchesEachItemAndTheReference(string name)
    {
        (INetwork network, ReferenceNetwork reference, float[] parameters) = Create(name);
        foreach (int count in new[] { 1, 2, 3, 5, 17 })
        {
            float[] inputs = RandomNetworks.Values(count * 31 + name.Length, count * network.InputLength);
            foreach (int degree in new[] { 1, 2, -1 })
            {
                var batched = new float[count * network.OutputLength];
                NetworkBatch.Forward(network, inputs, batched, degree);
                for (int i = 0; i < count; i++)
                {
                    float[] input = inputs.AsSpan(i * network.InputLength, network.InputLength).ToArray();
                    var single = new float[network.OutputLength];
                    network.Forward(input, single);
                    float[] item = batched.AsSpan(i * network.OutputLength, network.OutputLength).ToArray();
                    Assert.Equal(single, item); // bit for bit
                    if (degree == 1)
                    {
                        double[] expected = reference.Forward(parameters, input);
                        for (int o = 0; o < expected.Length; o++)
                        {
                            double tolerance = 1e-5 + 1e-4 * Math.Abs(expected[o]);
                            Assert.True(Math.Abs(expected[o] - item[o]) <= tolerance, $"{name}, {count} items, item {i}: output {o} is {item[o]:R} but should be {expected[o]:R}");
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void ForwardTail_OnTheFeaturesOfEachItem_MatchesForward()
    {
        (INetwork network, _, _) = Create("Alex");
        var tail = (IBatchTail)network;
        const int Count = 6;
        float[] inputs = RandomNetworks.Values(5, Count * network.InputLength);
        var features = new float[Count * tail.TailInputLength];
        for (int i = 0; i < Count; i++)
        {
            tail.ForwardFeatures(inputs.AsSpan(i * network.InputLength, network.InputLength), features.AsSpan(i * tail.TailInputLength, tail.TailInputLength));
        }
        var outputs = new float[Count * network.OutputLength];
        tail.ForwardTail(features, outputs, new float[Count * tail.TailScratchLength + 3], 1);
        for (int i = 0; i < Count; i++)
        {
            var single = new float[network.OutputLength];
            network.Forward(inputs.AsSpan(i * network.InputLength, network.InputLength), single);
            Assert.Equal(single, outputs.AsSpan(i * network.OutputLength, network.OutputLength).ToArray());
        }
        Assert.Equal(3 * 2 * 8, tail.TailInputLength); // the flattened 3×2×8 pool output
        Assert.Equal(2 * 309, tail.TailScratchLength); // two buffers of the longest vector between steps (the last layer's, before the softmax)
    }

    [Fact]
    public void ForwardTail_ChecksItsArguments_AndWritesNothing()
    {
        (INetwork network, _, _) = Create("Alex");
        var tail = (IBatchTail)network;
        var features = new float[2 * tail.TailInputLength];
        var outputs = new float[2 * network.OutputLength];
        outputs.AsSpan().Fill(7);
        var scratch = new float[2 * tail.TailScratchLength];
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => tail.ForwardTail(features.AsSpan(1), outputs, scratch, 1)).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => tail.ForwardTail(features, outputs.AsSpan(1), scratch, 1)).ParamName);
        Assert.Equal("scratch", Assert.Throws<ArgumentException>(() => tail.ForwardTail(features, outputs, scratch.AsSpan(1), 1)).ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => tail.ForwardTail(features, outputs, scratch, 0)).ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => tail.ForwardTail(features, outputs, scratch, -2)).ParamName);
        Assert.All(outputs, v => Assert.Equal(7f, v));
        var small = new float[tail.TailInputLength - 1];
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => tail.ForwardFeatures(new float[network.InputLength], small)).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => tail.ForwardFeatures(new float[network.InputLength + 1], new float[tail.TailInputLength])).ParamName);
        tail.ForwardTail(ReadOnlySpan<float>.Empty, Span<float>.Empty, Span<float>.Empty, -1); // no items: nothing to do
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void NetworkBatch_WithATail_DoesNotAllocateAfterWarmUp(int degree)
    {
        (INetwork network, _, _) = Create("Alex");
        const int Count = 17;
        float[] inputs = RandomNetworks.Values(3, Count * network.InputLength);
        var outputs = new float[Count * network.OutputLength];
        for (int i = 0; i < 20; i++)
        {
            NetworkBatch.Forward(network, inputs, outputs, degree); // warm-up: workers, scratch, the tail buffer, JIT tiers
        }
        long fewest = long.MaxValue;
        for (int round = 0; round < 3 && fewest != 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 50; k++)
            {
                NetworkBatch.Forward(network, inputs, outputs, degree);
            }
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, fewest);
    }

    [Fact]
    public void Generated_TailMembers_OnlyWhereThereIsATail()
    {
        string alex = GeneratorHarness.Run(Checked.Single(n => n.Name == "Alex").Create().ToSource(Namespace, "Alex")).Source("Alex");
        Assert.Contains(": global::CnnGen.IBatchTail", alex, StringComparison.Ordinal);
        Assert.Equal(3, alex.Split("global::CnnGen.Dense.ForwardBatch(").Length - 1);
        string conv = GeneratorHarness.Run(Checked.Single(n => n.Name == "ConvLast").Create().ToSource(Namespace, "ConvLast")).Source("ConvLast");
        Assert.DoesNotContain("IBatchTail", conv, StringComparison.Ordinal);
    }
}
