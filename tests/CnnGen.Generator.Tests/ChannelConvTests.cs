using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;
using static CnnGen.Generator.Tests.PlainNetworkSource;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The channel-vectorized convolution (output channels in the vector, weights repacked into panels of 16 at
/// construction) on the small maps it is chosen for: strides 1–3, padding, dilation, kernels 1–7, channel counts
/// that leave partial vectors, every fused activation (PRelu's per-channel slopes too), a folded BatchNorm, and
/// graphs where it reads and writes bordered buffers. Checked against the reference on whichever kernels this
/// machine runs (<see cref="InstructionSetTests"/> reruns it on AVX2 and without AVX2), and checked to be the
/// kernel the generator picked, so the test cannot pass on a fallback.
/// </summary>
public sealed class ChannelConvTests(ITestOutputHelper output)
{
    private static RefConv Padded(int k, int filters, int pad) => new(k, k, filters) { PadLeft = pad, PadTop = pad, PadRight = pad, PadBottom = pad };

    /// <summary>Each case: name, input, layers; every one has a conv that takes the channel kernel.</summary>
    private static readonly (string Name, RefShape Input, RefLayer[] Layers)[] Cases =
    {
        ("ResNetLayer4", new RefShape(2, 2, 512), new RefLayer[] { Padded(3, 512, 1), new RefRelu() }),
        ("Stride2Onto2x2", new RefShape(4, 4, 256), new RefLayer[] { Padded(3, 129, 1) with { StrideX = 2, StrideY = 2 }, new RefRelu() }),
        ("Downsample1x1", new RefShape(4, 4, 64), new RefLayer[] { new RefConv(1, 1, 96) { StrideX = 2, StrideY = 2 } }),
        ("AlexNetConv2Odd", new RefShape(7, 7, 64), new RefLayer[] { Padded(5, 100, 2), new RefRelu() }),
        ("Filters20Relu6", new RefShape(3, 3, 48), new RefLayer[] { Padded(3, 20, 1), new RefRelu6() }),
        ("Pointwise129Sigmoid", new RefShape(2, 2, 160), new RefLayer[] { new RefConv(1, 1, 129), new RefSigmoid() }),
        ("Kernel7Leaky", new RefShape(9, 9, 16), new RefLayer[] { new RefConv(7, 7, 33), new RefLeakyRelu(0.1f) }),
        ("Stride3Tanh", new RefShape(11, 11, 8), new RefLayer[] { new RefConv(3, 3, 40) { StrideX = 3, StrideY = 3 }, new RefTanh() }),
        ("StrideXYDifferHardSwish", new RefShape(9, 6, 24), new RefLayer[] { Padded(3, 17, 1) with { StrideX = 2, StrideY = 1 }, new RefHardSwish() }),
        ("Dilation2Elu", new RefShape(5, 5, 16), new RefLayer[] { Padded(3, 24, 2) with { DilationX = 2, DilationY = 2 }, new RefElu(0.5f) }),
        ("Kernel2Gelu", new RefShape(4, 3, 40), new RefLayer[] { new RefConv(2, 2, 48), new RefGelu(), }),
        ("OneRowSilu", new RefShape(6, 1, 32), new RefLayer[] { new RefConv(7, 1, 64) { PadLeft = 3, PadRight = 3 }, new RefSilu() }),
        ("Plane49Clip", new RefShape(7, 7, 32), new RefLayer[] { Padded(3, 128, 1), new RefClip(-0.5f, 0.5f) }),
        ("HardSigmoid16", new RefShape(3, 3, 24), new RefLayer[] { new RefConv(1, 1, 16), new RefHardSigmoid() }),
        ("Pointwise4x4From128", new RefShape(4, 4, 128), new RefLayer[] { new RefConv(1, 1, 64) }),
        ("PRelu100", new RefShape(3, 3, 32), new RefLayer[] { Padded(3, 100, 1), new RefPRelu() }),
        ("PReluThenRelu", new RefShape(2, 2, 64), new RefLayer[] { new RefConv(1, 1, 40), new RefPRelu(), new RefRelu() }),
        ("BatchNormFolded", new RefShape(3, 3, 64), new RefLayer[] { Padded(3, 72, 1), new RefBatchNorm(), new RefRelu() }),
        // The first conv writes into the second's bordered buffer; the second reads it (and writes the caller's output).
        ("PaddedChain", new RefShape(3, 3, 32), new RefLayer[] { Padded(3, 48, 1), new RefRelu(), Padded(3, 36, 1), new RefRelu() }),
        // A residual pair: the shortcut reads the block's input, the 3×3 reads a bordered copy of it.
        ("Residual", new RefShape(2, 2, 64), new RefLayer[]
        {
            Padded(3, 64, 1), new RefRelu { Name = "a" },
            new RefConv(1, 1, 64) { From = "Input", Name = "shortcut" },
            new RefAdd("a"), new RefRelu(),
        }),
    };

    private static readonly ReferenceCases Family = new(Cases, "C");

    [Fact]
    public void EveryCase_MatchesTheReference()
    {
        Family.AssertAllMatch(seedBase: 1100, output);
    }

    [Fact]
    public void EveryCase_AllocatesNothingPerForward()
    {
        Assert.Empty(Family.Allocating());
    }

    [Fact]
    public void EveryCase_TakesTheChannelKernel_AndBigMapsDoNot()
    {
        foreach (var (name, input, layers) in Cases)
        {
            string source = Generate(new ReferenceNetwork(input, layers));
            Assert.True(source.Contains("Avx512: output channels in the vector", StringComparison.Ordinal)
                && source.Contains("Avx2: output channels in the vector", StringComparison.Ordinal)
                && source.Contains("Vector128: output channels in the vector", StringComparison.Ordinal)
                && source.Contains("PackWeights(_parameters);", StringComparison.Ordinal), $"{name} does not use the channel kernel");
        }
        string big = Generate(new ReferenceNetwork(new RefShape(16, 16, 64), new RefLayer[] { Padded(3, 64, 1) }));
        Assert.DoesNotContain("output channels in the vector", big, StringComparison.Ordinal);
        Assert.DoesNotContain("PackWeights", big, StringComparison.Ordinal);
        string few = Generate(new ReferenceNetwork(new RefShape(3, 3, 64), new RefLayer[] { Padded(3, 8, 1) }));
        Assert.DoesNotContain("output channels in the vector", few, StringComparison.Ordinal); // 8 filters: half a vector
        string pointwise = Generate(new ReferenceNetwork(new RefShape(4, 4, 64), new RefLayer[] { new RefConv(1, 1, 384) }));
        Assert.DoesNotContain("output channels in the vector", pointwise, StringComparison.Ordinal); // a 1×1 over 16 pixels from 64 channels
    }

    [Fact]
    public void Constructor_LeavesTheCallersParametersAlone()
    {
        int k = Array.FindIndex(Cases, c => c.Name == "BatchNormFolded");
        float[] parameters = RandomNetworks.Parameters(Family.Networks[k], 5);
        float[] copy = parameters.ToArray();
        Family.Compiled.Create(Family.TypeName(k), parameters);
        Assert.Equal(copy, parameters);
    }

    /// <summary>A small, readable baseline: 16 filters of 1×1×4, stride 2, onto a 2×2 map with PRelu (panels, tiles, the scatter, per-lane slopes).</summary>
    [Fact]
    public void Snapshot_ChannelConv() => Snapshot.Verify("ChannelConv", Generate(
        new ReferenceNetwork(new RefShape(3, 3, 4), new RefLayer[] { new RefConv(1, 1, 16) { StrideX = 2, StrideY = 2 }, new RefPRelu() }), "Fixed", "ChannelConv"));
}
