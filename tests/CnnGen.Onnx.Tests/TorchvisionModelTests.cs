using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Onnx.Tests;

/// <summary>
/// The torchvision architectures (and a U-Net) exported by <c>Models/export_models.py</c> with random weights at
/// reduced width, each at 64×64 (opset 11, fixed batch) and 96×112 (opset 17, dynamic batch, run-time shape
/// arithmetic): every one imports into the layers its architecture has, and is generated, compiled and compared
/// with ONNX Runtime running the original file.
/// </summary>
public class TorchvisionModelTests
{
    public static readonly string[] Models =
        ["resnet18", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1", "shufflenet_v2_x0_5", "efficientnet_b0", "unet", "resnet50", "mobilenet_v3_large"];

    public static readonly string[] Sizes = ["64x64", "96x112"];

    public static TheoryData<string, string> All() => Fixtures(Models);

    private static TheoryData<string, string> Fixtures(IEnumerable<string> models)
    {
        var data = new TheoryData<string, string>();
        foreach (string model in models)
        {
            foreach (string size in Sizes)
            {
                data.Add(model, size);
            }
        }
        return data;
    }

    public static string PathOf(string model, string size) =>
        Path.Combine(Paths.RepositoryRoot, "tests", "CnnGen.Onnx.Tests", "Models", $"{model}_{size}.onnx");

    /// <summary>
    /// What each architecture must import to, counted by kind: torchvision's blocks, with every BatchNorm folded
    /// into its conv (PyTorch folds them when exporting in eval mode) and every pattern recognised (a leftover Erf,
    /// HardSigmoid·x or Sigmoid·x would show up as the wrong kind or count).
    /// </summary>
    public static readonly Dictionary<string, Dictionary<LayerType, int>> Kinds = new()
    {
        // conv1 + 8 basic blocks × 2 convs + 3 downsample 1×1 convs; a ReLU after conv1 and 2 per block; 8 residual adds.
        ["resnet18"] = new() { [LayerType.Conv] = 20, [LayerType.Relu] = 17, [LayerType.Add] = 8, [LayerType.MaxPool] = 1, [LayerType.AvgPool] = 1, [LayerType.FullyConnected] = 1 },
        // stem + 17 inverted residuals (the first without expansion: 2 convs, then 3) + last 1×1 = 52; ReLU6 after all but the 17 projections;
        // 10 skips, plus one in the first block, whose 32 → 16 channels both round to 8 at width 0.25.
        ["mobilenet_v2"] = new() { [LayerType.Conv] = 52, [LayerType.Relu6] = 35, [LayerType.Add] = 11, [LayerType.AvgPool] = 1, [LayerType.FullyConnected] = 1 },
        // 11 blocks, 9 with squeeze-excite (pool, 2 convs, ReLU, HardSigmoid gate, Mul); HardSwish in the stem, after the expand and depthwise convs of 8 blocks, the last conv and the classifier's first layer (19);
        // 6 skips, plus one where width 0.25 rounds a block's input and output channels to the same 8.
        ["mobilenet_v3_small"] = new()
        {
            [LayerType.Conv] = 52, [LayerType.HardSwish] = 19, [LayerType.Relu] = 14, [LayerType.HardSigmoid] = 9, [LayerType.Mul] = 9,
            [LayerType.Add] = 7, [LayerType.AvgPool] = 10, [LayerType.FullyConnected] = 2,
        },
        // stem conv + 8 fire modules × 3 convs + classifier conv, each with a ReLU; each fire module concatenates.
        ["squeezenet1_1"] = new() { [LayerType.Conv] = 26, [LayerType.Relu] = 26, [LayerType.MaxPool] = 3, [LayerType.Concat] = 8, [LayerType.AvgPool] = 1 },
        // 16 units, each ending in concat + channel shuffle; 13 of them split the input into two channel halves.
        ["shufflenet_v2_x0_5"] = new()
        {
            [LayerType.Conv] = 56, [LayerType.Relu] = 37, [LayerType.MaxPool] = 1, [LayerType.Concat] = 16, [LayerType.ChannelShuffle] = 16,
            [LayerType.Slice] = 26, [LayerType.AvgPool] = 1, [LayerType.FullyConnected] = 1,
        },
        // MBConv blocks with SiLU everywhere and a sigmoid squeeze-excite gate; 4 skips.
        ["efficientnet_b0"] = new()
        {
            [LayerType.Conv] = 51, [LayerType.Silu] = 31, [LayerType.Sigmoid] = 10, [LayerType.Mul] = 10, [LayerType.Add] = 4,
            [LayerType.AvgPool] = 11, [LayerType.FullyConnected] = 1,
        },
        // conv1 + 16 bottlenecks × 3 convs + 4 downsample 1×1 convs; a ReLU after conv1 and 3 per bottleneck; 16 residual adds.
        ["resnet50"] = new() { [LayerType.Conv] = 53, [LayerType.Relu] = 49, [LayerType.Add] = 16, [LayerType.MaxPool] = 1, [LayerType.AvgPool] = 1, [LayerType.FullyConnected] = 1 },
        // stem + 15 blocks (the first without expansion: 2 convs, then 3) + 8 squeeze-excites × 2 convs + last conv = 62;
        // HardSwish in the stem, after the expand and depthwise convs of the 9 "HS" blocks, the last conv and the classifier (21);
        // ReLU after the convs of the 6 "RE" blocks (11) and in the 8 squeeze-excites; 10 skips at width 0.25.
        ["mobilenet_v3_large"] = new()
        {
            [LayerType.Conv] = 62, [LayerType.HardSwish] = 21, [LayerType.Relu] = 19, [LayerType.HardSigmoid] = 8, [LayerType.Mul] = 8,
            [LayerType.Add] = 10, [LayerType.AvgPool] = 9, [LayerType.FullyConnected] = 2,
        },
        // (x − mean)/std, 5 double convs + the reduce conv + the 1×1 head; the ZeroPad2d folds into the reduce conv.
        ["unet"] = new()
        {
            [LayerType.Normalize] = 1, [LayerType.Conv] = 12, [LayerType.Relu] = 10, [LayerType.MaxPool] = 2, [LayerType.ConvTranspose] = 1,
            [LayerType.Concat] = 2, [LayerType.Upsample] = 1, [LayerType.LeakyRelu] = 1,
        },
    };

    [Theory]
    [MemberData(nameof(All))]
    public void ImportsIntoItsArchitecture(string model, string size)
    {
        ImportedNetwork network = OnnxImporter.ImportFile(PathOf(model, size));
        string[] hw = size.Split('x');
        Assert.Equal(new Shape(int.Parse(hw[1]), int.Parse(hw[0]), 3), network.Input);

        var counts = network.Layers.GroupBy(l => l.Type).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Kinds[model].OrderBy(k => k.Key), counts.OrderBy(k => k.Key));

        // A graph: every layer reads the input or earlier layers whose shapes it agrees with, and the output is the last layer.
        var shapes = new Dictionary<string, Shape> { [LayerInfo.NetworkInput] = network.Input };
        foreach (LayerInfo layer in network.Layers)
        {
            Assert.NotEmpty(layer.Inputs);
            Assert.All(layer.Inputs, name => Assert.True(shapes.ContainsKey(name), $"{layer.Name} reads '{name}', not an earlier layer"));
            Assert.Equal(shapes[layer.Inputs[0]], layer.Input);
            shapes.Add(layer.Name, layer.Output);
        }
        var read = network.Layers.SelectMany(l => l.Inputs).ToHashSet();
        Assert.Equal([network.Layers[^1].Name], network.Layers.Select(l => l.Name).Where(n => !read.Contains(n)));
        Assert.Equal(network.Parameters.Length, network.Layers.Sum(l => l.ParameterCount));
        Assert.Equal(model == "unet" ? new Shape(network.Input.Width, network.Input.Height, 2) : new Shape(1, 1, 10), network.Output);
    }

