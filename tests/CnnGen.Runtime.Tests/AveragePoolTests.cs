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

    /// <summary>
    /// Same-size stride-1 pools (each plane folded as one flat row when its rows lie back to back, a row at a time
    /// otherwise) against a direct fold of every window: planes spaced apart in the input and the output, rows of the
    /// output spaced apart (the row-at-a-time kernel), windows 3×3, 5×5 and 5×3 with asymmetric padding, the divisor
    /// counting padding or not; maxima exactly (columns top to bottom, then across, −∞ outside).
    /// </summary>
    [Theory]
    [InlineData(17, 17, 3, 3, 1, 1, 0, 0)]
    [InlineData(17, 17, 3, 3, 1, 1, 0, 5)]
    [InlineData(20, 20, 5, 5, 2, 2, 7, 0)]
    [InlineData(13, 11, 5, 3, 3, 0, 0, 0)]
    [InlineData(40, 40, 3, 3, 1, 1, 3, 0)]
    [InlineData(9, 16, 3, 3, 1, 1, 0, 0)]
    public void SameSizePools_MatchADirectFold(int width, int height, int kernelWidth, int kernelHeight, int padLeft, int padTop, int planeGap, int rowGap)
    {
        const int channels = 3;
        int inputPlane = width * height + planeGap, outputRow = width + rowGap, outputPlane = outputRow * height + planeGap;
        var random = new Random(width * 31 + kernelWidth);
        var input = new float[channels * inputPlane];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)(random.NextDouble() * 4 - 2);
        }
        foreach (bool counted in new[] { false, true })
        {
            int padRight = kernelWidth - 1 - padLeft, padBottom = kernelHeight - 1 - padTop;
            var shape = new PoolShape(channels, kernelWidth, kernelHeight, StrideX: 1, StrideY: 1, OutputWidth: width, OutputHeight: height,
                InputRowStride: width, InputPlaneStride: inputPlane, OutputRowStride: outputRow, OutputPlaneStride: outputPlane,
                InputWidth: width, InputHeight: height, PadTop: padTop, PadLeft: padLeft,
                CountedTop: counted ? padTop : 0, CountedBottom: counted ? padBottom : 0, CountedLeft: counted ? padLeft : 0, CountedRight: counted ? padRight : 0);
            var average = new float[channels * outputPlane];
            var maximum = new float[channels * outputPlane];
            Pooling.Average(shape, ref input[0], ref average[0]);
            Pooling.Maximum(shape, ref input[0], ref maximum[0]);
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < height; y++)
                {
                    for (int x = 0; x < width; x++)
                    {
                        double sum = 0;
                        float max = 0;
                        for (int kx = 0; kx < kernelWidth; kx++)
                        {
                            int ix = x - padLeft + kx;
                            float column = 0;
                            for (int ky = 0; ky < kernelHeight; ky++)
                            {
                                int iy = y - padTop + ky;
                                bool inside = ix >= 0 && ix < width && iy >= 0 && iy < height;
                                float v = inside ? input[c * inputPlane + iy * width + ix] : float.NegativeInfinity;
                                sum += inside ? v : 0;
                                column = ky == 0 ? v : column > v ? column : v;
                            }
                            max = kx == 0 ? column : max > column ? max : column;
                        }
                        int rows = Math.Min(y - padTop + kernelHeight, height + (counted ? padBottom : 0)) - Math.Max(y - padTop, counted ? -padTop : 0);
                        int columns = Math.Min(x - padLeft + kernelWidth, width + (counted ? padRight : 0)) - Math.Max(x - padLeft, counted ? -padLeft : 0);
                        int at = c * outputPlane + y * outputRow + x;
                        Assert.Equal(max, maximum[at]);
                        Assert.Equal(sum / (rows * columns), average[at], 5e-6 * Math.Max(1, Math.Abs(sum)));
                    }
                }
            }
        }
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
