using System;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;
using static CnnGen.Generator.Tests.PlainNetworkSource;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Grouped (not depthwise) convolutions run as one dense convolution per group (<c>GroupedConvEmitter.DenseGroups</c>: the
/// column kernel over each group's channel slices, the parameters reordered group by group at construction): 2, 3, 4 and 8
/// groups, groups of 2 to 32 channels and filters (mostly not a multiple of 16), 1×1, 3×3 and 5×5 windows, strides 1 and 2,
/// padding, maps narrower than a vector, every activation that fuses, a folded BatchNorm, a chain through a bordered buffer
/// and a residual; groups of 16 or more filters onto maps under 8 wide take the channel kernel
/// (<c>GroupedConvEmitter.ChannelGroups</c>: output channels in the vector, taps that read only padding left out). Checked against the reference on whichever kernels this machine runs (<see cref="InstructionSetTests"/>
/// reruns it on AVX2, on Vector128 with and without FMA, and without vectors), and checked to take the per-group path.
/// </summary>
public sealed class GroupedConvTests(ITestOutputHelper output)
{
    private static RefConv Grouped(int k, int filters, int groups, int pad = 0, int stride = 1) =>
        new(k, k, filters) { Groups = groups, PadLeft = pad, PadTop = pad, PadRight = pad, PadBottom = pad, StrideX = stride, StrideY = stride };

    private static readonly (string Name, RefShape Input, RefLayer[] Layers)[] Cases =
    {
        // ShuffleNet v1's grouped 1×1s: 3 groups of 20 → 15, 8 groups of 6 → 5, 3 groups of 32 (a whole AVX-512 vector).
        ("Pointwise3GroupsRelu", new RefShape(13, 11, 60), new RefLayer[] { Grouped(1, 45, 3), new RefRelu() }),
        ("Pointwise8GroupsRelu6", new RefShape(17, 9, 48), new RefLayer[] { Grouped(1, 40, 8), new RefRelu6() }),
        ("Pointwise3Groups32", new RefShape(20, 20, 96), new RefLayer[] { Grouped(1, 96, 3) }),
        ("Pointwise2GroupsStride2HardSwish", new RefShape(21, 15, 36), new RefLayer[] { Grouped(1, 34, 2, stride: 2), new RefHardSwish() }),
        ("Pointwise3GroupsTwoByTwoElu", new RefShape(2, 2, 96), new RefLayer[] { Grouped(1, 96, 3), new RefElu() }),
        // RegNet's and ResNeXt's 3×3s: groups of 9 → 11, 8, 2; strides 1 and 2, with and without padding.
        ("Conv3x3Groups4Silu", new RefShape(19, 10, 36), new RefLayer[] { Grouped(3, 44, 4, pad: 1), new RefSilu() }),
        ("Conv3x3Groups2Stride2Gelu", new RefShape(33, 17, 40), new RefLayer[] { Grouped(3, 34, 2, pad: 1, stride: 2), new RefGelu() }),
        ("Conv3x3Groups8Stride2Sigmoid", new RefShape(24, 23, 64), new RefLayer[] { Grouped(3, 64, 8, stride: 2), new RefSigmoid() }),
        ("Conv3x3Groups3Width2LeakyRelu", new RefShape(9, 7, 6), new RefLayer[] { Grouped(3, 6, 3, pad: 1), new RefLeakyRelu(0.1f) }),
        ("Conv3x3Groups4SmallMapTanh", new RefShape(3, 3, 64), new RefLayer[] { Grouped(3, 64, 4, pad: 1), new RefTanh() }),
        ("Conv3x3Groups4Clip", new RefShape(16, 5, 68), new RefLayer[] { Grouped(3, 36, 4, pad: 1), new RefClip(-1, 2) }),
        // AlexNet's original 2-group 5×5.
        ("Conv5x5Groups2Relu", new RefShape(13, 13, 24), new RefLayer[] { Grouped(5, 32, 2, pad: 2), new RefRelu() }),
        // Groups of 32+ channels and filters that the direct kernel takes (DirectConv per group, each group's panels):
        // AlexNet's 5×5 in small (2 groups of 40 → 36), a stride-2 3×3 (3 groups of 33 → 35, odd map), a dilated 3×3
        // (2 groups of 36 → 32, dilation 4 on 17×17, taps in the border left out), with a folded BatchNorm.
        ("Conv5x5Groups2Direct", new RefShape(15, 13, 80), new RefLayer[] { Grouped(5, 72, 2, pad: 2), new RefRelu() }),
        ("Conv3x3Groups3Stride2Direct", new RefShape(33, 21, 99), new RefLayer[] { Grouped(3, 105, 3, pad: 1, stride: 2), new RefHardSwish() }),
        ("Atrous3x3Groups2Direct", new RefShape(17, 17, 72), new RefLayer[] { new RefConv(3, 3, 64) { Groups = 2, DilationX = 4, DilationY = 4, PadLeft = 4, PadTop = 4, PadRight = 4, PadBottom = 4 }, new RefBatchNorm(), new RefRelu6() }),
        ("BatchNormFolded", new RefShape(11, 12, 32), new RefLayer[] { Grouped(3, 48, 4, pad: 1), new RefBatchNorm(), new RefRelu() }),
        // Groups of 16 or more filters onto small maps (rows under 8): output channels in the vector, several groups a tile
        // (GroupedConvEmitter.ChannelGroups). RegNetX's 2×2 stage (5 groups of 16: tiles of several groups and the rest), a
        // stride-2 step onto 4×4 (3 groups of 32), groups of 48 on 7×7 with a folded BatchNorm (chunks of filters on the
        // narrower vectors), groups of 24 and of 20 (no AVX-512 or no AVX2 variant), a 5×5 on a 3×3 map (most taps read
        // only padding), dilation 2 on a 5×3 map, and a 1×1 stride 2 onto 3×2.
        ("ChannelGroups2x2Width16Relu", new RefShape(2, 2, 80), new RefLayer[] { Grouped(3, 80, 5, pad: 1), new RefRelu() }),
        ("ChannelGroupsStride2Width32Silu", new RefShape(8, 8, 96), new RefLayer[] { Grouped(3, 96, 3, pad: 1, stride: 2), new RefSilu() }),
        ("ChannelGroups7x7Width48BatchNorm", new RefShape(7, 7, 64), new RefLayer[] { Grouped(3, 96, 2, pad: 1), new RefBatchNorm(), new RefRelu6() }),
        ("ChannelGroups4x4Width24HardSwish", new RefShape(4, 4, 48), new RefLayer[] { Grouped(3, 72, 3, pad: 1), new RefHardSwish() }),
        ("ChannelGroups5x5On3x3Width20", new RefShape(3, 3, 40), new RefLayer[] { Grouped(5, 40, 2, pad: 2) }),
        ("ChannelGroupsDilatedWidth16", new RefShape(5, 3, 48), new RefLayer[] { new RefConv(3, 3, 64) { Groups = 4, DilationX = 2, DilationY = 2, PadLeft = 2, PadTop = 2, PadRight = 2, PadBottom = 2 }, new RefTanh() }),
        ("ChannelGroupsPointwiseStride2", new RefShape(6, 4, 64), new RefLayer[] { Grouped(1, 64, 2, stride: 2), new RefElu() }),
        // PRelu's slopes sit after every bias: the grouped kernel keeps it (checked for the answer all the same).
        ("PReluKeepsTheGroupedKernel", new RefShape(10, 10, 24), new RefLayer[] { Grouped(3, 24, 3, pad: 1), new RefPRelu() }),
        // The grouped 1×1 writes into the grouped 3×3's bordered buffer; the 3×3 reads it.
        ("PaddedChain", new RefShape(14, 9, 48), new RefLayer[] { Grouped(1, 48, 4), new RefRelu(), Grouped(3, 48, 4, pad: 1), new RefRelu6() }),
        // A residual: ShuffleNet v1's unit at stride 1 without the shuffle, the sum of the block's input and its grouped 1×1s.
        ("Residual", new RefShape(12, 12, 48), new RefLayer[]
        {
            new RefRelu { Name = "a" },
            Grouped(1, 24, 3), new RefRelu(),
            Grouped(3, 24, 24, pad: 1),
            Grouped(1, 48, 3),
            new RefAdd("a"), new RefRelu(),
        }),
    };

    private static readonly ReferenceCases Family = new(Cases, "G");

    [Fact]
    public void EveryCase_MatchesTheReference()
    {
        Family.AssertAllMatch(seedBase: 1500, output);
    }

    [Fact]
    public void EveryCase_AllocatesNothingPerForward()
    {
        Assert.Empty(Family.Allocating());
    }

    [Fact]
    public void EveryCase_RunsItsGroupsAsDenseConvs_AndOthersDoNot()
    {
        foreach (var (name, input, layers) in Cases.Where(c => c.Name != "PReluKeepsTheGroupedKernel"))
        {
            string source = Generate(new ReferenceNetwork(input, layers));
            Assert.True(source.Contains("global::CnnGen.GroupedConv.InterleaveBiases(", StringComparison.Ordinal), $"{name} does not run its groups as dense convs");
        }
        // Depthwise, one filter per group, and PRelu (slopes after the biases): the grouped kernel.
        foreach (RefLayer[] layers in new[]
        {
            new RefLayer[] { Grouped(3, 24, 24, pad: 1) },
            new RefLayer[] { Grouped(3, 8, 8, pad: 1) },
            new RefLayer[] { Grouped(1, 12, 12) },
            Cases.Single(c => c.Name == "PReluKeepsTheGroupedKernel").Layers,
        })
        {
            Assert.DoesNotContain("InterleaveBiases", Generate(new ReferenceNetwork(new RefShape(10, 10, 24), layers)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WideGroups_TakeTheDirectKernelGroupByGroup()
    {
        foreach (var (name, input, layers) in Cases.Where(c => c.Name.EndsWith("Direct", StringComparison.Ordinal)))
        {
            string source = Generate(new ReferenceNetwork(input, layers));
            Assert.True(source.Contains("global::CnnGen.DirectConv.Run<", StringComparison.Ordinal) && source.Contains("for (int g = 0; g < ", StringComparison.Ordinal),
                $"{name} does not run the direct kernel per group");
        }
        // Groups of fewer than 32 channels (AlexNet's 5×5 with groups of 12): the column kernel per group.
        Assert.DoesNotContain("DirectConv.Run", Generate(new ReferenceNetwork(new RefShape(13, 13, 24), Cases.Single(c => c.Name == "Conv5x5Groups2Relu").Layers)), StringComparison.Ordinal);
    }

    [Fact]
    public void SmallMapsWithWideGroups_TakeTheChannelKernel()
    {
        foreach (var (name, input, layers) in Cases.Where(c => c.Name.StartsWith("ChannelGroups", StringComparison.Ordinal)))
        {
            string source = Generate(new ReferenceNetwork(input, layers));
            Assert.True(source.Contains("// Per group: panels [", StringComparison.Ordinal), $"{name} does not take the grouped channel kernel");
        }
        // Groups of 8 filters (the grouped column kernel per group runs them faster) and rows of 8: not this kernel.
        Assert.DoesNotContain("// Per group: panels [", Generate(new ReferenceNetwork(new RefShape(2, 2, 64), new RefLayer[] { Grouped(3, 64, 8, pad: 1) })), StringComparison.Ordinal);
        Assert.DoesNotContain("// Per group: panels [", Generate(new ReferenceNetwork(new RefShape(8, 8, 64), new RefLayer[] { Grouped(3, 64, 4, pad: 1) })), StringComparison.Ordinal);
    }
}
