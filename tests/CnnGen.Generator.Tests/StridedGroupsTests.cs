using System;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;
using static CnnGen.Generator.Tests.PlainNetworkSource;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Grouped and depthwise convolutions that no kernel along the output width vectorizes: strides of 3 and more across
/// (the row kernel reads stride-1 and stride-2 columns only) and output rows under 4 wide. Depthwise ones with 16 or
/// more channels take the channel blocks on AVX-512 (and AVX2 on small maps) for any filter, stride and dilation
/// (<c>GroupedConvEmitter.Blocks</c>: whole planes; <c>Bands</c>: a ring of transposed rows, kernel rows in a loop when a
/// row's taps pass the unroll budget); the others, and every instruction set without those, the phase-plane kernel
/// (<c>GroupedConvEmitter.Split</c> over <c>CnnGen.Subsample.PhasePlanes</c>: a group's input split by row and column
/// remainder once, then a stride-1 flattened conv, in bands of output rows on large maps). Checked against the reference
/// on whichever kernels this machine runs (<see cref="InstructionSetTests"/> reruns it on AVX2, on Vector128 with and
/// without FMA, and without vectors), and checked to take a vector kernel.
/// </summary>
public sealed class StridedGroupsTests(ITestOutputHelper output)
{
    private static RefConv Conv(int kw, int kh, int filters, int groups, int stride, int pad = 0) =>
        new(kw, kh, filters) { Groups = groups, PadLeft = pad, PadTop = pad, PadRight = pad, PadBottom = pad, StrideX = stride, StrideY = stride };

    private static readonly (string Name, RefShape Input, RefLayer[] Layers)[] Cases =
    {
        // Depthwise, 16+ channels: channel blocks (whole plane) and bands (ring of rows); asymmetric padding, a last block
        // of fewer than 16 channels, strides 3 and 4, a stride across only, dilation, a filter whose rows loop.
        ("Depthwise3x3Stride3Blocks", new RefShape(20, 20, 20), new RefLayer[] { Conv(3, 3, 20, 20, 3, pad: 1), new RefRelu() }),
        ("Depthwise9x9Stride4Bands", new RefShape(30, 26, 32), new RefLayer[] { new RefConv(9, 9, 32) { Groups = 32, StrideX = 4, StrideY = 4, PadLeft = 1, PadRight = 7, PadTop = 4, PadBottom = 2 } }),
        ("Depthwise5x5Stride4Elu", new RefShape(40, 40, 17), new RefLayer[] { Conv(5, 5, 17, 17, 4, pad: 2), new RefElu() }),
        ("Depthwise9x9Stride3RowLoop", new RefShape(40, 24, 16), new RefLayer[] { Conv(9, 9, 16, 16, 3, pad: 4), new RefHardSwish() }),
        ("Depthwise7x3Stride3Dilated", new RefShape(33, 21, 24), new RefLayer[] { new RefConv(7, 3, 24) { Groups = 24, StrideX = 3, StrideY = 3, DilationX = 2, PadLeft = 6, PadRight = 6, PadTop = 1, PadBottom = 1 }, new RefTanh() }),
        ("Depthwise3x3Stride3Dilated2Blocks", new RefShape(12, 10, 16), new RefLayer[] { new RefConv(3, 3, 16) { Groups = 16, StrideX = 3, StrideY = 3, DilationX = 2, DilationY = 2, PadLeft = 2, PadRight = 2, PadTop = 2, PadBottom = 2 }, new RefRelu() }),
        ("Depthwise3x3StrideAcross3", new RefShape(40, 12, 24), new RefLayer[] { new RefConv(3, 3, 24) { Groups = 24, StrideX = 3, PadLeft = 1, PadRight = 1, PadTop = 1, PadBottom = 1 }, new RefSilu() }),
        ("Depthwise3x5OnThreeByThree", new RefShape(3, 3, 48), new RefLayer[] { new RefConv(3, 5, 48) { Groups = 48, PadLeft = 1, PadRight = 1, PadTop = 2, PadBottom = 2 }, new RefRelu6() }),
        // The phase planes: PRelu's slopes (no channel blocks), fewer than 16 channels, a channel multiplier, groups of two
        // channels a filter, 3-wide rows at stride 2, a map split in bands of output rows.
        ("Depthwise5x5Stride3Dilated2PRelu", new RefShape(40, 40, 12), new RefLayer[] { new RefConv(5, 5, 12) { Groups = 12, StrideX = 3, StrideY = 3, DilationX = 2, DilationY = 2, PadLeft = 4, PadRight = 4, PadTop = 4, PadBottom = 4 }, new RefPRelu() }),
        ("Depthwise5x5Stride3EightChannels", new RefShape(28, 28, 8), new RefLayer[] { Conv(5, 5, 8, 8, 3, pad: 2), new RefSigmoid() }),
        ("Multiplier7x7Stride4Silu", new RefShape(13, 13, 3), new RefLayer[] { new RefConv(7, 7, 57) { Groups = 3, StrideX = 4, StrideY = 4, PadLeft = 4, PadTop = 3 }, new RefSilu() }),
        ("TwoChannelGroups5x5Stride3", new RefShape(33, 33, 16), new RefLayer[] { Conv(5, 5, 8, 8, 3, pad: 2), new RefGelu() }),
        ("Multiplier5x5Stride2ThreeWide", new RefShape(9, 60, 6), new RefLayer[] { Conv(5, 5, 18, 6, 2) }),
        ("TwoChannelGroupsStride3Banded", new RefShape(112, 112, 8), new RefLayer[] { Conv(5, 5, 4, 4, 3, pad: 2), new RefRelu() }),
        // Through a bordered buffer: a depthwise stride-3 conv reads the 1×1's output, then a stride-4 one onto 3-wide rows.
        ("Chain", new RefShape(27, 27, 16), new RefLayer[] { new RefConv(1, 1, 32), new RefRelu(), Conv(3, 3, 32, 32, 3, pad: 1), Conv(3, 3, 32, 32, 4, pad: 1), new RefRelu6() }),
    };

