using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Depthwise convolutions as EfficientNet and MobileNet use them at small inputs: 3×3, 5×5 and 7×7 filters on maps
/// 1 to 7 columns wide, strides 1 to 4, two filters per channel, every fused activation (SiLU, sigmoid, hard swish,
/// GELU, ELU, PReLU), and a squeeze-excitation block. Compiled with <see cref="GraphNetworks"/>, so the instruction
/// set runs (AVX2, Vector128, scalar) check them too.
/// </summary>
internal static class DepthwiseNetworks
{
    private static RefConv Depthwise(int k, int channels, int stride = 1, int multiplier = 1)
    {
        int p = (k - 1) / 2;
        return new RefConv(k, k, channels * multiplier)
        {
            Groups = channels, StrideX = stride, StrideY = stride, PadLeft = p, PadTop = p, PadRight = p, PadBottom = p,
        };
    }

    /// <summary>A 3×3 depthwise + hard swish on a map <paramref name="width"/> wide and 5 high.</summary>
    private static ReferenceNetwork OfWidth(int width) =>
        new(new RefShape(width, 5, 4), new RefLayer[] { Depthwise(3, 4), new RefHardSwish() });

    /// <summary>EfficientNet's 4×4 maps: a 5×5 + SiLU (weights streamed), then a 3×3 + sigmoid (weights in registers), four rows per tile.</summary>
    public static ReferenceNetwork Narrow5x5 => new(new RefShape(4, 4, 6), new RefLayer[]
    {
        Depthwise(5, 6), new RefSilu(), Depthwise(3, 6), new RefSigmoid(),
    });

    /// <summary>Maps 2 wide (EfficientNet's last stage): 5×5 + SiLU on 2×2, 3×3 + hard sigmoid on 2×6, two rows per vector.</summary>
    public static ReferenceNetwork Pairs => new(new RefShape(2, 2, 8), new RefLayer[]
    {
        Depthwise(5, 8), new RefSilu(), new RefUpsample(1, 3), Depthwise(3, 8), new RefHardSigmoid(),
    });

    /// <summary>
    /// Stride 2 to 2×2 maps (EfficientNet-B0 at 64×64, features.6.0): 5×5 + SiLU from 3×4 with 20 channels (not a
    /// multiple of any vector), 3×3 + hard swish from 4×4, 7×7 + sigmoid from 4×3; two rows in a vector, even columns.
    /// </summary>
    public static ReferenceNetwork Stride2Pairs => new(new RefShape(3, 4, 20), new RefLayer[]
    {
        new RefConv(5, 5, 20) { Groups = 20, StrideX = 2, StrideY = 2, PadLeft = 2, PadTop = 2, PadRight = 2, PadBottom = 1 }, new RefSilu(), new RefUpsample(2, 2),
        new RefConv(3, 3, 20) { Groups = 20, StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1 }, new RefHardSwish() { Name = "a" },
        new RefConv(7, 7, 20) { From = "Input", Groups = 20, StrideX = 2, StrideY = 2, PadLeft = 3, PadTop = 2, PadRight = 3, PadBottom = 3 }, new RefSigmoid(),
        new RefConcat("a"),
    });

    /// <summary>Stride 2 to rows of 6 (the portable even-column loads, the last ending on the row's last column): 3×3 + ReLU6, 5×5 + tanh.</summary>
    public static ReferenceNetwork Stride2Narrow => new(new RefShape(11, 7, 3), new RefLayer[]
    {
        Depthwise(3, 3, stride: 2), new RefRelu6 { Name = "a" }, Depthwise(5, 3, stride: 2) with { From = "Input" }, new RefTanh(), new RefConcat("a"),
    });

    /// <summary>Strides 3 and 4 (scalar) to 4×4 maps, a PReLU folded into the first.</summary>
    public static ReferenceNetwork Strides3And4 => new(new RefShape(12, 12, 2), new RefLayer[]
    {
        new RefConv(3, 3, 2) { Groups = 2, StrideX = 3, StrideY = 3 }, new RefPRelu { Name = "a" },
        new RefConv(4, 4, 2) { From = "Input", Groups = 2, StrideX = 4, StrideY = 4, PadLeft = 2, PadTop = 2, PadRight = 2, PadBottom = 2 }, new RefConcat("a"),
    });

    /// <summary>7×7 on rows of 10 (AVX2 and Vector128) + GELU, then 7×7 on rows of 6 + ELU.</summary>
    public static ReferenceNetwork Seven => new(new RefShape(10, 7, 3), new RefLayer[]
    {
        Depthwise(7, 3), new RefGelu(), new RefConv(7, 7, 3) { Groups = 3, PadLeft = 1, PadRight = 1, PadTop = 3, PadBottom = 3 }, new RefElu(),
    });

    /// <summary>Two filters per channel on rows of 6 with a PReLU, and on 3×3 maps (scalar).</summary>
    public static ReferenceNetwork Multiplier => new(new RefShape(6, 6, 4), new RefLayer[]
    {
        Depthwise(5, 4, multiplier: 2), new RefPRelu(), new RefConv(3, 3, 16) { Groups = 8, StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1 }, new RefSilu(),
    });

    /// <summary>
    /// An EfficientNet block: 1×1 expand + SiLU, depthwise 3×3 stride 2 + SiLU, squeeze-excitation (a whole-map average
    /// pool as ONNX imports it, 1×1 + SiLU, 1×1 + sigmoid, Mul), 1×1 project.
    /// </summary>
    public static ReferenceNetwork SqueezeExcite => new(new RefShape(8, 8, 8), new RefLayer[]
    {
        new RefConv(1, 1, 16), new RefSilu(), new RefConv(3, 3, 16) { Groups = 16, StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1 }, new RefSilu { Name = "dw" },
        new RefPool(false, 4, 4, 4, 4), new RefConv(1, 1, 4), new RefSilu(), new RefConv(1, 1, 16), new RefSigmoid(),
        new RefMul("dw"), new RefConv(1, 1, 8),
    });

    /// <summary>
    /// The flattened-plane kernel (rows 5 to 15 wide, not 8, stride 1): EfficientNet's 5×5 on 7×7 with 14 channels (not
    /// a multiple of any vector; 16 and more take the channel-block kernel on AVX-512) + SiLU (a pass), MobileNetV3's 5×5 on rows of 14 + hard swish (fused), then a 3×3 onto
    /// rows of 5 (no horizontal padding) + ReLU6 with its weights in registers.
    /// </summary>
    public static ReferenceNetwork Flat => new(new RefShape(7, 7, 14), new RefLayer[]
    {
        Depthwise(5, 14), new RefSilu { Name = "a" },
        new RefUpsample(2, 2) { From = "Input" }, Depthwise(5, 14), new RefHardSwish(), new RefPool(true, 2, 2, 2, 2), new RefConcat("a"),
        new RefConv(3, 3, 28) { Groups = 28, PadTop = 1, PadBottom = 1 }, new RefRelu6(),
    });

    /// <summary>
    /// Odd shapes on the flattened kernel: 5×5 on 15×7 without padding (rows of the caller's input) + sigmoid, 7×7 with
    /// uneven padding + PReLU (a per-channel slope), both 11×3, then a 3×3 on their 6 channels + GELU.
    /// </summary>
    public static ReferenceNetwork FlatOdd => new(new RefShape(15, 7, 3), new RefLayer[]
    {
        new RefConv(5, 5, 3) { Groups = 3 }, new RefSigmoid { Name = "a" },
        new RefConv(7, 7, 3) { From = "Input", Groups = 3, PadLeft = 0, PadTop = 2, PadRight = 2, PadBottom = 0 }, new RefPRelu(),
        new RefConcat("a"), Depthwise(3, 6), new RefGelu(),
    });

