using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Internal;

/// <summary>An activation written once over <see cref="IFloatLanes{T}"/>, for <see cref="ActivationPass"/>.</summary>
internal interface IActivation
{
    T Apply<T>(T x)
        where T : struct, IFloatLanes<T>;
}

/// <summary>SiLU, x · sigmoid x.</summary>
internal readonly struct SiluActivation : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply<T>(T x)
        where T : struct, IFloatLanes<T> => ActivationMath.TimesSigmoid(x, x);
}

/// <summary>The logistic sigmoid.</summary>
internal readonly struct SigmoidActivation : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply<T>(T x)
        where T : struct, IFloatLanes<T> => ActivationMath.Sigmoid(x);
}

/// <summary>tanh.</summary>
internal readonly struct TanhActivation : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply<T>(T x)
        where T : struct, IFloatLanes<T> => ActivationMath.Tanh(x);
}

/// <summary>GELU, exact form.</summary>
internal readonly struct GeluActivation : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply<T>(T x)
        where T : struct, IFloatLanes<T> => ActivationMath.Gelu(x);
}

/// <summary>GELU, tanh form.</summary>
internal readonly struct GeluTanhActivation : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply<T>(T x)
        where T : struct, IFloatLanes<T> => ActivationMath.GeluTanh(x);
}

/// <summary>ELU with its alpha.</summary>
internal readonly struct EluActivation(float alpha) : IActivation
{
    private readonly float _alpha = alpha;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply<T>(T x)
        where T : struct, IFloatLanes<T> => ActivationMath.Elu(x, T.Of(_alpha));
}

/// <summary>Clip to [min, max], NaN kept (as <see cref="Kernels.Clip(float, float, float)"/>).</summary>
internal readonly struct ClipActivation(float min, float max) : IActivation
{
    private readonly float _min = min, _max = max;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply<T>(T x)
        where T : struct, IFloatLanes<T> => ActivationMath.Clip(x, T.Of(_min), T.Of(_max));
}

/// <summary>Hard swish, x · clip(x + 3, 0, 6) / 6 (as <see cref="Kernels.HardSwish(float)"/>).</summary>
internal readonly struct HardSwishActivation : IActivation
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply<T>(T x)
        where T : struct, IFloatLanes<T> => x * (ActivationMath.Clip(x + T.Of(3f), T.Of(0f), T.Of(6f)) * T.Of(1f / 6f));
}

/// <summary>Hard sigmoid, clip(alpha · x + beta, 0, 1) (as <see cref="Kernels.HardSigmoid(float, float, float)"/>).</summary>
internal readonly struct HardSigmoidActivation(float alpha, float beta) : IActivation
{
    private readonly float _alpha = alpha, _beta = beta;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply<T>(T x)
        where T : struct, IFloatLanes<T> => ActivationMath.Clip(x * T.Of(_alpha) + T.Of(_beta), T.Of(0f), T.Of(1f));
}

