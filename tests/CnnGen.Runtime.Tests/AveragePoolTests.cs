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
    /// counting padding or not, planes of 49 and 48 floats (flat on AVX2 from 6 vectors); maxima exactly (columns top to
    /// bottom, then across, −∞ outside).
    /// </summary>
    [Theory]
    [InlineData(17, 17, 3, 3, 1, 1, 0, 0)]
    [InlineData(17, 17, 3, 3, 1, 1, 0, 5)]
    [InlineData(20, 20, 5, 5, 2, 2, 7, 0)]
    [InlineData(13, 11, 5, 3, 3, 0, 0, 0)]
    [InlineData(40, 40, 3, 3, 1, 1, 3, 0)]
    [InlineData(9, 16, 3, 3, 1, 1, 0, 0)]
    [InlineData(7, 7, 3, 3, 1, 1, 0, 0)]
    [InlineData(8, 6, 5, 5, 2, 2, 2, 0)]
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

    /// <summary>
    /// Pools of narrow planes (rows of at most 31 inputs and 32 outputs: on AVX-512 a row per register, two output rows
    /// per vector for rows of up to 8 stored back to back) against a direct fold of every window, NaN included: strides
    /// 1–3 with padding and ceil-mode overhang, one and two input vectors (14, 20, 31 columns), one and two output vectors
    /// (4, 7, 9, 13, 16, 24 outputs; 9–15 stored as whole vectors into a dense output, not past its end), windows of 2, 3, 5 and 7 columns, an input of 36 floats (its last rows loaded ending at
    /// their last column), planes spaced apart and output rows spaced apart (the spaces must stay untouched), the divisor
    /// counting padding or not.
    /// </summary>
    [Theory]
    [InlineData(14, 14, 5, 5, 3, 3, 0, 0, false, 2, 0, 0)]
    [InlineData(20, 20, 5, 5, 3, 3, 2, 2, false, 2, 0, 3)]
    [InlineData(7, 7, 3, 3, 1, 1, 1, 1, false, 3, 0, 0)]
    [InlineData(7, 7, 3, 3, 1, 1, 1, 1, false, 3, 5, 2)]
    [InlineData(13, 13, 3, 3, 1, 1, 1, 1, false, 2, 0, 1)]
    [InlineData(13, 13, 3, 3, 1, 1, 1, 1, false, 3, 0, 0)]
    [InlineData(11, 2, 3, 2, 1, 1, 0, 0, false, 1, 0, 0)]
    [InlineData(26, 6, 3, 3, 1, 1, 0, 0, false, 2, 3, 0)]
    [InlineData(31, 9, 3, 3, 2, 2, 1, 1, true, 2, 0, 0)]
    [InlineData(31, 3, 3, 3, 1, 1, 1, 1, false, 2, 1, 1)]
    [InlineData(10, 10, 3, 3, 3, 3, 0, 0, true, 3, 0, 0)]
    [InlineData(5, 3, 2, 2, 2, 1, 0, 0, false, 4, 0, 0)]
    [InlineData(3, 3, 2, 2, 1, 1, 0, 0, false, 4, 0, 0)]
    [InlineData(9, 4, 7, 3, 1, 1, 3, 1, false, 2, 0, 0)]
    [InlineData(28, 28, 3, 3, 3, 3, 0, 0, false, 2, 0, 0)]
    public void NarrowPlanes_MatchADirectFold(int width, int height, int kernelWidth, int kernelHeight, int strideX, int strideY, int padLeft, int padTop, bool ceil, int channels, int planeGap, int rowGap) =>
        MatchesADirectFold(width, height, kernelWidth, kernelHeight, strideX, strideY, padLeft, padTop, ceil, channels, planeGap, rowGap);

    /// <summary>
    /// Horizontal strides above 2 on rows long enough that every <c>StrideX</c>-th window result is picked with permutes
    /// (<c>Pooling.Pick</c>: 16 lanes on AVX-512 from 25 outputs a row, 8 lanes from 13 on AVX2 and on AVX-512 rows
    /// narrower than 16) against a direct fold of every window, NaN included: strides 3, 4 (windows other than 4), 5 and
    /// 7 (two, three and four pairs of source vectors), 1-D and 2-D, padding, ceil mode, planes and output rows spaced apart.
    /// </summary>
    [Theory]
    [InlineData(80, 5, 3, 3, 3, 3, 1, 1, false, 2, 0, 0)]
    [InlineData(41, 5, 2, 2, 3, 3, 0, 0, false, 2, 3, 1)]
    [InlineData(45, 4, 3, 3, 3, 2, 1, 1, false, 3, 1, 2)]
    [InlineData(200, 1, 6, 1, 3, 1, 3, 0, false, 2, 0, 0)]
    [InlineData(130, 2, 7, 2, 5, 1, 2, 0, true, 2, 3, 1)]
    [InlineData(300, 1, 4, 1, 7, 1, 0, 0, false, 2, 0, 0)]
    [InlineData(100, 3, 3, 3, 4, 4, 1, 1, false, 2, 0, 0)]
    [InlineData(58, 2, 2, 2, 4, 2, 0, 0, false, 2, 0, 0)]
    public void StridedRows_MatchADirectFold(int width, int height, int kernelWidth, int kernelHeight, int strideX, int strideY, int padLeft, int padTop, bool ceil, int channels, int planeGap, int rowGap) =>
        MatchesADirectFold(width, height, kernelWidth, kernelHeight, strideX, strideY, padLeft, padTop, ceil, channels, planeGap, rowGap);

    private static void MatchesADirectFold(int width, int height, int kernelWidth, int kernelHeight, int strideX, int strideY, int padLeft, int padTop, bool ceil, int channels, int planeGap, int rowGap)
    {
        static int Outputs(int size, int kernel, int stride, int pad, bool ceil) =>
            (size + 2 * pad - kernel + (ceil ? stride - 1 : 0)) / stride + 1;
        int outputWidth = Outputs(width, kernelWidth, strideX, padLeft, ceil), outputHeight = Outputs(height, kernelHeight, strideY, padTop, ceil);
        int inputPlane = width * height + planeGap, outputRow = outputWidth + rowGap, outputPlane = outputRow * outputHeight + planeGap;
        var random = new Random(width * 31 + kernelWidth * 7 + strideX);
        var input = new float[channels * inputPlane];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.Next(7) == 0 ? float.NaN : (float)(random.NextDouble() * 4 - 2);
        }
        foreach (bool counted in new[] { false, true })
        {
            int padRight = padLeft, padBottom = padTop;
            var shape = new PoolShape(channels, kernelWidth, kernelHeight, strideX, strideY, OutputWidth: outputWidth, OutputHeight: outputHeight,
                InputRowStride: width, InputPlaneStride: inputPlane, OutputRowStride: outputRow, OutputPlaneStride: outputPlane,
                InputWidth: width, InputHeight: height, PadTop: padTop, PadLeft: padLeft,
                CountedTop: counted ? padTop : 0, CountedBottom: counted ? padBottom : 0, CountedLeft: counted ? padLeft : 0, CountedRight: counted ? padRight : 0);
            var average = new float[channels * outputPlane + 1];
            var maximum = new float[channels * outputPlane + 1];
            Array.Fill(average, 1234f);
            Array.Fill(maximum, 1234f);
            Pooling.Average(shape, ref input[0], ref average[0]);
            Pooling.Maximum(shape, ref input[0], ref maximum[0]);
            var written = new bool[average.Length];
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < outputHeight; y++)
                {
                    for (int x = 0; x < outputWidth; x++)
                    {
                        float sum = 0, max = 0;
                        for (int kx = 0; kx < kernelWidth; kx++)
                        {
                            int ix = x * strideX - padLeft + kx;
                            float column = 0, columnSum = 0;
                            for (int ky = 0; ky < kernelHeight; ky++)
                            {
                                int iy = y * strideY - padTop + ky;
                                bool inside = ix >= 0 && ix < width && iy >= 0 && iy < height;
                                float v = inside ? input[c * inputPlane + iy * width + ix] : float.NegativeInfinity;
                                columnSum += inside ? v : 0;
                                column = ky == 0 ? v : column > v ? column : v;
                            }
                            sum = kx == 0 ? columnSum : sum + columnSum;
                            max = kx == 0 ? column : max > column ? max : column;
                        }
                        int top = y * strideY - padTop, left = x * strideX - padLeft;
                        int rows = Math.Min(top + kernelHeight, height + (counted ? padBottom : 0)) - Math.Max(top, counted ? -padTop : 0);
                        int columns = Math.Min(left + kernelWidth, width + (counted ? padRight : 0)) - Math.Max(left, counted ? -padLeft : 0);
                        int at = c * outputPlane + y * outputRow + x;
                        written[at] = true;
                        Assert.Equal(max, maximum[at]);
                        // The same sums in the same order (the flat same-size kernel of other machines scales once: a rounding apart).
                        float expected = sum * (1f / rows) * (1f / columns);
                        Assert.Equal(expected, average[at], float.IsFinite(expected) ? 1e-6f * Math.Max(1, Math.Abs(expected)) : 0f);
                    }
                }
            }
            for (int i = 0; i < average.Length; i++)
            {
                if (!written[i])
                {
                    Assert.Equal(1234f, average[i]);
                    Assert.Equal(1234f, maximum[i]);
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
