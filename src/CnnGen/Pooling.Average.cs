using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnGen.Internal;

namespace CnnGen;

/// <summary>
/// The shape of an average pool for <see cref="Pooling.Average"/>: sizes and strides in floats. The input is read as it
/// is, without a border: output row <c>oy</c> sums input rows <c>oy · StrideY − PadTop</c> to
/// <c>oy · StrideY − PadTop + KernelHeight − 1</c> and output column <c>ox</c> input columns <c>ox · StrideX − PadLeft</c>
/// to <c>ox · StrideX − PadLeft + KernelWidth − 1</c>, those inside the <c>InputWidth × InputHeight</c> input (the rest of
/// the window, padding or a ceil-mode window's overhang, adds zero). The sum is divided by the number of the window's
/// elements that lie in the counted area: the input plus <c>CountedTop</c>, <c>CountedBottom</c>, <c>CountedLeft</c>
/// and <c>CountedRight</c> rows and columns of padding around it (the padding itself when padding counts, PyTorch's
/// <c>count_include_pad</c>; zeros when only real elements count, ONNX's default).
/// </summary>
/// <param name="Channels">Channels (planes).</param>
/// <param name="KernelWidth">Window width.</param>
/// <param name="KernelHeight">Window height.</param>
/// <param name="StrideX">Horizontal stride.</param>
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
/// <param name="CountedTop">Rows above the input that count towards the divisor.</param>
/// <param name="CountedBottom">Rows below the input that count towards the divisor.</param>
/// <param name="CountedLeft">Columns left of the input that count towards the divisor.</param>
/// <param name="CountedRight">Columns right of the input that count towards the divisor.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct AvgPoolShape(
    int Channels, int KernelWidth, int KernelHeight, int StrideX, int StrideY,
    int OutputWidth, int OutputHeight,
    int InputRowStride, int InputPlaneStride, int OutputRowStride, int OutputPlaneStride,
    int InputWidth, int InputHeight, int PadTop, int PadLeft,
    int CountedTop, int CountedBottom, int CountedLeft, int CountedRight);

/// <content>
/// Average pooling of any window, stride and padding, written once here instead of emitted per layer.
/// </content>
public static partial class Pooling
{
    /// <summary>
    /// The widest row and tallest map <see cref="Average"/> takes, in floats: its column sums with their slack plus its
    /// output row, and its output rows (its per-call constants live on the stack). The generator keeps the per-layer
    /// kernels for larger pools.
    /// </summary>
    public const int AverageLimit = 4096;

