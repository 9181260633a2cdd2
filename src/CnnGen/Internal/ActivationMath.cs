using System.Runtime.CompilerServices;

namespace CnnGen.Internal;

/// <summary>
/// The activation functions, written once over <see cref="IFloatLanes{T}"/> and used by <see cref="Kernels"/> for
/// scalars and every vector width, so the scalar and vector kernels compute the same numbers. Accuracy, measured
/// against float64 over the whole float range by ActivationAccuracyTests: at most 3 ulp for exp, sigmoid, SiLU, tanh and
/// ELU, under 1e-6 relative for GELU (the bounds are in the README). Every function keeps NaN, and is exact at ±0 and ±∞ (sigmoid(±∞) = 1 or 0,
/// tanh(±∞) = ±1); large arguments saturate or underflow, never overflow to NaN.
/// </summary>
internal static class ActivationMath
{
    internal const float Log2E = 1.44269504088896341f;

    // ln 2 in two parts (Cody–Waite): n · Ln2High is exact for |n| < 2^15.
    internal const float Ln2High = 0.693359375f;
    internal const float Ln2Low = -2.12194440e-4f;

    /// <summary>e^x: x = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-7 polynomial for e^r (Cephes' expf), then 2^n in two halves so results down to the subnormals come out right.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x)
        where T : struct, IFloatLanes<T> =>
        ExpTimesPow2(x, 0);

    /// <summary>
    /// e^x · 2^<paramref name="scale"/> (0 ≤ scale ≤ 24) with one rounding of the scaled value: for x ≤ 0, a result that
    /// would be subnormal keeps its full precision, so a caller that multiplies it back up (x · sigmoid x) loses none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ExpTimesPow2<T>(T x, int scale)
        where T : struct, IFloatLanes<T>
    {
        // Below −104 (−122 when scaled by 2^24) the result rounds to 0, above 89 to +∞: clamping keeps 2^n
        // representable in two halves.
        T clamped = T.Max(T.Of(scale == 0 ? -104f : -122f), T.Min(T.Of(89f), x));
        T n = T.Floor(clamped * T.Of(Log2E) + T.Of(0.5f));
        T r = clamped - n * T.Of(Ln2High) - n * T.Of(Ln2Low);
        n = n + T.Of(scale);
        T half = T.Floor(n * T.Of(0.5f));
        T result = (ExpMinusOneOfReduced(r) + T.Of(1f)) * T.Pow2(half) * T.Pow2(n - half);
        return KeepNaN(x, result);
    }

    /// <summary>
    /// e^x − 1 for x ≤ 0 (larger x count as 0; ELU only needs the negative side), without the cancellation of
    /// <c>Exp(x) − 1</c> near 0: 2^n·(e^r − 1) + (2^n − 1), both terms exact or nearly so.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ExpMinusOne<T>(T x)
        where T : struct, IFloatLanes<T>
    {
        T clamped = T.Max(T.Of(-30f), T.Min(T.Of(0f), x)); // e^−30 − 1 rounds to −1
        T n = T.Floor(clamped * T.Of(Log2E) + T.Of(0.5f));
        T r = clamped - n * T.Of(Ln2High) - n * T.Of(Ln2Low);
        T scale = T.Pow2(n);
        T result = scale * ExpMinusOneOfReduced(r) + (scale - T.Of(1f));
        return KeepNaN(x, result);
    }

    /// <summary>
    /// e^r − 1 for |r| ≤ ln 2 / 2: r + r²·P(r) (Cephes' expf coefficients), by Horner's rule in fused multiply-adds
    /// where the machine has them (<see cref="IFloatLanes{T}.MultiplyAdd"/>): 7 instructions instead of 13.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ExpMinusOneOfReduced<T>(T r)
        where T : struct, IFloatLanes<T>
    {
        T p = T.MultiplyAdd(T.Of(ExpP0), r, T.Of(ExpP1));
        p = T.MultiplyAdd(p, r, T.Of(ExpP2));
        p = T.MultiplyAdd(p, r, T.Of(ExpP3));
        p = T.MultiplyAdd(p, r, T.Of(ExpP4));
        p = T.MultiplyAdd(p, r, T.Of(ExpP5));
        return T.MultiplyAdd(p, r * r, r);
    }

    // P's coefficients, highest power first (also in ActivationPass's AVX-512 sigmoid loop).
    internal const float ExpP0 = 1.9875691500e-4f, ExpP1 = 1.3981999507e-3f, ExpP2 = 8.3334519073e-3f;
    internal const float ExpP3 = 4.1665795894e-2f, ExpP4 = 1.6666665459e-1f, ExpP5 = 5.0000001201e-1f;

    /// <summary>1 / (1 + e^−x), as e/(1 + e) with e = e^−|x| for negative x so that tiny results keep their precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid<T>(T x)
        where T : struct, IFloatLanes<T> =>
        TimesSigmoid(T.Of(1f), x);

