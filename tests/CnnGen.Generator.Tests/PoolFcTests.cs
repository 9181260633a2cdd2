using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The runtime library's separable max pool (<c>CnnGen.Pooling.MaxStride2</c>), its separable average and max pools of
/// any window and stride (<c>CnnGen.Pooling.Average</c>, <c>CnnGen.Pooling.Maximum</c>) and the fully connected kernels at
/// batch 1, against the independent reference. Sizes reach every path: output rows of 16 or more (AVX-512, with an
/// overlapping last vector), 8 to 15 (AVX2), 4 to 7 (128-bit vectors), exactly 3 (one 128-bit vector stored as 2 + 1)
/// and 1 or 2 (scalar); windows 3×3, 2×2, 3×2 and 2×3; padding (the −∞ border), ceil mode, vertical strides 1 to 3,
/// output rows in pairs (3-row windows at vertical stride 2 on AVX-512) with and without a last odd row, odd maps and
/// channel counts; fully connected widths and input lengths that are not multiples of 16 or of the rows per pass, and
/// every part of the blocked layout (blocks of 128, panels of 16, the rows after the last panel; folded BatchNorm, PRelu
/// and SiLU around a repacked layer). <see cref="InstructionSetTests"/> reruns them without AVX-512, without AVX2, and
/// without vectors.
/// </summary>
public sealed class PoolFcTests
{
    private const string Namespace = "PoolFc";

    private static RefPool Max(int kw, int kh, int stride = 2, int strideY = 2, int pad = 0, bool ceil = false) =>
        new(true, kw, kh, stride, strideY) { PadLeft = pad, PadTop = pad, PadRight = pad, PadBottom = pad, CeilMode = ceil };

    private static RefPool Avg(int kw, int kh, int stride = 1, int strideY = 1, int pad = 0, bool ceil = false, bool exclude = false) =>
        new(false, kw, kh, stride, strideY) { PadLeft = pad, PadTop = pad, PadRight = pad, PadBottom = pad, CeilMode = ceil, ExcludePadding = exclude };

