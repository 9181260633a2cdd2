using System;
using System.Collections.Generic;
using CnnGen.TestSupport;
using Xunit;
using static CnnGen.Generator.Tests.PlainNetworkSource;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// 1×1 convolutions on the column kernel's plane walk, with the register tile picked by the plane model (loads on top
/// of the FMAs), and strided 1×1 convs that gather every stride-th row and column into a workspace
/// (<c>CnnGen.Subsample</c>) and then run that plane walk: odd maps (7×7, 13×13, 15×15, 15×16), filter and channel
/// counts that are not multiples of 16, strides 2 and 4, a stride in x only, odd input sizes, padding (a gathered
/// border), a chain whose output is a bordered buffer, and Relu, Clip, PRelu, Tanh and a folded BatchNorm in the store;
/// and 1×1 convs over large inputs into a bordered buffer, walked row by row with every filter group on each row.
/// Checked against the reference on whichever kernels this machine runs (<see cref="InstructionSetTests"/> reruns it on
/// AVX2, on Vector128 with and without FMA, and without vectors), and checked to take the path named.
/// </summary>
public sealed class PointwiseTests(ITestOutputHelper output)
{
    private static RefConv Strided(int filters, int stride) => new(1, 1, filters) { StrideX = stride, StrideY = stride };

