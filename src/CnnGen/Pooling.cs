using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CnnGen;

/// <summary>
/// The shape of a max pool with horizontal stride 2 for <see cref="Pooling.MaxStride2"/>: sizes and strides in floats.
/// The input is read as it is, without a border: output row <c>oy</c> reads input rows <c>oy · StrideY − PadTop</c> to
/// <c>oy · StrideY − PadTop + KernelHeight − 1</c>, output column <c>ox</c> input columns <c>2 · ox − PadLeft</c> to
/// <c>2 · ox − PadLeft + KernelWidth − 1</c>, those inside the <c>InputWidth × InputHeight</c> input and nothing else
/// (the rest of the window, padding or a ceil-mode window's overhang, counts as −∞).
/// </summary>
/// <param name="Channels">Channels (planes).</param>
/// <param name="KernelWidth">Window width, 2 or 3.</param>
/// <param name="KernelHeight">Window height, 2 or 3.</param>
/// <param name="StrideY">Vertical stride.</param>
/// <param name="OutputWidth">Output columns.</param>
/// <param name="OutputHeight">Output rows.</param>
/// <param name="InputRowStride">Floats from one input row to the next.</param>
/// <param name="InputPlaneStride">Floats from one input channel to the next.</param>
/// <param name="OutputRowStride">Floats from one output row to the next.</param>
/// <param name="OutputPlaneStride">Floats from one output channel to the next.</param>
/// <param name="InputWidth">Input columns (without padding).</param>
/// <param name="InputHeight">Input rows (without padding).</param>
/// <param name="PadTop">Rows of padding above the input.</param>
/// <param name="PadLeft">Columns of padding left of the input.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct MaxPoolShape(
    int Channels, int KernelWidth, int KernelHeight, int StrideY,
    int OutputWidth, int OutputHeight,
    int InputRowStride, int InputPlaneStride, int OutputRowStride, int OutputPlaneStride,
    int InputWidth, int InputHeight, int PadTop, int PadLeft);

