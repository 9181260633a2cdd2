using System;
using CnnGen.TestSupport;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Networks with the convolution family of the layer issue: grouped and depthwise convolutions, BatchNorm
/// (folded into the kernel before it, or a pass of its own), Normalize and ConvTranspose. Written as the
/// independent reference's layers and compiled with <see cref="GraphNetworks"/> (so the scalar-path run and
/// the allocation test cover them too). Sizes are chosen to reach each kernel variant: rows of 16 or more
/// (AVX-512), 8 to 15 (AVX2), 4 to 7 (Vector128), fewer than 4 (scalar), stride 1 and 2, hoisted and streamed weights.
/// </summary>
internal static class ConvFamilyNetworks
{
    private static RefConv Same(int k, int filters, int groups = 1, int stride = 1, int dilation = 1)
    {
        int p = dilation * (k - 1) / 2;
        return new RefConv(k, k, filters)
        {
            Groups = groups, StrideX = stride, StrideY = stride, DilationX = dilation, DilationY = dilation,
            PadLeft = p, PadTop = p, PadRight = p, PadBottom = p,
        };
    }

    // Hand-worked networks (see ConvFamilyTests for the numbers).

    /// <summary>Two channels, one 2×1 filter each.</summary>
    public static ReferenceNetwork HandDepthwise => new(new RefShape(3, 1, 2), new RefLayer[] { new RefConv(2, 1, 2) { Groups = 2 } });

    /// <summary>A 1×1 conv with a BatchNorm folded into it.</summary>
    public static ReferenceNetwork HandFolded => new(new RefShape(2, 1, 1), new RefLayer[] { new RefConv(1, 1, 1), new RefBatchNorm { Epsilon = 1 } });

    /// <summary>A BatchNorm of the input: nothing to fold into, its own pass.</summary>
    public static ReferenceNetwork HandBatchNorm => new(new RefShape(2, 1, 1), new RefLayer[] { new RefBatchNorm { Epsilon = 1 } });

    public static ReferenceNetwork HandNormalize => new(new RefShape(2, 1, 2), new RefLayer[] { new RefNormalize(new[] { 0.5f, 1f }, new[] { 0.5f, 2f }) });

    public static ReferenceNetwork HandTransposeStride2 => new(new RefShape(2, 1, 1), new RefLayer[] { new RefConvTranspose(2, 1, 1) { Stride = 2 } });

    public static ReferenceNetwork HandTransposeStride1 => new(new RefShape(2, 1, 1), new RefLayer[] { new RefConvTranspose(2, 1, 1) });

    public static ReferenceNetwork HandTransposeCropped => new(new RefShape(2, 1, 1), new RefLayer[] { new RefConvTranspose(3, 3, 1) { Stride = 2, Padding = 1, OutputPadding = 1 } });

    // Networks compared with the reference.

    /// <summary>Depthwise 3×3 stride 1 on rows of 37 (AVX-512 tiles and a shifted last vector), BatchNorm folded, ReLU6 fused.</summary>
    public static ReferenceNetwork Depthwise => new(new RefShape(37, 9, 5), new RefLayer[] { Same(3, 5, groups: 5), new RefBatchNorm(), new RefRelu6() });

    /// <summary>Depthwise stride 2 with two filters per channel: output rows of 20.</summary>
    public static ReferenceNetwork DepthwiseStride2 => new(new RefShape(40, 11, 4), new RefLayer[] { Same(3, 8, groups: 4, stride: 2), new RefRelu() });

    /// <summary>Stride 2 on an odd width (rows of 17 from 33) and a 5×5 kernel: the even-column loads end exactly on the row.</summary>
    public static ReferenceNetwork DepthwiseStride2Odd => new(new RefShape(33, 7, 3), new RefLayer[] { Same(5, 3, groups: 3, stride: 2) });

    /// <summary>Rows of 12 (AVX2 and Vector128), dilation 2; then rows of 5 (Vector128 and scalar).</summary>
    public static ReferenceNetwork DepthwiseNarrow => new(new RefShape(12, 6, 2), new RefLayer[]
    {
        Same(3, 4, groups: 2, dilation: 2), new RefConv(3, 3, 4) { Groups = 4, StrideX = 2, StrideY = 2 },
    });

    /// <summary>Grouped (2 and 4 channels per group), a grouped 1×1, and 32 channels per group (weights streamed, the group's channels in a loop).</summary>
    public static ReferenceNetwork Grouped => new(new RefShape(20, 6, 8), new RefLayer[]
    {
        Same(3, 12, groups: 4), new RefRelu(), new RefConv(1, 1, 8) { Groups = 2 }, Same(3, 64), Same(3, 32, groups: 2), Same(3, 6, groups: 2, stride: 2),
    });

