using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;
using static CnnGen.Generator.Tests.PlainNetworkSource;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The direct convolution of the runtime library (<c>CnnGen.DirectConv</c>: output channels in the vector, a loop over
/// tiles of output pixels, weights in panels of 16) on the layers it is chosen for: stems over 3 channels with
/// kernels 3–11 and strides 2–4, any layer with a horizontal stride above 4 (patch embeddings, audio stems), stride-2 3×3 convs with many channels, stride-1 convs onto partly filled rows and
/// dilated ones, 1-D convs (strided 1×1 convs: <see cref="PointwiseTests"/>); paddings, odd widths and
/// heights, filter counts that leave partial vectors (16, 17, 24, 40, 64, 128), rows that end in a partial tile, rows
/// narrower than a tile, every activation that fuses, a folded BatchNorm, and a chain through a bordered buffer.
/// Checked against the reference on whichever kernels this machine runs (<see cref="InstructionSetTests"/> reruns it on
/// AVX2, on Vector128 with and without FMA, and without vectors), and checked to be the kernel the generator picked.
/// </summary>
public sealed class DirectConvTests(ITestOutputHelper output)
{
    private static RefConv Padded(int k, int filters, int pad, int stride) =>
        new(k, k, filters) { PadLeft = pad, PadTop = pad, PadRight = pad, PadBottom = pad, StrideX = stride, StrideY = stride };

    /// <summary>Each case: name, input, layers, and whether its rows take the AVX-512 tile of 16 pixels (at least 16 wide).</summary>
    private static readonly (string Name, RefShape Input, RefLayer[] Layers)[] Cases =
    {
        ("Stem7x7S2Relu", new RefShape(45, 37, 3), new RefLayer[] { Padded(7, 64, 3, 2), new RefRelu() }),
        ("Stem11x11S4Relu6Narrow", new RefShape(163, 50, 3), new RefLayer[] { Padded(11, 17, 2, 4), new RefRelu6() }),
        // (3×3/2 stems onto fewer than 32 filters run the column kernel over a split input: PhaseSplitTests; these are stride 3 across.)
        ("Stem3x3S3x2HardSwish24", new RefShape(121, 33, 3), new RefLayer[] { new RefConv(3, 3, 24) { StrideX = 3, StrideY = 2 }, new RefHardSwish() }),
        ("Stem3x3S2Clip32", new RefShape(35, 35, 3), new RefLayer[] { Padded(3, 32, 1, 2), new RefClip(0, 6) }),
        ("Stem4x4S3Silu16", new RefShape(120, 20, 3), new RefLayer[] { Padded(4, 16, 1, 3), new RefSilu() }), // (3×3/3 windows do not overlap: PatchTests)
        ("Kernel5S3Sigmoid40", new RefShape(50, 26, 5), new RefLayer[] { Padded(5, 40, 2, 3), new RefSigmoid() }),
        ("Down3x3S2Relu128", new RefShape(28, 28, 64), new RefLayer[] { Padded(3, 128, 1, 2), new RefRelu() }),
        ("Down3x3S2Wide", new RefShape(56, 9, 32), new RefLayer[] { Padded(3, 48, 1, 2), new RefRelu() }),
        ("Audio9S2Relu", new RefShape(101, 1, 40), new RefLayer[] { new RefConv(9, 1, 64) { StrideX = 2, PadLeft = 4, PadRight = 4 }, new RefRelu() }),
        ("Audio5S2Narrow", new RefShape(27, 1, 64), new RefLayer[] { new RefConv(5, 1, 128) { StrideX = 2, PadLeft = 2, PadRight = 2 }, new RefRelu() }),
        ("Width4Elu", new RefShape(9, 40, 16), new RefLayer[] { new RefConv(3, 3, 40) { StrideX = 2, StrideY = 2 }, new RefElu(0.5f) }),
        ("StrideXOnly", new RefShape(40, 12, 8), new RefLayer[] { new RefConv(3, 3, 33) { StrideX = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefGelu() }),
        ("Stride3Kernel5", new RefShape(121, 14, 4), new RefLayer[] { Padded(5, 24, 2, 3), new RefLeakyRelu(0.1f) }),
        // Stride 1 with windows of 5×5 and up over 32+ channels (AlexNet's features.3): odd widths, filters not a multiple of 16.
        ("StrideOne5x5Relu", new RefShape(27, 9, 32), new RefLayer[] { Padded(5, 48, 2, 1), new RefRelu() }),
        ("StrideOne7x5Odd", new RefShape(19, 8, 40), new RefLayer[] { new RefConv(7, 5, 33) { PadLeft = 3, PadRight = 3, PadTop = 1, PadBottom = 1 }, new RefHardSwish() }),
        // Stride 1 onto 8-wide maps with >= 1024 multiply-adds per output (VGG's 3×3 on 8×8×256–512): odd heights, partial vectors.
        ("DeepEight8x7Relu", new RefShape(8, 7, 120), new RefLayer[] { Padded(3, 40, 1, 1), new RefRelu() }),
        ("DeepEight8x9Relu6", new RefShape(8, 9, 136), new RefLayer[] { Padded(3, 56, 1, 1), new RefRelu6() }),
        // Stride 1 onto rows that fill less than 85 % of the column kernel's vectors (9–13, 17 wide), windows of 3+ taps over 192+
        // multiply-adds per output: 3×3 on 9-wide maps, Inception's 1×7 and 7×1, dilated windows (DeepLab's atrous convs).
        ("Deep3x3Nine", new RefShape(9, 10, 64), new RefLayer[] { Padded(3, 72, 1, 1), new RefRelu() }),
        ("OneBySeven17", new RefShape(17, 9, 32), new RefLayer[] { new RefConv(7, 1, 40) { PadLeft = 3, PadRight = 3 }, new RefRelu() }),
        ("SevenByOne11", new RefShape(11, 14, 48), new RefLayer[] { new RefConv(1, 7, 64) { PadTop = 3, PadBottom = 3 }, new RefRelu6() }),
        // The same rule over 8–31 channels (PartialRowTaps): 64+ multiply-adds per output on rows up to 16 wide, 128+ on wider
        // ones: 3×3 over 16 channels on 11 wide onto 40 filters, 5×5 over 12 on 9 wide onto 33, 3×3 over 8 on 13 wide (72),
        // 3×3 over 16 on 20 wide (144), a 1×5 over 24 on 19 wide (120 < 128: not taken, below).
        ("Shallow3x3Eleven", new RefShape(11, 12, 16), new RefLayer[] { Padded(3, 40, 1, 1), new RefRelu() }),
        ("Shallow5x5Nine", new RefShape(9, 14, 12), new RefLayer[] { Padded(5, 33, 2, 1), new RefHardSwish() }),
        ("Eight3x3Thirteen", new RefShape(13, 9, 8), new RefLayer[] { Padded(3, 48, 1, 1) }),
        ("Shallow3x3Twenty", new RefShape(20, 7, 16), new RefLayer[] { Padded(3, 64, 1, 1), new RefSilu() }),
        // Onto 16–31 filters where they fill as much of a vector of 16 channels as the row fills of the column kernel's: 24
        // filters on a 12-wide map (both 75 %), 16 onto 9 wide, 28 from 64 channels onto a 10-wide map with a 5×5 window.
        ("Few24Twelve", new RefShape(12, 10, 64), new RefLayer[] { Padded(3, 24, 1, 1), new RefRelu() }),
        ("Few16Nine", new RefShape(9, 9, 16), new RefLayer[] { Padded(3, 16, 1, 1) }),
        ("Few28Ten5x5", new RefShape(10, 11, 64), new RefLayer[] { Padded(5, 28, 2, 1), new RefRelu6() }),
        // One-column windows walked as one flat row (tiles across rows): dilated 3×1 with padding above and below (taps of a
        // tile that spans rows left out only when every row it spans reads the border), an unpadded 5×1, and a 7×1 writing
        // into a 1×7's bordered buffer (rows with gaps: walked row by row), which reads it.
        ("ThreeByOneFlatDilated", new RefShape(13, 9, 64), new RefLayer[] { new RefConv(1, 3, 36) { DilationY = 3, PadTop = 3, PadBottom = 3 }, new RefRelu() }),
        ("FiveByOneFlatUnpadded", new RefShape(9, 20, 48), new RefLayer[] { new RefConv(1, 5, 33) }),
        ("SevenByOneIntoOneBySeven", new RefShape(17, 6, 32), new RefLayer[] { new RefConv(1, 7, 40) { PadTop = 3, PadBottom = 3 }, new RefRelu(), new RefConv(7, 1, 40) { PadLeft = 3, PadRight = 3 }, new RefSilu() }),
        // One-column windows strided down only (stride 1 across): padded 7×1 at stride 2, unpadded 3×1 at stride 3.
        ("SevenByOneStrideDown", new RefShape(19, 15, 32), new RefLayer[] { new RefConv(1, 7, 40) { StrideY = 2, PadTop = 3, PadBottom = 3 }, new RefRelu() }),
        ("ThreeByOneStride3Down", new RefShape(21, 20, 64), new RefLayer[] { new RefConv(1, 3, 33) { StrideY = 3 }, new RefSilu() }),
        ("Dilated2Deep13", new RefShape(13, 11, 40), new RefLayer[] { new RefConv(3, 3, 48) { DilationX = 2, DilationY = 2, PadLeft = 2, PadTop = 2, PadRight = 2, PadBottom = 2 }, new RefRelu() }),
        ("DilatedAsymmetric17", new RefShape(17, 15, 32), new RefLayer[] { new RefConv(3, 3, 33) { DilationX = 3, DilationY = 2, PadLeft = 3, PadTop = 2, PadRight = 3, PadBottom = 2 }, new RefHardSwish() }),
        // Dilated convs whose kernel rows and columns reading only the zero border are left out (DirectConvShape.InputHeight):
        // DeepLab's ASPP at dilation 12 on a map shorter than twice the dilation (rows 7–11 read only the middle kernel row),
        // dilation 4 on 17×17 with 36 → 40 channels, asymmetric padding and dilations (3 across, 5 down, padding 6 left and
        // 9 below), and an unpadded dilated conv (no border). (A dilation past the whole map, where only the centre tap reads
        // input, runs as a 1×1 conv: ConvFamilyNetworks.DeadTapsAspp.)
        ("AtrousD12Short", new RefShape(33, 19, 40), new RefLayer[] { new RefConv(3, 3, 36) { DilationX = 12, DilationY = 12, PadLeft = 12, PadTop = 12, PadRight = 12, PadBottom = 12 }, new RefRelu() }),
        ("AtrousD4Odd", new RefShape(17, 17, 36), new RefLayer[] { new RefConv(3, 3, 40) { DilationX = 4, DilationY = 4, PadLeft = 4, PadTop = 4, PadRight = 4, PadBottom = 4 }, new RefLeakyRelu(0.1f) }),
        ("AtrousAsymmetric", new RefShape(21, 13, 32), new RefLayer[] { new RefConv(3, 3, 33) { DilationX = 3, DilationY = 5, PadLeft = 6, PadTop = 1, PadRight = 0, PadBottom = 9 }, new RefSilu() }),
        ("DilatedUnpadded", new RefShape(25, 13, 32), new RefLayer[] { new RefConv(3, 3, 40) { DilationX = 2, DilationY = 2 }, new RefTanh() }),
        // Dilated and strided: the 16-pixel AVX-512 tile (few taps, 20 outputs a row) and the 14 × 2 one (15 a row).
        ("DilatedS2Wide", new RefShape(40, 33, 5), new RefLayer[] { new RefConv(3, 3, 32) { StrideX = 2, StrideY = 2, DilationX = 2, DilationY = 2, PadLeft = 2, PadTop = 2, PadRight = 2, PadBottom = 2 }, new RefRelu() }),
        ("DilatedS2Deep", new RefShape(30, 20, 32), new RefLayer[] { new RefConv(3, 3, 40) { StrideX = 2, StrideY = 2, DilationX = 2, DilationY = 2, PadLeft = 2, PadTop = 2, PadRight = 2, PadBottom = 2 }, new RefSilu() }),
        // AVX-512 tiles whose pixels leave the transpose through stores of 8 + 4 + 2 + 1 (tiles of 12, 9, 11, 7, 6 and 5
        // pixels), with filter counts that leave 4, 8 or 1 channels in the last group of 16.
        ("Stem11x11S4Width12", new RefShape(51, 23, 3), new RefLayer[] { Padded(11, 36, 2, 4), new RefRelu() }),
        ("Stem11x11S4Width9", new RefShape(39, 30, 3), new RefLayer[] { Padded(11, 64, 2, 4), new RefRelu() }),
        ("Stem7x7S2Width11", new RefShape(21, 25, 4), new RefLayer[] { Padded(7, 40, 3, 2), new RefRelu() }),
        ("Kernel5S2Width7", new RefShape(13, 40, 8), new RefLayer[] { Padded(5, 33, 2, 2), new RefRelu6() }),
        ("Down3x3S2Width6", new RefShape(11, 70, 24), new RefLayer[] { Padded(3, 40, 1, 2), new RefRelu() }),
        ("Down3x3S2Width5", new RefShape(9, 70, 24), new RefLayer[] { Padded(3, 49, 1, 2) }),
        ("BatchNormFolded", new RefShape(38, 21, 3), new RefLayer[] { Padded(5, 32, 2, 2), new RefBatchNorm(), new RefRelu() }),
        // Horizontal strides above 4 (no column kernel gathers them): patch embeddings (ViT's 16×16/16, 8×8/8 onto 12
        // filters: fewer than a vector), 1-D audio stems (stride 5 onto 40 filters; a 25-tap window at stride 20, a
        // stride the runtime has no constant type for: the generated struct), stride 6 with padding and dilation, and
        // 5×3 windows at stride (7, 2).
        ("Patch16S16", new RefShape(256, 48, 3), new RefLayer[] { new RefConv(16, 16, 40) { StrideX = 16, StrideY = 16 } }),
        ("Patch8S8Few", new RefShape(40, 24, 3), new RefLayer[] { new RefConv(8, 8, 12) { StrideX = 8, StrideY = 8 }, new RefRelu() }),
        ("Audio10S5", new RefShape(403, 1, 1), new RefLayer[] { new RefConv(10, 1, 40) { StrideX = 5 }, new RefGelu() }),
        ("Audio25S20", new RefShape(1000, 1, 2), new RefLayer[] { new RefConv(25, 1, 17) { StrideX = 20, PadLeft = 3, PadRight = 3 } }),
        ("Dilated3S6Padded", new RefShape(71, 13, 5), new RefLayer[] { new RefConv(3, 3, 20) { StrideX = 6, StrideY = 3, DilationX = 2, DilationY = 2, PadLeft = 2, PadTop = 2, PadRight = 2, PadBottom = 2 }, new RefRelu6() }),
        ("Window5x3S7", new RefShape(60, 9, 4), new RefLayer[] { new RefConv(5, 3, 33) { StrideX = 7, StrideY = 2 } }),
        // Strided onto rows under 4 wide with planes over 49 outputs, which the column and channel kernels do not take (the
        // scalar kernel before): 3 × 19 outputs onto 20 filters, and 2 × 30 onto a single filter.
        ("NarrowStrided3Wide", new RefShape(5, 37, 24), new RefLayer[] { Padded(5, 20, 2, 2), new RefRelu6() }),
        ("NarrowStridedOneFilter", new RefShape(3, 60, 8), new RefLayer[] { Padded(3, 1, 1, 2) }),
        // The stem writes into the second conv's bordered buffer; the second (a 10×10 plane) reads it.
        ("PaddedChain", new RefShape(40, 40, 3), new RefLayer[] { Padded(3, 32, 1, 2), new RefRelu(), Padded(3, 48, 1, 2), new RefRelu() }),
    };

    private static readonly ReferenceCases Family = new(Cases, "D");

    [Fact]
    public void EveryCase_MatchesTheReference()
    {
        Family.AssertAllMatch(seedBase: 1300, output);
    }

    [Fact]
    public void EveryCase_AllocatesNothingPerForward()
    {
        Assert.Empty(Family.Allocating());
    }

    [Fact]
    public void EveryCase_TakesTheDirectKernel_AndOthersDoNot()
    {
        foreach (var (name, input, layers) in Cases)
        {
            string source = Generate(new ReferenceNetwork(input, layers));
            Assert.True(source.Contains("global::CnnGen.DirectConv.Run<", StringComparison.Ordinal)
                && source.Contains("PackWeights(_parameters);", StringComparison.Ordinal), $"{name} does not use the direct kernel");
        }
        // PRelu reads a slope per channel: not this kernel's epilogue.
        string prelu = Generate(new ReferenceNetwork(new RefShape(40, 40, 3), new RefLayer[] { Padded(3, 32, 1, 2), new RefPRelu() }));
        Assert.DoesNotContain("DirectConv.Run", prelu, StringComparison.Ordinal);
        // Fewer than 16 filters, stride 1 over few channels, groups: not this kernel.
        foreach (RefLayer[] layers in new[]
        {
            new RefLayer[] { Padded(3, 8, 1, 2) },
            new RefLayer[] { Padded(3, 32, 1, 1) },
            new RefLayer[] { new RefConv(3, 3, 33) { StrideX = 2, StrideY = 2, Groups = 3 } },
        })
        {
            Assert.DoesNotContain("DirectConv.Run", Generate(new ReferenceNetwork(new RefShape(40, 40, 3), layers)), StringComparison.Ordinal);
        }
        Assert.DoesNotContain("DirectConv.Run", Generate(new ReferenceNetwork(new RefShape(8, 8, 64), new RefLayer[] { Padded(3, 64, 1, 2) })), StringComparison.Ordinal);
        // Stride 1 over fewer multiply-adds per output than PartialRowTaps (120 on a 19-wide row, 36 on an 11-wide one), over
        // fewer than 8 channels, or onto fewer filters than fill the vectors as well as the row does: the column kernel keeps them.
        foreach (var (input, layer) in new (RefShape, RefConv)[]
        {
            (new RefShape(19, 6, 24), new RefConv(5, 1, 48) { PadLeft = 2, PadRight = 2 }),
            (new RefShape(11, 11, 4), Padded(3, 48, 1, 1)),
            (new RefShape(11, 11, 6), Padded(5, 48, 2, 1)),
            (new RefShape(12, 12, 64), Padded(3, 12, 1, 1)), // 12 filters: 75 % of a vector, as much as the 12-wide row, but too few
            (new RefShape(20, 20, 32), Padded(3, 17, 1, 1)), // 17 filters fill 53 % of two vectors, the 20-wide row 63 % of two
        })
        {
            Assert.DoesNotContain("DirectConv.Run", Generate(new ReferenceNetwork(input, new RefLayer[] { layer })), StringComparison.Ordinal);
        }
        // Stride 1 onto rows that fill the column kernel's vectors (16 and 28 wide): the column kernel keeps them.
        foreach (int width in new[] { 16, 28 })
        {
            string full = Generate(new ReferenceNetwork(new RefShape(width, 5, 64), new RefLayer[] { new RefConv(7, 1, 64) { PadLeft = 3, PadRight = 3 } }));
            Assert.DoesNotContain("DirectConv.Run", full, StringComparison.Ordinal);
        }
        // A stride the runtime has no constant type for: the generated code declares one.
        string stride20 = Generate(new ReferenceNetwork(new RefShape(1000, 1, 2), Cases.Single(c => c.Name == "Audio25S20").Layers));
        Assert.Contains("private readonly struct Conv1Stride : global::CnnGen.IConstant", stride20, StringComparison.Ordinal);
        Assert.Contains("public static int Value => 20;", stride20, StringComparison.Ordinal);
        // The dilation reaches the kernel.
        string dilated = Generate(new ReferenceNetwork(new RefShape(17, 15, 32), Cases.Single(c => c.Name == "DilatedAsymmetric17").Layers));
        Assert.Contains("DilationX: 3, DilationY: 2", dilated, StringComparison.Ordinal);
        // A one-column window over rows without gaps walks the plane as one row.
        string flat = Generate(new ReferenceNetwork(new RefShape(11, 14, 48), Cases.Single(c => c.Name == "SevenByOne11").Layers));
        Assert.Contains("OutputWidth: 154, OutputHeight: 1", flat, StringComparison.Ordinal);
        Assert.Contains("FlatRowWidth: 11, PadTop: 3", flat, StringComparison.Ordinal);
        // So does where the input lies in its zero border (the kernel leaves out taps that read only the border).
        Assert.Contains("PadTop: 2, PadLeft: 3, InputHeight: 15, InputWidth: 17", dilated, StringComparison.Ordinal);
    }

    /// <summary>A small, readable baseline: 32 filters of 3×3×3, stride 2, padding 1, HardSwish, on a 20×17 map (the call, the epilogue struct, the panels).</summary>
    [Fact]
    public void Snapshot_DirectConv() => Snapshot.Verify("DirectConv", Generate(
        new ReferenceNetwork(new RefShape(20, 17, 3), new RefLayer[] { Padded(3, 32, 1, 2), new RefHardSwish() }), "Fixed", "DirectConv"));
}
