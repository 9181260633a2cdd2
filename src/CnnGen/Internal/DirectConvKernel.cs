using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Internal;

/// <summary>
/// The direct convolution of <see cref="DirectConv"/>, written once for every vector width. A vector holds
/// <c>T.Width</c> consecutive output channels; the register tile is <typeparamref name="TPixels"/> consecutive output
/// pixels of one row × one or two vectors (<c>a{pixel}_{vector}</c>): per tap, one weight load per vector and one
/// broadcast input per pixel, at the constant offset <c>pixel · stride</c> (so a stride costs nothing). The pixel and
/// vector counts are type arguments: the JIT drops the accumulators a tile does not use.
/// </summary>
/// <typeparam name="T">The vector width.</typeparam>
/// <typeparam name="TStride">The horizontal stride.</typeparam>
/// <typeparam name="TPixels">Output pixels per register tile (at most 14, at most the output width).</typeparam>
/// <typeparam name="TEpilogue">The layer's fused activations (none with per-channel parameters).</typeparam>
internal static class DirectConvKernel<T, TStride, TPixels, TEpilogue>
    where T : struct, IWinogradLanes<T>
    where TStride : struct, IConstant
    where TPixels : struct, IConstant
    where TEpilogue : struct, IWinogradEpilogue
{
    /// <summary>Largest pixel tile (the accumulators written out below).</summary>
    private const int MaxPixels = 14;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in DirectConvShape l, ref float input, ref float output, ref float weights)
    {
        int width = T.Width, span = 2 * width, pixels = TPixels.Value;
        ref float panels = ref Unsafe.Add(ref weights, l.PanelsOffset);
        nint panelSize = (nint)l.Channels * l.KernelHeight * l.KernelWidth * DirectConv.PanelWidth;
        nint biasAt = panelSize * ((l.Filters + DirectConv.PanelWidth - 1) / DirectConv.PanelWidth);
        // One tile's results, [pixel][channel], on their way to the C,H,W output.
        Span<float> buffer = stackalloc float[MaxPixels * 2 * 16];
        ref float results = ref MemoryMarshal.GetReference(buffer);
        for (int oc = 0; oc < l.Filters; oc += span)
        {
            bool two = l.Filters - oc > width;
            int channels = Math.Min(span, l.Filters - oc);
            ref float weights0 = ref Unsafe.Add(ref panels, oc / DirectConv.PanelWidth * panelSize + oc % DirectConv.PanelWidth);
            T bias0 = T.Load(ref panels, biasAt + oc);
            T bias1 = two ? T.Load(ref panels, biasAt + oc + width) : T.Zero;
            // The second vector's weights: the same panel further on, or the next panel (AVX-512: 16 channels a panel).
            int oc1 = two ? oc + width : oc;
            ref float weights1 = ref Unsafe.Add(ref panels, oc1 / DirectConv.PanelWidth * panelSize + oc1 % DirectConv.PanelWidth);
            for (int oy = 0; oy < l.OutputHeight; oy++)
            {
                ref float inputRow = ref Unsafe.Add(ref input, (nint)oy * l.StrideY * l.InputRowStride);
                ref float outputRow = ref Unsafe.Add(ref output, (nint)oc * l.OutputPlaneStride + (nint)oy * l.OutputRowStride);
                // The kernel rows and columns that read some of the input, not only its zero border (DirectConvShape.InputHeight).
                var taps = new Taps(0, l.KernelHeight, 0, l.KernelWidth);
                if (l.InputHeight > 0)
                {
                    taps.FirstRow = FirstTap(oy * l.StrideY, l.DilationY, l.PadTop, l.KernelHeight);
                    taps.EndRow = Math.Max(taps.FirstRow, EndTap(oy * l.StrideY, l.DilationY, l.PadTop + l.InputHeight, l.KernelHeight));
                }
                for (int next = 0; ; next += pixels)
                {
                    // The last tile of a row ends at its last pixel, overlapping the one before (same values written twice).
                    int ox = Math.Min(next, l.OutputWidth - pixels);
                    ref float window = ref Unsafe.Add(ref inputRow, (nint)ox * TStride.Value);
                    if (l.FlatRowWidth > 0 && l.InputHeight > 0)
                    {
                        // a flat walk: the tile spans rows ox / width to (ox + pixels − 1) / width
                        taps.FirstRow = FirstTap((ox + pixels - 1) / l.FlatRowWidth, l.DilationY, l.PadTop, l.KernelHeight);
                        taps.EndRow = Math.Max(taps.FirstRow, EndTap(ox / l.FlatRowWidth, l.DilationY, l.PadTop + l.InputHeight, l.KernelHeight));
                    }
                    else if (l.InputWidth > 0)
                    {
                        taps.FirstColumn = FirstTap((ox + pixels - 1) * TStride.Value, l.DilationX, l.PadLeft, l.KernelWidth);
                        taps.EndColumn = Math.Max(taps.FirstColumn, EndTap(ox * TStride.Value, l.DilationX, l.PadLeft + l.InputWidth, l.KernelWidth));
                    }
                    if (two)
                    {
                        Tile<Two>(l, ref window, ref weights0, ref weights1, bias0, bias1, ref results, ref weights, oc, taps);
                    }
                    else
                    {
                        Tile<One>(l, ref window, ref weights0, ref weights1, bias0, bias1, ref results, ref weights, oc, taps);
                    }
                    ref float first = ref Unsafe.Add(ref outputRow, ox);
                    if (T.Width == 16 && Avx512F.IsSupported)
                    {
                        Scatter16(ref results, channels, ref first, l.OutputPlaneStride);
                        if (ox + pixels >= l.OutputWidth)
                        {
                            break;
                        }
                        continue;
                    }
                    if (T.Width == 8 && Avx.IsSupported && pixels <= 8)
                    {
                        Scatter8(ref results, channels, ref first, l.OutputPlaneStride);
                        if (ox + pixels >= l.OutputWidth)
                        {
                            break;
                        }
                        continue;
                    }
                    for (int j = 0; j < channels; j++)
                    {
                        ref float plane = ref Unsafe.Add(ref first, (nint)j * l.OutputPlaneStride);
                        for (int p = 0; p < pixels; p++)
                        {
                            Unsafe.Add(ref plane, p) = Unsafe.Add(ref results, p * span + j);
                        }
                    }
                    if (ox + pixels >= l.OutputWidth)
                    {
                        break;
                    }
                }
            }
        }
    }

    /// <summary>
    /// AVX2: a tile's results (<c>[pixel][16]</c>, at most 8 pixels) to the C,H,W output, 8 channels at a time: the
    /// pixels' half vectors loaded back, transposed in registers (<see cref="RegisterTranspose.Transpose8"/>, the missing
    /// pixels as zeros) and each channel's pixels stored as 4 + 2 + 1 floats (or 8), instead of one scalar load and store
    /// per value (wav2vec 2.0's stem, 10 taps over one channel at stride 5: 96 scalar loads and stores a 6-pixel tile
    /// against 120 FMAs).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter8(ref float results, int channels, ref float first, nint planeStride)
    {
        for (int half = 0; half < channels; half += 8)
        {
            ref float from = ref Unsafe.Add(ref results, half);
            Vector256<float> r0 = Row(ref from, 0), r1 = Row(ref from, 1), r2 = Row(ref from, 2), r3 = Row(ref from, 3);
            Vector256<float> r4 = Row(ref from, 4), r5 = Row(ref from, 5), r6 = Row(ref from, 6), r7 = Row(ref from, 7);
            RegisterTranspose.Transpose8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            int count = Math.Min(8, channels - half);
            ref float to = ref Unsafe.Add(ref first, half * planeStride);
            Pixels(r0, ref to);
            if (count > 1)
            {
                Pixels(r1, ref Unsafe.Add(ref to, 1 * planeStride));
            }
            if (count > 2)
            {
                Pixels(r2, ref Unsafe.Add(ref to, 2 * planeStride));
            }
            if (count > 3)
            {
                Pixels(r3, ref Unsafe.Add(ref to, 3 * planeStride));
            }
            if (count > 4)
            {
                Pixels(r4, ref Unsafe.Add(ref to, 4 * planeStride));
            }
            if (count > 5)
            {
                Pixels(r5, ref Unsafe.Add(ref to, 5 * planeStride));
            }
            if (count > 6)
            {
                Pixels(r6, ref Unsafe.Add(ref to, 6 * planeStride));
            }
            if (count > 7)
            {
                Pixels(r7, ref Unsafe.Add(ref to, 7 * planeStride));
            }
        }

        // Pixel p's 8 channels (zeros past the tile: they only fill the transpose).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector256<float> Row(ref float from, int p) =>
            p < TPixels.Value ? Vector256.LoadUnsafe(ref from, (nuint)(p * 2 * 8)) : Vector256<float>.Zero;

        // The first TPixels lanes of a channel's vector: 4, 2 and 1 of them as the tile's width has those bits.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Pixels(Vector256<float> v, ref float to)
        {
            int n = TPixels.Value;
            if (n == 8)
            {
                v.StoreUnsafe(ref to);
                return;
            }
            Vector128<float> quarter = v.GetLower();
            if ((n & 4) != 0)
            {
                quarter.StoreUnsafe(ref to);
                quarter = v.GetUpper();
            }
            if ((n & 2) != 0)
            {
                Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref to, n & 4)), quarter.AsDouble().ToScalar());
                quarter = Vector128.Shuffle(quarter, Vector128.Create(2, 3, 0, 1));
            }
            if ((n & 1) != 0)
            {
                Unsafe.Add(ref to, n & 6) = quarter.ToScalar();
            }
        }
    }

    /// <summary>
    /// AVX-512: a tile's results (<c>[pixel][32]</c>) to the C,H,W output, 16 channels at a time: the pixels' vectors
    /// loaded back, transposed in registers (<see cref="RegisterTranspose"/>, the missing pixels as zeros) and each
    /// channel's pixels stored as 8 + 4 + 2 + 1 floats, instead of one scalar load and store per value. A 14 × 2 tile
    /// has 448 values: 896 scalar memory operations against about 130 shuffles and 100 stores this way, where its FMAs
    /// take 14 · 2 per tap (10164 for AlexNet's 11×11 stem over 3 channels, 16128 for a 3×3 over 64).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter16(ref float results, int channels, ref float first, nint planeStride)
    {
        for (int half = 0; half < channels; half += 16)
        {
            ref float from = ref Unsafe.Add(ref results, half);
            Vector512<float> r0 = Row(ref from, 0), r1 = Row(ref from, 1), r2 = Row(ref from, 2), r3 = Row(ref from, 3);
            Vector512<float> r4 = Row(ref from, 4), r5 = Row(ref from, 5), r6 = Row(ref from, 6), r7 = Row(ref from, 7);
            Vector512<float> r8 = Row(ref from, 8), r9 = Row(ref from, 9), r10 = Row(ref from, 10), r11 = Row(ref from, 11);
            Vector512<float> r12 = Row(ref from, 12), r13 = Row(ref from, 13), r14 = Row(ref from, 14), r15 = Row(ref from, 15);
            RegisterTranspose.Transpose16(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ref r8, ref r9, ref r10, ref r11, ref r12, ref r13, ref r14, ref r15);
            int count = Math.Min(16, channels - half);
            ref float to = ref Unsafe.Add(ref first, half * planeStride);
            Pixels(r0, ref to);
            if (count > 1)
            {
                Pixels(r1, ref Unsafe.Add(ref to, 1 * planeStride));
            }
            if (count > 2)
            {
                Pixels(r2, ref Unsafe.Add(ref to, 2 * planeStride));
            }
            if (count > 3)
            {
                Pixels(r3, ref Unsafe.Add(ref to, 3 * planeStride));
            }
            if (count > 4)
            {
                Pixels(r4, ref Unsafe.Add(ref to, 4 * planeStride));
            }
            if (count > 5)
            {
                Pixels(r5, ref Unsafe.Add(ref to, 5 * planeStride));
            }
            if (count > 6)
            {
                Pixels(r6, ref Unsafe.Add(ref to, 6 * planeStride));
            }
            if (count > 7)
            {
                Pixels(r7, ref Unsafe.Add(ref to, 7 * planeStride));
            }
            if (count > 8)
            {
                Pixels(r8, ref Unsafe.Add(ref to, 8 * planeStride));
            }
            if (count > 9)
            {
                Pixels(r9, ref Unsafe.Add(ref to, 9 * planeStride));
            }
            if (count > 10)
            {
                Pixels(r10, ref Unsafe.Add(ref to, 10 * planeStride));
            }
            if (count > 11)
            {
                Pixels(r11, ref Unsafe.Add(ref to, 11 * planeStride));
            }
            if (count > 12)
            {
                Pixels(r12, ref Unsafe.Add(ref to, 12 * planeStride));
            }
            if (count > 13)
            {
                Pixels(r13, ref Unsafe.Add(ref to, 13 * planeStride));
            }
            if (count > 14)
            {
                Pixels(r14, ref Unsafe.Add(ref to, 14 * planeStride));
            }
            if (count > 15)
            {
                Pixels(r15, ref Unsafe.Add(ref to, 15 * planeStride));
            }
        }

        // Pixel p's 16 channels (zeros past the tile: they only fill the transpose).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector512<float> Row(ref float from, int p) =>
            p < TPixels.Value ? Vector512.LoadUnsafe(ref from, (nuint)(p * 2 * 16)) : Vector512<float>.Zero;

        // The first TPixels lanes of a channel's vector: 8, 4, 2 and 1 of them as the tile's width has those bits.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Pixels(Vector512<float> v, ref float to)
        {
            int n = TPixels.Value;
            if (n == 16)
            {
                v.StoreUnsafe(ref to);
                return;
            }
            Vector256<float> rest = v.GetLower();
            if ((n & 8) != 0)
            {
                rest.StoreUnsafe(ref to);
                rest = v.GetUpper();
            }
            Vector128<float> quarter = rest.GetLower();
            if ((n & 4) != 0)
            {
                quarter.StoreUnsafe(ref to, (nuint)(n & 8));
                quarter = rest.GetUpper();
            }
            if ((n & 2) != 0)
            {
                Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref to, n & 12)), quarter.AsDouble().ToScalar());
                quarter = Vector128.Shuffle(quarter, Vector128.Create(2, 3, 0, 1));
            }
            if ((n & 1) != 0)
            {
                Unsafe.Add(ref to, n & 14) = quarter.ToScalar();
            }
        }
    }

    /// <summary>The kernel rows <c>[FirstRow, EndRow)</c> and columns <c>[FirstColumn, EndColumn)</c> a tile computes: the others read only zeros.</summary>
    private struct Taps(int firstRow, int endRow, int firstColumn, int endColumn)
    {
        public int FirstRow = firstRow, EndRow = endRow, FirstColumn = firstColumn, EndColumn = endColumn;
    }

    /// <summary>The first tap k (of <paramref name="kernel"/>) whose input <c>position + k · dilation</c> is at or past <paramref name="start"/>.</summary>
    private static int FirstTap(int position, int dilation, int start, int kernel) =>
        position >= start ? 0 : Math.Min(kernel, (start - position + dilation - 1) / dilation);

    /// <summary>One past the last tap k (of <paramref name="kernel"/>) whose input <c>position + k · dilation</c> is before <paramref name="end"/>.</summary>
    private static int EndTap(int position, int dilation, int end, int kernel) =>
        position >= end ? 0 : Math.Min(kernel, (end - 1 - position) / dilation + 1);

    /// <summary>
    /// One register tile: the accumulators start at the bias, take every input channel and the <paramref name="taps"/>
    /// that read some input, then go through the epilogue into <paramref name="results"/> (<c>[pixel][2 · width]</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TVectors>(in DirectConvShape l, ref float window, ref float weights0, ref float weights1, T bias0, T bias1,
        ref float results, ref float weights, int channel, Taps taps)
        where TVectors : struct, IConstant
    {
        int span = 2 * T.Width;
        T a0_0 = bias0, a0_1 = bias1;
        T a1_0 = bias0, a1_1 = bias1;
        T a2_0 = bias0, a2_1 = bias1;
        T a3_0 = bias0, a3_1 = bias1;
        T a4_0 = bias0, a4_1 = bias1;
        T a5_0 = bias0, a5_1 = bias1;
        T a6_0 = bias0, a6_1 = bias1;
        T a7_0 = bias0, a7_1 = bias1;
        T a8_0 = bias0, a8_1 = bias1;
        T a9_0 = bias0, a9_1 = bias1;
        T a10_0 = bias0, a10_1 = bias1;
        T a11_0 = bias0, a11_1 = bias1;
        T a12_0 = bias0, a12_1 = bias1;
        T a13_0 = bias0, a13_1 = bias1;
        nint rowStride = l.InputRowStride, planeStride = l.InputPlaneStride;
        int kernelWidth = l.KernelWidth, kernelHeight = l.KernelHeight;
        int dilationX = l.DilationX;
        nint rowStep = rowStride * l.DilationY; // from one kernel row's inputs to the next's
        nint weightRow = (nint)kernelWidth * DirectConv.PanelWidth;
        ref float w0 = ref weights0;
        ref float w1 = ref weights1;
        if (kernelWidth == 1 && kernelHeight == 1)
        {
            // 1×1: one tap per input channel, without the loops over the window
            for (int c = 0; c < l.Channels; c++)
            {
                ref float tap = ref Unsafe.Add(ref window, c * planeStride);
                T v0 = T.Load(ref w0, 0);
                T v1 = TVectors.Value > 1 ? T.Load(ref w1, 0) : v0;
                if (TPixels.Value > 0)
                {
                    T x = T.Broadcast(ref tap, 0 * TStride.Value);
                    a0_0 = T.MultiplyAdd(x, v0, a0_0);
                    if (TVectors.Value > 1)
                    {
                        a0_1 = T.MultiplyAdd(x, v1, a0_1);
                    }
                }
                if (TPixels.Value > 1)
                {
                    T x = T.Broadcast(ref tap, 1 * TStride.Value);
                    a1_0 = T.MultiplyAdd(x, v0, a1_0);
                    if (TVectors.Value > 1)
                    {
                        a1_1 = T.MultiplyAdd(x, v1, a1_1);
                    }
                }
                if (TPixels.Value > 2)
                {
                    T x = T.Broadcast(ref tap, 2 * TStride.Value);
                    a2_0 = T.MultiplyAdd(x, v0, a2_0);
                    if (TVectors.Value > 1)
                    {
                        a2_1 = T.MultiplyAdd(x, v1, a2_1);
                    }
                }
                if (TPixels.Value > 3)
                {
                    T x = T.Broadcast(ref tap, 3 * TStride.Value);
                    a3_0 = T.MultiplyAdd(x, v0, a3_0);
                    if (TVectors.Value > 1)
                    {
                        a3_1 = T.MultiplyAdd(x, v1, a3_1);
                    }
                }
                if (TPixels.Value > 4)
                {
                    T x = T.Broadcast(ref tap, 4 * TStride.Value);
                    a4_0 = T.MultiplyAdd(x, v0, a4_0);
                    if (TVectors.Value > 1)
                    {
                        a4_1 = T.MultiplyAdd(x, v1, a4_1);
                    }
                }
                if (TPixels.Value > 5)
                {
                    T x = T.Broadcast(ref tap, 5 * TStride.Value);
                    a5_0 = T.MultiplyAdd(x, v0, a5_0);
                    if (TVectors.Value > 1)
                    {
                        a5_1 = T.MultiplyAdd(x, v1, a5_1);
                    }
                }
                if (TPixels.Value > 6)
                {
                    T x = T.Broadcast(ref tap, 6 * TStride.Value);
                    a6_0 = T.MultiplyAdd(x, v0, a6_0);
                    if (TVectors.Value > 1)
                    {
                        a6_1 = T.MultiplyAdd(x, v1, a6_1);
                    }
                }
                if (TPixels.Value > 7)
                {
                    T x = T.Broadcast(ref tap, 7 * TStride.Value);
                    a7_0 = T.MultiplyAdd(x, v0, a7_0);
                    if (TVectors.Value > 1)
                    {
                        a7_1 = T.MultiplyAdd(x, v1, a7_1);
                    }
                }
                if (TPixels.Value > 8)
                {
                    T x = T.Broadcast(ref tap, 8 * TStride.Value);
                    a8_0 = T.MultiplyAdd(x, v0, a8_0);
                    if (TVectors.Value > 1)
                    {
                        a8_1 = T.MultiplyAdd(x, v1, a8_1);
                    }
                }
                if (TPixels.Value > 9)
                {
                    T x = T.Broadcast(ref tap, 9 * TStride.Value);
                    a9_0 = T.MultiplyAdd(x, v0, a9_0);
                    if (TVectors.Value > 1)
                    {
                        a9_1 = T.MultiplyAdd(x, v1, a9_1);
                    }
                }
                if (TPixels.Value > 10)
                {
                    T x = T.Broadcast(ref tap, 10 * TStride.Value);
                    a10_0 = T.MultiplyAdd(x, v0, a10_0);
                    if (TVectors.Value > 1)
                    {
                        a10_1 = T.MultiplyAdd(x, v1, a10_1);
                    }
                }
                if (TPixels.Value > 11)
                {
                    T x = T.Broadcast(ref tap, 11 * TStride.Value);
                    a11_0 = T.MultiplyAdd(x, v0, a11_0);
                    if (TVectors.Value > 1)
                    {
                        a11_1 = T.MultiplyAdd(x, v1, a11_1);
                    }
                }
                if (TPixels.Value > 12)
                {
                    T x = T.Broadcast(ref tap, 12 * TStride.Value);
                    a12_0 = T.MultiplyAdd(x, v0, a12_0);
                    if (TVectors.Value > 1)
                    {
                        a12_1 = T.MultiplyAdd(x, v1, a12_1);
                    }
                }
                if (TPixels.Value > 13)
                {
                    T x = T.Broadcast(ref tap, 13 * TStride.Value);
                    a13_0 = T.MultiplyAdd(x, v0, a13_0);
                    if (TVectors.Value > 1)
                    {
                        a13_1 = T.MultiplyAdd(x, v1, a13_1);
                    }
                }
                w0 = ref Unsafe.Add(ref w0, DirectConv.PanelWidth);
                w1 = ref Unsafe.Add(ref w1, DirectConv.PanelWidth);
            }
        }
        else
        {
            int firstRow = taps.FirstRow, endRow = taps.EndRow, firstColumn = taps.FirstColumn, endColumn = taps.EndColumn;
            nint skippedRows = (kernelHeight - (endRow - firstRow)) * weightRow; // weights of the kernel rows left out, per channel
            w0 = ref Unsafe.Add(ref w0, firstRow * weightRow);
            w1 = ref Unsafe.Add(ref w1, firstRow * weightRow);
            ref float first = ref Unsafe.Add(ref window, firstRow * rowStep);
            for (int c = 0; c < l.Channels; c++)
            {
                ref float row = ref Unsafe.Add(ref first, c * planeStride);
                for (int ky = firstRow; ky < endRow; ky++)
                {
                    for (int kx = firstColumn; kx < endColumn; kx++)
                    {
                        ref float tap = ref Unsafe.Add(ref row, kx * dilationX);
                        T v0 = T.Load(ref w0, kx * DirectConv.PanelWidth);
                        T v1 = TVectors.Value > 1 ? T.Load(ref w1, kx * DirectConv.PanelWidth) : v0;
                        if (TPixels.Value > 0)
                        {
                            T x = T.Broadcast(ref tap, 0 * TStride.Value);
                            a0_0 = T.MultiplyAdd(x, v0, a0_0);
                            if (TVectors.Value > 1)
                            {
                                a0_1 = T.MultiplyAdd(x, v1, a0_1);
                            }
                        }
                        if (TPixels.Value > 1)
                        {
                            T x = T.Broadcast(ref tap, 1 * TStride.Value);
                            a1_0 = T.MultiplyAdd(x, v0, a1_0);
                            if (TVectors.Value > 1)
                            {
                                a1_1 = T.MultiplyAdd(x, v1, a1_1);
                            }
                        }
                        if (TPixels.Value > 2)
                        {
                            T x = T.Broadcast(ref tap, 2 * TStride.Value);
                            a2_0 = T.MultiplyAdd(x, v0, a2_0);
                            if (TVectors.Value > 1)
                            {
                                a2_1 = T.MultiplyAdd(x, v1, a2_1);
                            }
                        }
                        if (TPixels.Value > 3)
                        {
                            T x = T.Broadcast(ref tap, 3 * TStride.Value);
                            a3_0 = T.MultiplyAdd(x, v0, a3_0);
                            if (TVectors.Value > 1)
                            {
                                a3_1 = T.MultiplyAdd(x, v1, a3_1);
                            }
                        }
                        if (TPixels.Value > 4)
                        {
                            T x = T.Broadcast(ref tap, 4 * TStride.Value);
                            a4_0 = T.MultiplyAdd(x, v0, a4_0);
                            if (TVectors.Value > 1)
                            {
                                a4_1 = T.MultiplyAdd(x, v1, a4_1);
                            }
                        }
                        if (TPixels.Value > 5)
                        {
                            T x = T.Broadcast(ref tap, 5 * TStride.Value);
                            a5_0 = T.MultiplyAdd(x, v0, a5_0);
                            if (TVectors.Value > 1)
                            {
                                a5_1 = T.MultiplyAdd(x, v1, a5_1);
                            }
                        }
                        if (TPixels.Value > 6)
                        {
                            T x = T.Broadcast(ref tap, 6 * TStride.Value);
                            a6_0 = T.MultiplyAdd(x, v0, a6_0);
                            if (TVectors.Value > 1)
                            {
                                a6_1 = T.MultiplyAdd(x, v1, a6_1);
                            }
                        }
                        if (TPixels.Value > 7)
                        {
                            T x = T.Broadcast(ref tap, 7 * TStride.Value);
                            a7_0 = T.MultiplyAdd(x, v0, a7_0);
                            if (TVectors.Value > 1)
                            {
                                a7_1 = T.MultiplyAdd(x, v1, a7_1);
                            }
                        }
                        if (TPixels.Value > 8)
                        {
                            T x = T.Broadcast(ref tap, 8 * TStride.Value);
                            a8_0 = T.MultiplyAdd(x, v0, a8_0);
                            if (TVectors.Value > 1)
                            {
                                a8_1 = T.MultiplyAdd(x, v1, a8_1);
                            }
                        }
                        if (TPixels.Value > 9)
                        {
                            T x = T.Broadcast(ref tap, 9 * TStride.Value);
                            a9_0 = T.MultiplyAdd(x, v0, a9_0);
                            if (TVectors.Value > 1)
                            {
                                a9_1 = T.MultiplyAdd(x, v1, a9_1);
                            }
                        }
                        if (TPixels.Value > 10)
                        {
                            T x = T.Broadcast(ref tap, 10 * TStride.Value);
                            a10_0 = T.MultiplyAdd(x, v0, a10_0);
                            if (TVectors.Value > 1)
                            {
                                a10_1 = T.MultiplyAdd(x, v1, a10_1);
                            }
                        }
                        if (TPixels.Value > 11)
                        {
                            T x = T.Broadcast(ref tap, 11 * TStride.Value);
                            a11_0 = T.MultiplyAdd(x, v0, a11_0);
                            if (TVectors.Value > 1)
                            {
                                a11_1 = T.MultiplyAdd(x, v1, a11_1);
                            }
                        }
                        if (TPixels.Value > 12)
                        {
                            T x = T.Broadcast(ref tap, 12 * TStride.Value);
                            a12_0 = T.MultiplyAdd(x, v0, a12_0);
                            if (TVectors.Value > 1)
                            {
                                a12_1 = T.MultiplyAdd(x, v1, a12_1);
                            }
                        }
                        if (TPixels.Value > 13)
                        {
                            T x = T.Broadcast(ref tap, 13 * TStride.Value);
                            a13_0 = T.MultiplyAdd(x, v0, a13_0);
                            if (TVectors.Value > 1)
                            {
                                a13_1 = T.MultiplyAdd(x, v1, a13_1);
                            }
                        }
                    }
                    row = ref Unsafe.Add(ref row, rowStep);
                    w0 = ref Unsafe.Add(ref w0, weightRow);
                    w1 = ref Unsafe.Add(ref w1, weightRow);
                }
                w0 = ref Unsafe.Add(ref w0, skippedRows);
                w1 = ref Unsafe.Add(ref w1, skippedRows);
            }
        }
        if (TPixels.Value > 0)
        {
            Store(a0_0, a0_1, ref results, 0 * span, ref weights, channel);
        }
        if (TPixels.Value > 1)
        {
            Store(a1_0, a1_1, ref results, 1 * span, ref weights, channel);
        }
        if (TPixels.Value > 2)
        {
            Store(a2_0, a2_1, ref results, 2 * span, ref weights, channel);
        }
        if (TPixels.Value > 3)
        {
            Store(a3_0, a3_1, ref results, 3 * span, ref weights, channel);
        }
        if (TPixels.Value > 4)
        {
            Store(a4_0, a4_1, ref results, 4 * span, ref weights, channel);
        }
        if (TPixels.Value > 5)
        {
            Store(a5_0, a5_1, ref results, 5 * span, ref weights, channel);
        }
        if (TPixels.Value > 6)
        {
            Store(a6_0, a6_1, ref results, 6 * span, ref weights, channel);
        }
        if (TPixels.Value > 7)
        {
            Store(a7_0, a7_1, ref results, 7 * span, ref weights, channel);
        }
        if (TPixels.Value > 8)
        {
            Store(a8_0, a8_1, ref results, 8 * span, ref weights, channel);
        }
        if (TPixels.Value > 9)
        {
            Store(a9_0, a9_1, ref results, 9 * span, ref weights, channel);
        }
        if (TPixels.Value > 10)
        {
            Store(a10_0, a10_1, ref results, 10 * span, ref weights, channel);
        }
        if (TPixels.Value > 11)
        {
            Store(a11_0, a11_1, ref results, 11 * span, ref weights, channel);
        }
        if (TPixels.Value > 12)
        {
            Store(a12_0, a12_1, ref results, 12 * span, ref weights, channel);
        }
        if (TPixels.Value > 13)
        {
            Store(a13_0, a13_1, ref results, 13 * span, ref weights, channel);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Store(T first, T second, ref float results, int at, ref float weights, int channel)
        {
            T.Store(T.Epilogue<TEpilogue>(first, ref weights, channel), ref results, at);
            if (TVectors.Value > 1)
            {
                T.Store(T.Epilogue<TEpilogue>(second, ref weights, channel), ref results, at + T.Width);
            }
        }
    }
}

