using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using CnnGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Bordered buffers shared between padded kernels (<c>BufferPlan</c>'s <c>SharedBorder</c>): MobileNetV2-style blocks
/// whose depthwise convs (stride 1 and 2, 48, 72 and 32 channels) read one buffer in turn, two padded convs whose
/// buffers are live at once (never shared), and a max pool's −∞-bordered buffer followed by a conv's zero-bordered one
/// of the same shape (never shared). Checked against the reference on whichever kernels this machine runs
/// (<see cref="InstructionSetTests"/> reruns it on AVX2, on Vector128 with and without FMA, and without vectors), and
/// checked to share exactly where it may.
/// </summary>
public sealed class SharedBorderTests(ITestOutputHelper output)
{
    private static RefConv Depthwise(int channels, int stride = 1) =>
        new(3, 3, channels) { Groups = channels, StrideX = stride, StrideY = stride, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 };

    private static readonly (string Name, RefShape Input, RefLayer[] Layers)[] Cases =
    {
        // Three blocks on 14×14: each expansion 1×1 writes into the next depthwise conv's 16×16 bordered buffer, the one
        // buffer they all use (the deepest, 72 channels, sets its size); the last depthwise conv has stride 2.
        ("Blocks", new RefShape(14, 14, 8), new RefLayer[]
        {
            new RefConv(1, 1, 16) { Name = "x" },
            new RefConv(1, 1, 48), new RefRelu6(), Depthwise(48) with { Name = "d1" }, new RefRelu6(), new RefConv(1, 1, 16), new RefAdd("x") { Name = "y" },
            new RefConv(1, 1, 72), new RefRelu6(), Depthwise(72) with { Name = "d2" }, new RefRelu6(), new RefConv(1, 1, 16), new RefAdd("y"),
            new RefConv(1, 1, 32), new RefRelu6(), Depthwise(32, stride: 2) with { Name = "d3" }, new RefRelu6(), new RefConv(1, 1, 24),
        }),
        // Two padded convs of one shape whose buffers are both written before either is read: never shared.
        ("Overlap", new RefShape(10, 9, 8), new RefLayer[]
        {
            new RefConv(1, 1, 12) { Name = "a" }, new RefConv(1, 1, 12) { Name = "b", From = "Input" },
            Depthwise(12) with { Name = "da", From = "a" }, new RefSilu(), Depthwise(12) with { Name = "db", From = "b" }, new RefAdd("da"),
        }),
        // A 3×3/2 max pool whose −∞ border the conv before it writes into, then a conv whose zero-bordered buffer has the
        // same padded plane (16×16 around 14×14) and is written after the pool has run: never shared.
        ("MaxThenConv", new RefShape(14, 14, 6), new RefLayer[]
        {
            new RefConv(1, 1, 6), new RefPool(true, 3, 3, 2, 2) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, Name = "mp" },
            new RefUpsample(2, 2) { Name = "u" },
            new RefConv(1, 1, 10) { From = "Input" }, new RefConv(3, 3, 10) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, Name = "c" }, new RefRelu(),
            new RefConcat("u"),
        }),
    };

    private static readonly ReferenceCases Family = new(Cases, "SB");

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
    public void BuffersAreSharedExactlyWhereTheyMay()
    {
        Dictionary<string, string> blocks = InputOffsets(Cases[0]), overlap = InputOffsets(Cases[1]), max = InputOffsets(Cases[2]);

        Assert.Equal(blocks["d1"], blocks["d2"]);
        Assert.Equal(blocks["d1"], blocks["d3"]);
        Assert.NotEqual(overlap["da"], overlap["db"]);
        Assert.NotEqual(max["mp"], max["c"]);
    }

    /// <summary>Where in scratch each layer's kernel reads its input, by layer name, from the generated forward pass.</summary>
    private static Dictionary<string, string> InputOffsets((string Name, RefShape Input, RefLayer[] Layers) c)
    {
        GeneratorRun run = GeneratorHarness.Run(new ReferenceNetwork(c.Input, c.Layers).ToPlainSource("SB", c.Name));
        run.ThrowIfGeneratorFailed();
        var offsets = new Dictionary<string, string>();
        foreach (Match m in Regex.Matches(run.Source(c.Name), @"Forward(\w+)\(ref (?:\w+\.Add\(ref scratch, (\d+)\)|scratch)[,)]"))
        {
            offsets[m.Groups[1].Value] = m.Groups[2].Success ? m.Groups[2].Value : "0";
        }
        return offsets;
    }
}