    /// <summary>Rows of 15 and 13 high with a 7×7 filter (more taps than one method unrolls: the loop over tiles) + ELU, on 17 channels.</summary>
    public static ReferenceNetwork FlatLoop => new(new RefShape(15, 13, 17), new RefLayer[]
    {
        Depthwise(7, 17), new RefElu(),
    });

    /// <summary>
    /// The phase kernel (stride 2, 5×5 and up, rows wider than 4 but not 8): a 5×5/2 from 13×13 to 7×7 with 17 channels
    /// (not a multiple of any vector) + hard swish (fused), then a 3×3/2 (the row kernel) + SiLU (a pass).
    /// </summary>
    public static ReferenceNetwork Stride2Phases => new(new RefShape(13, 13, 17), new RefLayer[]
    {
        Depthwise(5, 17, stride: 2), new RefHardSwish(), Depthwise(3, 17, stride: 2), new RefSilu(),
    });

    /// <summary>
    /// Uneven padding on the phase kernel, from 14×12: a 5×5/2 + PReLU (a per-channel slope, fused) and a 7×7/2 + SiLU
    /// (a pass), both 7×5, then a 5×5/2 without padding on their 6 channels (2×1: the scalar kernel) + GELU.
    /// </summary>
    public static ReferenceNetwork Stride2PhasesOdd => new(new RefShape(14, 12, 3), new RefLayer[]
    {
        new RefConv(5, 5, 3) { Groups = 3, StrideX = 2, StrideY = 2, PadLeft = 2, PadTop = 1, PadRight = 1, PadBottom = 0 }, new RefPRelu { Name = "a" },
        new RefConv(7, 7, 3) { From = "Input", Groups = 3, StrideX = 2, StrideY = 2, PadLeft = 3, PadTop = 2, PadRight = 2, PadBottom = 1 }, new RefSilu(),
        new RefConcat("a"), new RefConv(5, 5, 6) { Groups = 6, StrideX = 2, StrideY = 2 }, new RefGelu(),
    });

    /// <summary>A 7×7/2 from 29×29 to 15×15 on 17 channels (more taps than one method unrolls: the loop over tiles) + ELU.</summary>
    public static ReferenceNetwork Stride2PhasesLoop => new(new RefShape(29, 29, 17), new RefLayer[]
    {
        Depthwise(7, 17, stride: 2), new RefElu(),
    });

    /// <summary>
    /// The two-row stride-2 kernel (AVX-512, rows 5 to 8 wide): from 14×14 with 15 channels (not a multiple of any
    /// vector; from 16 on the 5×5/2 takes the channel-block kernel) to 7×7 (an odd number of rows: the last vector holds one), a 3×3/2 + ReLU6, a 5×5/2 + hard swish and a
    /// 7×7/2 + PReLU, all fused in the store.
    /// </summary>
    public static ReferenceNetwork Stride2TwoRows => new(new RefShape(13, 13, 15), new RefLayer[]
    {
        Depthwise(3, 15, stride: 2), new RefRelu6 { Name = "a" },
        Depthwise(5, 15, stride: 2) with { From = "Input" }, new RefHardSwish { Name = "b" },
        Depthwise(7, 15, stride: 2) with { From = "Input" }, new RefPRelu(), new RefConcat("a", "b"),
    });

    /// <summary>
    /// Uneven padding and rows of 8 on the two-row kernel, 15 channels (16 and more take the channel-block kernel for the 5×5/2): from 16×11 a 3×3/2 (padding left 1, top 0, right
    /// 0, bottom 2) + hard swish and a 5×5/2 (padding 2, 1, 1, 3) + SiLU (a pass), both 8×6.
    /// </summary>
    public static ReferenceNetwork Stride2TwoRowsOdd => new(new RefShape(16, 11, 15), new RefLayer[]
    {
        new RefConv(3, 3, 15) { Groups = 15, StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 0, PadRight = 0, PadBottom = 2 }, new RefHardSwish { Name = "a" },
        new RefConv(5, 5, 15) { From = "Input", Groups = 15, StrideX = 2, StrideY = 2, PadLeft = 2, PadTop = 1, PadRight = 1, PadBottom = 3 }, new RefSilu(),
        new RefConcat("a"),
    });

    /// <summary>Odd rows and columns on the two-row kernel: from 9×9 to 5×5, a 3×3/2 + ReLU6 and a 5×5/2 + PReLU, 17 channels.</summary>
    public static ReferenceNetwork Stride2TwoRowsFive => new(new RefShape(9, 9, 17), new RefLayer[]
    {
        Depthwise(3, 17, stride: 2), new RefRelu6 { Name = "a" }, Depthwise(5, 17, stride: 2) with { From = "Input" }, new RefPRelu(), new RefConcat("a"),
    });

    /// <summary>
    /// Taps that read only padding, left out: a 7×7 + PReLU on 2×2 (9 of 49 taps read data), a 5×5 + ReLU6 on 4×4
    /// (a 2× upsample), a 5×5 with uneven padding + hard swish onto 2×4, on 33 channels.
    /// </summary>
    public static ReferenceNetwork PaddingTaps => new(new RefShape(2, 2, 33), new RefLayer[]
    {
        Depthwise(7, 33), new RefPRelu(), new RefUpsample(2, 2), Depthwise(5, 33), new RefRelu6(),
        new RefConv(5, 5, 33) { Groups = 33, PadLeft = 2, PadTop = 1, PadRight = 0, PadBottom = 3 }, new RefHardSwish(),
    });

    /// <summary>
    /// The two-row kernel on the caller's unpadded input (11×11 to 5×5, 3×3/2 + hard swish, 17 channels): the last
    /// row's loads would end past the input, so they start earlier.
    /// </summary>
    public static ReferenceNetwork Stride2TwoRowsUnpadded => new(new RefShape(11, 11, 17), new RefLayer[]
    {
        new RefConv(3, 3, 17) { Groups = 17, StrideX = 2, StrideY = 2 }, new RefHardSwish(),
    });

    /// <summary>
    /// The stride-2 row kernel one row a vector (AVX-512, a 3×3 onto rows 9 to 15 wide): from 27×19 to 14×10 with 17
    /// channels, padding 1 + hard swish, and padding only right and bottom + PReLU.
    /// </summary>
    public static ReferenceNetwork Stride2OneRow => new(new RefShape(27, 19, 17), new RefLayer[]
    {
        Depthwise(3, 17, stride: 2), new RefHardSwish { Name = "a" },
        new RefConv(3, 3, 17) { From = "Input", Groups = 17, StrideX = 2, StrideY = 2, PadRight = 2, PadBottom = 2 }, new RefPRelu(), new RefConcat("a"),
    });

    /// <summary>One row a vector on the caller's unpadded input (19×17 to 9×8, 33 channels) + ReLU6: the last row's second load starts earlier.</summary>
    public static ReferenceNetwork Stride2OneRowUnpadded => new(new RefShape(19, 17, 33), new RefLayer[]
    {
        new RefConv(3, 3, 33) { Groups = 33, StrideX = 2, StrideY = 2 }, new RefRelu6(),
    });