    /// <summary>
    /// The declaration <c>cnngen import</c> writes is valid C# against CnnGen's attributes (every argument of every
    /// new kind: arrays, enums, named properties), checked by the compiler alone, before any generator runs.
    /// </summary>
    [Theory]
    [MemberData(nameof(All))]
    public void WrittenDeclarationCompiles(string model, string size)
    {
        ImportedNetwork network = OnnxImporter.ImportFile(PathOf(model, size));
        string source = CSharpNetworkWriter.Write(network, "Imported", "Models", "Imported.weights", embedWeights: true);
        var errors = GeneratorHarness.CreateCompilation([source]).GetDiagnostics()
            .Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal(network.Layers.Count + 2, source.Split('\n').Count(line => line.StartsWith('[')));
    }

    /// <summary>
    /// Import → export: ONNX Runtime computes the same on the exported model as on the original (every layer kind
    /// the importer produces, written back by <see cref="OnnxExporter"/>), and importing it gives the same layers
    /// and parameters.
    /// </summary>
    [Theory]
    [MemberData(nameof(All))]
    public void ExportedAgainComputesTheSameAndImportsToTheSameLayers(string model, string size)
    {
        string path = PathOf(model, size);
        ImportedNetwork network = OnnxImporter.ImportFile(path);
        byte[] exported = OnnxExporter.ExportToBytes(network.Layers, network.Input, network.Parameters);

        using var original = new OnnxRuntimeModel(File.ReadAllBytes(path));
        using var written = new OnnxRuntimeModel(exported);
        Shape input = network.Input;
        float[] x = RandomNetworks.Values(7, input.Length);
        long[] shape = [1, input.Depth, input.Height, input.Width];
        float[] expected = original.Run(x, shape);
        string? problem = Tolerance.Compare(written.Run(x, shape), expected, AbsoluteOfLargest * expected.Max(v => Math.Abs(v)));
        Assert.True(problem is null, $"{model} {size}: exported model vs original in ONNX Runtime: {problem}");

        ImportedNetwork back = OnnxImporter.Import(exported);
        Assert.Equal(RoundTrip.Expected(network.Layers), back.Layers);
        Assert.Equal(network.Parameters, back.Parameters);
    }

