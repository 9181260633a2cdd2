using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Internal;

/// <summary>
/// The handful of lane-wise operations <see cref="ActivationMath"/> is written with, so that each
/// function exists once and is compiled (generic over a struct, so specialized and inlined by the JIT)
/// for a scalar <see langword="float"/> and for 128-, 256- and 512-bit vectors alike. A mask is a value
/// whose lanes are all ones (true) or all zeros (false).
/// </summary>
internal interface IFloatLanes<T>
    where T : struct, IFloatLanes<T>
{
    static abstract T Of(float value);

    static abstract T OfBits(uint bits);

    static abstract T operator +(T a, T b);

    static abstract T operator -(T a, T b);

    static abstract T operator *(T a, T b);

    static abstract T operator /(T a, T b);

    static abstract T operator &(T a, T b);

    static abstract T operator |(T a, T b);

    /// <summary>The smaller value; <paramref name="b"/> when either is NaN (like x86 <c>minps</c>, and cheaper than IEEE min).</summary>
    static abstract T Min(T a, T b);

    /// <summary>The larger value; <paramref name="b"/> when either is NaN.</summary>
    static abstract T Max(T a, T b);

    static abstract T Abs(T a);

    static abstract T Floor(T a);

    /// <summary>Mask of the lanes where <paramref name="a"/> &lt; <paramref name="b"/> (false for NaN).</summary>
    static abstract T LessThan(T a, T b);

    /// <summary>Mask of the lanes where <paramref name="a"/> == <paramref name="b"/> (false for NaN).</summary>
    static abstract T Equal(T a, T b);

    /// <summary><paramref name="whenTrue"/> where <paramref name="mask"/> is set, else <paramref name="whenFalse"/>.</summary>
    static abstract T Select(T mask, T whenTrue, T whenFalse);

    /// <summary>Whether any lane of <paramref name="mask"/> is set.</summary>
    static abstract bool Any(T mask);

    /// <summary>2^<paramref name="n"/> for integral <paramref name="n"/> in [−126, 128] (128 gives +∞).</summary>
    static abstract T Pow2(T n);

    /// <summary>
    /// 2^n from <paramref name="biased"/> = n + <see cref="FloatLanes.Pow2Bias"/> (n integral in [−126, 128]): its bits
    /// shifted left by 23. A sum x + Pow2Bias rounds x to the nearest integer n and is such a value, so one add (or a
    /// fused multiply-add) gives both n (biased − Pow2Bias) and 2^n, with no rounding instruction.
    /// </summary>
    static abstract T Pow2OfBiased(T biased);

    /// <summary>
    /// a · b + c: rounded once on every lane type where the machine has x64 FMA (<see cref="FloatLanes.Fused"/>), a
    /// multiply and an add elsewhere, so every vector width gives the scalar's bits on a given machine.
    /// </summary>
    static abstract T MultiplyAdd(T a, T b, T c);
}

/// <summary>Constants the lane types share.</summary>
internal static class FloatLanes
{
    /// <summary>
    /// 1.5·2^23 + 127: adding it to an integral float n in [−126, 128] leaves n + 127 in the low bits of the sum
    /// (whose exponent is 2^23), so shifting the bits left by 23 gives 2^n, with no float-to-int conversion.
    /// </summary>
    public const float Pow2Bias = 12582912f + 127f;

    /// <summary>
    /// Whether <see cref="IFloatLanes{T}.MultiplyAdd"/> is fused: x64 FMA (which every AVX2 and AVX-512 machine has).
    /// The scalar and 128-bit lanes fuse too then, so all widths compute the same bits; without it (x64 without FMA,
    /// Arm64, WebAssembly) every width multiplies and adds.
    /// </summary>
    public static bool Fused
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Fma.IsSupported;
    }
}

