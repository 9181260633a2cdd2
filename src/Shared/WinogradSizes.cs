// The memory a Winograd F(2×2, 3×3) convolution needs, compiled into the generator (which plans the memory and
// emits the constants) and into the runtime library (whose kernel lays the memory out): one copy of each formula.
namespace CnnGen.Geometry;

/// <summary>
/// Sizes of the Winograd F(2×2, 3×3) kernel's memory: its transformed weights (computed once, at construction) and
/// its per-call workspace (a block of transformed input tiles and their products, in the thread's scratch).
/// </summary>
internal static class WinogradSizes
{
    /// <summary>Transform points of a tile: the 4×4 input tile is transformed to 16 values, each a separate matrix product.</summary>
    public const int Points = 16;

    /// <summary>Filters one register tile of the matrix products covers; the transformed weights are padded to a multiple of it.</summary>
    public const int FilterBlock = 8;

    /// <summary>Vectors of tiles one register tile covers (and one block of tiles holds).</summary>
    public const int BlockVectors = 3;

    /// <summary>Widest vector (floats) the kernel uses: a block holds at most <c>3 · 16</c> tiles.</summary>
    public const int MaxWidth = 16;

    /// <summary>Tiles in a block of the widest kernel.</summary>
    public const int MaxBlockTiles = BlockVectors * MaxWidth;

    /// <summary>
    /// Floats from one channel's (or filter's) row of a block's transformed tiles or products to the next: a block of
    /// the widest kernel and one vector of slack, since a block's last segment of tiles is stored as a whole vector.
    /// </summary>
    public const int BlockStride = MaxBlockTiles + MaxWidth;

    /// <summary>Floats one input row segment of a block needs: <c>2 · width + 2</c> columns for one vector of tiles.</summary>
    public const int EdgeRow = 2 * MaxWidth + 2;

    /// <summary>Transform points of an F(4×4, 3×3) tile: its 6×6 input tile is transformed to 36 values.</summary>
    public const int Points4 = 36;

    /// <summary>Floats one input row segment of a block of F(4×4, 3×3) tiles needs: <c>4 · width + 4</c> (two 4·width loads, 4 apart).</summary>
    public const int EdgeRow4 = 4 * MaxWidth + 4;

    /// <summary><paramref name="filters"/> rounded up to a multiple of <see cref="FilterBlock"/>.</summary>
    public static long PaddedFilters(int filters) => (filters + (long)FilterBlock - 1) / FilterBlock * FilterBlock;

    /// <summary>Floats of transformed weights <c>U = G·g·Gᵀ</c>, laid out <c>[16 points][filters / 8][channels][8]</c>.</summary>
    public static long TransformedLength(int filters, int channels) => Points * PaddedFilters(filters) * channels;

    /// <summary>
    /// Floats of workspace: the transformed input of one block of tiles <c>[16][channels][64]</c>, the products of one
    /// group of filters <c>[16][8][64]</c> (rows of <see cref="BlockStride"/>, each point a vector more), four zero-extended input rows for
    /// tiles at the input's end, and two output rows for tiles that overhang the map.
    /// </summary>
    public static long WorkspaceLength(int channels) =>
        (long)Points * (BlockStride * (channels + FilterBlock) + 2 * MaxWidth) + 4 * EdgeRow + 2 * 2 * MaxWidth;

    /// <summary>Floats of F(4×4, 3×3) transformed weights <c>U = G·g·Gᵀ</c>, laid out <c>[36 points][filters / 8][channels][8]</c>.</summary>
    public static long TransformedLength4(int filters, int channels) => Points4 * PaddedFilters(filters) * channels;

    /// <summary>
    /// Floats of F(4×4, 3×3) workspace: the transformed input of one block <c>[36][channels][64]</c>, the products of
    /// one group of filters <c>[36][8][64]</c> (each point a vector more), the row transforms of one channel or filter
    /// (<c>36</c> vectors), six zero-extended input rows for tiles at the input's end, and an output row for tiles
    /// that overhang the map.
    /// </summary>
    public static long WorkspaceLength4(int channels) =>
        (long)Points4 * (BlockStride * (channels + FilterBlock) + 2 * MaxWidth) + Points4 * MaxWidth + 6 * EdgeRow4 + 4 * MaxWidth;
}