    /// <summary>A 3×3 conv with padding 1 (the same size out as in) to <paramref name="filters"/> channels.</summary>
    private static RefConv Conv3(int filters) => new(3, 3, filters) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 };

    private static ReferenceNetwork Net(int w, int h, int c, params RefLayer[] layers) => new(new RefShape(w, h, c), layers);

    /// <summary>The networks, by name.</summary>
    public static readonly (string Name, Func<ReferenceNetwork> Create)[] Checked =
    {
        // 3×3 stride 2 on small odd maps: 7×7 → 3×3 (AlexNet features.5), 7×7 ceil (SqueezeNet features.8), 13×13 → 6×6, 15×15 ceil → 7×7.
        ("Pool7", () => Net(7, 7, 5, Max(3, 3))),
        ("Pool7Ceil", () => Net(7, 7, 3, Max(3, 3, ceil: true))),
        ("Pool8Ceil", () => Net(8, 8, 3, Max(3, 3, ceil: true))),
        ("Pool13", () => Net(13, 13, 3, Max(3, 3))),
        ("Pool15Ceil", () => Net(15, 15, 6, Max(3, 3, ceil: true))),
        // Padding 1 (ResNet's stem pool, its −∞ border) on a wide map: 20 outputs (16 + an overlapping 16; AVX2 8 + 8 + 8).
        ("Pool40Padded", () => Net(40, 9, 3, Max(3, 3, pad: 1))),
        // Padding and ceil mode together, 18 outputs per row; a conv + ReLU before it writes into the bordered buffer.
        ("Pool35PaddedCeil", () => Net(35, 9, 2, new RefConv(3, 3, 2) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefRelu(), Max(3, 3, pad: 1, ceil: true))),
        // Outputs 1 and 2 wide (the per-layer kernels), 5 wide (Vector128 + overlap), exactly 16 and 8.
        ("Pool3", () => Net(3, 3, 4, Max(3, 3))),
        ("Pool5", () => Net(5, 6, 3, Max(3, 3))),
        ("Pool11", () => Net(11, 5, 2, Max(3, 3))),
        ("Pool33", () => Net(33, 4, 2, Max(3, 3))),
        ("Pool17", () => Net(17, 4, 2, Max(3, 3))),
        // 2×2 stride 2 (VGG): 17 outputs, 3 (the per-layer kernels: narrower than 4), 5; odd input width.
        ("Pool2x2Wide", () => Net(34, 6, 3, Max(2, 2))),
        ("Pool2x2Narrow", () => Net(6, 6, 3, Max(2, 2))),
        ("Pool2x2Odd", () => Net(11, 5, 3, Max(2, 2))),
        // Output rows in pairs sharing an input row (3 rows at vertical stride 2, AVX-512): an even output height with
        // padding (8 rows of 34), an odd one with ceil mode (4 pairs and a last row of 17), exactly 2 rows, and 2×3 stride (2, 2).
        ("Pool68PaddedPairs", () => Net(68, 16, 3, Max(3, 3, pad: 1))),
        ("Pool35CeilPairs", () => Net(35, 19, 2, Max(3, 3, ceil: true))),
        ("Pool33TwoRows", () => Net(33, 5, 2, Max(3, 3))),
        ("Pool2x3Pairs", () => Net(39, 11, 3, Max(2, 3))),
        // The pool reads its input as it is, clipping its windows (no −∞-bordered copy): padding on rows too narrow for
        // any vector (5 outputs, the last past the right edge), rows of 8 inner outputs (AVX2) with a clipped last row,
        // padding with ceil mode past the right and bottom edges (17 inner outputs: AVX-512), 2×2 windows with padding.
        ("Pool9Padded", () => Net(9, 9, 3, Max(3, 3, pad: 1))),
        ("Pool18x7Padded", () => Net(18, 7, 3, Max(3, 3, pad: 1))),
        ("Pool36PaddedCeil", () => Net(36, 8, 2, Max(3, 3, pad: 1, ceil: true))),
        ("Pool2x2Padded", () => Net(20, 6, 3, Max(2, 2, pad: 1))),
        ("Pool3x2PaddedStride1", () => Net(40, 5, 2, Max(3, 2, strideY: 1, pad: 1))),
        // One column of padding on the left with at least 16 outputs whose windows end inside the input: the first
        // vector of each row starts at output 0 (AVX-512: column −1 shifted in as −∞): exactly 16 outputs (that vector
        // only; paired rows, a clipped top row), 17 (and an overlapping one; a clipped bottom row), 17 in ceil mode (the
        // last past the right edge), 2×2 windows (16 outputs of a 31-wide row) and 3×2 windows at vertical stride 1.
        ("Pool32PaddedLeft", () => Net(32, 32, 3, Max(3, 3, pad: 1))),
        ("Pool34x11PaddedLeft", () => Net(34, 11, 2, Max(3, 3, pad: 1))),
        ("Pool33PaddedCeilLeft", () => Net(33, 7, 2, Max(3, 3, pad: 1, ceil: true))),
        ("Pool2x2PaddedLeft", () => Net(31, 5, 3, Max(2, 2, pad: 1))),
        ("Pool3x2PaddedLeftStride1", () => Net(32, 4, 2, Max(3, 2, strideY: 1, pad: 1))),
        // Rows of 24 outputs or more whose windows leave the input keep MaxStride2's clipped rows (narrower ones take
        // CnnGen.Pooling.Maximum, above): padding with ceil mode (27 outputs, the last past the right edge), 2×2 windows
        // with padding (26), 3×2 at vertical stride 1 (26), and GoogLeNet's unpadded ceil-mode pool (56 outputs, the last
        // window past the right edge, the last row past the bottom).
        ("Pool52PaddedCeil", () => Net(52, 9, 2, Max(3, 3, pad: 1, ceil: true))),
        ("Pool2x2Padded50", () => Net(50, 6, 3, Max(2, 2, pad: 1))),
        ("Pool3x2PaddedStride1Wide", () => Net(52, 5, 2, Max(3, 2, strideY: 1, pad: 1))),
        ("Pool112Ceil", () => Net(112, 8, 2, Max(3, 3, ceil: true))),
        // A conv (+ ReLU) before the pool writes straight into its −∞-bordered buffer, and the pool reads every window
        // whole from it: 32×32 (ResNet-18@64's stem pool, 16 outputs), odd sizes (17×9: 9 outputs, no vector row), 2×3
        // windows at vertical stride 3 with padding, ceil mode with padding (35 wide: 18 outputs), and no padding at
        // all (no border: the pool reads the conv's dense output).
        ("ConvPool32Padded", () => Net(32, 32, 3, Conv3(4), new RefRelu(), Max(3, 3, pad: 1))),
        ("ConvPool17x9Padded", () => Net(17, 9, 2, Conv3(3), new RefRelu(), Max(3, 3, pad: 1))),
        ("ConvPool2x3Stride3Padded", () => Net(37, 13, 2, Conv3(2), Max(2, 3, strideY: 3, pad: 1))),
        ("ConvPool35PaddedCeil", () => Net(35, 12, 2, Conv3(2), new RefRelu(), Max(3, 3, pad: 1, ceil: true))),
        ("ConvPool15", () => Net(15, 15, 2, Conv3(3), new RefRelu(), Max(3, 3))),
        // Mixed windows and vertical strides: 3×2 stride (2, 1), 2×3 stride (2, 3).
        ("Pool3x2", () => Net(21, 6, 2, Max(3, 2, strideY: 1))),
        ("Pool2x3", () => Net(19, 10, 2, Max(2, 3, strideY: 3))),
        // A fused activation after the pool: the per-layer kernels (not the runtime library's).
        ("PoolRelu", () => Net(15, 15, 3, Max(3, 3), new RefRelu6())),
        // Average pools on the runtime library's kernel (CnnGen.Pooling.Average, windows clipped at the edges, no border):
        // padded rows of 24 or more (AVX-512: 35 = 16 + 16 + an overlapping 16), the divisor counting padding or not;
        // excluding padding on rows of 1–3 (scalar), 4–7 (128-bit), 8–15 (AVX2) and 16+; stride 2 (even lanes of two
        // vectors) with padding and ceil mode; stride 3 (one sum at a time); 2×2, 3×3 and 5×4 windows (the last of
        // a width the JIT does not know); asymmetric padding; a conv before it writing a plain buffer; and a row of 1
        // (audio), 40 wide.
        ("Avg35Padded", () => Net(35, 7, 3, Avg(3, 3, pad: 1))),
        ("Avg35PaddedExcluded", () => Net(35, 6, 2, Avg(3, 3, pad: 1, exclude: true))),
        ("Avg3Excluded", () => Net(3, 3, 2, Avg(3, 3, pad: 1, exclude: true))),
        ("Avg6Excluded", () => Net(6, 5, 2, Avg(3, 3, pad: 1, exclude: true))),
        ("Avg11Excluded", () => Net(11, 4, 3, Avg(3, 3, pad: 1, exclude: true))),
        ("Avg17Excluded", () => Net(17, 17, 2, Avg(3, 3, pad: 1, exclude: true))),
        ("Avg37Stride2Ceil", () => Net(37, 9, 2, Avg(3, 3, stride: 2, strideY: 2, pad: 1, ceil: true))),
        ("Avg40Stride2Excluded", () => Net(40, 8, 2, Avg(2, 2, stride: 2, strideY: 2, pad: 1, exclude: true))),
        ("Avg50Stride3", () => Net(50, 7, 2, Avg(3, 3, stride: 3, strideY: 3, pad: 1))),
        ("Avg29Window5x4", () => Net(29, 9, 2, Avg(5, 4, strideY: 2, pad: 2, exclude: true))),
        ("Avg30Asymmetric", () => Net(30, 6, 2, new RefPool(false, 3, 2, 1, 1) { PadLeft = 2, PadTop = 0, PadRight = 0, PadBottom = 1, ExcludePadding = true })),
        ("ConvAvg33Padded", () => Net(33, 8, 3, Conv3(4), new RefRelu(), Avg(3, 3, pad: 1))),
        ("Avg40Row", () => Net(40, 1, 3, new RefPool(false, 5, 1, 2, 1) { PadLeft = 2, PadRight = 2, ExcludePadding = true })),
        // Max pools on the same runtime kernel (CnnGen.Pooling.Maximum): YOLO's SPPF 5×5 stride 1 padding 2 (a window of
        // 16+ taps, on a 20-wide row: AVX2), 3×3 stride 1 padding 1 on rows of 30 (AVX-512 + overlap), 3×3 stride 3 with
        // ceil mode (window results at every column, then every third), 1-D 4/4 (M5), 3×3 stride 1 padding 1
        // on 2-wide rows (scalar), and stride 3 with padding on 7-wide rows (128-bit).
        ("MaxSppf20", () => Net(20, 20, 3, Max(5, 5, stride: 1, strideY: 1, pad: 2))),
        ("Max30Stride1Padded", () => Net(30, 9, 2, Max(3, 3, stride: 1, strideY: 1, pad: 1))),
        ("Max28Stride3Ceil", () => Net(28, 13, 2, Max(3, 3, stride: 3, strideY: 3, ceil: true))),
        ("Max1dStride4", () => Net(102, 1, 3, Max(4, 1, stride: 4, strideY: 1))),
        ("Max2Stride1Padded", () => Net(2, 4, 2, Max(3, 3, stride: 1, strideY: 1, pad: 1))),
        ("Max20Stride3Padded", () => Net(20, 8, 2, Max(3, 3, stride: 3, strideY: 2, pad: 1))),
        // Windows of 4 at stride 4 (the window's columns unzipped from 4 vectors): 1-D rows of 999 (249 outputs, the last
        // input left out), 45 (11 outputs: AVX2 + overlap), 22 (5: 128-bit + overlap) and 14 (3: scalar); 4×4 windows at
        // stride (4, 4) with padding and ceil mode (2-D, clipped at every edge); an average 4/4 excluding padding.
        ("Max1dStride4Long", () => Net(999, 1, 3, Max(4, 1, stride: 4, strideY: 1))),
        ("Max1dStride4Avx2", () => Net(45, 1, 2, Max(4, 1, stride: 4, strideY: 1))),
        ("Max1dStride4Vector128", () => Net(22, 1, 2, Max(4, 1, stride: 4, strideY: 1))),
        ("Max1dStride4Scalar", () => Net(14, 1, 2, Max(4, 1, stride: 4, strideY: 1))),
        ("Max4x4Stride4PaddedCeil", () => Net(70, 11, 2, Max(4, 4, stride: 4, strideY: 4, pad: 1, ceil: true))),
        // Windows of 3 and 2 at stride 2 on the separable kernel (windows MaxStride2 does not take; padded rows of 24 or
        // more), even and odd columns unzipped: a 1-D row of 101 with padding (51 outputs) and 2×4 windows on rows of 45.
        ("Max1dWindow3Stride2", () => Net(101, 1, 2, new RefPool(true, 3, 1, 2, 1) { PadLeft = 1, PadRight = 1 })),
        ("Max2x4Stride2", () => Net(45, 13, 2, Max(2, 4, stride: 2, strideY: 3, pad: 1))),
        ("Avg1dStride4Excluded", () => Net(67, 1, 2, new RefPool(false, 4, 1, 4, 1) { PadLeft = 2, PadRight = 2, ExcludePadding = true })),
        // Same-size stride-1 pools folded as flat planes (CnnGen.Pooling's SamePlanes, planes of 8 vectors or more; the
        // rows above of 20, 30 (AVX2 on AVX-512 machines), 35, 17 and 11 columns take it too): planes of 32 floats
        // (128-bit), 128 (8 AVX-512 vectors), 1600 (the limit) and rows of 47 (the widest); a 7×7 and a 5×3 window (sizes
        // the JIT does not know) and 5×5 on 9 rows (every vector near a border row); a 1-D window; a pool writing into the
        // bordered input of a padded conv (rows not back to back: the row-at-a-time kernel).
        ("AvgSame8x4Plane", () => Net(8, 4, 3, Avg(3, 3, pad: 1, exclude: true))),
        ("MaxSame16x8Plane", () => Net(16, 8, 2, Max(3, 3, stride: 1, strideY: 1, pad: 1))),
        ("AvgSame40x40", () => Net(40, 40, 2, Avg(3, 3, pad: 1, exclude: true))),
        ("MaxSame47x3", () => Net(47, 3, 2, Max(3, 3, stride: 1, strideY: 1, pad: 1))),
        ("MaxSame7x7Window", () => Net(12, 12, 2, Max(7, 7, stride: 1, strideY: 1, pad: 3))),
        ("AvgSame5x3Window", () => Net(13, 9, 2, new RefPool(false, 5, 3, 1, 1) { PadLeft = 2, PadTop = 1, PadRight = 2, PadBottom = 1 })),
        ("MaxSame5x5Short", () => Net(23, 9, 2, Max(5, 5, stride: 1, strideY: 1, pad: 2))),
        ("AvgSame1d", () => Net(40, 1, 2, new RefPool(false, 3, 1, 1, 1) { PadLeft = 1, PadRight = 1, ExcludePadding = true })),
        ("MaxSameThenConv", () => Net(17, 17, 2, Max(3, 3, stride: 1, strideY: 1, pad: 1), Conv3(3))),
        // Narrow planes a row per register (CnnGen.Pooling's SmallPlanes on AVX-512; rows of up to 8 outputs stored back to
        // back two per vector): GoogLeNet's auxiliary 5×5/3 average (4 outputs a row), 5×5/3 with padding 2 excluding it
        // on rows of 20 (two input vectors, padding from an outside lane), 3×3/1 with padding 1 on 7×7 (max and average,
        // an odd last row; emitted kernels before) and 13×13 (8 + an overlapping 8 stored), 20 outputs a row (two output
        // vectors) written into a padded conv's bordered input (rows not back to back: no pairs), the same on 7×7,
        // stride 3 in ceil mode (the last window past the right and bottom edges), a 7×3 window (a width the JIT does not
        // know) and VGG's 2×2/2 of 4×4 (2 outputs a row).
        ("AvgNarrowStride3", () => Net(14, 14, 5, Avg(5, 5, stride: 3, strideY: 3))),
        ("AvgNarrowStride3PaddedExcluded", () => Net(20, 20, 3, Avg(5, 5, stride: 3, strideY: 3, pad: 2, exclude: true))),
        ("MaxNarrow7Padded", () => Net(7, 7, 5, Max(3, 3, stride: 1, strideY: 1, pad: 1))),
        ("AvgNarrow7Padded", () => Net(7, 7, 3, Avg(3, 3, pad: 1))),
        ("MaxNarrow13Padded", () => Net(13, 13, 3, Max(3, 3, stride: 1, strideY: 1, pad: 1))),
        ("MaxNarrow20ThenConv", () => Net(20, 6, 2, Max(3, 3, stride: 1, strideY: 1, pad: 1), Conv3(3))),
        ("MaxNarrow7ThenConv", () => Net(7, 7, 3, Max(3, 3, stride: 1, strideY: 1, pad: 1), Conv3(2))),
        ("MaxNarrowStride3Ceil", () => Net(10, 10, 3, Max(3, 3, stride: 3, strideY: 3, ceil: true))),
        ("AvgNarrowWindow7", () => Net(9, 4, 2, new RefPool(false, 7, 3, 1, 1) { PadLeft = 3, PadTop = 1, PadRight = 3, PadBottom = 1 })),
        ("MaxNarrow2x2", () => Net(4, 4, 5, Max(2, 2))),
        // On AVX2 (SmallPlanes8), input rows of 9 to 16 in two vectors, each window column gathered from both: the 5×5/3
        // average of 14×14 above, a 3×3/2 max with padding 1 on 15×11 (8 outputs a row, the first window's left column
        // outside, the last plane's rows loaded ending at their last column) and a 4×2/2 average excluding padding 1 on
        // 12×7 (6 outputs a row, windows across the two vectors).
        ("MaxNarrow15Stride2Padded", () => Net(15, 11, 3, Max(3, 3, stride: 2, strideY: 2, pad: 1))),
        ("AvgNarrow12Window4", () => Net(12, 7, 2, new RefPool(false, 4, 2, 2, 2) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, ExcludePadding = true })),
        // Horizontal strides above 2 on rows long enough for the permute pick (CnnGen.Pooling's StridedRow: 25+ outputs on
        // AVX-512, 13+ on AVX2 and on AVX-512 rows under 16): a 3×3/3 average with padding on 27 outputs, a 2×2/3 max on 14
        // and a 3×3/3 (stride 2 down) on 15 (8 lanes), 1-D 6/3 with padding, 7/5 excluding padding in ceil mode (three pairs
        // of sources) and a 4/7 max (four), a 3×3/4 average on 25 outputs, a 2×2 max at strides 4 and 2 on 15 (four 8-lane
        // sources); and an average of 7×7 taps at stride 1 (16+ taps: the separable pool, emitted kernels before).
        ("AvgStride3Wide", () => Net(80, 5, 3, Avg(3, 3, stride: 3, strideY: 3, pad: 1))),
        ("MaxStride3Row14", () => Net(41, 5, 2, Max(2, 2, stride: 3, strideY: 3))),
        ("AvgStride3Row15", () => Net(45, 4, 3, Avg(3, 3, stride: 3, strideY: 2, pad: 1))),
        ("Avg1dStride3Padded", () => Net(200, 1, 2, new RefPool(false, 6, 1, 3, 1) { PadLeft = 3, PadRight = 3 })),
        ("Avg1dStride5CeilExcluded", () => Net(130, 1, 2, new RefPool(false, 7, 1, 5, 1) { PadLeft = 2, PadRight = 2, CeilMode = true, ExcludePadding = true })),
        ("Max1dStride7", () => Net(300, 1, 2, new RefPool(true, 4, 1, 7, 1))),
        ("AvgStride4Window3", () => Net(100, 6, 2, Avg(3, 3, stride: 4, strideY: 4, pad: 1))),
        ("MaxStride4Row15", () => Net(58, 4, 2, Max(2, 2, stride: 4, strideY: 2))),
        ("Avg7x7Window", () => Net(24, 20, 2, Avg(7, 7))),
        // Fully connected at batch 1: widths not multiples of 16 or of the rows per pass, short and long inputs.
        ("Fc37", () => Net(1, 1, 100, new RefFullyConnected(37))),
        ("Fc1000", () => Net(1, 1, 1280, new RefFullyConnected(1000))),
        ("Fc13Relu", () => Net(3, 3, 7, new RefFullyConnected(13), new RefRelu())),
        ("Fc5", () => Net(1, 1, 17, new RefFullyConnected(5))),
        ("Fc3", () => Net(1, 1, 9, new RefFullyConnected(3))),
        ("Fc250Relu6", () => Net(1, 1, 576, new RefFullyConnected(250), new RefRelu6())),
        // The blocked layout (CnnGen.Dense.Pack): exactly one panel with an odd input length; exactly one block of 128
        // (1, 2 or 4 passes of 8 vectors) with 3 inputs (fewer than a one-panel step); a block, a panel and 3 rows with
        // 19 inputs (the one-panel loop's last inputs); two blocks + 7 panels + 15 rows (Fc1000: 7 blocks, 6 panels, 8
        // rows); two packed layers in a row (AlexNet's classifier) with a BatchNorm folded into the first before it is
        // packed, PRelu's per-output slopes and SiLU after the kernel.
        ("Fc16Odd", () => Net(1, 1, 17, new RefFullyConnected(16))),
        ("Fc128Short", () => Net(1, 1, 3, new RefFullyConnected(128), new RefRelu())),
        ("Fc147", () => Net(1, 1, 19, new RefFullyConnected(147))),
        ("Fc383", () => Net(1, 1, 45, new RefFullyConnected(383), new RefRelu6())),
        ("Fc2xBatchNorm", () => Net(3, 2, 11, new RefFullyConnected(70), new RefBatchNorm(), new RefPRelu(), new RefFullyConnected(33), new RefSilu())),
    };

    private static readonly Lazy<(CompiledNetworks Compiled, Dictionary<string, ReferenceNetwork> References)> Lazy = new(() =>
    {
        var references = Checked.ToDictionary(n => Namespace + "." + n.Name, n => n.Create());
        IEnumerable<string> sources = references.Select(r => r.Value.ToSource(Namespace, r.Key.Substring(Namespace.Length + 1)));
        return (GeneratorHarness.Compile(sources, references.Keys, implicitUsings: true), references);
    });

    public static IEnumerable<object[]> Names() => Checked.Select(n => new object[] { n.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesTheReference(string name)
    {
        string type = Namespace + "." + name;
        GraphTests.Check(type, Lazy.Value.References[type], seed: name.Length + 300, Lazy.Value.Compiled);
    }

    [Fact]
    public void SeparablePool_TakesTheLayersItShould()
    {
        // Every max pool above with horizontal stride 2 and no fused activation runs the runtime library's kernel.
        string source = GeneratorHarness.Run(Checked.Single(n => n.Name == "Pool7").Create().ToSource(Namespace, "Pool7")).Source("Pool7");
        Assert.Contains("global::CnnGen.Pooling.MaxStride2(", source, StringComparison.Ordinal);
        string relu = GeneratorHarness.Run(Checked.Single(n => n.Name == "PoolRelu").Create().ToSource(Namespace, "PoolRelu")).Source("PoolRelu");
        Assert.DoesNotContain("CnnGen.Pooling", relu, StringComparison.Ordinal);
    }

    [Fact]
    public void SeparablePools_TakeTheLayersTheyShould()
    {
        // Padded rows of 24 or more, windows of 16 or more taps, and every layer the emitted kernels would run
        // without vectors (a divisor that excludes padding, stride 3, rows narrower than 4) run the runtime library's
        // separable average or max pool, with no bordered copy; an unpadded pool keeps the emitted vector kernels, and so
        // does a padded pool on rows too narrow for the runtime's vectors to pay.
        foreach (string name in new[] { "Avg35Padded", "Avg3Excluded", "Avg50Stride3", "ConvAvg33Padded", "Avg40Row", "MaxSppf20", "Max30Stride1Padded", "Max28Stride3Ceil", "Max1dStride4", "Max2Stride1Padded", "Max20Stride3Padded", "Avg7x7Window", "AvgStride3Wide", "Max1dStride7" })
        {
            string source = GeneratorHarness.Run(Checked.Single(n => n.Name == name).Create().ToSource(Namespace, name)).Source(name);
            Assert.Contains(name.StartsWith("Max", StringComparison.Ordinal) ? "global::CnnGen.Pooling.Maximum(" : "global::CnnGen.Pooling.Average(", source, StringComparison.Ordinal);
            Assert.Equal(name.StartsWith("Conv", StringComparison.Ordinal) ? 1 : 0, source.Split("// Copy ").Length - 1); // only the conv's padded input
        }
        string unpadded = GeneratorHarness.Run(Net(20, 6, 2, Avg(2, 2, stride: 2, strideY: 2)).ToSource(Namespace, "AvgUnpadded")).Source("AvgUnpadded");
        Assert.DoesNotContain("CnnGen.Pooling", unpadded, StringComparison.Ordinal);
        string narrow = GeneratorHarness.Run(Net(8, 8, 2, Avg(3, 3, pad: 1)).ToSource(Namespace, "AvgNarrow")).Source("AvgNarrow");
        Assert.DoesNotContain("CnnGen.Pooling", narrow, StringComparison.Ordinal);
        // A same-size stride-1 pool on a plane of 8+ AVX-512 vectors with rows narrower than 24 (Inception's 17×17): the
        // runtime's flat planes, no bordered copy.
        string same = GeneratorHarness.Run(Net(17, 17, 2, Avg(3, 3, pad: 1)).ToSource(Namespace, "AvgSame17")).Source("AvgSame17");
        Assert.Contains("global::CnnGen.Pooling.Average(", same, StringComparison.Ordinal);
        Assert.Equal(0, same.Split("// Copy ").Length - 1);
    }

    [Fact]
    public void StrideTwoMaxPools_OnNarrowRowsWithEdgeWindows_TakeTheSeparableMaximum()
    {
        // MaxStride2 clips a row's edge windows one at a time: on rows of fewer than 24 outputs whose windows leave the
        // input (padding, a ceil-mode window past the edge) that cost more than its vectors, so those run Pooling.Maximum,
        // unless a conv before writes into their −∞ border (every window whole). Wide rows and exact windows keep MaxStride2.
        string Source(string name) => GeneratorHarness.Run(Checked.Single(n => n.Name == name).Create().ToSource(Namespace, name)).Source(name);
        foreach (string name in new[] { "Pool9Padded", "Pool18x7Padded", "Pool36PaddedCeil", "Pool2x2Padded", "Pool32PaddedLeft", "Pool8Ceil" })
        {
            string source = Source(name);
            Assert.Contains("global::CnnGen.Pooling.Maximum(", source, StringComparison.Ordinal);
            Assert.DoesNotContain("// Copy ", source, StringComparison.Ordinal);
        }
        foreach (string name in new[] { "Pool52PaddedCeil", "Pool2x2Padded50", "Pool112Ceil", "Pool68PaddedPairs", "Pool15Ceil", "Pool7Ceil", "ConvPool32Padded", "ConvPool35PaddedCeil" })
        {
            Assert.Contains("global::CnnGen.Pooling.MaxStride2(", Source(name), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void SeparablePool_ClipsOnlyWhereNoLayerWritesItsBorder()
    {
        // On the network's input: no copy, windows clipped at the edges. After a conv that writes into its −∞ border:
        // whole windows from the bordered buffer's corner (padding 0 for the kernel).
        string input = GeneratorHarness.Run(Checked.Single(n => n.Name == "Pool32PaddedLeft").Create().ToSource(Namespace, "Pool32PaddedLeft")).Source("Pool32PaddedLeft");
        Assert.Contains("windows clipped at the input's edges", input, StringComparison.Ordinal);
        Assert.Contains("PadTop: 1, PadLeft: 1", input, StringComparison.Ordinal);
        Assert.DoesNotContain("bordered buffer", input, StringComparison.Ordinal);
        string conv = GeneratorHarness.Run(Checked.Single(n => n.Name == "ConvPool32Padded").Create().ToSource(Namespace, "ConvPool32Padded")).Source("ConvPool32Padded");
        Assert.Contains("the input has a −∞ border", conv, StringComparison.Ordinal);
        Assert.Contains("InputWidth: 34, InputHeight: 34, PadTop: 0, PadLeft: 0", conv, StringComparison.Ordinal);
        Assert.Equal(1, conv.Split("// Copy ").Length - 1); // the conv's padded input, not the pool's
    }

    /// <summary>
    /// NaN inputs: every path gives what the max pool gave over a −∞-bordered copy of its input (the class remarks of
    /// <c>CnnGen.Pooling</c>): each column folded top to bottom, then the columns left to right, with
    /// <c>max(a, b) = a &gt; b ? a : b</c> and −∞ for the padding, so a NaN survives only as the last value folded.
    /// </summary>
    [Theory]
    [InlineData("Pool40Padded")]
    [InlineData("Pool9Padded")]
    [InlineData("Pool18x7Padded")]
    [InlineData("Pool36PaddedCeil")]
    [InlineData("Pool2x2Padded")]
    [InlineData("Pool68PaddedPairs")]
    [InlineData("Pool35CeilPairs")]
    [InlineData("Pool32PaddedLeft")]
    [InlineData("Pool34x11PaddedLeft")]
    [InlineData("Pool33PaddedCeilLeft")]
    [InlineData("Pool2x2PaddedLeft")]
    [InlineData("Pool3x2PaddedLeftStride1")]
    [InlineData("Pool52PaddedCeil")]
    [InlineData("Pool2x2Padded50")]
    [InlineData("Pool3x2PaddedStride1Wide")]
    [InlineData("Pool112Ceil")]
    [InlineData("MaxSppf20")]
    [InlineData("Max30Stride1Padded")]
    [InlineData("Max28Stride3Ceil")]
    [InlineData("Max1dStride4")]
    [InlineData("Max2Stride1Padded")]
    [InlineData("Max20Stride3Padded")]
    [InlineData("Max1dStride4Long")]
    [InlineData("Max1dStride4Avx2")]
    [InlineData("Max1dStride4Vector128")]
    [InlineData("Max1dStride4Scalar")]
    [InlineData("Max4x4Stride4PaddedCeil")]
    [InlineData("MaxSame16x8Plane")]
    [InlineData("Max1dWindow3Stride2")]
    [InlineData("Max2x4Stride2")]
    [InlineData("MaxSame47x3")]
    [InlineData("MaxSame7x7Window")]
    [InlineData("MaxSame5x5Short")]
    [InlineData("MaxNarrow7Padded")]
    [InlineData("MaxNarrow13Padded")]
    [InlineData("MaxNarrowStride3Ceil")]
    [InlineData("MaxNarrow2x2")]
    public void NaN_FoldsAsOverANegativeInfinityBorder(string name)
    {
        string type = Namespace + "." + name;
        ReferenceNetwork reference = Lazy.Value.References[type];
        var pool = (RefPool)reference.Layers[^1];
        RefShape input = reference.Input, output = reference.ShapeOf(reference.Layers.Count - 1);
        INetwork network = Lazy.Value.Compiled.Create(type, RandomNetworks.Parameters(reference, 1));
        var rng = new Random(name.Length);
        float[] x = RandomNetworks.Values(7, reference.InputLength);
        for (int i = 0; i < x.Length; i++)
        {
            if (rng.Next(5) == 0)
            {
                x[i] = float.NaN; // a fifth of the values: NaN at every place in some window
            }
        }
        var actual = new float[reference.OutputLength];
        network.Forward(x, actual);
        static float Max(float a, float b) => a > b ? a : b;
        for (int c = 0; c < output.Depth; c++)
        {
            for (int oy = 0; oy < output.Height; oy++)
            {
                for (int ox = 0; ox < output.Width; ox++)
                {
                    float value = 0;
                    for (int kx = 0; kx < pool.WindowWidth; kx++)
                    {
                        int ix = ox * pool.StrideX - pool.PadLeft + kx;
                        float column = 0;
                        for (int ky = 0; ky < pool.WindowHeight; ky++)
                        {
                            int iy = oy * pool.StrideY - pool.PadTop + ky;
                            float v = ix >= 0 && ix < input.Width && iy >= 0 && iy < input.Height ? x[(c * input.Height + iy) * input.Width + ix] : float.NegativeInfinity;
                            column = ky == 0 ? v : Max(column, v);
                        }
                        value = kx == 0 ? column : Max(value, column);
                    }
                    float got = actual[(c * output.Height + oy) * output.Width + ox];
                    Assert.True(got.Equals(value), $"{name}: output ({c}, {oy}, {ox}) is {got:R} but should be {value:R}");
                }
            }
        }
    }

    [Fact]
    public void Dense_KernelsAreOptimizedFromTheirFirstCall()
    {
        // Forward<T> inlined into the public Forward ran the JIT's inlining budget out: the lane operations became
        // calls to tier-0 code for a process's first 100-150 calls (MobileNetV3-Small's classifier 3-4x slower).
        const System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static;
        System.Reflection.MethodImplAttributes Flags(string name) =>
            typeof(CnnGen.Dense).GetMethods(Private).Single(m => m.Name == name && m.IsGenericMethodDefinition).MethodImplementationFlags;
        Assert.True(Flags("Forward").HasFlag(System.Reflection.MethodImplAttributes.NoInlining));
        foreach (string name in new[] { "Forward", "Rest", "RowsForward" })
        {
            Assert.True(Flags(name).HasFlag(System.Reflection.MethodImplAttributes.AggressiveOptimization), name);
        }
    }

    [Fact]
    public void Dense_RepacksTheWeightsOfTheLayersItRuns()
    {
        // The layers that call CnnGen.Dense.Forward (any with a whole panel, even of 3 inputs; else 16 inputs and 4
        // outputs) have their weights repacked in place by the constructor, after the BatchNorm fold; the smallest
        // (one dot product per output) keep PyTorch's rows.
        string source = GeneratorHarness.Run(Checked.Single(n => n.Name == "Fc2xBatchNorm").Create().ToSource(Namespace, "Fc2xBatchNorm")).Source("Fc2xBatchNorm");
        int fold = source.IndexOf("FoldParameters(_parameters);", StringComparison.Ordinal);
        int pack = source.IndexOf("global::CnnGen.Dense.Pack(_parameters, ", StringComparison.Ordinal);
        Assert.True(fold >= 0 && pack > fold, "the constructor packs after it folds");
        Assert.Equal(2, source.Split("global::CnnGen.Dense.Pack(").Length - 1);
        string small = GeneratorHarness.Run(Checked.Single(n => n.Name == "Fc13Relu").Create().ToSource(Namespace, "Fc13Relu")).Source("Fc13Relu");
        Assert.Contains("global::CnnGen.Dense.Forward(", small, StringComparison.Ordinal);
        string shortRows = GeneratorHarness.Run(Checked.Single(n => n.Name == "Fc128Short").Create().ToSource(Namespace, "Fc128Short")).Source("Fc128Short");
        Assert.Contains("global::CnnGen.Dense.Pack(", shortRows, StringComparison.Ordinal);
        string dot = GeneratorHarness.Run(Checked.Single(n => n.Name == "Fc3").Create().ToSource(Namespace, "Fc3")).Source("Fc3");
        Assert.DoesNotContain("CnnGen.Dense", dot, StringComparison.Ordinal);
    }
}
