using System.IO;
using System.Linq;
using Xunit;
using static CnnGen.Onnx.Tests.ModelBuilder;

namespace CnnGen.Onnx.Tests;

/// <summary>import(export(network)) gives back the same layers and parameters.</summary>
public class RoundTripTests
{
    private static void AssertRoundTrip(ImportedNetwork network)
    {
        byte[] model = OnnxExporter.ExportToBytes(network.Layers, network.Input, network.Parameters);
        ImportedNetwork back = OnnxImporter.Import(model);
        Assert.Equal(network.Input, back.Input);
        Assert.Equal(network.Layers, back.Layers);
        Assert.Equal(network.Parameters, back.Parameters);
    }

    [Fact]
    public void LeNet() =>
        AssertRoundTrip(OnnxImporter.ImportFile(Path.Combine(Paths.RepositoryRoot, "samples", "Mnist", "Model", "lenet.onnx")));

    [Fact]
    public void EveryAttributeKind()
    {
        var b = new ModelBuilder([1, 2, 17, 13]);
        b.Add("Conv", [b.Initializer("w", [3, 2, 3, 5], Values(1, 90)), b.Initializer("c", [3], Values(2, 3))],
            Ints("pads", 1, 2, 0, 3), Ints("strides", 2, 1), Ints("dilations", 1, 2));
        b.Add("Relu");
        b.Add("MaxPool", null, Ints("kernel_shape", 3, 2), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 0), Int("ceil_mode", 1));
        b.Add("AveragePool", null, Ints("kernel_shape", 2, 2), Ints("strides", 1, 1), Ints("pads", 1, 0, 0, 1));
        b.Add("AveragePool", null, Ints("kernel_shape", 2, 2), Int("count_include_pad", 1), Ints("pads", 1, 1, 1, 1));
        b.Add("Flatten");
        ImportedNetwork partial = OnnxImporter.Import(b.Bytes());
        int inputs = partial.Output.Length;
        b.Graph.Output.Clear();
        b.Add("Gemm", [b.Initializer("B", [4, inputs], Values(3, 4 * inputs)), b.Initializer("C", [4], Values(4, 4))], Int("transB", 1));
        b.Add("Softmax", null, Int("axis", -1));
        ImportedNetwork network = OnnxImporter.Import(b.Bytes());
        Assert.Equal(7, network.Layers.Count);
        Assert.True(network.Layers[2].CeilMode);
        AssertRoundTrip(network);
    }

    [Fact]
    public void ExportedModelDeclaresOpset13AndItsShapes()
    {
        var b = new ModelBuilder([1, 1, 4, 4]);
        b.Add("Relu");
        ImportedNetwork network = OnnxImporter.Import(b.Bytes());
        Protos.ModelProto model = OnnxExporter.ToModel(network.Layers, network.Input, network.Parameters);
        Assert.Equal(13, model.OpsetImport.Single().Version);
        Assert.Equal("N", model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal([1L, 4, 4], model.Graph.Output[0].Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
    }

    [Fact]
    public void ExportRejectsAParameterCountThatDoesNotFit()
    {
        var b = new ModelBuilder([1, 2]);
        b.Add("Gemm", [b.Initializer("B", [2, 2], Values(1, 4))]);
        ImportedNetwork network = OnnxImporter.Import(b.Bytes());
        var e = Assert.Throws<System.ArgumentException>(() => OnnxExporter.ExportToBytes(network.Layers, network.Input, new float[5]));
        Assert.StartsWith("The network has 6 parameters but 5 were given.", e.Message);
    }
}
