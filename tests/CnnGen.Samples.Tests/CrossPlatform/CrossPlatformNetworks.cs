using System.Collections.Generic;
using CnnGen.TestSupport;

namespace CnnGen.Samples.Tests.CrossPlatform;

/// <summary>
/// The networks of tests/CnnGen.CrossPlatform.App written as the independent reference's layers, by the
/// app's class name. The app declares the same networks with attributes (its Networks/*.cs were written
/// from <see cref="ReferenceNetwork.ToPlainSource"/> of these); <see cref="CrossPlatformTests"/> checks
/// that each app network has these shapes and parameter layout and computes what the reference computes.
/// Together they reach every kernel family: convolutions 1×1 to 7×7 with strides 1 to 4 and dilation,
/// narrow 2×2 to 7×7 maps with many channels, 1-D (height 1), depthwise and grouped, fully connected,
/// max and average pools, global pools, ConvTranspose, BatchNorm (folded and on its own), Normalize,
/// the activations, Add / Mul / Concat graphs, nearest and bilinear Upsample, and Softmax.
/// </summary>
internal static class CrossPlatformNetworks
{
    private static RefConv Same(int k, int filters, int groups = 1, int dilation = 1)
    {
        int p = dilation * (k - 1) / 2;
        return new RefConv(k, k, filters) { Groups = groups, DilationX = dilation, DilationY = dilation, PadLeft = p, PadTop = p, PadRight = p, PadBottom = p };
    }

    /// <summary>Every network by its class name in the app.</summary>
    public static IReadOnlyDictionary<string, ReferenceNetwork> All { get; } = new Dictionary<string, ReferenceNetwork>
    {
        // 3×3, 5×5, 7×7 stride 2 (BatchNorm folded), 1×1, 3×3 stride 3; rows of 24, 12 and 4.
        ["Convolutions"] = new(new RefShape(24, 20, 3), new RefLayer[]
        {
            Same(3, 8), new RefRelu(), Same(5, 12), new RefSilu(),
            new RefConv(7, 7, 16) { StrideX = 2, StrideY = 2, PadLeft = 3, PadTop = 3, PadRight = 2, PadBottom = 2 }, new RefBatchNorm(), new RefHardSwish(),
            new RefConv(1, 1, 24), new RefSigmoid(),
            new RefConv(3, 3, 16) { StrideX = 3, StrideY = 3, PadTop = 1, PadBottom = 1 }, new RefGelu(),
        }),

        // Stride 4 on rows of 64 (rows of 16 out), stride 2 padded on one side, dilation 2.
        ["Strides"] = new(new RefShape(64, 32, 4), new RefLayer[]
        {
            new RefConv(4, 4, 8) { StrideX = 4, StrideY = 4 }, new RefLeakyRelu(),
            new RefConv(3, 3, 12) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1 }, new RefTanh(),
            Same(3, 16, dilation: 2), new RefElu(),
        }),

        // Maps of 7×7 down to 2×2 with 48 to 128 channels, both global pools concatenated, fully connected.
        ["NarrowMaps"] = new(new RefShape(7, 7, 48), new RefLayer[]
        {
            Same(3, 64), new RefRelu(), new RefConv(2, 2, 64), new RefRelu6(), new RefConv(2, 2, 96),
            new RefConv(2, 2, 64), new RefRelu(), new RefConv(2, 2, 128), new RefConv(2, 2, 64), new RefSilu { Name = "narrowest" },
            new RefGlobalPool(false) { Name = "mean" }, new RefGlobalPool(true) { From = "narrowest" }, new RefConcat("mean"),
            new RefFullyConnected(32),
        }),

        // Height 1: 5×1 and strided 3×1 convolutions, 2×1 max and padded 3×1 average pools, Softmax.
        ["OneDimensional"] = new(new RefShape(64, 1, 8), new RefLayer[]
        {
            new RefConv(5, 1, 16) { PadLeft = 2, PadRight = 2 }, new RefRelu(),
            new RefConv(3, 1, 16) { StrideX = 2, PadLeft = 1 }, new RefGelu(),
            new RefPool(true, 2, 1, 2, 1), new RefPool(false, 3, 1, 1, 1) { PadLeft = 1, PadRight = 1 },
            new RefConv(1, 1, 8), new RefGelu(Tanh: true), new RefFullyConnected(10), new RefSoftmax(),
        }),

        // MobileNetV2's inverted residual (BatchNorms folded, depthwise 3×3, Add), a grouped strided 5×5, a grouped 3×3.
        ["Depthwise"] = new(new RefShape(14, 14, 8), new RefLayer[]
        {
            new RefConv(1, 1, 16), new RefBatchNorm(), new RefRelu6(), Same(3, 16, groups: 16), new RefBatchNorm(), new RefRelu6(),
            new RefConv(1, 1, 8), new RefBatchNorm(), new RefAdd("Input"),
            new RefConv(5, 5, 16) { Groups = 8, StrideX = 2, StrideY = 2, PadLeft = 2, PadTop = 2, PadRight = 1, PadBottom = 1 }, new RefHardSwish(),
            Same(3, 32, groups: 4), new RefHardSigmoid(),
        }),

