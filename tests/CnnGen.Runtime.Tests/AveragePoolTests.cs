using System;
using Xunit;

namespace CnnGen.Runtime.Tests;

/// <summary>
/// <see cref="Pooling.Average"/> and <see cref="Pooling.Maximum"/> called directly: small pools against results written
/// out by hand, and the shapes they refuse (the generator never emits them; a caller that does gets an exception, not a
/// stack overflow). Whole networks on every instruction set are checked against the float64 reference in the generator
/// tests (<c>PoolFcTests</c>).
/// </summary>
public class AveragePoolTests
{
    [Fact]
    public void Average_ClipsThePaddingAndDividesByWhatCounts()
    {
        // One 3×2 plane, 2×2 windows at stride 1 with one column of padding on the left: outputs (−1..0) and (0..1) per row pair.
        float[] input = [1, 2, 3, 4, 5, 6];
        var output = new float[3];
        var shape = new PoolShape(Channels: 1, KernelWidth: 2, KernelHeight: 2, StrideX: 1, StrideY: 1, OutputWidth: 3, OutputHeight: 1,
            InputRowStride: 3, InputPlaneStride: 6, OutputRowStride: 3, OutputPlaneStride: 3, InputWidth: 3, InputHeight: 2, PadTop: 0, PadLeft: 1,
            CountedTop: 0, CountedBottom: 0, CountedLeft: 0, CountedRight: 0);
        Pooling.Average(shape, ref input[0], ref output[0]);
        Assert.Equal([(1 + 4) / 2f, (1 + 2 + 4 + 5) / 4f, (2 + 3 + 5 + 6) / 4f], output);

        // The same with the padding counted: the first window divides by 4.
        Pooling.Average(shape with { CountedLeft = 1 }, ref input[0], ref output[0]);
        Assert.Equal((1 + 4) / 4f, output[0]);
    }

    [Fact]
    public void Maximum_TakesTheLargestInsideAndIgnoresPadding()
    {
        // One 3×2 plane, 2×2 windows at stride 2 with one column of padding on the left and ceil-mode overhang on the right.
        float[] input = [1, -2, 3, -4, -5, 6];
        var output = new float[2];
        var shape = new PoolShape(Channels: 1, KernelWidth: 2, KernelHeight: 2, StrideX: 2, StrideY: 1, OutputWidth: 2, OutputHeight: 1,
            InputRowStride: 3, InputPlaneStride: 6, OutputRowStride: 2, OutputPlaneStride: 2, InputWidth: 3, InputHeight: 2, PadTop: 0, PadLeft: 1,
            CountedTop: 0, CountedBottom: 0, CountedLeft: 0, CountedRight: 0);
        Pooling.Maximum(shape, ref input[0], ref output[0]);
        Assert.Equal([1f, 6f], output);
    }

    [Fact]
    public void Average_RefusesRowsPastItsLimit()
    {
        var input = new float[Pooling.SeparableLimit + 1];
        var output = new float[Pooling.SeparableLimit + 1];
        var shape = new PoolShape(Channels: 1, KernelWidth: 1, KernelHeight: 1, StrideX: 1, StrideY: 1, OutputWidth: input.Length, OutputHeight: 1,
            InputRowStride: input.Length, InputPlaneStride: input.Length, OutputRowStride: input.Length, OutputPlaneStride: input.Length,
            InputWidth: input.Length, InputHeight: 1, PadTop: 0, PadLeft: 0, CountedTop: 0, CountedBottom: 0, CountedLeft: 0, CountedRight: 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => Pooling.Average(shape, ref input[0], ref output[0]));
    }
}