/// <summary>
/// An activation applied in place to a volume a kernel has just written, possibly the interior of a bordered buffer
/// (element (c, y, x) at c·planeStride + y·rowStride + x; the border is never changed).
/// </summary>
/// <remarks>
/// Why a pass and not a fused epilogue: the activations with an exponential are too long to inline into a kernel
/// (see <see cref="Kernels"/>), and a call to them after a register tile makes the JIT keep every accumulator that
/// lives across the call on the stack, storing it after each multiply-add of the tile's inner loop. Measured on Zen 5
/// (AVX-512), 1×1 conv 80→480 on 14×14: 82 µs without activation, 336 µs with SiLU called per stored vector; this pass
/// takes 34 µs over its 94,080 outputs (41 µs calling <c>Kernels.Silu</c> per vector in a loop; see the generator's
/// <c>Step.Deferred</c>). Each plane is one
/// run from its first to its last interior value: full vectors store the activation only in the interior lanes (the
/// border lanes are written back unchanged, so a 7-wide map with a 2-wide border uses 7 of every 11 lanes, not 7 of 16),
/// and the last partial vector uses AVX masked loads and stores, so nothing past the volume is read or written.
/// </remarks>
internal static unsafe class ActivationPass
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TOp>(TOp op, ref float start, int width, int height, int depth, int rowStride, int planeStride)
        where TOp : struct, IActivation
    {
        if (rowStride == width)
        {
            if (planeStride == width * height)
            {
                width *= height * depth; // one dense run
                depth = 1;
            }
            else
            {
                width *= height; // dense planes with gaps between them
            }
            height = 1;
            rowStride = width;
        }
        int run = (height - 1) * rowStride + width;
        fixed (float* first = &start)
        {
            if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx.IsSupported)
            {
                Run512(op, first, run, width, rowStride, depth, planeStride);
            }
            else if (Vector256.IsHardwareAccelerated && Avx.IsSupported)
            {
                Vector256<int> columns = rowStride >= 8 ? Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7)
                    : Vector256.Create(0, 1 % rowStride, 2 % rowStride, 3 % rowStride, 4 % rowStride, 5 % rowStride, 6 % rowStride, 7 % rowStride);
                for (int c = 0; c < depth; c++)
                {
                    Run256(op, first + (nint)c * planeStride, run, width, rowStride, columns);
                }
            }
            else
            {
                for (int c = 0; c < depth; c++)
                {
                    for (int y = 0; y < height; y++)
                    {
                        Row(op, first + (nint)c * planeStride + (nint)y * rowStride, width);
                    }
                }
            }
        }
    }

    // Each loop below is its own method holding one inlined copy of the activation: two copies in one method exhaust
    // the JIT's inlining budget, and what it leaves as calls makes it spill the loop's vectors (see TimesSigmoidOfTail).

    /// <summary>
    /// <paramref name="depth"/> runs of <paramref name="count"/> values, <paramref name="planeStride"/> apart, whose rows
    /// of <paramref name="width"/> are <paramref name="rowStride"/> apart: 32 values at a time in each run, then the
    /// rest of every run at once (one more whole vector, then a last one shifted left to end on the run's last value,
    /// its lanes already done left as they are; AVX masked loads and stores for runs shorter than a vector). Every run
    /// has the same shape, so the tails' masks are computed once (a per-plane tail with its divisions cost more than
    /// the activation on EfficientNet-B0's 4×4 and 2×2 maps).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run512<TOp>(TOp op, float* first, int count, int width, int rowStride, int depth, int planeStride)
        where TOp : struct, IActivation
    {
        bool dense = rowStride == width;
        Vector512<int> columns = Columns16(rowStride); // once: 15 integer divisions when rows are short
        int main = count - count % 32;
        if (main > 0)
        {
            for (int c = 0; c < depth; c++)
            {
                float* p = first + (nint)c * planeStride;
                if (typeof(TOp) == typeof(SiluActivation) || typeof(TOp) == typeof(SigmoidActivation))
                {
                    Sigmoid512(p, main, typeof(TOp) == typeof(SiluActivation), width, rowStride, columns);
                }
                else
                {
                    _ = dense ? Dense512(op, p, main) : Gapped512(op, p, main, width, rowStride, columns);
                }
            }
        }
        int i = main;
        if (count - i >= 16)
        {
            Blocks16(op, first + i, depth, planeStride, Inside16(i, 0, width, rowStride, dense, columns));
            i += 16;
        }
        if (i < count)
        {
            if (count >= 16)
            {
                Blocks16(op, first + count - 16, depth, planeStride, Inside16(count - 16, i - (count - 16), width, rowStride, dense, columns));
            }
            else
            {
                Vector512<float> live = Inside16(i, 0, width, rowStride, dense, columns) & Vector512.LessThan(Lanes16, Vector512.Create(count - i)).AsSingle();
                for (int c = 0; c < depth; c++)
                {
                    float* p = first + (nint)c * planeStride + i;
                    Masked(op, p, live.GetLower());
                    if (count - i > 8)
                    {
                        Masked(op, p + 8, live.GetUpper());
                    }
                }
            }
        }
    }

    private static Vector512<int> Lanes16 => Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    /// <summary>
    /// The mask of the lanes of the vector at <paramref name="at"/> in the run that lie inside a row, from lane
    /// <paramref name="from"/> on; <paramref name="columns"/> is <see cref="Columns16"/>.
    /// </summary>
    private static Vector512<float> Inside16(int at, int from, int width, int rowStride, bool dense, Vector512<int> columns)
    {
        Vector512<int> live = Vector512.GreaterThanOrEqual(Lanes16, Vector512.Create(from));
        if (!dense)
        {
            Vector512<int> column = columns + Vector512.Create(at % rowStride);
            column -= Vector512.GreaterThanOrEqual(column, Vector512.Create(rowStride)) & Vector512.Create(rowStride);
            live &= Vector512.LessThan(column, Vector512.Create(width));
        }
        return live.AsSingle();
    }

    /// <summary>Lane j's column, j mod <paramref name="rowStride"/>.</summary>
    private static Vector512<int> Columns16(int rowStride) => rowStride >= 16 ? Lanes16 : Vector512.Create(0, 1 % rowStride, 2 % rowStride,
        3 % rowStride, 4 % rowStride, 5 % rowStride, 6 % rowStride, 7 % rowStride, 8 % rowStride, 9 % rowStride, 10 % rowStride,
        11 % rowStride, 12 % rowStride, 13 % rowStride, 14 % rowStride, 15 % rowStride);

    /// <summary>
    /// SiLU (<paramref name="silu"/>) or sigmoid over the first <paramref name="count"/> values of a run (a multiple of
    /// 16), only the lanes inside a row changed: <see cref="SigmoidLoop512"/> up to each vector with a lane in the far
    /// negative tail (below −86, where e^x is subnormal), which takes <see cref="Kernels.Silu(Vector512{float})"/> here,
    /// outside the loop.
    /// </summary>
    private static void Sigmoid512(float* p, int count, bool silu, int width, int rowStride, Vector512<int> columns)
    {
        bool dense = rowStride == width;
        int i = 0;
        while (i < count)
        {
            i = SigmoidLoop512(p, i, count, silu, width, rowStride, columns);
            if (i < count)
            {
                Vector512<float> x = Vector512.Load(p + i);
                Vector512<float> y = silu ? Kernels.Silu(x) : Kernels.Sigmoid(x);
                Vector512.Store(Vector512.ConditionalSelect(Inside16(i, 0, width, rowStride, dense, columns), y, x), p + i);
                i += 16;
            }
        }
    }

    /// <summary>
    /// <see cref="ActivationMath.TimesSigmoid"/>'s operations in its order (so its bits), written on <see cref="Vector512{T}"/>
    /// with every constant in a register for the whole loop, 16 values at a time from <paramref name="i"/>; stops at the
    /// end or before a vector with a lane below −86 (returns where). The generic loop (<see cref="Dense512"/> with
    /// <see cref="Lane32"/>) broadcasts and copies its constants again on every iteration, 82 instructions per 32 values
    /// where this loop has about 30 per 16: SiLU over 131,712 values (in place, in L2) took 22.1 µs there and 18.8 µs here (Zen 5, AVX-512, load 40).
    /// No call in the loop, so the JIT keeps its vectors in registers (see <see cref="ActivationMath"/>'s tail).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int SigmoidLoop512(float* p, int i, int count, bool silu, int width, int rowStride, Vector512<int> columns)
    {
        bool dense = rowStride == width;
        Vector512<int> widthVector = Vector512.Create(width);
        Vector512<int> stride = Vector512.Create(rowStride);
        Vector512<int> step = Vector512.Create(16 % rowStride);
        Vector512<int> column = columns + Vector512.Create(i % rowStride);
        column -= Vector512.GreaterThanOrEqual(column, stride) & stride;
        Vector512<float> bound = Vector512.Create(ActivationMath.NormalBound);
        Vector512<float> sign = Vector512.Create(0x8000_0000u).AsSingle();
        Vector512<float> log2E = Vector512.Create(ActivationMath.Log2E);
        Vector512<float> bias = Vector512.Create(FloatLanes.Pow2Bias);
        Vector512<float> ln2High = Vector512.Create(-ActivationMath.Ln2High);
        Vector512<float> ln2Low = Vector512.Create(-ActivationMath.Ln2Low);
        Vector512<float> p0 = Vector512.Create(ActivationMath.ExpP0), p1 = Vector512.Create(ActivationMath.ExpP1);
        Vector512<float> p2 = Vector512.Create(ActivationMath.ExpP2), p3 = Vector512.Create(ActivationMath.ExpP3);
        Vector512<float> p4 = Vector512.Create(ActivationMath.ExpP4), p5 = Vector512.Create(ActivationMath.ExpP5);
        Vector512<float> one = Vector512.Create(1f);
        for (; i < count; i += 16)
        {
            Vector512<float> x = Vector512.Load(p + i);
            if (Vector512.LessThanAny(x, bound))
            {
                break;
            }
            Vector512<float> a = Avx512F.Max(bound, x | sign); // as Lane16.Max: the second argument (NaN) when either is NaN
            Vector512<float> biased = Avx512F.FusedMultiplyAdd(a, log2E, bias);
            Vector512<float> n = biased - bias;
            Vector512<float> r = Avx512F.FusedMultiplyAdd(n, ln2High, a);
            r = Avx512F.FusedMultiplyAdd(n, ln2Low, r);
            Vector512<float> scale = Vector512.ShiftLeft(biased.AsInt32(), 23).AsSingle();
            Vector512<float> q = Avx512F.FusedMultiplyAdd(p0, r, p1);
            q = Avx512F.FusedMultiplyAdd(q, r, p2);
            q = Avx512F.FusedMultiplyAdd(q, r, p3);
            q = Avx512F.FusedMultiplyAdd(q, r, p4);
            q = Avx512F.FusedMultiplyAdd(q, r, p5);
            Vector512<float> e = Avx512F.FusedMultiplyAdd(Avx512F.FusedMultiplyAdd(q, r * r, r), scale, scale);
            Vector512<float> factor = silu ? x : one;
            Vector512<float> y = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), factor * e, factor) / (one + e);
            if (!dense)
            {
                y = Vector512.ConditionalSelect(Vector512.LessThan(column, widthVector).AsSingle(), y, x);
                column += step;
                column -= Vector512.GreaterThanOrEqual(column, stride) & stride;
            }
            Vector512.Store(y, p + i);
        }
        return i;
    }

    /// <summary>The 32-value blocks of a dense run; returns where they end.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int Dense512<TOp>(TOp op, float* p, int count)
        where TOp : struct, IActivation
    {
        int i = 0;
        for (; i <= count - 32; i += 32)
        {
            Lane32 y = op.Apply(new Lane32(Vector512.Load(p + i), Vector512.Load(p + i + 16)));
            Vector512.Store(y.Low, p + i);
            Vector512.Store(y.High, p + i + 16);
        }
        return i;
    }

    /// <summary>16 values at <paramref name="first"/> and at the same place of every plane, changing only the lanes of <paramref name="live"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Blocks16<TOp>(TOp op, float* first, int depth, int planeStride, Vector512<float> live)
        where TOp : struct, IActivation
    {
        for (int c = 0; c < depth; c++)
        {
            float* p = first + (nint)c * planeStride;
            Vector512<float> x = Vector512.Load(p);
            Vector512.Store(Vector512.ConditionalSelect(live, op.Apply(new Lane16(x)).Value, x), p);
        }
    }

    /// <summary>The 32-value blocks of a run with gaps between its rows (only the lanes inside a row change); returns where they end.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int Gapped512<TOp>(TOp op, float* p, int count, int width, int rowStride, Vector512<int> columns)
        where TOp : struct, IActivation
    {
        Vector512<int> widthVector = Vector512.Create(width);
        Vector512<int> stride = Vector512.Create(rowStride);
        Vector512<int> step = Vector512.Create(32 % rowStride);
        Vector512<int> low = columns; // each lane's column
        int i = 0;
        Vector512<int> high = low + Vector512.Create(16 % rowStride);
        high -= Vector512.GreaterThanOrEqual(high, stride) & stride;
        for (; i <= count - 32; i += 32)
        {
            var x = new Lane32(Vector512.Load(p + i), Vector512.Load(p + i + 16));
            Lane32 y = op.Apply(x);
            Vector512.Store(Vector512.ConditionalSelect(Vector512.LessThan(low, widthVector).AsSingle(), y.Low, x.Low), p + i);
            Vector512.Store(Vector512.ConditionalSelect(Vector512.LessThan(high, widthVector).AsSingle(), y.High, x.High), p + i + 16);
            low += step;
            low -= Vector512.GreaterThanOrEqual(low, stride) & stride;
            high += step;
            high -= Vector512.GreaterThanOrEqual(high, stride) & stride;
        }
        return i;
    }

    /// <summary><see cref="Run512"/> 8 at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run256<TOp>(TOp op, float* p, int count, int width, int rowStride, Vector256<int> columns)
        where TOp : struct, IActivation
    {
        Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        Vector256<int> column;
        int i;
        if (rowStride == width)
        {
            i = Dense256(op, p, count);
            column = Vector256<int>.Zero;
        }
        else
        {
            column = columns; // each lane's column, lane mod rowStride
            i = Gapped256(op, p, count, width, rowStride, ref column);
        }
        if (i < count)
        {
            Masked(op, p + i, (Vector256.LessThan(lanes, Vector256.Create(count - i)) & Vector256.LessThan(column, Vector256.Create(width))).AsSingle());
        }
    }

    /// <summary><see cref="Dense512"/> 8 at a time.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int Dense256<TOp>(TOp op, float* p, int count)
        where TOp : struct, IActivation
    {
        int i = 0;
        for (; i <= count - 8; i += 8)
        {
            Vector256.Store(op.Apply(new Lane8(Vector256.Load(p + i))).Value, p + i);
        }
        return i;
    }

    /// <summary><see cref="Gapped512"/> 8 at a time.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int Gapped256<TOp>(TOp op, float* p, int count, int width, int rowStride, ref Vector256<int> columns)
        where TOp : struct, IActivation
    {
        Vector256<int> column = columns;
        Vector256<int> widthVector = Vector256.Create(width);
        Vector256<int> step = Vector256.Create(8 % rowStride);
        Vector256<int> stride = Vector256.Create(rowStride);
        int i = 0;
        for (; i <= count - 8; i += 8)
        {
            Vector256<float> x = Vector256.Load(p + i);
            Vector256<float> inside = Vector256.LessThan(column, widthVector).AsSingle();
            Vector256.Store(Vector256.ConditionalSelect(inside, op.Apply(new Lane8(x)).Value, x), p + i);
            column += step;
            column -= Vector256.GreaterThanOrEqual(column, stride) & stride;
        }
        columns = column;
        return i;
    }

    /// <summary>The lanes of <paramref name="live"/> (all ones or zeros) only: nothing else is read or written.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Masked<TOp>(TOp op, float* p, Vector256<float> live)
        where TOp : struct, IActivation
    {
        Vector256<float> x = Avx.MaskLoad(p, live);
        Avx.MaskStore(p, live, op.Apply(new Lane8(x)).Value);
    }

    /// <summary>
    /// One row, 4 at a time where 128-bit vectors are accelerated, then one at a time. Not inlined into <see cref="Run"/>:
    /// there the activation's operators overran the JIT's inlining budget and stayed calls (tanh over 65,536 values took
    /// 728 µs on 128-bit vectors, about 10× the inlined loop).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Row<TOp>(TOp op, float* p, int width)
        where TOp : struct, IActivation
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= width - 4; i += 4)
            {
                Vector128.Store(op.Apply(new Lane4(Vector128.Load(p + i))).Value, p + i);
            }
        }
        for (; i < width; i++)
        {
            p[i] = One(op, p[i]);
        }
    }

    /// <summary>One value (its own method, for the inlining budget of <see cref="Row"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float One<TOp>(TOp op, float x)
        where TOp : struct, IActivation => op.Apply(new Lane1(x)).Value;
}
