using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Onnx.Tests;

/// <summary>
/// Graph networks (Name/From, Add, Mul, Concat) declared with attributes, generated and compiled, exported with
/// <see cref="OnnxExporter"/>, and run in ONNX Runtime: the outputs must agree with the generated code's within
/// 1e-4 relative + 1e-5 absolute. Hand-written blocks, then seeded random graphs (<see cref="RandomNetworks.Graph(int, bool)"/>).
/// </summary>
public class GraphExportTests
{
    private const string Namespace = "GraphExport";

    /// <summary>Name, input shape and attributes of each hand-written network.</summary>
    public static readonly (string Name, Shape Input, string Attributes)[] Networks =
    [
        ("Residual", new Shape(8, 8, 4), """
            [Conv(3, 3, 8, Padding = 1, Name = "stem")] [Relu]
            [Conv(3, 3, 8, Padding = 1)] [Relu]
            [Conv(3, 3, 8, Padding = 1)]
            [Add("Relu1")] [Relu]
            [MaxPool(2, 2)]
            [FullyConnected(5)]
            """),
        ("ResidualDownsample", new Shape(8, 8, 3), """
            [Conv(3, 3, 6, Stride = 2, Padding = 1)] [Relu]
            [Conv(3, 3, 6, Padding = 1, Name = "body")]
            [Conv(1, 1, 6, Stride = 2, From = "Input", Name = "shortcut")]
            [Add("body")] [Relu]
            """),
        // The gate (1×1×C, flat after the FullyConnected layers) is the Mul's input and broadcasts over the features.
        ("SqueezeExcite", new Shape(6, 6, 8), """
            [Conv(3, 3, 8, Padding = 1)] [Relu(Name = "features")]
            [AvgPool(6, 6)] [FullyConnected(2)] [Relu] [FullyConnected(8)]
            [Mul("features")]
            [Conv(1, 1, 3)]
            """),
        // The features are the Mul's input and the gate the operand; the pooled 1×1×C map itself also gates.
        ("SqueezeExciteFeaturesFirst", new Shape(5, 4, 6), """
            [Conv(3, 3, 6, Padding = 1, Name = "features")]
            [AvgPool(5, 4, Name = "squeeze")] [FullyConnected(3)] [Relu] [FullyConnected(6, Name = "gate")]
            [Mul("gate", From = "features")]
            [Mul("squeeze")]
            [Mul("gate", "squeeze", From = "squeeze")]
            """),
        ("ConcatBranches", new Shape(7, 5, 3), """
            [Conv(3, 3, 4, Padding = 1, Name = "left")]
            [Conv(1, 1, 2, From = "Input")] [Relu(Name = "right")]
            [MaxPool(3, 3, Stride = 1, Padding = 1, From = "Input")]
            [Concat("left", "right")]
            [Conv(3, 3, 6)]
            [Softmax]
            """),
        // Merges of flat vectors (FullyConnected outputs) stay flat; a merge of a map with the input.
        ("FlatMerges", new Shape(4, 4, 2), """
            [Relu(Name = "r")] [Mul("Input")] [Add("r", "Input")]
            [FullyConnected(6, Name = "f")]
            [FullyConnected(6, From = "Input")] [Relu]
            [Add("f")]
            [FullyConnected(3, From = "f")]
            [Concat("Add2", "f")]
            [Softmax]
            """),
    ];

    private static string Source(string name, Shape input, string attributes) =>
        $"using CnnGen;\n\nnamespace {Namespace};\n\n[Network]\n[Input({input.Width}, {input.Height}, {input.Depth})]\n{attributes}\npublic partial class {name}\n{{\n}}\n";

