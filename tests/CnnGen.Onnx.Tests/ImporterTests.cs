using System;
using System.Linq;
using CnnGen.Onnx.Protos;
using Google.Protobuf;
using Xunit;
using static CnnGen.Onnx.Tests.ModelBuilder;

namespace CnnGen.Onnx.Tests;

public class ImporterTests
{
    private static ImportedNetwork Import(ModelBuilder b) => OnnxImporter.Import(b.Bytes());

    [Fact]
    public void LeNetShapedModelMapsToLayersAndParametersInConstructorOrder()
    {
        var b = new ModelBuilder([-1, 1, 12, 12]);
        float[] w1 = Values(1, 4 * 1 * 3 * 3), b1 = Values(2, 4);
        b.Add("Conv", [b.Initializer("w1", [4, 1, 3, 3], w1), b.Initializer("b1", [4], b1)], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1));
        b.Add("Relu");
        b.Add("MaxPool", null, Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
        b.Add("Flatten", null, Int("axis", 1));
        float[] w2 = Values(3, 5 * 144), b2 = Values(4, 5);
        b.Add("Gemm", [b.Initializer("w2", [5, 144], w2), b.Initializer("b2", [5], b2)], Int("transB", 1));
        b.Add("Softmax", null, Int("axis", 1));

        ImportedNetwork net = Import(b);

        Assert.Equal(new Shape(12, 12, 1), net.Input);
        Assert.Equal(["Conv1", "Relu1", "MaxPool1", "Fc1", "Softmax1"], net.Layers.Select(l => l.Name));
        LayerInfo conv = net.Layers[0];
        Assert.Equal((3, 3, 1, 1, 1, 1, 1, 1), (conv.KernelWidth, conv.KernelHeight, conv.PadLeft, conv.PadTop, conv.PadRight, conv.PadBottom, conv.StrideX, conv.StrideY));
        Assert.Equal(new Shape(12, 12, 4), conv.Output);
        Assert.Equal(new Shape(6, 6, 4), net.Layers[2].Output);
        Assert.Equal(2, net.Layers[2].StrideX);
        Assert.Equal((0, 40), (conv.ParameterOffset, conv.ParameterCount));
        Assert.Equal((40, 725), (net.Layers[3].ParameterOffset, net.Layers[3].ParameterCount));
        Assert.Equal(w1.Concat(b1).Concat(w2).Concat(b2), net.Parameters);
        Assert.Equal(0, net.Model.BatchSize);
        Assert.Equal([5], net.Model.OutputDimensions);
        Assert.Empty(net.Warnings);
    }

