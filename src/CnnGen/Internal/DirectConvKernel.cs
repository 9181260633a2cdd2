using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
                for (int next = 0; ; next += pixels)
                {
                    // The last tile of a row ends at its last pixel, overlapping the one before (same values written twice).
                    int ox = Math.Min(next, l.OutputWidth - pixels);
                    ref float window = ref Unsafe.Add(ref inputRow, (nint)ox * TStride.Value);
                    if (two)
                    {
                        Tile<Two>(l, ref window, ref weights0, ref weights1, bias0, bias1, ref results, ref weights, oc);
                    }
                    else
                    {
                        Tile<One>(l, ref window, ref weights0, ref weights1, bias0, bias1, ref results, ref weights, oc);
                    }
                    ref float first = ref Unsafe.Add(ref outputRow, ox);
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
    /// One register tile: the accumulators start at the bias, take every input channel and tap, then go through the
    /// epilogue into <paramref name="results"/> (<c>[pixel][2 · width]</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TVectors>(in DirectConvShape l, ref float window, ref float weights0, ref float weights1, T bias0, T bias1,
        ref float results, ref float weights, int channel)
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
            for (int c = 0; c < l.Channels; c++)
            {
                ref float row = ref Unsafe.Add(ref window, c * planeStride);
                for (int ky = 0; ky < kernelHeight; ky++)
                {
                    for (int kx = 0; kx < kernelWidth; kx++)
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

/// <summary>Two vectors of output channels per tile.</summary>
internal readonly struct Two : IConstant
{
    public static int Value => 2;
}
