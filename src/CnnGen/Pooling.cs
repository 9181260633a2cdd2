using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CnnGen;

/// <summary>
/// The shape of a max pool with horizontal stride 2 for <see cref="Pooling.MaxStride2"/>: sizes and strides in floats.
/// The input is read from its top-left corner (the −∞ border of a padded input included); output row <c>oy</c> reads
/// input rows <c>oy · StrideY</c> to <c>oy · StrideY + KernelHeight − 1</c>, output column <c>ox</c> input columns
/// <c>2 · ox</c> to <c>2 · ox + KernelWidth − 1</c>, and nothing else.
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
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct MaxPoolShape(
    int Channels, int KernelWidth, int KernelHeight, int StrideY,
    int OutputWidth, int OutputHeight,
    int InputRowStride, int InputPlaneStride, int OutputRowStride, int OutputPlaneStride);

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
/// <b>NaN.</b> Every path computes the same fold, in the same order, of <c>max(a, b) = a &gt; b ? a : b</c> (x86
/// <c>maxps</c>, ONNX Runtime's choice; on Arm64 a compare and select): first down each column (rows top to bottom),
/// then across the columns (left to right). A NaN is therefore passed on only when it is the last value of its column
/// and its column the last of the window to be combined; otherwise it is dropped — the same result on AVX-512, AVX2,
/// 128-bit vectors and scalar code. (PyTorch propagates every NaN; doing so would cost a compare per load.)
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Pooling
{
    /// <summary>Whether <see cref="MaxStride2"/> takes windows of this size.</summary>
    /// <param name="kernelWidth">Window width.</param>
    /// <param name="kernelHeight">Window height.</param>
    public static bool Supports(int kernelWidth, int kernelHeight) => kernelWidth is 2 or 3 && kernelHeight is 2 or 3;

    /// <summary>Max pool with horizontal stride 2 (see the class remarks).</summary>
    /// <param name="shape">Sizes and strides.</param>
    /// <param name="input">The input's top-left corner (of its border, when padded).</param>
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
        // Locals, not the shape's fields: through the reference, every store to the output would force them to be reloaded.
        int width = s.OutputWidth, height = s.OutputHeight, channels = s.Channels;
        nint inputPlane = s.InputPlaneStride, outputPlane = s.OutputPlaneStride, inputStep = (nint)s.StrideY * s.InputRowStride, outputRow = s.OutputRowStride;
        nuint rows = (nuint)s.InputRowStride;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && width >= 16)
        {
            nuint last = (nuint)(width - 16);
            // 3 rows at vertical stride 2: output rows in pairs, sharing the input row between them (see Pair16).
            int pairs = TH.Value == 3 && inputStep == 2 * (nint)rows ? height / 2 : 0;
            for (int c = 0; c < channels; c++)
            {
                ref float top = ref Unsafe.Add(ref input, c * inputPlane);
                ref float row = ref Unsafe.Add(ref output, c * outputPlane);
                for (int p = 0; p < pairs; p++)
                {
                    ref float below = ref Unsafe.Add(ref row, outputRow);
                    for (nuint ox = 0; ox < last; ox += 16)
                    {
                        Pair16<TW>(ref top, 2 * ox, rows, ref row, ref below, ox);
                    }
                    Pair16<TW>(ref top, 2 * last, rows, ref row, ref below, last);
                    top = ref Unsafe.Add(ref top, 2 * inputStep);
                    row = ref Unsafe.Add(ref row, 2 * outputRow);
                }
                for (int oy = 2 * pairs; oy < height; oy++)
                {
                    for (nuint ox = 0; ox < last; ox += 16)
                    {
                        Vector512.StoreUnsafe(Row16<TW, TH>(ref top, 2 * ox, rows), ref row, ox);
                    }
                    Vector512.StoreUnsafe(Row16<TW, TH>(ref top, 2 * last, rows), ref row, last); // the last 16, overlapping the ones before
                    top = ref Unsafe.Add(ref top, inputStep);
                    row = ref Unsafe.Add(ref row, outputRow);
                }
            }
        }
        else if (Avx2.IsSupported && width >= 8)
        {
            nuint last = (nuint)(width - 8);
            for (int c = 0; c < channels; c++)
            {
                ref float top = ref Unsafe.Add(ref input, c * inputPlane);
                ref float row = ref Unsafe.Add(ref output, c * outputPlane);
                for (int oy = 0; oy < height; oy++)
                {
                    for (nuint ox = 0; ox < last; ox += 8)
                    {
                        Vector256.StoreUnsafe(Row8<TW, TH>(ref top, 2 * ox, rows), ref row, ox);
                    }
                    Vector256.StoreUnsafe(Row8<TW, TH>(ref top, 2 * last, rows), ref row, last);
                    top = ref Unsafe.Add(ref top, inputStep);
                    row = ref Unsafe.Add(ref row, outputRow);
                }
            }
        }
        else if (Vector128.IsHardwareAccelerated && (Sse.IsSupported || AdvSimd.Arm64.IsSupported) && width >= 4)
        {
            nuint last = (nuint)(width - 4);
            for (int c = 0; c < channels; c++)
            {
                ref float top = ref Unsafe.Add(ref input, c * inputPlane);
                ref float row = ref Unsafe.Add(ref output, c * outputPlane);
                for (int oy = 0; oy < height; oy++)
                {
                    for (nuint ox = 0; ox < last; ox += 4)
                    {
                        Vector128.StoreUnsafe(Row4<TW, TH>(ref top, 2 * ox, rows), ref row, ox);
                    }
                    Vector128.StoreUnsafe(Row4<TW, TH>(ref top, 2 * last, rows), ref row, last);
                    top = ref Unsafe.Add(ref top, inputStep);
                    row = ref Unsafe.Add(ref row, outputRow);
                }
            }
        }
        else
        {
            bool three = Vector128.IsHardwareAccelerated && Sse.IsSupported && width == 3 && TW.Value == 3;
            for (int c = 0; c < channels; c++)
            {
                ref float top = ref Unsafe.Add(ref input, c * inputPlane);
                ref float row = ref Unsafe.Add(ref output, c * outputPlane);
                for (int oy = 0; oy < height; oy++)
                {
                    if (three)
                    {
                        Row3<TH>(ref top, rows, ref row);
                    }
                    else
                    {
                        RowScalar<TW, TH>(ref top, rows, ref row, width);
                    }
                    top = ref Unsafe.Add(ref top, inputStep);
                    row = ref Unsafe.Add(ref row, outputRow);
                }
            }
        }
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

    /// <summary>One row in scalar code, in the vector paths' order: each column's maximum top to bottom, then left to right.</summary>
    private static void RowScalar<TW, TH>(ref float top, nuint rows, ref float row, int width)
        where TW : struct, ISize
        where TH : struct, ISize
    {
        for (int ox = 0; ox < width; ox++)
        {
            float value = Column1<TH>(ref top, (nuint)(2 * ox), rows);
            for (int kx = 1; kx < TW.Value; kx++)
            {
                value = Max(value, Column1<TH>(ref top, (nuint)(2 * ox + kx), rows));
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
}
