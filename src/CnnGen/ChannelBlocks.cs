using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen;

/// <summary>
/// Transposes between channel planes (C,H,W) and blocks of 16 channels a pixel (<c>[pixel][16]</c>), for the generated
/// depthwise kernel that vectorizes along channels on small maps: 16 channels' planes go onto the stack as one vector a
/// pixel, every tap is then one load and one FMA over 16 channels, and the results come back as planes. On AVX-512 each
/// 16 × 16 block is 16 loads, 64 shuffles and 16 stores; on AVX2 two 8 × 8 blocks a run of 8 pixels, 24 shuffles each;
/// elsewhere a scalar loop. Not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ChannelBlocks
{
    /// <summary>
    /// <c>destination[p · 16 + c] = source[c · planeStride + p]</c> for pixels <c>p</c> &lt; <paramref name="count"/> and
    /// channels <c>c</c> &lt; 16; lanes from <paramref name="lanes"/> on repeat the last channel (never read past it).
    /// </summary>
    /// <param name="source">Pixel 0 of the first channel.</param>
    /// <param name="planeStride">How far apart the channels are.</param>
    /// <param name="lanes">Channels that exist (1 to 16).</param>
    /// <param name="count">Pixels of each channel, read as one run.</param>
    /// <param name="destination">The first pixel's vector of 16.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToPixels(ref float source, nint planeStride, int lanes, int count, ref float destination)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && count >= 16)
        {
            for (int p = 0; ; p += 16)
            {
                if (p > count - 16)
                {
                    p = count - 16; // the last block overlaps the one before it
                }
                Vector512<float> r0 = Row(ref source, 0, lanes, planeStride, p), r1 = Row(ref source, 1, lanes, planeStride, p);
                Vector512<float> r2 = Row(ref source, 2, lanes, planeStride, p), r3 = Row(ref source, 3, lanes, planeStride, p);
                Vector512<float> r4 = Row(ref source, 4, lanes, planeStride, p), r5 = Row(ref source, 5, lanes, planeStride, p);
                Vector512<float> r6 = Row(ref source, 6, lanes, planeStride, p), r7 = Row(ref source, 7, lanes, planeStride, p);
                Vector512<float> r8 = Row(ref source, 8, lanes, planeStride, p), r9 = Row(ref source, 9, lanes, planeStride, p);
                Vector512<float> r10 = Row(ref source, 10, lanes, planeStride, p), r11 = Row(ref source, 11, lanes, planeStride, p);
                Vector512<float> r12 = Row(ref source, 12, lanes, planeStride, p), r13 = Row(ref source, 13, lanes, planeStride, p);
                Vector512<float> r14 = Row(ref source, 14, lanes, planeStride, p), r15 = Row(ref source, 15, lanes, planeStride, p);
                Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ref r8, ref r9, ref r10, ref r11, ref r12, ref r13, ref r14, ref r15);
                ref float d = ref Unsafe.Add(ref destination, (nint)p * 16);
                r0.StoreUnsafe(ref d, 0); r1.StoreUnsafe(ref d, 16); r2.StoreUnsafe(ref d, 32); r3.StoreUnsafe(ref d, 48);
                r4.StoreUnsafe(ref d, 64); r5.StoreUnsafe(ref d, 80); r6.StoreUnsafe(ref d, 96); r7.StoreUnsafe(ref d, 112);
                r8.StoreUnsafe(ref d, 128); r9.StoreUnsafe(ref d, 144); r10.StoreUnsafe(ref d, 160); r11.StoreUnsafe(ref d, 176);
                r12.StoreUnsafe(ref d, 192); r13.StoreUnsafe(ref d, 208); r14.StoreUnsafe(ref d, 224); r15.StoreUnsafe(ref d, 240);
                if (p == count - 16)
                {
                    return;
                }
            }
        }
        if (Avx.IsSupported && Vector256.IsHardwareAccelerated && count >= 8)
        {
            for (int p = 0; ; p += 8)
            {
                if (p > count - 8)
                {
                    p = count - 8; // the last block overlaps the one before it
                }
                ref float d = ref Unsafe.Add(ref destination, (nint)p * 16);
                ToPixels8(ref source, planeStride, lanes, p, 0, ref d);
                ToPixels8(ref source, planeStride, lanes, p, 8, ref d);
                if (p == count - 8)
                {
                    return;
                }
            }
        }
        for (int c = 0; c < 16; c++)
        {
            ref float plane = ref Unsafe.Add(ref source, (c < lanes ? c : lanes - 1) * planeStride);
            for (int p = 0; p < count; p++)
            {
                Unsafe.Add(ref destination, (nint)p * 16 + c) = Unsafe.Add(ref plane, p);
            }
        }
    }

    /// <summary>
    /// Rows <paramref name="from"/> to <paramref name="to"/> (exclusive) of 16 channels' padded planes, each
    /// <paramref name="rowStride"/> wide, into a ring of <paramref name="ringRows"/> rows of vectors of 16 (row <c>r</c> at
    /// <c>(r mod ringRows) · rowStride · 16</c>): rows from <paramref name="top"/> to <paramref name="bottom"/> (exclusive)
    /// are read from <paramref name="planes"/> (<see cref="ToPixels"/>, consecutive rows as one run), the others are padding
    /// and become zeros. Lanes from <paramref name="lanes"/> on repeat the last channel.
    /// </summary>
    /// <param name="planes">Pixel (0, 0) of the first channel's padded plane (row <c>r</c> starts <c>r · rowStride</c> on).</param>
    /// <param name="planeStride">How far apart the channels are.</param>
    /// <param name="lanes">Channels that exist (1 to 16).</param>
    /// <param name="rowStride">Pixels of a padded row.</param>
    /// <param name="top">The first row that is read (the rows above it are padding).</param>
    /// <param name="bottom">The row after the last one that is read.</param>
    /// <param name="from">The first row to move.</param>
    /// <param name="to">The row after the last one to move.</param>
    /// <param name="ringRows">Rows the ring holds.</param>
    /// <param name="ring">Row 0's first vector of 16.</param>
    public static void ToRing(ref float planes, nint planeStride, int lanes, int rowStride, int top, int bottom, int from, int to, int ringRows, ref float ring)
    {
        for (int r = from; r < to;)
        {
            int slot = r % ringRows;
            ref float destination = ref Unsafe.Add(ref ring, (nint)slot * rowStride * 16);
            if (r < top || r >= bottom)
            {
                System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref destination, rowStride * 16).Clear();
                r++;
                continue;
            }
            int end = System.Math.Min(System.Math.Min(to, bottom), r + ringRows - slot);
            ToPixels(ref Unsafe.Add(ref planes, (nint)r * rowStride), planeStride, lanes, (end - r) * rowStride, ref destination);
            r = end;
        }
    }

    /// <summary>
    /// <c>destination[c · planeStride + p] = source[p · 16 + c]</c> for pixels <c>p</c> &lt; <paramref name="count"/> and
    /// channels <c>c</c> &lt; <paramref name="lanes"/>. When <paramref name="count"/> is below 16 the source must hold 16
    /// pixels' vectors (those past <paramref name="count"/> are read, not stored).
    /// </summary>
    /// <param name="source">The first pixel's vector of 16.</param>
    /// <param name="count">Pixels of each channel, written as one run.</param>
    /// <param name="lanes">Channels to write (1 to 16).</param>
    /// <param name="destination">Pixel 0 of the first channel.</param>
    /// <param name="planeStride">How far apart the channels are.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ToChannels(ref float source, int count, int lanes, ref float destination, nint planeStride)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && (count >= 16 || count % 4 == 0))
        {
            for (int p = 0; ; p += 16)
            {
                if (count >= 16 && p > count - 16)
                {
                    p = count - 16; // the last block overlaps the one before it
                }
                ref float s = ref Unsafe.Add(ref source, (nint)p * 16);
                Vector512<float> r0 = Vector512.LoadUnsafe(ref s, 0), r1 = Vector512.LoadUnsafe(ref s, 16);
                Vector512<float> r2 = Vector512.LoadUnsafe(ref s, 32), r3 = Vector512.LoadUnsafe(ref s, 48);
                Vector512<float> r4 = Vector512.LoadUnsafe(ref s, 64), r5 = Vector512.LoadUnsafe(ref s, 80);
                Vector512<float> r6 = Vector512.LoadUnsafe(ref s, 96), r7 = Vector512.LoadUnsafe(ref s, 112);
                Vector512<float> r8 = Vector512.LoadUnsafe(ref s, 128), r9 = Vector512.LoadUnsafe(ref s, 144);
                Vector512<float> r10 = Vector512.LoadUnsafe(ref s, 160), r11 = Vector512.LoadUnsafe(ref s, 176);
                Vector512<float> r12 = Vector512.LoadUnsafe(ref s, 192), r13 = Vector512.LoadUnsafe(ref s, 208);
                Vector512<float> r14 = Vector512.LoadUnsafe(ref s, 224), r15 = Vector512.LoadUnsafe(ref s, 240);
                Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ref r8, ref r9, ref r10, ref r11, ref r12, ref r13, ref r14, ref r15);
                ref float d = ref Unsafe.Add(ref destination, p);
                int width = count >= 16 ? 16 : count;
                Store(r0, ref d, 0, lanes, planeStride, width); Store(r1, ref d, 1, lanes, planeStride, width);
                Store(r2, ref d, 2, lanes, planeStride, width); Store(r3, ref d, 3, lanes, planeStride, width);
                Store(r4, ref d, 4, lanes, planeStride, width); Store(r5, ref d, 5, lanes, planeStride, width);
                Store(r6, ref d, 6, lanes, planeStride, width); Store(r7, ref d, 7, lanes, planeStride, width);
                Store(r8, ref d, 8, lanes, planeStride, width); Store(r9, ref d, 9, lanes, planeStride, width);
                Store(r10, ref d, 10, lanes, planeStride, width); Store(r11, ref d, 11, lanes, planeStride, width);
                Store(r12, ref d, 12, lanes, planeStride, width); Store(r13, ref d, 13, lanes, planeStride, width);
                Store(r14, ref d, 14, lanes, planeStride, width); Store(r15, ref d, 15, lanes, planeStride, width);
                if (count < 16 || p == count - 16)
                {
                    return;
                }
            }
        }
        if (Avx.IsSupported && Vector256.IsHardwareAccelerated && (count >= 8 || count == 4))
        {
            for (int p = 0; ; p += 8)
            {
                if (count >= 8 && p > count - 8)
                {
                    p = count - 8; // the last block overlaps the one before it
                }
                ref float s = ref Unsafe.Add(ref source, (nint)p * 16);
                ref float d = ref Unsafe.Add(ref destination, p);
                int width = count >= 8 ? 8 : 4;
                ToChannels8(ref s, 0, lanes, ref d, planeStride, width);
                ToChannels8(ref s, 8, lanes, ref d, planeStride, width);
                if (count < 8 || p == count - 8)
                {
                    return;
                }
            }
        }
        for (int c = 0; c < lanes; c++)
        {
            ref float plane = ref Unsafe.Add(ref destination, c * planeStride);
            for (int p = 0; p < count; p++)
            {
                Unsafe.Add(ref plane, p) = Unsafe.Add(ref source, (nint)p * 16 + c);
            }
        }
    }

    /// <summary>
    /// AVX2: channels <paramref name="c0"/> to <paramref name="c0"/> + 7 of pixels <paramref name="p"/> to
    /// <paramref name="p"/> + 7 (8 loads, one 8 × 8 transpose), stored as those pixels' half vectors of 16 from
    /// <paramref name="destination"/> (pixel <paramref name="p"/>'s vector).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ToPixels8(ref float source, nint planeStride, int lanes, int p, int c0, ref float destination)
    {
        Vector256<float> r0 = Row8(ref source, c0, lanes, planeStride, p), r1 = Row8(ref source, c0 + 1, lanes, planeStride, p);
        Vector256<float> r2 = Row8(ref source, c0 + 2, lanes, planeStride, p), r3 = Row8(ref source, c0 + 3, lanes, planeStride, p);
        Vector256<float> r4 = Row8(ref source, c0 + 4, lanes, planeStride, p), r5 = Row8(ref source, c0 + 5, lanes, planeStride, p);
        Vector256<float> r6 = Row8(ref source, c0 + 6, lanes, planeStride, p), r7 = Row8(ref source, c0 + 7, lanes, planeStride, p);
        Internal.RegisterTranspose.Transpose8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        ref float d = ref Unsafe.Add(ref destination, c0);
        r0.StoreUnsafe(ref d, 0); r1.StoreUnsafe(ref d, 16); r2.StoreUnsafe(ref d, 32); r3.StoreUnsafe(ref d, 48);
        r4.StoreUnsafe(ref d, 64); r5.StoreUnsafe(ref d, 80); r6.StoreUnsafe(ref d, 96); r7.StoreUnsafe(ref d, 112);
    }

    /// <summary>
    /// AVX2: the half vectors of channels <paramref name="c0"/> to <paramref name="c0"/> + 7 of 8 pixels from
    /// <paramref name="source"/> (one 8 × 8 transpose), each channel's first <paramref name="width"/> pixels (8 or 4) stored
    /// into its plane unless it is past <paramref name="lanes"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ToChannels8(ref float source, int c0, int lanes, ref float destination, nint planeStride, int width)
    {
        ref float s = ref Unsafe.Add(ref source, c0);
        Vector256<float> r0 = Vector256.LoadUnsafe(ref s, 0), r1 = Vector256.LoadUnsafe(ref s, 16);
        Vector256<float> r2 = Vector256.LoadUnsafe(ref s, 32), r3 = Vector256.LoadUnsafe(ref s, 48);
        Vector256<float> r4 = Vector256.LoadUnsafe(ref s, 64), r5 = Vector256.LoadUnsafe(ref s, 80);
        Vector256<float> r6 = Vector256.LoadUnsafe(ref s, 96), r7 = Vector256.LoadUnsafe(ref s, 112);
        Internal.RegisterTranspose.Transpose8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        Store8(r0, ref destination, c0, lanes, planeStride, width); Store8(r1, ref destination, c0 + 1, lanes, planeStride, width);
        Store8(r2, ref destination, c0 + 2, lanes, planeStride, width); Store8(r3, ref destination, c0 + 3, lanes, planeStride, width);
        Store8(r4, ref destination, c0 + 4, lanes, planeStride, width); Store8(r5, ref destination, c0 + 5, lanes, planeStride, width);
        Store8(r6, ref destination, c0 + 6, lanes, planeStride, width); Store8(r7, ref destination, c0 + 7, lanes, planeStride, width);
    }

    /// <summary>Channel <paramref name="c"/>'s 8 pixels from <paramref name="p"/> (the last channel's for lanes past <paramref name="lanes"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Row8(ref float source, int c, int lanes, nint planeStride, int p) =>
        Vector256.LoadUnsafe(ref Unsafe.Add(ref source, (c < lanes ? c : lanes - 1) * planeStride), (nuint)p);

    /// <summary>Stores channel <paramref name="c"/>'s first <paramref name="width"/> pixels (8 or 4) unless it is past <paramref name="lanes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store8(Vector256<float> v, ref float destination, int c, int lanes, nint planeStride, int width)
    {
        if (c >= lanes)
        {
            return;
        }
        ref float d = ref Unsafe.Add(ref destination, c * planeStride);
        if (width == 8)
        {
            v.StoreUnsafe(ref d);
            return;
        }
        v.GetLower().StoreUnsafe(ref d);
    }

    /// <summary>Channel <paramref name="c"/>'s 16 pixels from <paramref name="p"/> (the last channel's for lanes past <paramref name="lanes"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(ref float source, int c, int lanes, nint planeStride, int p) =>
        Vector512.LoadUnsafe(ref Unsafe.Add(ref source, (c < lanes ? c : lanes - 1) * planeStride), (nuint)p);

    /// <summary>Stores channel <paramref name="c"/>'s first <paramref name="width"/> pixels (16, or a multiple of 4 below it) unless it is past <paramref name="lanes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector512<float> v, ref float destination, int c, int lanes, nint planeStride, int width)
    {
        if (c >= lanes)
        {
            return;
        }
        ref float d = ref Unsafe.Add(ref destination, c * planeStride);
        if (width == 16)
        {
            v.StoreUnsafe(ref d);
            return;
        }
        if (width >= 8)
        {
            v.GetLower().StoreUnsafe(ref d);
            if (width == 12)
            {
                v.GetUpper().GetLower().StoreUnsafe(ref d, 8);
            }
            return;
        }
        v.GetLower().GetLower().StoreUnsafe(ref d);
    }

    /// <summary>
    /// Transposes the 16 × 16 matrix whose rows are r0 … r15: 16 unpacks of floats, 16 of pairs, 32 shuffles of 128-bit lanes,
    /// in place. The same result as <c>RegisterTranspose.Transpose16</c> (64 two-source permutes), kept apart because it is
    /// faster here: with that one instead, EfficientNet-B0@64's 5×5 depthwise on 8×8×240 + SiLU took 9.5–9.7 µs against
    /// 7.3–8.9 (throwaway probe, alternating builds, load 2–4).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref Vector512<float> r0, ref Vector512<float> r1, ref Vector512<float> r2, ref Vector512<float> r3,
        ref Vector512<float> r4, ref Vector512<float> r5, ref Vector512<float> r6, ref Vector512<float> r7,
        ref Vector512<float> r8, ref Vector512<float> r9, ref Vector512<float> r10, ref Vector512<float> r11,
        ref Vector512<float> r12, ref Vector512<float> r13, ref Vector512<float> r14, ref Vector512<float> r15)
    {
        // Rows 4q … 4q + 3: after two unpack stages, u(4q + k)'s 128-bit lane L holds column 4L + k of those four rows.
        Quad(ref r0, ref r1, ref r2, ref r3);
        Quad(ref r4, ref r5, ref r6, ref r7);
        Quad(ref r8, ref r9, ref r10, ref r11);
        Quad(ref r12, ref r13, ref r14, ref r15);
        // Column 4L + k: lane L of u(k), u(4 + k), u(8 + k), u(12 + k), which lands back in u(4L + k).
        Lanes(ref r0, ref r4, ref r8, ref r12);
        Lanes(ref r1, ref r5, ref r9, ref r13);
        Lanes(ref r2, ref r6, ref r10, ref r14);
        Lanes(ref r3, ref r7, ref r11, ref r15);
    }

    /// <summary>Two unpack stages over four rows: a's 128-bit lane L becomes column 4L of the four, b's 4L + 1, c's 4L + 2, d's 4L + 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quad(ref Vector512<float> a, ref Vector512<float> b, ref Vector512<float> c, ref Vector512<float> d)
    {
        Vector512<float> t0 = Avx512F.UnpackLow(a, b), t1 = Avx512F.UnpackHigh(a, b);
        Vector512<float> t2 = Avx512F.UnpackLow(c, d), t3 = Avx512F.UnpackHigh(c, d);
        a = Avx512F.UnpackLow(t0.AsDouble(), t2.AsDouble()).AsSingle();
        b = Avx512F.UnpackHigh(t0.AsDouble(), t2.AsDouble()).AsSingle();
        c = Avx512F.UnpackLow(t1.AsDouble(), t3.AsDouble()).AsSingle();
        d = Avx512F.UnpackHigh(t1.AsDouble(), t3.AsDouble()).AsSingle();
    }

    /// <summary>From four vectors (rows 0–3, 4–7, 8–11, 12–15 of one column in each lane): a = lanes 0, b = lanes 1, c = lanes 2, d = lanes 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lanes(ref Vector512<float> a, ref Vector512<float> b, ref Vector512<float> c, ref Vector512<float> d)
    {
        Vector512<float> v = Avx512F.Shuffle4x128(a, b, 0x44), v2 = Avx512F.Shuffle4x128(a, b, 0xEE);
        Vector512<float> x = Avx512F.Shuffle4x128(c, d, 0x44), x2 = Avx512F.Shuffle4x128(c, d, 0xEE);
        a = Avx512F.Shuffle4x128(v, x, 0x88);
        b = Avx512F.Shuffle4x128(v, x, 0xDD);
        c = Avx512F.Shuffle4x128(v2, x2, 0x88);
        d = Avx512F.Shuffle4x128(v2, x2, 0xDD);
    }
}