    /// <summary>
    /// The flattened kernel two channels a tile (AVX-512, maps of about 7×7) on 17 channels (odd: the last alone): on 7×7
    /// a 5×5 + PReLU (each channel's slope, the second of a pair at f + 1) and a 3×3 + hard swish stored straight into
    /// contiguous output rows, a 5×5 + SiLU (a pass) copied row by row into the padded input of a 3×3 + ReLU6.
    /// </summary>
    public static ReferenceNetwork FlatPairs => new(new RefShape(7, 7, 17), new RefLayer[]
    {
        Depthwise(5, 17), new RefPRelu { Name = "a" },
        Depthwise(3, 17) with { From = "Input" }, new RefHardSwish { Name = "b" },
        Depthwise(5, 17) with { From = "Input" }, new RefSilu(), Depthwise(3, 17), new RefRelu6(),
        new RefConcat("a", "b"),
    });

    /// <summary>Two channels a tile on rows of 6, 5 high, 9 channels: a 5×5 + sigmoid and a 3×3 with uneven padding + GELU.</summary>
    public static ReferenceNetwork FlatPairsSix => new(new RefShape(6, 5, 9), new RefLayer[]
    {
        Depthwise(5, 9), new RefSigmoid { Name = "a" },
        new RefConv(3, 3, 9) { From = "Input", Groups = 9, PadLeft = 2, PadTop = 1, PadBottom = 1 }, new RefGelu(), new RefConcat("a"),
    });

    /// <summary>
    /// Row-kernel tiles of several output rows sharing each loaded input row (rows 16 and wider): a 7×7 on 37×11 with 17
    /// channels (AVX-512: 3 vectors a row, 4 rows a tile, the last tile 3 rows) + SiLU, a 5×5 with uneven padding + hard
    /// swish, a grouped 3×3 (2 channels a group) + PReLU, then a 3×3/2 onto 19×6 (stride-2 rows sharing their even loads) + ReLU6.
    /// </summary>
    public static ReferenceNetwork SharedRows => new(new RefShape(37, 11, 17), new RefLayer[]
    {
        Depthwise(7, 17), new RefSilu { Name = "a" },
        new RefConv(5, 5, 17) { From = "Input", Groups = 17, PadLeft = 1, PadTop = 1, PadRight = 3, PadBottom = 3 }, new RefHardSwish(),
        new RefConcat("a"), new RefConv(3, 3, 34) { Groups = 17, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefPRelu(),
        Depthwise(3, 34, stride: 2), new RefRelu6(),
    });

    /// <summary>
    /// ConvNeXt's 7×7 on rows 56 wide (AVX-512: 4 vectors, 3 rows a tile, three tiles) + ReLU on 5 channels, then a 5×5/2
    /// + ELU.
    /// </summary>
    public static ReferenceNetwork SharedRowsSeven => new(new RefShape(56, 9, 5), new RefLayer[]
    {
        Depthwise(7, 5), new RefRelu(),
        new RefConv(5, 5, 5) { Groups = 5, StrideX = 2, StrideY = 2, PadLeft = 2, PadTop = 2, PadRight = 3, PadBottom = 2 }, new RefElu(),
    });

    /// <summary>
    /// Rows of 16 (AVX2: 2 vectors, 2 rows a tile and the last row alone; AVX-512: all 7 rows in one tile): a 3×3 + ReLU6,
    /// a dilated 3×3 (dilation 2, rows 2 apart sharing loads) + GELU, a 7×7 + sigmoid, on 5 channels.
    /// </summary>
    public static ReferenceNetwork SharedRowsSixteen => new(new RefShape(16, 7, 5), new RefLayer[]
    {
        Depthwise(3, 5), new RefRelu6(),
        new RefConv(3, 3, 5) { Groups = 5, DilationX = 2, DilationY = 2, PadLeft = 2, PadTop = 2, PadRight = 2, PadBottom = 2 }, new RefGelu(),
        Depthwise(7, 5), new RefSigmoid(),
    });

    /// <summary>
    /// The channel-block kernel (16 channels a vector, AVX-512) on 4×4 maps with 20 channels (a last block of 4): 5×5 +
    /// hard swish (in the store) and 3×3 + ReLU onto 4×4, 5×5/2 (padding 2 left and above, 1 right and below) + SiLU (a pass) onto 2×2 (4 outputs), all unrolled.
    /// </summary>
    public static ReferenceNetwork Blocks => new(new RefShape(4, 4, 20), new RefLayer[]
    {
        Depthwise(5, 20), new RefHardSwish { Name = "a" },
        Depthwise(3, 20) with { From = "Input" }, new RefRelu { Name = "b" },
        new RefConv(5, 5, 20) { From = "Input", Groups = 20, StrideX = 2, StrideY = 2, PadLeft = 2, PadTop = 2, PadRight = 1, PadBottom = 1 }, new RefSilu(),
        new RefUpsample(2, 2), new RefConcat("a", "b"),
    });

    /// <summary>The channel-block kernel's output rows in loops: 5×5 + ReLU6 on 8×8 with 17 channels (a last block of one), 3×3/2 (padding left and above) + GELU onto 4×4.</summary>
    public static ReferenceNetwork BlocksLoop => new(new RefShape(8, 8, 17), new RefLayer[]
    {
        Depthwise(5, 17), new RefRelu6 { Name = "a" },
        new RefConv(3, 3, 17) { From = "Input", Groups = 17, StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1 }, new RefGelu(), new RefUpsample(2, 2), new RefConcat("a"),
    });

    /// <summary>The channel-block kernel at stride 2 from 16×16 with 33 channels: 5×5/2 + sigmoid, and with padding only right and below (4) + tanh, both onto 8×8.</summary>
    public static ReferenceNetwork BlocksStride2 => new(new RefShape(16, 16, 33), new RefLayer[]
    {
        Depthwise(5, 33, stride: 2), new RefSigmoid { Name = "a" },
        new RefConv(5, 5, 33) { From = "Input", Groups = 33, StrideX = 2, StrideY = 2, PadRight = 4, PadBottom = 4 }, new RefTanh(), new RefConcat("a"),
    });

    /// <summary>
    /// The channel-block kernel on odd maps: 5×5 on 7×5 with uneven padding (left 2, top 1, right 2, bottom 3) + ELU,
    /// 18 channels (35 outputs, the last 16 overlapping); then 5×5/2 without padding from 15×15 (the caller's input) to 6×6.
    /// </summary>
    public static ReferenceNetwork BlocksOdd => new(new RefShape(7, 5, 18), new RefLayer[]
    {
        new RefConv(5, 5, 18) { Groups = 18, PadLeft = 2, PadTop = 1, PadRight = 2, PadBottom = 3 }, new RefElu(),
    });

    /// <summary>5×5/2 without padding from 15×15 with 16 channels (one whole block, read from the caller's input) to 6×6, + hard sigmoid.</summary>
    public static ReferenceNetwork BlocksUnpadded => new(new RefShape(15, 15, 16), new RefLayer[]
    {
        new RefConv(5, 5, 16) { Groups = 16, StrideX = 2, StrideY = 2 }, new RefHardSigmoid(),
    });

    /// <summary>
    /// The channel-block kernel onto 3×3 maps (9 outputs a channel: the transpose back stores them one by one), as
    /// MobileNetV3-Large's last blocks at 96×96 run, each after a 1×1 conv (which writes its bordered buffer): 5×5/2 from
    /// 6×6 (padding 2 left and above, 1 right and below) with 18 channels + hard swish, then 5×5 on 3×3 + ReLU.
    /// </summary>
    public static ReferenceNetwork BlocksNine => new(new RefShape(6, 6, 7), new RefLayer[]
    {
        new RefConv(1, 1, 18), new RefConv(5, 5, 18) { Groups = 18, StrideX = 2, StrideY = 2, PadLeft = 2, PadTop = 2, PadRight = 1, PadBottom = 1 },
        new RefHardSwish(), new RefConv(1, 1, 17), Depthwise(5, 17), new RefRelu(),
    });

    /// <summary>
    /// The banded channel-block kernel (AVX-512, a ring of transposed rows) at stride 2 from 35×33 with 24 channels (a last
    /// block of 8): 5×5/2 + SiLU (a pass) onto 18×17, all results kept for one transpose; then without padding from the
    /// caller's input + tanh onto 16×15.
    /// </summary>
    public static ReferenceNetwork BandsStride2 => new(new RefShape(35, 33, 24), new RefLayer[]
    {
        Depthwise(5, 24, stride: 2), new RefSilu(), new RefConv(1, 1, 8) { Name = "a" },
        new RefConv(5, 5, 24) { From = "Input", Groups = 24, StrideX = 2, StrideY = 2 }, new RefTanh(), new RefConv(1, 1, 8), new RefPad(1, 1, 1, 1), new RefConcat("a"),
    });

    /// <summary>
    /// The banded kernel with more than 512 outputs (each output row transposed back on its own): 5×5/2 from 50×48 with 17
    /// channels (a last block of one), padding 2 left and above, 1 right and below, + ReLU6, onto 25×24.
    /// </summary>
    public static ReferenceNetwork BandsLarge => new(new RefShape(50, 48, 17), new RefLayer[]
    {
        new RefConv(5, 5, 17) { Groups = 17, StrideX = 2, StrideY = 2, PadLeft = 2, PadTop = 2, PadRight = 1, PadBottom = 1 }, new RefRelu6(),
    });

    /// <summary>
    /// The banded kernel at stride 1 onto rows 9 to 15 wide: 5×5 on 13×13 with 20 channels + hard swish (in the store),
    /// and 5×5 with uneven padding (left 1, top 2, right 3, bottom 0) + ReLU onto 13×11.
    /// </summary>
    public static ReferenceNetwork BandsStride1 => new(new RefShape(13, 13, 20), new RefLayer[]
    {
        Depthwise(5, 20), new RefHardSwish(), new RefConv(1, 1, 20) { Name = "a" },
        new RefConv(5, 5, 20) { From = "Input", Groups = 20, PadLeft = 1, PadTop = 2, PadRight = 3 }, new RefRelu(), new RefPad(0, 0, 0, 2), new RefConcat("a"),
    });

    public static readonly (string Name, Func<ReferenceNetwork> Create)[] Checked =
        Enumerable.Range(1, 7).Select(w => ($"DwWidth{w}", (Func<ReferenceNetwork>)(() => OfWidth(w))))
            .Concat(new (string, Func<ReferenceNetwork>)[]
            {
                ("DwNarrow5x5", () => Narrow5x5), ("DwPairs", () => Pairs), ("DwStride2Narrow", () => Stride2Narrow), ("DwStride2Pairs", () => Stride2Pairs), ("DwStrides3And4", () => Strides3And4),
                ("DwSeven", () => Seven), ("DwMultiplier", () => Multiplier), ("DwSqueezeExcite", () => SqueezeExcite),
                ("DwFlat", () => Flat), ("DwFlatOdd", () => FlatOdd), ("DwFlatLoop", () => FlatLoop),
                ("DwStride2Phases", () => Stride2Phases), ("DwStride2PhasesOdd", () => Stride2PhasesOdd), ("DwStride2PhasesLoop", () => Stride2PhasesLoop),
                ("DwStride2TwoRows", () => Stride2TwoRows), ("DwStride2TwoRowsOdd", () => Stride2TwoRowsOdd), ("DwStride2TwoRowsFive", () => Stride2TwoRowsFive), ("DwStride2TwoRowsUnpadded", () => Stride2TwoRowsUnpadded),
                ("DwStride2OneRow", () => Stride2OneRow), ("DwStride2OneRowUnpadded", () => Stride2OneRowUnpadded), ("DwPaddingTaps", () => PaddingTaps),
                ("DwFlatPairs", () => FlatPairs), ("DwFlatPairsSix", () => FlatPairsSix),
                ("DwSharedRows", () => SharedRows), ("DwSharedRowsSeven", () => SharedRowsSeven), ("DwSharedRowsSixteen", () => SharedRowsSixteen),
                ("DwBlocks", () => Blocks), ("DwBlocksLoop", () => BlocksLoop), ("DwBlocksStride2", () => BlocksStride2), ("DwBlocksOdd", () => BlocksOdd), ("DwBlocksUnpadded", () => BlocksUnpadded), ("DwBlocksNine", () => BlocksNine),
                ("DwBandsStride2", () => BandsStride2), ("DwBandsLarge", () => BandsLarge), ("DwBandsStride1", () => BandsStride1),
            })
            .ToArray();
}

/// <summary>
/// The depthwise kernels on narrow maps, odd strides and every activation against the reference, and the generated
/// code's choice of kernel for them (so that a fall back to the scalar kernel cannot pass unnoticed).
/// </summary>
public sealed class DepthwiseTests
{
    public static IEnumerable<object[]> Names() => DepthwiseNetworks.Checked.Select(n => new object[] { n.Name });

