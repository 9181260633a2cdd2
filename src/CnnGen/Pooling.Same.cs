using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnGen.Internal;

namespace CnnGen;

/// <content>
/// Stride-1 pools that keep the map's size ("same" pools: Inception's 3×3 averages, GoogLeNet's 3×3 and YOLO's SPPF 5×5
/// max pools) on small dense planes, each plane folded as one flat row of floats.
/// </content>
public static partial class Pooling
{
    /// <summary>The largest plane (floats) <see cref="SamePlanes{T, TFold}"/> takes: its copies and masks stay in the L1 cache.</summary>
    private const int SamePlaneLimit = 1600;

    /// <summary>
    /// Whether <see cref="SamePlanes{T, TFold}"/> runs the pool: stride 1, output as large as the input, rows stored back
    /// to back in the input and the output (each plane one flat row), a plane of at least <see cref="SamePlaneVectors"/> vectors and at most
    /// <see cref="SamePlaneLimit"/> floats, and rows narrower than <see cref="SameWidthLimit"/>, where the row-at-a-time
    /// kernel's last vector of each row is mostly repeated work.
    /// </summary>
    private static bool Same(in PoolShape s, int vector) =>
        s.StrideX == 1 && s.StrideY == 1
            && s.OutputWidth == s.InputWidth && s.OutputHeight == s.InputHeight
            && s.InputRowStride == s.InputWidth && s.OutputRowStride == s.OutputWidth
            && s.PadLeft >= 0 && s.PadLeft < s.KernelWidth && s.PadTop >= 0 && s.PadTop < s.KernelHeight
            && s.InputWidth < SameWidthLimit
            && s.InputWidth * s.InputHeight >= (vector == 8 ? SamePlaneVectors8 : SamePlaneVectors) * vector && s.InputWidth * s.InputHeight <= SamePlaneLimit
            && s.KernelWidth * s.InputWidth * s.InputHeight <= 4 * SamePlaneLimit;

    /// <summary>Rows at least this wide keep the row-at-a-time kernel (<see cref="Same"/>).</summary>
    private const int SameWidthLimit = 48;

    /// <summary>
    /// The fewest vectors a plane fills for <see cref="Same"/>: below it the per-plane work (the border rows' copies, three
    /// loops) outweighs the row ends saved (8×8×1280 average 3×3/1: 25.4 µs emitted, 30.5–34.6 flat).
    /// </summary>
    private const int SamePlaneVectors = 8;

    /// <summary>
    /// <see cref="SamePlaneVectors"/> for AVX2's 8-float vectors: 6, so that GoogLeNet's 7×7 planes (49 floats) fold flat
    /// rather than a row per register (<see cref="SmallPlanes8{TFold}"/>, whose loops over the window's rows and columns
    /// are not unrolled). Measured with AVX-512 disabled (throwaway probe, the runtime before and after in one process,
    /// alternating, best of 40 × 5 ms, load 15–25): 3×3/1 with padding 1 on 7×7×832, max 53.7 → 26.5 µs, average
    /// 62.2 → 25.9 (on AVX-512 the same pools take 20.1 and 21.3).
    /// </summary>
    private const int SamePlaneVectors8 = 6;

