using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnGen.Internal;

namespace CnnGen;

/// <summary>
/// The shape of a pool for <see cref="Pooling.Average"/> and <see cref="Pooling.Maximum"/>: sizes and strides in floats. The
/// input is read as it is, without a border: output row <c>oy</c> takes input rows <c>oy · StrideY − PadTop</c> to
/// <c>oy · StrideY − PadTop + KernelHeight − 1</c> and output column <c>ox</c> input columns <c>ox · StrideX − PadLeft</c>
/// to <c>ox · StrideX − PadLeft + KernelWidth − 1</c>, those inside the <c>InputWidth × InputHeight</c> input (the rest of
/// the window, padding or a ceil-mode window's overhang, adds zero to an average and counts as −∞ in a maximum). An
/// average divides its sum by the number of the window's elements that lie in the counted area: the input plus <c>CountedTop</c>, <c>CountedBottom</c>, <c>CountedLeft</c>
/// and <c>CountedRight</c> rows and columns of padding around it (the padding itself when padding counts, PyTorch's
/// <c>count_include_pad</c>; zeros when only real elements count, ONNX's default). A maximum ignores them.
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
public readonly record struct PoolShape(
    int Channels, int KernelWidth, int KernelHeight, int StrideX, int StrideY,
    int OutputWidth, int OutputHeight,
    int InputRowStride, int InputPlaneStride, int OutputRowStride, int OutputPlaneStride,
    int InputWidth, int InputHeight, int PadTop, int PadLeft,
    int CountedTop, int CountedBottom, int CountedLeft, int CountedRight);

/// <content>
/// Average and max pooling of any window, stride and padding (the max pools <see cref="MaxStride2"/> does not take),
/// written once here instead of emitted per layer.
/// </content>
public static partial class Pooling
{
    /// <summary>
    /// The widest row and tallest map <see cref="Average"/> and <see cref="Maximum"/> take, in floats: the row of column
    /// results with its slack plus the output row, and the output rows (the per-call constants live on the stack). The
    /// generator keeps the per-layer kernels for larger pools.
    /// </summary>
    public const int SeparableLimit = 4096;

    /// <summary>
    /// Average pool (see <see cref="PoolShape"/>). <b>Separable:</b> for each output row the rows of its window are
    /// summed down each column into a row on the stack with zeros left and right of the input's columns (vectors of 16,
    /// 8 or 4 floats), then each output sums its window's columns of that row: contiguous loads for horizontal stride 1;
    /// for stride 2 the sums at every column of two vectors, whose even lanes one shuffle picks; for windows of 4 at stride
    /// 4 four vectors unzipped twice into the window's four columns (M5's 1-D max pool of 1000×1×128: 28.6–30.1 → 8.2–8.6 µs,
    /// 0.53–0.61× → 1.83–1.99× ONNX Runtime; 999×1×64 14.7 → 4.3 µs, 0.47–0.54× → 1.67–2.01×; throwaway probe in one
    /// process, best of 3 × 150 ms, load 16–22); for other larger strides the
    /// window sums at every column in vectors, then every <c>StrideX</c>-th of them, with permutes on AVX-512 and AVX2 when
    /// the row fills a vector and a half (<see cref="StridedRow{T, TW, TFold}"/>), else one float at a time. The sum is then
    /// scaled by the reciprocal of its count (the rows' count per output row, the columns' per output column, computed
    /// once per call). Same-size stride-1 pools on small dense planes fold each plane as one flat row instead
    /// (<see cref="SamePlanes{T, TFold}"/>), and narrow planes (input rows up to 31, output rows up to 32; up to 8 on
    /// AVX2) keep a whole row in registers (<see cref="SmallPlanes{TW, TFold}"/>, <see cref="SmallPlanes8{TFold}"/>). No border is read or needed: the
    /// producer writes a plain buffer and padding costs nothing. For a 3×3 window per 16 outputs: 3 loads and 2 adds
    /// down the columns, 3 loads and 2 adds across them, 2 multiplies.
    /// </summary>
    /// <param name="shape">Sizes and strides.</param>
    /// <param name="input">The input's first element.</param>
    /// <param name="output">The output's first element.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Average(in PoolShape shape, ref float input, ref float output) => Separable<SumFold>(shape, ref input, ref output);

