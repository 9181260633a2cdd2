using System;
using CnnGen.TestSupport;
using Xunit;
using static CnnGen.Generator.Tests.PlainNetworkSource;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Strided convs onto few filters from many input channels, which run with input channels in the vector
/// (<c>CnnGen.ChannelDot</c>: the rows the windows read transposed into blocks of 16 channels a pixel, each output a dot
/// product of its window with its filter): filters 1–31 (tiles of 4 pixels × 1–6 filters, so every tile size of both
/// register budgets), channels that fill their blocks (16, 32, 64, 128) or not (40, 48, 71), strides 2–4 across and
/// down or one way only, kernels 2–9 wide, dilated across and down (one run per kernel column), padding on any side (a
/// bordered input, whose taps over the border are left out tile by tile, and maps where most taps read only the border),
/// rows strided down further than the kernel reaches (left out of the transpose), rows under 16 wide (transposed as one
/// run over the input's rows, padded or not), output planes not a multiple of 4
/// pixels, 1-D rows, a chain through a bordered buffer, and every activation that fuses (PRelu keeps the column
/// kernel). Checked against the reference on whichever kernels this machine runs (<see cref="InstructionSetTests"/>
/// reruns it on AVX2, on Vector128 with and without FMA, and without vectors: the scalar kernel), and checked to be the
/// path the generator picked.
/// </summary>
public sealed class ChannelDotTests(ITestOutputHelper output)
{
    private static RefConv Conv(int k, int filters, int stride, int pad = 0) =>
        new(k, k, filters) { PadLeft = pad, PadTop = pad, PadRight = pad, PadBottom = pad, StrideX = stride, StrideY = stride };

    private static readonly (string Name, RefShape Input, RefLayer[] Layers)[] Cases =
    {
        ("Kernel4Stride4Deep10Relu", new RefShape(7, 7, 128), new RefLayer[] { Conv(4, 10, stride: 4, pad: 1), new RefRelu() }),
        ("Kernel4Stride2Filters24HardSigmoid", new RefShape(19, 19, 64), new RefLayer[] { Conv(4, 24, stride: 2, pad: 1), new RefHardSigmoid() }),
        ("Tall2x7Stride4Filters5", new RefShape(40, 41, 64), new RefLayer[] { new RefConv(2, 7, 5) { StrideX = 4, StrideY = 4, PadRight = 1, PadBottom = 6 }, new RefRelu() }),
        ("Kernel5Stride4Channels48Filters17", new RefShape(19, 53, 48), new RefLayer[] { Conv(5, 17, stride: 4, pad: 2) }),
        ("Channels71Filters2Clip", new RefShape(45, 45, 71), new RefLayer[] { new RefConv(3, 3, 2) { StrideX = 4, StrideY = 4, PadLeft = 2, PadBottom = 2 }, new RefClip(-0.5f, 0.5f) }),
        ("Stride3Filters8", new RefShape(30, 30, 32), new RefLayer[] { Conv(3, 8, stride: 3, pad: 1) }),
        ("OneDimensionalStride3Channels40", new RefShape(387, 1, 40), new RefLayer[] { new RefConv(3, 1, 10) { StrideX = 3, PadLeft = 1, PadRight = 1 }, new RefTanh() }),
        ("UnevenPaddingFilters7Silu", new RefShape(17, 17, 64), new RefLayer[] { new RefConv(3, 3, 7) { StrideX = 2, StrideY = 2, PadLeft = 1, PadRight = 2, PadTop = 2, PadBottom = 1 }, new RefSilu() }),
        ("DilatedStride4Filters13", new RefShape(40, 40, 64), new RefLayer[] { new RefConv(3, 3, 13) { StrideX = 4, StrideY = 4, DilationX = 3, DilationY = 3, PadLeft = 3, PadRight = 3, PadTop = 3, PadBottom = 3 } }),
        ("AcrossOnlyFilters31Elu", new RefShape(24, 9, 16), new RefLayer[] { new RefConv(5, 3, 31) { StrideX = 3, PadLeft = 2, PadRight = 2, PadTop = 1, PadBottom = 1 }, new RefElu(0.5f) }),
        ("RowsBetweenWindowsFilters3", new RefShape(60, 60, 32), new RefLayer[] { new RefConv(4, 1, 3) { StrideX = 3, StrideY = 3, PadLeft = 2, PadRight = 3 }, new RefLeakyRelu(0.1f) }),
        ("MostlyBorder9x9Filters3", new RefShape(4, 4, 128), new RefLayer[] { Conv(9, 3, stride: 2, pad: 4) }),
        ("DeadColumnsDilatedFilters5", new RefShape(3, 38, 64), new RefLayer[] { new RefConv(3, 3, 5) { StrideX = 2, StrideY = 2, DilationX = 4, DilationY = 4, PadLeft = 4, PadRight = 4, PadTop = 4, PadBottom = 4 }, new RefHardSwish() }),
        ("SingleFilter", new RefShape(50, 50, 128), new RefLayer[] { new RefConv(3, 3, 1) { StrideX = 3, StrideY = 3, PadLeft = 2, PadTop = 2, PadBottom = 1 } }),
        ("Planes25Filters12Sigmoid", new RefShape(9, 9, 71), new RefLayer[] { Conv(3, 12, stride: 2, pad: 1), new RefSigmoid() }),
        ("NarrowUnpaddedRows", new RefShape(7, 20, 64), new RefLayer[] { Conv(3, 5, stride: 2), new RefRelu() }),
        ("PaddedChain", new RefShape(24, 24, 16), new RefLayer[] { new RefConv(3, 3, 32) { PadLeft = 1, PadRight = 1, PadTop = 1, PadBottom = 1 }, new RefRelu(), Conv(3, 9, stride: 3, pad: 1), new RefRelu6() }),
    };