    [Fact]
    public void HandWrittenGraphsAgreeWithOnnxRuntime()
    {
        using CompiledNetworks compiled = GeneratorHarness.Compile(
            Networks.Select(n => Source(n.Name, n.Input, n.Attributes)),
            Networks.Select(n => Namespace + "." + n.Name));
        var failures = new List<string>();
        int seed = 1;
        foreach ((string name, Shape input, _) in Networks)
        {
            string type = Namespace + "." + name;
            var layers = (IReadOnlyList<LayerInfo>)compiled.StaticProperty(type, "Layers")!;
            Assert.Contains(layers, l => l.Inputs.Count > 1 || (l.Inputs.Count == 1 && l.Inputs[0] == "Input" && l != layers[0]));
            float[] parameters = RandomNetworks.Values(seed, layers.Sum(l => l.ParameterCount));
            float[] x = RandomNetworks.Values(seed + 1000, input.Length);
            if (Check(compiled, type, layers, input, parameters, x) is { } problem)
            {
                failures.Add($"{name}: {problem}");
            }
            seed++;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    public static TheoryData<int> RandomGroups() => new(Enumerable.Range(0, 2));

    [Theory]
    [MemberData(nameof(RandomGroups))]
    public void RandomGraphsAgreeWithOnnxRuntime(int group)
    {
        const int PerGroup = 25;
        int[] seeds = Enumerable.Range(1 + group * PerGroup, PerGroup).ToArray();
        // The first round's kinds only, so that import(export) gives back exactly these layers; every kind is in
        // EveryKindDifferentialTests, which compares numbers (the importer normalizes some kinds, see there).
        var networks = seeds.ToDictionary(s => s, s => RandomNetworks.Graph(s, allActivations: false, convFamily: false, shapeKinds: false));
        using CompiledNetworks compiled = GeneratorHarness.Compile(
            seeds.Select(s => networks[s].ToSource(Namespace, "Graph" + s)),
            seeds.Select(s => Namespace + ".Graph" + s));
        var failures = new List<string>();
        foreach (int seed in seeds)
        {
            string type = Namespace + ".Graph" + seed;
            ReferenceNetwork reference = networks[seed];
            try
            {
                var layers = (IReadOnlyList<LayerInfo>)compiled.StaticProperty(type, "Layers")!;
                var input = new Shape(reference.Input.Width, reference.Input.Height, reference.Input.Depth);
                float[] parameters = RandomNetworks.Parameters(reference, seed);
                float[] x = RandomNetworks.Values(seed + 100_000, input.Length);
                if (Check(compiled, type, layers, input, parameters, x) is { } problem)
                {
                    failures.Add($"seed {seed}: {problem}\n{reference}");
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"seed {seed}: {e.GetType().Name}: {e.Message}\n{reference}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {seeds.Length} graphs failed:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void ExportRejectsAnUnknownInput()
    {
        LayerInfo[] layers =
        [
            new(LayerType.Relu, "Relu1", new Shape(2, 2, 1), new Shape(2, 2, 1)) { Inputs = ["Input"] },
            new(LayerType.Add, "Add1", new Shape(2, 2, 1), new Shape(2, 2, 1)) { Inputs = ["Relu1", "nowhere"] },
        ];
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.ExportToBytes(layers, new Shape(2, 2, 1), []));
        Assert.Contains("'nowhere'", e.Message);
    }

    [Fact]
    public void ExportRejectsAMulWhoseOperandDoesNotBroadcast()
    {
        LayerInfo[] layers =
        [
            new(LayerType.MaxPool, "MaxPool1", new Shape(4, 4, 2), new Shape(2, 2, 2)) { Inputs = ["Input"], KernelWidth = 2, KernelHeight = 2, StrideX = 2, StrideY = 2 },
            new(LayerType.Mul, "Mul1", new Shape(2, 2, 2), new Shape(4, 4, 2)) { Inputs = ["MaxPool1", "Input"] },
        ];
        var e = Assert.Throws<ArgumentException>(() => OnnxExporter.ExportToBytes(layers, new Shape(4, 4, 2), []));
        Assert.Contains("cannot multiply", e.Message);
    }

    [Fact]
    public void ExportedGraphUsesOnnxMergeOperators()
    {
        using CompiledNetworks compiled = GeneratorHarness.Compile(
            [Source("Ops", new Shape(4, 4, 2), "[Relu(Name = \"r\")] [Conv(1, 1, 2, From = \"Input\")] [Add(\"r\")] [Mul(\"r\")] [Concat(\"Input\")]")],
            [Namespace + ".Ops"]);
        var layers = (IReadOnlyList<LayerInfo>)compiled.StaticProperty(Namespace + ".Ops", "Layers")!;
        Protos.ModelProto model = OnnxExporter.ToModel(layers, new Shape(4, 4, 2), new float[layers.Sum(l => l.ParameterCount)]);
        Assert.Equal(["Relu", "Conv", "Add", "Mul", "Concat"], model.Graph.Node.Select(n => n.OpType));
        Assert.Equal(["Conv1", "r"], model.Graph.Node[2].Input);
        Assert.Equal(1, model.Graph.Node[4].Attribute.Single(a => a.Name == "axis").I);
        Assert.Equal(["Mul1", OnnxExporter.InputName], model.Graph.Node[4].Input);
        Assert.Equal([4L, 4, 4], model.Graph.Output[0].Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
    }

    /// <summary>Exports, runs the export in ONNX Runtime and the generated code on <paramref name="x"/>; null when they agree.</summary>
    private static string? Check(CompiledNetworks compiled, string type, IReadOnlyList<LayerInfo> layers, Shape input, float[] parameters, float[] x)
    {
        byte[] model = OnnxExporter.ExportToBytes(layers, input, parameters);
        float[] ours = GeneratedCode.Forward(compiled.Create(type, parameters), x);
        using var ort = new OnnxRuntimeModel(model);
        float[] theirs = ort.Run(x, [1, input.Depth, input.Height, input.Width]);
        return Tolerance.Compare(ours, theirs) is { } problem ? $"generated vs ONNX Runtime: {problem}" : null;
    }
}
