using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen;

/// <content>
/// Pools of narrow planes (rows of at most 32 inputs and 32 outputs: GoogLeNet's auxiliary 5×5/3 average of 14×14, its
/// 3×3/1 max pools of 7×7 and 14×14, stride-3 pools of 20×20 and 28×28) on AVX-512, a whole input row in one or two
/// registers.
/// </content>
public static partial class Pooling
{
    /// <summary>
    /// The widest input row <see cref="SmallPlanes{TW, TFold}"/> takes: two 16-float vectors with a lane for the outside
    /// value; output rows up to two vectors.
    /// </summary>
    private const int SmallWidthLimit = 31;

    /// <summary>
    /// Whether <see cref="SmallPlanes{TW, TFold}"/> runs the pool: AVX-512, input and output rows of at most
    /// <see cref="SmallWidthLimit"/> floats, windows at most 16 wide, and, for rows narrower than a vector, at least a
    /// two vectors of input in all (the last rows are loaded ending at their last column, after a vector of other input).
    /// </summary>
    private static bool Small(in PoolShape s) =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx.IsSupported
            && s.InputWidth <= SmallWidthLimit && s.OutputWidth <= 32
            && s.KernelWidth <= 16 && s.PadLeft >= 0 && s.PadTop >= 0
            && (s.InputWidth >= 16 || SmallInputEnd(s) >= 32);

    /// <summary>Floats from the input's first element to just past its last one (last plane, last row, last column).</summary>
    private static long SmallInputEnd(in PoolShape s) =>
        (long)(s.Channels - 1) * s.InputPlaneStride + (long)(s.InputHeight - 1) * s.InputRowStride + s.InputWidth;

