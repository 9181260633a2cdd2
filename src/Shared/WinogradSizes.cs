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

    /// <summary>Vectors of tiles one register tile covers (and one block of F(4×4, 3×3) tiles holds).</summary>
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

    /// <summary>
    /// Vectors of tiles in one block of an F(2×2, 3×3) layer of more than <see cref="ManyChannels"/> input channels: two
    /// register tiles' worth (split 3 + 3, 3 + 2, 2 + 2), the second reading each group of transformed weights from L1
    /// after the first. With that many channels the transformed weights outgrow L2 (16 MB at 512 → 512) and are
    /// streamed from L3 once per block: blocks of 96 tiles halve that against 48 (a 14×14 map's 49 tiles in one block
    /// instead of two). Measured on one thread (CPU time, best and median of 15 × 50 ms, against ONNX Runtime in the same
    /// process, at load 35–55), with <see cref="FilterGroup"/> 8: 14×14×512 → 512 0.83–0.88× → 1.07–1.15×,
    /// 28×28×512 → 512 1.15–1.23× → 1.33–1.41×; 64 and 128 channels unchanged (1.6–1.8×), so fewer channels keep
    /// blocks of <see cref="BlockVectors"/> and their smaller workspace. Both changes against the kernel before them, run
    /// in alternation (best/median ratio, two runs each, load 65–82): 28×28×256 → 512 0.86/0.85, 1.01/0.77 →
    /// 1.14/1.12, 1.11/1.04; 56×56×256 → 256 1.18/1.09, 1.21/0.96 → 1.60/1.21, 1.53/1.21; 14×14×512 → 512
    /// 0.95/0.84, 0.85/0.81 → 1.03/0.99, 0.99/0.93; 28×28×512 → 512 about even (1.08–1.23 best); 14×14×256 → 256
    /// even within the noise (1.21/1.15, 1.26/0.86 → 0.99/0.93, 1.28/0.94).
    /// </summary>
    public const int WideBlockVectors = 2 * BlockVectors;

    /// <summary>Input channels above which an F(2×2, 3×3) layer takes <see cref="WideBlockVectors"/> and a <see cref="FilterGroup"/> of 64.</summary>
    public const int ManyChannels = 128;

    /// <summary>Vectors of tiles in one block of an F(2×2, 3×3) layer of <paramref name="channels"/> input channels.</summary>
    public static int BlockVectorsFor(int channels) => channels > ManyChannels ? WideBlockVectors : BlockVectors;

    /// <summary>Floats from one channel's (or filter's) row of an F(2×2, 3×3) block to the next: its vectors of the widest kernel and one of slack.</summary>
    public static int BlockStrideFor(int channels) => (BlockVectorsFor(channels) + 1) * MaxWidth;

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
    /// Floats of workspace: the transformed input of one block of tiles <c>[16][channels][stride]</c>, the products of one
    /// group of filters <c>[16][FilterGroup][stride]</c> (rows of <see cref="BlockStrideFor"/>: 64 or 112 floats, each point a vector more), four zero-extended input rows for
    /// tiles at the input's end, and two output rows for tiles that overhang the map.
    /// </summary>
    public static long WorkspaceLength(int channels) =>
        (long)Points * (BlockStrideFor(channels) * ((long)channels + FilterGroup(channels)) + 2 * MaxWidth) + 4 * EdgeRow + 2 * 2 * MaxWidth;

    /// <summary>
    /// Filters whose products an F(2×2, 3×3) block computes before their output transform (a multiple of
    /// <see cref="FilterBlock"/>): the kernel runs, per transform point, every group of 8 filters of it, so the point's
    /// transformed input (<c>channels × 112</c> floats above 128 channels) is read once from L2 or L3 and then from L1/L2 for the next groups.
    /// With 8 (one group) the block's whole transformed input (16 points: 3.7 MB at 512 channels) is read again for every 8
    /// filters, which once it outgrows L2 (above 128 channels) comes from L3; 64 filters' products take 16 · 64 · 112 floats
    /// (459 KB). Up to 128 channels 8, 32 and 64 measured alike (1.6–1.8× ONNX Runtime at 64 and 128 channels); at 256
    /// channels 8 lost (28×28×256 → 512 1.09–1.18× against 1.35–1.44× with 64, 56×56×256 → 256 1.41–1.46× against 1.65–1.69×).
    /// </summary>
    public static int FilterGroup(int channels) => channels > ManyChannels ? 64 : FilterBlock;

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
