using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Internal;

/// <summary>
/// The vector operations the Winograd kernel (<see cref="WinogradKernel{T, TEpilogue}"/>) is written with, so that it
/// exists once and is compiled (generic over a struct: specialized and inlined by the JIT) for 512-, 256- and 128-bit
/// vectors. Each lane holds one tile of the map; lanes never mix, except where <see cref="Deinterleave"/> and
/// <see cref="StoreInterleaved"/> move the columns of tiles in and out of lanes.
/// </summary>
internal interface IWinogradLanes<T>
    where T : struct, IWinogradLanes<T>
{
    /// <summary>Floats (tiles) in a vector.</summary>
    static abstract int Width { get; }

    static abstract T Zero { get; }

    /// <summary>Every lane <paramref name="value"/> (a constant of the transforms).</summary>
    static abstract T Create(float value);

    static abstract T Load(ref float source, nint offset);

    static abstract void Store(T value, ref float destination, nint offset);

    /// <summary>Every lane the float at <paramref name="offset"/>.</summary>
    static abstract T Broadcast(ref float source, nint offset);

    /// <summary><c>a · b + c</c>, fused where the machine has it.</summary>
    static abstract T MultiplyAdd(T a, T b, T c);

    static abstract T operator +(T a, T b);

    static abstract T operator -(T a, T b);

    /// <summary><c>a &gt; b ? a : b</c> per lane (x86 <c>maxps</c>: <paramref name="b"/> when either is NaN); the separable max pool's fold.</summary>
    static abstract T Max(T a, T b);

    /// <summary>Per lane <paramref name="a"/> where <paramref name="mask"/> has every bit set, <paramref name="b"/> where it has none (bitwise).</summary>
    static abstract T Select(T mask, T a, T b);

    /// <summary>The even (<c>source[0], source[2], …</c>) and odd floats of the <c>2 · Width</c> at <paramref name="source"/>.</summary>
    static abstract void Deinterleave(ref float source, out T even, out T odd);

    /// <summary>Writes <c>even[0], odd[0], even[1], odd[1], …</c>: <c>2 · Width</c> floats.</summary>
    static abstract void StoreInterleaved(T even, T odd, ref float destination);

    /// <summary>The even and odd floats of the <c>2 · Width</c> floats <c>a, b</c> (a register <see cref="Deinterleave"/>).</summary>
    static abstract void Unzip(T a, T b, out T even, out T odd);

    /// <summary><c>even[0], odd[0], even[1], odd[1], …</c> as two vectors, <paramref name="low"/> first (a register <see cref="StoreInterleaved"/>).</summary>
    static abstract void Zip(T even, T odd, out T low, out T high);

    /// <summary>The generated epilogue of the layer (its fused activations) on a vector of outputs of <paramref name="channel"/>.</summary>
    static abstract T Epilogue<TEpilogue>(T value, ref float weights, int channel)
        where TEpilogue : struct, IWinogradEpilogue;
}

