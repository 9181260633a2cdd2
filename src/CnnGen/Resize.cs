using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen;

/// <summary>Resizing kernels for the code CnnGen generates (<c>[Upsample]</c>), written once here instead of emitted per layer.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Resize
{
    /// <summary>
    /// Nearest-neighbour upsampling by 2 × 2 (YOLOv3's and FPN necks): output (x, y) is input (x / 2, y / 2). Pure memory
    /// traffic, so each input vector is loaded once, its values doubled in registers (two permutes on AVX-512 and AVX2,
    /// two shuffles on 128-bit vectors) and stored to both output rows: 16 inputs make four 64-byte stores on AVX-512.
    /// The last vector of a row overlaps the one before it (it rewrites the same values); rows narrower than 4 go one
    /// value at a time. The generated kernel before widened each row with 128-bit vectors, then copied it to the row
    /// below (YOLOv3's 52×52×128 neck 70.6–78.0 → 56.7–59.2 µs, 13×13×256 17.8 → 6.1–7.1; the figures are in the
    /// generator's <c>UpsampleEmitter</c>).
    /// </summary>
    /// <param name="channels">Channels.</param>
    /// <param name="width">Input columns (the input is dense: rows of <paramref name="width"/>, planes of width × height).</param>
    /// <param name="height">Input rows.</param>
    /// <param name="outputRowStride">Floats from one output row to the next (at least 2 · width).</param>
    /// <param name="outputPlaneStride">Floats from one output channel to the next.</param>
    /// <param name="input">The input's first element.</param>
    /// <param name="output">The output's first element.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Nearest2x2(int channels, int width, int height, int outputRowStride, int outputPlaneStride, ref float input, ref float output)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && width >= 16)
        {
            Rows16(channels, width, height, outputRowStride, outputPlaneStride, ref input, ref output);
        }
        else if (Avx2.IsSupported && width >= 8)
        {
            Rows8(channels, width, height, outputRowStride, outputPlaneStride, ref input, ref output);
        }
        else if (Vector128.IsHardwareAccelerated && width >= 4)
        {
            Rows4(channels, width, height, outputRowStride, outputPlaneStride, ref input, ref output);
        }
        else
        {
            RowsScalar(channels, width, height, outputRowStride, outputPlaneStride, ref input, ref output);
        }
    }

    private static void Rows16(int channels, int width, int height, nint outputRowStride, nint outputPlaneStride, ref float input, ref float output)
    {
        Vector512<int> low = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
        Vector512<int> high = Vector512.Create(8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15);
        int last = width - 16;
        for (int c = 0; c < channels; c++)
        {
            ref float outputPlane = ref Unsafe.Add(ref output, c * outputPlaneStride);
            for (int y = 0; y < height; y++)
            {
                ref float source = ref Unsafe.Add(ref input, (nint)(c * height + y) * width);
                ref float row = ref Unsafe.Add(ref outputPlane, 2 * y * outputRowStride);
                ref float below = ref Unsafe.Add(ref row, outputRowStride);
                for (int x = 0; ; x += 16)
                {
                    int at = System.Math.Min(x, last);
                    Vector512<float> v = Vector512.LoadUnsafe(ref source, (nuint)at);
                    Vector512<float> a = Avx512F.PermuteVar16x32(v, low), b = Avx512F.PermuteVar16x32(v, high);
                    a.StoreUnsafe(ref row, (nuint)(2 * at));
                    b.StoreUnsafe(ref row, (nuint)(2 * at + 16));
                    a.StoreUnsafe(ref below, (nuint)(2 * at));
                    b.StoreUnsafe(ref below, (nuint)(2 * at + 16));
                    if (at == last)
                    {
                        break;
                    }
                }
            }
        }
    }

    private static void Rows8(int channels, int width, int height, nint outputRowStride, nint outputPlaneStride, ref float input, ref float output)
    {
        Vector256<int> low = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3), high = Vector256.Create(4, 4, 5, 5, 6, 6, 7, 7);
        int last = width - 8;
        for (int c = 0; c < channels; c++)
        {
            ref float outputPlane = ref Unsafe.Add(ref output, c * outputPlaneStride);
            for (int y = 0; y < height; y++)
            {
                ref float source = ref Unsafe.Add(ref input, (nint)(c * height + y) * width);
                ref float row = ref Unsafe.Add(ref outputPlane, 2 * y * outputRowStride);
                ref float below = ref Unsafe.Add(ref row, outputRowStride);
                for (int x = 0; ; x += 8)
                {
                    int at = System.Math.Min(x, last);
                    Vector256<float> v = Vector256.LoadUnsafe(ref source, (nuint)at);
                    Vector256<float> a = Avx2.PermuteVar8x32(v, low), b = Avx2.PermuteVar8x32(v, high);
                    a.StoreUnsafe(ref row, (nuint)(2 * at));
                    b.StoreUnsafe(ref row, (nuint)(2 * at + 8));
                    a.StoreUnsafe(ref below, (nuint)(2 * at));
                    b.StoreUnsafe(ref below, (nuint)(2 * at + 8));
                    if (at == last)
                    {
                        break;
                    }
                }
            }
        }
    }

    private static void Rows4(int channels, int width, int height, nint outputRowStride, nint outputPlaneStride, ref float input, ref float output)
    {
        int last = width - 4;
        for (int c = 0; c < channels; c++)
        {
            ref float outputPlane = ref Unsafe.Add(ref output, c * outputPlaneStride);
            for (int y = 0; y < height; y++)
            {
                ref float source = ref Unsafe.Add(ref input, (nint)(c * height + y) * width);
                ref float row = ref Unsafe.Add(ref outputPlane, 2 * y * outputRowStride);
                ref float below = ref Unsafe.Add(ref row, outputRowStride);
                for (int x = 0; ; x += 4)
                {
                    int at = System.Math.Min(x, last);
                    Vector128<float> v = Vector128.LoadUnsafe(ref source, (nuint)at);
                    Vector128<float> a = Vector128.Shuffle(v, Vector128.Create(0, 0, 1, 1)), b = Vector128.Shuffle(v, Vector128.Create(2, 2, 3, 3));
                    a.StoreUnsafe(ref row, (nuint)(2 * at));
                    b.StoreUnsafe(ref row, (nuint)(2 * at + 4));
                    a.StoreUnsafe(ref below, (nuint)(2 * at));
                    b.StoreUnsafe(ref below, (nuint)(2 * at + 4));
                    if (at == last)
                    {
                        break;
                    }
                }
            }
        }
    }

    private static void RowsScalar(int channels, int width, int height, nint outputRowStride, nint outputPlaneStride, ref float input, ref float output)
    {
        for (int c = 0; c < channels; c++)
        {
            ref float outputPlane = ref Unsafe.Add(ref output, c * outputPlaneStride);
            for (int y = 0; y < height; y++)
            {
                ref float source = ref Unsafe.Add(ref input, (nint)(c * height + y) * width);
                ref float row = ref Unsafe.Add(ref outputPlane, 2 * y * outputRowStride);
                ref float below = ref Unsafe.Add(ref row, outputRowStride);
                for (int x = 0; x < width; x++)
                {
                    float value = Unsafe.Add(ref source, x);
                    Unsafe.Add(ref row, 2 * x) = value;
                    Unsafe.Add(ref row, 2 * x + 1) = value;
                    Unsafe.Add(ref below, 2 * x) = value;
                    Unsafe.Add(ref below, 2 * x + 1) = value;
                }
            }
        }
    }
}
