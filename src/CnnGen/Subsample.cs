using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen;

/// <summary>
/// Gathers every stride-th row and column of each channel into a dense C,H,W volume: a strided 1×1 convolution, or one
/// whose windows do not overlap (<see cref="Patches"/>), is then a stride-1 1×1 one over it (generated code calls this
/// before its plane kernel).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Subsample
{
    /// <summary>
    /// Writes <c>output[c][y][x] = input[c · planeStride + y · strideY · rowStride + x · strideX]</c> for every channel,
    /// row below <paramref name="height"/> and column below <paramref name="width"/>. Reads nothing else: at stride 2 a
    /// row goes by 8 columns with AVX2 (two loads, a shuffle and a permute), else by 4 with <c>Kernels.Columns</c>, the
    /// row's last vector shifted left to end on its last column; rows narrower than a vector one value at a time.
    /// </summary>
    /// <param name="input">Element (0, 0, 0) of the input (the first window's origin).</param>
    /// <param name="output">The dense output, <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/>.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="width">Output columns.</param>
    /// <param name="height">Output rows.</param>
    /// <param name="strideX">Input columns per output column.</param>
    /// <param name="strideY">Input rows per output row.</param>
    /// <param name="rowStride">Distance between input rows.</param>
    /// <param name="planeStride">Distance between input channels.</param>
    public static void Run(ref float input, ref float output, int channels, int width, int height, int strideX, int strideY, int rowStride, int planeStride) =>
        Patches(ref input, ref output, channels, width, height, 1, 1, strideX, strideY, rowStride, planeStride);

    /// <summary>
    /// Lays out every window of a convolution whose windows do not overlap (a ConvNeXt or ViT patch stem, a 2×2 stride-2
    /// down-step) as the channels of a dense C,H,W volume, so the convolution is a 1×1 one over it: window tap (ky, kx)
    /// of input channel c becomes channel <c>(c · kernelHeight + ky) · kernelWidth + kx</c>, the index of that tap's
    /// weight in a filter, so the weights keep their layout. Writes
    /// <c>output[(c · kernelHeight + ky) · kernelWidth + kx][y][x] = input[c · planeStride + (y · strideY + ky) · rowStride + x · strideX + kx]</c>
    /// and reads nothing else (each tap's row as <see cref="Run"/> reads one).
    /// </summary>
    /// <param name="input">Element (0, 0, 0) of the input (the first window's origin).</param>
    /// <param name="output">The dense output, <paramref name="channels"/> · <paramref name="kernelHeight"/> · <paramref name="kernelWidth"/> planes of <paramref name="height"/> × <paramref name="width"/>.</param>
    /// <param name="channels">Input channels.</param>
    /// <param name="width">Output columns.</param>
    /// <param name="height">Output rows.</param>
    /// <param name="kernelWidth">Window columns.</param>
    /// <param name="kernelHeight">Window rows.</param>
    /// <param name="strideX">Input columns per output column.</param>
    /// <param name="strideY">Input rows per output row.</param>
    /// <param name="rowStride">Distance between input rows.</param>
    /// <param name="planeStride">Distance between input channels.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Patches(ref float input, ref float output, int channels, int width, int height, int kernelWidth, int kernelHeight,
        int strideX, int strideY, int rowStride, int planeStride)
    {
        nint plane = (nint)height * width;
        for (int c = 0; c < channels; c++)
        {
            for (int ky = 0; ky < kernelHeight; ky++)
            {
                for (int kx = 0; kx < kernelWidth; kx++)
                {
                    ref float source = ref Unsafe.Add(ref input, (nint)c * planeStride + (nint)ky * rowStride + kx);
                    ref float target = ref Unsafe.Add(ref output, ((nint)c * kernelHeight + ky) * kernelWidth * plane + kx * plane);
                    for (int y = 0; y < height; y++)
                    {
                        Gather(ref Unsafe.Add(ref source, (nint)y * strideY * rowStride), ref Unsafe.Add(ref target, y * (nint)width), width, strideX);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Splits each input row into its even and odd columns (a stride-2 conv's two phases), so a stride-2 column kernel
    /// reads every tap with one contiguous load instead of two loads and a shuffle per vector per tap. Row y of channel c
    /// becomes <c>output[(c · rows + y) · 2 · half]</c>: its <c>half = ⌈width / 2⌉</c> even columns, then its
    /// <c>⌊width / 2⌋</c> odd ones (and, for an odd <paramref name="width"/>, one zero to fill the row). Reads only columns
    /// below <paramref name="width"/> of rows below <paramref name="rows"/>.
    /// </summary>
    /// <param name="input">Element (0, 0, 0) of the input (the first window's origin).</param>
    /// <param name="output">The split rows, <paramref name="channels"/> × <paramref name="rows"/> × 2 · ⌈width / 2⌉.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="width">Input columns the conv reads.</param>
    /// <param name="rows">Input rows the conv reads.</param>
    /// <param name="rowStride">Distance between input rows.</param>
    /// <param name="planeStride">Distance between input channels.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Phases(ref float input, ref float output, int channels, int width, int rows, int rowStride, int planeStride)
    {
        Phases2(ref input, ref output, channels, width, rows, rowStride, planeStride);
    }

    /// <summary>
    /// Splits each input row into <paramref name="stride"/> phases, its columns by their remainder mod the stride, so a
    /// strided column kernel reads every tap with one contiguous load. Row y of channel c becomes
    /// <c>output[(c · rows + y) · stride · phase]</c> with <c>phase = ⌈width / stride⌉</c>: phase p holds columns
    /// p, p + stride, … (and zeros to fill it to <c>phase</c> floats). Reads only columns below <paramref name="width"/>
    /// of rows below <paramref name="rows"/>. Stride 2 is <see cref="Phases(ref float, ref float, int, int, int, int, int)"/>.
    /// </summary>
    /// <param name="input">Element (0, 0, 0) of the input (the first window's origin).</param>
    /// <param name="output">The split rows, <paramref name="channels"/> × <paramref name="rows"/> × stride · ⌈width / stride⌉.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="width">Input columns the conv reads.</param>
    /// <param name="rows">Input rows the conv reads.</param>
    /// <param name="rowStride">Distance between input rows.</param>
    /// <param name="planeStride">Distance between input channels.</param>
    /// <param name="stride">The conv's stride across (2 or more).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Phases(ref float input, ref float output, int channels, int width, int rows, int rowStride, int planeStride, int stride)
    {
        if (stride == 2)
        {
            Phases2(ref input, ref output, channels, width, rows, rowStride, planeStride);
            return;
        }
        int phase = (width + stride - 1) / stride;
        for (int c = 0; c < channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, (nint)c * planeStride);
            for (int y = 0; y < rows; y++)
            {
                ref float row = ref Unsafe.Add(ref plane, (nint)y * rowStride);
                ref float target = ref Unsafe.Add(ref output, ((nint)c * rows + y) * stride * phase);
                for (int p = 0; p < stride; p++)
                {
                    int count = (width - p + stride - 1) / stride;
                    ref float part = ref Unsafe.Add(ref target, (nint)p * phase);
                    Gather(ref Unsafe.Add(ref row, p), ref part, count, stride);
                    for (int x = count; x < phase; x++)
                    {
                        Unsafe.Add(ref part, x) = 0;
                    }
                }
            }
        }
    }

    /// <summary>The even and odd columns of <see cref="Phases(ref float, ref float, int, int, int, int, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Phases2(ref float input, ref float output, int channels, int width, int rows, int rowStride, int planeStride)
    {
        int even = (width + 1) / 2, odd = width / 2;
        for (int c = 0; c < channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, (nint)c * planeStride);
            for (int y = 0; y < rows; y++)
            {
                ref float row = ref Unsafe.Add(ref plane, (nint)y * rowStride);
                ref float target = ref Unsafe.Add(ref output, ((nint)c * rows + y) * 2 * even);
                if (odd >= 16 && Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
                {
                    // 32 inputs, two permutes: 16 even and 16 odd columns (the last step shifted left to end on the last odd one)
                    for (int x = 0; ; x += 16)
                    {
                        int at = Math.Min(x, odd - 16);
                        Vector512<float> a = Vector512.LoadUnsafe(ref row, (nuint)(2 * at)), b = Vector512.LoadUnsafe(ref row, (nuint)(2 * at + 16));
                        Avx512F.PermuteVar16x32x2(a, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), b).StoreUnsafe(ref target, (nuint)at);
                        Avx512F.PermuteVar16x32x2(a, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), b).StoreUnsafe(ref target, (nuint)(even + at));
                        if (at == odd - 16)
                        {
                            break;
                        }
                    }
                }
                else if (odd >= 8 && Avx2.IsSupported)
                {
                    // 16 inputs: a shuffle takes columns 0, 2, 8, 10 | 4, 6, 12, 14 (or the odd ones), a permute puts them in order
                    for (int x = 0; ; x += 8)
                    {
                        int at = Math.Min(x, odd - 8);
                        Vector256<float> a = Vector256.LoadUnsafe(ref row, (nuint)(2 * at)), b = Vector256.LoadUnsafe(ref row, (nuint)(2 * at + 8));
                        Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref target, (nuint)at);
                        Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref target, (nuint)(even + at));
                        if (at == odd - 8)
                        {
                            break;
                        }
                    }
                }
                else
                {
                    Gather(ref row, ref target, odd, 2);
                    Gather(ref Unsafe.Add(ref row, 1), ref Unsafe.Add(ref target, even), odd, 2);
                }
                if (odd < even)
                {
                    Unsafe.Add(ref target, odd) = Unsafe.Add(ref row, 2 * odd); // the last even column of an odd width
                    Unsafe.Add(ref target, even + odd) = 0;
                }
            }
        }
    }

    /// <summary>
    /// Writes <c>target[x] = row[x · strideX]</c> for x below <paramref name="width"/>, reading nothing else: at stride 2
    /// by 8 columns with AVX2 (two loads, a shuffle and a permute), else by 4 with <c>Kernels.Columns</c>, the last vector
    /// shifted left to end on the last column; rows narrower than a vector one value at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather(ref float row, ref float target, int width, int strideX)
    {
        if (strideX == 2 && width >= 8 && Avx2.IsSupported)
        {
            for (int x = 0; ; x += 8)
            {
                int at = Math.Min(x, width - 8);
                // inputs 0..7 and 7..14: lanes 0, 2 | 8, 10 of the 128-bit halves, then 4, 6 | 12, 14; the permute puts them in order
                Vector256<float> even = Avx.Shuffle(Vector256.LoadUnsafe(ref row, (nuint)(2 * at)), Vector256.LoadUnsafe(ref row, (nuint)(2 * at + 7)), 0b11_01_10_00);
                Avx2.Permute4x64(even.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref target, (nuint)at);
                if (at == width - 8)
                {
                    break;
                }
            }
        }
        else if (width >= 4 && Vector128.IsHardwareAccelerated)
        {
            for (int x = 0; ; x += 4)
            {
                int at = Math.Min(x, width - 4);
                Kernels.Columns(ref Unsafe.Add(ref row, (nint)strideX * at), strideX).StoreUnsafe(ref target, (nuint)at);
                if (at == width - 4)
                {
                    break;
                }
            }
        }
        else
        {
            for (int x = 0; x < width; x++)
            {
                Unsafe.Add(ref target, x) = Unsafe.Add(ref row, (nint)x * strideX);
            }
        }
    }
}
