using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.TestSupport;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The blocks today's CNN families are built from, written in attributes exactly as a user would copy
/// them from the PyTorch source, and compiled once per run. Their expected outputs come from PyTorch
/// itself: <c>record_blocks.py</c> (beside this file) runs the real torchvision modules with random
/// weights and writes <c>&lt;Name&gt;.bin</c>.
/// </summary>
internal static class PyTorchBlocks
{
    public const string Namespace = "TorchBlocks";

    /// <summary>Attribute declarations by block name; the module each mirrors is named in its comment.</summary>
    public static readonly IReadOnlyDictionary<string, string> Declarations = new Dictionary<string, string>
    {
        // torchvision.models.resnet.BasicBlock(8, 16, stride=2, downsample=conv1x1(stride 2) + BatchNorm2d)
        ["ResNetBasicDownsample"] = """
            [Input(10, 7, 8)]
            [Conv(3, 3, 16, Stride = 2, Padding = 1)] [BatchNorm] [Relu]
            [Conv(3, 3, 16, Padding = 1)] [BatchNorm(Name = "body")]
            [Conv(1, 1, 16, Stride = 2, From = "Input")] [BatchNorm]
            [Add("body")] [Relu]
            """,
        // torchvision.models.mobilenetv2.InvertedResidual(8, 8, stride=1, expand_ratio=4)
        ["MobileNetV2InvertedResidual"] = """
            [Input(10, 7, 8)]
            [Conv(1, 1, 32)] [BatchNorm] [Relu6]
            [Conv(3, 3, 32, Padding = 1, Groups = 32)] [BatchNorm] [Relu6]
            [Conv(1, 1, 8)] [BatchNorm]
            [Add("Input")]
            """,
        // torchvision.models.mobilenetv3.InvertedResidual(16 → 32 → 16, 3×3, squeeze-excite, hard swish)
        ["MobileNetV3Block"] = """
            [Input(10, 7, 16)]
            [Conv(1, 1, 32)] [BatchNorm] [HardSwish]
            [Conv(3, 3, 32, Padding = 1, Groups = 32)] [BatchNorm] [HardSwish(Name = "dw")]
            [GlobalAvgPool] [Conv(1, 1, 8)] [Relu] [Conv(1, 1, 32)] [HardSigmoid]
            [Mul("dw")]
            [Conv(1, 1, 16)] [BatchNorm]
            [Add("Input")]
            """,
        // torchvision.models.efficientnet.MBConv(expand 4, 3×3, stride 1, 8 → 8), squeeze-excite with SiLU
        ["EfficientNetMBConv"] = """
            [Input(10, 7, 8)]
            [Conv(1, 1, 32)] [BatchNorm] [Silu]
            [Conv(3, 3, 32, Padding = 1, Groups = 32)] [BatchNorm] [Silu(Name = "dw")]
            [GlobalAvgPool] [Conv(1, 1, 2)] [Silu] [Conv(1, 1, 32)] [Sigmoid]
            [Mul("dw")]
            [Conv(1, 1, 8)] [BatchNorm]
            [Add("Input")]
            """,
        // torchvision.models.squeezenet.Fire(16, squeeze 8, expand 16 + 16)
        ["SqueezeNetFire"] = """
            [Input(10, 7, 16)]
            [Conv(1, 1, 8)] [Relu(Name = "squeeze")]
            [Conv(1, 1, 16)] [Relu(Name = "e1")]
            [Conv(3, 3, 16, Padding = 1, From = "squeeze")] [Relu(Name = "e3")]
            [Concat("e3", From = "e1")]
            """,
        // torchvision.models.shufflenetv2.InvertedResidual(16, 16, stride=1): split, branch, concat, shuffle
        ["ShuffleNetV2Unit"] = """
            [Input(10, 7, 16)]
            [Slice(0, 8, Name = "kept")]
            [Slice(8, 8, From = "Input")]
            [Conv(1, 1, 8)] [BatchNorm] [Relu]
            [Conv(3, 3, 8, Padding = 1, Groups = 8)] [BatchNorm]
            [Conv(1, 1, 8)] [BatchNorm] [Relu(Name = "branch")]
            [Concat("branch", From = "kept")]
            [ChannelShuffle(2)]
            """,
        // A U-Net level: encoder conv (the skip), pool, conv, ConvTranspose up, concat with the skip, conv + BatchNorm
        ["UNetUpStep"] = """
            [Input(8, 6, 8)]
            [Conv(3, 3, 8, Padding = 1)] [Relu(Name = "skip")]
            [MaxPool(2, 2)]
            [Conv(3, 3, 16, Padding = 1)] [Relu]
            [ConvTranspose(2, 2, 8, Stride = 2, Name = "up")]
            [Concat("up", From = "skip")]
            [Conv(3, 3, 8, Padding = 1)] [BatchNorm] [Relu]
            """,
    };

    public static string TypeName(string block) => $"{Namespace}.{block}";

    private static readonly Lazy<CompiledNetworks> LazyCompiled = new(() => GeneratorHarness.Compile(
        Declarations.Select(pair => $"namespace {Namespace};\nusing CnnGen;\n[Network]\n{pair.Value}\npublic partial class {pair.Key} {{ }}\n"),
        Declarations.Keys.Select(TypeName)));

    /// <summary>Every block, compiled once.</summary>
    public static CompiledNetworks Compiled => LazyCompiled.Value;

    /// <summary>A block's recorded parameters, input and PyTorch output.</summary>
    public static Recording Load(string block)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "PyTorchBlocks", block + ".bin");
        using var reader = new BinaryReader(File.OpenRead(path));
        int[] lengths = { reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32() };
        float[][] arrays = lengths.Select(length => Enumerable.Range(0, length).Select(_ => reader.ReadSingle()).ToArray()).ToArray();
        return new Recording(arrays[0], arrays[1], arrays[2]);
    }
}

/// <summary>What <c>record_blocks.py</c> wrote for one block.</summary>
internal sealed record Recording(float[] Parameters, float[] Input, float[] Output);
