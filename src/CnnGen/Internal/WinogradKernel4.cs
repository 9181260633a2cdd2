using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CnnGen.Geometry;

namespace CnnGen.Internal;

/// <summary>
/// Winograd F(4×4, 3×3) (<see cref="Winograd.Conv3x3F4"/>): each 4×4 block of outputs from a 6×6 tile of input, 36
/// multiplications per input channel and filter instead of 144 (F(2×2, 3×3): 64 for the same outputs). The same
/// structure as <see cref="WinogradKernel{T, TEpilogue}"/> (tiles numbered over the whole map, blocks of up to three
/// vectors of tiles, the same register tiles for the products), with 36 transform points. Lane <c>t</c> of a vector
/// holds tile <c>t</c>: a 4-way unzip of four vectors of input puts columns <c>4t … 4t + 3</c> in lanes, the same from 4
/// columns further the <c>4t + 4, 4t + 5</c>. The transforms go through <c>rows</c> (36 vectors of workspace): the row
/// transforms of a channel (or filter) are stored, then combined column by column, so no more than 12 vectors are live.
/// The generator takes it only on maps whose width and height are multiples of 4, so that no tile reads past the
/// input (the transform mixes every input column into every output column, exactly cancelling them: reading garbage
/// there is not harmless as it is for F(2×2)).
/// </summary>
/// <typeparam name="T">The vector width.</typeparam>
/// <typeparam name="TEpilogue">The layer's fused activations.</typeparam>
internal static class WinogradKernel4<T, TEpilogue>
    where T : struct, IWinogradLanes<T>
    where TEpilogue : struct, IWinogradEpilogue
{
    /// <summary>Input floats one row of a vector of tiles reads: two loads of 4·Width, 4 columns apart.</summary>
    private static int RowSpan => 4 * T.Width + 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in WinogradConv l, ref float input, ref float output, ref float weights, ref float workspace)
    {
        int width = T.Width;
        int tiles = WinogradSizes.BlockVectors * width;
        int stride = tiles + width;
        int channels = l.Channels;
        int padded = (int)WinogradSizes.PaddedFilters(l.Filters);
        int tilesX = (l.OutputWidth + 3) / 4;
        int total = (l.OutputHeight + 3) / 4 * tilesX;
        long readable = (long)(channels - 1) * l.InputPlaneStride + (long)(l.InputHeight - 1) * l.InputRowStride + l.InputWidth;
        int transformedPoint = channels * stride + width, productPoint = WinogradSizes.FilterBlock * stride + width;
        ref float transformed = ref workspace;
        ref float products = ref Unsafe.Add(ref transformed, WinogradSizes.Points4 * transformedPoint);
        ref float rows = ref Unsafe.Add(ref products, WinogradSizes.Points4 * productPoint);
        ref float edge = ref Unsafe.Add(ref rows, WinogradSizes.Points4 * WinogradSizes.MaxWidth);
        ref float overhang = ref Unsafe.Add(ref edge, 6 * WinogradSizes.EdgeRow4);
        ref float u = ref Unsafe.Add(ref weights, l.TransformedOffset);
        var blocks = new TileBlocks(total, width);
        for (int first = 0, count; first < total; first += count)
        {
            int vectors = blocks.Next();
            count = Math.Min(vectors * width, total - first);
            for (int t = first; t < first + count;)
            {
                int ty = t / tilesX, tx = t - ty * tilesX;
                int n = Math.Min(width, Math.Min(tilesX - tx, first + count - t));
                InputTransform(l, ref input, ty, tx, ref Unsafe.Add(ref transformed, t - first), stride, transformedPoint, readable, ref rows, ref edge);
                t += n;
            }
            for (int g = 0; g < padded; g += WinogradSizes.FilterBlock)
            {
                for (int point = 0; point < WinogradSizes.Points4; point++)
                {
                    ref float v = ref Unsafe.Add(ref transformed, point * transformedPoint);
                    ref float ug = ref Unsafe.Add(ref u, (point * padded + g) * channels);
                    ref float mg = ref Unsafe.Add(ref products, point * productPoint);
                    if (vectors == 1)
                    {
                        WinogradKernel<T, TEpilogue>.Multiply8x1(ref ug, ref v, channels, stride, ref mg);
                    }
                    else if (T.Width == 16)
                    {
                        if (vectors == 3)
                        {
                            WinogradKernel<T, TEpilogue>.Multiply8x3(ref ug, ref v, channels, stride, ref mg);
                        }
                        else
                        {
                            WinogradKernel<T, TEpilogue>.Multiply8x2(ref ug, ref v, channels, stride, ref mg);
                        }
                    }
                    else if (vectors == 3)
                    {
                        WinogradKernel<T, TEpilogue>.Multiply4x3(ref ug, ref v, channels, stride, ref mg);
                        WinogradKernel<T, TEpilogue>.Multiply4x3(ref Unsafe.Add(ref ug, 4), ref v, channels, stride, ref Unsafe.Add(ref mg, 4 * stride));
                    }
                    else
                    {
                        WinogradKernel<T, TEpilogue>.Multiply4x2(ref ug, ref v, channels, stride, ref mg);
                        WinogradKernel<T, TEpilogue>.Multiply4x2(ref Unsafe.Add(ref ug, 4), ref v, channels, stride, ref Unsafe.Add(ref mg, 4 * stride));
                    }
                }
                int filters = Math.Min(WinogradSizes.FilterBlock, l.Filters - g);
                for (int t = first; t < first + count;)
                {
                    int ty = t / tilesX, tx = t - ty * tilesX;
                    int n = Math.Min(width, Math.Min(tilesX - tx, first + count - t));
                    OutputTransform(l, ref Unsafe.Add(ref products, t - first), productPoint, stride, ty, tx, n, g, filters, ref output, ref weights, ref rows, ref overhang);
                    t += n;
                }
            }
        }
    }

    /// <summary>
    /// <c>V = Bᵀ·d·B</c> for every channel of the vector of tiles at tile row <paramref name="ty"/>, tiles from
    /// <paramref name="tx"/>, with <c>Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]</c>:
    /// each of the 6 input rows times B into <paramref name="rows"/>, then Bᵀ on each of the 6 columns, stored at
    /// <c>v[6·i + j][channel]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void InputTransform(in WinogradConv l, ref float input, int ty, int tx, ref float v, int stride, nint point, long readable, ref float rows, ref float edge)
    {
        int width = T.Width;
        int row = 4 * ty, column = 4 * tx;
        nint corner = (nint)row * l.InputRowStride + column;
        long reach = corner + 5L * l.InputRowStride + RowSpan;
        for (int c = 0; c < l.Channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, (nint)c * l.InputPlaneStride);
            bool inside = (long)c * l.InputPlaneStride + reach <= readable;
            ref float r0 = ref inside ? ref Unsafe.Add(ref plane, corner) : ref EdgeRows(l, ref plane, row, column, ref edge);
            nint step = inside ? l.InputRowStride : WinogradSizes.EdgeRow4;
            for (int r = 0; r < 6; r++)
            {
                Row(ref Unsafe.Add(ref r0, r * step), ref Unsafe.Add(ref rows, 6 * r * width));
            }
            ref float at = ref Unsafe.Add(ref v, (nint)c * stride);
            for (int j = 0; j < 6; j++)
            {
                ref float column0 = ref Unsafe.Add(ref rows, j * width);
                Transform(T.Load(ref column0, 0), T.Load(ref column0, 6 * width), T.Load(ref column0, 12 * width),
                    T.Load(ref column0, 18 * width), T.Load(ref column0, 24 * width), T.Load(ref column0, 30 * width),
                    out T h0, out T h1, out T h2, out T h3, out T h4, out T h5);
                T.Store(h0, ref at, j * point);
                T.Store(h1, ref at, (6 + j) * point);
                T.Store(h2, ref at, (12 + j) * point);
                T.Store(h3, ref at, (18 + j) * point);
                T.Store(h4, ref at, (24 + j) * point);
                T.Store(h5, ref at, (30 + j) * point);
            }
        }
    }

    /// <summary>One input row of a vector of tiles, times B: 6 vectors at <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(ref float source, ref float target)
    {
        int width = T.Width;
        T.Unzip(T.Load(ref source, 0), T.Load(ref source, width), out T e0, out T o0);
        T.Unzip(T.Load(ref source, 2 * width), T.Load(ref source, 3 * width), out T e1, out T o1);
        T.Unzip(e0, e1, out T d0, out T d2); // columns 4t, 4t + 2
        T.Unzip(o0, o1, out T d1, out T d3); // columns 4t + 1, 4t + 3
        ref float next = ref Unsafe.Add(ref source, 4);
        T.Unzip(T.Load(ref next, 0), T.Load(ref next, width), out T e2, out T o2);
        T.Unzip(T.Load(ref next, 2 * width), T.Load(ref next, 3 * width), out T e3, out T o3);
        T.Unzip(e2, e3, out T d4, out _); // columns 4t + 4
        T.Unzip(o2, o3, out T d5, out _); // columns 4t + 5
        Transform(d0, d1, d2, d3, d4, d5, out T h0, out T h1, out T h2, out T h3, out T h4, out T h5);
        T.Store(h0, ref target, 0);
        T.Store(h1, ref target, width);
        T.Store(h2, ref target, 2 * width);
        T.Store(h3, ref target, 3 * width);
        T.Store(h4, ref target, 4 * width);
        T.Store(h5, ref target, 5 * width);
    }

    /// <summary>Bᵀ on 6 values: <c>4d0 − 5d2 + d4, ±(d3 − 4d1) + d4 − 4d2, ±2(d3 − d1) + d4 − d2, 4d1 − 5d3 + d5</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transform(T d0, T d1, T d2, T d3, T d4, T d5, out T h0, out T h1, out T h2, out T h3, out T h4, out T h5)
    {
        T four = T.Create(4), minusFour = T.Create(-4), minusFive = T.Create(-5);
        T a = T.MultiplyAdd(d2, minusFour, d4), b = T.MultiplyAdd(d1, minusFour, d3);
        T p = d4 - d2, q = d3 - d1;
        q = q + q;
        h0 = T.MultiplyAdd(d0, four, T.MultiplyAdd(d2, minusFive, d4));
        h1 = a + b;
        h2 = a - b;
        h3 = p + q;
        h4 = p - q;
        h5 = T.MultiplyAdd(d1, four, T.MultiplyAdd(d3, minusFive, d5));
    }

    /// <summary>Copies the 6 rows of a vector of tiles at the input's end into <paramref name="edge"/>, zeros past the input's end.</summary>
    private static ref float EdgeRows(in WinogradConv l, ref float plane, int row, int column, ref float edge)
    {
        for (int r = 0; r < 6; r++)
        {
            Span<float> target = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref edge, r * WinogradSizes.EdgeRow4), RowSpan);
            int count = row + r < l.InputHeight ? Math.Clamp(l.InputWidth - column, 0, RowSpan) : 0;
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref plane, (nint)(row + r) * l.InputRowStride + column), count).CopyTo(target);
            target.Slice(count).Clear();
        }
        return ref edge;
    }

    /// <summary>
    /// <c>Y = Aᵀ·M·A</c> (<c>Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]</c>) for every filter of the
    /// <paramref name="tileCount"/> tiles at tile row <paramref name="ty"/>, from column <paramref name="tx"/>: Aᵀ on each
    /// of the 6 columns into <paramref name="rows"/>, then on each of the 4 rows, plus the bias and the epilogue; each
    /// tile's 4 outputs of a row are put side by side and stored (only the columns and rows inside the map).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void OutputTransform(in WinogradConv l, ref float m, nint point, int stride, int ty, int tx, int tileCount, int firstFilter, int filters,
        ref float output, ref float weights, ref float rows, ref float overhang)
    {
        int width = T.Width;
        int row = 4 * ty, column = 4 * tx;
        int outputRows = Math.Min(4, l.OutputHeight - row), columns = Math.Min(4 * tileCount, l.OutputWidth - column);
        bool whole = columns == 4 * width;
        ref float bias = ref Unsafe.Add(ref weights, l.BiasOffset);
        for (int f = 0; f < filters; f++)
        {
            int k = firstFilter + f;
            ref float mk = ref Unsafe.Add(ref m, (nint)f * stride);
            for (int j = 0; j < 6; j++)
            {
                Combine(T.Load(ref mk, j * point), T.Load(ref mk, (6 + j) * point), T.Load(ref mk, (12 + j) * point),
                    T.Load(ref mk, (18 + j) * point), T.Load(ref mk, (24 + j) * point), T.Load(ref mk, (30 + j) * point),
                    out T s0, out T s1, out T s2, out T s3);
                ref float at = ref Unsafe.Add(ref rows, j * width);
                T.Store(s0, ref at, 0);
                T.Store(s1, ref at, 6 * width);
                T.Store(s2, ref at, 12 * width);
                T.Store(s3, ref at, 18 * width);
            }
            T b = T.Broadcast(ref bias, k);
            ref float target = ref Unsafe.Add(ref output, (nint)k * l.OutputPlaneStride + (nint)row * l.OutputRowStride + column);
            for (int i = 0; i < outputRows; i++)
            {
                ref float si = ref Unsafe.Add(ref rows, 6 * i * width);
                Combine(T.Load(ref si, 0), T.Load(ref si, width), T.Load(ref si, 2 * width), T.Load(ref si, 3 * width), T.Load(ref si, 4 * width), T.Load(ref si, 5 * width),
                    out T y0, out T y1, out T y2, out T y3);
                y0 = T.Epilogue<TEpilogue>(y0 + b, ref weights, k);
                y1 = T.Epilogue<TEpilogue>(y1 + b, ref weights, k);
                y2 = T.Epilogue<TEpilogue>(y2 + b, ref weights, k);
                y3 = T.Epilogue<TEpilogue>(y3 + b, ref weights, k);
                // Tile t's 4 outputs side by side: interleave (y0, y2) and (y1, y3), then the two.
                T.Zip(y0, y2, out T p0, out T p1);
                T.Zip(y1, y3, out T q0, out T q1);
                T.Zip(p0, q0, out T r0, out T r1);
                T.Zip(p1, q1, out T r2, out T r3);
                ref float destination = ref whole ? ref Unsafe.Add(ref target, (nint)i * l.OutputRowStride) : ref overhang;
                T.Store(r0, ref destination, 0);
                T.Store(r1, ref destination, width);
                T.Store(r2, ref destination, 2 * width);
                T.Store(r3, ref destination, 3 * width);
                if (!whole)
                {
                    MemoryMarshal.CreateReadOnlySpan(ref overhang, columns).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref target, (nint)i * l.OutputRowStride), columns));
                }
            }
        }
    }

    /// <summary>Aᵀ on 6 values: <c>m0 + (m1 + m2) + (m3 + m4), (m1 − m2) + 2(m3 − m4), (m1 + m2) + 4(m3 + m4), (m1 − m2) + 8(m3 − m4) + m5</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Combine(T m0, T m1, T m2, T m3, T m4, T m5, out T s0, out T s1, out T s2, out T s3)
    {
        T a = m1 + m2, b = m1 - m2, c = m3 + m4, e = m3 - m4;
        s0 = m0 + a + c;
        s1 = T.MultiplyAdd(e, T.Create(2), b);
        s2 = T.MultiplyAdd(c, T.Create(4), a);
        s3 = T.MultiplyAdd(e, T.Create(8), b) + m5;
    }
}