    /// <summary>BatchNorm everywhere: of the input (a pass), folded into a conv, after a ReLU (a pass into the next conv's bordered buffer), folded into a fully connected layer.</summary>
    public static ReferenceNetwork BatchNorms => new(new RefShape(10, 10, 3), new RefLayer[]
    {
        new RefBatchNorm(), Same(3, 8), new RefBatchNorm { Epsilon = 1e-3f }, new RefRelu(), new RefBatchNorm(), Same(3, 4),
        new RefFullyConnected(6), new RefBatchNorm(), new RefRelu(),
    });

    /// <summary>A conv's output read by a BatchNorm and by an Add: the BatchNorm cannot fold and runs on its own.</summary>
    public static ReferenceNetwork BatchNormShared => new(new RefShape(6, 6, 3), new RefLayer[]
    {
        Same(3, 3) with { Name = "c" }, new RefBatchNorm(), new RefAdd("c"), new RefBatchNorm { From = "Input", Name = "n" }, new RefConcat("Add1"),
    });

    /// <summary>Normalize before a padded conv (its pass writes into the conv's bordered buffer), from the input again before an unpadded one, and on 4 channels mid-network.</summary>
    public static ReferenceNetwork Normalize => new(new RefShape(12, 10, 3), new RefLayer[]
    {
        new RefNormalize(new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }), Same(3, 4, stride: 1) with { Name = "padded" },
        new RefNormalize(new[] { 0.5f, -0.25f, 0f }, new[] { 0.5f, 2f, 1f }) { From = "Input" }, new RefConv(3, 3, 4),
        new RefConv(3, 3, 4) { From = "padded" }, new RefAdd("Conv2"),
        new RefNormalize(new[] { 1f, 2f, 3f, 4f }, new[] { 4f, 3f, 2f, 1f }), new RefRelu(),
    });

    /// <summary>A U-Net up-step: a skip at full size, pool, conv, a stride-2 ConvTranspose back up with a BatchNorm folded into it, Concat with the skip.</summary>
    public static ReferenceNetwork UNetUp => new(new RefShape(16, 16, 4), new RefLayer[]
    {
        Same(3, 8), new RefRelu { Name = "skip" }, new RefPool(true, 2, 2, 2, 2), Same(3, 8), new RefRelu(),
        new RefConvTranspose(2, 2, 4) { Stride = 2 }, new RefBatchNorm(), new RefRelu(), new RefConcat("skip"), new RefConv(1, 1, 2),
    });

    /// <summary>ConvTranspose from the input as an Add operand, with padding 1 (same size) and a 3×3 stride-3 one with output padding.</summary>
    public static ReferenceNetwork TransposeGraph => new(new RefShape(6, 5, 2), new RefLayer[]
    {
        new RefConvTranspose(3, 3, 3) { Padding = 1, Name = "t" }, Same(3, 3) with { From = "Input" }, new RefAdd("t"),
        new RefConvTranspose(3, 2, 2) { Stride = 3, OutputPadding = 2 }, new RefRelu(),
    });

    /// <summary>The 2×2 stride-2 kernel on rows of 21 (two whole vectors of 8, then the last 8 again) with output padding 1, then a ReLU.</summary>
    public static ReferenceNetwork TransposeWide => new(new RefShape(21, 3, 3), new RefLayer[]
    {
        new RefConvTranspose(2, 2, 5) { Stride = 2, OutputPadding = 1 }, new RefRelu(),
    });

    // Transposed convolutions, lowered to a 1×1 conv onto filters·kh·kw channels and a gather (ConvTransposeEmitter):
    // each network reaches one of the gather's vector widths (16, 8, 4 or none: the vector columns of a row are
    // InputWidth − max(⌊(k − 1)/S⌋, ⌈P/S⌉) at most) and covers kernels 1–5, strides 1–3, padding, output padding,
    // channel counts that are not multiples of 16 and the activations that fold (or run as a pass after it).

    /// <summary>1×1 stride 1 onto 19 channels from 17, rows of 20 (16-float vectors, the last overlapping), ReLU6 folded.</summary>
    public static ReferenceNetwork TransposeK1 => new(new RefShape(20, 3, 17), new RefLayer[]
    {
        new RefConvTranspose(1, 1, 19), new RefRelu6(),
    });

    /// <summary>
    /// 3×3 stride 2, padding 1, output padding 1 onto 18 from 7 on rows of 19 (18 vector columns: 16-float), LeakyReLU
    /// folded, written into the bordered buffer of the padded 3×3 conv after it.
    /// </summary>
    public static ReferenceNetwork TransposeK3Stride2 => new(new RefShape(19, 6, 7), new RefLayer[]
    {
        new RefConvTranspose(3, 3, 18) { Stride = 2, Padding = 1, OutputPadding = 1 }, new RefLeakyRelu(0.1f), Same(3, 5),
    });

    /// <summary>4×4 stride 2, padding 1 (a DCGAN/U-Net up-step) onto 9 from 20 on rows of 11 (8-float vectors), SiLU as a pass after it.</summary>
    public static ReferenceNetwork TransposeK4Stride2 => new(new RefShape(11, 4, 20), new RefLayer[]
    {
        new RefConvTranspose(4, 4, 9) { Stride = 2, Padding = 1 }, new RefSilu(),
    });

    /// <summary>
    /// 8×8 stride 4, padding 2, on rows of 21 (16-float vectors and an overlapping one: four column phases interleaved
    /// through the stack), ReLU; a 3×3 conv at stride (20, 3) onto 3 filters (the direct kernel, with a stride the
    /// runtime has no constant type for); then FCN's 16×16 stride 8, padding 4, on rows of 5 (one 4-float vector).
    /// </summary>
    public static ReferenceNetwork TransposeLargeStrides => new(new RefShape(21, 3, 6), new RefLayer[]
    {
        new RefConvTranspose(8, 8, 5) { Stride = 4, Padding = 2 }, new RefRelu(),
        new RefConv(3, 3, 3) { StrideX = 20, StrideY = 3 },
        new RefConvTranspose(16, 16, 4) { Stride = 8, Padding = 4 },
    });

    /// <summary>FCN's 16×16 stride 8 up-sampling, padding 4, of a 19×2 map (16- or 8-float vectors and an overlapping one: eight phases), Tanh.</summary>
    public static ReferenceNetwork TransposeStride8 => new(new RefShape(19, 2, 3), new RefLayer[]
    {
        new RefConvTranspose(16, 16, 4) { Stride = 8, Padding = 4 }, new RefTanh(),
    });

    /// <summary>5×5 stride 3, padding 2, output padding 2 (stride 3: four-float vectors of three column phases), HardSwish.</summary>
    public static ReferenceNetwork TransposeK5Stride3 => new(new RefShape(7, 5, 4), new RefLayer[]
    {
        new RefConvTranspose(5, 5, 6) { Stride = 3, Padding = 2, OutputPadding = 2 }, new RefHardSwish(),
    });

    /// <summary>
    /// 2 wide × 3 tall stride 1 on rows of 6 (4-float vectors), then 3×3 stride 1 padding 2 on rows of 7 (the padding crops
    /// more than the kernel overhangs), then 5×5 stride 2 padding 1 on rows of 5 (3 vector columns: every output scalar).
    /// </summary>
    public static ReferenceNetwork TransposeOdd => new(new RefShape(6, 9, 5), new RefLayer[]
    {
        new RefConvTranspose(2, 3, 3), new RefRelu(), new RefConvTranspose(3, 3, 4) { Padding = 2 },
        new RefConvTranspose(5, 5, 3) { Stride = 2, Padding = 1 },
    });

    /// <summary>
    /// 2×2 stride 2 on a 3×3×20 map: the 1×1 conv has 20 outputs on 9 pixels, ChannelConvEmitter's panels (packed from the
    /// lowered weights after the BatchNorm folded into the layer's own), then ReLU; beside it, from the input, a 3×3
    /// stride 2 with output padding; the two added (a transposed convolution inside a graph, its output read twice).
    /// </summary>
    public static ReferenceNetwork TransposePanels => new(new RefShape(3, 3, 20), new RefLayer[]
    {
        new RefConvTranspose(2, 2, 5) { Stride = 2, Name = "up" }, new RefBatchNorm(), new RefRelu { Name = "a" },
        new RefConvTranspose(3, 3, 5) { Stride = 2, Padding = 1, OutputPadding = 1, From = "Input" }, new RefAdd("a"),
        new RefConcat("a"), new RefConvTranspose(2, 2, 3) { Padding = 1 },
    });

    /// <summary>MobileNetV2's inverted residual: 1×1 expand, depthwise 3×3, 1×1 project, each with a folded BatchNorm; ReLU6; Add.</summary>
    public static ReferenceNetwork MobileNetBlock => new(new RefShape(14, 14, 8), new RefLayer[]
    {
        new RefConv(1, 1, 16), new RefBatchNorm(), new RefRelu6(), Same(3, 16, groups: 16), new RefBatchNorm(), new RefRelu6(),
        new RefConv(1, 1, 8), new RefBatchNorm(), new RefAdd("Input"),
    });

    /// <summary>
    /// 1×1 convs on a plane whose input is over 512 KB (the filter groups inside the column tiles, ConvEmitter's
    /// FiltersInside): 40 and 37 channels of 63×57 (the plane's last vector overlaps), 37 filters (groups and a
    /// smaller last one) with a folded BatchNorm and ReLU6, then 10 filters and SiLU.
    /// </summary>
    public static ReferenceNetwork PointwiseLarge => new(new RefShape(63, 57, 40), new RefLayer[]
    {
        new RefConv(1, 1, 37), new RefBatchNorm(), new RefRelu6(), new RefConv(1, 1, 10), new RefSilu(),
    });

    /// <summary>
    /// DeepLabV3's ASPP on a small map (DeadTaps): 3×3 windows dilated by 12, 24 and 6 with as much padding on 6×5 reach the
    /// input only with their centre tap, so each runs as a 1×1 conv; one with a folded BatchNorm, concatenated.
    /// </summary>
    public static ReferenceNetwork DeadTapsAspp => new(new RefShape(6, 5, 20), new RefLayer[]
    {
        new RefConv(3, 3, 16) { PadLeft = 12, PadTop = 12, PadRight = 12, PadBottom = 12, DilationX = 12, DilationY = 12 }, new RefBatchNorm(), new RefRelu { Name = "a" },
        new RefConv(3, 3, 17) { PadLeft = 24, PadTop = 24, PadRight = 24, PadBottom = 24, DilationX = 24, DilationY = 24, From = "Input", Name = "b" },
        new RefConv(3, 3, 8) { PadLeft = 6, PadTop = 6, PadRight = 6, PadBottom = 6, DilationX = 6, DilationY = 6, From = "Input" },
        new RefConcat("a", "b"),
    });

    /// <summary>
    /// Dead taps on part of a window: a 5×5 dilated by 2 with padding 4 on 4×4 keeps its middle 3×3 (padding 2); a 3 wide ×
    /// 5 tall window dilated by 2 down, padded 6 on top and 2 below on 4 rows, keeps its last three rows (padding 2 and 2).
    /// </summary>
    public static ReferenceNetwork DeadTapsPartial => new(new RefShape(4, 4, 16), new RefLayer[]
    {
        new RefConv(5, 5, 8) { PadLeft = 4, PadTop = 4, PadRight = 4, PadBottom = 4, DilationX = 2, DilationY = 2 }, new RefRelu(),
        new RefConv(3, 5, 6) { PadLeft = 1, PadRight = 1, PadTop = 6, PadBottom = 2, DilationY = 2 }, new RefTanh(),
    });

    /// <summary>
    /// A 3×3 at stride 2 dilated by 9 with padding 9 on 9×9 keeps its centre (a 1×1 stride-2 conv), after a Normalize,
    /// which folds into the kept taps (they read no padding).
    /// </summary>
    public static ReferenceNetwork DeadTapsStrided => new(new RefShape(9, 9, 3), new RefLayer[]
    {
        new RefNormalize(new[] { 0.5f, -1f, 2f }, new[] { 0.5f, 2f, 4f }),
        new RefConv(3, 3, 8) { StrideX = 2, StrideY = 2, PadLeft = 9, PadTop = 9, PadRight = 9, PadBottom = 9, DilationX = 9, DilationY = 9 }, new RefRelu6(),
    });

    public static readonly (string Name, Func<ReferenceNetwork> Create)[] Hand =
    {
        ("HandDepthwise", () => HandDepthwise), ("HandFolded", () => HandFolded), ("HandBatchNorm", () => HandBatchNorm),
        ("HandNormalize", () => HandNormalize), ("HandTransposeStride2", () => HandTransposeStride2),
        ("HandTransposeStride1", () => HandTransposeStride1), ("HandTransposeCropped", () => HandTransposeCropped),
    };

    public static readonly (string Name, Func<ReferenceNetwork> Create)[] Checked =
    {
        ("Depthwise", () => Depthwise), ("DepthwiseStride2", () => DepthwiseStride2), ("DepthwiseStride2Odd", () => DepthwiseStride2Odd),
        ("DepthwiseNarrow", () => DepthwiseNarrow), ("Grouped", () => Grouped), ("BatchNorms", () => BatchNorms),
        ("BatchNormShared", () => BatchNormShared), ("Normalize", () => Normalize), ("UNetUp", () => UNetUp),
        ("TransposeGraph", () => TransposeGraph), ("TransposeWide", () => TransposeWide), ("MobileNetBlock", () => MobileNetBlock),
        ("PointwiseLarge", () => PointwiseLarge), ("TransposeK1", () => TransposeK1), ("TransposeK3Stride2", () => TransposeK3Stride2),
        ("TransposeK4Stride2", () => TransposeK4Stride2), ("TransposeK5Stride3", () => TransposeK5Stride3), ("TransposeLargeStrides", () => TransposeLargeStrides), ("TransposeStride8", () => TransposeStride8), ("TransposeOdd", () => TransposeOdd),
        ("TransposePanels", () => TransposePanels), ("DeadTapsAspp", () => DeadTapsAspp), ("DeadTapsPartial", () => DeadTapsPartial),
        ("DeadTapsStrided", () => DeadTapsStrided),
    };
}