    /// <summary><see cref="SmallPlanes{TW, TFold}"/> with the window's width known to the JIT when it is 2, 3 or 5.</summary>
    private static bool TrySmall<TFold>(in PoolShape s, ref float input, ref float output)
        where TFold : struct, IFold
    {
        if (Small(s))
        {
            SmallPlanes<TFold>(s, ref input, ref output);
            return true;
        }
        if (Small8(s))
        {
            SmallPlanes8<TFold>(s, ref input, ref output);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Whether <see cref="SmallPlanes8{TFold}"/> runs the pool: AVX2 without AVX-512, input rows of at most 16 floats (one
    /// or two vectors), output rows of at most 8, windows at most 16 wide, at least two vectors of input in all.
    /// </summary>
    private static bool Small8(in PoolShape s) =>
        !(Vector512.IsHardwareAccelerated && Avx512F.IsSupported) && Vector256.IsHardwareAccelerated && Avx2.IsSupported
            && s.InputWidth <= 16 && s.OutputWidth <= 8 && s.KernelWidth <= 16 && s.PadLeft >= 0 && s.PadTop >= 0
            && SmallInputEnd(s) >= 16;

    /// <summary>
    /// <see cref="SmallPlanes{TW, TFold}"/> on AVX2 for input rows of up to 16 and output rows of up to 8: a row's window
    /// folded down its columns in one 256-bit vector (two for rows of 9 to 16), each window column gathered with
    /// <c>vpermps</c> (from both halves and blended, for rows past 8; the outside value blended in where the column leaves
    /// the input), folded left to right, scaled and stored as two overlapping halves or pairs. The same folds in the same
    /// order. Rows of 9 to 16 (AVX-512 disabled, probe, CnnGen µs, before → after): see <c>Small8</c>'s callers' figures
    /// in the benchmarks README. Measured on the AVX-512 machine with AVX-512 disabled (throwaway probe, load 20–40, CnnGen µs,
    /// before this change → with it): GoogLeNet's 3×3/1 max with padding 1 on 7×7×832 (emitted kernels) 29.8 → 18.6, the
    /// average 18.7 → 23.4 (slower: the emitted 128-bit kernel with a bordered copy was faster there; on AVX-512 the
    /// routing gains 19.2 → 12.5), 5×5/3 average of 8×8×512 21.0 → 5.8, VGG's 2×2/2 max of 4×4×512 8.2 → 2.9, 3×3/2
    /// ceil-mode average of 5×5×70 2.1 → 0.9.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void SmallPlanes8<TFold>(in PoolShape s, ref float input, ref float output)
        where TFold : struct, IFold
    {
        int inputWidth = s.InputWidth, inputHeight = s.InputHeight, outputWidth = s.OutputWidth, outputHeight = s.OutputHeight, channels = s.Channels;
        int kernelWidth = s.KernelWidth, kernelHeight = s.KernelHeight, strideX = s.StrideX, strideY = s.StrideY, padLeft = s.PadLeft, padTop = s.PadTop;
        nint inputRowStride = s.InputRowStride, inputPlaneStride = s.InputPlaneStride, outputRowStride = s.OutputRowStride, outputPlaneStride = s.OutputPlaneStride;
        Vector256<float> outside = Vector256.Create(TFold.Outside);
        Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        bool two = inputWidth > 8; // the row in two vectors, columns 0–7 and 8–15
        System.Span<int> indices = stackalloc int[kernelWidth * 8];
        System.Span<int> upper = stackalloc int[kernelWidth * 8];
        System.Span<int> inside = stackalloc int[kernelWidth * 8];
        System.Span<bool> selects = stackalloc bool[kernelWidth];
        System.Span<float> columnScales = stackalloc float[8];
        for (int kx = 0; kx < kernelWidth; kx++)
        {
            bool select = false;
            for (int o = 0; o < 8; o++)
            {
                int x = o * strideX + kx - padLeft;
                bool real = o < outputWidth && x >= 0 && x < inputWidth;
                indices[kx * 8 + o] = real ? x : 0; // vpermps reads the low 3 bits: x − 8 of the upper vector
                upper[kx * 8 + o] = real && x >= 8 ? -1 : 0;
                inside[kx * 8 + o] = real || o >= outputWidth ? -1 : 0;
                select |= o < outputWidth && !real;
            }
            selects[kx] = select;
        }
        for (int o = 0; o < 8; o++)
        {
            int left = o * strideX - padLeft;
            int counted = System.Math.Min(left + kernelWidth, inputWidth + s.CountedRight) - System.Math.Max(left, -s.CountedLeft);
            columnScales[o] = o < outputWidth && counted > 0 ? 1f / counted : 0f;
        }
        System.Span<int> first = stackalloc int[outputHeight];
        System.Span<int> end = stackalloc int[outputHeight];
        System.Span<float> rowScales = stackalloc float[outputHeight];
        WindowRows(s, first, end, rowScales);
        long safeEnd = SmallInputEnd(s);
        // Rows whose load would pass the input's end are loaded ending at their last column and moved back.
        Vector256<int> unshift = lanes + Vector256.Create(two ? 16 - inputWidth : 8 - inputWidth);
        Vector256<int> down = lanes + Vector256.Create(System.Math.Max(0, outputWidth - (outputWidth >= 4 ? 4 : 2)));
        Vector256<float> scale = Vector256.LoadUnsafe(ref columnScales[0]);
        ref int index = ref indices[0];
        ref int mask = ref inside[0];
        ref int high = ref upper[0];
        ref bool select0 = ref selects[0];
        for (int c = 0; c < channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, c * inputPlaneStride);
            ref float outputPlane = ref Unsafe.Add(ref output, c * outputPlaneStride);
            long room = safeEnd - (two ? 16 : 8) - c * (long)inputPlaneStride;
            int safeRows = room < 0 ? 0 : (int)System.Math.Min(inputHeight, room / inputRowStride + 1);
            for (int oy = 0; oy < outputHeight; oy++)
            {
                int iy = first[oy], endRow = end[oy];
                Vector256<float> low = outside, top = outside;
                for (; iy < endRow; iy++)
                {
                    ref float row = ref Unsafe.Add(ref plane, iy * inputRowStride);
                    if (two)
                    {
                        low = Fold256<TFold>(low, Vector256.LoadUnsafe(ref row));
                        top = Fold256<TFold>(top, iy < safeRows ? Vector256.LoadUnsafe(ref row, 8) : Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref row, (nuint)(nint)(inputWidth - 8)), unshift));
                    }
                    else
                    {
                        low = Fold256<TFold>(low, iy < safeRows ? Vector256.LoadUnsafe(ref row) : Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref row, (nuint)(nint)(inputWidth - 8)), unshift));
                    }
                }
                if (endRow < oy * strideY - padTop + kernelHeight)
                {
                    low = Fold256<TFold>(low, outside); // the rows past the input's last, as over a border
                    top = Fold256<TFold>(top, outside);
                }
                Vector256<float> value = default;
                for (int kx = 0; kx < kernelWidth; kx++)
                {
                    Vector256<int> at = Vector256.LoadUnsafe(ref Unsafe.Add(ref index, kx * 8));
                    Vector256<float> gathered = Avx2.PermuteVar8x32(low, at);
                    if (two)
                    {
                        gathered = Vector256.ConditionalSelect(Vector256.LoadUnsafe(ref Unsafe.Add(ref high, kx * 8)).AsSingle(), Avx2.PermuteVar8x32(top, at), gathered);
                    }
                    if (Unsafe.Add(ref select0, kx))
                    {
                        gathered = Vector256.ConditionalSelect(Vector256.LoadUnsafe(ref Unsafe.Add(ref mask, kx * 8)).AsSingle(), gathered, outside);
                    }
                    value = kx == 0 ? gathered : Fold256<TFold>(value, gathered);
                }
                if (TFold.Scales)
                {
                    value = value * Vector256.Create(rowScales[oy]) * scale;
                }
                ref float outputRow = ref Unsafe.Add(ref outputPlane, oy * outputRowStride);
                if (outputWidth == 8)
                {
                    value.StoreUnsafe(ref outputRow);
                }
                else
                {
                    Narrow(value.GetLower(), Avx2.PermuteVar8x32(value, down).GetLower(), ref outputRow, outputWidth);
                }
            }
        }
    }

    /// <summary>The first <paramref name="count"/> (1–7) lanes: the 512-bit <c>Narrow</c> below 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Narrow(Vector128<float> value, Vector128<float> down, ref float destination, int count)
    {
        if (count >= 4)
        {
            value.StoreUnsafe(ref destination);
            down.StoreUnsafe(ref destination, (nuint)(count - 4));
        }
        else if (count >= 2)
        {
            Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref destination), value.AsDouble().ToScalar());
            Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref destination, count - 2)), down.AsDouble().ToScalar());
        }
        else
        {
            destination = value.ToScalar();
        }
    }

    /// <summary><see cref="IFold.Fold{T}"/> on a bare AVX vector: a sum (the fold that scales), or <c>vmaxps</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fold256<TFold>(Vector256<float> accumulated, Vector256<float> value)
        where TFold : struct, IFold =>
        TFold.Scales ? accumulated + value : Avx.Max(accumulated, value);

    private static void SmallPlanes<TFold>(in PoolShape s, ref float input, ref float output)
        where TFold : struct, IFold
    {
        switch (s.KernelWidth)
        {
            case 2:
                SmallPlanes<Two, TFold>(s, ref input, ref output);
                break;
            case 3:
                SmallPlanes<Three, TFold>(s, ref input, ref output);
                break;
            case 5:
                SmallPlanes<Five, TFold>(s, ref input, ref output);
                break;
            default:
                SmallPlanes<AnyWidth, TFold>(s, ref input, ref output);
                break;
        }
    }

    /// <summary>
    /// A pool of narrow planes, output row by output row, everything in registers. The window's rows are folded down
    /// the columns of one input row's vector (two for rows of 17–31: columns 0–15, and the last ones moved down to lanes
    /// 16 on with the fold's outside value, 0 or −∞, after them), then each of the window's columns is gathered for the
    /// outputs of a vector with one two-source permute (<c>vpermt2ps</c>, index <c>ox · StrideX + kx − PadLeft</c>; a
    /// column outside the input takes an outside lane) and folded left to right, scaled by the counted rows and columns
    /// and stored (a row of 17–32 outputs as two overlapping vectors; a row narrower than a vector as two overlapping
    /// halves, quarters or pairs: <c>vmaskmovps</c> stores cost more than the rest of the row on the AMD EPYC machine).
    /// Rows of up to 8 outputs stored back to back go two output rows per vector: the second row's columns come from
    /// the next row's column vector (lanes 16 on); at vertical stride 1 on rows of up to 8 inputs stored back to back,
    /// where both windows lie inside the input, the two windows are folded from the same loads (16 floats from a row
    /// hold it and the next). No row of column results goes through memory, and no output is picked one at a time: the
    /// row-at-a-time kernel (<see cref="SeparablePlanes{T, TW, TH, TFold, TPick}"/>) spent most of a 14×14 plane's time on its
    /// per-row setup, its 128-bit vectors (rows of 4 outputs) and, for strides above 2, its scalar picks. The same folds
    /// in the same order, so the max pool's NaN rule and an average's rounding are unchanged. Rows of fewer than 16
    /// inputs are loaded 16 floats from their first column, except where that would pass the input's last element:
    /// those rows are loaded ending at their last column and moved into place with one permute.
    /// </summary>
    /// <remarks>
    /// Measured in one process against ONNX Runtime (throwaway probe, best of 150 ms of runs, load 15–47), the
    /// row-at-a-time kernel (or the emitted kernels, see the generator's <c>PoolEmitter.SmallPlanes</c>) → this one,
    /// CnnGen µs: GoogLeNet's auxiliary 5×5/3 average of 14×14×512 26.0 → 7.4–7.7 (0.37× → 1.25–1.52×), its max
    /// variant 25.4 → 7.1–7.6, 17×17×256 19.8 → 8.2–9.0 (0.47× → 1.08–1.13×), 8×8×512 20.9 → 4.3 (0.24× → 1.12×); 5×5/3
    /// with padding 2 on 20×20×64, excluding it 8.2 → 2.9–3.2 (0.54× → 1.42–1.47×), counting it 8.1 → 2.8–3.0; 3×3/3
    /// on 28×28×96 10.2 → 4.5–4.9 (0.82× → 1.38–1.77×), 3×3/3 average of 30×30×32 4.1 → 1.7; GoogLeNet's 3×3/1 max with
    /// padding 1 on 7×7×832 (emitted before) 30.3 → 11.9–12.1 (0.37× → 0.93–1.03×), the average 19.2 → 12.5 (0.64× →
    /// 0.98–1.00×); 14×14×480 with padding 1 (flat same-size planes before) max 23.2–23.7 → 21.1–21.3, average
    /// 24.3–24.4 → 21.3–21.5. Rows of 17 or more outputs keep the flat same-size kernel where it applies (it was faster:
    /// 17×17×768 average 3×3/1 58.4 vs 65.1 here, 20×20×256 26.0 vs 31.7, YOLO's SPPF 5×5/1 on 20×20×256 35.8 vs 40.9,
    /// 24×24×192 max 25.1–25.8 vs 28.8–29.2; 28×28×192 about the same).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void SmallPlanes<TW, TFold>(in PoolShape s, ref float input, ref float output)
        where TW : struct, ISize
        where TFold : struct, IFold
    {
        int inputWidth = s.InputWidth, inputHeight = s.InputHeight, outputWidth = s.OutputWidth, outputHeight = s.OutputHeight, channels = s.Channels;
        int kernelWidth = TW.Value > 0 ? TW.Value : s.KernelWidth, kernelHeight = s.KernelHeight, strideX = s.StrideX, strideY = s.StrideY, padLeft = s.PadLeft, padTop = s.PadTop;
        nint inputRowStride = s.InputRowStride, inputPlaneStride = s.InputPlaneStride, outputRowStride = s.OutputRowStride, outputPlaneStride = s.OutputPlaneStride;
        bool two = inputWidth > 16; // the row in two vectors: columns 0..15 and inputWidth − 16..inputWidth − 1
        bool twoOutputs = outputWidth > 16; // outputs 0..15 and outputWidth − 16..outputWidth − 1
        nint secondColumn = inputWidth - 16;
        Vector512<float> outside = Vector512.Create(TFold.Outside);
        Vector512<int> lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

        // Per output vector and window column, the permute's index into [columns 0..15 | 16..31]: a column outside the
        // input takes lane 16 (one vector: the second source is the outside value) or 31 (two: past the row's last column).
        int outsideLane = two ? 31 : 16;
        // Rows of up to 8 outputs from rows of up to 15 inputs, stored back to back: two output rows per vector, the
        // second's columns gathered from the next row's column vector (lanes 16 on), an outside column from lane 15 of the first.
        bool pairs = !two && 2 * outputWidth <= 16 && inputWidth <= 15 && outputRowStride == outputWidth && outputHeight >= 2;
        // Stride 1 down, rows of up to 8 back to back: a pair's windows, both inside the input, folded from the same loads
        // (16 floats from a row hold it and the next), the second's columns from lane InputWidth on.
        bool flat = pairs && strideY == 1 && inputWidth <= 8 && inputRowStride == inputWidth;
        System.Span<int> indices = stackalloc int[3 * kernelWidth * 16];
        for (int kx = 0; kx < kernelWidth; kx++)
        {
            for (int o = 0; o < 16; o++)
            {
                int ox = o % outputWidth, x = ox * strideX + kx - padLeft;
                indices[(2 * kernelWidth + kx) * 16 + o] = o < 2 * outputWidth && x >= 0 && x < inputWidth ? (o < outputWidth ? x : inputWidth + x) : 16;
            }
        }
        System.Span<float> columnScales = stackalloc float[2 * 16];
        for (int j = 0; j < 2; j++)
        {
            int start = j == 0 ? 0 : System.Math.Max(0, outputWidth - 16);
            for (int kx = 0; kx < kernelWidth; kx++)
            {
                for (int o = 0; o < 16; o++)
                {
                    int ox = start + o, x = ox * strideX + kx - padLeft;
                    int lane = ox < outputWidth && x >= 0 && x < inputWidth ? x : outsideLane;
                    if (j == 1 && pairs)
                    {
                        ox = o % outputWidth;
                        x = ox * strideX + kx - padLeft;
                        lane = o < 2 * outputWidth && x >= 0 && x < inputWidth ? (o < outputWidth ? x : 16 + x) : 15;
                    }
                    indices[(j * kernelWidth + kx) * 16 + o] = lane;
                }
            }
            for (int o = 0; o < 16; o++)
            {
                int ox = j == 1 && pairs ? o % outputWidth : start + o, left = ox * strideX - padLeft;
                int counted = System.Math.Min(left + kernelWidth, inputWidth + s.CountedRight) - System.Math.Max(left, -s.CountedLeft);
                columnScales[j * 16 + o] = ox < outputWidth && counted > 0 ? 1f / counted : 0f;
            }
        }
        System.Span<int> first = stackalloc int[outputHeight];
        System.Span<int> end = stackalloc int[outputHeight];
        System.Span<float> rowScales = stackalloc float[outputHeight];
        WindowRows(s, first, end, rowScales);
        // Two vectors: the last 16 columns moved down to lanes inputWidth − 16.. of the second (from 0 on), then the
        // outside value from lane inputWidth − 16 on.
        Vector512<int> up = lanes + Vector512.Create(32 - inputWidth);
        Vector512<float> tail = Vector512.LessThan(lanes, Vector512.Create(inputWidth - 16)).AsSingle();
        // Rows narrower than a vector loaded from their first column up to safeEnd stay inside the input; past it, they
        // are loaded ending at their last column and moved back with this permute (the lanes past the row are never gathered).
        long safeEnd = SmallInputEnd(s);
        Vector512<int> unshift = lanes + Vector512.Create(16 - inputWidth);
        // A row narrower than a vector is stored in two overlapping halves, quarters or pairs: the second moved down by this permute.
        Vector512<int> down = lanes + Vector512.Create(System.Math.Max(0, outputWidth - NarrowPart(outputWidth)));
        int stored = 2 * outputWidth; // a pair's outputs
        Vector512<int> pairDown = lanes + Vector512.Create(System.Math.Max(0, stored - NarrowPart(stored)));
        Vector512<float> last = Vector512.Equals(lanes, Vector512.Create(15)).AsSingle(); // lane 15: a pair's outside column
        Vector512<float> firstRowLanes = Vector512.LessThan(lanes, Vector512.Create(outputWidth)).AsSingle();
        ref int index = ref indices[0];
        Vector512<int> i0 = Vector512.LoadUnsafe(ref index), i1 = Index(ref index, 1, kernelWidth), i2 = Index(ref index, 2, kernelWidth);
        Vector512<int> i3 = Index(ref index, 3, kernelWidth), i4 = Index(ref index, 4, kernelWidth);
        ref int secondIndex = ref Unsafe.Add(ref index, kernelWidth * 16);
        Vector512<int> k0 = Vector512.LoadUnsafe(ref secondIndex), k1 = Index(ref secondIndex, 1, kernelWidth), k2 = Index(ref secondIndex, 2, kernelWidth);
        Vector512<int> k3 = Index(ref secondIndex, 3, kernelWidth), k4 = Index(ref secondIndex, 4, kernelWidth);
        ref int flatIndex = ref Unsafe.Add(ref index, 2 * kernelWidth * 16);
        Vector512<int> f0 = Vector512.LoadUnsafe(ref flatIndex), f1 = Index(ref flatIndex, 1, kernelWidth), f2 = Index(ref flatIndex, 2, kernelWidth);
        Vector512<int> f3 = Index(ref flatIndex, 3, kernelWidth), f4 = Index(ref flatIndex, 4, kernelWidth);
        Vector512<float> scale0 = Vector512.LoadUnsafe(ref columnScales[0]), scale1 = Vector512.LoadUnsafe(ref columnScales[16]);
        nint secondOutput = outputWidth - 16;
        // A dense output takes a whole vector for a row of 9–15 outputs: the lanes past the row land on rows and planes
        // written after it (never past the output's last element). Saves Narrow's permute and second 8-float store: 14×14
        // 3×3/1 with padding 1, max on 480 planes 24.4–26.6 → 21.1–21.3 µs, average 24.2–25.9 → 21.3–21.5 (probe, load
        // 35–47). Narrower rows keep Narrow's two 128-bit or 256-bit stores (a 64-byte store per row measured slower:
        // 7×7×832 max 13.6–13.9 → 14.5–14.7 µs, 5-wide rows of GoogLeNet's auxiliary pool on 17×17 8.3–8.8 → 9.0–9.1).
        bool wholeVector = outputWidth > 8 && outputRowStride == outputWidth && outputPlaneStride == (nint)outputWidth * outputHeight;
        nint outputEnd = channels * outputPlaneStride;
        for (int c = 0; c < channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, c * inputPlaneStride);
            ref float outputPlane = ref Unsafe.Add(ref output, c * outputPlaneStride);
            // Rows read 16 floats from their first column below this one (narrow rows; every row for two vectors).
            long room = safeEnd - 16 - c * (long)inputPlaneStride;
            int safeRows = two ? inputHeight : room < 0 ? 0 : (int)System.Math.Min(inputHeight, room / inputRowStride + 1);
            int oy = 0;
            if (pairs)
            {
                for (; oy + 1 < outputHeight; oy += 2)
                {
                    Vector512<float> value;
                    int top = oy - padTop;
                    if (flat && top >= 0 && top + 1 + kernelHeight <= inputHeight && top + kernelHeight <= safeRows)
                    {
                        // Rows top.. for the first window in lanes 0.., top + 1.. for the second in lanes InputWidth..
                        Vector512<float> both = Down<TFold>(ref plane, top, top + kernelHeight, safeRows, inputRowStride, top + kernelHeight, outside, unshift, inputWidth);
                        value = Across<TW, TFold>(both, outside, f0, f1, f2, f3, f4, ref flatIndex, kernelWidth);
                    }
                    else
                    {
                        Vector512<float> upper = Vector512.ConditionalSelect(last, outside, Down<TFold>(ref plane, first[oy], end[oy], safeRows, inputRowStride, oy * strideY - padTop + kernelHeight, outside, unshift, inputWidth));
                        Vector512<float> lower = Down<TFold>(ref plane, first[oy + 1], end[oy + 1], safeRows, inputRowStride, (oy + 1) * strideY - padTop + kernelHeight, outside, unshift, inputWidth);
                        value = Across<TW, TFold>(upper, lower, k0, k1, k2, k3, k4, ref secondIndex, kernelWidth);
                    }
                    if (TFold.Scales)
                    {
                        value = value * Vector512.ConditionalSelect(firstRowLanes, Vector512.Create(rowScales[oy]), Vector512.Create(rowScales[oy + 1])) * scale1;
                    }
                    ref float outputRow = ref Unsafe.Add(ref outputPlane, oy * outputRowStride);
                    if (stored == 16)
                    {
                        value.StoreUnsafe(ref outputRow);
                    }
                    else
                    {
                        Narrow(value, Avx512F.PermuteVar16x32(value, pairDown), ref outputRow, stored);
                    }
                }
            }
            for (; oy < outputHeight; oy++)
            {
                int firstRow = first[oy], endRow = end[oy];
                Vector512<float> low = outside, high = outside;
                int iy = firstRow;
                for (int safe = System.Math.Min(endRow, safeRows); iy < safe; iy++)
                {
                    ref float row = ref Unsafe.Add(ref plane, iy * inputRowStride);
                    low = Fold512<TFold>(low, Vector512.LoadUnsafe(ref row));
                    if (two)
                    {
                        high = Fold512<TFold>(high, Vector512.LoadUnsafe(ref Unsafe.Add(ref row, secondColumn)));
                    }
                }
                for (; iy < endRow; iy++)
                {
                    low = Fold512<TFold>(low, Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref Unsafe.Add(ref plane, iy * inputRowStride + inputWidth - 16)), unshift));
                }
                if (endRow < oy * strideY - padTop + kernelHeight)
                {
                    // The rows past the input's last, as over a border (a NaN folded last is dropped).
                    low = Fold512<TFold>(low, outside);
                    high = Fold512<TFold>(high, outside);
                }
                Vector512<float> second = two ? Vector512.ConditionalSelect(tail, Avx512F.PermuteVar16x32(high, up), outside) : outside;
                ref float outputRow = ref Unsafe.Add(ref outputPlane, oy * outputRowStride);
                Vector512<float> value = Across<TW, TFold>(low, second, i0, i1, i2, i3, i4, ref index, kernelWidth);
                if (TFold.Scales)
                {
                    value = value * Vector512.Create(rowScales[oy]) * scale0;
                }
                if (outputWidth >= 16 || (wholeVector && c * outputPlaneStride + oy * outputRowStride + 16 <= outputEnd))
                {
                    value.StoreUnsafe(ref outputRow);
                }
                else
                {
                    Narrow(value, Avx512F.PermuteVar16x32(value, down), ref outputRow, outputWidth);
                }
                if (twoOutputs)
                {
                    value = Across<TW, TFold>(low, second, k0, k1, k2, k3, k4, ref secondIndex, kernelWidth);
                    if (TFold.Scales)
                    {
                        value = value * Vector512.Create(rowScales[oy]) * scale1;
                    }
                    value.StoreUnsafe(ref Unsafe.Add(ref outputRow, secondOutput));
                }
            }
        }
    }

    /// <summary>
    /// One row narrower than a vector (<paramref name="width"/> inputs), its window's rows <paramref name="firstRow"/> to
    /// <paramref name="endRow"/> folded down each column from the outside value (rows from <paramref name="safeRows"/> on
    /// loaded ending at their last column and moved back with <paramref name="unshift"/>), then the outside value once
    /// more when the window passes the input's last row (<paramref name="windowEnd"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Down<TFold>(ref float plane, int firstRow, int endRow, int safeRows, nint rowStride, int windowEnd, Vector512<float> outside, Vector512<int> unshift, int width)
        where TFold : struct, IFold
    {
        Vector512<float> value = outside;
        int iy = firstRow;
        for (int safe = System.Math.Min(endRow, safeRows); iy < safe; iy++)
        {
            value = Fold512<TFold>(value, Vector512.LoadUnsafe(ref Unsafe.Add(ref plane, iy * rowStride)));
        }
        for (; iy < endRow; iy++)
        {
            value = Fold512<TFold>(value, Avx512F.PermuteVar16x32(Vector512.LoadUnsafe(ref Unsafe.Add(ref plane, iy * rowStride + width - 16)), unshift));
        }
        return endRow < windowEnd ? Fold512<TFold>(value, outside) : value;
    }

    /// <summary>The permute indices of window column <paramref name="kx"/> (zeros past the window).</summary>
    private static Vector512<int> Index(ref int indices, int kx, int kernelWidth) =>
        kx < kernelWidth ? Vector512.LoadUnsafe(ref indices, (nuint)(kx * 16)) : default;

    /// <summary>A vector of outputs: the window's columns gathered from the two sources and folded left to right.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Across<TW, TFold>(Vector512<float> low, Vector512<float> high, Vector512<int> i0, Vector512<int> i1, Vector512<int> i2, Vector512<int> i3, Vector512<int> i4, ref int indices, int kernelWidth)
        where TW : struct, ISize
        where TFold : struct, IFold
    {
        Vector512<float> value = Avx512F.PermuteVar16x32x2(low, i0, high);
        if (kernelWidth > 1)
        {
            value = Fold512<TFold>(value, Avx512F.PermuteVar16x32x2(low, i1, high));
        }
        if (kernelWidth > 2)
        {
            value = Fold512<TFold>(value, Avx512F.PermuteVar16x32x2(low, i2, high));
        }
        if (kernelWidth > 3)
        {
            value = Fold512<TFold>(value, Avx512F.PermuteVar16x32x2(low, i3, high));
        }
        if (kernelWidth > 4)
        {
            value = Fold512<TFold>(value, Avx512F.PermuteVar16x32x2(low, i4, high));
        }
        for (int kx = 5; kx < kernelWidth; kx++)
        {
            value = Fold512<TFold>(value, Avx512F.PermuteVar16x32x2(low, Vector512.LoadUnsafe(ref indices, (nuint)(kx * 16)), high));
        }
        return value;
    }

    /// <summary>The part <c>Narrow</c> stores twice for <paramref name="count"/> lanes: 8, 4 or 2 floats.</summary>
    private static int NarrowPart(int count) => count >= 8 ? 8 : count >= 4 ? 4 : 2;

    /// <summary>
    /// The first <paramref name="count"/> (1–15) lanes of <paramref name="value"/> stored at <paramref name="destination"/>,
    /// and nothing past them: the lower 8, 4 or 2 lanes, then the same from <paramref name="down"/> (the lanes from
    /// <c>count − 8</c>, <c>− 4</c> or <c>− 2</c> on), overlapping.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Narrow(Vector512<float> value, Vector512<float> down, ref float destination, int count)
    {
        if (count >= 8)
        {
            value.GetLower().StoreUnsafe(ref destination);
            down.GetLower().StoreUnsafe(ref destination, (nuint)(count - 8));
        }
        else
        {
            Narrow(value.GetLower().GetLower(), down.GetLower().GetLower(), ref destination, count);
        }
    }

    /// <summary><see cref="IFold.Fold{T}"/> on a bare AVX-512 vector: a sum (the fold that scales), or <c>vmaxps</c> (<c>a &gt; b ? a : b</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fold512<TFold>(Vector512<float> accumulated, Vector512<float> value)
        where TFold : struct, IFold =>
        TFold.Scales ? accumulated + value : Avx512F.Max(accumulated, value);
}
