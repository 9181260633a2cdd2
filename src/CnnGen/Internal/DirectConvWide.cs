using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Internal;

/// <summary>
/// <see cref="DirectConv"/> on AVX-512 for output rows at least 16 wide: a register tile of 16 consecutive output
/// pixels × one vector of 16 output channels (16 accumulators, one weight load and 16 broadcasts per tap), then a
/// 16 × 16 transpose in registers (4 stages of 16 <c>vpermt2ps</c>) so that each channel's 16 pixels leave in one
/// vector store, instead of 256 scalar stores through a buffer: with few taps per output (a 3×3 stem over 3 channels
/// has 27) the scalar scatter of <see cref="DirectConvKernel{T, TStride, TPixels, TEpilogue}"/> costs more than the FMAs.
/// </summary>
/// <typeparam name="TStride">The horizontal stride.</typeparam>
/// <typeparam name="TEpilogue">The layer's fused activations (none with per-channel parameters).</typeparam>
internal static class DirectConvWide<TStride, TEpilogue>
    where TStride : struct, IConstant
    where TEpilogue : struct, IWinogradEpilogue
{
    /// <summary>Pixels (and channels) of a tile.</summary>
    public const int Pixels = 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in DirectConvShape l, ref float input, ref float output, ref float weights)
    {
        ref float panels = ref Unsafe.Add(ref weights, l.PanelsOffset);
        nint panelSize = (nint)l.Channels * l.KernelHeight * l.KernelWidth * DirectConv.PanelWidth;
        nint biasAt = panelSize * ((l.Filters + DirectConv.PanelWidth - 1) / DirectConv.PanelWidth);
        for (int oc = 0; oc < l.Filters; oc += Pixels)
        {
            int channels = Math.Min(Pixels, l.Filters - oc);
            ref float panel = ref Unsafe.Add(ref panels, oc / DirectConv.PanelWidth * panelSize);
            Vector512<float> bias = Vector512.LoadUnsafe(ref panels, (nuint)(biasAt + oc));
            for (int oy = 0; oy < l.OutputHeight; oy++)
            {
                ref float inputRow = ref Unsafe.Add(ref input, (nint)oy * l.StrideY * l.InputRowStride);
                ref float outputRow = ref Unsafe.Add(ref output, (nint)oc * l.OutputPlaneStride + (nint)oy * l.OutputRowStride);
                for (int next = 0; ; next += Pixels)
                {
                    // The last tile of a row ends at its last pixel, overlapping the one before (same values written twice).
                    int ox = Math.Min(next, l.OutputWidth - Pixels);
                    Tile(l, ref Unsafe.Add(ref inputRow, (nint)ox * TStride.Value), ref panel, bias, ref Unsafe.Add(ref outputRow, ox), channels, ref weights, oc);
                    if (ox + Pixels >= l.OutputWidth)
                    {
                        break;
                    }
                }
            }
        }
    }

    /// <summary>One tile: the accumulators start at the bias, take every input channel and tap, go through the epilogue, are transposed and stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(in DirectConvShape l, ref float window, ref float panel, Vector512<float> bias, ref float first, int channels, ref float weights, int channel)
    {
        Vector512<float> a0 = bias;
        Vector512<float> a1 = bias;
        Vector512<float> a2 = bias;
        Vector512<float> a3 = bias;
        Vector512<float> a4 = bias;
        Vector512<float> a5 = bias;
        Vector512<float> a6 = bias;
        Vector512<float> a7 = bias;
        Vector512<float> a8 = bias;
        Vector512<float> a9 = bias;
        Vector512<float> a10 = bias;
        Vector512<float> a11 = bias;
        Vector512<float> a12 = bias;
        Vector512<float> a13 = bias;
        Vector512<float> a14 = bias;
        Vector512<float> a15 = bias;
        nint rowStride = l.InputRowStride, planeStride = l.InputPlaneStride;
        int kernelWidth = l.KernelWidth, kernelHeight = l.KernelHeight;
        int dilationX = l.DilationX;
        nint rowStep = rowStride * l.DilationY; // from one kernel row's inputs to the next's
        ref float w = ref panel;
        if (kernelWidth == 1 && kernelHeight == 1)
        {
            // 1×1: one tap per input channel, without the loops over the window
            for (int c = 0; c < l.Channels; c++)
            {
                ref float tap = ref Unsafe.Add(ref window, c * planeStride);
                Vector512<float> v = Vector512.LoadUnsafe(ref w);
                a0 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 0 * TStride.Value)), v, a0);
                a1 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 1 * TStride.Value)), v, a1);
                a2 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 2 * TStride.Value)), v, a2);
                a3 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 3 * TStride.Value)), v, a3);
                a4 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 4 * TStride.Value)), v, a4);
                a5 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 5 * TStride.Value)), v, a5);
                a6 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 6 * TStride.Value)), v, a6);
                a7 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 7 * TStride.Value)), v, a7);
                a8 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 8 * TStride.Value)), v, a8);
                a9 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 9 * TStride.Value)), v, a9);
                a10 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 10 * TStride.Value)), v, a10);
                a11 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 11 * TStride.Value)), v, a11);
                a12 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 12 * TStride.Value)), v, a12);
                a13 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 13 * TStride.Value)), v, a13);
                a14 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 14 * TStride.Value)), v, a14);
                a15 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 15 * TStride.Value)), v, a15);
                w = ref Unsafe.Add(ref w, DirectConv.PanelWidth);
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
                        Vector512<float> v = Vector512.LoadUnsafe(ref w);
                        a0 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 0 * TStride.Value)), v, a0);
                        a1 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 1 * TStride.Value)), v, a1);
                        a2 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 2 * TStride.Value)), v, a2);
                        a3 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 3 * TStride.Value)), v, a3);
                        a4 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 4 * TStride.Value)), v, a4);
                        a5 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 5 * TStride.Value)), v, a5);
                        a6 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 6 * TStride.Value)), v, a6);
                        a7 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 7 * TStride.Value)), v, a7);
                        a8 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 8 * TStride.Value)), v, a8);
                        a9 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 9 * TStride.Value)), v, a9);
                        a10 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 10 * TStride.Value)), v, a10);
                        a11 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 11 * TStride.Value)), v, a11);
                        a12 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 12 * TStride.Value)), v, a12);
                        a13 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 13 * TStride.Value)), v, a13);
                        a14 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 14 * TStride.Value)), v, a14);
                        a15 = Avx512F.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tap, 15 * TStride.Value)), v, a15);
                        w = ref Unsafe.Add(ref w, DirectConv.PanelWidth);
                    }
                    row = ref Unsafe.Add(ref row, rowStep);
                }
            }
        }
        a0 = TEpilogue.Apply(a0, ref weights, channel);
        a1 = TEpilogue.Apply(a1, ref weights, channel);
        a2 = TEpilogue.Apply(a2, ref weights, channel);
        a3 = TEpilogue.Apply(a3, ref weights, channel);
        a4 = TEpilogue.Apply(a4, ref weights, channel);
        a5 = TEpilogue.Apply(a5, ref weights, channel);
        a6 = TEpilogue.Apply(a6, ref weights, channel);
        a7 = TEpilogue.Apply(a7, ref weights, channel);
        a8 = TEpilogue.Apply(a8, ref weights, channel);
        a9 = TEpilogue.Apply(a9, ref weights, channel);
        a10 = TEpilogue.Apply(a10, ref weights, channel);
        a11 = TEpilogue.Apply(a11, ref weights, channel);
        a12 = TEpilogue.Apply(a12, ref weights, channel);
        a13 = TEpilogue.Apply(a13, ref weights, channel);
        a14 = TEpilogue.Apply(a14, ref weights, channel);
        a15 = TEpilogue.Apply(a15, ref weights, channel);
        RegisterTranspose.Transpose16(ref a0, ref a1, ref a2, ref a3, ref a4, ref a5, ref a6, ref a7, ref a8, ref a9, ref a10, ref a11, ref a12, ref a13, ref a14, ref a15);
        // a{j} now holds channel j's 16 pixels
        planeStride = l.OutputPlaneStride;
        if (channels > 0)
        {
            a0.StoreUnsafe(ref Unsafe.Add(ref first, 0 * planeStride));
        }
        if (channels > 1)
        {
            a1.StoreUnsafe(ref Unsafe.Add(ref first, 1 * planeStride));
        }
        if (channels > 2)
        {
            a2.StoreUnsafe(ref Unsafe.Add(ref first, 2 * planeStride));
        }
        if (channels > 3)
        {
            a3.StoreUnsafe(ref Unsafe.Add(ref first, 3 * planeStride));
        }
        if (channels > 4)
        {
            a4.StoreUnsafe(ref Unsafe.Add(ref first, 4 * planeStride));
        }
        if (channels > 5)
        {
            a5.StoreUnsafe(ref Unsafe.Add(ref first, 5 * planeStride));
        }
        if (channels > 6)
        {
            a6.StoreUnsafe(ref Unsafe.Add(ref first, 6 * planeStride));
        }
        if (channels > 7)
        {
            a7.StoreUnsafe(ref Unsafe.Add(ref first, 7 * planeStride));
        }
        if (channels > 8)
        {
            a8.StoreUnsafe(ref Unsafe.Add(ref first, 8 * planeStride));
        }
        if (channels > 9)
        {
            a9.StoreUnsafe(ref Unsafe.Add(ref first, 9 * planeStride));
        }
        if (channels > 10)
        {
            a10.StoreUnsafe(ref Unsafe.Add(ref first, 10 * planeStride));
        }
        if (channels > 11)
        {
            a11.StoreUnsafe(ref Unsafe.Add(ref first, 11 * planeStride));
        }
        if (channels > 12)
        {
            a12.StoreUnsafe(ref Unsafe.Add(ref first, 12 * planeStride));
        }
        if (channels > 13)
        {
            a13.StoreUnsafe(ref Unsafe.Add(ref first, 13 * planeStride));
        }
        if (channels > 14)
        {
            a14.StoreUnsafe(ref Unsafe.Add(ref first, 14 * planeStride));
        }
        if (channels > 15)
        {
            a15.StoreUnsafe(ref Unsafe.Add(ref first, 15 * planeStride));
        }
    }
}