/// <summary>One vector of output channels per tile.</summary>
internal readonly struct One : IConstant
{
    public static int Value => 1;
}

/// <summary>Not a constant: a dilation read from the shape (<see cref="DirectConvWide{TStride, TEpilogue}"/>'s dilated tiles).</summary>
internal readonly struct Dilated : IConstant
{
    public static int Value => 0;
}

/// <summary>Two vectors of output channels per tile.</summary>
internal readonly struct Two : IConstant
{
    public static int Value => 2;
}

/// <summary>
/// A 16 × 16 transpose of floats in 16 vectors (4 stages of 16 <c>vpermt2ps</c>; this kernel's AVX-512 tiles leave through it; <see cref="DirectConvWide{TStride, TEpilogue}"/> has it written out, see there why):
/// lane <c>j</c> of vector <c>i</c> ends in lane <c>i</c> of vector <c>j</c>; and the 8 × 8 one of AVX (this kernel's AVX2
/// tiles and <see cref="ChannelBlocks"/>' AVX2 blocks).
/// </summary>
internal static class RegisterTranspose
{
    /// <summary>
    /// An 8 × 8 transpose of floats in 8 vectors, in place (AVX: 8 unpacks of floats, 8 shuffles of pairs within 128-bit
    /// lanes, 8 exchanges of 128-bit lanes): lane <c>j</c> of vector <c>i</c> ends in lane <c>i</c> of vector <c>j</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3,
        ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        // Within each 128-bit lane L: after the unpacks and shuffles, uk holds column 4L + k of rows 0–3 (u0–u3) or 4–7 (u4–u7).
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        // Column k: the low lanes of uk and u(4 + k); column 4 + k: their high lanes.
        r0 = Avx.Permute2x128(u0, u4, 0x20); r1 = Avx.Permute2x128(u1, u5, 0x20);
        r2 = Avx.Permute2x128(u2, u6, 0x20); r3 = Avx.Permute2x128(u3, u7, 0x20);
        r4 = Avx.Permute2x128(u0, u4, 0x31); r5 = Avx.Permute2x128(u1, u5, 0x31);
        r6 = Avx.Permute2x128(u2, u6, 0x31); r7 = Avx.Permute2x128(u3, u7, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose16(ref Vector512<float> a0, ref Vector512<float> a1, ref Vector512<float> a2, ref Vector512<float> a3,
        ref Vector512<float> a4, ref Vector512<float> a5, ref Vector512<float> a6, ref Vector512<float> a7,
        ref Vector512<float> a8, ref Vector512<float> a9, ref Vector512<float> a10, ref Vector512<float> a11,
        ref Vector512<float> a12, ref Vector512<float> a13, ref Vector512<float> a14, ref Vector512<float> a15)
    {
        Vector512<int> low, high;
        Vector512<float> t;
        // swap bit 1 of the pixel and channel indices
        low = Vector512.Create(0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30);
        high = Vector512.Create(1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31);
        t = Avx512F.PermuteVar16x32x2(a0, low, a1);
        a1 = Avx512F.PermuteVar16x32x2(a0, high, a1);
        a0 = t;
        t = Avx512F.PermuteVar16x32x2(a2, low, a3);
        a3 = Avx512F.PermuteVar16x32x2(a2, high, a3);
        a2 = t;
        t = Avx512F.PermuteVar16x32x2(a4, low, a5);
        a5 = Avx512F.PermuteVar16x32x2(a4, high, a5);
        a4 = t;
        t = Avx512F.PermuteVar16x32x2(a6, low, a7);
        a7 = Avx512F.PermuteVar16x32x2(a6, high, a7);
        a6 = t;
        t = Avx512F.PermuteVar16x32x2(a8, low, a9);
        a9 = Avx512F.PermuteVar16x32x2(a8, high, a9);
        a8 = t;
        t = Avx512F.PermuteVar16x32x2(a10, low, a11);
        a11 = Avx512F.PermuteVar16x32x2(a10, high, a11);
        a10 = t;
        t = Avx512F.PermuteVar16x32x2(a12, low, a13);
        a13 = Avx512F.PermuteVar16x32x2(a12, high, a13);
        a12 = t;
        t = Avx512F.PermuteVar16x32x2(a14, low, a15);
        a15 = Avx512F.PermuteVar16x32x2(a14, high, a15);
        a14 = t;
        // swap bit 2 of the pixel and channel indices
        low = Vector512.Create(0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
        high = Vector512.Create(2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
        t = Avx512F.PermuteVar16x32x2(a0, low, a2);
        a2 = Avx512F.PermuteVar16x32x2(a0, high, a2);
        a0 = t;
        t = Avx512F.PermuteVar16x32x2(a1, low, a3);
        a3 = Avx512F.PermuteVar16x32x2(a1, high, a3);
        a1 = t;
        t = Avx512F.PermuteVar16x32x2(a4, low, a6);
        a6 = Avx512F.PermuteVar16x32x2(a4, high, a6);
        a4 = t;
        t = Avx512F.PermuteVar16x32x2(a5, low, a7);
        a7 = Avx512F.PermuteVar16x32x2(a5, high, a7);
        a5 = t;
        t = Avx512F.PermuteVar16x32x2(a8, low, a10);
        a10 = Avx512F.PermuteVar16x32x2(a8, high, a10);
        a8 = t;
        t = Avx512F.PermuteVar16x32x2(a9, low, a11);
        a11 = Avx512F.PermuteVar16x32x2(a9, high, a11);
        a9 = t;
        t = Avx512F.PermuteVar16x32x2(a12, low, a14);
        a14 = Avx512F.PermuteVar16x32x2(a12, high, a14);
        a12 = t;
        t = Avx512F.PermuteVar16x32x2(a13, low, a15);
        a15 = Avx512F.PermuteVar16x32x2(a13, high, a15);
        a13 = t;
        // swap bit 4 of the pixel and channel indices
        low = Vector512.Create(0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
        high = Vector512.Create(4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
        t = Avx512F.PermuteVar16x32x2(a0, low, a4);
        a4 = Avx512F.PermuteVar16x32x2(a0, high, a4);
        a0 = t;
        t = Avx512F.PermuteVar16x32x2(a1, low, a5);
        a5 = Avx512F.PermuteVar16x32x2(a1, high, a5);
        a1 = t;
        t = Avx512F.PermuteVar16x32x2(a2, low, a6);
        a6 = Avx512F.PermuteVar16x32x2(a2, high, a6);
        a2 = t;
        t = Avx512F.PermuteVar16x32x2(a3, low, a7);
        a7 = Avx512F.PermuteVar16x32x2(a3, high, a7);
        a3 = t;
        t = Avx512F.PermuteVar16x32x2(a8, low, a12);
        a12 = Avx512F.PermuteVar16x32x2(a8, high, a12);
        a8 = t;
        t = Avx512F.PermuteVar16x32x2(a9, low, a13);
        a13 = Avx512F.PermuteVar16x32x2(a9, high, a13);
        a9 = t;
        t = Avx512F.PermuteVar16x32x2(a10, low, a14);
        a14 = Avx512F.PermuteVar16x32x2(a10, high, a14);
        a10 = t;
        t = Avx512F.PermuteVar16x32x2(a11, low, a15);
        a15 = Avx512F.PermuteVar16x32x2(a11, high, a15);
        a11 = t;
        // swap bit 8 of the pixel and channel indices
        low = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
        high = Vector512.Create(8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
        t = Avx512F.PermuteVar16x32x2(a0, low, a8);
        a8 = Avx512F.PermuteVar16x32x2(a0, high, a8);
        a0 = t;
        t = Avx512F.PermuteVar16x32x2(a1, low, a9);
        a9 = Avx512F.PermuteVar16x32x2(a1, high, a9);
        a1 = t;
        t = Avx512F.PermuteVar16x32x2(a2, low, a10);
        a10 = Avx512F.PermuteVar16x32x2(a2, high, a10);
        a2 = t;
        t = Avx512F.PermuteVar16x32x2(a3, low, a11);
        a11 = Avx512F.PermuteVar16x32x2(a3, high, a11);
        a3 = t;
        t = Avx512F.PermuteVar16x32x2(a4, low, a12);
        a12 = Avx512F.PermuteVar16x32x2(a4, high, a12);
        a4 = t;
        t = Avx512F.PermuteVar16x32x2(a5, low, a13);
        a13 = Avx512F.PermuteVar16x32x2(a5, high, a13);
        a5 = t;
        t = Avx512F.PermuteVar16x32x2(a6, low, a14);
        a14 = Avx512F.PermuteVar16x32x2(a6, high, a14);
        a6 = t;
        t = Avx512F.PermuteVar16x32x2(a7, low, a15);
        a15 = Avx512F.PermuteVar16x32x2(a7, high, a15);
        a7 = t;
    }
}
