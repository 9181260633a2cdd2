using System;
using CnnGen.TestSupport;
using Xunit;
using static CnnGen.Generator.Tests.PlainNetworkSource;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Stride-2 (across) convs on the column kernel whose input is first split into its even and odd columns
/// (<c>CnnGen.Subsample.Phases</c>, then the column kernel with contiguous taps), and stride 3 and 4 ones into three or
/// four phases (kernels 2–7, one narrower than the stride, 1-D, across only, grouped): few filters (5–20, none a multiple
/// of the vector but 16), few channels (1–20; 16 or more that fill three quarters of blocks of 16 run ChannelDotTests' kernel), kernels 2–7 wide (even and odd, so the odd phase is as long as the even
/// one or one shorter), odd and even input widths, padding (a bordered input), vertical strides 1–3 and dilation 2 down,
/// output rows 8–15 wide (two rows to an AVX-512 vector) and 16 and wider, 1-D rows, grouped convs whose groups run as
/// dense convs (the split once for every group), a chain through a bordered buffer, layers of at least 32K multiply-adds, and every activation that fuses
/// (PRelu's per-channel slopes included). Checked against the reference on whichever kernels this machine runs
/// (<see cref="InstructionSetTests"/> reruns it on AVX2, on Vector128 with and without FMA, and without vectors: the
/// scalar kernel on the input as it is), and checked to be the path the generator picked.
/// </summary>
public sealed class PhaseSplitTests(ITestOutputHelper output)
{
    private static RefConv Conv(int k, int filters, int pad = 0, int stride = 2) =>
        new(k, k, filters) { PadLeft = pad, PadTop = pad, PadRight = pad, PadBottom = pad, StrideX = stride, StrideY = stride };

    private static readonly (string Name, RefShape Input, RefLayer[] Layers)[] Cases =
    {
        ("SmallStem10Relu", new RefShape(41, 17, 3), new RefLayer[] { Conv(3, 10), new RefRelu() }),
        ("Twenty10Relu6", new RefShape(49, 11, 10), new RefLayer[] { Conv(3, 20), new RefRelu6() }),
        ("Padded12HardSwish", new RefShape(64, 9, 3), new RefLayer[] { Conv(3, 12, pad: 1), new RefHardSwish() }),
        ("Kernel5Sixteen8Sigmoid", new RefShape(40, 14, 8), new RefLayer[] { Conv(5, 16), new RefSigmoid() }),
        ("Kernel2Even", new RefShape(34, 16, 8), new RefLayer[] { Conv(2, 8) }),
        ("Kernel4PaddedSilu", new RefShape(33, 20, 3), new RefLayer[] { Conv(4, 7, pad: 1), new RefSilu() }),
        ("Kernel7Deep12Tanh", new RefShape(45, 15, 12), new RefLayer[] { Conv(7, 12, pad: 3), new RefTanh() }), // (16 channels: ChannelDotTests)
        ("RowsOf10Elu", new RefShape(21, 21, 8), new RefLayer[] { Conv(3, 6), new RefElu(0.5f) }),
        ("RowsOf13Clip", new RefShape(28, 12, 6), new RefLayer[] { Conv(3, 9, pad: 1), new RefClip(-1, 2) }),
        ("StrideXOnlyLeaky", new RefShape(40, 9, 5), new RefLayer[] { new RefConv(3, 3, 5) { StrideX = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefLeakyRelu(0.1f) }),
        ("StrideY3Wide5x3Gelu", new RefShape(51, 13, 3), new RefLayer[] { new RefConv(5, 3, 11) { StrideX = 2, StrideY = 3 }, new RefGelu() }),
        ("DilatedDown", new RefShape(38, 13, 4), new RefLayer[] { new RefConv(3, 3, 10) { StrideX = 2, StrideY = 2, DilationY = 2, PadTop = 2, PadBottom = 2, PadLeft = 1, PadRight = 1 }, new RefRelu() }),
        ("OneDimensional", new RefShape(301, 1, 16), new RefLayer[] { new RefConv(5, 1, 6) { StrideX = 2, PadLeft = 2, PadRight = 2 }, new RefRelu() }),
        ("SingleChannel5", new RefShape(67, 49, 1), new RefLayer[] { Conv(3, 5) }),
        ("PReluSlopes", new RefShape(36, 16, 3), new RefLayer[] { Conv(3, 10, pad: 1), new RefPRelu() }),
        ("Grouped4Of16", new RefShape(36, 10, 64), new RefLayer[] { new RefConv(3, 3, 64) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, Groups = 4 }, new RefRelu() }),
        ("Grouped8Of3Odd", new RefShape(35, 7, 24), new RefLayer[] { new RefConv(3, 3, 40) { StrideX = 2, StrideY = 2, Groups = 8 }, new RefHardSwish() }),
        // Stride 2 onto 16–31 filters over rows wider than 32 with few taps, which the direct kernel took before the split.
        ("Stem3x3S2HardSwish24", new RefShape(81, 33, 3), new RefLayer[] { Conv(3, 24), new RefHardSwish() }),
        ("Deep3x3S2Silu16", new RefShape(66, 20, 8), new RefLayer[] { Conv(3, 16, pad: 1), new RefSilu() }),
        ("PaddedChain", new RefShape(50, 20, 3), new RefLayer[] { Conv(3, 10, pad: 1), new RefRelu(), Conv(3, 20, pad: 1), new RefRelu6() }),
        // Strides 3 and 4 across: three or four phases, the shorter ones filled with zeros.
        ("Stride3Kernel7Padded", new RefShape(70, 12, 8), new RefLayer[] { Conv(7, 8, pad: 3, stride: 3), new RefRelu() }),
        ("Stride4Kernel3Odd", new RefShape(75, 20, 12), new RefLayer[] { Conv(3, 10, pad: 1, stride: 4), new RefSilu() }),
        ("Stride4OneDimensional", new RefShape(441, 1, 20), new RefLayer[] { new RefConv(3, 1, 8) { StrideX = 4, PadLeft = 1, PadRight = 1 }, new RefClip(-0.5f, 0.5f) }),
        ("Stride3KernelBelowStride", new RefShape(66, 30, 5), new RefLayer[] { Conv(2, 8, stride: 3), new RefPRelu() }),
        ("Stride3AcrossOnly20", new RefShape(64, 7, 12), new RefLayer[] { new RefConv(5, 3, 20) { StrideX = 3, PadLeft = 2, PadRight = 2, PadTop = 1, PadBottom = 1 } }),
        ("Stride3Grouped2Of8", new RefShape(62, 10, 16), new RefLayer[] { new RefConv(5, 5, 16) { Groups = 2, StrideX = 3, StrideY = 3, PadLeft = 2, PadTop = 2, PadRight = 2, PadBottom = 2 } }),
    };