    /// <summary>Each case: name, input, layers; names starting "Sub" take the gathered path, the rest the plane walk.</summary>
    private static readonly (string Name, RefShape Input, RefLayer[] Layers)[] Cases =
    {
        ("Plane13x13Relu", new RefShape(13, 13, 96), new RefLayer[] { new RefConv(1, 1, 36), new RefRelu() }),
        ("Plane13x13Squeeze", new RefShape(13, 13, 128), new RefLayer[] { new RefConv(1, 1, 48), new RefRelu() }),
        ("Plane7x7Clip", new RefShape(7, 7, 40), new RefLayer[] { new RefConv(1, 1, 72), new RefClip(0, 6) }),
        ("Plane15x15PRelu", new RefShape(15, 15, 33), new RefLayer[] { new RefConv(1, 1, 50), new RefPRelu() }),
        ("Plane15x15Filters17", new RefShape(15, 15, 20), new RefLayer[] { new RefConv(1, 1, 17), new RefBatchNorm(), new RefRelu6() }),
        ("SubResNet", new RefShape(28, 28, 64), new RefLayer[] { Strided(80, 2) }),
        ("SubOdd", new RefShape(29, 31, 48), new RefLayer[] { Strided(80, 2), new RefRelu() }),
        ("Sub15x15Clip", new RefShape(30, 30, 24), new RefLayer[] { Strided(40, 2), new RefClip(0, 6) }),
        ("SubPRelu", new RefShape(27, 25, 33), new RefLayer[] { Strided(24, 2), new RefPRelu() }),
        ("SubWide", new RefShape(56, 12, 32), new RefLayer[] { Strided(64, 2) }),
        ("SubNarrow7", new RefShape(13, 19, 20), new RefLayer[] { Strided(17, 2), new RefBatchNorm(), new RefRelu() }),
        ("SubStride4", new RefShape(61, 9, 8), new RefLayer[] { Strided(32, 4), new RefTanh() }),
        ("SubStrideXOnly", new RefShape(40, 6, 16), new RefLayer[] { new RefConv(1, 1, 24) { StrideX = 2 } }),
        ("SubPadded", new RefShape(21, 21, 16), new RefLayer[] { new RefConv(1, 1, 32) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 } }),
        // The gathered conv writes into the next conv's bordered buffer (no plane walk over the output: row by row).
        ("SubIntoPadded", new RefShape(36, 36, 24), new RefLayer[] { Strided(32, 2), new RefRelu(), new RefConv(3, 3, 12) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 } }),
        // 1×1 convs over more than 256 KB of input into a depthwise conv's bordered buffer: row by row, every filter group
        // on a row before the next (names "Rows"). Rows of 37 (two vectors and a shifted one), of 13 (AVX-512 vectors
        // of two rows, an odd row count), of 5 (four rows, a row count not a multiple of 4) and of 112; a residual after.
        ("Rows37PRelu", new RefShape(37, 29, 64), new RefLayer[] { new RefConv(1, 1, 20), new RefPRelu(), Depthwise(3, 20, 1) }),
        ("Rows13Residual", new RefShape(13, 91, 56), new RefLayer[] { new RefConv(1, 1, 24), new RefClip(0, 6), Depthwise(3, 24, 1), new RefRelu() { Name = "d" }, new RefConv(1, 1, 24), new RefAdd("d") }),
        ("Rows5Tanh", new RefShape(5, 250, 56), new RefLayer[] { new RefConv(1, 1, 18), new RefTanh(), Depthwise(5, 18, 1) }),
        ("Rows112Silu", new RefShape(112, 12, 50), new RefLayer[] { new RefConv(1, 1, 30), new RefSilu(), Depthwise(3, 30, 2), new RefRelu6() }),
        // 1-D 1×1 convs (one output row: the plane walk's tile model): over more than 256 KB of input, every filter group
        // on a column tile before the next (700 columns: 43.75 vectors; 40 filters), and a short odd row of 37 with 70
        // channels and 13 filters.
        ("Row1dWide", new RefShape(700, 1, 96), new RefLayer[] { new RefConv(1, 1, 40), new RefRelu() }),
        ("Row1dOdd", new RefShape(37, 1, 70), new RefLayer[] { new RefConv(1, 1, 13), new RefRelu6() }),
    };

    private static RefConv Depthwise(int k, int channels, int stride)
    {
        int p = (k - 1) / 2;
        return new RefConv(k, k, channels) { Groups = channels, StrideX = stride, StrideY = stride, PadLeft = p, PadTop = p, PadRight = p, PadBottom = p };
    }

    private static readonly ReferenceCases Family = new(Cases, "PW");

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
    public void EveryCase_TakesItsPath()
    {
        foreach (var (name, input, layers) in Cases)
        {
            string source = Generate(new ReferenceNetwork(input, layers));
            bool gathered = name.StartsWith("Sub", StringComparison.Ordinal);
            Assert.True(source.Contains("global::CnnGen.Subsample.Run(", StringComparison.Ordinal) == gathered, $"{name}: gathered should be {gathered}");
            Assert.DoesNotContain("DirectConv.Run", source, StringComparison.Ordinal);
            Assert.DoesNotContain("output channels in the vector", source, StringComparison.Ordinal);
            bool rows = name.StartsWith("Rows", StringComparison.Ordinal);
            Assert.True(source.Contains("// every filter group on these rows", StringComparison.Ordinal) == rows, $"{name}: rows outside should be {rows}");
            bool columns = name == "Row1dWide";
            Assert.True(source.Contains("the whole plane is one row", StringComparison.Ordinal) == columns, $"{name}: columns outside should be {columns}");
        }
        // The plane model's tiles on AVX-512: 8 filters × 3 vectors where the FMA-only model tied 4 × 4 first.
        Assert.Contains("on Avx512: tiles of 8 filters × 3 vectors of 16 output columns.",
            Generate(new ReferenceNetwork(new RefShape(13, 13, 384), new RefLayer[] { new RefConv(1, 1, 64), new RefRelu() })), StringComparison.Ordinal);
        Assert.Contains("on Avx512: tiles of 8 filters × 3 vectors of 16 output columns.",
            Generate(new ReferenceNetwork(new RefShape(28, 28, 128), new RefLayer[] { Strided(256, 2) })), StringComparison.Ordinal);
        // Small planes keep the channel-vectorized kernel, strided or not.
        foreach (var (input, layer) in new[] { (new RefShape(8, 8, 256), Strided(96, 2)), (new RefShape(7, 7, 256), new RefConv(1, 1, 96)) })
        {
            string small = Generate(new ReferenceNetwork(input, new RefLayer[] { layer }));
            Assert.DoesNotContain("Subsample.Run", small, StringComparison.Ordinal);
            Assert.Contains("output channels in the vector", small, StringComparison.Ordinal);
        }
    }
}
