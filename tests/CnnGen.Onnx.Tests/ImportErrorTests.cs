using System;
using System.Text;
using CnnGen.Onnx.Protos;
using Google.Protobuf;
using Xunit;
using static CnnGen.Onnx.Tests.ModelBuilder;

namespace CnnGen.Onnx.Tests;

/// <summary>Every way an import can fail gives an <see cref="OnnxImportException"/> whose message says what and where.</summary>
public class ImportErrorTests
{
    private static OnnxImportException Fails(byte[] bytes, OnnxImportOptions? options = null) =>
        Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes, options));

    private static OnnxImportException Fails(ModelBuilder b) => Fails(b.Bytes());

    private static ModelBuilder ConvModel(params AttributeProto[] attributes)
    {
        var b = new ModelBuilder([1, 2, 6, 6]);
        b.Add("Conv", [b.Initializer("w", [3, 2, 3, 3], Values(1, 54))], attributes);
        return b;
    }

    [Fact]
    public void TruncatedFile()
    {
        byte[] good = ConvModel().Bytes();
        OnnxImportException e = Fails(good.AsSpan(0, good.Length - 7).ToArray());
        Assert.StartsWith("The input is not a valid ONNX model (it may be truncated or corrupt): ", e.Message);
    }

    [Fact]
    public void TextFileIsNotOnnx()
    {
        OnnxImportException e = Fails(Encoding.UTF8.GetBytes("import torch\nmodel = torch.load('x.pt')\n"), new OnnxImportOptions { SourceName = "notes.txt" });
        Assert.StartsWith("'notes.txt' is not", e.Message);
    }

    [Fact]
    public void EmptyFile() =>
        Assert.Equal("The input is empty, not an ONNX model.", Fails([]).Message);

    [Fact]
    public void MissingInitializer()
    {
        var b = new ModelBuilder([1, 2, 6, 6]);
        b.Add("Conv", ["nowhere"]);
        Assert.Equal("node 'conv0' (Conv): input 'nowhere' is neither an initializer, a graph input nor the output of another node: the model is missing an initializer.", Fails(b).Message);
    }

    [Fact]
    public void WeightShapeDisagreesWithTheGraph()
    {
        var b = new ModelBuilder([1, 1, 6, 6]);
        b.Add("Conv", [b.Initializer("w", [3, 2, 3, 3], Values(1, 54))]);
        OnnxImportException e = Fails(b);
        Assert.Equal("node 'conv0' (Conv): its weight 'w' has shape [3,2,3,3], i.e. 2 input channels, but its input has 1 channels: the weights disagree with the graph.", e.Message);
        Assert.Equal(("conv0", "Conv"), (e.NodeName, e.OpType));
    }

    [Fact]
    public void RawDataShorterThanItsDimensions()
    {
        var b = new ModelBuilder([1, 2]);
        var t = Floats("B", [3, 2], Values(1, 6));
        t.RawData = ByteString.CopyFrom(t.RawData.ToByteArray().AsSpan(0, 20).ToArray());
        b.Add("Gemm", [b.Initializer(t)]);
        Assert.Equal("node 'gemm0' (Gemm): weight B 'B' has dimensions [3,2] (6 values, 24 bytes of float) but its raw_data holds 20 bytes: the model is corrupt.", Fails(b).Message);
    }

    [Fact]
    public void SubtractingTwoComputedTensors()
    {
        var b = new ModelBuilder([1, 4]);
        b.Add("Relu");
        string relu = b.Current;
        b.Add("Relu");
        var sub = new NodeProto { OpType = "Sub", Name = "difference", Input = { relu, b.Current }, Output = { "d" } };
        b.Graph.Node.Add(sub);
        b.Graph.Output.Add(new ValueInfoProto { Name = "d" });
        OnnxImportException e = Fails(b);
        Assert.Equal("node 'difference' (Sub): it subtracts two computed tensors; CnnGen merges tensors only by Add, Mul and Concat.", e.Message);
        Assert.Equal(("difference", "Sub"), (e.NodeName, e.OpType));
    }

    [Fact]
    public void UnsupportedOperator()
    {
        var b = new ModelBuilder([1, 4, 3, 3]);
        b.Add("InstanceNormalization", [b.Initializer("s", [4], Values(1, 4)), b.Initializer("b", [4], Values(2, 4))]);
        OnnxImportException e = Fails(b);
        Assert.StartsWith("node 'instancenormalization0' (InstanceNormalization): CnnGen cannot represent the operator InstanceNormalization. It imports Conv (with group), ConvTranspose,", e.Message);
        Assert.Equal("InstanceNormalization", e.OpType);
    }

    [Fact]
    public void SoftmaxOverAnotherAxis()
    {
        var b = new ModelBuilder([1, 3, 4, 5]);
        b.Add("Softmax", null, Int("axis", 1));
        OnnxImportException e = Fails(b);
        Assert.Equal("node 'softmax0' (Softmax), attribute 'axis': softmax over axis 1 of [N,3,4,5] (opset 13) normalizes only part of each item; CnnGen's Softmax normalizes the whole vector, e.g. axis = 1 of an [N,K] input.", e.Message);
        Assert.Equal("axis", e.AttributeName);
    }

    [Fact]
    public void PadsOnBatchAndChannelAxes()
    {
        OnnxImportException e = Fails(ConvModel(Ints("pads", 0, 0, 1, 1, 0, 0, 1, 1)));
        Assert.Equal("node 'conv0' (Conv), attribute 'pads': [0,0,1,1,0,0,1,1] has 8 values; Conv on 2 spatial axes needs 4 (begin values, then end values). Padding of the batch or channel axes cannot be represented.", e.Message);
    }

    [Fact]
    public void GroupsThatDoNotDivideTheChannels()
    {
        var b = new ModelBuilder([1, 2, 6, 6]);
        b.Add("Conv", [b.Initializer("w", [3, 1, 3, 3], Values(1, 27))], Int("group", 3));
        Assert.Equal("node 'conv0' (Conv), attribute 'group': group = 3 does not divide the 2 input channels and the 3 filters.", Fails(b).Message);
    }

    [Fact]
    public void UnknownAttributeIsNotSilentlyIgnored()
    {
        OnnxImportException e = Fails(ConvModel(Int("mystery", 1)));
        Assert.Equal("node 'conv0' (Conv), attribute 'mystery': CnnGen does not know this attribute of Conv (it knows auto_pad, dilations, group, kernel_shape, pads, strides), so it cannot import the node faithfully.", e.Message);
    }

    [Fact]
    public void DilatedPool()
    {
        var b = new ModelBuilder([1, 1, 6, 6]);
        b.Add("MaxPool", null, Ints("kernel_shape", 2, 2), Ints("dilations", 2, 2));
        Assert.Equal("node 'maxpool0' (MaxPool), attribute 'dilations': [2,2]: CnnGen's pools have no dilation (only Conv has).", Fails(b).Message);
    }

    [Fact]
    public void OldOpset()
    {
        var b = new ModelBuilder([1, 4], opset: 6);
        b.Add("Relu");
        Assert.Equal("The model uses ONNX opset 6; CnnGen imports opset 7 and newer. Convert it first (onnx.version_converter.convert_version(model, 13)).", Fails(b).Message);
    }

    [Fact]
    public void ExternalData()
    {
        var b = new ModelBuilder([1, 2]);
        var t = new TensorProto { Name = "B", DataType = 1, Dims = { 2, 2 }, DataLocation = TensorProto.Types.DataLocation.External };
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        b.Add("Gemm", [b.Initializer(t)]);
        Assert.StartsWith("node 'gemm0' (Gemm): weight B 'B' is stored outside the .onnx file (external data)", Fails(b).Message);
    }

    [Fact]
    public void TwoRealInputs()
    {
        var b = new ModelBuilder([1, 4]);
        b.Graph.Input.Add(ValueInfo("y", [1, 4]));
        b.Add("Relu");
        Assert.Equal("The graph has 2 inputs that are not initializers ('x', 'y'); a CnnGen network reads exactly one. If some of them are weights, store them as initializers.", Fails(b).Message);
    }

    [Fact]
    public void IntegerInput()
    {
        var b = new ModelBuilder([1, 4]);
        b.Graph.Input[0].Type.TensorType.ElemType = 2;
        b.Add("Relu");
        Assert.Equal("The graph input 'x' holds uint8 values; CnnGen networks compute in float32, so only a float input can be imported.", Fails(b).Message);
    }

    [Fact]
    public void SymbolicImageSize()
    {
        var b = new ModelBuilder([1, 3, 4, 4]);
        b.Graph.Input[0].Type.TensorType.Shape.Dim[2] = new TensorShapeProto.Types.Dimension { DimParam = "height" };
        b.Add("Relu");
        Assert.Equal("The graph input 'x' has a symbolic ('height') height dimension; CnnGen networks have fixed sizes. Export the model with a fixed input size (only the batch axis may be symbolic).", Fails(b).Message);
    }

    [Fact]
    public void ShapeComputedFromValuesRatherThanShapes()
    {
        var b = new ModelBuilder([1, 2, 2, 2]);
        b.Add("Relu");
        string relu = b.Current;
        var cast = new NodeProto { OpType = "Cast", Name = "to_int", Input = { relu }, Output = { "s" }, Attribute = { Int("to", 7) } };
        b.Graph.Node.Add(cast);
        Assert.Equal("node 'to_int' (Cast), attribute 'to': it casts computed values to int64; CnnGen networks compute in float32.", Fails(b).Message);
    }

    [Fact]
    public void ConvOnAReshapedView()
    {
        var b = new ModelBuilder([1, 2, 2, 2]);
        b.Add("Reshape", [b.Initializer(Int64s("s", [1, 4, 2, 1]))]);
        b.Add("Conv", [b.Initializer("w", [1, 4, 1, 1], Values(1, 4))]);
        Assert.Equal("node 'conv1' (Conv): its input [N,4,2,1] is a reshaped view of a 2×2×2 volume; Conv needs an image [N,C,H,W] (or a sequence [N,C,L]) in channel-first layout.", Fails(b).Message);
    }

    [Fact]
    public void SymbolicAxisBesidesTheBatch()
    {
        var b = new ModelBuilder([1, 3, 4, 4]);
        b.Graph.Input[0].Type.TensorType.Shape.Dim[3] = new TensorShapeProto.Types.Dimension { DimParam = "width" };
        b.Add("Relu");
        Assert.Equal("The graph input 'x' has a symbolic ('width') width dimension; CnnGen networks have fixed sizes. Export the model with a fixed input size (only the batch axis may be symbolic).", Fails(b).Message);
    }

    [Fact]
    public void LayerAfterSoftmax()
    {
        var b = new ModelBuilder([1, 4]);
        b.Add("Softmax");
        b.Add("Relu");
        Assert.Equal("relu1 (Relu) reads the output of softmax0 (Softmax); CnnGen's Softmax must be the last layer.", Fails(b).Message);
    }

    [Fact]
    public void BiasDifferentPerBatchRow()
    {
        var b = new ModelBuilder([2, 3]);
        b.Add("Gemm", [b.Initializer("B", [3, 2], Values(1, 6)), b.Initializer("C", [2, 2], [1, 2, 3, 4])]);
        Assert.StartsWith("node 'gemm0' (Gemm): its bias C 'C' has shape [2,2]: a different bias for each of the 2 batch rows.", Fails(b).Message);
    }

    [Fact]
    public void NoLayers()
    {
        var b = new ModelBuilder([1, 4]);
        b.Add("Flatten");
        Assert.StartsWith("The graph has no layer CnnGen can generate", Fails(b).Message);
    }

    [Fact]
    public void DeclaredOutputShapeDisagrees()
    {
        var b = new ModelBuilder([1, 2]);
        b.Add("Gemm", [b.Initializer("B", [2, 3], Values(1, 6))]);
        b.Graph.Output.Add(ValueInfo(b.Current, [1, 4]));
        Assert.Equal("The graph declares its output 'gemm0_out' as [N,4] but its layers compute [N,3]: the model's shapes disagree with its weights or attributes.", Fails(b).Message);
    }

    [Fact]
    public void ImportFileReportsUnreadableFiles()
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.ImportFile("/nonexistent/model.onnx"));
        Assert.StartsWith("Cannot read '/nonexistent/model.onnx': ", e.Message);
    }
}