    private static readonly ReferenceCases Family = new(Cases, "S");

    [Fact]
    public void EveryCase_MatchesTheReference()
    {
        Family.AssertAllMatch(seedBase: 2700, output);
    }

    [Fact]
    public void EveryCase_AllocatesNothingPerForward()
    {
        Assert.Empty(Family.Allocating());
    }

    /// <summary>
    /// The cases whose input the phase planes would not repay (a 3×3/3's split costs what its nine taps do, see
    /// <c>GroupedConvEmitter.SplitApplies</c>): the channel blocks on AVX-512 (and AVX2 on small maps), the scalar kernel on
    /// the other instruction sets.
    /// </summary>
    private static readonly string[] BlocksOnly =
    {
        "Depthwise3x3Stride3Blocks", "Depthwise5x5Stride4Elu", "Depthwise7x3Stride3Dilated", "Depthwise3x5OnThreeByThree", "Depthwise3x3Stride3Dilated2Blocks", "Chain",
    };

    [Fact]
    public void EveryCase_HasVectorKernels()
    {
        foreach (var (name, input, layers) in Cases)
        {
            string source = Generate(new ReferenceNetwork(input, layers));
            foreach (string conv in layers.OfType<RefConv>().Where(c => c.Groups > 1).Select((_, i) => "Conv" + (i + (name == "Chain" ? 2 : 1))))
            {
                Assert.True(source.Contains($"Forward{conv}Avx512(", StringComparison.Ordinal), $"{name}: {conv} has no AVX-512 kernel");
                Assert.True(source.Contains($"Forward{conv}Vector128(", StringComparison.Ordinal) != BlocksOnly.Contains(name), $"{name}: {conv} {(BlocksOnly.Contains(name) ? "has" : "has no")} Vector128 kernel");
            }
        }
    }

    [Fact]
    public void DepthwiseOnes_TakeTheChannelBlocksOnAvx512_TheOthersThePhasePlanes()
    {
        foreach (var (name, input, layers) in Cases.Where(c => c.Name != "Chain"))
        {
            string source = Generate(new ReferenceNetwork(input, layers));
            bool blocks = name.StartsWith("Depthwise", StringComparison.Ordinal) && !name.Contains("PRelu", StringComparison.Ordinal) && !name.Contains("EightChannels", StringComparison.Ordinal);
            Assert.True(source.Contains("(depthwise, 16 channels a vector)", StringComparison.Ordinal) == blocks, $"{name}: channel blocks {(blocks ? "expected" : "not expected")}");
            Assert.True(source.Contains("global::CnnGen.Subsample.PhasePlanes(", StringComparison.Ordinal) != BlocksOnly.Contains(name), $"{name}: phase planes {(BlocksOnly.Contains(name) ? "not expected" : "expected")}");
        }
        Assert.Contains("for (int ky = 0; ky < 9; ky++)", Generate(new ReferenceNetwork(new RefShape(40, 24, 16), Cases.Single(c => c.Name == "Depthwise9x9Stride3RowLoop").Layers)), StringComparison.Ordinal);
        Assert.Contains("for (int band = 0; band < ", Generate(new ReferenceNetwork(new RefShape(112, 112, 8), Cases.Single(c => c.Name == "TwoChannelGroupsStride3Banded").Layers)), StringComparison.Ordinal);
    }

    /// <summary>
    /// Grouped convs strided 3 or 4 both ways over a matrix of filters, groupings and maps: every depthwise one with 16 or
    /// more channels has an AVX-512 kernel (the channel blocks), and every one with filters of 7×7 or more (enough taps
    /// to repay the phase split, see <c>GroupedConvEmitter.SplitApplies</c>) a Vector128 kernel too, so neither runs the
    /// scalar kernel on a vector machine. (Smaller filters at these strides keep the scalar kernel on the other
    /// instruction sets: splitting a 3×3/3's input costs what its nine taps do.)
    /// </summary>
    [Fact]
    public void StridedGroups_HaveVectorKernels()
    {
        int checkedLayers = 0;
        foreach (int stride in new[] { 3, 4 })
        {
            foreach (int k in new[] { 3, 5, 7, 9 })
            {
                foreach (int map in new[] { 17, 30, 56 })
                {
                    foreach ((int channels, int filters, int groups) in new[] { (32, 32, 32), (12, 12, 12), (4, 20, 4), (16, 8, 8) })
                    {
                        string source = Generate(new ReferenceNetwork(new RefShape(map, map, channels), new RefLayer[] { Conv(k, k, filters, groups, stride, pad: k / 2) }));
                        string layer = $"{k}×{k}/{stride} on {map}×{map}×{channels} onto {filters} in {groups} groups";
                        if (channels == 32)
                        {
                            Assert.True(source.Contains("ForwardConv1Avx512(", StringComparison.Ordinal), $"{layer} has no AVX-512 kernel");
                        }
                        if (k >= 7)
                        {
                            Assert.True(source.Contains("ForwardConv1Vector128(", StringComparison.Ordinal), $"{layer} has no Vector128 kernel");
                        }
                        checkedLayers++;
                    }
                }
            }
        }
        Assert.Equal(96, checkedLayers);
        Assert.DoesNotContain("ForwardConv1Vector128(", Generate(new ReferenceNetwork(new RefShape(9, 9, 12), new RefLayer[] { Conv(1, 1, 12, 12, 3) })), StringComparison.Ordinal);
    }
}
