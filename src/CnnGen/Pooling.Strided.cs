using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnGen.Internal;

namespace CnnGen;

/// <content>
/// Horizontal strides above 2 in <see cref="Average"/> and <see cref="Maximum"/>: every <c>StrideX</c>-th window result
/// picked into a vector with permutes instead of one float at a time.
/// </content>
public static partial class Pooling
{
    /// <summary>
    /// One output row of a horizontal stride above 2 (but windows of 4 at stride 4): the windows folded at every column of
    /// the row of column results (<see cref="FoldedRow{T, TW, TFold}"/>), then every <paramref name="strideX"/>-th of them,
    /// scaled by the row's and each column's reciprocal count for an average: with permutes (<see cref="Pick{T}"/>) on
    /// AVX-512 and AVX2, one float at a time on 128-bit vectors. Only the <see cref="Picked"/> instantiation of
    /// <see cref="SeparablePlanes{T, TW, TH, TFold, TPick}"/> runs it: the other strides' loop keeps its registers (a call
    /// from it spilled them, and an average 5×5/2 took 6–11 % longer).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StridedRow<T, TW, TFold>(ref float row, ref float folded, ref float outputRow, ref float columnScales, float rowScale, int positions, int kernelWidth, int strideX, int outputWidth, in StridedLanes lanes)
        where T : struct, IWinogradLanes<T>
        where TW : struct, ISize
        where TFold : struct, IFold
    {
        FoldedRow<T, TW, TFold>(ref row, ref folded, positions, kernelWidth);
        if (!Picks<T>())
        {
            for (int o = 0; o < outputWidth; o++)
            {
                float value = Unsafe.Add(ref folded, o * strideX);
                Unsafe.Add(ref outputRow, o) = TFold.Scales ? value * rowScale * Unsafe.Add(ref columnScales, o) : value;
            }
            return;
        }
        T scale = T.Create(rowScale);
        int lastOutput = outputWidth - T.Width;
        for (int ox = 0; ; ox += T.Width)
        {
            int at = System.Math.Min(ox, lastOutput);
            T value = Pick<T>(ref folded, (nint)at * strideX, lanes);
            if (TFold.Scales)
            {
                value = T.MultiplyAdd(T.MultiplyAdd(value, scale, T.Zero), T.Load(ref columnScales, at), T.Zero);
            }
            T.Store(value, ref outputRow, at);
            if (at == lastOutput)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Whether <see cref="SeparablePlanes{T, TW, TH, TFold, TPick}"/> picks every <c>StrideX</c>-th window result with
    /// <see cref="Pick{T}"/> on lanes <typeparamref name="T"/>: AVX-512 (<c>vpermt2ps</c>) and AVX2 (<c>vpermps</c>);
    /// 128-bit vectors keep the scalar pick.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Picks<T>() where T : struct, IWinogradLanes<T> =>
        typeof(T) == typeof(WinogradLanes16) || typeof(T) == typeof(WinogradLanes8);

    /// <summary>
    /// The narrowest output row whose every <c>StrideX</c>-th window is picked with permutes (<see cref="StridedRow{T, TW, TFold}"/>)
    /// on vectors of <paramref name="width"/>: one vector and a half (13 outputs on AVX2, 25 on AVX-512). Narrower rows
    /// take two overlapping vectors, most of whose lanes are computed twice, and keep the scalar pick. Measured (throwaway
    /// probe, the runtime before and after in one process, alternating, best of 40 × 5 ms, load 15–25), average 3×3/3,
    /// scalar pick → permutes: 33×25×160 (11 outputs, 8 lanes) 25.7 → 29.4 µs, 45×25 (15) 33.5 → 31.6, 66×25 (22) 47.5 →
    /// 40.7; on AVX-512 51×25 (17, 16 lanes) 37.5 → 38.5, 60×25 (20) 40.7 → 39.4, 2×2/3 max of 75×75×64 (25) 54.0 → 49.8.
    /// </summary>
    private static int PickedRow(int width) => 3 * width / 2 + 1;

    /// <summary>Whether <see cref="SeparablePlanes{T, TW, TH, TFold, TPick}"/> runs horizontal strides above 2 through <see cref="StridedRow{T, TW, TFold}"/>.</summary>
    private interface IPick
    {
        static abstract bool Value { get; }
    }

    /// <summary>The instantiation for horizontal strides above 2 on AVX-512 and AVX2.</summary>
    private readonly struct Picked : IPick
    {
        public static bool Value => true;
    }

    /// <summary>The instantiation for the other strides and lanes (its stride-above-2 branch picks one float at a time).</summary>
    private readonly struct Unpicked : IPick
    {
        public static bool Value => false;
    }

    /// <summary>
    /// The permute constants of <see cref="Pick{T}"/> for one stride, computed once per call: lane <c>o</c> of a vector of
    /// outputs is window result <c>StrideX · o</c>, float <c>Index</c> of source <c>Source</c> (a pair of 16-float vectors
    /// on AVX-512, one 8-float vector on AVX2); <c>Sources</c> sources cover a vector of outputs.
    /// </summary>
    private readonly struct StridedLanes
    {
        public readonly Vector512<int> Index16, Source16;
        public readonly Vector256<int> Index8, Source8;
        public readonly int Sources16, Sources8;

        /// <summary>The constants for vectors of <paramref name="width"/> (16 or 8) floats only (the others stay zero).</summary>
        public StridedLanes(int stride, int width)
        {
            if (width == 16)
            {
                Vector512<int> at16 = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * stride;
                Index16 = at16 & Vector512.Create(31);
                Source16 = Vector512.ShiftRightLogical(at16, 5);
                Sources16 = 15 * stride / 32 + 1;
            }
            else
            {
                Vector256<int> at8 = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * stride;
                Index8 = at8 & Vector256.Create(7);
                Source8 = Vector256.ShiftRightLogical(at8, 3);
                Sources8 = 7 * stride / 8 + 1;
            }
        }
    }

    /// <summary>
    /// Window results <c>start</c>, <c>start + StrideX</c>, … (a vector's worth) of <paramref name="folded"/>: one
    /// two-source permute per 32 floats on AVX-512 (2 for strides 3 and 4, then one blend), one permute per 8 floats on
    /// AVX2 (3 for stride 3, 4 for stride 4, blended in). Reads up to 32 · <c>Sources16</c> (8 · <c>Sources8</c>) floats
    /// from <paramref name="start"/>: at most <c>15 · StrideX + 32</c> (<c>7 · StrideX + 8</c>), inside the row's slack.
    /// The lanes past the results needed are never picked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Pick<T>(ref float folded, nint start, in StridedLanes lanes)
        where T : struct, IWinogradLanes<T>
    {
        ref float at = ref Unsafe.Add(ref folded, start);
        if (typeof(T) == typeof(WinogradLanes16))
        {
            Vector512<float> picked = Avx512F.PermuteVar16x32x2(Vector512.LoadUnsafe(ref at), lanes.Index16, Vector512.LoadUnsafe(ref at, 16));
            for (int j = 1; j < lanes.Sources16; j++)
            {
                Vector512<float> next = Avx512F.PermuteVar16x32x2(Vector512.LoadUnsafe(ref at, (nuint)(32 * j)), lanes.Index16, Vector512.LoadUnsafe(ref at, (nuint)(32 * j + 16)));
                picked = Vector512.ConditionalSelect(Vector512.Equals(lanes.Source16, Vector512.Create(j)).AsSingle(), next, picked);
            }
            return Unsafe.As<Vector512<float>, T>(ref picked);
        }
        else
        {
            Vector256<float> picked = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref at), lanes.Index8);
            for (int j = 1; j < lanes.Sources8; j++)
            {
                Vector256<float> next = Avx2.PermuteVar8x32(Vector256.LoadUnsafe(ref at, (nuint)(8 * j)), lanes.Index8);
                picked = Vector256.ConditionalSelect(Vector256.Equals(lanes.Source8, Vector256.Create(j)).AsSingle(), next, picked);
            }
            return Unsafe.As<Vector256<float>, T>(ref picked);
        }
    }
}