    /// <summary>
    /// Absolute tolerance, relative to the largest output: these networks sum up to a few thousand products per
    /// output through 20 to 50 layers, and float32 rounds each partial sum by up to 2⁻²⁴ ≈ 6e-8 of its size, so
    /// ONNX Runtime and the generated code, which add in different orders, drift apart by about
    /// √(terms · layers) · 6e-8 ≈ 1e-5 of the activations' scale; outputs near zero have no relative margin.
    /// </summary>
    public const double AbsoluteOfLargest = 2e-5;

    [Theory]
    [MemberData(nameof(All))]
    public void GeneratedCodeMatchesOnnxRuntime(string model, string size)
    {
        string path = PathOf(model, size);
        ImportedNetwork network = OnnxImporter.ImportFile(path);
        string className = string.Concat(model.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..])) + "_" + size;
        using CompiledNetworks compiled = GeneratedCode.Compile([(network, className)]);
        INetwork net = GeneratedCode.Create(compiled, network, className);
        using var ort = new OnnxRuntimeModel(File.ReadAllBytes(path));
        Shape input = network.Input;
        for (int seed = 1; seed <= 3; seed++)
        {
            float[] x = RandomNetworks.Values(seed, input.Length);
            float[] theirs = ort.Run(x, [1, input.Depth, input.Height, input.Width]);
            float[] ours = GeneratedCode.Forward(net, x);
            double absolute = AbsoluteOfLargest * theirs.Max(v => Math.Abs(v));
            string? problem = Tolerance.Compare(ours, theirs, absolute);
            Assert.True(problem is null, $"{model} {size}, input {seed}: {problem}");
        }
    }
}