    /// <summary>
    /// <paramref name="factor"/> · sigmoid(x) (SiLU is x · sigmoid x). Where every lane has x ≥ <see cref="NormalBound"/>
    /// (all but the far negative tail, so nearly always) e = e^−|x| is a normal float and one short formula does:
    /// factor/(1 + e) for x ≥ 0, factor·e/(1 + e) below. Lanes further out, whose e^x is subnormal, take
    /// <see cref="TimesSigmoidOfTail"/>, which keeps their precision; each lane's result depends only on its own inputs,
    /// so every vector width gives the scalar's bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TimesSigmoid<T>(T factor, T x)
        where T : struct, IFloatLanes<T>
    {
        // e^a for a = −|x| ≥ −86 (x above 86: e^−86 still leaves 1 + e = 1): a = n·ln 2 + r, 2^n normal, so
        // e = (1 + (e^r − 1)) · 2^n is one fused multiply-add. a·log2 e + Pow2Bias rounds to n in its low bits, which
        // give n and 2^n without a rounding instruction. NaN stays NaN throughout (Max keeps its second argument), so
        // no final select is needed for it.
        T a = T.Max(T.Of(NormalBound), x | T.OfBits(0x8000_0000));
        T biased = T.MultiplyAdd(a, T.Of(Log2E), T.Of(FloatLanes.Pow2Bias));
        T n = biased - T.Of(FloatLanes.Pow2Bias);
        T r = T.MultiplyAdd(n, T.Of(-Ln2High), a);
        r = T.MultiplyAdd(n, T.Of(-Ln2Low), r);
        T scale = T.Pow2OfBiased(biased);
        T e = T.MultiplyAdd(ExpMinusOneOfReduced(r), scale, scale);
        T result = T.Select(T.LessThan(x, T.Of(0f)), factor * e, factor) / (T.Of(1f) + e);
        T tail = T.LessThan(x, T.Of(NormalBound));
        if (T.Any(tail))
        {
            result = T.Select(tail, TimesSigmoidOfTail(factor, x), result);
        }
        return result;
    }

    /// <summary>The argument below which e^x (and a sigmoid) is not safely a normal float: e^−86 ≈ 4.5e−38 = 2^−124.1.</summary>
    internal const float NormalBound = -86f;

    /// <summary>
    /// <see cref="TimesSigmoid"/> for any x, also far in the negative tail: factor · e/(1 + e) with e = e^x computed 2^24
    /// times too large and scaled back last, so a normal product of a subnormal sigmoid keeps every bit.
    /// </summary>
    /// <remarks>
    /// Inlined, although rarely run: a call left in a loop (even in a branch never taken) makes the JIT keep every vector
    /// live across it on the stack, storing it on each iteration; the SiLU pass over 94,080 values took 116 µs with the
    /// call and 34 µs without (Zen 5, AVX-512).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T TimesSigmoidOfTail<T>(T factor, T x)
        where T : struct, IFloatLanes<T>
    {
        T scaled = ExpTimesPow2(T.Of(0f) - T.Abs(x), 24);
        T positive = T.Of(1f) / (T.Of(1f) + scaled * T.Of(Pow2Minus24));
        return T.Select(T.LessThan(x, T.Of(0f)), factor * scaled * positive * T.Of(Pow2Minus24), factor * positive);
    }

    private const float Pow2Minus24 = 1f / 16777216f;

    /// <summary>
    /// tanh x: an odd polynomial below |x| = 0.625 (Cephes' tanhf), 1 − 2/(e^2|x| + 1) above, and x's sign put
    /// back last so tanh(−0) = −0 and tanh(±∞) = ±1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T>(T x)
        where T : struct, IFloatLanes<T>
    {
        T a = T.Abs(x);
        T z = a * a;
        T p = T.Of(-5.70498872745e-3f);
        p = p * z + T.Of(2.06390887954e-2f);
        p = p * z - T.Of(5.37397155531e-2f);
        p = p * z + T.Of(1.33314422036e-1f);
        p = p * z - T.Of(3.33332819422e-1f);
        T small = p * z * a + a;
        T large = T.Of(1f) - T.Of(2f) / (Exp(a + a) + T.Of(1f));
        T magnitude = T.Select(T.LessThan(a, T.Of(0.625f)), small, large);
        return magnitude | (x & T.OfBits(0x8000_0000)); // NaN: the large branch is NaN
    }

