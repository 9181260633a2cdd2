using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CnnGen.Geometry;

namespace CnnGen.Internal;

/// <summary>
/// The blocks a map's <c>total</c> tiles are transformed and multiplied in: up to
/// <c>blockVectors</c> vectors of <c>width</c> tiles each, as even as they come (blocks of 3 for 9 vectors: 3 + 3 + 3;
/// 4: 2 + 2, not 3 + 1, which would run one block on the 8-accumulator register tile).
/// </summary>
internal struct TileBlocks(int total, int width, int blockVectors = WinogradSizes.BlockVectors)
{
    private int _vectorsLeft = (total + width - 1) / width;
    private int _blocksLeft = ((total + width - 1) / width + blockVectors - 1) / blockVectors;

    /// <summary>The vectors of tiles in the next block (its last vector may be partly filled).</summary>
    public int Next()
    {
        int vectors = (_vectorsLeft + _blocksLeft - 1) / _blocksLeft;
        _vectorsLeft -= vectors;
        _blocksLeft--;
        return vectors;
    }
}

/// <summary>
/// The Winograd F(2×2, 3×3) convolution of <see cref="Winograd"/>, written once for every vector width. A vector holds
/// one value of <c>T.Width</c> tiles; the map's tiles are numbered over the whole plane (row after row: tile
/// <c>t</c> is tile row <c>t / tilesX</c>, column <c>t % tilesX</c>) and taken in blocks of up to
/// <see cref="WinogradSizes.BlockVectorsFor"/> vectors (one register tile's worth, two above 128 channels), so a narrow map (an 8×8 map has 4 tiles per row) still fills
/// its vectors: the tiles of several rows share one. Each block is transformed one <em>segment</em> at a time (the
/// tiles of the block on one tile row, at most one vector: read with the row's in-place loads, stored as a whole vector
/// at the segment's place in the block, the next segment overwriting the lanes past its end).
/// Workspace layout (floats, rows of <c>3·Width + Width</c> or <c>6·Width + Width</c>: a block and a vector of slack for the last segment's
/// whole-vector store; each transform point a vector more than its rows): <c>V[16][channels][stride]</c>,
/// <c>M[16][FilterGroup][stride]</c>, then four zero-extended input rows and two output rows for the segments at the input's end
/// and the map's edges.
/// </summary>
/// <typeparam name="T">The vector width.</typeparam>
/// <typeparam name="TEpilogue">The layer's fused activations.</typeparam>
internal static class WinogradKernel<T, TEpilogue>
    where T : struct, IWinogradLanes<T>
    where TEpilogue : struct, IWinogradEpilogue
{
    /// <summary>Input floats one row of a vector of tiles reads: its 2·Width columns and the 2 the last tile reaches past them.</summary>
    private static int RowSpan => 2 * T.Width + 2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in WinogradConv l, ref float input, ref float output, ref float weights, ref float workspace)
    {
        int width = T.Width;
        int channels = l.Channels;
        int blockVectors = WinogradSizes.BlockVectorsFor(channels);
        int stride = (blockVectors + 1) * width; // floats from one channel (or filter) of a transform point to the next
        int padded = (int)WinogradSizes.PaddedFilters(l.Filters);
        int tilesX = (l.OutputWidth + 1) / 2;
        int total = (l.OutputHeight + 1) / 2 * tilesX;
        // The in-place reads of a segment reach 3 rows and 2·Width + 2 columns from its corner; past this many floats
        // from the input's corner (the end of the last channel's last row) they read the zero-extended copy instead.
        // Reads past a row's end land in the next row: they feed only lanes past the segment (overwritten) and the last
        // tile's fourth column and row, which reach only the output column and row past an odd map (never stored).
        long readable = (long)(channels - 1) * l.InputPlaneStride + (long)(l.InputHeight - 1) * l.InputRowStride + l.InputWidth;
        // From one transform point to the next: the rows and a vector more, so that the 16 rows of one channel (or
        // filter) do not all fall in the same L1 set when the rows add up to a multiple of 4 KB.
        int filterGroup = WinogradSizes.FilterGroup(channels);
        int transformedPoint = channels * stride + width, productPoint = filterGroup * stride + width;
        ref float transformed = ref workspace;
        ref float products = ref Unsafe.Add(ref transformed, WinogradSizes.Points * transformedPoint);
        ref float edge = ref Unsafe.Add(ref products, WinogradSizes.Points * productPoint);
        ref float overhang = ref Unsafe.Add(ref edge, 4 * WinogradSizes.EdgeRow);
        ref float u = ref Unsafe.Add(ref weights, l.TransformedOffset);
        var blocks = new TileBlocks(total, width, blockVectors);
        for (int first = 0, count; first < total; first += count)
        {
            int vectors = blocks.Next();
            count = Math.Min(vectors * width, total - first);
            // Lanes past the block's last tile hold the last segment's overhang: real floats, never stored.
            for (int t = first; t < first + count;)
            {
                int ty = t / tilesX, tx = t - ty * tilesX;
                int n = Math.Min(width, Math.Min(tilesX - tx, first + count - t));
                InputTransform(l, ref input, ty, tx, ref Unsafe.Add(ref transformed, t - first), stride, transformedPoint, readable, ref edge);
                t += n;
            }
            // Per group of FilterGroup filters (8 when the block's transformed input fits L2): for each transform point,
            // the products of every 8 filters of the group (8 × up to 96 tiles, as one or two register tiles), so that the
            // point's transformed input comes from L1/L2 after the first 8; then the output transform of the group's filters.
            for (int group = 0; group < padded; group += filterGroup)
            {
                int groupEnd = Math.Min(group + filterGroup, padded);
                for (int point = 0; point < WinogradSizes.Points; point++)
                {
                    ref float v = ref Unsafe.Add(ref transformed, point * transformedPoint);
                    for (int g = group; g < groupEnd; g += WinogradSizes.FilterBlock)
                    {
                        ref float ug = ref Unsafe.Add(ref u, (point * padded + g) * channels);
                        ref float mg = ref Unsafe.Add(ref products, point * productPoint + (g - group) * stride);
                        if (vectors <= WinogradSizes.BlockVectors)
                        {
                            Multiply(ref ug, ref v, channels, stride, ref mg, vectors);
                        }
                        else
                        {
                            // Two register tiles of tiles (4 vectors: 2 + 2, not 3 + 1); the second reads the weights from L1.
                            int half = (vectors + 1) / 2, offset = half * width;
                            Multiply(ref ug, ref v, channels, stride, ref mg, half);
                            Multiply(ref ug, ref Unsafe.Add(ref v, offset), channels, stride, ref Unsafe.Add(ref mg, offset), vectors - half);
                        }
                    }
                }
                int filters = Math.Min(groupEnd, l.Filters) - group;
                for (int t = first; t < first + count;)
                {
                    int ty = t / tilesX, tx = t - ty * tilesX;
                    int n = Math.Min(width, Math.Min(tilesX - tx, first + count - t));
                    OutputTransform(l, ref Unsafe.Add(ref products, t - first), productPoint, stride, ty, tx, n,
                        group, filters, ref output, ref weights, ref overhang);
                    t += n;
                }
            }
        }
    }

    /// <summary>The products of 8 filters (from <paramref name="u"/>) and 1–3 vectors of tiles (from <paramref name="v"/>), every channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Multiply(ref float u, ref float v, int channels, int stride, ref float m, int vectors)
    {
        if (vectors == 1)
        {
            Multiply8x1(ref u, ref v, channels, stride, ref m);
        }
        else if (T.Width == 16)
        {
            if (vectors == 3)
            {
                Multiply8x3(ref u, ref v, channels, stride, ref m);
            }
            else
            {
                Multiply8x2(ref u, ref v, channels, stride, ref m);
            }
        }
        else if (vectors == 3)
        {
            Multiply4x3(ref u, ref v, channels, stride, ref m);
            Multiply4x3(ref Unsafe.Add(ref u, 4), ref v, channels, stride, ref Unsafe.Add(ref m, 4 * stride));
        }
        else
        {
            Multiply4x2(ref u, ref v, channels, stride, ref m);
            Multiply4x2(ref Unsafe.Add(ref u, 4), ref v, channels, stride, ref Unsafe.Add(ref m, 4 * stride));
        }
    }

    /// <summary>
    /// <c>V = Bᵀ·d·B</c> for every channel of the vector of tiles at tile row <paramref name="ty"/>, tiles from
    /// <paramref name="tx"/>: <c>Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]</c>, applied to each row of 4 inputs, then
    /// to the rows. Stored at <c>v[point][channel]</c>, rows <paramref name="stride"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void InputTransform(in WinogradConv l, ref float input, int ty, int tx, ref float v, int stride, nint point, long readable, ref float edge)
    {
        int row = 2 * ty, column = 2 * tx;
        nint corner = (nint)row * l.InputRowStride + column;
        // The last float the in-place reads reach, from the first channel's plane.
        long reach = corner + 3L * l.InputRowStride + RowSpan;
        for (int c = 0; c < l.Channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, (nint)c * l.InputPlaneStride);
            bool inside = (long)c * l.InputPlaneStride + reach <= readable;
            ref float r0 = ref inside ? ref Unsafe.Add(ref plane, corner) : ref EdgeRows(l, ref plane, row, column, ref edge);
            nint step = inside ? l.InputRowStride : WinogradSizes.EdgeRow;
            Row(ref r0, out T h00, out T h01, out T h02, out T h03);
            Row(ref Unsafe.Add(ref r0, step), out T h10, out T h11, out T h12, out T h13);
            Row(ref Unsafe.Add(ref r0, 2 * step), out T h20, out T h21, out T h22, out T h23);
            Row(ref Unsafe.Add(ref r0, 3 * step), out T h30, out T h31, out T h32, out T h33);
            ref float at = ref Unsafe.Add(ref v, (nint)c * stride);
            T.Store(h00 - h20, ref at, 0);
            T.Store(h01 - h21, ref at, point);
            T.Store(h02 - h22, ref at, 2 * point);
            T.Store(h03 - h23, ref at, 3 * point);
            T.Store(h10 + h20, ref at, 4 * point);
            T.Store(h11 + h21, ref at, 5 * point);
            T.Store(h12 + h22, ref at, 6 * point);
            T.Store(h13 + h23, ref at, 7 * point);
            T.Store(h20 - h10, ref at, 8 * point);
            T.Store(h21 - h11, ref at, 9 * point);
            T.Store(h22 - h12, ref at, 10 * point);
            T.Store(h23 - h13, ref at, 11 * point);
            T.Store(h10 - h30, ref at, 12 * point);
            T.Store(h11 - h31, ref at, 13 * point);
            T.Store(h12 - h32, ref at, 14 * point);
            T.Store(h13 - h33, ref at, 15 * point);
        }
    }

    /// <summary>One input row of a vector of tiles, times B: columns <c>d0 − d2, d1 + d2, d2 − d1, d1 − d3</c> of each tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row(ref float source, out T h0, out T h1, out T h2, out T h3)
    {
        T.Deinterleave(ref source, out T d0, out T d1); // columns 2t and 2t + 1 of tile t
        T.Deinterleave(ref Unsafe.Add(ref source, 2), out T d2, out T d3); // columns 2t + 2 and 2t + 3
        h0 = d0 - d2;
        h1 = d1 + d2;
        h2 = d2 - d1;
        h3 = d1 - d3;
    }

    /// <summary>Copies the 4 rows of a vector of tiles at the input's end into <paramref name="edge"/>, zeros past the input's end.</summary>
    private static ref float EdgeRows(in WinogradConv l, ref float plane, int row, int column, ref float edge)
    {
        for (int r = 0; r < 4; r++)
        {
            Span<float> target = MemoryMarshal.CreateSpan(ref Unsafe.Add(ref edge, r * WinogradSizes.EdgeRow), RowSpan);
            int count = row + r < l.InputHeight ? Math.Clamp(l.InputWidth - column, 0, RowSpan) : 0;
            MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref plane, (nint)(row + r) * l.InputRowStride + column), count).CopyTo(target);
            target.Slice(count).Clear();
        }
        return ref edge;
    }

    /// <summary>
    /// <c>Y = Aᵀ·M·A</c> (<c>Aᵀ = [1 1 1 0; 0 1 −1 −1]</c>) for every filter of the <paramref name="tileCount"/> tiles at
    /// tile row <paramref name="ty"/>, from column <paramref name="tx"/>, plus the bias and the epilogue; each tile's 2×2
    /// outputs are put side by side and stored (only the columns and rows inside the map).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void OutputTransform(in WinogradConv l, ref float m, nint point, int stride, int ty, int tx, int tileCount, int firstFilter, int filters,
        ref float output, ref float weights, ref float overhang)
    {
        int width = T.Width;
        int row = 2 * ty, column = 2 * tx;
        int rows = Math.Min(2, l.OutputHeight - row), columns = Math.Min(2 * tileCount, l.OutputWidth - column);
        bool whole = rows == 2 && columns == 2 * width;
        ref float bias = ref Unsafe.Add(ref weights, l.BiasOffset);
        for (int f = 0; f < filters; f++)
        {
            int k = firstFilter + f;
            ref float mk = ref Unsafe.Add(ref m, (nint)f * stride);
            // Aᵀ·M: rows 0 + 1 + 2 and 1 − 2 − 3 of the 4×4 products, column by column.
            T m1 = T.Load(ref mk, 4 * point), m2 = T.Load(ref mk, 8 * point);
            T s00 = T.Load(ref mk, 0) + m1 + m2, s10 = m1 - m2 - T.Load(ref mk, 12 * point);
            m1 = T.Load(ref mk, 5 * point); m2 = T.Load(ref mk, 9 * point);
            T s01 = T.Load(ref mk, point) + m1 + m2, s11 = m1 - m2 - T.Load(ref mk, 13 * point);
            m1 = T.Load(ref mk, 6 * point); m2 = T.Load(ref mk, 10 * point);
            T s02 = T.Load(ref mk, 2 * point) + m1 + m2, s12 = m1 - m2 - T.Load(ref mk, 14 * point);
            m1 = T.Load(ref mk, 7 * point); m2 = T.Load(ref mk, 11 * point);
            T s03 = T.Load(ref mk, 3 * point) + m1 + m2, s13 = m1 - m2 - T.Load(ref mk, 15 * point);
            // ·A: columns 0 + 1 + 2 and 1 − 2 − 3, then the bias and the activations.
            T b = T.Broadcast(ref bias, k);
            T y00 = T.Epilogue<TEpilogue>(s00 + s01 + s02 + b, ref weights, k);
            T y01 = T.Epilogue<TEpilogue>(s01 - s02 - s03 + b, ref weights, k);
            T y10 = T.Epilogue<TEpilogue>(s10 + s11 + s12 + b, ref weights, k);
            T y11 = T.Epilogue<TEpilogue>(s11 - s12 - s13 + b, ref weights, k);
            ref float target = ref Unsafe.Add(ref output, (nint)k * l.OutputPlaneStride + (nint)row * l.OutputRowStride + column);
            if (whole)
            {
                T.StoreInterleaved(y00, y01, ref target);
                T.StoreInterleaved(y10, y11, ref Unsafe.Add(ref target, l.OutputRowStride));
                continue;
            }
            T.StoreInterleaved(y00, y01, ref overhang);
            MemoryMarshal.CreateReadOnlySpan(ref overhang, columns).CopyTo(MemoryMarshal.CreateSpan(ref target, columns));
            if (rows == 2)
            {
                T.StoreInterleaved(y10, y11, ref overhang);
                MemoryMarshal.CreateReadOnlySpan(ref overhang, columns).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref target, l.OutputRowStride), columns));
            }
        }
    }

    /// <summary>One register tile of a matrix product: 8 filters × 3 vectors of tiles (24 accumulators, for 32 registers), every channel.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply8x3(ref float u, ref float v, int channels, int stride, ref float m)
    {
        int width = T.Width;
        T a00 = T.Zero, a01 = T.Zero, a02 = T.Zero, a10 = T.Zero, a11 = T.Zero, a12 = T.Zero, a20 = T.Zero, a21 = T.Zero, a22 = T.Zero, a30 = T.Zero, a31 = T.Zero, a32 = T.Zero, a40 = T.Zero, a41 = T.Zero, a42 = T.Zero, a50 = T.Zero, a51 = T.Zero, a52 = T.Zero, a60 = T.Zero, a61 = T.Zero, a62 = T.Zero, a70 = T.Zero, a71 = T.Zero, a72 = T.Zero;
        for (int c = 0; c < channels; c++)
        {
            T x0 = T.Load(ref v, 0), x1 = T.Load(ref v, width), x2 = T.Load(ref v, 2 * width);
            T w;
            w = T.Broadcast(ref u, 0);
            a00 = T.MultiplyAdd(x0, w, a00);
            a01 = T.MultiplyAdd(x1, w, a01);
            a02 = T.MultiplyAdd(x2, w, a02);
            w = T.Broadcast(ref u, 1);
            a10 = T.MultiplyAdd(x0, w, a10);
            a11 = T.MultiplyAdd(x1, w, a11);
            a12 = T.MultiplyAdd(x2, w, a12);
            w = T.Broadcast(ref u, 2);
            a20 = T.MultiplyAdd(x0, w, a20);
            a21 = T.MultiplyAdd(x1, w, a21);
            a22 = T.MultiplyAdd(x2, w, a22);
            w = T.Broadcast(ref u, 3);
            a30 = T.MultiplyAdd(x0, w, a30);
            a31 = T.MultiplyAdd(x1, w, a31);
            a32 = T.MultiplyAdd(x2, w, a32);
            w = T.Broadcast(ref u, 4);
            a40 = T.MultiplyAdd(x0, w, a40);
            a41 = T.MultiplyAdd(x1, w, a41);
            a42 = T.MultiplyAdd(x2, w, a42);
            w = T.Broadcast(ref u, 5);
            a50 = T.MultiplyAdd(x0, w, a50);
            a51 = T.MultiplyAdd(x1, w, a51);
            a52 = T.MultiplyAdd(x2, w, a52);
            w = T.Broadcast(ref u, 6);
            a60 = T.MultiplyAdd(x0, w, a60);
            a61 = T.MultiplyAdd(x1, w, a61);
            a62 = T.MultiplyAdd(x2, w, a62);
            w = T.Broadcast(ref u, 7);
            a70 = T.MultiplyAdd(x0, w, a70);
            a71 = T.MultiplyAdd(x1, w, a71);
            a72 = T.MultiplyAdd(x2, w, a72);
            v = ref Unsafe.Add(ref v, stride);
            u = ref Unsafe.Add(ref u, WinogradSizes.FilterBlock);
        }
        T.Store(a00, ref m, 0);
        T.Store(a01, ref m, width);
        T.Store(a02, ref m, 2 * width);
        T.Store(a10, ref m, stride);
        T.Store(a11, ref m, stride + width);
        T.Store(a12, ref m, stride + 2 * width);
        T.Store(a20, ref m, 2 * stride);
        T.Store(a21, ref m, 2 * stride + width);
        T.Store(a22, ref m, 2 * stride + 2 * width);
        T.Store(a30, ref m, 3 * stride);
        T.Store(a31, ref m, 3 * stride + width);
        T.Store(a32, ref m, 3 * stride + 2 * width);
        T.Store(a40, ref m, 4 * stride);
        T.Store(a41, ref m, 4 * stride + width);
        T.Store(a42, ref m, 4 * stride + 2 * width);
        T.Store(a50, ref m, 5 * stride);
        T.Store(a51, ref m, 5 * stride + width);
        T.Store(a52, ref m, 5 * stride + 2 * width);
        T.Store(a60, ref m, 6 * stride);
        T.Store(a61, ref m, 6 * stride + width);
        T.Store(a62, ref m, 6 * stride + 2 * width);
        T.Store(a70, ref m, 7 * stride);
        T.Store(a71, ref m, 7 * stride + width);
        T.Store(a72, ref m, 7 * stride + 2 * width);
    }

    /// <summary>8 filters × 2 vectors of tiles (16 accumulators): a block of 17–32 tiles on AVX-512.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply8x2(ref float u, ref float v, int channels, int stride, ref float m)
    {
        int width = T.Width;
        T a00 = T.Zero, a01 = T.Zero, a10 = T.Zero, a11 = T.Zero, a20 = T.Zero, a21 = T.Zero, a30 = T.Zero, a31 = T.Zero, a40 = T.Zero, a41 = T.Zero, a50 = T.Zero, a51 = T.Zero, a60 = T.Zero, a61 = T.Zero, a70 = T.Zero, a71 = T.Zero;
        for (int c = 0; c < channels; c++)
        {
            T x0 = T.Load(ref v, 0), x1 = T.Load(ref v, width);
            T w;
            w = T.Broadcast(ref u, 0);
            a00 = T.MultiplyAdd(x0, w, a00);
            a01 = T.MultiplyAdd(x1, w, a01);
            w = T.Broadcast(ref u, 1);
            a10 = T.MultiplyAdd(x0, w, a10);
            a11 = T.MultiplyAdd(x1, w, a11);
            w = T.Broadcast(ref u, 2);
            a20 = T.MultiplyAdd(x0, w, a20);
            a21 = T.MultiplyAdd(x1, w, a21);
            w = T.Broadcast(ref u, 3);
            a30 = T.MultiplyAdd(x0, w, a30);
            a31 = T.MultiplyAdd(x1, w, a31);
            w = T.Broadcast(ref u, 4);
            a40 = T.MultiplyAdd(x0, w, a40);
            a41 = T.MultiplyAdd(x1, w, a41);
            w = T.Broadcast(ref u, 5);
            a50 = T.MultiplyAdd(x0, w, a50);
            a51 = T.MultiplyAdd(x1, w, a51);
            w = T.Broadcast(ref u, 6);
            a60 = T.MultiplyAdd(x0, w, a60);
            a61 = T.MultiplyAdd(x1, w, a61);
            w = T.Broadcast(ref u, 7);
            a70 = T.MultiplyAdd(x0, w, a70);
            a71 = T.MultiplyAdd(x1, w, a71);
            v = ref Unsafe.Add(ref v, stride);
            u = ref Unsafe.Add(ref u, WinogradSizes.FilterBlock);
        }
        T.Store(a00, ref m, 0);
        T.Store(a01, ref m, width);
        T.Store(a10, ref m, stride);
        T.Store(a11, ref m, stride + width);
        T.Store(a20, ref m, 2 * stride);
        T.Store(a21, ref m, 2 * stride + width);
        T.Store(a30, ref m, 3 * stride);
        T.Store(a31, ref m, 3 * stride + width);
        T.Store(a40, ref m, 4 * stride);
        T.Store(a41, ref m, 4 * stride + width);
        T.Store(a50, ref m, 5 * stride);
        T.Store(a51, ref m, 5 * stride + width);
        T.Store(a60, ref m, 6 * stride);
        T.Store(a61, ref m, 6 * stride + width);
        T.Store(a70, ref m, 7 * stride);
        T.Store(a71, ref m, 7 * stride + width);
    }

    /// <summary>8 filters × 1 vector of tiles (8 accumulators, one load and 8 broadcasts per channel): a block of at most one vector, every width.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply8x1(ref float u, ref float v, int channels, int stride, ref float m)
    {
        int width = T.Width;
        T a00 = T.Zero, a10 = T.Zero, a20 = T.Zero, a30 = T.Zero, a40 = T.Zero, a50 = T.Zero, a60 = T.Zero, a70 = T.Zero;
        for (int c = 0; c < channels; c++)
        {
            T x0 = T.Load(ref v, 0);
            T w;
            w = T.Broadcast(ref u, 0);
            a00 = T.MultiplyAdd(x0, w, a00);
            w = T.Broadcast(ref u, 1);
            a10 = T.MultiplyAdd(x0, w, a10);
            w = T.Broadcast(ref u, 2);
            a20 = T.MultiplyAdd(x0, w, a20);
            w = T.Broadcast(ref u, 3);
            a30 = T.MultiplyAdd(x0, w, a30);
            w = T.Broadcast(ref u, 4);
            a40 = T.MultiplyAdd(x0, w, a40);
            w = T.Broadcast(ref u, 5);
            a50 = T.MultiplyAdd(x0, w, a50);
            w = T.Broadcast(ref u, 6);
            a60 = T.MultiplyAdd(x0, w, a60);
            w = T.Broadcast(ref u, 7);
            a70 = T.MultiplyAdd(x0, w, a70);
            v = ref Unsafe.Add(ref v, stride);
            u = ref Unsafe.Add(ref u, WinogradSizes.FilterBlock);
        }
        T.Store(a00, ref m, 0);
        T.Store(a10, ref m, stride);
        T.Store(a20, ref m, 2 * stride);
        T.Store(a30, ref m, 3 * stride);
        T.Store(a40, ref m, 4 * stride);
        T.Store(a50, ref m, 5 * stride);
        T.Store(a60, ref m, 6 * stride);
        T.Store(a70, ref m, 7 * stride);
    }

    /// <summary>One register tile of a matrix product: 4 filters × 3 vectors of tiles (12 accumulators, for 16 registers), every channel.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply4x3(ref float u, ref float v, int channels, int stride, ref float m)
    {
        int width = T.Width;
        T a00 = T.Zero, a01 = T.Zero, a02 = T.Zero, a10 = T.Zero, a11 = T.Zero, a12 = T.Zero, a20 = T.Zero, a21 = T.Zero, a22 = T.Zero, a30 = T.Zero, a31 = T.Zero, a32 = T.Zero;
        for (int c = 0; c < channels; c++)
        {
            T x0 = T.Load(ref v, 0), x1 = T.Load(ref v, width), x2 = T.Load(ref v, 2 * width);
            T w;
            w = T.Broadcast(ref u, 0);
            a00 = T.MultiplyAdd(x0, w, a00);
            a01 = T.MultiplyAdd(x1, w, a01);
            a02 = T.MultiplyAdd(x2, w, a02);
            w = T.Broadcast(ref u, 1);
            a10 = T.MultiplyAdd(x0, w, a10);
            a11 = T.MultiplyAdd(x1, w, a11);
            a12 = T.MultiplyAdd(x2, w, a12);
            w = T.Broadcast(ref u, 2);
            a20 = T.MultiplyAdd(x0, w, a20);
            a21 = T.MultiplyAdd(x1, w, a21);
            a22 = T.MultiplyAdd(x2, w, a22);
            w = T.Broadcast(ref u, 3);
            a30 = T.MultiplyAdd(x0, w, a30);
            a31 = T.MultiplyAdd(x1, w, a31);
            a32 = T.MultiplyAdd(x2, w, a32);
            v = ref Unsafe.Add(ref v, stride);
            u = ref Unsafe.Add(ref u, WinogradSizes.FilterBlock);
        }
        T.Store(a00, ref m, 0);
        T.Store(a01, ref m, width);
        T.Store(a02, ref m, 2 * width);
        T.Store(a10, ref m, stride);
        T.Store(a11, ref m, stride + width);
        T.Store(a12, ref m, stride + 2 * width);
        T.Store(a20, ref m, 2 * stride);
        T.Store(a21, ref m, 2 * stride + width);
        T.Store(a22, ref m, 2 * stride + 2 * width);
        T.Store(a30, ref m, 3 * stride);
        T.Store(a31, ref m, 3 * stride + width);
        T.Store(a32, ref m, 3 * stride + 2 * width);
    }

    /// <summary>4 filters × 2 vectors of tiles (8 accumulators): a block of up to 2 vectors on AVX2 and Vector128.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply4x2(ref float u, ref float v, int channels, int stride, ref float m)
    {
        int width = T.Width;
        T a00 = T.Zero, a01 = T.Zero, a10 = T.Zero, a11 = T.Zero, a20 = T.Zero, a21 = T.Zero, a30 = T.Zero, a31 = T.Zero;
        for (int c = 0; c < channels; c++)
        {
            T x0 = T.Load(ref v, 0), x1 = T.Load(ref v, width);
            T w;
            w = T.Broadcast(ref u, 0);
            a00 = T.MultiplyAdd(x0, w, a00);
            a01 = T.MultiplyAdd(x1, w, a01);
            w = T.Broadcast(ref u, 1);
            a10 = T.MultiplyAdd(x0, w, a10);
            a11 = T.MultiplyAdd(x1, w, a11);
            w = T.Broadcast(ref u, 2);
            a20 = T.MultiplyAdd(x0, w, a20);
            a21 = T.MultiplyAdd(x1, w, a21);
            w = T.Broadcast(ref u, 3);
            a30 = T.MultiplyAdd(x0, w, a30);
            a31 = T.MultiplyAdd(x1, w, a31);
            v = ref Unsafe.Add(ref v, stride);
            u = ref Unsafe.Add(ref u, WinogradSizes.FilterBlock);
        }
        T.Store(a00, ref m, 0);
        T.Store(a01, ref m, width);
        T.Store(a10, ref m, stride);
        T.Store(a11, ref m, stride + width);
        T.Store(a20, ref m, 2 * stride);
        T.Store(a21, ref m, 2 * stride + width);
        T.Store(a30, ref m, 3 * stride);
        T.Store(a31, ref m, 3 * stride + width);
    }
}
