using System.Linq;
using CnnGen.TestSupport;
using Xunit;
using static CnnGen.Onnx.Tests.ModelBuilder;

namespace CnnGen.Onnx.Tests;

/// <summary>[N, C, L] sequences: Conv1d and pools over one axis become CnnGen layers of height 1.</summary>
public class SequenceModelTests
{
    [Fact]
    public void Conv1dModelRunsLikeOnnxRuntime()
    {
        var b = new ModelBuilder([1, 3, 20]);
        b.Add("Conv", [b.Initializer("w", [4, 3, 5], Values(1, 60)), b.Initializer("c", [4], Values(2, 4))], Ints("pads", 2, 1), Ints("strides", 2), Ints("dilations", 1));
        b.Add("Relu");
        b.Add("MaxPool", null, Ints("kernel_shape", 3), Ints("strides", 2), Int("ceil_mode", 1));
        b.Add("Flatten");
        ImportedNetwork partial = OnnxImporter.Import(b.Bytes());
        b.Graph.Output.Clear();
        b.Add("Gemm", [b.Initializer("B", [5, partial.Output.Length], Values(3, 5 * partial.Output.Length))], Int("transB", 1));
        byte[] model = b.Bytes();
        ImportedNetwork network = OnnxImporter.Import(model);

        Assert.Equal(new Shape(20, 1, 3), network.Input);
        Assert.Equal("[Conv(5, 1, 4, StrideX = 2, StrideY = 1, PadLeft = 2, PadRight = 1)]", CSharpNetworkWriter.Attribute(network.Layers[0]));
        Assert.Equal(new Shape(10, 1, 4), network.Layers[0].Output);

        using CompiledNetworks compiled = GeneratedCode.Compile([(network, "Sequence")]);
        INetwork net = GeneratedCode.Create(compiled, network, "Sequence");
        using var ort = new OnnxRuntimeModel(model);
        float[] x = Values(4, 60);
        Assert.Null(Tolerance.Compare(GeneratedCode.Forward(net, x), ort.Run(x, [1, 3, 20])));
    }
}
