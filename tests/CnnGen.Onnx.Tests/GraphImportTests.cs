using System;
using System.Linq;
using CnnGen.Onnx.Protos;
using CnnGen.TestSupport;
using Xunit;
using static CnnGen.Onnx.Tests.ModelBuilder;

namespace CnnGen.Onnx.Tests;

/// <summary>
/// Graphs and the new operators on small models built here. Besides the layers each import gives, every model is
/// checked for meaning: ONNX Runtime must compute the same on the original and on <see cref="OnnxExporter"/>'s
/// rewrite of the imported layers, so a layer with the wrong parameters or semantics fails.
/// </summary>
public class GraphImportTests
{
    /// <summary>Imports the model, checks that ONNX Runtime agrees on the original and on the export of the import, and returns the import.</summary>
    private static ImportedNetwork ImportAndCheck(ModelBuilder b)
    {
        byte[] bytes = b.Bytes();
        ImportedNetwork network = OnnxImporter.Import(bytes);
        Shape input = network.Input;
        long[] shape = b.Graph.Input[0].Type.TensorType.Shape.Dim.Count == 2 ? [1, input.Depth] : [1, input.Depth, input.Height, input.Width];
        float[] x = RandomNetworks.Values(3, input.Length);
        using var original = new OnnxRuntimeModel(bytes);
        using var exported = new OnnxRuntimeModel(OnnxExporter.ExportToBytes(network.Layers, network.Input, network.Parameters));
        float[] expected = original.Run(x, shape);
        string? problem = Tolerance.Compare(exported.Run(x, [1, input.Depth, input.Height, input.Width]), expected); // the exporter's input is [N,C,H,W]
        Assert.True(problem is null, $"ONNX Runtime on the export of the import vs the original: {problem}\n{string.Join("\n", CSharpNetworkWriter.Attributes(network.Layers))}");
        return network;
    }