    private static readonly ReferenceCases Family = new(Cases, "PS");

    [Fact]
    public void EveryCase_MatchesTheReference()
    {
        Family.AssertAllMatch(seedBase: 2300, output);
    }

    [Fact]
    public void EveryCase_AllocatesNothingPerForward()
    {
        Assert.Empty(Family.Allocating());
    }

    [Fact]
    public void EveryCase_SplitsItsInput_AndOthersDoNot()
    {
        foreach (var (name, input, layers) in Cases)
        {
            string source = Generate(new ReferenceNetwork(input, layers));
            Assert.True(source.Contains("global::CnnGen.Subsample.Phases(", StringComparison.Ordinal), $"{name} does not split its input");
            Assert.DoesNotContain("Avx.Shuffle(", source, StringComparison.Ordinal);
        }
        foreach (RefLayer[] layers in new[]
        {
            new RefLayer[] { Conv(3, 8, stride: 1) }, // stride 1
            new RefLayer[] { Conv(3, 8, stride: 5) }, // stride 5: the strided gathers
            new RefLayer[] { new RefConv(3, 3, 8) { StrideX = 2, StrideY = 2, DilationX = 2 } }, // dilated across
            new RefLayer[] { Conv(1, 8) }, // 1×1: Subsample.Run
            new RefLayer[] { Conv(3, 64, pad: 1) }, // 64 filters on 20-wide rows: the direct kernel
            new RefLayer[] { new RefConv(3, 3, 8) { StrideX = 2, StrideY = 2, Groups = 8 } }, // depthwise
        })
        {
            Assert.DoesNotContain("Subsample.Phases", Generate(new ReferenceNetwork(new RefShape(40, 12, 8), layers)), StringComparison.Ordinal);
        }
        // Stride 5 across over enough work: still the strided gathers; stride 3 onto 24 filters on rows wider than 32: the direct kernel.
        Assert.DoesNotContain("Subsample.Phases", Generate(new ReferenceNetwork(new RefShape(90, 20, 8), new RefLayer[] { Conv(3, 8, stride: 5) })), StringComparison.Ordinal);
        Assert.DoesNotContain("Subsample.Phases", Generate(new ReferenceNetwork(new RefShape(120, 12, 3), new RefLayer[] { Conv(3, 24, stride: 3) })), StringComparison.Ordinal);
        // 24 filters over 128 or more taps (16 channels of 3×3) on rows wider than 32: the direct kernel.
        Assert.DoesNotContain("Subsample.Phases", Generate(new ReferenceNetwork(new RefShape(80, 12, 16), new RefLayer[] { Conv(3, 24) })), StringComparison.Ordinal);
        // 16 filters over fewer than 64 taps (MobileNetV3's stem) on rows wider than 32: the direct kernel, whose vectors they fill.
        Assert.DoesNotContain("Subsample.Phases", Generate(new ReferenceNetwork(new RefShape(66, 20, 3), new RefLayer[] { Conv(3, 16, pad: 1), new RefHardSwish() })), StringComparison.Ordinal);
        // Output rows narrower than 8 (the strided gathers of the flat walk), and under 32K multiply-adds (8×8×4 from 3 channels).
        Assert.DoesNotContain("Subsample.Phases", Generate(new ReferenceNetwork(new RefShape(13, 12, 8), new RefLayer[] { Conv(3, 8) })), StringComparison.Ordinal);
        Assert.DoesNotContain("Subsample.Phases", Generate(new ReferenceNetwork(new RefShape(17, 15, 3), new RefLayer[] { Conv(3, 4, pad: 1) })), StringComparison.Ordinal);
    }
}