/// <summary>One <see langword="float"/>: the scalar kernels' lanes.</summary>
internal readonly struct Lane1(float value) : IFloatLanes<Lane1>
{
    public readonly float Value = value;

    private const uint AllOnes = 0xFFFF_FFFF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Bits(Lane1 a) => BitConverter.SingleToUInt32Bits(a.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Lane1 FromBits(uint bits) => new(BitConverter.UInt32BitsToSingle(bits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Of(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 OfBits(uint bits) => FromBits(bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator +(Lane1 a, Lane1 b) => new(a.Value + b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator -(Lane1 a, Lane1 b) => new(a.Value - b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator *(Lane1 a, Lane1 b) => new(a.Value * b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator /(Lane1 a, Lane1 b) => new(a.Value / b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator &(Lane1 a, Lane1 b) => FromBits(Bits(a) & Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator |(Lane1 a, Lane1 b) => FromBits(Bits(a) | Bits(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Min(Lane1 a, Lane1 b) => a.Value < b.Value ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Max(Lane1 a, Lane1 b) => a.Value > b.Value ? a : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Abs(Lane1 a) => new(MathF.Abs(a.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Floor(Lane1 a) => new(MathF.Floor(a.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 LessThan(Lane1 a, Lane1 b) => FromBits(a.Value < b.Value ? AllOnes : 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Equal(Lane1 a, Lane1 b) => FromBits(a.Value == b.Value ? AllOnes : 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Select(Lane1 mask, Lane1 whenTrue, Lane1 whenFalse) => Bits(mask) != 0 ? whenTrue : whenFalse;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lane1 mask) => Bits(mask) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Pow2(Lane1 n) => FromBits(BitConverter.SingleToUInt32Bits(n.Value + FloatLanes.Pow2Bias) << 23);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Pow2OfBiased(Lane1 biased) => FromBits(Bits(biased) << 23);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 MultiplyAdd(Lane1 a, Lane1 b, Lane1 c) =>
        new(FloatLanes.Fused ? MathF.FusedMultiplyAdd(a.Value, b.Value, c.Value) : a.Value * b.Value + c.Value);
}

/// <summary>Four floats in a <see cref="Vector128{T}"/>.</summary>
internal readonly struct Lane4(Vector128<float> value) : IFloatLanes<Lane4>
{
    public readonly Vector128<float> Value = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Of(float value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 OfBits(uint bits) => new(Vector128.Create(bits).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 operator +(Lane4 a, Lane4 b) => new(a.Value + b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 operator -(Lane4 a, Lane4 b) => new(a.Value - b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 operator *(Lane4 a, Lane4 b) => new(a.Value * b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 operator /(Lane4 a, Lane4 b) => new(a.Value / b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 operator &(Lane4 a, Lane4 b) => new(a.Value & b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 operator |(Lane4 a, Lane4 b) => new(a.Value | b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Min(Lane4 a, Lane4 b) => new(Vector128.ConditionalSelect(Vector128.LessThan(a.Value, b.Value), a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Max(Lane4 a, Lane4 b) => new(Vector128.ConditionalSelect(Vector128.GreaterThan(a.Value, b.Value), a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Abs(Lane4 a) => new(Vector128.Abs(a.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Floor(Lane4 a) => new(Vector128.Floor(a.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 LessThan(Lane4 a, Lane4 b) => new(Vector128.LessThan(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Equal(Lane4 a, Lane4 b) => new(Vector128.Equals(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Select(Lane4 mask, Lane4 whenTrue, Lane4 whenFalse) => new(Vector128.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lane4 mask) => Vector128.ExtractMostSignificantBits(mask.Value.AsUInt32()) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Pow2(Lane4 n) => new(Vector128.ShiftLeft((n.Value + Vector128.Create(FloatLanes.Pow2Bias)).AsInt32(), 23).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 Pow2OfBiased(Lane4 biased) => new(Vector128.ShiftLeft(biased.Value.AsInt32(), 23).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane4 MultiplyAdd(Lane4 a, Lane4 b, Lane4 c) => new(FloatLanes.Fused ? Fma.MultiplyAdd(a.Value, b.Value, c.Value) : a.Value * b.Value + c.Value);
}

/// <summary>Eight floats in a <see cref="Vector256{T}"/>.</summary>
internal readonly struct Lane8(Vector256<float> value) : IFloatLanes<Lane8>
{
    public readonly Vector256<float> Value = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Of(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 OfBits(uint bits) => new(Vector256.Create(bits).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator +(Lane8 a, Lane8 b) => new(a.Value + b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator -(Lane8 a, Lane8 b) => new(a.Value - b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator *(Lane8 a, Lane8 b) => new(a.Value * b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator /(Lane8 a, Lane8 b) => new(a.Value / b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator &(Lane8 a, Lane8 b) => new(a.Value & b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 operator |(Lane8 a, Lane8 b) => new(a.Value | b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Min(Lane8 a, Lane8 b) => new(Vector256.ConditionalSelect(Vector256.LessThan(a.Value, b.Value), a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Max(Lane8 a, Lane8 b) => new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.Value, b.Value), a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Abs(Lane8 a) => new(Vector256.Abs(a.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Floor(Lane8 a) => new(Vector256.Floor(a.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 LessThan(Lane8 a, Lane8 b) => new(Vector256.LessThan(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Equal(Lane8 a, Lane8 b) => new(Vector256.Equals(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Select(Lane8 mask, Lane8 whenTrue, Lane8 whenFalse) => new(Vector256.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lane8 mask) => Vector256.ExtractMostSignificantBits(mask.Value.AsUInt32()) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Pow2(Lane8 n) => new(Vector256.ShiftLeft((n.Value + Vector256.Create(FloatLanes.Pow2Bias)).AsInt32(), 23).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 Pow2OfBiased(Lane8 biased) => new(Vector256.ShiftLeft(biased.Value.AsInt32(), 23).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane8 MultiplyAdd(Lane8 a, Lane8 b, Lane8 c) => new(FloatLanes.Fused ? Fma.MultiplyAdd(a.Value, b.Value, c.Value) : a.Value * b.Value + c.Value);
}

/// <summary>Sixteen floats in a <see cref="Vector512{T}"/>.</summary>
internal readonly struct Lane16(Vector512<float> value) : IFloatLanes<Lane16>
{
    public readonly Vector512<float> Value = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 Of(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 OfBits(uint bits) => new(Vector512.Create(bits).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 operator +(Lane16 a, Lane16 b) => new(a.Value + b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 operator -(Lane16 a, Lane16 b) => new(a.Value - b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 operator *(Lane16 a, Lane16 b) => new(a.Value * b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 operator /(Lane16 a, Lane16 b) => new(a.Value / b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 operator &(Lane16 a, Lane16 b) => new(a.Value & b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 operator |(Lane16 a, Lane16 b) => new(a.Value | b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 Min(Lane16 a, Lane16 b) => new(Vector512.ConditionalSelect(Vector512.LessThan(a.Value, b.Value), a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 Max(Lane16 a, Lane16 b) => new(Vector512.ConditionalSelect(Vector512.GreaterThan(a.Value, b.Value), a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 Abs(Lane16 a) => new(Vector512.Abs(a.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 Floor(Lane16 a) => new(Vector512.Floor(a.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 LessThan(Lane16 a, Lane16 b) => new(Vector512.LessThan(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 Equal(Lane16 a, Lane16 b) => new(Vector512.Equals(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 Select(Lane16 mask, Lane16 whenTrue, Lane16 whenFalse) => new(Vector512.ConditionalSelect(mask.Value, whenTrue.Value, whenFalse.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lane16 mask) => Vector512.ExtractMostSignificantBits(mask.Value.AsUInt32()) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 Pow2(Lane16 n) => new(Vector512.ShiftLeft((n.Value + Vector512.Create(FloatLanes.Pow2Bias)).AsInt32(), 23).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 Pow2OfBiased(Lane16 biased) => new(Vector512.ShiftLeft(biased.Value.AsInt32(), 23).AsSingle());

    /// <summary>Fused with AVX-512; on an FMA machine without it (the tests' 512-bit lanes in software), in 256-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane16 MultiplyAdd(Lane16 a, Lane16 b, Lane16 c)
    {
        if (Avx512F.IsSupported)
        {
            return new(Avx512F.FusedMultiplyAdd(a.Value, b.Value, c.Value));
        }
        if (FloatLanes.Fused)
        {
            return new(Vector512.Create(Fma.MultiplyAdd(a.Value.GetLower(), b.Value.GetLower(), c.Value.GetLower()),
                Fma.MultiplyAdd(a.Value.GetUpper(), b.Value.GetUpper(), c.Value.GetUpper())));
        }
        return new(a.Value * b.Value + c.Value);
    }
}

/// <summary>
/// Thirty-two floats in two <see cref="Vector512{T}"/>s, each operation applied to both: one inlined copy of an
/// activation then runs two independent dependency chains, which the JIT would not inline as two copies (its inlining
/// budget). See <see cref="ActivationPass"/> for the measured gain.
/// </summary>
internal readonly struct Lane32(Vector512<float> low, Vector512<float> high) : IFloatLanes<Lane32>
{
    public readonly Vector512<float> Low = low;
    public readonly Vector512<float> High = high;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 Of(float value) => new(Vector512.Create(value), Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 OfBits(uint bits) => new(Vector512.Create(bits).AsSingle(), Vector512.Create(bits).AsSingle());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 operator +(Lane32 a, Lane32 b) => new(a.Low + b.Low, a.High + b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 operator -(Lane32 a, Lane32 b) => new(a.Low - b.Low, a.High - b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 operator *(Lane32 a, Lane32 b) => new(a.Low * b.Low, a.High * b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 operator /(Lane32 a, Lane32 b) => new(a.Low / b.Low, a.High / b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 operator &(Lane32 a, Lane32 b) => new(a.Low & b.Low, a.High & b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 operator |(Lane32 a, Lane32 b) => new(a.Low | b.Low, a.High | b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 Min(Lane32 a, Lane32 b) => new(Lane16.Min(new(a.Low), new(b.Low)).Value, Lane16.Min(new(a.High), new(b.High)).Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 Max(Lane32 a, Lane32 b) => new(Lane16.Max(new(a.Low), new(b.Low)).Value, Lane16.Max(new(a.High), new(b.High)).Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 Abs(Lane32 a) => new(Vector512.Abs(a.Low), Vector512.Abs(a.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 Floor(Lane32 a) => new(Vector512.Floor(a.Low), Vector512.Floor(a.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 LessThan(Lane32 a, Lane32 b) => new(Vector512.LessThan(a.Low, b.Low), Vector512.LessThan(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 Equal(Lane32 a, Lane32 b) => new(Vector512.Equals(a.Low, b.Low), Vector512.Equals(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 Select(Lane32 mask, Lane32 whenTrue, Lane32 whenFalse) =>
        new(Vector512.ConditionalSelect(mask.Low, whenTrue.Low, whenFalse.Low), Vector512.ConditionalSelect(mask.High, whenTrue.High, whenFalse.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Any(Lane32 mask) => Vector512.ExtractMostSignificantBits((mask.Low | mask.High).AsUInt32()) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 Pow2(Lane32 n) => new(Lane16.Pow2(new(n.Low)).Value, Lane16.Pow2(new(n.High)).Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 Pow2OfBiased(Lane32 biased) => new(Lane16.Pow2OfBiased(new(biased.Low)).Value, Lane16.Pow2OfBiased(new(biased.High)).Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane32 MultiplyAdd(Lane32 a, Lane32 b, Lane32 c) =>
        new(Lane16.MultiplyAdd(new(a.Low), new(b.Low), new(c.Low)).Value, Lane16.MultiplyAdd(new(a.High), new(b.High), new(c.High)).Value);
}