    /// <summary>
    /// GELU, x·Φ(x), exact form. Φ(−a) = erfc(a/√2)/2 for a = |x| by Numerical Recipes' erfcc (fractional error
    /// below 1.2e-7): t/2 · e^(P(t) − a²/2) with t = 1/(1 + a/(2√2)). The exponent is kept in two parts, a²/2 = high²/2
    /// + low·(a + high)/2 with high = a's 12 leading bits so that high²/2 is exact, and reduced by n·ln 2 part by part
    /// (the exact part's difference is exact too), so one e^r gives the result its relative accuracy far into the tail.
    /// Φ(−a) is carried as Φ(−a)·2^48 so that it stays a normal float down to where x·Φ(x) rounds to 0; Φ(x) = 1 − Φ(−x)
    /// for x ≥ 0. gelu(−∞) is NaN (−∞ · 0), as in PyTorch.
    /// </summary>
    /// <remarks>
    /// Written with fused multiply-adds and one exponential (the first version took two, e^−high²/2 · e^(P − rest)):
    /// 65,536 values on AVX-512 (Zen 5) took 74 µs before and 34 µs after, 29.5 µs once the smaller body let the pass
    /// run it 32 lanes at a time again (SiLU: 9.5 µs).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Gelu<T>(T x)
        where T : struct, IFloatLanes<T>
    {
        T a = T.Min(T.Of(GeluBound), T.Abs(x)); // keeps ∞ out of the arithmetic; NaN stays NaN
        T t = T.Of(1f) / T.MultiplyAdd(a, T.Of(0.35355339059327376f), T.Of(1f)); // 1/(1 + z/2), z = a/√2
        T p = T.MultiplyAdd(T.Of(0.17087277f), t, T.Of(-0.82215223f));
        p = T.MultiplyAdd(p, t, T.Of(1.48851587f));
        p = T.MultiplyAdd(p, t, T.Of(-1.13520398f));
        p = T.MultiplyAdd(p, t, T.Of(0.27886807f));
        p = T.MultiplyAdd(p, t, T.Of(-0.18628806f));
        p = T.MultiplyAdd(p, t, T.Of(0.09678418f));
        p = T.MultiplyAdd(p, t, T.Of(0.37409196f));
        p = T.MultiplyAdd(p, t, T.Of(1.00002368f));
        p = T.MultiplyAdd(p, t, T.Of(-1.26551223f));
        // The exponent P − a²/2 = rest − exact: exact = high²/2 (high²: 24 bits at most), rest = P − low·(a + high)/2.
        T high = a & T.OfBits(0xFFFF_F000);
        T exact = high * high * T.Of(0.5f);
        T rest = T.MultiplyAdd((a - high) * (a + high), T.Of(-0.5f), p);
        // rest − exact = n·ln 2 + r: biased holds n + 48 + Pow2Bias (so its bits give 2^(n + 48)); −exact − n·Ln2High is
        // exact (a multiple of 2^−25 below 1), so r is rounded once, in its last add.
        T biased = T.MultiplyAdd(rest - exact, T.Of(Log2E), T.Of(FloatLanes.Pow2Bias + 48f));
        T n = biased - T.Of(FloatLanes.Pow2Bias + 48f);
        T r = T.MultiplyAdd(n, T.Of(-Ln2High), T.Of(0f) - exact) + T.MultiplyAdd(n, T.Of(-Ln2Low), rest);
        T scale = T.Pow2OfBiased(biased);
        // Φ(−a) · 2^48; 0 from the bound on, where x·Φ(x) rounds to 0 anyway (and −∞ · 0 gives PyTorch's NaN).
        T tail = T.Of(0.5f) * t * T.MultiplyAdd(ExpMinusOneOfReduced(r), scale, scale);
        tail = T.Select(T.LessThan(a, T.Of(GeluBound)), tail, T.Of(0f));
        return T.Select(T.LessThan(x, T.Of(0f)), x * tail * T.Of(Pow2Minus48), x * T.MultiplyAdd(tail, T.Of(-Pow2Minus48), T.Of(1f)));
    }

    /// <summary>
    /// |x| from which <see cref="Gelu"/> takes Φ(−|x|) as 0: x·Φ(x) rounds to −0 from x ≈ −14.5 on, and 2^(n + 48) stays
    /// a normal float up to here (the exponent is about −118.3 at the bound, n = −171).
    /// </summary>
    private const float GeluBound = 15.3f;

    private const float Pow2Minus48 = 1f / 281474976710656f;

    /// <summary>GELU's tanh form, x/2·(1 + tanh u) with u = √(2/π)·(x + 0.044715x³), computed as x·sigmoid(2u) (the same number, no cancellation for negative x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GeluTanh<T>(T x)
        where T : struct, IFloatLanes<T>
    {
        T twiceU = T.Of(1.5957691216057308f) * (x + T.Of(0.044715f) * x * x * x);
        return TimesSigmoid(x, twiceU);
    }

    /// <summary>x ≥ 0 (or NaN) ? x : slope·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LeakyRelu<T>(T x, T slope)
        where T : struct, IFloatLanes<T> =>
        T.Select(T.LessThan(x, T.Of(0f)), x * slope, x);

    /// <summary>x &gt; 0 ? x : alpha·(e^x − 1); NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Elu<T>(T x, T alpha)
        where T : struct, IFloatLanes<T> =>
        T.Select(T.LessThan(T.Of(0f), x), x, alpha * ExpMinusOne(x));

    /// <summary>x clamped to [min, max]; NaN stays NaN whatever the platform's vector min and max do with it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Clip<T>(T x, T min, T max)
        where T : struct, IFloatLanes<T> =>
        KeepNaN(x, T.Min(T.Max(x, min), max));

    /// <summary>NaN where <paramref name="x"/> is NaN, else <paramref name="result"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T KeepNaN<T>(T x, T result)
        where T : struct, IFloatLanes<T> =>
        T.Select(T.Equal(x, x), result, x);
}