    [Theory]
    [MemberData(nameof(Names))]
    public void Network_MatchesTheReference(string name)
    {
        string type = GraphNetworks.TypeName(name);
        GraphTests.Check(type, GraphNetworks.All.References[type], seed: name.Length + 300);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void RowsOfOneToFour_HaveAVector128KernelFromFourOn(int width, bool vector)
    {
        string source = Generate($"DwWidth{width}");
        Assert.Equal(vector, source.Contains("private static void ForwardConv1Vector128(", StringComparison.Ordinal));
        // Narrower than 8: no AVX2 or AVX-512 kernel; the portable one runs on every machine.
        Assert.DoesNotContain("ForwardConv1Avx2(", source, StringComparison.Ordinal);
        Assert.DoesNotContain("ForwardConv1Avx512(", source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void RowsOfFiveToSeven_TakeTheFlattenedKernel_OnEveryInstructionSet(int width)
    {
        string source = Generate($"DwWidth{width}");
        // 5 rows of width + 2 (the 3×3's padding): 4 · (width + 2) + width numbered outputs per channel.
        int flat = 4 * (width + 2) + width;
        foreach (string isa in new[] { "Avx512", "Avx2", "Vector128" })
        {
            Assert.Contains($"Conv1 on {isa} (depthwise): each channel's {flat} outputs numbered along its input's rows ({width + 2} apart, {width} of each kept)", source, StringComparison.Ordinal);
        }
        Assert.Contains($"global::System.Span<float> plane = stackalloc float[{flat}];", source, StringComparison.Ordinal);
    }

    [Fact]
    public void FlattenedKernel_SpansRows_AndCopiesTheKeptColumns()
    {
        string source = Generate("DwFlat");
        // 5×5 on 7×7 (rows 11 apart): 73 numbered outputs, 5 vectors of 16, the last at 57 (ending on output 72).
        Assert.Contains("Conv1 on Avx512 (depthwise): each channel's 73 outputs numbered along its input's rows (11 apart, 7 of each kept) in 5 vectors of 16", source, StringComparison.Ordinal);
        // Rows of 14 (the upsampled map): two 8-wide copies, the second at 6.
        Assert.Contains("CnnVector256.StoreUnsafe(CnnVector256.LoadUnsafe(ref from, (nuint)6), ref to, (nuint)6);", source, StringComparison.Ordinal);
        // SiLU stays a pass after the kernel; hard swish is in its store.
        Assert.Matches(@"global::CnnGen\.Kernels\.SiluInPlace\(", source);
        Assert.Contains("global::CnnGen.Kernels.HardSwish(acc0)", source, StringComparison.Ordinal);
        // Each row's 7 kept columns: two overlapping 4-wide copies, rows 11 apart in the buffer and 7 in the output (the
        // 7×7 kernel's last, odd channel, whose output is the padded input of the next 3×3).
        string pairs = Generate("DwFlatPairs");
        Assert.Contains("// the last channel, alone", pairs, StringComparison.Ordinal);
        Assert.Contains("ref float from = ref CnnUnsafe.Add(ref outputRow, y * 11);", pairs, StringComparison.Ordinal);
        Assert.Contains("CnnVector128.StoreUnsafe(CnnVector128.LoadUnsafe(ref from, (nuint)3), ref to, (nuint)3);", pairs, StringComparison.Ordinal);
    }

    [Fact]
    public void FlattenedKernel_TakesTwoChannelsATile_OnAvx512()
    {
        string source = Generate("DwFlat");
        Assert.Contains("Conv1 on Avx512 (depthwise): each channel's 73 outputs numbered along its input's rows (11 apart, 7 of each kept) in 5 vectors of 16, two channels a tile, stored straight into the output's rows.", source, StringComparison.Ordinal);
        Assert.Contains("// outputs 0, 16, 32, 48, 57 (+ vector width) of channels f and f + 1", source, StringComparison.Ordinal);
        // Each kernel row's taps 1 to 3 from its first and last loads: lane i takes column i + 1, lane 15 column 16 (the
        // last load's lane 12). Kernel row 0 of vector 1 (outputs 16 on) in the second channel (121 floats on): its last tap at 16 + 121 + 4.
        Assert.Contains("shift1 = CnnVector512.Create(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 28);", source, StringComparison.Ordinal);
        Assert.Contains("CnnFloat16 last1 = CnnVector512.LoadUnsafe(ref channels, (nuint)(141));", source, StringComparison.Ordinal);
        // Kernel row 0 of vector 0 (output rows 0 and 1) reads only padding: left out.
        Assert.DoesNotContain("CnnFloat16 first0 = CnnVector512.LoadUnsafe(ref channels, (nuint)(0));", Method(source, "ForwardConv1Avx512"), StringComparison.Ordinal);
        // Vector 0 (outputs 0 to 15): row 0's 7 and row 1's first 5, packed to the front and stored at the channel's start;
        // the last 16 outputs (33 to 48) from vectors 3 and 4; the second channel's at f + 1.
        Assert.Contains("CnnVector512.StoreUnsafe(CnnAvx512F.PermuteVar16x32(acc0, CnnVector512.Create(0, 1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 0, 0, 0, 0)), ref output, (nuint)(f * 49 + 0));", source, StringComparison.Ordinal);
        Assert.Contains("CnnVector512.StoreUnsafe(CnnAvx512F.PermuteVar16x32x2(acc8, CnnVector512.Create(1, 2, 7, 8, 16, 17, 18, 19, 20, 25, 26, 27, 28, 29, 30, 31), acc9), ref output, (nuint)((f + 1) * 49 + 33));", source, StringComparison.Ordinal);
        // The 3×3 on rows of 5: three vectors, weights of both channels in registers.
        Assert.Contains("Conv3 on Avx512 (depthwise): each channel's 47 outputs numbered along its input's rows (7 apart, 5 of each kept) in 3 vectors of 16, two channels a tile", source, StringComparison.Ordinal);
        // PReLU's slope for the pair's second channel.
        string pairs = Generate("DwFlatPairs");
        Assert.Contains("f + 1", pairs[pairs.IndexOf("Kernels.LeakyRelu(acc5", StringComparison.Ordinal)..].Split('\n')[0], StringComparison.Ordinal);
        // Not on AVX2 or Vector128 (their vectors loop).
        Assert.DoesNotContain("Conv1 on Avx2 (depthwise): each channel's 73 outputs numbered along its input's rows (11 apart, 7 of each kept) in 10 vectors of 8, two channels", source, StringComparison.Ordinal);
    }

    [Fact]
    public void FlattenedKernel_LoopsOverTiles_WhenTheTapsWouldNotUnroll()
    {
        string source = Generate("DwFlatLoop");
        // 7×7 on 15×13 (rows 21 apart): 267 numbered outputs, 17 vectors of 16 × 49 taps: a loop over tiles of 8.
        Assert.Contains("each channel's 267 outputs numbered along its input's rows (21 apart, 15 of each kept) in 17 vectors of 16", source, StringComparison.Ordinal);
        Assert.Contains("for (int column = 0; column < 256; column += 128)", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Stride2_5x5_TakesThePhaseKernel_WithoutAvx512()
    {
        string source = Generate("DwStride2Phases");
        // 5×5/2 from 13×13 (17×17 padded) to 7×7: phases of 9 rows of 9 (+ 16 spare), 6 · 9 + 7 = 61 numbered outputs;
        // rows of 7 take the two-row kernel on AVX-512.
        foreach (string isa in new[] { "Avx2", "Vector128" })
        {
            Assert.Contains($"Conv1 on {isa} (depthwise, stride 2): each channel split into its 4 phases (9 rows of 9), its 61 outputs numbered along the phases' rows", source, StringComparison.Ordinal);
        }
        Assert.Contains("Conv1 on Avx512 (depthwise, stride 2): each channel's output rows in pairs", source, StringComparison.Ordinal);
        Assert.Contains("in 8 vectors of 8", source, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.SplitPhases(ref channels, 17, 17, 17, ref phases, 9, 97, ", source, StringComparison.Ordinal);
        // Tap (1, 1) reads the odd rows' odd columns (phase 3, at 3 · 97) from its start; tap (4, 3) phase 1 two rows and one column on.
        Assert.Contains("CnnVector256.LoadUnsafe(ref phases, (nuint)(column + 291))", source, StringComparison.Ordinal);
        Assert.Contains("CnnVector256.LoadUnsafe(ref phases, (nuint)(column + 116))", source, StringComparison.Ordinal);
        // Hard swish in the store; the 3×3/2 onto rows of 4 keeps the row kernel.
        Assert.Contains("global::CnnGen.Kernels.HardSwish(acc0)", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Conv2 on Avx512 (depthwise, stride 2)", source, StringComparison.Ordinal);
        // Uneven padding: the 5×5/2 from 14×12 reads 17 of its 17 padded columns and 13 of its 13 rows; PReLU in the store, SiLU a pass.
        string odd = Generate("DwStride2PhasesOdd");
        Assert.Contains("Conv1 on Avx2 (depthwise, stride 2): each channel split into its 4 phases (7 rows of 9)", odd, StringComparison.Ordinal);
        Assert.Contains("Conv2 on Avx2 (depthwise, stride 2): each channel split into its 4 phases (8 rows of 10)", odd, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.LeakyRelu(acc0, ", odd, StringComparison.Ordinal);
        Assert.Matches(@"global::CnnGen\.Kernels\.SiluInPlace\(", odd);
    }

    [Fact]
    public void Stride2PhaseKernel_LoopsOverTiles_WhenTheTapsWouldNotUnroll()
    {
        string source = Generate("DwStride2PhasesLoop");
        // 7×7/2 to 15×15: phases of 18 rows of 18, 14 · 18 + 15 = 267 outputs, 17 vectors of 16 × 49 taps: a loop over tiles of 8.
        Assert.Contains("Conv1 on Avx512 (depthwise, stride 2): each channel split into its 4 phases (18 rows of 18), its 267 outputs numbered along the phases' rows in 17 vectors of 16", source, StringComparison.Ordinal);
        Assert.Contains("for (int column = 0; column < 256; column += 128)", source, StringComparison.Ordinal);
    }

    [Fact]
    public void SmallMaps_TakeTheChannelBlockKernel_OnAvx512()
    {
        string source = Generate("DwBlocks");
        foreach (string conv in new[] { "Conv1", "Conv2", "Conv3" })
        {
            Assert.Contains($"{conv} on Avx512 (depthwise, 16 channels a vector): each block of 16 channels transposed onto the stack", source, StringComparison.Ordinal);
            Assert.Contains($"{conv} on Vector128 (depthwise)", source, StringComparison.Ordinal); // the other instruction sets keep theirs
        }
        // 5×5/2 from 4×4 (7×7 padded) onto 2×2: 9 + 12 + 12 + 16 taps read the input, the rest only padding.
        Assert.Contains("Conv3 on Avx512 (depthwise, 16 channels a vector): each block of 16 channels transposed onto the stack as a vector a pixel (the bordered plane, 7 wide), 49 FMAs of a tap's 16 weights, unrolled", source, StringComparison.Ordinal);
        // 20 channels: the second block has 4; weights repacked as panels at construction.
        Assert.Contains("int lanes = block == 1 ? 4 : 16;", source, StringComparison.Ordinal);
        Assert.Contains("PackWeights(_parameters);", source, StringComparison.Ordinal);
        Assert.Contains("// Conv3: weights [20][1][5][5] → panels [2][1][5][5][16], then the biases.", source, StringComparison.Ordinal);
        // Output (1, 1) of the 5×5/2, tap (2, 2): padded pixel (4, 4), 32 vectors of 16 into the tile; SiLU stays a pass.
        Assert.Contains("acc3 = CnnAvx512F.FusedMultiplyAdd(CnnVector512.LoadUnsafe(ref tile, (nuint)512), w12, acc3);", Method(source, "ForwardConv3Avx512"), StringComparison.Ordinal);
        Assert.Matches(@"global::CnnGen\.Kernels\.SiluInPlace\(", source);
        Assert.Contains("global::CnnGen.Kernels.HardSwish(acc0)", Method(source, "ForwardConv1Avx512"), StringComparison.Ordinal);
        // 5×5 on 8×8: rows 2 to 5 read all five kernel rows, one loop; 17 channels, a last block of one.
        string loop = Generate("DwBlocksLoop");
        Assert.Contains("1156 FMAs of a tap's 16 weights, output rows in loops", loop, StringComparison.Ordinal);
        Assert.Contains("for (int oy = 2; oy < 6; oy++)", loop, StringComparison.Ordinal);
        Assert.Contains("int lanes = block == 1 ? 1 : 16;", loop, StringComparison.Ordinal);
        // Without padding the kernel reads the caller's input as it is (rows of 15, from 0).
        string unpadded = Generate("DwBlocksUnpadded");
        Assert.Contains("global::CnnGen.ChannelBlocks.ToPixels(ref CnnUnsafe.Add(ref input, 0 + block * 3600), 225, lanes, 225, ref CnnUnsafe.Add(ref tile, 0));", unpadded, StringComparison.Ordinal);
        // 9 outputs a channel (3×3 maps): the kernel too, the transpose back storing them one by one.
        string nine = Generate("DwBlocksNine");
        Assert.Contains("Conv2 on Avx512 (depthwise, 16 channels a vector)", nine, StringComparison.Ordinal);
        Assert.Contains("Conv4 on Avx512 (depthwise, 16 channels a vector)", nine, StringComparison.Ordinal);
        // Larger maps: the banded kernel, a ring of 5 transposed rows (padding rows as zeros), one loop over the output rows.
        foreach (string name in new[] { "DwBandsStride2", "DwBandsLarge", "DwBandsStride1" })
        {
            string banded = Generate(name);
            Assert.Contains("Conv1 on Avx512 (depthwise, 16 channels a vector): each block of 16 channels' input rows transposed as needed into a ring of 5 rows", banded, StringComparison.Ordinal);
            Assert.Contains("Conv1 on Vector128 (depthwise", banded, StringComparison.Ordinal); // the other instruction sets keep theirs
        }
        string bands = Generate("DwBandsStride2");
        Assert.Contains("global::CnnGen.ChannelBlocks.ToRing(ref planes, 1443, lanes, 39, 2, 35, ready, needed, 5, ref ring);", Method(bands, "ForwardConv1Avx512"), StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.ChannelBlocks.ToRing(ref planes, 1155, lanes, 35, 0, 33, ready, needed, 5, ref ring);", bands, StringComparison.Ordinal);
        Assert.Contains("int lanes = block == 1 ? 8 : 16;", bands, StringComparison.Ordinal);
        // 600 outputs: each output row goes back on its own.
        Assert.Contains("global::CnnGen.ChannelBlocks.ToChannels(ref results, 25, lanes, ref CnnUnsafe.Add(ref output, block * 9600 + oy * 25), 600);", Generate("DwBandsLarge"), StringComparison.Ordinal);
        // Fewer than 16 channels and PReLU keep the other kernels.
        Assert.DoesNotContain("16 channels a vector", Generate("DwStride2TwoRows"), StringComparison.Ordinal);
    }

    [Fact]
    public void Stride2OntoRowsOf5To8_TakesTheTwoRowKernel_OnAvx512()
    {
        string source = Generate("DwStride2TwoRows");
        // 7×7 outputs: 4 vectors of two rows (the last one row); the other instruction sets keep their kernels.
        foreach (string conv in new[] { "Conv1", "Conv2", "Conv3" })
        {
            Assert.Contains($"{conv} on Avx512 (depthwise, stride 2): each channel's output rows in pairs, 8 lanes a row, in 4 vectors of 16", source, StringComparison.Ordinal);
        }
        Assert.Contains("Conv1 on Vector128 (depthwise): each output channel's 2 rows at a time", source, StringComparison.Ordinal);
        Assert.Contains("Conv2 on Avx2 (depthwise, stride 2): each channel split into its 4 phases", source, StringComparison.Ordinal);
        // The 3×3/2 on 15×15 padded planes: kernel row 1 of output rows 2 and 3 loads padded rows 5 and 7 from column 0
        // once for its three taps; tap (1, 2) takes their columns 2, 4, … (past the 7 kept, the last again).
        Assert.Contains("// kernel row 1, output rows 2 and 3", source, StringComparison.Ordinal);
        Assert.Contains("CnnFloat16 top0 = CnnVector512.LoadUnsafe(ref channels, (nuint)75);", source, StringComparison.Ordinal);
        Assert.Contains("CnnFloat16 bottom0 = CnnVector512.LoadUnsafe(ref channels, (nuint)105);", source, StringComparison.Ordinal);
        Assert.Contains("acc1 = CnnAvx512F.FusedMultiplyAdd(CnnAvx512F.PermuteVar16x32x2(top0, CnnVector512.Create(2, 4, 6, 8, 10, 12, 14, 14, 18, 20, 22, 24, 26, 28, 30, 30), bottom0), w5, acc1);", source, StringComparison.Ordinal);
        // Output row 6 is alone in its vector: its kernel row 1 reads padded row 13 twice.
        Assert.Contains("CnnFloat16 bottom0 = CnnVector512.LoadUnsafe(ref channels, (nuint)195);", source, StringComparison.Ordinal);
        // Kernel row 2 of row 6 would read padded row 14: padding only, left out.
        Assert.DoesNotContain("// kernel row 2, output rows 6 and 7", Method(source, "ForwardConv1Avx512"), StringComparison.Ordinal);
        // Unpadded 11×11 input: kernel row 2 of output row 4 reads input row 10 from 110; 16 floats would end past the
        // channel's 121, so the load starts at 105 and tap (2, 0) takes lanes 5, 7, … (past the 5 kept, the last again).
        string unpadded = Generate("DwStride2TwoRowsUnpadded");
        Assert.Contains("CnnFloat16 top0 = CnnVector512.LoadUnsafe(ref channels, (nuint)105);", unpadded, StringComparison.Ordinal);
        Assert.Contains("CnnAvx512F.PermuteVar16x32x2(top0, CnnVector512.Create(5, 7, 9, 11, 13, 13, 13, 13, 21, 23, 25, 27, 29, 29, 29, 29), bottom0), w6, acc2)", unpadded, StringComparison.Ordinal);
        // ReLU6, hard swish and PReLU in the stores; the 7 kept columns of each row packed by a permute and stored
        // straight into the output (7×7 contiguous), the last 16 outputs (33 to 48) from the last two vectors.
        Assert.Contains("stored straight into the output's rows", source, StringComparison.Ordinal);
        Assert.Contains("CnnVector512.StoreUnsafe(CnnAvx512F.PermuteVar16x32(acc1, CnnVector512.Create(0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 0, 0)), ref output, (nuint)(f * 49 + 14));", source, StringComparison.Ordinal);
        Assert.Contains("CnnVector512.StoreUnsafe(CnnAvx512F.PermuteVar16x32x2(acc2, CnnVector512.Create(5, 6, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21, 22), acc3), ref output, (nuint)(f * 49 + 33));", source, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.HardSwish(acc0)", source, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.LeakyRelu(acc0, ", source, StringComparison.Ordinal);
        string odd = Generate("DwStride2TwoRowsOdd");
        // 8×6 (3 vectors) with uneven padding: rows of 8 copied with one 8-wide copy.
        Assert.Contains("Conv1 on Avx512 (depthwise, stride 2): each channel's output rows in pairs, 8 lanes a row, in 3 vectors of 16", odd, StringComparison.Ordinal);
        Assert.Contains("Conv2 on Avx512 (depthwise, stride 2): each channel's output rows in pairs, 8 lanes a row, in 3 vectors of 16", odd, StringComparison.Ordinal);
        // Rows of 8, two a vector: stored as they are, no permute.
        Assert.Contains("CnnVector512.StoreUnsafe(acc1, ref output, (nuint)(f * 48 + 16));", odd, StringComparison.Ordinal);
        // 5×5 (3 vectors, the last one row).
        string five = Generate("DwStride2TwoRowsFive");
        Assert.Contains("Conv1 on Avx512 (depthwise, stride 2): each channel's output rows in pairs, 8 lanes a row, in 3 vectors of 16", five, StringComparison.Ordinal);
        Assert.Contains("Conv2 on Avx512 (depthwise, stride 2): each channel's output rows in pairs, 8 lanes a row, in 3 vectors of 16", five, StringComparison.Ordinal);
    }

    [Fact]
    public void Stride2_3x3_OntoRowsOf9To15_TakesTheOneRowKernel_OnAvx512()
    {
        string source = Generate("DwStride2OneRow");
        foreach (string conv in new[] { "Conv1", "Conv2" })
        {
            Assert.Contains($"{conv} on Avx512 (depthwise, stride 2): each channel's output rows one a vector of 16, in 10 vectors", source, StringComparison.Ordinal);
        }
        // Rows of 29 padded: output row 1's tap (1, 1) reads padded row 3 from column 1, in two loads 16 apart; rows of 14
        // copied out of rows of 16 with two 8-wide copies.
        Assert.Contains("CnnAvx512F.PermuteVar16x32x2(CnnVector512.LoadUnsafe(ref channels, (nuint)88), evens, CnnVector512.LoadUnsafe(ref channels, (nuint)104))", source, StringComparison.Ordinal);
        Assert.Contains("ref float from = ref CnnUnsafe.Add(ref outputRow, y * 16);", source, StringComparison.Ordinal);
        Assert.Contains("CnnVector256.StoreUnsafe(CnnVector256.LoadUnsafe(ref from, (nuint)6), ref to, (nuint)6);", source, StringComparison.Ordinal);
        // Unpadded 19×17: output row 7's tap (2, 0) reads input row 16 from 304; the second load would end past the
        // channel's 323, so it starts at 307 and the permute's upper lanes start 13 columns on.
        string unpadded = Generate("DwStride2OneRowUnpadded");
        Assert.Contains("Conv1 on Avx512 (depthwise, stride 2): each channel's output rows one a vector of 16, in 8 vectors", unpadded, StringComparison.Ordinal);
        Assert.Contains("CnnAvx512F.PermuteVar16x32x2(CnnVector512.LoadUnsafe(ref channels, (nuint)304), CnnVector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 29, 31, 31, 31, 31, 31, 31, 31), CnnVector512.LoadUnsafe(ref channels, (nuint)307))", unpadded, StringComparison.Ordinal);
    }

    [Fact]
    public void TapsOverPaddingOnly_AreLeftOut()
    {
        string source = Generate("DwPaddingTaps");
        // The 7×7 on 2×2 (rows of 8 with its padding 3): taps (2 to 4, 2 to 4) only, the first at 2 · 8 + 2 = 18, the last at 36.
        Assert.Contains("global::CnnGen.Kernels.LoadRowPairs(ref inputRow, (nuint)(0 + 18), 8)", source, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.LoadRowPairs(ref inputRow, (nuint)(0 + 36), 8)", source, StringComparison.Ordinal);
        Assert.DoesNotContain("global::CnnGen.Kernels.LoadRowPairs(ref inputRow, (nuint)(0 + 17), 8)", source, StringComparison.Ordinal);
        Assert.DoesNotContain("global::CnnGen.Kernels.LoadRowPairs(ref inputRow, (nuint)(0 + 37), 8)", source, StringComparison.Ordinal);
        Assert.Equal(9, System.Text.RegularExpressions.Regex.Matches(source, @"LoadRowPairs\(ref inputRow, \(nuint\)\(0( \+ \d+)?\), 8\)").Count);
        // The 5×5 on 4×4 (rows of 8): output row 0 reads data from ky = 2 on (padded row 2), row 1 from ky = 1 on, so padded
        // rows 0 and 1 are never loaded; padded row 2 is loaded once for rows 0 to 2.
        Assert.Contains("Conv2 on Vector128 (depthwise): each output channel's 4 rows at a time", source, StringComparison.Ordinal);
        string conv2 = Method(source, "ForwardConv2Vector128");
        Assert.DoesNotContain("x = CnnVector128.LoadUnsafe(ref inputRow, (nuint)(0));", conv2, StringComparison.Ordinal);
        Assert.DoesNotContain("x = CnnVector128.LoadUnsafe(ref inputRow, (nuint)(0 + 12));", conv2, StringComparison.Ordinal);
        Assert.Matches(@"x = CnnVector128\.LoadUnsafe\(ref inputRow, \(nuint\)\(0 \+ 16\)\);\s*acc0 = global::CnnGen\.Kernels\.MultiplyAdd\(x, ", conv2);
    }

    [Fact]
    public void WideRows_TileSeveralRows_ThatShareEachLoadedInputRow_OnAvx512()
    {
        string source = Generate("DwSharedRowsSeven");
        // 56 wide: 4 vectors of 16 a row, 3 rows a tile (12 accumulators), 9 rows in three tiles.
        Assert.Contains("Conv1 on Avx512 (depthwise): each output channel's 3 rows at a time, 4 vectors of 16 columns each.", source, StringComparison.Ordinal);
        string avx512 = Method(source, "ForwardConv1Avx512");
        Assert.Contains("for (int oy = 0; oy < 9; oy += 3)", avx512, StringComparison.Ordinal);
        // Input row 2 (row stride 62): one load at column 16 + tap column 1, then FMAs for output row 0 (ky 2, weight 15),
        // row 1 (ky 1, weight 8) and row 2 (ky 0, weight 1).
        Assert.Contains("x = CnnVector512.LoadUnsafe(ref inputRow, (nuint)(16 + 125));", avx512, StringComparison.Ordinal);
        Assert.Matches(@"x = CnnVector512\.LoadUnsafe\(ref inputRow, \(nuint\)\(16 \+ 125\)\);\s*acc1 = CnnAvx512F\.FusedMultiplyAdd\(x, CnnVector512\.Create\(CnnUnsafe\.Add\(ref filter, 15\)\), acc1\);\s*acc5 = CnnAvx512F\.FusedMultiplyAdd\(x, CnnVector512\.Create\(CnnUnsafe\.Add\(ref filter, 8\)\), acc5\);\s*acc9 = CnnAvx512F\.FusedMultiplyAdd\(x, CnnVector512\.Create\(CnnUnsafe\.Add\(ref filter, 1\)\), acc9\);", avx512);
        // AVX2 keeps tiles of at most 4 vectors: one 56-wide row is 7 vectors of 8.
        Assert.Contains("Conv1 on Avx2 (depthwise): each output channel's rows in tiles of 4 vectors of 8 columns", source, StringComparison.Ordinal);
    }

    [Fact]
    public void NarrowMaps_TileSeveralRows_AndFuseTheActivation()
    {
        string source = Generate("DwNarrow5x5");
        // 4×4 maps: all four rows in one tile, four independent accumulators (rows of 6 in the 3×3's bordered buffer).
        Assert.Contains("Conv1 on Vector128 (depthwise): each output channel's 4 rows at a time, 1 vector of 4 columns each.", source, StringComparison.Ordinal);
        Assert.Contains("// output rows oy to oy + 3, columns 0 (+ vector width)", source, StringComparison.Ordinal);
        Assert.Contains("CnnVector128.StoreUnsafe(acc3, ref outputRow, (nuint)(18));", source, StringComparison.Ordinal);
        // SiLU: one pass after the kernel over the 4×4 interiors of the 3×3's bordered buffer (rows 6 apart), each plane
        // as one run of 3 · 6 + 4 values, its zero border columns included (they stay zero).
        Assert.Matches(@"global::CnnGen\.Kernels\.SiluInPlace\(ref CnnUnsafe\.Add\(ref scratch, \d+\), 22, 1, 6, 22, 36\);", source);
        // The 3×3's nine weights stay in registers beside the four accumulators.
        Assert.Contains("CnnFloat4 w8 = CnnVector128.Create(CnnUnsafe.Add(ref filter, 8));", source, StringComparison.Ordinal);
    }

    [Fact]
    public void MapsTwoWide_PutTwoRowsInAVector()
    {
        string source = Generate("DwPairs");
        Assert.Contains("// output rows oy to oy + 1, columns 0 (+ vector width)", source, StringComparison.Ordinal);
        // The 5×5 reads rows of 6 (2 + its padding), its weights from memory, only its 9 taps (1 to 3, 1 to 3) that reach
        // the 2×2 data; the 3×3 rows of 4, its weights in registers.
        Assert.DoesNotContain("global::CnnGen.Kernels.LoadRowPairs(ref inputRow, (nuint)(0), 6)", source, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.MultiplyAdd(global::CnnGen.Kernels.LoadRowPairs(ref inputRow, (nuint)(0 + 7), 6), weight, acc0);", source, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.MultiplyAdd(global::CnnGen.Kernels.LoadRowPairs(ref inputRow, (nuint)(0 + 21), 6), weight, acc0);", source, StringComparison.Ordinal);
        Assert.DoesNotContain("global::CnnGen.Kernels.LoadRowPairs(ref inputRow, (nuint)(0 + 22), 6)", source, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.MultiplyAdd(global::CnnGen.Kernels.LoadRowPairs(ref inputRow, (nuint)(0), 4), w0, acc0);", source, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.StoreRowPairs(acc0, ref outputRow, (nuint)(0), ", source, StringComparison.Ordinal);
        // 2×6 after the upsample: six rows, three vectors, in one tile.
        Assert.Contains("// output rows oy to oy + 5, columns 0 (+ vector width)", source, StringComparison.Ordinal);
    }

    [Fact]
    public void MapsTwoWide_AtStride2_PutTwoRowsInAVector()
    {
        string source = Generate("DwStride2Pairs");
        // The 5×5/2 from 3×4 (7×8 with its padding) to 2×2: even columns of rows 2 apart, 14 floats.
        Assert.Contains("global::CnnGen.Kernels.MultiplyAdd(global::CnnGen.Kernels.LoadEvenRowPairs(ref inputRow, (nuint)(0), 14), weight, acc0);", source, StringComparison.Ordinal);
        foreach (string conv in new[] { "Conv1", "Conv2", "Conv3" })
        {
            Assert.Contains($"private static void Forward{conv}Vector128(", source, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Stride2_UsesThePortableEvenColumnLoads()
    {
        string source = Generate("DwStride2Narrow");
        Assert.Contains("private static void ForwardConv1Vector128(", source, StringComparison.Ordinal);
        Assert.Contains("global::CnnGen.Kernels.LoadEvenColumns(ref inputRow, ", source, StringComparison.Ordinal);
        Assert.Contains("private static void ForwardConv2Vector128(", source, StringComparison.Ordinal);
    }

    [Fact]
    public void PRelu_FoldsIntoTheDepthwiseKernels_WithItsChannelsSlope()
    {
        string source = Generate("DwMultiplier");
        // Conv1's 32 weights + 8 biases, then the PRelu's 8 slopes: slope f of output channel f.
        Assert.Contains("global::CnnGen.Kernels.LeakyRelu(acc0, CnnUnsafe.Add(ref weights, 208 + f))", source, StringComparison.Ordinal);
        Assert.DoesNotContain("private static void ForwardPRelu", source, StringComparison.Ordinal);
    }

    [Fact]
    public void WholeMapAveragePool_IsAGlobalReduction()
    {
        string source = Generate("DwSqueezeExcite");
        Assert.Contains("AvgPool1: 4×4×16 → 1×1×16, mean of 4×4 windows", source, StringComparison.Ordinal);
        Assert.Contains("value = CnnVector256.Sum(a0);", source, StringComparison.Ordinal);
    }

    /// <summary>The text of generated method <paramref name="name"/>, up to the next method.</summary>
    private static string Method(string source, string name)
    {
        int start = source.IndexOf($"private static void {name}(", StringComparison.Ordinal);
        int end = source.IndexOf("private static void ", start + 1, StringComparison.Ordinal);
        return source[start..(end < 0 ? source.Length : end)];
    }

    private static string Generate(string name) =>
        ConvFamilyTests.Generate(DepthwiseNetworks.Checked.Single(n => n.Name == name).Create().ToPlainSource("N", name));
}
