using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen;

/// <summary>
/// The fully connected layer at batch 1 for the code CnnGen generates, written once here instead of emitted per
/// layer: <c>output[o] = bias[o] + Σₖ weights[o · inputs + k] · input[k]</c>, the biases right after the weights.
/// </summary>
/// <remarks>
/// At batch 1 the layer reads each weight once (2–16 MB in ImageNet classifiers), so it is bound by memory, not by
/// arithmetic. The kernel streams 4 weight rows at once against one load of the input (four memory streams in flight,
/// the input read once per 4 rows), two vector accumulators per row (8 independent FMA chains), and sums each row's
/// accumulators once at its end. Widths: 16 floats on AVX-512 (a whole cache line per load), 8 on AVX2 + FMA, 4 on
/// 128-bit vectors (<see cref="Kernels.MultiplyAdd"/>), else one <c>TensorPrimitives.Dot</c> per row.
/// Measured (one thread, a stand-alone GEMV on the shared 2-core machine, best of 7): 1280 → 1000 (5 MB of weights) 4 rows
/// of AVX-512 55–59 µs, AVX2 71–76 µs, 8 AVX-512 rows of one accumulator 63–75 µs, of two 69–83 µs; 576 → 1024 AVX-512
/// 25.5–26 µs, AVX2 29 µs. Inside generated networks (min of 5–20 runs under load 15–25) the differences between
/// AVX-512 and AVX2 widths, and starting each row group on a cache line, stayed within the noise (±10%): the layer is
/// bound by memory bandwidth, not by the kernel.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Dense
{
    /// <summary>Rows per pass.</summary>
    private const int Rows = 4;

    /// <summary>Computes every output (bias included, no activation).</summary>
    /// <param name="input">The <paramref name="inputs"/> inputs.</param>
    /// <param name="output">Where the <paramref name="outputs"/> outputs go.</param>
    /// <param name="weights">The weights, row by row (one row of <paramref name="inputs"/> per output), then the biases.</param>
    /// <param name="inputs">Inputs (the length of a row).</param>
    /// <param name="outputs">Outputs (rows).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ref float input, ref float output, ref float weights, int inputs, int outputs)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            Forward<Lanes16>(ref input, ref output, ref weights, inputs, outputs);
        }
        else if (Fma.IsSupported && Vector256.IsHardwareAccelerated)
        {
            Forward<Lanes8>(ref input, ref output, ref weights, inputs, outputs);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Forward<Lanes4>(ref input, ref output, ref weights, inputs, outputs);
        }
        else
        {
            ReadOnlySpan<float> x = MemoryMarshal.CreateReadOnlySpan(ref input, inputs);
            ref float bias = ref Unsafe.Add(ref weights, (nint)outputs * inputs);
            for (int o = 0; o < outputs; o++)
            {
                ReadOnlySpan<float> row = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref weights, (nint)o * inputs), inputs);
                Unsafe.Add(ref output, o) = System.Numerics.Tensors.TensorPrimitives.Dot(row, x) + Unsafe.Add(ref bias, o);
            }
        }
    }

    /// <summary>One vector width: what the kernel needs of it (the JIT specializes <see cref="Forward{T}"/> per struct).</summary>
    private interface ILanes<T>
        where T : struct, ILanes<T>
    {
        static abstract int Width { get; }

        static abstract T Zero { get; }

        static abstract T Load(ref float source, nuint offset);

        /// <summary><paramref name="a"/> · <paramref name="b"/> + <paramref name="c"/>.</summary>
        static abstract T MultiplyAdd(T a, T b, T c);

        /// <summary>The sum of the lanes of <paramref name="a"/> + <paramref name="b"/>.</summary>
        static abstract float Sum(T a, T b);
    }

    private readonly struct Lanes16 : ILanes<Lanes16>
    {
        private readonly Vector512<float> _v;

        private Lanes16(Vector512<float> v) => _v = v;

        public static int Width => 16;

        public static Lanes16 Zero => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes16 Load(ref float source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes16 MultiplyAdd(Lanes16 a, Lanes16 b, Lanes16 c) => new(Avx512F.FusedMultiplyAdd(a._v, b._v, c._v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Sum(Lanes16 a, Lanes16 b) => Vector512.Sum(a._v + b._v);
    }

    private readonly struct Lanes8 : ILanes<Lanes8>
    {
        private readonly Vector256<float> _v;

        private Lanes8(Vector256<float> v) => _v = v;

        public static int Width => 8;

        public static Lanes8 Zero => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes8 Load(ref float source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes8 MultiplyAdd(Lanes8 a, Lanes8 b, Lanes8 c) => new(Fma.MultiplyAdd(a._v, b._v, c._v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Sum(Lanes8 a, Lanes8 b) => Vector256.Sum(a._v + b._v);
    }

    private readonly struct Lanes4 : ILanes<Lanes4>
    {
        private readonly Vector128<float> _v;

        private Lanes4(Vector128<float> v) => _v = v;

        public static int Width => 4;

        public static Lanes4 Zero => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes4 Load(ref float source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes4 MultiplyAdd(Lanes4 a, Lanes4 b, Lanes4 c) => new(Kernels.MultiplyAdd(a._v, b._v, c._v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Sum(Lanes4 a, Lanes4 b) => Vector128.Sum(a._v + b._v);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward<T>(ref float input, ref float output, ref float weights, int inputs, int outputs)
        where T : struct, ILanes<T>
    {
        nuint step = (nuint)(2 * T.Width), width = (nuint)T.Width;
        nuint n = (nuint)inputs, vectorized = n / step * step;
        ref float bias = ref Unsafe.Add(ref weights, (nint)outputs * inputs);
        int o = 0;
        for (; o <= outputs - Rows; o += Rows)
        {
            ref float row0 = ref Unsafe.Add(ref weights, (nint)o * inputs);
            ref float row1 = ref Unsafe.Add(ref row0, n);
            ref float row2 = ref Unsafe.Add(ref row1, n);
            ref float row3 = ref Unsafe.Add(ref row2, n);
            T a0 = T.Zero, b0 = T.Zero, a1 = T.Zero, b1 = T.Zero, a2 = T.Zero, b2 = T.Zero, a3 = T.Zero, b3 = T.Zero;
            for (nuint k = 0; k < vectorized; k += step)
            {
                T xa = T.Load(ref input, k), xb = T.Load(ref input, k + width);
                a0 = T.MultiplyAdd(T.Load(ref row0, k), xa, a0);
                b0 = T.MultiplyAdd(T.Load(ref row0, k + width), xb, b0);
                a1 = T.MultiplyAdd(T.Load(ref row1, k), xa, a1);
                b1 = T.MultiplyAdd(T.Load(ref row1, k + width), xb, b1);
                a2 = T.MultiplyAdd(T.Load(ref row2, k), xa, a2);
                b2 = T.MultiplyAdd(T.Load(ref row2, k + width), xb, b2);
                a3 = T.MultiplyAdd(T.Load(ref row3, k), xa, a3);
                b3 = T.MultiplyAdd(T.Load(ref row3, k + width), xb, b3);
            }
            float s0 = T.Sum(a0, b0), s1 = T.Sum(a1, b1), s2 = T.Sum(a2, b2), s3 = T.Sum(a3, b3);
            for (nuint k = vectorized; k < n; k++)
            {
                float x = Unsafe.Add(ref input, k);
                s0 += Unsafe.Add(ref row0, k) * x;
                s1 += Unsafe.Add(ref row1, k) * x;
                s2 += Unsafe.Add(ref row2, k) * x;
                s3 += Unsafe.Add(ref row3, k) * x;
            }
            Unsafe.Add(ref output, o) = s0 + Unsafe.Add(ref bias, o);
            Unsafe.Add(ref output, o + 1) = s1 + Unsafe.Add(ref bias, o + 1);
            Unsafe.Add(ref output, o + 2) = s2 + Unsafe.Add(ref bias, o + 2);
            Unsafe.Add(ref output, o + 3) = s3 + Unsafe.Add(ref bias, o + 3);
        }
        for (; o < outputs; o++)
        {
            ref float row = ref Unsafe.Add(ref weights, (nint)o * inputs);
            T a = T.Zero, b = T.Zero;
            for (nuint k = 0; k < vectorized; k += step)
            {
                a = T.MultiplyAdd(T.Load(ref row, k), T.Load(ref input, k), a);
                b = T.MultiplyAdd(T.Load(ref row, k + width), T.Load(ref input, k + width), b);
            }
            float s = T.Sum(a, b);
            for (nuint k = vectorized; k < n; k++)
            {
                s += Unsafe.Add(ref row, k) * Unsafe.Add(ref input, k);
            }
            Unsafe.Add(ref output, o) = s + Unsafe.Add(ref bias, o);
        }
    }
}