    /// <summary>
    /// Max pool (see <see cref="PoolShape"/>; its counted padding is ignored), separable as <see cref="Average"/>: the
    /// maximum down each column, then across the window's columns, with −∞ left and right of the input's columns and for
    /// a window's rows past the input's last. The fold and its NaN rule are <see cref="MaxStride2"/>'s: <c>max(a, b) =
    /// a &gt; b ? a : b</c>, down each column top to bottom, then across the columns left to right, as over a
    /// −∞-bordered input. For the max pools <see cref="MaxStride2"/> does not take: stride 1 (YOLO's SPPF 5×5, Inception's
    /// 3×3), strides of 3 or more, windows larger than 3.
    /// </summary>
    /// <param name="shape">Sizes and strides.</param>
    /// <param name="input">The input's first element.</param>
    /// <param name="output">The output's first element.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Maximum(in PoolShape shape, ref float input, ref float output) => Separable<MaxFold>(shape, ref input, ref output);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void Separable<TFold>(in PoolShape shape, ref float input, ref float output)
        where TFold : struct, IFold
    {
        int rowLength = ColumnSumLength(shape.InputWidth, shape.OutputWidth, shape.KernelWidth, shape.StrideX, shape.PadLeft);
        if (rowLength + shape.OutputWidth > SeparableLimit || shape.OutputHeight > SeparableLimit || shape.KernelWidth < 1 || shape.StrideX < 1 || shape.PadLeft < 0)
        {
            throw new System.ArgumentOutOfRangeException(nameof(shape), "Rows and maps up to SeparableLimit floats, windows and strides of at least 1.");
        }
        // On AVX-512 rows of up to 16 outputs in registers before the flat same-size pools; wider ones after (see SmallPlanes).
        // Without AVX-512 the flat same-size pools first: on 8-float vectors they beat a row per register on planes of 6+
        // vectors (GoogLeNet's 7×7: see SamePlaneVectors8).
        if (!(Vector512.IsHardwareAccelerated && Avx512F.IsSupported) && TrySame<TFold>(shape, ref input, ref output))
        {
            return;
        }
        if (shape.OutputWidth <= 16 && TrySmall<TFold>(shape, ref input, ref output))
        {
            return;
        }
        if (TrySame<TFold>(shape, ref input, ref output))
        {
            return;
        }
        if (TrySmall<TFold>(shape, ref input, ref output))
        {
            return;
        }
        // Output rows per band: enough that a band's sums are stored well before they are read (BandFloats).
        int band = System.Math.Clamp(BandFloats / rowLength, 1, shape.OutputHeight);
        System.Span<float> sums = stackalloc float[band * rowLength + 16];
        System.Span<float> columnScales = stackalloc float[shape.OutputWidth];
        System.Span<int> first = stackalloc int[shape.OutputHeight];
        System.Span<int> end = stackalloc int[shape.OutputHeight];
        System.Span<float> rowScales = stackalloc float[shape.OutputHeight];
        System.Span<float> folded = stackalloc float[shape.StrideX > 2 ? rowLength : 1];
        sums.Fill(TFold.Outside);
        for (int ox = 0; ox < shape.OutputWidth; ox++)
        {
            int left = ox * shape.StrideX - shape.PadLeft;
            int counted = System.Math.Min(left + shape.KernelWidth, shape.InputWidth + shape.CountedRight) - System.Math.Max(left, -shape.CountedLeft);
            columnScales[ox] = counted > 0 ? 1f / counted : 0f;
        }
        WindowRows(shape, first, end, rowScales);
        var rows = new Rows(rowLength, band, sums[AlignedStart(sums, shape.PadLeft)..], columnScales, first, end, rowScales, folded);
        int narrowest = System.Math.Min(shape.InputWidth, shape.OutputWidth);
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && narrowest >= 16)
        {
            SeparablePlanes<WinogradLanes16, TFold>(shape, rows, ref input, ref output);
        }
        else if (Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported && narrowest >= 8)
        {
            SeparablePlanes<WinogradLanes8, TFold>(shape, rows, ref input, ref output);
        }
        else if (Vector128.IsHardwareAccelerated && narrowest >= 4)
        {
            SeparablePlanes<WinogradLanes4, TFold>(shape, rows, ref input, ref output);
        }
        else
        {
            SeparablePlanesScalar<TFold>(shape, rows, ref input, ref output);
        }
    }

    /// <summary><see cref="SeparablePlanes{T, TW, TH, TFold, TPick}"/> in the instantiation for the stride (<see cref="IPick"/>).</summary>
    private static void SeparablePlanes<T, TFold>(in PoolShape s, in Rows rows, ref float input, ref float output)
        where T : struct, IWinogradLanes<T>
        where TFold : struct, IFold
    {
        // Strides above 2 picked with permutes, on rows long enough: a loop of their own (see StridedRow).
        if (Picks<T>() && s.StrideX > 2 && !(s.StrideX == 4 && s.KernelWidth == 4) && s.OutputWidth >= PickedRow(T.Width))
        {
            SeparablePlanes<T, TFold, Picked>(s, rows, ref input, ref output);
        }
        else
        {
            SeparablePlanes<T, TFold, Unpicked>(s, rows, ref input, ref output);
        }
    }

    /// <summary><see cref="SeparablePlanes{T, TW, TH, TFold, TPick}"/> with the window's size known to the JIT when it is 2×2 or 3×3.</summary>
    private static void SeparablePlanes<T, TFold, TPick>(in PoolShape s, in Rows rows, ref float input, ref float output)
        where T : struct, IWinogradLanes<T>
        where TFold : struct, IFold
        where TPick : struct, IPick
    {
        switch (s.KernelWidth * 4 + s.KernelHeight)
        {
            case 2 * 4 + 2:
                SeparablePlanes<T, Two, Two, TFold, TPick>(s, rows, ref input, ref output);
                break;
            case 3 * 4 + 3:
                SeparablePlanes<T, Three, Three, TFold, TPick>(s, rows, ref input, ref output);
                break;
            default:
                SeparablePlanes<T, AnyWidth, AnyWidth, TFold, TPick>(s, rows, ref input, ref output);
                break;
        }
    }

    /// <summary>How a separable pool folds a window: a sum scaled by the counted elements, or a maximum.</summary>
    private interface IFold
    {
        /// <summary>The value of the columns outside the input (0 for a sum, −∞ for a maximum).</summary>
        static abstract float Outside { get; }

        /// <summary>Whether a window's result is scaled by the reciprocals of its counted rows and columns (an average).</summary>
        static abstract bool Scales { get; }

        static abstract T Fold<T>(T accumulated, T value) where T : struct, IWinogradLanes<T>;

        static abstract float Fold(float accumulated, float value);
    }

    private readonly struct SumFold : IFold
    {
        public static float Outside => 0f;

        public static bool Scales => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Fold<T>(T accumulated, T value) where T : struct, IWinogradLanes<T> => accumulated + value;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Fold(float accumulated, float value) => accumulated + value;
    }

    private readonly struct MaxFold : IFold
    {
        public static float Outside => float.NegativeInfinity;

        public static bool Scales => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static T Fold<T>(T accumulated, T value) where T : struct, IWinogradLanes<T> => T.Max(accumulated, value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Fold(float accumulated, float value) => accumulated > value ? accumulated : value;
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
    private static void WindowRows(in PoolShape s, System.Span<int> first, System.Span<int> end, System.Span<float> scales)
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
    private static void SeparablePlanes<T, TW, TH, TFold, TPick>(in PoolShape s, in Rows rows, ref float input, ref float output)
        where T : struct, IWinogradLanes<T>
        where TW : struct, ISize
        where TH : struct, ISize
        where TFold : struct, IFold
        where TPick : struct, IPick
    {
        T outside = T.Create(TFold.Outside);
        int width = T.Width;
        int kernelWidth = TW.Value > 0 ? TW.Value : s.KernelWidth;
        int kernelHeight = TH.Value > 0 ? TH.Value : s.KernelHeight;
        int strideX = s.StrideX, strideY = s.StrideY, padLeft = s.PadLeft, padTop = s.PadTop, rowLength = rows.Length, band = rows.Band;
        int lastColumn = s.InputWidth - width, lastOutput = s.OutputWidth - width;
        nint inputRowStride = s.InputRowStride, outputRowStride = s.OutputRowStride;
        nint inputPlaneStride = s.InputPlaneStride, outputPlaneStride = s.OutputPlaneStride;
        int outputHeight = s.OutputHeight, channels = s.Channels;
        ref float sums = ref rows.Sums;
        ref float columnScales = ref rows.ColumnScales;
        ref int firstRows = ref rows.First;
        ref int endRows = ref rows.End;
        ref float rowScales = ref rows.RowScales;
        ref float folded = ref rows.Folded;
        int positions = (s.OutputWidth - 1) * strideX + 1;
        StridedLanes strided = TPick.Value ? new StridedLanes(strideX, width) : default;
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
                    bool clippedBelow = end < (top + r) * strideY - padTop + kernelHeight;
                    ref float interior = ref Unsafe.Add(ref sums, r * rowLength + padLeft);
                    ref float windowTop = ref Unsafe.Add(ref plane, first * inputRowStride);
                    if (TH.Value > 0 && end - first == TH.Value)
                    {
                        // The whole window's rows (every row but the edges): a count the JIT knows, so unrolled.
                        for (int x = 0; ; x += width)
                        {
                            int at = System.Math.Min(x, lastColumn);
                            T sum = outside;
                            for (int iy = 0; iy < TH.Value; iy++)
                            {
                                sum = TFold.Fold(sum, T.Load(ref windowTop, iy * inputRowStride + at));
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
                        T sum = outside;
                        ref float column = ref Unsafe.Add(ref windowTop, at);
                        for (int iy = first; iy < end; iy++)
                        {
                            sum = TFold.Fold(sum, T.Load(ref column, 0));
                            column = ref Unsafe.Add(ref column, inputRowStride);
                        }
                        if (clippedBelow)
                        {
                            sum = TFold.Fold(sum, outside); // the rows past the input's last, as over a border (a NaN folded last is dropped)
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
                                sum = TFold.Fold(sum, T.Load(ref row, at + kx));
                            }
                        }
                        else if (strideX == 2 && kernelWidth is 2 or 3)
                        {
                            // Windows of 2 or 3 at stride 2: the even and odd columns of two vectors (the window's first
                            // and second columns), and for 3 the even columns from 2 · at + 2 on (its third): 4 loads and
                            // 2 folds instead of the window at every column (6 loads, 4 folds) and its even lanes. 3×3/2
                            // average with padding 1 on 35×35×64: 12.97–13.36 → 11.90–12.15 µs; 2×2/2 with padding 1
                            // 10.29–10.53 → 9.39–9.74; 3×3/2 excluding padding on 64×40×32 8.47–8.61 → 8.19–8.35 (probe,
                            // best of 3 × 150 ms, alternating, load 32–44).
                            T.Unzip(T.Load(ref row, 2 * at), T.Load(ref row, 2 * at + width), out T even, out T odd);
                            sum = TFold.Fold(even, odd);
                            if (kernelWidth == 3)
                            {
                                T.Unzip(T.Load(ref row, 2 * at + 2), T.Load(ref row, 2 * at + 2 + width), out T next, out _);
                                sum = TFold.Fold(sum, next);
                            }
                        }
                        else if (strideX == 2)
                        {
                            // The window sums at every column from 2 · at on (two vectors), then their even lanes.
                            T low = T.Load(ref row, 2 * at), high = T.Load(ref row, 2 * at + width);
                            for (int kx = 1; kx < kernelWidth; kx++)
                            {
                                low = TFold.Fold(low, T.Load(ref row, 2 * at + kx));
                                high = TFold.Fold(high, T.Load(ref row, 2 * at + width + kx));
                            }
                            T.Unzip(low, high, out sum, out _);
                        }
                        else if (strideX == 4 && kernelWidth == 4)
                        {
                            // Windows of 4 at stride 4 (M5's 1-D max pool): the 4 · width column results from 4 · at on,
                            // unzipped twice into the window's first, second, third and fourth columns, then folded left
                            // to right as the other strides fold (no result at every column, no pick one at a time).
                            T.Unzip(T.Load(ref row, 4 * at), T.Load(ref row, 4 * at + width), out T even01, out T odd01);
                            T.Unzip(T.Load(ref row, 4 * at + 2 * width), T.Load(ref row, 4 * at + 3 * width), out T even23, out T odd23);
                            T.Unzip(even01, even23, out T column0, out T column2);
                            T.Unzip(odd01, odd23, out T column1, out T column3);
                            sum = TFold.Fold(TFold.Fold(TFold.Fold(column0, column1), column2), column3);
                        }
                        else if (TPick.Value)
                        {
                            // Larger strides on AVX-512 and AVX2: every StrideX-th window picked with permutes.
                            StridedRow<T, TW, TFold>(ref row, ref folded, ref outputRow, ref columnScales, Unsafe.Add(ref rowScales, top + r), positions, kernelWidth, strideX, s.OutputWidth, strided);
                            break;
                        }
                        else
                        {
                            // Larger strides: the windows at every column, in vectors, then every StrideX-th of them.
                            FoldedRow<T, TW, TFold>(ref row, ref folded, positions, kernelWidth);
                            float rowScalar = Unsafe.Add(ref rowScales, top + r);
                            for (int o = 0; o < s.OutputWidth; o++)
                            {
                                float value = Unsafe.Add(ref folded, o * strideX);
                                Unsafe.Add(ref outputRow, o) = TFold.Scales ? value * rowScalar * Unsafe.Add(ref columnScales, o) : value;
                            }
                            break;
                        }
                        if (TFold.Scales)
                        {
                            sum = T.MultiplyAdd(T.MultiplyAdd(sum, rowScale, T.Zero), T.Load(ref columnScales, at), T.Zero);
                        }
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

    /// <summary>
    /// The window of <paramref name="kernelWidth"/> column results starting at each of the first <paramref name="positions"/>
    /// columns of <paramref name="row"/>, folded left to right, into <paramref name="folded"/> (the last vector overlapping
    /// the one before; <paramref name="positions"/> is at least a vector).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FoldedRow<T, TW, TFold>(ref float row, ref float folded, int positions, int kernelWidth)
        where T : struct, IWinogradLanes<T>
        where TW : struct, ISize
        where TFold : struct, IFold
    {
        int last = positions - T.Width;
        for (int x = 0; ; x += T.Width)
        {
            int at = System.Math.Min(x, last);
            T value = T.Load(ref row, at);
            for (int kx = 1; kx < kernelWidth; kx++)
            {
                value = TFold.Fold(value, T.Load(ref row, at + kx));
            }
            T.Store(value, ref folded, at);
            if (at == last)
            {
                break;
            }
        }
    }

    /// <summary><paramref name="count"/> column results from <paramref name="start"/>, folded left to right.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float WindowFold<TFold>(ref float row, int start, int count)
        where TFold : struct, IFold
    {
        float value = Unsafe.Add(ref row, start);
        for (int kx = 1; kx < count; kx++)
        {
            value = TFold.Fold(value, Unsafe.Add(ref row, start + kx));
        }
        return value;
    }

    /// <summary><see cref="SeparablePlanes{T, TW, TH, TFold, TPick}"/> without vectors (machines without them, and rows narrower than 4), a row at a time.</summary>
    private static void SeparablePlanesScalar<TFold>(in PoolShape s, in Rows rows, ref float input, ref float output)
        where TFold : struct, IFold
    {
        ref float interior = ref Unsafe.Add(ref rows.Sums, s.PadLeft);
        for (int c = 0; c < s.Channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, (nint)c * s.InputPlaneStride);
            ref float outputPlane = ref Unsafe.Add(ref output, (nint)c * s.OutputPlaneStride);
            for (int oy = 0; oy < s.OutputHeight; oy++)
            {
                int first = Unsafe.Add(ref rows.First, oy), end = Unsafe.Add(ref rows.End, oy);
                bool clippedBelow = end < oy * s.StrideY - s.PadTop + s.KernelHeight;
                for (int x = 0; x < s.InputWidth; x++)
                {
                    float sum = TFold.Outside;
                    for (int iy = first; iy < end; iy++)
                    {
                        sum = TFold.Fold(sum, Unsafe.Add(ref plane, (nint)iy * s.InputRowStride + x));
                    }
                    Unsafe.Add(ref interior, x) = clippedBelow ? TFold.Fold(sum, TFold.Outside) : sum;
                }
                ref float outputRow = ref Unsafe.Add(ref outputPlane, (nint)oy * s.OutputRowStride);
                float rowScale = Unsafe.Add(ref rows.RowScales, oy);
                for (int ox = 0; ox < s.OutputWidth; ox++)
                {
                    float value = WindowFold<TFold>(ref rows.Sums, ox * s.StrideX, s.KernelWidth);
                    Unsafe.Add(ref outputRow, ox) = TFold.Scales ? value * rowScale * Unsafe.Add(ref rows.ColumnScales, ox) : value;
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

        /// <summary>A row of window results at every column (horizontal strides above 2).</summary>
        public readonly ref float Folded;

        public Rows(int length, int band, System.Span<float> sums, System.Span<float> columnScales, System.Span<int> first, System.Span<int> end, System.Span<float> rowScales, System.Span<float> folded)
        {
            Folded = ref folded[0];
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