/// <summary>16 tiles in a <see cref="Vector512{T}"/> (AVX-512: <c>vpermt2ps</c> moves columns in and out of lanes).</summary>
internal readonly struct WinogradLanes16(Vector512<float> value) : IWinogradLanes<WinogradLanes16>
{
    public readonly Vector512<float> Value = value;

    public static int Width => 16;

    public static WinogradLanes16 Zero => new(Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes16 Create(float value) => new(Vector512.Create(value));

    // Lane indices into the 32 floats of two vectors (constants the JIT embeds).
    private static Vector512<int> Even => Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);

    private static Vector512<int> Odd => Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);

    private static Vector512<int> Low => Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);

    private static Vector512<int> High => Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes16 Load(ref float source, nint offset) => new(Vector512.LoadUnsafe(ref source, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(WinogradLanes16 value, ref float destination, nint offset) => value.Value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes16 Broadcast(ref float source, nint offset) => new(Vector512.Create(Unsafe.Add(ref source, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes16 MultiplyAdd(WinogradLanes16 a, WinogradLanes16 b, WinogradLanes16 c) => new(Avx512F.FusedMultiplyAdd(a.Value, b.Value, c.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes16 operator +(WinogradLanes16 a, WinogradLanes16 b) => new(a.Value + b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes16 operator -(WinogradLanes16 a, WinogradLanes16 b) => new(a.Value - b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes16 Max(WinogradLanes16 a, WinogradLanes16 b) => new(Avx512F.Max(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes16 Select(WinogradLanes16 mask, WinogradLanes16 a, WinogradLanes16 b) => new(Vector512.ConditionalSelect(mask.Value, a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(ref float source, out WinogradLanes16 even, out WinogradLanes16 odd)
    {
        Vector512<float> a = Vector512.LoadUnsafe(ref source), b = Vector512.LoadUnsafe(ref source, 16);
        even = new(Avx512F.PermuteVar16x32x2(a, Even, b));
        odd = new(Avx512F.PermuteVar16x32x2(a, Odd, b));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInterleaved(WinogradLanes16 even, WinogradLanes16 odd, ref float destination)
    {
        Avx512F.PermuteVar16x32x2(even.Value, Low, odd.Value).StoreUnsafe(ref destination);
        Avx512F.PermuteVar16x32x2(even.Value, High, odd.Value).StoreUnsafe(ref destination, 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unzip(WinogradLanes16 a, WinogradLanes16 b, out WinogradLanes16 even, out WinogradLanes16 odd)
    {
        even = new(Avx512F.PermuteVar16x32x2(a.Value, Even, b.Value));
        odd = new(Avx512F.PermuteVar16x32x2(a.Value, Odd, b.Value));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zip(WinogradLanes16 even, WinogradLanes16 odd, out WinogradLanes16 low, out WinogradLanes16 high)
    {
        low = new(Avx512F.PermuteVar16x32x2(even.Value, Low, odd.Value));
        high = new(Avx512F.PermuteVar16x32x2(even.Value, High, odd.Value));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes16 Epilogue<TEpilogue>(WinogradLanes16 value, ref float weights, int channel)
        where TEpilogue : struct, IWinogradEpilogue => new(TEpilogue.Apply(value.Value, ref weights, channel));
}

/// <summary>8 tiles in a <see cref="Vector256{T}"/> (AVX2 and FMA).</summary>
internal readonly struct WinogradLanes8(Vector256<float> value) : IWinogradLanes<WinogradLanes8>
{
    public readonly Vector256<float> Value = value;

    public static int Width => 8;

    public static WinogradLanes8 Zero => new(Vector256<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes8 Create(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes8 Load(ref float source, nint offset) => new(Vector256.LoadUnsafe(ref source, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(WinogradLanes8 value, ref float destination, nint offset) => value.Value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes8 Broadcast(ref float source, nint offset) => new(Vector256.Create(Unsafe.Add(ref source, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes8 MultiplyAdd(WinogradLanes8 a, WinogradLanes8 b, WinogradLanes8 c) => new(Fma.MultiplyAdd(a.Value, b.Value, c.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes8 operator +(WinogradLanes8 a, WinogradLanes8 b) => new(a.Value + b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes8 operator -(WinogradLanes8 a, WinogradLanes8 b) => new(a.Value - b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes8 Max(WinogradLanes8 a, WinogradLanes8 b) => new(Avx.Max(a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes8 Select(WinogradLanes8 mask, WinogradLanes8 a, WinogradLanes8 b) => new(Vector256.ConditionalSelect(mask.Value, a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(ref float source, out WinogradLanes8 even, out WinogradLanes8 odd)
    {
        Vector256<float> a = Vector256.LoadUnsafe(ref source), b = Vector256.LoadUnsafe(ref source, 8);
        // The shuffles leave a0 a2 b0 b2 | a4 a6 b4 b6: swapping the middle 64-bit quarters puts them in order.
        even = new(Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle());
        odd = new(Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInterleaved(WinogradLanes8 even, WinogradLanes8 odd, ref float destination)
    {
        // The unpacks interleave within each 128-bit half: e0 o0 e1 o1 | e4 o4 e5 o5 and e2 o2 e3 o3 | e6 o6 e7 o7.
        Vector256<float> low = Avx.UnpackLow(even.Value, odd.Value), high = Avx.UnpackHigh(even.Value, odd.Value);
        Avx.Permute2x128(low, high, 0x20).StoreUnsafe(ref destination);
        Avx.Permute2x128(low, high, 0x31).StoreUnsafe(ref destination, 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unzip(WinogradLanes8 a, WinogradLanes8 b, out WinogradLanes8 even, out WinogradLanes8 odd)
    {
        even = new(Avx2.Permute4x64(Avx.Shuffle(a.Value, b.Value, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle());
        odd = new(Avx2.Permute4x64(Avx.Shuffle(a.Value, b.Value, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zip(WinogradLanes8 even, WinogradLanes8 odd, out WinogradLanes8 low, out WinogradLanes8 high)
    {
        Vector256<float> l = Avx.UnpackLow(even.Value, odd.Value), h = Avx.UnpackHigh(even.Value, odd.Value);
        low = new(Avx.Permute2x128(l, h, 0x20));
        high = new(Avx.Permute2x128(l, h, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes8 Epilogue<TEpilogue>(WinogradLanes8 value, ref float weights, int channel)
        where TEpilogue : struct, IWinogradEpilogue => new(TEpilogue.Apply(value.Value, ref weights, channel));
}

/// <summary>
/// 4 tiles in a <see cref="Vector128{T}"/>: the portable path (SSE on x64, AdvSimd on Arm64, PackedSimd on WebAssembly),
/// with <see cref="Kernels.MultiplyAdd"/> for the products.
/// </summary>
internal readonly struct WinogradLanes4(Vector128<float> value) : IWinogradLanes<WinogradLanes4>
{
    public readonly Vector128<float> Value = value;

    public static int Width => 4;

    public static WinogradLanes4 Zero => new(Vector128<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes4 Create(float value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes4 Load(ref float source, nint offset) => new(Vector128.LoadUnsafe(ref source, (nuint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(WinogradLanes4 value, ref float destination, nint offset) => value.Value.StoreUnsafe(ref destination, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes4 Broadcast(ref float source, nint offset) => new(Vector128.Create(Unsafe.Add(ref source, offset)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes4 MultiplyAdd(WinogradLanes4 a, WinogradLanes4 b, WinogradLanes4 c) => new(Kernels.MultiplyAdd(a.Value, b.Value, c.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes4 operator +(WinogradLanes4 a, WinogradLanes4 b) => new(a.Value + b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes4 operator -(WinogradLanes4 a, WinogradLanes4 b) => new(a.Value - b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes4 Max(WinogradLanes4 a, WinogradLanes4 b) =>
        Sse.IsSupported ? new(Sse.Max(a.Value, b.Value)) : new(Vector128.ConditionalSelect(Vector128.GreaterThan(a.Value, b.Value), a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes4 Select(WinogradLanes4 mask, WinogradLanes4 a, WinogradLanes4 b) => new(Vector128.ConditionalSelect(mask.Value, a.Value, b.Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(ref float source, out WinogradLanes4 even, out WinogradLanes4 odd)
    {
        Vector128<float> a = Vector128.LoadUnsafe(ref source), b = Vector128.LoadUnsafe(ref source, 4);
        if (Sse.IsSupported)
        {
            even = new(Sse.Shuffle(a, b, 0b10_00_10_00));
            odd = new(Sse.Shuffle(a, b, 0b11_01_11_01));
        }
        else if (AdvSimd.Arm64.IsSupported)
        {
            even = new(AdvSimd.Arm64.UnzipEven(a, b));
            odd = new(AdvSimd.Arm64.UnzipOdd(a, b));
        }
        else
        {
            even = new(Vector128.Create(a.GetElement(0), a.GetElement(2), b.GetElement(0), b.GetElement(2)));
            odd = new(Vector128.Create(a.GetElement(1), a.GetElement(3), b.GetElement(1), b.GetElement(3)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInterleaved(WinogradLanes4 even, WinogradLanes4 odd, ref float destination)
    {
        Vector128<float> e = even.Value, o = odd.Value;
        if (Sse.IsSupported)
        {
            Sse.UnpackLow(e, o).StoreUnsafe(ref destination);
            Sse.UnpackHigh(e, o).StoreUnsafe(ref destination, 4);
        }
        else if (AdvSimd.Arm64.IsSupported)
        {
            AdvSimd.Arm64.ZipLow(e, o).StoreUnsafe(ref destination);
            AdvSimd.Arm64.ZipHigh(e, o).StoreUnsafe(ref destination, 4);
        }
        else
        {
            Vector128.Create(e.GetElement(0), o.GetElement(0), e.GetElement(1), o.GetElement(1)).StoreUnsafe(ref destination);
            Vector128.Create(e.GetElement(2), o.GetElement(2), e.GetElement(3), o.GetElement(3)).StoreUnsafe(ref destination, 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unzip(WinogradLanes4 x, WinogradLanes4 y, out WinogradLanes4 even, out WinogradLanes4 odd)
    {
        Vector128<float> a = x.Value, b = y.Value;
        if (Sse.IsSupported)
        {
            even = new(Sse.Shuffle(a, b, 0b10_00_10_00));
            odd = new(Sse.Shuffle(a, b, 0b11_01_11_01));
        }
        else if (AdvSimd.Arm64.IsSupported)
        {
            even = new(AdvSimd.Arm64.UnzipEven(a, b));
            odd = new(AdvSimd.Arm64.UnzipOdd(a, b));
        }
        else
        {
            even = new(Vector128.Create(a.GetElement(0), a.GetElement(2), b.GetElement(0), b.GetElement(2)));
            odd = new(Vector128.Create(a.GetElement(1), a.GetElement(3), b.GetElement(1), b.GetElement(3)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Zip(WinogradLanes4 even, WinogradLanes4 odd, out WinogradLanes4 low, out WinogradLanes4 high)
    {
        Vector128<float> e = even.Value, o = odd.Value;
        if (Sse.IsSupported)
        {
            low = new(Sse.UnpackLow(e, o));
            high = new(Sse.UnpackHigh(e, o));
        }
        else if (AdvSimd.Arm64.IsSupported)
        {
            low = new(AdvSimd.Arm64.ZipLow(e, o));
            high = new(AdvSimd.Arm64.ZipHigh(e, o));
        }
        else
        {
            low = new(Vector128.Create(e.GetElement(0), o.GetElement(0), e.GetElement(1), o.GetElement(1)));
            high = new(Vector128.Create(e.GetElement(2), o.GetElement(2), e.GetElement(3), o.GetElement(3)));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static WinogradLanes4 Epilogue<TEpilogue>(WinogradLanes4 value, ref float weights, int channel)
        where TEpilogue : struct, IWinogradEpilogue => new(TEpilogue.Apply(value.Value, ref weights, channel));
}