        // Grouped convolutions: 2 and 4 channels per group, a grouped 1×1, 32 channels per group (weights streamed).
        ["Grouped"] = new(new RefShape(20, 6, 8), new RefLayer[]
        {
            Same(3, 12, groups: 4), new RefRelu(), new RefConv(1, 1, 8) { Groups = 2 }, Same(3, 64), Same(3, 32, groups: 2),
        }),

        // The README's residual block: Add of a ReLU branch, Concat with a 1×1 side branch; rows of 32.
        ["Residual"] = new(new RefShape(32, 32, 16), new RefLayer[]
        {
            Same(3, 16) with { Name = "a" }, new RefRelu(), Same(3, 16), new RefRelu(), Same(3, 16),
            new RefAdd("Relu1"), new RefRelu(), new RefConv(1, 1, 8) { From = "a", Name = "side" }, new RefConcat("Relu3"),
        }),

        // A ResNet block that halves the size (strided 1×1 shortcut), 8×8 average pool, fully connected.
        ["ResidualDownsample"] = new(new RefShape(16, 16, 8), new RefLayer[]
        {
            new RefConv(3, 3, 16) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefRelu(),
            Same(3, 16) with { Name = "body" }, new RefConv(1, 1, 16) { StrideX = 2, StrideY = 2, From = "Input", Name = "shortcut" },
            new RefAdd("body"), new RefRelu(), new RefPool(false, 8, 8, 8, 8), new RefFullyConnected(10),
        }),

        // Inception-style branches from the input (a padded 3×3 max pool among them), concatenated.
        ["Inception"] = new(new RefShape(10, 10, 4), new RefLayer[]
        {
            new RefConv(1, 1, 4) { Name = "b1" }, Same(3, 6) with { From = "Input" }, new RefRelu { Name = "b2" },
            new RefPool(true, 3, 3, 1, 1) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, From = "Input" },
            new RefConv(1, 1, 2) { Name = "b3" }, new RefConcat("b1", "b2"), Same(3, 5),
        }),

        // Squeeze-and-excite: a 1×1×C gate from an average pool and two fully connected layers multiplies the features.
        ["SqueezeExcite"] = new(new RefShape(8, 8, 12), new RefLayer[]
        {
            Same(3, 12), new RefRelu { Name = "features" }, new RefPool(false, 8, 8, 8, 8), new RefFullyConnected(3), new RefRelu(),
            new RefFullyConnected(12), new RefSigmoid(), new RefMul("features"), new RefConv(1, 1, 4), new RefRelu6(),
        }),

        // A U-Net up-step (stride-2 ConvTranspose with a folded BatchNorm, Concat with the skip), then
        // nearest and bilinear Upsample.
        ["UNet"] = new(new RefShape(16, 16, 4), new RefLayer[]
        {
            Same(3, 8), new RefRelu { Name = "skip" }, new RefPool(true, 2, 2, 2, 2), Same(3, 8), new RefRelu(),
            new RefConvTranspose(2, 2, 4) { Stride = 2 }, new RefBatchNorm(), new RefRelu(), new RefConcat("skip"), new RefConv(1, 1, 2),
            new RefUpsample(2, 2), Same(3, 4), new RefUpsample(3, 2) { Bilinear = true },
        }),

        // ConvTranspose with padding 1 as an Add operand, and 3×3 stride 3 with output padding.
        ["Transpose"] = new(new RefShape(6, 5, 2), new RefLayer[]
        {
            new RefConvTranspose(3, 3, 3) { Padding = 1, Name = "t" }, Same(3, 3) with { From = "Input" }, new RefAdd("t"),
            new RefConvTranspose(3, 2, 2) { Stride = 3, OutputPadding = 2 }, new RefRelu(),
        }),

        // BatchNorm of the input and after a ReLU (passes of their own), folded into convs and a fully
        // connected layer; Normalize before a padded conv.
        ["Normalization"] = new(new RefShape(10, 10, 3), new RefLayer[]
        {
            new RefNormalize(new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }), new RefBatchNorm(), Same(3, 8),
            new RefBatchNorm { Epsilon = 1e-3f }, new RefRelu(), new RefBatchNorm(), Same(3, 4), new RefFullyConnected(6), new RefBatchNorm(), new RefRelu(),
        }),

        // Overlapping stride-2 max pools (the runtime library's separable kernel), padded, then in ceil mode
        // (rows of 9 and 4); a fully connected layer of 48 inputs and 5 outputs (the runtime library's GEMV).
        ["Pools"] = new(new RefShape(17, 15, 3), new RefLayer[]
        {
            new RefPool(true, 3, 3, 2, 2) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 },
            new RefPool(true, 3, 3, 2, 2) { CeilMode = true }, new RefFullyConnected(5),
        }),
    };
}