    private static NodeProto Node(ModelBuilder b, string op, string name, string[] inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name, Output = { name + "_out" } };
        node.Input.AddRange(inputs);
        node.Attribute.AddRange(attributes);
        b.Graph.Node.Add(node);
        return node;
    }

    private static void Output(ModelBuilder b, NodeProto node) => b.Graph.Output.Add(new ValueInfoProto { Name = node.Output[0] });

    private static string Types(ImportedNetwork n) => string.Join(" ", n.Layers.Select(l => l.Type));

    [Fact]
    public void ResidualBecomesAnAddReadingTwoLayers()
    {
        var b = new ModelBuilder([1, 2, 5, 5]);
        b.Add("Conv", [b.Initializer("w", [2, 2, 3, 3], Values(1, 36))], Ints("pads", 1, 1, 1, 1));
        string conv = b.Current;
        b.Add("Relu");
        Output(b, Node(b, "Add", "residual", [b.Current, conv]));
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal("Conv Relu Add", Types(n));
        Assert.Equal(["Relu1", "Conv1"], n.Layers[2].Inputs);
        Assert.Equal("[Add(\"Conv1\")]", CSharpNetworkWriter.Attributes(n.Layers)[2]);
        Assert.Contains("residual (Add)  (reads Relu1, Conv1)\n", LayerTable.Format(n));
        Assert.Contains("relu1 (Relu)\n", LayerTable.Format(n));
    }

    [Fact]
    public void ViewBySizeOfTheBatchIsEvaluatedAtImport()
    {
        // x.view(x.size(0), -1) with a dynamic batch: Shape → Gather(0) → Unsqueeze → Concat with [-1] → Reshape.
        var b = new ModelBuilder([-1, 2, 3, 3], opset: 11);
        b.Add("Relu");
        string relu = b.Current;
        Node(b, "Shape", "shape", [relu]);
        Node(b, "Gather", "batch", ["shape_out", b.Initializer(new TensorProto { Name = "zero", DataType = 7, Int64Data = { 0 } })], Int("axis", 0));
        Node(b, "Unsqueeze", "batch1", ["batch_out"], Ints("axes", 0));
        Node(b, "Concat", "target", ["batch1_out", b.Initializer(Int64s("minus1", [-1]))], Int("axis", 0));
        Node(b, "Reshape", "flatten", [relu, "target_out"]);
        Output(b, Node(b, "Gemm", "fc", ["flatten_out", b.Initializer("B", [3, 18], Values(2, 54))], Int("transB", 1)));
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal("Relu FullyConnected", Types(n));
    }

    [Fact]
    public void BatchNormFoldsIntoAConvOnlyItReads()
    {
        var b = new ModelBuilder([1, 2, 4, 4]);
        b.Add("Conv", [b.Initializer("w", [3, 2, 1, 1], Values(1, 6))]);
        string conv = b.Current;
        string[] bn = [b.Initializer("g", [3], [1.5f, 0.5f, 2f]), b.Initializer("beta", [3], [0.1f, -0.2f, 0.3f]), b.Initializer("m", [3], [0.2f, 0.1f, -0.3f]), b.Initializer("v", [3], [0.9f, 1.2f, 0.4f])];
        b.Add("BatchNormalization", bn, Float("epsilon", 1e-3f));
        Assert.Equal("Conv", Types(ImportAndCheck(b)));

        // The conv's output is also read by the Add: the BatchNorm cannot change it, so it is its own layer.
        string normalized = b.Current;
        b.Graph.Output.Clear();
        Output(b, Node(b, "Add", "sum", [normalized, conv]));
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal("Conv BatchNorm Add", Types(n));
        Assert.Equal(1e-3f, n.Layers[1].Epsilon);
        Assert.Equal("[BatchNorm(Epsilon = 0.001f)]", CSharpNetworkWriter.Attribute(n.Layers[1]));
    }

    [Theory]
    [InlineData(9, 0f, 6f, "[Relu6]")]
    [InlineData(13, 0f, 6f, "[Relu6]")]
    [InlineData(13, -1f, 0.5f, "[Clip(-1f, 0.5f)]")]
    [InlineData(11, 0f, float.PositiveInfinity, "[Relu]")]
    public void ClipReadsItsBoundsFromAttributesOrInputsByOpset(int opset, float min, float max, string attribute)
    {
        var b = new ModelBuilder([1, 3, 4, 4], opset);
        if (opset < 11)
        {
            b.Add("Clip", null, Float("min", min), Float("max", max));
        }
        else
        {
            b.Add("Clip", [b.Initializer("min", [], [min]), float.IsPositiveInfinity(max) ? "" : b.Initializer("max", [], [max])]);
        }
        Assert.Equal(attribute, CSharpNetworkWriter.Attribute(ImportAndCheck(b).Layers[0]));
    }

    [Fact]
    public void ActivationsKeepTheModelsConstants()
    {
        var b = new ModelBuilder([1, 3, 4, 4]);
        b.Add("HardSigmoid", null, Float("alpha", 0.2f), Float("beta", 0.4f));
        b.Add("LeakyRelu", null, Float("alpha", 0.3f));
        b.Add("Elu", null, Float("alpha", 0.7f));
        b.Add("PRelu", [b.Initializer("slope", [1], [0.25f])]);
        b.Add("Tanh");
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal(
            ["[HardSigmoid(Alpha = 0.2f, Beta = 0.4f)]", "[LeakyRelu(Slope = 0.3f)]", "[Elu(Alpha = 0.7f)]", "[PRelu]", "[Tanh]"],
            n.Layers.Select(CSharpNetworkWriter.Attribute));
        Assert.Equal([0.25f, 0.25f, 0.25f], n.Parameters); // one shared slope, repeated per channel
    }

    [Fact]
    public void PyTorchSpellingsOfGeluSiluAndHardSwishBecomeOneLayerEach()
    {
        var b = new ModelBuilder([1, 2, 3, 3], opset: 13);
        string x = b.Current;
        // GELU: x · (1 + erf(x / √2)) · 0.5
        Node(b, "Div", "div", [x, b.Initializer("sqrt2", [], [MathF.Sqrt(2)])]);
        Node(b, "Erf", "erf", ["div_out"]);
        Node(b, "Add", "add", ["erf_out", b.Initializer("one", [], [1f])]);
        Node(b, "Mul", "mul", [x, "add_out"]);
        Node(b, "Mul", "half", ["mul_out", b.Initializer("h", [], [0.5f])]);
        // SiLU: y · sigmoid(y)
        Node(b, "Sigmoid", "sigmoid", ["half_out"]);
        Node(b, "Mul", "silu", ["half_out", "sigmoid_out"]);
        // HardSwish before opset 14: z · HardSigmoid(z) with alpha 1/6
        Node(b, "HardSigmoid", "hs", ["silu_out"], Float("alpha", 1f / 6f), Float("beta", 0.5f));
        Output(b, Node(b, "Mul", "swish", ["hs_out", "silu_out"]));
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal("Gelu Silu HardSwish", Types(n));
        Assert.Equal("div (Div)", n.Origins[0]);
    }

    [Fact]
    public void NormalizationOfTheInputBecomesNormalize()
    {
        var b = new ModelBuilder([1, 3, 4, 4]);
        b.Add("Sub", [b.Initializer("mean", [1, 3, 1, 1], [0.5f, 0.25f, -0.1f])]);
        b.Add("Div", [b.Initializer("std", [1, 3, 1, 1], [0.2f, 0.3f, 0.4f])]);
        b.Add("Conv", [b.Initializer("w", [2, 3, 3, 3], Values(1, 54))]);
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal("Normalize Conv", Types(n));
        Assert.Equal([0.5f, 0.25f, -0.1f], n.Layers[0].Mean);
        Assert.Equal([0.2f, 0.3f, 0.4f], n.Layers[0].Std);
    }

    [Theory]
    [InlineData("Conv", 1, "Conv")]
    [InlineData("AveragePool", 1, "AvgPool")]
    [InlineData("AveragePool", 0, "Pad AvgPool")]
    [InlineData("MaxPool", 0, "Pad MaxPool")]
    public void ZeroPaddingFoldsIntoTheNextWindowOnlyWhenExact(string op, int countIncludePad, string layers)
    {
        var b = new ModelBuilder([1, 2, 5, 5]);
        b.Add("Pad", [b.Initializer(Int64s("pads", [0, 0, 1, 2, 0, 0, 1, 0]))], String("mode", "constant"));
        if (op == "Conv")
        {
            b.Add("Conv", [b.Initializer("w", [2, 2, 3, 3], Values(1, 36))], Ints("pads", 1, 1, 1, 1));
        }
        else
        {
            b.Add(op, null, [Ints("kernel_shape", 3, 3), .. op == "AveragePool" ? [Int("count_include_pad", countIncludePad)] : Array.Empty<AttributeProto>()]);
        }
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal(layers, Types(n));
        LayerInfo window = n.Layers[^1];
        if (layers.StartsWith("Pad", StringComparison.Ordinal))
        {
            Assert.Equal((2, 1, 0, 1), (n.Layers[0].PadLeft, n.Layers[0].PadTop, n.Layers[0].PadRight, n.Layers[0].PadBottom));
        }
        else
        {
            int own = op == "Conv" ? 1 : 0;
            Assert.Equal((2 + own, 1 + own, own, 1 + own), (window.PadLeft, window.PadTop, window.PadRight, window.PadBottom));
        }
    }

    [Theory]
    [InlineData("nearest", "asymmetric", "floor", "[Upsample(2, ScaleY = 3)]")]
    [InlineData("linear", "half_pixel", "round_prefer_floor", "[Upsample(2, ScaleY = 3, Mode = UpsampleMode.Bilinear)]")]
    [InlineData("linear", "align_corners", "round_prefer_floor", "[Upsample(2, ScaleY = 3, Mode = UpsampleMode.Bilinear, AlignCorners = true)]")]
    public void ResizeByWholeFactors(string mode, string transform, string nearest, string attribute)
    {
        var b = new ModelBuilder([1, 2, 3, 4]);
        b.Add("Resize", ["", "", b.Initializer(Int64s("sizes", [1, 2, 9, 8]))],
            String("mode", mode), String("coordinate_transformation_mode", transform), String("nearest_mode", nearest));
        Assert.Equal(attribute, CSharpNetworkWriter.Attribute(ImportAndCheck(b).Layers[0]));
    }

    [Fact]
    public void UpsampleBeforeOpset10ReadsItsScales()
    {
        var b = new ModelBuilder([1, 2, 3, 4], opset: 9);
        b.Add("Upsample", [b.Initializer("scales", [4], [1f, 1f, 2f, 2f])], String("mode", "nearest"));
        Assert.Equal("[Upsample(2)]", CSharpNetworkWriter.Attribute(ImportAndCheck(b).Layers[0]));
    }

    [Fact]
    public void LogSoftmaxOverTheWholeVector()
    {
        var b = new ModelBuilder([1, 6]);
        b.Add("Gemm", [b.Initializer("B", [6, 4], Values(1, 24))]);
        b.Add("LogSoftmax", null, Int("axis", 1));
        Assert.Equal("FullyConnected LogSoftmax", Types(ImportAndCheck(b)));
    }

    [Fact]
    public void ResizeByAFractionIsRejected()
    {
        var b = new ModelBuilder([1, 2, 4, 4]);
        b.Add("Resize", ["", b.Initializer("scales", [4], [1f, 1f, 1.5f, 1.5f])], String("mode", "nearest"));
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(b.Bytes()));
        Assert.Equal("node 'resize0' (Resize): it scales axis 2 by 1.5; CnnGen upsamples by whole factors ≥ 1 (and never the batch or channel axis).", e.Message);
    }

    [Fact]
    public void SplitOnChannelsBecomesSlicesAndConcatJoinsThem()
    {
        var b = new ModelBuilder([1, 6, 3, 3]);
        var split = new NodeProto { OpType = "Split", Name = "split", Input = { b.Current, b.Initializer(Int64s("parts", [2, 4])) }, Output = { "a", "b" }, Attribute = { Int("axis", 1) } };
        b.Graph.Node.Add(split);
        Node(b, "Relu", "relu", ["b"]);
        Output(b, Node(b, "Concat", "join", ["relu_out", "a"], Int("axis", 1)));
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal(["[Slice(0, 2)]", "[Slice(2, 4, From = \"Input\")]", "[Relu]", "[Concat(\"Slice1\")]"], CSharpNetworkWriter.Attributes(n.Layers));
    }

    [Fact]
    public void ConcatOfOneTensorIsThatTensor()
    {
        // DenseNet's first dense layer exports torch.cat([x], 1): a Concat with one input, then a conv reads it.
        var b = new ModelBuilder([1, 3, 5, 5]);
        b.Add("Relu");
        b.Add("Concat", null, Int("axis", 1));
        b.Add("Conv", [b.Initializer("w", [2, 3, 1, 1], RandomNetworks.Values(1, 6))]);
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal(["[Relu]", "[Conv(1, 1, 2)]"], CSharpNetworkWriter.Attributes(n.Layers));
    }

    [Fact]
    public void ConcatWithoutInputsIsRejected()
    {
        var b = new ModelBuilder([1, 3, 5, 5]);
        b.Add("Relu");
        Output(b, Node(b, "Concat", "empty", [], Int("axis", 1)));
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(b.Bytes()));
        Assert.Contains("it has no inputs", e.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void ReshapeTransposeReshapeIsAChannelShuffle()
    {
        var b = new ModelBuilder([1, 6, 2, 3]);
        b.Add("Reshape", [b.Initializer(Int64s("split", [1, 3, 2, 2, 3]))]);
        b.Add("Transpose", null, Ints("perm", 0, 2, 1, 3, 4));
        b.Add("Reshape", [b.Initializer(Int64s("merge", [1, -1, 2, 3]))]);
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal("[ChannelShuffle(3)]", CSharpNetworkWriter.Attribute(n.Layers.Single()));
    }

    [Fact]
    public void ConvTransposeAndGroupedConv()
    {
        var b = new ModelBuilder([1, 4, 3, 3]);
        b.Add("ConvTranspose", [b.Initializer("w", [4, 2, 3, 3], Values(1, 72)), b.Initializer("c", [2], [0.1f, -0.1f])],
            Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1), Ints("output_padding", 1, 1));
        b.Add("Conv", [b.Initializer("g", [4, 1, 3, 3], Values(2, 36))], Int("group", 2), Ints("pads", 1, 1, 1, 1));
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal(["[ConvTranspose(3, 3, 2, Stride = 2, Padding = 1, OutputPadding = 1)]", "[Conv(3, 3, 4, Padding = 1, Groups = 2)]"], n.Layers.Select(CSharpNetworkWriter.Attribute));
        Assert.Equal(new Shape(6, 6, 2), n.Layers[0].Output);
    }

    [Fact]
    public void BatchNormAfterAConvTransposeIsItsOwnLayerAndReduceMeanIsAGlobalPool()
    {
        var b = new ModelBuilder([1, 2, 3, 3]);
        b.Add("ConvTranspose", [b.Initializer("w", [2, 3, 2, 2], Values(1, 24))], Ints("strides", 2, 2));
        string[] bn = [b.Initializer("g", [3], [1.5f, 0.5f, 2f]), b.Initializer("beta", [3], [0.1f, -0.2f, 0.3f]), b.Initializer("m", [3], [0.2f, 0.1f, -0.3f]), b.Initializer("v", [3], [0.9f, 1.2f, 0.4f])];
        b.Add("BatchNormalization", bn);
        b.Add("Elu", null, Float("alpha", 0.5f));
        b.Add("ReduceMean", null, Ints("axes", 2, 3), Int("keepdims", 0));
        b.Add("Gemm", [b.Initializer("B", [3, 2], Values(2, 6))]);
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal("ConvTranspose BatchNorm Elu AvgPool FullyConnected", Types(n));
        Assert.Equal([1.5f, 0.5f, 2f, 0.1f, -0.2f, 0.3f, 0.2f, 0.1f, -0.3f, 0.9f, 1.2f, 0.4f], n.Parameters.Skip(n.Layers[1].ParameterOffset).Take(12));
    }

    [Fact]
    public void SqueezeExciteGateMultipliesPerChannel()
    {
        var b = new ModelBuilder([1, 3, 4, 4]);
        string x = b.Current;
        b.Add("GlobalAveragePool");
        b.Add("Conv", [b.Initializer("w", [3, 3, 1, 1], Values(1, 9))]);
        b.Add("Sigmoid");
        Output(b, Node(b, "Mul", "gate", [x, b.Current]));
        ImportedNetwork n = ImportAndCheck(b);
        Assert.Equal("AvgPool Conv Sigmoid Mul", Types(n));
        Assert.Equal(["Input", "Sigmoid1"], n.Layers[3].Inputs);
    }
}
