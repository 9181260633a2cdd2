using System;
using CnnGen.TestSupport;
using Xunit;
using static CnnGen.Generator.Tests.PlainNetworkSource;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Convs whose windows do not overlap (kernel at most the stride both ways: ConvNeXt's 4×4/4 stem and 2×2/2 down-steps,
/// a ViT's patch embedding) onto at least 16 filters and output rows at least 28 wide, which gather every window tap as a
/// channel of its own (<c>CnnGen.Subsample.Patches</c>) and run a 1×1 conv over them: 4×4/4 from 3 channels with input
/// columns and rows left over, 2×2/2, a 3×3/3 with padding (gathered border) onto 17 filters, a 2×2 window at stride 3
/// (gaps between windows), 4×1 across only, a 1-D 5/5 with a folded BatchNorm and SiLU, PRelu's per-channel slopes, and
/// a chain into a bordered buffer. Checked against the reference on whichever kernels this machine runs
/// (<see cref="InstructionSetTests"/> reruns it on AVX2, on Vector128 with and without FMA, and without vectors), and
/// checked to take that path; layers just outside it keep theirs.
/// </summary>
public sealed class PatchTests(ITestOutputHelper output)
{
    private static RefConv Patch(int k, int filters, int stride, int pad = 0) =>
        new(k, k, filters) { StrideX = stride, StrideY = stride, PadLeft = pad, PadTop = pad, PadRight = pad, PadBottom = pad };

    private static readonly (string Name, RefShape Input, RefLayer[] Layers)[] Cases =
    {
        ("Stem4x4LeftOver", new RefShape(119, 14, 3), new RefLayer[] { Patch(4, 24, 4) }),
        ("Down2x2Relu", new RefShape(58, 10, 20), new RefLayer[] { Patch(2, 32, 2), new RefRelu() }),
        ("Padded3x3Filters17", new RefShape(86, 8, 8), new RefLayer[] { Patch(3, 17, 3, pad: 1), new RefRelu6() }),
        ("Gaps2x2Stride3", new RefShape(90, 9, 5), new RefLayer[] { Patch(2, 16, 3), new RefTanh() }),
        ("AcrossOnly4x1", new RefShape(120, 5, 6), new RefLayer[] { new RefConv(4, 1, 20) { StrideX = 4 } }),
        ("OneDimensionalBatchNormSilu", new RefShape(200, 1, 12), new RefLayer[] { new RefConv(5, 1, 24) { StrideX = 5 }, new RefBatchNorm(), new RefSilu() }),
        ("PReluSlopes", new RefShape(60, 6, 7), new RefLayer[] { Patch(2, 40, 2), new RefPRelu() }),
        ("IntoPadded", new RefShape(116, 12, 3), new RefLayer[] { Patch(4, 16, 4), new RefRelu(), new RefConv(3, 3, 8) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 } }),
    };

    private static readonly ReferenceCases Family = new(Cases, "PT");

    [Fact]
    public void EveryCase_MatchesTheReference()
    {
        Family.AssertAllMatch(seedBase: 2600, output);
    }

    [Fact]
    public void EveryCase_AllocatesNothingPerForward()
    {
        Assert.Empty(Family.Allocating());
    }

    [Fact]
    public void EveryCase_TakesItsPath()
    {
        foreach (var (name, input, layers) in Cases)
        {
            Assert.Contains("global::CnnGen.Subsample.Patches(", Generate(new ReferenceNetwork(input, layers)), StringComparison.Ordinal);
        }
        // Just outside: 15 filters (the column kernel), output rows 16 and 20 wide (the direct kernel), overlapping windows,
        // dilation.
        foreach (var (input, layer) in new[]
        {
            (new RefShape(46, 10, 20), Patch(2, 15, 2)),
            (new RefShape(32, 10, 20), Patch(2, 32, 2)),
            (new RefShape(60, 9, 16), Patch(3, 32, 3)),
            (new RefShape(46, 10, 20), Patch(3, 32, 2)),
            (new RefShape(66, 9, 5), new RefConv(2, 2, 16) { StrideX = 3, StrideY = 3, DilationX = 2, DilationY = 2 }),
        })
        {
            Assert.DoesNotContain("Subsample.Patches", Generate(new ReferenceNetwork(input, new RefLayer[] { layer })), StringComparison.Ordinal);
        }
    }
}