/// <summary>
/// Overlapping and non-overlapping max pools with horizontal stride 2 (3×3/2 of AlexNet, SqueezeNet, ResNet, ShuffleNet;
/// 2×2/2 of VGG) for the code CnnGen generates, written once here instead of emitted per layer.
/// </summary>
/// <remarks>
/// <para>
/// <b>Separable.</b> The window's maximum is the maximum over its columns of the maximum over its rows. For a vector of
/// outputs the kernel takes the vertical maximum of the rows at four column offsets (contiguous loads), then picks the
/// even and odd columns of those with two-source shuffles (<c>vpermt2ps</c> on AVX-512, <c>vshufps</c> on AVX2 and SSE,
/// <c>uzp1</c>/<c>uzp2</c> on Arm64) and takes the horizontal maximum: for 3×3, 12 loads, 10 max and 3 shuffles per vector
/// of outputs instead of 18 loads, 9 max and 9 shuffles for the direct window (the generated AVX2 kernel before). Widths:
/// 16 outputs on AVX-512, 8 on AVX2, 4 on 128-bit vectors, the last vector of a row overlapping the one before; a
/// 3-wide row (a 7×7 map pooled 3×3/2) is one 128-bit vector stored as 2 + 1 floats; narrower rows, and machines without
/// those shuffles, run the same separable order in scalar code. Nothing outside the windows is read or written.
/// </para>
/// <para>
/// <b>AVX-512: shared rows, three column vectors.</b> Windows of 3 rows at vertical stride 2 (every 3×3/2 pool) take
/// their output rows in pairs: the upper's rows 0..2 and the lower's 2..4 share row 2, loaded once (5 loads per column
/// vector instead of 6). And for 3-wide windows the third column of each output (columns 2, 4, … 32) is the even
/// columns moved one lane, with column 32 taken from the column vector at 17: 3 column vectors per 16 outputs, not 4.
/// Together 7.5 loads per 16 outputs instead of 12, the same maxima in the same order. Measured alone (thread CPU
/// time, best of 300 calls alternating with the previous kernel, load 58): 112×112×64 padding 1 59.2 → 56.1 µs,
/// 112×112×24 21.3 → 19.2, 55×55×64 13.3 → 11.4, 111×111×64 ceil 60.8 → 55.4, 55×55×128 ceil 26.5 → 25.4, 27×27×192
/// 11.6 → 11.6, 224×224×64 2×2 (unchanged path) 139 → 140. The kernel is bound by the cache traffic of its 3.2 MB
/// input more than by its loads. Against ONNX Runtime (layer-matrix rows, <c>single-interleaved</c>, best rounds of
/// three runs each, load 5–20): resnet18@224/maxpool 0.95–1.02× → 1.03–1.12×, shufflenet maxpool 1.20× → 1.27–1.29×,
/// alexnet features.2 2.26–2.35× → 2.52–2.75×, squeezenet features.2 1.89–1.91× → 2.10–2.13×, features.5
/// 2.04–2.10× → 2.25–2.28×, the others unchanged. AVX2 and 128-bit vectors keep one row at a time (not measured on
/// such machines).
/// </para>
/// <para>
/// Measured (layer matrix, one thread, ONNX Runtime time ÷ CnnGen time; the figures are in the generator's
/// <c>PoolEmitter</c>).
/// </para>
/// <para>
/// <b>No border.</b> The input is read as it is: padding and ceil-mode overhang are clipped, not read from a
/// −∞-bordered copy. The output rows and columns whose windows lie inside the input run the kernels above; the outputs
/// left of them take the columns from the first on (a leading −∞ leaves the fold unchanged), the rows above and below
/// and the outputs right of them fold −∞ wherever the window leaves the input, so every result, NaN included, is the
/// one the bordered copy gave. A network of the pool alone no longer copies its input into a border first (half its
/// time). Measured in one process against ONNX Runtime (throwaway harness, CPU time, best of 11 × 30 ms, load 23–41):
/// ResNet-18's 3×3/2 pool of 112×112×64 with padding 1 109 → 64 µs (1.03× → 1.84×); AlexNet's 55×55×64 (no
/// padding: the plain loop of before, <c>Whole</c>) 11.1 → 10.9 µs. Inside a whole network the producer writes
/// straight into a −∞ border (the generator's <c>BufferPlan</c>), which costs nothing there: the pool then gets the
/// bordered buffer's corner with no padding and runs <c>Whole</c>.
/// </para>
/// <para>
/// <b>Left padding on AVX-512.</b> With one column of padding on the left, output 0's window starts at column −1, so
/// the outputs whose windows lie inside the input start at 1: on a 32×32 map (16 outputs per row, ResNet-18 and
/// ShuffleNet at 64×64) that left 15, too few for a 16-wide vector, and the rows ran the AVX2 kernel plus one scalar
/// window each. Instead the first vector of each row loads columns 0 to 15 and moves −∞ in at lane 0 (one permute:
/// columns −1 to 14), so it computes outputs 0 to 15 with the same fold; no output is left to the scalar edge. Measured
/// in one process against ONNX Runtime (throwaway harness, best of 150 ms of runs, load 15–17): 32×32×64 3×3/2 padding
/// 1 13.5 → 4.5 µs (0.59× → 2.02×; a −∞-bordered copy of the input, as before session 6, took 5.6), 32×32×24 5.0 →
/// 1.8 µs, 56×56×64 16.1 → 14.1, 112×112×64 56.2 → 56.9 (unchanged).
/// </para>
/// <para>
/// <b>NaN.</b> Every path computes the same fold, in the same order, of <c>max(a, b) = a &gt; b ? a : b</c> (x86
/// <c>maxps</c>, ONNX Runtime's choice; on Arm64 a compare and select): first down each column (rows top to bottom),
/// then across the columns (left to right). A NaN is therefore passed on only when it is the last value of its column
/// and its column the last of the window to be combined; otherwise it is dropped — the same result on AVX-512, AVX2,
/// 128-bit vectors and scalar code. (PyTorch propagates every NaN; doing so would cost a compare per load.)
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class Pooling
{
    /// <summary>Whether <see cref="MaxStride2"/> takes windows of this size.</summary>
    /// <param name="kernelWidth">Window width.</param>
    /// <param name="kernelHeight">Window height.</param>
    public static bool Supports(int kernelWidth, int kernelHeight) => kernelWidth is 2 or 3 && kernelHeight is 2 or 3;

    /// <summary>Max pool with horizontal stride 2 (see the class remarks).</summary>
    /// <param name="shape">Sizes and strides.</param>
    /// <param name="input">The input's first element (never a border: padding is clipped, see <see cref="MaxPoolShape"/>).</param>
    /// <param name="output">The output's first element.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxStride2(in MaxPoolShape shape, ref float input, ref float output)
    {
        switch (shape.KernelWidth * 4 + shape.KernelHeight)
        {
            case 3 * 4 + 3:
                Planes<Three, Three>(shape, ref input, ref output);
                break;
            case 2 * 4 + 2:
                Planes<Two, Two>(shape, ref input, ref output);
                break;
            case 3 * 4 + 2:
                Planes<Three, Two>(shape, ref input, ref output);
                break;
            case 2 * 4 + 3:
                Planes<Two, Three>(shape, ref input, ref output);
                break;
            default:
                throw new System.ArgumentException("Windows of 2 or 3 columns and rows only.", nameof(shape));
        }
    }

    /// <summary>A window size known to the JIT: specializing on it unrolls the loops over rows and columns.</summary>
    private interface ISize
    {
        static abstract int Value { get; }
    }

    private readonly struct Two : ISize
    {
        public static int Value => 2;
    }

    private readonly struct Three : ISize
    {
        public static int Value => 3;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Planes<TW, TH>(in MaxPoolShape s, ref float input, ref float output)
        where TW : struct, ISize
        where TH : struct, ISize
    {
        var (_, _, columnFirst, columnEnd) = Interior(s, TW.Value, TH.Value);
        int inner = columnEnd - columnFirst;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && (LeftVector(s.PadLeft, columnFirst, columnEnd, 16) ? columnEnd : inner) >= 16)
        {
            Run<Rows16<TW, TH>, TW, TH>(s, ref input, ref output);
        }
        else if (Avx2.IsSupported && inner >= 8)
        {
            Run<Rows8<TW, TH>, TW, TH>(s, ref input, ref output);
        }
        else if (Vector128.IsHardwareAccelerated && (Sse.IsSupported || AdvSimd.Arm64.IsSupported) && inner >= 4)
        {
            Run<Rows4<TW, TH>, TW, TH>(s, ref input, ref output);
        }
        else if (Vector128.IsHardwareAccelerated && Sse.IsSupported && inner == 3 && s.OutputWidth == 3 && TW.Value == 3)
        {
            Run<Rows3<TH>, TW, TH>(s, ref input, ref output);
        }
        else
        {
            Run<RowsScalar, TW, TH>(s, ref input, ref output);
        }
    }

    /// <summary>
    /// The output rows and columns whose windows lie wholly inside the input (the vector kernels' part); the others
    /// (padding, or a ceil-mode window past the last row or column) go through <see cref="Edge"/> or a clipped row kernel, which read −∞
    /// where a window leaves the input.
    /// </summary>
    private static (int RowFirst, int RowEnd, int ColumnFirst, int ColumnEnd) Interior(in MaxPoolShape s, int kernelWidth, int kernelHeight)
    {
        int rowFirst = System.Math.Min(s.OutputHeight, (s.PadTop + s.StrideY - 1) / s.StrideY);
        int rowEnd = System.Math.Max(rowFirst, System.Math.Min(s.OutputHeight, FloorDivide(s.InputHeight - kernelHeight + s.PadTop, s.StrideY) + 1));
        int columnFirst = System.Math.Min(s.OutputWidth, (s.PadLeft + 1) / 2);
        int columnEnd = System.Math.Max(columnFirst, System.Math.Min(s.OutputWidth, FloorDivide(s.InputWidth - kernelWidth + s.PadLeft, 2) + 1));
        return (rowFirst, rowEnd, columnFirst, columnEnd);
    }

    private static int FloorDivide(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>
    /// Whether a row kernel of <paramref name="width"/> outputs with a left-padded first vector (<see cref="IRows.Left"/>)
    /// covers outputs 0 to <paramref name="width"/> − 1: one column of padding on the left, and every one of those
    /// windows inside the input on the right.
    /// </summary>
    private static bool LeftVector(int padLeft, int columnFirst, int columnEnd, int width) => padLeft == 1 && columnFirst == 1 && columnEnd >= width;

    /// <summary>
    /// Every plane: the interior rows with <typeparamref name="TK"/>'s whole-window kernel (two at a time where it
    /// shares rows), the outputs left and right of the vectors' columns one by one (<see cref="Edge"/>), then the rows
    /// whose windows leave the input with its clipped kernel (and <see cref="Edge"/> at their ends).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TK, TW, TH>(in MaxPoolShape s, ref float input, ref float output)
        where TK : struct, IRows
        where TW : struct, ISize
        where TH : struct, ISize
    {
        // Locals, not the shape's fields: through the reference, every store to the output would force them to be reloaded.
        var (rowFirst, rowEnd, columnFirst, columnEnd) = Interior(s, TW.Value, TH.Value);
        int width = s.OutputWidth, height = s.OutputHeight, channels = s.Channels, strideY = s.StrideY, padTop = s.PadTop, padLeft = s.PadLeft;
        int inputWidth = s.InputWidth, inputHeight = s.InputHeight;
        nint inputPlane = s.InputPlaneStride, outputPlane = s.OutputPlaneStride, outputRow = s.OutputRowStride;
        nuint rows = (nuint)s.InputRowStride;
        // One column of padding on the left: the first vector of each row starts at output 0 (see TK.Left), not 1.
        bool left = TK.HasLeft && LeftVector(padLeft, columnFirst, columnEnd, TK.Width);
        bool vector = left || columnEnd - columnFirst >= TK.Width;
        int vectorFirst = left ? 0 : columnFirst; // outputs [vectorFirst, columnEnd) are the vectors'
        bool more = !left || columnEnd > TK.Width; // vectors after the left one
        nuint first = (nuint)(left ? TK.Width : columnFirst), last = (nuint)(columnEnd - TK.Width), shift = (nuint)padLeft;
        // 3 rows at vertical stride 2: interior output rows in pairs, sharing an input row between them (see Pair16).
        bool pairs = TK.Pairs && TH.Value == 3 && strideY == 2;
        if (vector && rowFirst == 0 && rowEnd == height && columnFirst == 0 && columnEnd == width)
        {
            Whole<TK, TW, TH>(s, ref input, ref output);
            return;
        }
        bool right = columnEnd < width; // outputs whose windows pass the last column (ceil mode): Edges
        for (int c = 0; c < channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, c * inputPlane);
            ref float outputs = ref Unsafe.Add(ref output, c * outputPlane);
            int oy = rowFirst;
            if (pairs && vector)
            {
                for (; oy + 1 < rowEnd; oy += 2)
                {
                    ref float top = ref Unsafe.Add(ref plane, (nint)(oy * strideY - padTop) * (nint)rows);
                    ref float row = ref Unsafe.Add(ref outputs, oy * outputRow);
                    ref float below = ref Unsafe.Add(ref row, outputRow);
                    if (left)
                    {
                        TK.LeftPair(ref top, rows, ref row, ref below);
                    }
                    if (more)
                    {
                        for (nuint ox = first; ox < last; ox += (nuint)TK.Width)
                        {
                            TK.Pair(ref top, 2 * ox - shift, rows, ref row, ref below, ox);
                        }
                        TK.Pair(ref top, 2 * last - shift, rows, ref row, ref below, last); // the last ones, overlapping the ones before
                    }
                    LeftEdge<TW, TH>(ref top, rows, ref row, vectorFirst, padLeft);
                    LeftEdge<TW, TH>(ref Unsafe.Add(ref top, (nint)strideY * (nint)rows), rows, ref below, vectorFirst, padLeft);
                    if (right)
                    {
                        // Only the outputs past the vectors' (LeftEdge wrote those before them).
                        Edges<TW, TH>(ref plane, rows, oy * strideY - padTop, ref row, 0, columnEnd, width, padLeft, inputWidth, inputHeight);
                        Edges<TW, TH>(ref plane, rows, (oy + 1) * strideY - padTop, ref below, 0, columnEnd, width, padLeft, inputWidth, inputHeight);
                    }
                }
            }
            for (; oy < rowEnd; oy++)
            {
                ref float top = ref Unsafe.Add(ref plane, (nint)(oy * strideY - padTop) * (nint)rows);
                ref float row = ref Unsafe.Add(ref outputs, oy * outputRow);
                if (left)
                {
                    TK.Left(ref top, rows, ref row);
                }
                if (vector && more)
                {
                    for (nuint ox = first; ox < last; ox += (nuint)TK.Width)
                    {
                        TK.Whole(ref top, 2 * ox - shift, rows, ref row, ox);
                    }
                    TK.Whole(ref top, 2 * last - shift, rows, ref row, last);
                }
                if (!vector)
                {
                    Edges<TW, TH>(ref plane, rows, oy * strideY - padTop, ref row, 0, 0, width, padLeft, inputWidth, inputHeight);
                }
                else
                {
                    LeftEdge<TW, TH>(ref top, rows, ref row, vectorFirst, padLeft);
                    if (right)
                    {
                        Edges<TW, TH>(ref plane, rows, oy * strideY - padTop, ref row, 0, columnEnd, width, padLeft, inputWidth, inputHeight);
                    }
                }
            }
            for (oy = 0; oy < height; oy++)
            {
                if (oy == rowFirst)
                {
                    oy = rowEnd; // the interior rows are done
                    if (oy >= height)
                    {
                        break;
                    }
                }
                int iy = oy * strideY - padTop;
                ref float row = ref Unsafe.Add(ref outputs, oy * outputRow);
                if (left)
                {
                    TK.LeftClipped(ref plane, rows, iy, inputHeight, ref row);
                }
                if (vector && more)
                {
                    for (nuint ox = first; ox < last; ox += (nuint)TK.Width)
                    {
                        TK.Clipped(ref plane, 2 * ox - shift, rows, iy, inputHeight, ref row, ox);
                    }
                    TK.Clipped(ref plane, 2 * last - shift, rows, iy, inputHeight, ref row, last);
                }
                Edges<TW, TH>(ref plane, rows, iy, ref row, vector ? vectorFirst : 0, vector ? columnEnd : 0, width, padLeft, inputWidth, inputHeight);
            }
        }
    }

    /// <summary>
    /// <see cref="Run"/> when every window lies inside the input (no padding, no ceil-mode overhang): the loop of the
    /// kernel before it clipped windows, with fewer live locals (AlexNet's 55×55×64 3×3/2 pool ran about 10% slower
    /// through <see cref="Run"/>'s general loop).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Whole<TK, TW, TH>(in MaxPoolShape s, ref float input, ref float output)
        where TK : struct, IRows
        where TW : struct, ISize
        where TH : struct, ISize
    {
        int width = s.OutputWidth, height = s.OutputHeight, channels = s.Channels;
        nint inputPlane = s.InputPlaneStride, outputPlane = s.OutputPlaneStride, inputStep = (nint)s.StrideY * s.InputRowStride, outputRow = s.OutputRowStride;
        nuint rows = (nuint)s.InputRowStride;
        nuint last = (nuint)(width - TK.Width);
        int pairs = TK.Pairs && TH.Value == 3 && inputStep == 2 * (nint)rows ? height / 2 : 0;
        for (int c = 0; c < channels; c++)
        {
            ref float top = ref Unsafe.Add(ref input, c * inputPlane);
            ref float row = ref Unsafe.Add(ref output, c * outputPlane);
            for (int p = 0; p < pairs; p++)
            {
                ref float below = ref Unsafe.Add(ref row, outputRow);
                for (nuint ox = 0; ox < last; ox += (nuint)TK.Width)
                {
                    TK.Pair(ref top, 2 * ox, rows, ref row, ref below, ox);
                }
                TK.Pair(ref top, 2 * last, rows, ref row, ref below, last);
                top = ref Unsafe.Add(ref top, 2 * inputStep);
                row = ref Unsafe.Add(ref row, 2 * outputRow);
            }
            for (int oy = 2 * pairs; oy < height; oy++)
            {
                for (nuint ox = 0; ox < last; ox += (nuint)TK.Width)
                {
                    TK.Whole(ref top, 2 * ox, rows, ref row, ox);
                }
                TK.Whole(ref top, 2 * last, rows, ref row, last); // the last ones, overlapping the ones before
                top = ref Unsafe.Add(ref top, inputStep);
                row = ref Unsafe.Add(ref row, outputRow);
            }
        }
    }

    /// <summary>
    /// Outputs <c>[0, first)</c> of a row whose windows lie inside the input's rows but start left of its first column:
    /// the columns from the first on (a leading −∞ column leaves the fold as it is, NaN included, so skipping it gives
    /// <see cref="Edge"/>'s result without its bounds checks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LeftEdge<TW, TH>(ref float top, nuint rows, ref float row, int first, int padLeft)
        where TW : struct, ISize
        where TH : struct, ISize
    {
        for (int ox = 0; ox < first; ox++)
        {
            int start = 2 * ox - padLeft, from = System.Math.Max(0, start), end = start + TW.Value;
            float value = Column1<TH>(ref top, (nuint)from, rows);
            for (int x = from + 1; x < end; x++)
            {
                value = Max(value, Column1<TH>(ref top, (nuint)x, rows));
            }
            Unsafe.Add(ref row, ox) = value;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Column1<TH>(ref float top, nuint at, nuint rows)
        where TH : struct, ISize
    {
        float value = Unsafe.Add(ref top, at);
        for (int ky = 1; ky < TH.Value; ky++)
        {
            value = Max(value, Unsafe.Add(ref top, at + (nuint)ky * rows));
        }
        return value;
    }

    /// <summary>Outputs <c>[0, first)</c> and <c>[end, width)</c> of a row, one at a time (<see cref="Edge"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Edges<TW, TH>(ref float plane, nuint rows, int iy, ref float row, int first, int end, int width, int padLeft, int inputWidth, int inputHeight)
        where TW : struct, ISize
        where TH : struct, ISize
    {
        for (int ox = 0; ox < first; ox++)
        {
            Unsafe.Add(ref row, ox) = Edge<TW, TH>(ref plane, rows, iy, 2 * ox - padLeft, inputWidth, inputHeight);
        }
        for (int ox = end; ox < width; ox++)
        {
            Unsafe.Add(ref row, ox) = Edge<TW, TH>(ref plane, rows, iy, 2 * ox - padLeft, inputWidth, inputHeight);
        }
    }

    /// <summary>
    /// The window at input row <paramref name="iy"/>, column <paramref name="ix"/> (either may be outside the input),
    /// folded as over a −∞ border: each column top to bottom, then the columns left to right, −∞ for every value
    /// outside the input. So the result, NaN included, is the one a −∞-bordered copy of the input gave.
    /// </summary>
    private static float Edge<TW, TH>(ref float plane, nuint rows, int iy, int ix, int inputWidth, int inputHeight)
        where TW : struct, ISize
        where TH : struct, ISize
    {
        float value = 0;
        for (int kx = 0; kx < TW.Value; kx++)
        {
            int x = ix + kx;
            float column = 0;
            for (int ky = 0; ky < TH.Value; ky++)
            {
                int y = iy + ky;
                float v = (uint)x < (uint)inputWidth && (uint)y < (uint)inputHeight ? Unsafe.Add(ref plane, (nint)y * (nint)rows + x) : float.NegativeInfinity;
                column = ky == 0 ? v : Max(column, v);
            }
            value = kx == 0 ? column : Max(value, column);
        }
        return value;
    }

    /// <summary>One instruction set's row kernels, specialized by the JIT in <see cref="Run"/>.</summary>
    private interface IRows
    {
        /// <summary>Outputs per call.</summary>
        static abstract int Width { get; }

        /// <summary>Whether <see cref="Pair"/> shares the middle row of two 3-row windows at vertical stride 2.</summary>
        static abstract bool Pairs { get; }

        /// <summary>Outputs <c>ox…</c> of a row whose windows start at column <paramref name="at"/> of input row <paramref name="top"/>, all inside the input.</summary>
        static abstract void Whole(ref float top, nuint at, nuint rows, ref float row, nuint ox);

        /// <summary>Two rows of outputs (see <see cref="Pair16"/>); only called when <see cref="Pairs"/> is true.</summary>
        static virtual void Pair(ref float top, nuint at, nuint rows, ref float upper, ref float lower, nuint ox) => throw new System.NotSupportedException();

        /// <summary>As <see cref="Whole"/> for windows from input row <paramref name="iy"/> that leave the input's rows (−∞ there).</summary>
        static abstract void Clipped(ref float plane, nuint at, nuint rows, int iy, int inputHeight, ref float row, nuint ox);

        /// <summary>
        /// Whether the kernel has <see cref="Left"/>, <see cref="LeftPair"/> and <see cref="LeftClipped"/>: the first
        /// <see cref="Width"/> outputs of a row with one column of padding on the left, whose first window starts at
        /// column −1 (−∞), so no output of the row is left to <see cref="LeftEdge"/>.
        /// </summary>
        static abstract bool HasLeft { get; }

        /// <summary>Outputs 0 to <see cref="Width"/> − 1 of a row, windows from column −1 (<paramref name="top"/>: column 0 of the window's first row).</summary>
        static virtual void Left(ref float top, nuint rows, ref float row) => throw new System.NotSupportedException();

        /// <summary><see cref="Left"/> for two rows (see <see cref="Pair"/>).</summary>
        static virtual void LeftPair(ref float top, nuint rows, ref float upper, ref float lower) => throw new System.NotSupportedException();

        /// <summary><see cref="Left"/> for windows from input row <paramref name="iy"/> that leave the input's rows (see <see cref="Clipped"/>).</summary>
        static virtual void LeftClipped(ref float plane, nuint rows, int iy, int inputHeight, ref float row) => throw new System.NotSupportedException();
    }

    private readonly struct Rows16<TW, TH> : IRows
        where TW : struct, ISize
        where TH : struct, ISize
    {
        public static int Width => 16;

        public static bool Pairs => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Whole(ref float top, nuint at, nuint rows, ref float row, nuint ox) =>
            Vector512.StoreUnsafe(Row16<TW, TH>(ref top, at, rows), ref row, ox);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Pair(ref float top, nuint at, nuint rows, ref float upper, ref float lower, nuint ox) =>
            Pair16<TW>(ref top, at, rows, ref upper, ref lower, ox);

        [MethodImpl(MethodImplOptions.NoInlining)] // a row or two per plane: kept out of Run, whose inlining budget goes to the whole rows
        public static void Clipped(ref float plane, nuint at, nuint rows, int iy, int inputHeight, ref float row, nuint ox) =>
            Vector512.StoreUnsafe(Clipped16<TW, TH>(ref plane, at, rows, iy, inputHeight), ref row, ox);

        public static bool HasLeft => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Left(ref float top, nuint rows, ref float row) =>
            Vector512.StoreUnsafe(Across16<TW>(ShiftIn(Column16<TH>(ref top, 0, rows)), Column16<TH>(ref top, 15, rows), TW.Value == 3 ? Column16<TH>(ref top, 16, rows) : default), ref row);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void LeftPair(ref float top, nuint rows, ref float upper, ref float lower)
        {
            Column16Pair(ref top, 0, rows, out Vector512<float> u0, out Vector512<float> l0);
            Column16Pair(ref top, 15, rows, out Vector512<float> u16, out Vector512<float> l16);
            Vector512<float> u17 = default, l17 = default;
            if (TW.Value == 3)
            {
                Column16Pair(ref top, 16, rows, out u17, out l17);
            }
            Vector512.StoreUnsafe(Across16<TW>(ShiftIn(u0), u16, u17), ref upper);
            Vector512.StoreUnsafe(Across16<TW>(ShiftIn(l0), l16, l17), ref lower);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static void LeftClipped(ref float plane, nuint rows, int iy, int inputHeight, ref float row) =>
            Vector512.StoreUnsafe(Across16<TW>(ShiftIn(ClippedColumn16<TH>(ref plane, 0, rows, iy, inputHeight)), ClippedColumn16<TH>(ref plane, 15, rows, iy, inputHeight),
                TW.Value == 3 ? ClippedColumn16<TH>(ref plane, 16, rows, iy, inputHeight) : default), ref row);
    }

    /// <summary>
    /// Columns −1 to 14 from the column maxima of columns 0 to 15: −∞ (the padding column) moved in at lane 0. With
    /// the column vectors at 15 and 16, <see cref="Across16"/> then folds the windows of outputs 0 to 15 from column
    /// −1 exactly as over a −∞ border, NaN included (<c>max(−∞, x)</c> is <c>x</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ShiftIn(Vector512<float> columns) =>
        Avx512F.PermuteVar16x32x2(Vector512.Create(float.NegativeInfinity), Vector512.Create(0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30), columns);

    private readonly struct Rows8<TW, TH> : IRows
        where TW : struct, ISize
        where TH : struct, ISize
    {
        public static int Width => 8;

        public static bool Pairs => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Whole(ref float top, nuint at, nuint rows, ref float row, nuint ox) =>
            Vector256.StoreUnsafe(Row8<TW, TH>(ref top, at, rows), ref row, ox);

        public static void Clipped(ref float plane, nuint at, nuint rows, int iy, int inputHeight, ref float row, nuint ox) =>
            ClippedScalar<TW, TH>(ref plane, at, rows, iy, inputHeight, ref row, ox, Width);

        public static bool HasLeft => false;
    }

    private readonly struct Rows4<TW, TH> : IRows
        where TW : struct, ISize
        where TH : struct, ISize
    {
        public static int Width => 4;

        public static bool Pairs => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Whole(ref float top, nuint at, nuint rows, ref float row, nuint ox) =>
            Vector128.StoreUnsafe(Row4<TW, TH>(ref top, at, rows), ref row, ox);

        public static void Clipped(ref float plane, nuint at, nuint rows, int iy, int inputHeight, ref float row, nuint ox) =>
            ClippedScalar<TW, TH>(ref plane, at, rows, iy, inputHeight, ref row, ox, Width);

        public static bool HasLeft => false;
    }

    /// <summary>A 3-wide row of a 3-wide window, whole (<see cref="Row3"/>); its <see cref="Width"/> of 3 makes the row one call.</summary>
    private readonly struct Rows3<TH> : IRows
        where TH : struct, ISize
    {
        public static int Width => 3;

        public static bool Pairs => false;

        public static void Whole(ref float top, nuint at, nuint rows, ref float row, nuint ox) => Row3<TH>(ref Unsafe.Add(ref top, at), rows, ref Unsafe.Add(ref row, ox));

        public static void Clipped(ref float plane, nuint at, nuint rows, int iy, int inputHeight, ref float row, nuint ox) =>
            ClippedScalar<Three, TH>(ref plane, at, rows, iy, inputHeight, ref row, ox, Width);

        public static bool HasLeft => false;
    }

    /// <summary>No vectors: <see cref="Run"/> takes every output through <see cref="Edge"/> (a width no row reaches).</summary>
    private readonly struct RowsScalar : IRows
    {
        public static int Width => int.MaxValue / 4;

        public static bool Pairs => false;

        public static void Whole(ref float top, nuint at, nuint rows, ref float row, nuint ox) => throw new System.NotSupportedException();

        public static void Clipped(ref float plane, nuint at, nuint rows, int iy, int inputHeight, ref float row, nuint ox) => throw new System.NotSupportedException();

        public static bool HasLeft => false;
    }

    /// <summary>
    /// <see cref="IRows.Clipped"/> without vectors (the AVX2, 128-bit and 3-wide kernels): <paramref name="width"/>
    /// outputs from <paramref name="ox"/> through <see cref="Edge"/>, whose windows lie inside the input's columns.
    /// </summary>
    private static void ClippedScalar<TW, TH>(ref float plane, nuint at, nuint rows, int iy, int inputHeight, ref float row, nuint ox, int width)
        where TW : struct, ISize
        where TH : struct, ISize
    {
        for (int k = 0; k < width; k++)
        {
            Unsafe.Add(ref row, ox + (nuint)k) = Edge<TW, TH>(ref plane, rows, iy, (int)at + 2 * k, int.MaxValue, inputHeight);
        }
    }

    /// <summary>
    /// As <see cref="Row16"/> for windows from input row <paramref name="iy"/> that leave the input's rows: −∞ for the
    /// rows outside it, in the same fold (the first row of a column taken as it is, as over a −∞ border).
    /// </summary>
    private static Vector512<float> Clipped16<TW, TH>(ref float plane, nuint at, nuint rows, int iy, int inputHeight)
        where TW : struct, ISize
        where TH : struct, ISize
    {
        return Across16<TW>(ClippedColumn16<TH>(ref plane, at, rows, iy, inputHeight), ClippedColumn16<TH>(ref plane, at + 16, rows, iy, inputHeight),
            TW.Value == 3 ? ClippedColumn16<TH>(ref plane, at + 17, rows, iy, inputHeight) : default);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ClippedColumn16<TH>(ref float plane, nuint at, nuint rows, int iy, int inputHeight)
        where TH : struct, ISize
    {
        Vector512<float> value = default;
        for (int ky = 0; ky < TH.Value; ky++)
        {
            int y = iy + ky;
            Vector512<float> v = (uint)y < (uint)inputHeight ? Vector512.LoadUnsafe(ref plane, (nuint)y * rows + at) : Vector512.Create(float.NegativeInfinity);
            value = ky == 0 ? v : Avx512F.Max(value, v);
        }
        return value;
    }

    /// <summary><c>a &gt; b ? a : b</c> lane by lane (x86 <c>maxps</c>): the one maximum every path uses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Max(float a, float b) => a > b ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Max(Vector128<float> a, Vector128<float> b) =>
        Sse.IsSupported ? Sse.Max(a, b) : Vector128.ConditionalSelect(Vector128.GreaterThan(a, b), a, b);

    /// <summary>The vertical maximum of the window's rows, 16 columns from <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Column16<TH>(ref float top, nuint at, nuint rows)
        where TH : struct, ISize
    {
        Vector512<float> value = Vector512.LoadUnsafe(ref top, at);
        for (int ky = 1; ky < TH.Value; ky++)
        {
            value = Avx512F.Max(value, Vector512.LoadUnsafe(ref top, at + (nuint)ky * rows));
        }
        return value;
    }

    /// <summary>16 outputs whose windows start at column <paramref name="at"/>: columns <c>at</c> to <c>at + 31</c> (+ 32 for 3 wide).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row16<TW, TH>(ref float top, nuint at, nuint rows)
        where TW : struct, ISize
        where TH : struct, ISize
    {
        return Across16<TW>(Column16<TH>(ref top, at, rows), Column16<TH>(ref top, at + 16, rows), TW.Value == 3 ? Column16<TH>(ref top, at + 17, rows) : default);
    }

    /// <summary>
    /// The horizontal step of <see cref="Row16"/> from the column maxima <paramref name="c0"/> (columns <c>at</c> to
    /// <c>at + 15</c>), <paramref name="c16"/> (<c>at + 16</c> to <c>at + 31</c>) and, 3 wide, <paramref name="c17"/>
    /// (<c>at + 17</c> to <c>at + 32</c>, only its last lane used).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Across16<TW>(Vector512<float> c0, Vector512<float> c16, Vector512<float> c17)
        where TW : struct, ISize
    {
        Vector512<float> even = Avx512F.PermuteVar16x32x2(c0, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), c16);
        Vector512<float> value = Avx512F.Max(even, Avx512F.PermuteVar16x32x2(c0, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), c16));
        if (TW.Value == 3)
        {
            // columns 2, 4, … 32: the even columns shifted by one lane, column 32 (the last lane of c17) after them;
            // three column vectors instead of four (9 loads for 3 rows, not 12), nothing past column 32 read
            value = Avx512F.Max(value, Avx512F.PermuteVar16x32x2(even, Vector512.Create(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 31), c17));
        }
        return value;
    }

    /// <summary>
    /// Two output rows of a 3-row window at vertical stride 2, 16 outputs each: the upper from input rows 0..2, the
    /// lower from rows 2..4, row 2 loaded once for both (5 row loads per column vector instead of 6). Each column's
    /// maximum is still taken top to bottom, so the result, NaN included, is that of <see cref="Row16"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair16<TW>(ref float top, nuint at, nuint rows, ref float upper, ref float lower, nuint ox)
        where TW : struct, ISize
    {
        Column16Pair(ref top, at, rows, out Vector512<float> u0, out Vector512<float> l0);
        Column16Pair(ref top, at + 16, rows, out Vector512<float> u16, out Vector512<float> l16);
        Vector512<float> u17 = default, l17 = default;
        if (TW.Value == 3)
        {
            Column16Pair(ref top, at + 17, rows, out u17, out l17);
        }
        Vector512.StoreUnsafe(Across16<TW>(u0, u16, u17), ref upper, ox);
        Vector512.StoreUnsafe(Across16<TW>(l0, l16, l17), ref lower, ox);
    }

    /// <summary>The column maxima of rows 0..2 (<paramref name="upper"/>) and 2..4 (<paramref name="lower"/>), 16 columns from <paramref name="at"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Column16Pair(ref float top, nuint at, nuint rows, out Vector512<float> upper, out Vector512<float> lower)
    {
        Vector512<float> shared = Vector512.LoadUnsafe(ref top, at + 2 * rows);
        upper = Avx512F.Max(Avx512F.Max(Vector512.LoadUnsafe(ref top, at), Vector512.LoadUnsafe(ref top, at + rows)), shared);
        lower = Avx512F.Max(Avx512F.Max(shared, Vector512.LoadUnsafe(ref top, at + 3 * rows)), Vector512.LoadUnsafe(ref top, at + 4 * rows));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Column8<TH>(ref float top, nuint at, nuint rows)
        where TH : struct, ISize
    {
        Vector256<float> value = Vector256.LoadUnsafe(ref top, at);
        for (int ky = 1; ky < TH.Value; ky++)
        {
            value = Avx.Max(value, Vector256.LoadUnsafe(ref top, at + (nuint)ky * rows));
        }
        return value;
    }

    /// <summary>8 outputs whose windows start at column <paramref name="at"/>: columns <c>at</c> to <c>at + 15</c> (+ 16 for 3 wide).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row8<TW, TH>(ref float top, nuint at, nuint rows)
        where TW : struct, ISize
        where TH : struct, ISize
    {
        // vshufps works within 128-bit halves: c0 = columns 0..3 | 4..7 and c8 = 8..11 | 12..15 give the even columns
        // 0 2 8 10 | 4 6 12 14 and the odd ones 1 3 9 11 | 5 7 13 15, outputs 0 1 4 5 | 2 3 6 7; one permute orders them.
        Vector256<float> c0 = Column8<TH>(ref top, at, rows), c8 = Column8<TH>(ref top, at + 8, rows);
        Vector256<float> value = Avx.Max(Avx.Shuffle(c0, c8, 0b10_00_10_00), Avx.Shuffle(c0, c8, 0b11_01_11_01));
        if (TW.Value == 3)
        {
            // columns 2 4 10 12 | 6 8 14 16: lanes 0, 2 of columns 2..9 and lanes 1, 3 of 9..16 (nothing past 16 is read)
            Vector256<float> c2 = Column8<TH>(ref top, at + 2, rows), c9 = Column8<TH>(ref top, at + 9, rows);
            value = Avx.Max(value, Avx.Shuffle(c2, c9, 0b11_01_10_00));
        }
        return Avx2.Permute4x64(value.AsDouble(), 0b11_01_10_00).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Column4<TH>(ref float top, nuint at, nuint rows)
        where TH : struct, ISize
    {
        Vector128<float> value = Vector128.LoadUnsafe(ref top, at);
        for (int ky = 1; ky < TH.Value; ky++)
        {
            value = Max(value, Vector128.LoadUnsafe(ref top, at + (nuint)ky * rows));
        }
        return value;
    }

    /// <summary>4 outputs whose windows start at column <paramref name="at"/>: columns <c>at</c> to <c>at + 7</c> (+ 8 for 3 wide).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Row4<TW, TH>(ref float top, nuint at, nuint rows)
        where TW : struct, ISize
        where TH : struct, ISize
    {
        Vector128<float> c0 = Column4<TH>(ref top, at, rows), c4 = Column4<TH>(ref top, at + 4, rows);
        if (Sse.IsSupported)
        {
            Vector128<float> value = Sse.Max(Sse.Shuffle(c0, c4, 0b10_00_10_00), Sse.Shuffle(c0, c4, 0b11_01_11_01));
            if (TW.Value == 3)
            {
                // columns 2 4 6 8: lanes 0, 2 of columns 2..5 and lanes 1, 3 of 5..8
                value = Sse.Max(value, Sse.Shuffle(Column4<TH>(ref top, at + 2, rows), Column4<TH>(ref top, at + 5, rows), 0b11_01_10_00));
            }
            return value;
        }
        else
        {
            Vector128<float> value = Max(AdvSimd.Arm64.UnzipEven(c0, c4), AdvSimd.Arm64.UnzipOdd(c0, c4));
            if (TW.Value == 3)
            {
                // columns 2 4 6 8: the even lanes of columns 2..5 and of 6 7 8 5 (columns 5..8 rotated by one)
                Vector128<float> c5 = Column4<TH>(ref top, at + 5, rows);
                value = Max(value, AdvSimd.Arm64.UnzipEven(Column4<TH>(ref top, at + 2, rows), AdvSimd.ExtractVector128(c5, c5, 1)));
            }
            return value;
        }
    }

    /// <summary>A 3-wide row of a 3-wide window (columns 0..6): one 128-bit vector, stored as 2 + 1 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row3<TH>(ref float top, nuint rows, ref float row)
        where TH : struct, ISize
    {
        // c0 = columns 0..3, c2 = 2..5, c3 = 3..6: even 0 2 4, odd 1 3 5, even from 2: 2 4 6 (lane 3 repeats lane 2)
        Vector128<float> c0 = Column4<TH>(ref top, 0, rows), c2 = Column4<TH>(ref top, 2, rows), c3 = Column4<TH>(ref top, 3, rows);
        Vector128<float> value = Sse.Max(Sse.Max(Sse.Shuffle(c0, c3, 0b01_01_10_00), Sse.Shuffle(c0, c3, 0b10_10_11_01)), Sse.Shuffle(c2, c3, 0b11_11_10_00));
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref row), value.AsDouble().ToScalar());
        Unsafe.Add(ref row, 2) = value.GetElement(2);
    }
}