    private static readonly ReferenceCases Family = new(Cases, "CD");

    [Fact]
    public void EveryCase_MatchesTheReference()
    {
        Family.AssertAllMatch(seedBase: 2900, output);
    }

    [Fact]
    public void EveryCase_AllocatesNothingPerForward()
    {
        Assert.Empty(Family.Allocating());
    }

    [Fact]
    public void EveryCase_RunsTheChannelDotKernel_AndOthersDoNot()
    {
        foreach (var (name, input, layers) in Cases)
        {
            Assert.True(Generate(new ReferenceNetwork(input, layers)).Contains("global::CnnGen.ChannelDot.Run<", StringComparison.Ordinal), $"{name} does not run the channel-dot kernel");
        }
        foreach (RefLayer[] layers in new[]
        {
            new RefLayer[] { Conv(3, 8, stride: 1, pad: 1) }, // stride 1
            new RefLayer[] { Conv(3, 32, stride: 2) }, // 32 filters: a vector of output channels
            new RefLayer[] { Conv(1, 8, stride: 2) }, // 1×1: the gathered pointwise kernel
            new RefLayer[] { Conv(3, 8, stride: 2), new RefPRelu() }, // per-channel slopes
            new RefLayer[] { new RefConv(3, 3, 8) { StrideX = 2, StrideY = 2, Groups = 4 } }, // grouped
            new RefLayer[] { Conv(2, 8, stride: 5) }, // 2×2 at stride 5: most transposed columns in no window
        })
        {
            Assert.DoesNotContain("ChannelDot", Generate(new ReferenceNetwork(new RefShape(40, 40, 64), layers)), StringComparison.Ordinal);
        }
        // Channels that fill under three quarters of their blocks, windows under 128 floats, and stride 2 across onto rows of 32 or more.
        Assert.DoesNotContain("ChannelDot", Generate(new ReferenceNetwork(new RefShape(40, 40, 8), new RefLayer[] { Conv(3, 8, stride: 3) })), StringComparison.Ordinal);
        // Strided down only (the column kernel reads whole rows), and stride 2 across from a single block of 16 channels.
        Assert.DoesNotContain("ChannelDot", Generate(new ReferenceNetwork(new RefShape(20, 22, 32), new RefLayer[] { new RefConv(3, 3, 6) { StrideY = 2, PadLeft = 1, PadRight = 1 }, new RefGelu() })), StringComparison.Ordinal);
        Assert.DoesNotContain("ChannelDot", Generate(new ReferenceNetwork(new RefShape(56, 56, 16), new RefLayer[] { new RefConv(3, 3, 5) { StrideX = 2, StrideY = 2, DilationX = 4, DilationY = 4, PadLeft = 4, PadRight = 4, PadTop = 4, PadBottom = 4 } })), StringComparison.Ordinal);
        Assert.DoesNotContain("ChannelDot", Generate(new ReferenceNetwork(new RefShape(40, 40, 33), new RefLayer[] { Conv(3, 8, stride: 3) })), StringComparison.Ordinal);
        Assert.DoesNotContain("ChannelDot", Generate(new ReferenceNetwork(new RefShape(187, 1, 16), new RefLayer[] { new RefConv(3, 1, 16) { StrideX = 2 } })), StringComparison.Ordinal);
        Assert.DoesNotContain("ChannelDot", Generate(new ReferenceNetwork(new RefShape(66, 20, 48), new RefLayer[] { Conv(3, 3, stride: 2, pad: 1) })), StringComparison.Ordinal);
    }
}
