using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CnnGen.Internal;

/// <summary>
/// The convolution of <see cref="ChannelDot"/>, written once for every vector width: the input transposed into blocks
/// of 16 channels a pixel, then tiles of 4 output pixels × up to <see cref="Group"/> filters, each accumulator a vector
/// of partial sums over the window's channels (<c>a{filter}_{pixel}</c>), summed across its lanes at the end. The
/// filters of a tile are a type argument: the JIT drops the accumulators a tile does not use.
/// </summary>
/// <typeparam name="T">The vector width.</typeparam>
/// <typeparam name="TEpilogue">The layer's fused activations (none with per-channel parameters).</typeparam>
internal static class ChannelDotKernel<T, TEpilogue>
    where T : struct, IWinogradLanes<T>
    where TEpilogue : struct, IWinogradEpilogue
{
    /// <summary>Filters per tile: 6 × 4 = 24 accumulators, 4 inputs and a weight of 32 registers (AVX-512); 3 × 4 with 16.</summary>
    private static int Group => T.Width == 16 ? 6 : 3;

    /// <summary>Output pixels per tile.</summary>
    private const int Pixels = 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in ChannelDotShape l, ref float input, ref float output, ref float weights, ref float workspace)
    {
        const int block = ChannelDot.BlockWidth;
        int rows = l.Rows, columns = l.Pitch, blocks = l.Blocks;
        nint blockStride = (nint)rows * columns * block;
        // The rows the windows read, 16 channels a pixel: [block][row][column][16] (lanes past the last channel repeat it;
        // their weights are zero). Rows narrower than a vector go as one run over the input's rows, border included.
        bool whole = l.WorkspacePitch > 0;
        for (int b = 0; b < blocks; b++)
        {
            int lanes = System.Math.Min(block, l.Channels - b * block);
            ref float planes = ref Unsafe.Add(ref input, (nint)b * block * l.InputPlaneStride);
            ref float blockRows = ref Unsafe.Add(ref workspace, b * blockStride);
            if (whole)
            {
                ChannelBlocks.ToPixels(ref planes, l.InputPlaneStride, lanes, (rows - 1) * l.InputRowStride + l.Columns, ref blockRows);
                continue;
            }
            for (int r = 0; r < rows; r++)
            {
                if (!Read(l, r))
                {
                    continue; // between the windows (a stride down larger than the kernel's reach)
                }
                ChannelBlocks.ToPixels(ref Unsafe.Add(ref planes, (nint)r * l.InputRowStride), l.InputPlaneStride, lanes, columns,
                    ref Unsafe.Add(ref blockRows, (nint)r * columns * block));
            }
        }

        ref float filters = ref Unsafe.Add(ref weights, l.WeightsOffset);
        nint filterSize = l.FilterSize, biasAt = Biases(l);
        int count = l.OutputWidth * l.OutputHeight, group = Group;
        var tile = new Tile();
        for (int q = 0; q < count; q += Pixels)
        {
            tile.Count = System.Math.Min(Pixels, count - q);
            // Each pixel's window (the last one repeated past the plane's end) and where its outputs go.
            tile.Input0 = Window(l, q, count, columns, out tile.Output0);
            tile.Input1 = Window(l, q + 1, count, columns, out tile.Output1);
            tile.Input2 = Window(l, q + 2, count, columns, out tile.Output2);
            tile.Input3 = Window(l, q + 3, count, columns, out tile.Output3);
            Taps(l, q, count, ref tile);
            // The filters in as few tiles as the registers allow, of nearly equal size (8 filters: 4 + 4 rather than 6 + 2).
            int tiles = (l.Filters + group - 1) / group;
            for (int t = 0, f = 0; t < tiles; t++)
            {
                int size = l.Filters / tiles + (t < l.Filters % tiles ? 1 : 0);
                switch (size)
                {
                    case 1: Filters<Constant1>(l, ref workspace, ref filters, ref output, ref weights, f, filterSize, biasAt, blockStride, tile); break;
                    case 2: Filters<Constant2>(l, ref workspace, ref filters, ref output, ref weights, f, filterSize, biasAt, blockStride, tile); break;
                    case 3: Filters<Constant3>(l, ref workspace, ref filters, ref output, ref weights, f, filterSize, biasAt, blockStride, tile); break;
                    case 4: Filters<Constant4>(l, ref workspace, ref filters, ref output, ref weights, f, filterSize, biasAt, blockStride, tile); break;
                    case 5: Filters<Constant5>(l, ref workspace, ref filters, ref output, ref weights, f, filterSize, biasAt, blockStride, tile); break;
                    default: Filters<Constant6>(l, ref workspace, ref filters, ref output, ref weights, f, filterSize, biasAt, blockStride, tile); break;
                }
                f += size;
            }
        }
    }

    /// <summary>Where the biases start after the repacked weights: whole panels of 16 filters' weights (<c>PanelLayout</c>'s sizes).</summary>
    private static nint Biases(in ChannelDotShape l) =>
        (nint)((l.Filters + ChannelDot.BlockWidth - 1) / ChannelDot.BlockWidth) * ChannelDot.BlockWidth * l.FilterSize;

    /// <summary>The first float of output pixel <paramref name="q"/>'s window in the transposed rows (the last pixel's past the end), and where the pixel's output goes.</summary>
    private static nint Window(in ChannelDotShape l, int q, int count, int columns, out nint output)
    {
        if (q >= count)
        {
            q = count - 1;
        }
        int oy = q / l.OutputWidth, ox = q - oy * l.OutputWidth;
        output = (nint)oy * l.OutputRowStride + ox;
        return ((nint)oy * l.StrideY * columns + (nint)ox * l.StrideX) * ChannelDot.BlockWidth;
    }

    /// <summary>Whether some window reads input row <paramref name="row"/> (counted from the first row the windows read).</summary>
    private static bool Read(in ChannelDotShape l, int row)
    {
        for (int ky = 0; ky < l.KernelHeight; ky++)
        {
            int top = row - ky * l.DilationY; // the output row whose window would read the row with this kernel row
            if (top >= 0 && top % l.StrideY == 0 && top / l.StrideY < l.OutputHeight)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The kernel rows and columns the tile's pixels read real input with (all of them when the shape gives no input size):
    /// from the least first tap to the greatest end over the tile's pixels, so a tap is left out only when it reads the zero
    /// border for all four.
    /// </summary>
    private static void Taps(in ChannelDotShape l, int q, int count, ref Tile tile)
    {
        if (l.InputHeight == 0)
        {
            (tile.FirstRow, tile.EndRow, tile.FirstColumn, tile.EndColumn) = (0, l.KernelHeight, 0, l.KernelWidth);
            return;
        }
        (tile.FirstRow, tile.EndRow, tile.FirstColumn, tile.EndColumn) = (l.KernelHeight, 0, l.KernelWidth, 0);
        for (int p = q; p < q + Pixels && p < count; p++)
        {
            int oy = p / l.OutputWidth, ox = p - oy * l.OutputWidth;
            int y = oy * l.StrideY, x = ox * l.StrideX;
            tile.FirstRow = System.Math.Min(tile.FirstRow, FirstTap(y, l.DilationY, l.PadTop, l.KernelHeight));
            tile.EndRow = System.Math.Max(tile.EndRow, EndTap(y, l.DilationY, l.PadTop + l.InputHeight, l.KernelHeight));
            tile.FirstColumn = System.Math.Min(tile.FirstColumn, FirstTap(x, l.DilationX, l.PadLeft, l.KernelWidth));
            tile.EndColumn = System.Math.Max(tile.EndColumn, EndTap(x, l.DilationX, l.PadLeft + l.InputWidth, l.KernelWidth));
        }
    }

    /// <summary>The first tap k (of <paramref name="kernel"/>) whose input <c>position + k · dilation</c> is at or after <paramref name="start"/>.</summary>
    private static int FirstTap(int position, int dilation, int start, int kernel) =>
        position >= start ? 0 : System.Math.Min(kernel, (start - position + dilation - 1) / dilation);

    /// <summary>One past the last tap k (of <paramref name="kernel"/>) whose input <c>position + k · dilation</c> is before <paramref name="end"/>.</summary>
    private static int EndTap(int position, int dilation, int end, int kernel) =>
        position >= end ? 0 : System.Math.Min(kernel, (end - 1 - position) / dilation + 1);

    /// <summary>
    /// Four output pixels: their windows' first floats in the transposed rows, their output offsets, how many are real, and
    /// the kernel rows and columns (first, end) that read some real input for one of them.
    /// </summary>
    private struct Tile
    {
        public nint Input0, Input1, Input2, Input3, Output0, Output1, Output2, Output3;
        public int Count, FirstRow, EndRow, FirstColumn, EndColumn;
    }

    /// <summary>
    /// Filters <paramref name="first"/> to <paramref name="first"/> + <typeparamref name="TN"/> − 1 on the tile's 4 pixels:
    /// every 16 floats of the window (a kernel row's <c>kw · 16</c> at once when it is not dilated) loaded once per pixel and
    /// multiplied with each filter's weights, then each accumulator's lanes summed, bias and activations added, and stored.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Filters<TN>(in ChannelDotShape l, ref float rows, ref float filters, ref float output, ref float weights,
        int first, nint filterSize, nint biasAt, nint blockStride, in Tile tile)
        where TN : struct, IConstant
    {
        int n = TN.Value, width = T.Width;
        T a00 = T.Zero, a01 = T.Zero, a02 = T.Zero, a03 = T.Zero, a10 = T.Zero, a11 = T.Zero, a12 = T.Zero, a13 = T.Zero;
        T a20 = T.Zero, a21 = T.Zero, a22 = T.Zero, a23 = T.Zero, a30 = T.Zero, a31 = T.Zero, a32 = T.Zero, a33 = T.Zero;
        T a40 = T.Zero, a41 = T.Zero, a42 = T.Zero, a43 = T.Zero, a50 = T.Zero, a51 = T.Zero, a52 = T.Zero, a53 = T.Zero;
        ref float w0 = ref Unsafe.Add(ref filters, first * filterSize);
        ref float w1 = ref Unsafe.Add(ref w0, filterSize);
        ref float w2 = ref Unsafe.Add(ref w1, filterSize);
        ref float w3 = ref Unsafe.Add(ref w2, filterSize);
        ref float w4 = ref Unsafe.Add(ref w3, filterSize);
        ref float w5 = ref Unsafe.Add(ref w4, filterSize);
        nint p0 = tile.Input0, p1 = tile.Input1, p2 = tile.Input2, p3 = tile.Input3;
        // A kernel row's 16-channel pixels are contiguous unless the kernel is dilated across: one run of the tile's live
        // columns, or one run per column.
        bool dense = l.DilationX == 1;
        int live = tile.EndColumn - tile.FirstColumn;
        nint run = dense ? (nint)live * ChannelDot.BlockWidth : ChannelDot.BlockWidth;
        int runs = dense ? (live > 0 ? 1 : 0) : live;
        nint rowStep = (nint)l.DilationY * l.Pitch * ChannelDot.BlockWidth, columnStep = (nint)l.DilationX * ChannelDot.BlockWidth;
        for (int b = 0; b < l.Blocks; b++)
        {
            for (int ky = tile.FirstRow; ky < tile.EndRow; ky++)
            {
                ref float kernelRow = ref Unsafe.Add(ref rows, b * blockStride + ky * rowStep);
                for (int r = 0; r < runs; r++)
                {
                    int kx = tile.FirstColumn + r;
                    ref float x = ref Unsafe.Add(ref kernelRow, kx * columnStep);
                    nint at = (((nint)b * l.KernelHeight + ky) * l.KernelWidth + kx) * ChannelDot.BlockWidth; // into each filter's weights
                    for (nint i = 0; i < run; i += width)
                    {
                        T x0 = T.Load(ref x, p0 + i), x1 = T.Load(ref x, p1 + i), x2 = T.Load(ref x, p2 + i), x3 = T.Load(ref x, p3 + i);
                        T w = T.Load(ref w0, at + i);
                        a00 = T.MultiplyAdd(x0, w, a00); a01 = T.MultiplyAdd(x1, w, a01); a02 = T.MultiplyAdd(x2, w, a02); a03 = T.MultiplyAdd(x3, w, a03);
                        if (n > 1)
                        {
                            w = T.Load(ref w1, at + i);
                            a10 = T.MultiplyAdd(x0, w, a10); a11 = T.MultiplyAdd(x1, w, a11); a12 = T.MultiplyAdd(x2, w, a12); a13 = T.MultiplyAdd(x3, w, a13);
                        }
                        if (n > 2)
                        {
                            w = T.Load(ref w2, at + i);
                            a20 = T.MultiplyAdd(x0, w, a20); a21 = T.MultiplyAdd(x1, w, a21); a22 = T.MultiplyAdd(x2, w, a22); a23 = T.MultiplyAdd(x3, w, a23);
                        }
                        if (n > 3)
                        {
                            w = T.Load(ref w3, at + i);
                            a30 = T.MultiplyAdd(x0, w, a30); a31 = T.MultiplyAdd(x1, w, a31); a32 = T.MultiplyAdd(x2, w, a32); a33 = T.MultiplyAdd(x3, w, a33);
                        }
                        if (n > 4)
                        {
                            w = T.Load(ref w4, at + i);
                            a40 = T.MultiplyAdd(x0, w, a40); a41 = T.MultiplyAdd(x1, w, a41); a42 = T.MultiplyAdd(x2, w, a42); a43 = T.MultiplyAdd(x3, w, a43);
                        }
                        if (n > 5)
                        {
                            w = T.Load(ref w5, at + i);
                            a50 = T.MultiplyAdd(x0, w, a50); a51 = T.MultiplyAdd(x1, w, a51); a52 = T.MultiplyAdd(x2, w, a52); a53 = T.MultiplyAdd(x3, w, a53);
                        }
                    }
                }
            }
        }
        ref float biases = ref Unsafe.Add(ref filters, biasAt + first);
        Store(a00, a01, a02, a03, ref output, ref weights, Unsafe.Add(ref biases, 0), first, l.OutputPlaneStride, tile);
        if (n > 1)
        {
            Store(a10, a11, a12, a13, ref output, ref weights, Unsafe.Add(ref biases, 1), first + 1, l.OutputPlaneStride, tile);
        }
        if (n > 2)
        {
            Store(a20, a21, a22, a23, ref output, ref weights, Unsafe.Add(ref biases, 2), first + 2, l.OutputPlaneStride, tile);
        }
        if (n > 3)
        {
            Store(a30, a31, a32, a33, ref output, ref weights, Unsafe.Add(ref biases, 3), first + 3, l.OutputPlaneStride, tile);
        }
        if (n > 4)
        {
            Store(a40, a41, a42, a43, ref output, ref weights, Unsafe.Add(ref biases, 4), first + 4, l.OutputPlaneStride, tile);
        }
        if (n > 5)
        {
            Store(a50, a51, a52, a53, ref output, ref weights, Unsafe.Add(ref biases, 5), first + 5, l.OutputPlaneStride, tile);
        }
    }

    /// <summary>One filter's 4 outputs: each accumulator's lanes summed, its bias and the activations added, stored (a vector store when the 4 pixels are adjacent in a row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(T s0, T s1, T s2, T s3, ref float output, ref float weights, float bias, int filter, nint planeStride, in Tile tile)
    {
        Vector128<float> sums = Sums(Fold(s0), Fold(s1), Fold(s2), Fold(s3)) + Vector128.Create(bias);
        sums = TEpilogue.Apply(sums, ref weights, filter);
        ref float plane = ref Unsafe.Add(ref output, filter * planeStride);
        if (tile.Count == Pixels && tile.Output3 - tile.Output0 == Pixels - 1)
        {
            sums.StoreUnsafe(ref plane, (nuint)tile.Output0);
            return;
        }
        Unsafe.Add(ref plane, tile.Output0) = sums.GetElement(0);
        if (tile.Count > 1)
        {
            Unsafe.Add(ref plane, tile.Output1) = sums.GetElement(1);
        }
        if (tile.Count > 2)
        {
            Unsafe.Add(ref plane, tile.Output2) = sums.GetElement(2);
        }
        if (tile.Count > 3)
        {
            Unsafe.Add(ref plane, tile.Output3) = sums.GetElement(3);
        }
    }

    /// <summary>The vector's lanes added into 4 (lane i + 4k summed into lane i).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Fold(T value)
    {
        if (typeof(T) == typeof(WinogradLanes16))
        {
            Vector512<float> v = Unsafe.As<T, Vector512<float>>(ref value);
            Vector256<float> h = v.GetLower() + v.GetUpper();
            return h.GetLower() + h.GetUpper();
        }
        if (typeof(T) == typeof(WinogradLanes8))
        {
            Vector256<float> v = Unsafe.As<T, Vector256<float>>(ref value);
            return v.GetLower() + v.GetUpper();
        }
        return Unsafe.As<T, Vector128<float>>(ref value);
    }

    /// <summary>The sums of the lanes of <paramref name="a"/>, <paramref name="b"/>, <paramref name="c"/> and <paramref name="d"/>, in that order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Sums(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d)
    {
        if (Sse3.IsSupported)
        {
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(a, b), Sse3.HorizontalAdd(c, d));
        }
        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(a, b), AdvSimd.Arm64.AddPairwise(c, d));
        }
        return Vector128.Create(Vector128.Sum(a), Vector128.Sum(b), Vector128.Sum(c), Vector128.Sum(d));
    }
}