    /// <summary>
    /// A same-size stride-1 pool, plane by plane, each plane read as one flat row of <c>InputWidth · InputHeight</c>
    /// floats so that no vector is spent on the end of a row (17 columns took two 16-float vectors a row): its columns
    /// are folded top to bottom at every flat position (a window's rows lie a row's length apart), then each output
    /// folds its window's columns left to right from that row of column results, a column outside the input replaced by
    /// the fold's outside value (0 or −∞) through a mask computed once per call (the flat neighbour of a row's first
    /// column is the row before's last). The vectors whose window rows are all inside the plane read it directly; the
    /// first and last few read a copy of the plane's first and last rows between rows of the outside value. The same
    /// folds in the same order as <see cref="SeparablePlanes{T, TW, TH, TFold, TPick}"/>, so the max pool's NaN rule is
    /// unchanged; an average is scaled once by the reciprocal of its counted elements.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    private static void SamePlanes<T, TW, TH, TFold>(in PoolShape s, ref float input, ref float output)
        where T : struct, IWinogradLanes<T>
        where TW : struct, ISize
        where TH : struct, ISize
        where TFold : struct, IFold
    {
        int width = s.InputWidth, height = s.InputHeight, area = width * height;
        int kernelWidth = TW.Value > 0 ? TW.Value : s.KernelWidth, kernelHeight = TH.Value > 0 ? TH.Value : s.KernelHeight;
        int padLeft = s.PadLeft, padTop = s.PadTop;
        int vector = T.Width, last = area - vector;
        // Flat positions from which a vector's window rows all lie in the plane: [inside, outside) (maybe empty).
        int inside = padTop * width, outside = area - vector - (kernelHeight - 1 - padTop) * width;
        // The plane's floats the other vectors read: its first `head` and its last from `tail` on.
        int head = System.Math.Min(area, vector + (kernelHeight - 1) * width), tail = System.Math.Max(0, area - head);
        // The copies and the column results are stored on 64-byte boundaries (AlignedStart): no store splits a cache line.
        System.Span<float> borderedSpace = stackalloc float[area + (kernelHeight - 1) * width + 15];
        System.Span<float> columnSpace = stackalloc float[area + kernelWidth - 1 + 15];
        System.Span<float> bordered = borderedSpace.Slice(AlignedStart(borderedSpace, padTop * width), area + (kernelHeight - 1) * width);
        System.Span<float> columns = columnSpace.Slice(AlignedStart(columnSpace, padLeft), area + kernelWidth - 1);
        System.Span<int> masks = stackalloc int[kernelWidth * area];
        System.Span<float> scales = stackalloc float[TFold.Scales ? area : 1];
        bordered.Fill(TFold.Outside);
        columns[..padLeft].Fill(TFold.Outside);
        columns[(padLeft + area)..].Fill(TFold.Outside);
        for (int i = 0; i < area; i++)
        {
            int x = i % width, y = i / width;
            for (int kx = 0; kx < kernelWidth; kx++)
            {
                int ix = x - padLeft + kx;
                masks[kx * area + i] = ix >= 0 && ix < width ? -1 : 0;
            }
            if (TFold.Scales)
            {
                int rows = System.Math.Min(y - padTop + kernelHeight, height + s.CountedBottom) - System.Math.Max(y - padTop, -s.CountedTop);
                int counted = System.Math.Min(x - padLeft + kernelWidth, width + s.CountedRight) - System.Math.Max(x - padLeft, -s.CountedLeft);
                scales[i] = rows > 0 && counted > 0 ? 1f / (rows * counted) : 0f;
            }
        }
        T outsideValue = T.Create(TFold.Outside);
        ref float interior = ref bordered[padTop * width];
        ref float borderedRow = ref bordered[0];
        ref float columnRow = ref columns[0];
        ref float mask = ref Unsafe.As<int, float>(ref masks[0]);
        ref float scale = ref scales[0];
        nint inputPlaneStride = s.InputPlaneStride, outputPlaneStride = s.OutputPlaneStride;
        for (int c = 0; c < s.Channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, c * inputPlaneStride);
            ref float outputPlane = ref Unsafe.Add(ref output, c * outputPlaneStride);
            ref float planeTop = ref Unsafe.Add(ref plane, -(nint)inside); // the plane's row −PadTop (read only inside)
            // The plane's first and last floats between their border rows (the last vector of each overlapping the one before).
            Copy<T>(ref plane, ref interior, 0, head);
            Copy<T>(ref plane, ref interior, tail, area);
            // Down the columns: at every flat position, the window's rows top to bottom (a row's length apart).
            for (int i = 0; ; i += vector)
            {
                int at = System.Math.Min(i, last);
                ref float top = ref at >= inside && at < outside ? ref planeTop : ref borderedRow;
                T sum = outsideValue;
                for (int ky = 0; ky < kernelHeight; ky++)
                {
                    sum = TFold.Fold(sum, T.Load(ref top, at + ky * width));
                }
                T.Store(sum, ref columnRow, padLeft + at);
                if (at == last)
                {
                    break;
                }
            }
            // Across: each output's window of column results left to right, a column outside the input masked out.
            for (int i = 0; ; i += vector)
            {
                int at = System.Math.Min(i, last);
                T sum = T.Select(T.Load(ref mask, at), T.Load(ref columnRow, at), outsideValue);
                for (int kx = 1; kx < kernelWidth; kx++)
                {
                    sum = TFold.Fold(sum, T.Select(T.Load(ref mask, kx * area + at), T.Load(ref columnRow, at + kx), outsideValue));
                }
                if (TFold.Scales)
                {
                    sum = T.MultiplyAdd(sum, T.Load(ref scale, at), T.Zero);
                }
                T.Store(sum, ref outputPlane, at);
                if (at == last)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Floats <paramref name="start"/> to <paramref name="end"/> (at least a vector) of <paramref name="source"/> to the same places of <paramref name="destination"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy<T>(ref float source, ref float destination, int start, int end)
        where T : struct, IWinogradLanes<T>
    {
        int last = end - T.Width;
        for (int j = start; ; j += T.Width)
        {
            int at = System.Math.Min(j, last);
            T.Store(T.Load(ref source, at), ref destination, at);
            if (at == last)
            {
                break;
            }
        }
    }

    /// <summary><see cref="SamePlanes{T, TW, TH, TFold}"/> with the window's size known to the JIT when it is 3×3 or 5×5.</summary>
    private static void SamePlanes<T, TFold>(in PoolShape s, ref float input, ref float output)
        where T : struct, IWinogradLanes<T>
        where TFold : struct, IFold
    {
        switch (s.KernelWidth * 8 + s.KernelHeight)
        {
            case 3 * 8 + 3:
                SamePlanes<T, Three, Three, TFold>(s, ref input, ref output);
                break;
            case 5 * 8 + 5:
                SamePlanes<T, Five, Five, TFold>(s, ref input, ref output);
                break;
            default:
                SamePlanes<T, AnyWidth, AnyWidth, TFold>(s, ref input, ref output);
                break;
        }
    }

    /// <summary>A window of 5 (YOLO's SPPF).</summary>
    private readonly struct Five : ISize
    {
        public static int Value => 5;
    }

    /// <summary>
    /// Runs <see cref="SamePlanes{T, TFold}"/> on the widest vectors the plane fills, if <see cref="Same"/> takes the pool
    /// with vectors at least as wide as the row-at-a-time kernel's (a 40-wide row: three 16-float vectors a row there, ten
    /// 4-float vectors a plane here).
    /// </summary>
    private static bool TrySame<TFold>(in PoolShape s, ref float input, ref float output)
        where TFold : struct, IFold
    {
        bool wide = Vector512.IsHardwareAccelerated && Avx512F.IsSupported, avx2 = Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported;
        int row = s.InputWidth;
        if (wide && Same(s, 16))
        {
            SamePlanes<WinogradLanes16, TFold>(s, ref input, ref output);
            return true;
        }
        if (avx2 && Same(s, 8) && !(wide && row >= 16))
        {
            SamePlanes<WinogradLanes8, TFold>(s, ref input, ref output);
            return true;
        }
        if (Vector128.IsHardwareAccelerated && Same(s, 4) && !(wide && row >= 16) && !(avx2 && row >= 8))
        {
            SamePlanes<WinogradLanes4, TFold>(s, ref input, ref output);
            return true;
        }
        return false;
    }
}
