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
                    ref float window = ref Unsafe.Add(ref inputRow, (nint)ox * TStride.Value);
                    if (l.DilationX == 1 && l.DilationY == 1)
                    {
                        Tile<One>(l, ref window, ref panel, bias, ref Unsafe.Add(ref outputRow, ox), channels, ref weights, oc);
                    }
                    else
                    {
                        Tile<Dilated>(l, ref window, ref panel, bias, ref Unsafe.Add(ref outputRow, ox), channels, ref weights, oc);
                    }
                    if (ox + Pixels >= l.OutputWidth)
                    {
                        break;
                    }
                }
            }
        }
    }

    /// <summary>
    /// One tile: the accumulators start at the bias, take every input channel and tap, go through the epilogue, are
    /// transposed and stored. <typeparamref name="TDilation"/> is <see cref="One"/> for an undilated window (the JIT then
    /// folds the dilation away), <see cref="Dilated"/> to read it from the shape.
    /// </summary>
    /// <remarks>
    /// Since session 7 read the dilation from the shape in every tile (<c>kx · dilationX</c> per tap, one more live register)
    /// and transposed through <c>RegisterTranspose.Transpose16</c> (the accumulators passed by ref: 38 more register copies
    /// and the output pointer spilled around the 16 stores), ShuffleNetV2's 3×3/2 stem onto 24 channels (27 taps per output)
    /// had lost about 6 %: against ONNX Runtime in one process (throwaway probe, best of 150 ms of runs, AVX-512, load
    /// 50–58, three rounds) 134–137 µs against session 6's 129–132; with the dilation a type parameter and the transpose
    /// written out again 127–130 (0.91–0.94× → 0.97–0.99×), MobileNetV2's 3×3/2 stem 155–158 → 147–151; AlexNet's and
    /// ResNet's stems (14 × 2 tile) unchanged.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TDilation>(in DirectConvShape l, ref float window, ref float panel, Vector512<float> bias, ref float first, int channels, ref float weights, int channel)
        where TDilation : struct, IConstant
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
        int dilationX = TDilation.Value == 1 ? 1 : l.DilationX;
        nint rowStep = TDilation.Value == 1 ? rowStride : rowStride * l.DilationY; // from one kernel row's inputs to the next's
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
        // The 16 × 16 transpose written out, not through RegisterTranspose.Transpose16 (see the remarks).
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