    /// <summary>
    /// Average pool (see <see cref="AvgPoolShape"/>). <b>Separable:</b> for each output row the rows of its window are
    /// summed down each column into a row on the stack with zeros left and right of the input's columns (vectors of 16,
    /// 8 or 4 floats), then each output sums its window's columns of that row: contiguous loads for horizontal stride 1;
    /// for stride 2 the sums at every column of two vectors, whose even lanes one shuffle picks; other strides pick
    /// every <c>StrideX</c>-th sum one float at a time. The sum is then scaled by the reciprocal of its count (the rows'
    /// count per output row, the columns' per output column, computed once per call). No border is read or needed: the
    /// producer writes a plain buffer and padding costs nothing. For a 3×3 window per 16 outputs: 3 loads and 2 adds
    /// down the columns, 3 loads and 2 adds across them, 2 multiplies.
    /// </summary>
    /// <param name="shape">Sizes and strides.</param>
    /// <param name="input">The input's first element.</param>
    /// <param name="output">The output's first element.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void Average(in AvgPoolShape shape, ref float input, ref float output)
    {
        int rowLength = ColumnSumLength(shape.InputWidth, shape.OutputWidth, shape.KernelWidth, shape.StrideX, shape.PadLeft);
        if (rowLength + shape.OutputWidth > AverageLimit || shape.OutputHeight > AverageLimit || shape.KernelWidth < 1 || shape.StrideX < 1 || shape.PadLeft < 0)
        {
            throw new System.ArgumentOutOfRangeException(nameof(shape), "Rows and maps up to AverageLimit floats, windows and strides of at least 1.");
        }
        // Output rows per band: enough that a band's sums are stored well before they are read (BandFloats).
        int band = System.Math.Clamp(BandFloats / rowLength, 1, shape.OutputHeight);
        System.Span<float> sums = stackalloc float[band * rowLength + 16];
        System.Span<float> columnScales = stackalloc float[shape.OutputWidth];
        System.Span<int> first = stackalloc int[shape.OutputHeight];
        System.Span<int> end = stackalloc int[shape.OutputHeight];
        System.Span<float> rowScales = stackalloc float[shape.OutputHeight];
        sums.Clear();
        for (int ox = 0; ox < shape.OutputWidth; ox++)
        {
            int left = ox * shape.StrideX - shape.PadLeft;
            int counted = System.Math.Min(left + shape.KernelWidth, shape.InputWidth + shape.CountedRight) - System.Math.Max(left, -shape.CountedLeft);
            columnScales[ox] = counted > 0 ? 1f / counted : 0f;
        }
        WindowRows(shape, first, end, rowScales);
        var rows = new Rows(rowLength, band, sums[AlignedStart(sums, shape.PadLeft)..], columnScales, first, end, rowScales);
        int narrowest = System.Math.Min(shape.InputWidth, shape.OutputWidth);
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && narrowest >= 16)
        {
            AveragePlanes<WinogradLanes16>(shape, rows, ref input, ref output);
        }
        else if (Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported && narrowest >= 8)
        {
            AveragePlanes<WinogradLanes8>(shape, rows, ref input, ref output);
        }
        else if (Vector128.IsHardwareAccelerated && narrowest >= 4)
        {
            AveragePlanes<WinogradLanes4>(shape, rows, ref input, ref output);
        }
        else
        {
            AveragePlanesScalar(shape, rows, ref input, ref output);
        }
    }

    /// <summary><see cref="AveragePlanes{T, TW, TH}"/> with the window's size known to the JIT when it is 2×2 or 3×3.</summary>
    private static void AveragePlanes<T>(in AvgPoolShape s, in Rows rows, ref float input, ref float output)
        where T : struct, IWinogradLanes<T>
    {
        switch (s.KernelWidth * 4 + s.KernelHeight)
        {
            case 2 * 4 + 2:
                AveragePlanes<T, Two, Two>(s, rows, ref input, ref output);
                break;
            case 3 * 4 + 3:
                AveragePlanes<T, Three, Three>(s, rows, ref input, ref output);
                break;
            default:
                AveragePlanes<T, AnyWidth, AnyWidth>(s, rows, ref input, ref output);
                break;
        }
    }

    /// <summary>Floats of column sums a band of output rows holds (at least one row): 8 KB, well inside the L1 cache.</summary>
    private const int BandFloats = 2048;

    /// <summary>
    /// Floats of the column-sum row: the padded columns every window reaches (from the first window's left edge to the
    /// last one's right edge, and all of the input), with a vector's slack read by the last vector of stride-2 sums.
    /// </summary>
    private static int ColumnSumLength(int inputWidth, int outputWidth, int kernelWidth, int strideX, int padLeft) =>
        (System.Math.Max(padLeft + inputWidth, (outputWidth - 1) * strideX + kernelWidth) + 2 * 16 + 15) & ~15;

    /// <summary>
    /// The index in <paramref name="sums"/> from which the rows of sums start so that their input columns (at
    /// <paramref name="padLeft"/>, every row a multiple of 16 floats long) start on 64 bytes: the column sums are stored
    /// without splitting a cache line.
    /// </summary>
    private static unsafe int AlignedStart(System.Span<float> sums, int padLeft)
    {
        nint address = (nint)Unsafe.AsPointer(ref sums[0]) / sizeof(float) + padLeft;
        return (int)((16 - (address & 15)) & 15);
    }

    /// <summary>A window width the JIT knows (<see cref="Two"/>, <see cref="Three"/>), or <see cref="AnyWidth"/>: the shape's.</summary>
    private readonly struct AnyWidth : ISize
    {
        public static int Value => 0;
    }

    /// <summary>
    /// Per output row, the rows of its window inside the input (<paramref name="first"/> to <paramref name="end"/>) and the
    /// reciprocal of its counted rows (<paramref name="scales"/>): the same for every channel, so computed once per call.
    /// </summary>
    private static void WindowRows(in AvgPoolShape s, System.Span<int> first, System.Span<int> end, System.Span<float> scales)
    {
        for (int oy = 0; oy < s.OutputHeight; oy++)
        {
            int top = oy * s.StrideY - s.PadTop;
            int counted = System.Math.Min(top + s.KernelHeight, s.InputHeight + s.CountedBottom) - System.Math.Max(top, -s.CountedTop);
            first[oy] = System.Math.Max(top, 0);
            end[oy] = System.Math.Min(top + s.KernelHeight, s.InputHeight);
            scales[oy] = counted > 0 ? 1f / counted : 0f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AveragePlanes<T, TW, TH>(in AvgPoolShape s, in Rows rows, ref float input, ref float output)
        where T : struct, IWinogradLanes<T>
        where TW : struct, ISize
        where TH : struct, ISize
    {
        int width = T.Width;
        int kernelWidth = TW.Value > 0 ? TW.Value : s.KernelWidth;
        int strideX = s.StrideX, padLeft = s.PadLeft, rowLength = rows.Length, band = rows.Band;
        int lastColumn = s.InputWidth - width, lastOutput = s.OutputWidth - width;
        nint inputRowStride = s.InputRowStride, outputRowStride = s.OutputRowStride;
        nint inputPlaneStride = s.InputPlaneStride, outputPlaneStride = s.OutputPlaneStride;
        int outputHeight = s.OutputHeight, channels = s.Channels;
        ref float sums = ref rows.Sums;
        ref float columnScales = ref rows.ColumnScales;
        ref int firstRows = ref rows.First;
        ref int endRows = ref rows.End;
        ref float rowScales = ref rows.RowScales;
        for (int c = 0; c < channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, c * inputPlaneStride);
            ref float outputPlane = ref Unsafe.Add(ref output, c * outputPlaneStride);
            for (int top = 0; top < outputHeight; top += band)
            {
                int count = System.Math.Min(band, outputHeight - top);
                // Down the columns, for a band of output rows: each window's rows inside the input, summed top to bottom,
                // into the band's rows of sums, where the input's columns sit at PadLeft (the columns around them stay
                // zero: the last vector overlaps the one before it instead of writing past the input's columns).
                for (int r = 0; r < count; r++)
                {
                    int first = Unsafe.Add(ref firstRows, top + r), end = Unsafe.Add(ref endRows, top + r);
                    ref float interior = ref Unsafe.Add(ref sums, r * rowLength + padLeft);
                    ref float windowTop = ref Unsafe.Add(ref plane, first * inputRowStride);
                    if (TH.Value > 0 && end - first == TH.Value)
                    {
                        // The whole window's rows (every row but the edges): a count the JIT knows, so unrolled.
                        for (int x = 0; ; x += width)
                        {
                            int at = System.Math.Min(x, lastColumn);
                            T sum = T.Zero;
                            for (int iy = 0; iy < TH.Value; iy++)
                            {
                                sum += T.Load(ref windowTop, iy * inputRowStride + at);
                            }
                            T.Store(sum, ref interior, at);
                            if (at == lastColumn)
                            {
                                break;
                            }
                        }
                        continue;
                    }
                    for (int x = 0; ; x += width)
                    {
                        int at = System.Math.Min(x, lastColumn);
                        T sum = T.Zero;
                        ref float column = ref Unsafe.Add(ref windowTop, at);
                        for (int iy = first; iy < end; iy++)
                        {
                            sum += T.Load(ref column, 0);
                            column = ref Unsafe.Add(ref column, inputRowStride);
                        }
                        T.Store(sum, ref interior, at);
                        if (at == lastColumn)
                        {
                            break;
                        }
                    }
                }
                // Across the columns (a band later, so the loads do not wait on the stores just made): each output's
                // window of sums, scaled by its counted rows and columns.
                for (int r = 0; r < count; r++)
                {
                    ref float row = ref Unsafe.Add(ref sums, r * rowLength);
                    ref float outputRow = ref Unsafe.Add(ref outputPlane, (top + r) * outputRowStride);
                    T rowScale = T.Create(Unsafe.Add(ref rowScales, top + r));
                    for (int ox = 0; ; ox += width)
                    {
                        int at = System.Math.Min(ox, lastOutput);
                        T sum;
                        if (strideX == 1)
                        {
                            sum = T.Load(ref row, at);
                            for (int kx = 1; kx < kernelWidth; kx++)
                            {
                                sum += T.Load(ref row, at + kx);
                            }
                        }
                        else if (strideX == 2)
                        {
                            // The window sums at every column from 2 · at on (two vectors), then their even lanes.
                            T low = T.Load(ref row, 2 * at), high = T.Load(ref row, 2 * at + width);
                            for (int kx = 1; kx < kernelWidth; kx++)
                            {
                                low += T.Load(ref row, 2 * at + kx);
                                high += T.Load(ref row, 2 * at + width + kx);
                            }
                            T.Unzip(low, high, out sum, out _);
                        }
                        else
                        {
                            for (int k = 0; k < width; k++)
                            {
                                Unsafe.Add(ref outputRow, at + k) = WindowSum(ref row, (at + k) * strideX, kernelWidth);
                            }
                            sum = T.Load(ref outputRow, at);
                        }
                        sum = T.MultiplyAdd(T.MultiplyAdd(sum, rowScale, T.Zero), T.Load(ref columnScales, at), T.Zero);
                        T.Store(sum, ref outputRow, at);
                        if (at == lastOutput)
                        {
                            break;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The sum of <paramref name="count"/> column sums from <paramref name="start"/>, left to right.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float WindowSum(ref float row, int start, int count)
    {
        float value = Unsafe.Add(ref row, start);
        for (int kx = 1; kx < count; kx++)
        {
            value += Unsafe.Add(ref row, start + kx);
        }
        return value;
    }

    /// <summary><see cref="AveragePlanes{T, TW, TH}"/> without vectors (machines without them, and rows narrower than 4), a row at a time.</summary>
    private static void AveragePlanesScalar(in AvgPoolShape s, in Rows rows, ref float input, ref float output)
    {
        ref float interior = ref Unsafe.Add(ref rows.Sums, s.PadLeft);
        for (int c = 0; c < s.Channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, (nint)c * s.InputPlaneStride);
            ref float outputPlane = ref Unsafe.Add(ref output, (nint)c * s.OutputPlaneStride);
            for (int oy = 0; oy < s.OutputHeight; oy++)
            {
                int first = Unsafe.Add(ref rows.First, oy), end = Unsafe.Add(ref rows.End, oy);
                for (int x = 0; x < s.InputWidth; x++)
                {
                    float sum = 0f;
                    for (int iy = first; iy < end; iy++)
                    {
                        sum += Unsafe.Add(ref plane, (nint)iy * s.InputRowStride + x);
                    }
                    Unsafe.Add(ref interior, x) = sum;
                }
                ref float outputRow = ref Unsafe.Add(ref outputPlane, (nint)oy * s.OutputRowStride);
                float rowScale = Unsafe.Add(ref rows.RowScales, oy);
                for (int ox = 0; ox < s.OutputWidth; ox++)
                {
                    Unsafe.Add(ref outputRow, ox) = WindowSum(ref rows.Sums, ox * s.StrideX, s.KernelWidth) * rowScale * Unsafe.Add(ref rows.ColumnScales, ox);
                }
            }
        }
    }

    /// <summary>The call's stack memory: a band of column-sum rows, and the per-row and per-column constants.</summary>
    private readonly ref struct Rows
    {
        /// <summary>Floats from one row of sums to the next.</summary>
        public readonly int Length;

        /// <summary>Output rows per band.</summary>
        public readonly int Band;

        public readonly ref float Sums;

        public readonly ref float ColumnScales;

        public readonly ref int First;

        public readonly ref int End;

        public readonly ref float RowScales;

        public Rows(int length, int band, System.Span<float> sums, System.Span<float> columnScales, System.Span<int> first, System.Span<int> end, System.Span<float> rowScales)
        {
            Length = length;
            Band = band;
            Sums = ref sums[0];
            ColumnScales = ref columnScales[0];
            First = ref first[0];
            End = ref end[0];
            RowScales = ref rowScales[0];
        }
    }
}