    [Theory]
    [InlineData("NOTSET", 5, 1, 2, 1, 1, 0, 0)]     // explicit pads [top=1,left=2,bottom=0,right=1]
    [InlineData("VALID", 5, 1, 0, 0, 0, 0, 0)]
    [InlineData("SAME_UPPER", 2, 1, 0, 0, 1, 1, 0)]  // 2×2 window, stride 1: one extra row/column after
    [InlineData("SAME_LOWER", 2, 1, 1, 1, 0, 0, 0)]  // … or before
    [InlineData("SAME_UPPER", 3, 2, 1, 1, 1, 1, 0)]  // 3×3 stride 2 on 7: out 4, total 2
    [InlineData("SAME_LOWER", 4, 2, 1, 1, 1, 1, 1)]  // 4×4 stride 2 on 7: out 4, total 3 → 2 before, 1 after (lower)
    public void AutoPadAndPadsBecomePerSidePadding(string autoPad, int kernel, int stride, int left, int top, int right, int bottom, int extraBefore)
    {
        var b = new ModelBuilder([1, 2, 7, 7]);
        var attributes = new System.Collections.Generic.List<AttributeProto> { Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), String("auto_pad", autoPad) };
        if (autoPad == "NOTSET")
        {
            attributes.Add(Ints("pads", 1, 2, 0, 1));
        }
        b.Add("Conv", [b.Initializer("w", [3, 2, kernel, kernel], Values(1, 3 * 2 * kernel * kernel))], [.. attributes]);
        LayerInfo conv = Import(b).Layers[0];
        Assert.Equal((left + extraBefore, top + extraBefore, right, bottom), (conv.PadLeft, conv.PadTop, conv.PadRight, conv.PadBottom));
        if (autoPad.StartsWith("SAME", StringComparison.Ordinal))
        {
            Assert.Equal((7 + stride - 1) / stride, conv.Output.Width);
        }
    }

    [Fact]
    public void StridesDilationsAndRectangularKernelsKeepTheirAxes()
    {
        var b = new ModelBuilder([1, 1, 20, 30]);
        b.Add("Conv", [b.Initializer("w", [2, 1, 3, 5], Values(1, 30))], Ints("strides", 2, 3), Ints("dilations", 3, 1));
        LayerInfo conv = Import(b).Layers[0];
        Assert.Equal((5, 3, 3, 2, 1, 3), (conv.KernelWidth, conv.KernelHeight, conv.StrideX, conv.StrideY, conv.DilationX, conv.DilationY));
        Assert.Equal(new Shape((30 - 5) / 3 + 1, (20 - 7) / 2 + 1, 2), conv.Output);
        Assert.Equal("[Conv(5, 3, 2, StrideX = 3, StrideY = 2, DilationX = 1, DilationY = 3)]", CSharpNetworkWriter.Attribute(conv));
    }

    [Fact]
    public void PoolsKeepCeilModeExplicitStrideAndCountIncludePad()
    {
        var b = new ModelBuilder([1, 3, 9, 9]);
        b.Add("MaxPool", null, Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Int("ceil_mode", 1));
        b.Add("AveragePool", null, Ints("kernel_shape", 2, 2), Ints("pads", 1, 1, 1, 1));
        b.Add("AveragePool", null, Ints("kernel_shape", 2, 2), Ints("strides", 2, 2), Int("count_include_pad", 1));
        ImportedNetwork net = Import(b);
        Assert.Equal(new Shape(4, 4, 3), net.Layers[0].Output);
        Assert.True(net.Layers[0].CeilMode);
        Assert.Equal("[MaxPool(3, 3, Stride = 2, CeilMode = true)]", CSharpNetworkWriter.Attribute(net.Layers[0]));
        Assert.Equal("[AvgPool(2, 2, Stride = 1, Padding = 1, ExcludePadding = true)]", CSharpNetworkWriter.Attribute(net.Layers[1]));
        Assert.Equal("[AvgPool(2, 2)]", CSharpNetworkWriter.Attribute(net.Layers[2]));
    }

    [Fact]
    public void GemmFoldsAlphaBetaAndTransposesB()
    {
        var b = new ModelBuilder([1, 3]);
        float[] w = [1, 2, 3, 4, 5, 6]; // B is [K=3, N=2] (transB = 0)
        b.Add("Gemm", [b.Initializer("B", [3, 2], w), b.Initializer("C", [1, 2], [10, 20])], Float("alpha", 2f), Float("beta", 0.5f));
        ImportedNetwork net = Import(b);
        // weight [outputs][inputs] = alpha · Bᵀ, bias = beta · C
        Assert.Equal([2f, 6, 10, 4, 8, 12, 5, 10], net.Parameters);
        Assert.Equal(new Shape(1, 1, 3), net.Input);
    }

    [Fact]
    public void MatMulThenAddIsOneFullyConnectedLayer()
    {
        var b = new ModelBuilder([1, 2]);
        b.Add("MatMul", [b.Initializer("W", [2, 3], [1, 2, 3, 4, 5, 6])]);
        b.Add("Add", [b.Initializer("bias", [3], [7, 8, 9])]);
        ImportedNetwork net = Import(b);
        Assert.Single(net.Layers);
        Assert.Equal([1f, 4, 2, 5, 3, 6, 7, 8, 9], net.Parameters);
        Assert.Equal("matmul0 (MatMul) + add1 (Add)", net.Origins[0]);
    }

    [Fact]
    public void BatchNormalizationAfterConvIsFoldedIntoItsWeights()
    {
        var b = new ModelBuilder([1, 1, 4, 4]);
        float[] w = Values(1, 2 * 9), bias = [0.5f, -1];
        float[] gamma = [2, 0.5f], beta = [1, -2], mean = [0.25f, 3], variance = [4, 0.25f];
        b.Add("Conv", [b.Initializer("w", [2, 1, 3, 3], w), b.Initializer("b", [2], bias)]);
        b.Add("BatchNormalization", [b.Initializer("g", [2], gamma), b.Initializer("beta", [2], beta), b.Initializer("m", [2], mean), b.Initializer("v", [2], variance)], Float("epsilon", 0f));
        ImportedNetwork net = Import(b);
        Assert.Single(net.Layers);
        for (int c = 0; c < 2; c++)
        {
            double factor = gamma[c] / Math.Sqrt(variance[c]);
            for (int i = 0; i < 9; i++)
            {
                Assert.Equal(w[c * 9 + i] * factor, net.Parameters[c * 9 + i], 5);
            }
            Assert.Equal((bias[c] - mean[c]) * factor + beta[c], net.Parameters[18 + c], 5);
        }
    }

    [Fact]
    public void NhwcTransposeBeforeFlattenPermutesFullyConnectedWeightsToChw()
    {
        // [1, C=2, H=1, W=3] → Transpose to NHWC → Flatten → MatMul: ONNX flat order is (h, w, c).
        var b = new ModelBuilder([1, 2, 1, 3]);
        b.Add("Transpose", null, Ints("perm", 0, 2, 3, 1));
        b.Add("Flatten");
        float[] w = [10, 11, 12, 13, 14, 15]; // [6, 1]: row j = ONNX position j = (w = j / 2, c = j % 2)
        b.Add("MatMul", [b.Initializer("W", [6, 1], w)]);
        ImportedNetwork net = Import(b);
        // CnnGen position c·3 + w  ←  ONNX position w·2 + c
        Assert.Equal([10f, 12, 14, 11, 13, 15, 0], net.Parameters);
    }

    [Fact]
    public void CntkStyleReshapedInitializerComesOutInChwOrder()
    {
        // CNTK stores the last layer's weights as [C,H,W,outputs] and reshapes them to [C·H·W, outputs].
        var b = new ModelBuilder([1, 2, 2, 2]);
        b.Add("Reshape", [b.Initializer(Int64s("flat_shape", [1, 8]))]);
        var weightNode = new NodeProto { OpType = "Reshape", Name = "reshape_w", Input = { "w4", "w_shape" }, Output = { "w2" } };
        b.Graph.Node.Insert(0, weightNode);
        float[] w = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();
        b.Initializer("w4", [2, 2, 2, 2], w);
        b.Initializer(Int64s("w_shape", [8, 2]));
        b.Add("MatMul", ["w2"]);
        b.Add("Add", [b.Initializer("bias", [1, 2], [100, 200])]);
        ImportedNetwork net = Import(b);
        Assert.Equal([0f, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15, 100, 200], net.Parameters);
    }

    [Fact]
    public void TypedFloatDataDoubleAndHalfInitializersBecomeFloat32()
    {
        var b = new ModelBuilder([1, 2]);
        var dbl = new TensorProto { Name = "B", DataType = 11, Dims = { 2, 2 }, DoubleData = { 0.5, 1.5, -2.25, 3 } };
        byte[] half = new byte[4];
        BitConverter.TryWriteBytes(half.AsSpan(0), BitConverter.HalfToUInt16Bits((Half)0.25f));
        BitConverter.TryWriteBytes(half.AsSpan(2), BitConverter.HalfToUInt16Bits((Half)(-4f)));
        var h = new TensorProto { Name = "C", DataType = 10, Dims = { 2 }, RawData = ByteString.CopyFrom(half) };
        b.Add("Gemm", [b.Initializer(dbl), b.Initializer(h)], Int("transB", 1));
        b.Add("Gemm", [b.Initializer("B2", [1, 2], [1, 1], raw: false)], Int("transB", 1));
        ImportedNetwork net = Import(b);
        Assert.Equal([0.5f, 1.5f, -2.25f, 3, 0.25f, -4, 1, 1, 0], net.Parameters);
    }

    [Fact]
    public void NoOpsConstantsAndFlatteningReshapesAreAbsorbed()
    {
        var b = new ModelBuilder([1, 1, 2, 2], opset: 7);
        b.Add("Identity");
        b.Add("Dropout", null, Float("ratio", 0.5f));
        var constant = new NodeProto { OpType = "Constant", Name = "shape_const", Output = { "target" }, Attribute = { new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = Int64s("t", [0, -1]) } } };
        b.Graph.Node.Add(constant);
        b.Add("Reshape", ["target"]);
        b.Add("Gemm", [b.Initializer("B", [4, 3], Values(1, 12))]);
        b.Add("Softmax"); // opset 7: axis = 1 of [N, 3], the whole vector
        ImportedNetwork net = Import(b);
        Assert.Equal([LayerType.FullyConnected, LayerType.Softmax], net.Layers.Select(l => l.Type));
        Assert.Equal(7, net.Model.Opset);
    }

    [Fact]
    public void GlobalAveragePoolIsAWholeInputWindow()
    {
        var b = new ModelBuilder([1, 3, 5, 4]);
        b.Add("GlobalAveragePool");
        LayerInfo pool = Import(b).Layers[0];
        Assert.Equal((4, 5, 4, 5), (pool.KernelWidth, pool.KernelHeight, pool.StrideX, pool.StrideY));
        Assert.Equal(new Shape(1, 1, 3), pool.Output);
    }

    [Fact]
    public void FixedBatchIsRecordedAndEachItemRunsAlone()
    {
        var b = new ModelBuilder([4, 6]);
        b.Add("Relu");
        ImportedNetwork net = Import(b);
        Assert.Equal(4, net.Model.BatchSize);
        Assert.Equal(new Shape(1, 1, 6), net.Input);
    }

    [Fact]
    public void NanAndInfiniteWeightsWarnButImport()
    {
        var b = new ModelBuilder([1, 2]);
        b.Add("Gemm", [b.Initializer("B", [1, 2], [float.NaN, float.PositiveInfinity])], Int("transB", 1));
        ImportedNetwork net = Import(b);
        string warning = Assert.Single(net.Warnings);
        Assert.Equal("Fc1 (from gemm0 (Gemm)) has 1 NaN and 1 infinite parameter(s) of 3: its outputs will be NaN or infinite.", warning);
    }

    [Fact]
    public void WriterProducesACommentedDeclaration()
    {
        var b = new ModelBuilder([1, 1, 8, 8]);
        b.Add("Conv", [b.Initializer("w", [2, 1, 3, 3], Values(1, 18))], Ints("pads", 0, 1, 2, 1), Ints("strides", 2, 2));
        b.Add("Relu");
        ImportedNetwork net = OnnxImporter.Import(b.Bytes(), new OnnxImportOptions { SourceName = "tiny.onnx" });
        string source = CSharpNetworkWriter.Write(net, "Tiny", "Demo", "Tiny.weights");
        Assert.Contains("namespace Demo;", source);
        Assert.Contains("[Input(8, 8, 1)]", source);
        Assert.Contains("[Conv(3, 3, 2, Stride = 2, PadLeft = 1, PadRight = 1, PadBottom = 2)] // Conv1: 8×8×1 → 4×4×2 ← conv0 (Conv)", source);
        Assert.Contains("// Source: ONNX opset 13, IR version 7, written by tests.", source);
        Assert.Contains("[Network]\n", source);
        // The generator documents the class; XML docs here would be merged with its into two summaries.
        Assert.DoesNotContain("///", source);
        Assert.Contains("public partial class Tiny", source);
    }

    [Fact]
    public void WriterCanDeclareTheWeightsFileForEmbedding()
    {
        var b = new ModelBuilder([1, 4]);
        b.Add("Relu");
        ImportedNetwork net = OnnxImporter.Import(b.Bytes());
        string source = CSharpNetworkWriter.Write(net, "Tiny", null, "Tiny.weights", embedWeights: true);
        Assert.Contains("[Network(Weights = \"Tiny.weights\")]\n", source);
        Assert.Contains("<AdditionalFiles Include=\"Tiny.weights\" />", source);
    }

    [Theory]
    [InlineData("lenet.onnx", "Lenet")]
    [InlineData("my-model_v2.onnx", "MyModelV2")]
    [InlineData("2conv.onnx", "Net2conv")]
    public void ClassNamesComeFromFileNames(string file, string expected) =>
        Assert.Equal(expected, CSharpNetworkWriter.ClassNameFrom(file));
}
