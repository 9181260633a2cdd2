using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Onnx.Tests;

/// <summary><see cref="CSharpNetworkWriter.Attributes"/> declares graphs: writing a generated network's layers and generating again gives the same layers.</summary>
public class GraphWriterTests
{
    [Fact]
    public void WrittenAttributesDeclareTheSameGraph()
    {
        var networks = GraphExportTests.Networks;
        using CompiledNetworks first = GeneratorHarness.Compile(
            networks.Select(n => Source("First", n.Name, n.Input, n.Attributes)),
            networks.Select(n => "First." + n.Name));
        var written = networks.Select(n =>
        {
            var layers = (IReadOnlyList<LayerInfo>)first.StaticProperty("First." + n.Name, "Layers")!;
            return (n.Name, n.Input, Layers: layers, Attributes: string.Join("\n", CSharpNetworkWriter.Attributes(layers)));
        }).ToList();
        using CompiledNetworks second = GeneratorHarness.Compile(
            written.Select(n => Source("Second", n.Name, n.Input, n.Attributes)),
            written.Select(n => "Second." + n.Name));
        foreach (var n in written)
        {
            var again = (IReadOnlyList<LayerInfo>)second.StaticProperty("Second." + n.Name, "Layers")!;
            Assert.Equal(n.Layers, again);
        }
    }

    [Fact]
    public void NamesAndFromAreWrittenOnlyWhereNeeded()
    {
        LayerInfo[] layers =
        [
            new(LayerType.Conv, "stem", new Shape(4, 4, 1), new Shape(4, 4, 2)) { Inputs = ["Input"], KernelWidth = 3, KernelHeight = 3, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, ParameterCount = 20 },
            new(LayerType.Relu, "Relu1", new Shape(4, 4, 2), new Shape(4, 4, 2)) { Inputs = ["stem"] },
            new(LayerType.Conv, "Conv2", new Shape(4, 4, 1), new Shape(4, 4, 2)) { Inputs = ["Input"], ParameterOffset = 20, ParameterCount = 4 },
            new(LayerType.Add, "Add1", new Shape(4, 4, 2), new Shape(4, 4, 2)) { Inputs = ["Conv2", "Relu1"] },
            new(LayerType.Concat, "cat", new Shape(4, 4, 2), new Shape(4, 4, 3)) { Inputs = ["Add1", "Input"] },
            new(LayerType.Relu, "Relu2", new Shape(4, 4, 3), new Shape(4, 4, 3)),
        ];
        Assert.Equal(
            [
                "[Conv(3, 3, 2, Padding = 1, Name = \"stem\")]",
                "[Relu]",
                "[Conv(1, 1, 2, From = \"Input\")]",
                "[Add(\"Relu1\")]",
                "[Concat(\"Input\", Name = \"cat\")]",
                "[Relu]",
            ],
            CSharpNetworkWriter.Attributes(layers));
    }

    private static string Source(string ns, string name, Shape input, string attributes) =>
        $"using CnnGen;\n\nnamespace {ns};\n\n[Network]\n[Input({input.Width}, {input.Height}, {input.Depth})]\n{attributes}\npublic partial class {name}\n{{\n}}\n";
}
