using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Graph networks for the compile-and-run tests: the blocks people build (residual, squeeze-and-excite,
/// inception-style, branches from the input), written as the independent reference's layers so that the
/// attributes and the oracle come from one description, plus seeded random graphs. Compiled once per run.
/// </summary>
internal static class GraphNetworks
{
    public const string Namespace = "Graphs";

    /// <summary>The example of the graph issue and the README, as written there.</summary>
    public static ReferenceNetwork Block => new(new RefShape(32, 32, 16), new RefLayer[]
    {
        new RefConv(3, 3, 16) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, Name = "a" }, new RefRelu(),
        new RefConv(3, 3, 16) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefRelu(),
        new RefConv(3, 3, 16) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 },
        new RefAdd("Relu1"), new RefRelu(),
        new RefConv(1, 1, 8) { From = "a", Name = "side" },
        new RefConcat("Relu3"),
    });

    /// <summary>A ResNet basic block that halves the size: the shortcut is a strided 1×1 convolution of the input.</summary>
    public static ReferenceNetwork ResidualDownsample => new(new RefShape(16, 16, 8), new RefLayer[]
    {
        new RefConv(3, 3, 16) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefRelu(),
        new RefConv(3, 3, 16) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, Name = "body" },
        new RefConv(1, 1, 16) { StrideX = 2, StrideY = 2, From = "Input", Name = "shortcut" },
        new RefAdd("body"), new RefRelu(),
        new RefPool(false, 8, 8, 8, 8), new RefFullyConnected(10),
    });

    /// <summary>A squeeze-and-excite gate: the 1×1×C gate is the Mul's input and broadcasts over the W×H×C features.</summary>
    public static ReferenceNetwork SqueezeExcite => new(new RefShape(8, 8, 12), new RefLayer[]
    {
        new RefConv(3, 3, 12) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefRelu { Name = "features" },
        new RefPool(false, 8, 8, 8, 8), new RefFullyConnected(3), new RefRelu(), new RefFullyConnected(12),
        new RefMul("features"),
        new RefConv(1, 1, 4), new RefRelu6(),
    });

    /// <summary>Inception-style: three branches from the input concatenated, then a padded conv that reads the concatenation.</summary>
    public static ReferenceNetwork Inception => new(new RefShape(10, 10, 4), new RefLayer[]
    {
        new RefConv(1, 1, 4) { Name = "b1" },
        new RefConv(3, 3, 6) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, From = "Input" }, new RefRelu { Name = "b2" },
        new RefPool(true, 3, 3, 1, 1) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, From = "Input" },
        new RefConv(1, 1, 2) { Name = "b3" },
        new RefConcat("b1", "b2"),
        new RefConv(3, 3, 5) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 },
    });

    /// <summary>
    /// SqueezeNet-style fire modules whose concats are written in place by their operands' kernels (BufferPlan's concat
    /// views): two operands listed in the opposite order to the one they are computed in, one written through a padded
    /// 3×3 conv; three operands, one with a SiLU pass after its kernel; then a concat that must stay a copy because one of
    /// its operands is read again (by the Add), and a last concat that is the network's output. Odd widths, 16+ channels
    /// so the 1×1 convs take their vector kernels.
    /// </summary>
    public static ReferenceNetwork Fire => new(new RefShape(17, 13, 16), new RefLayer[]
    {
        new RefConv(1, 1, 8), new RefRelu { Name = "s" },
        new RefConv(1, 1, 16), new RefRelu { Name = "e1" },
        new RefConv(3, 3, 24) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, From = "s" }, new RefRelu { Name = "e3" },
        new RefConcat("e1") { Name = "c1" },
        new RefConv(1, 1, 16) { Name = "sq2" },
        new RefConv(1, 1, 17) { Name = "f1" },
        new RefConv(3, 3, 5) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, From = "sq2" }, new RefSilu { Name = "f2" },
        new RefConv(1, 1, 32) { From = "sq2", Name = "f3" },
        new RefConcat("f1", "f2") { Name = "c2" },
        new RefConv(1, 1, 6) { Name = "g1" },
        new RefConv(1, 1, 6) { From = "c2", Name = "g2" },
        new RefConcat("g1") { Name = "c3" },
        new RefConv(1, 1, 6), new RefAdd("g1"),
        new RefConv(1, 1, 4) { From = "c3", Name = "h" },
        new RefConcat("Add1"),
    });

    /// <summary>Two padded convolutions read the input (each gets a bordered copy); a named conv output is read raw and through a ReLU.</summary>
    public static ReferenceNetwork SharedInputs => new(new RefShape(9, 7, 3), new RefLayer[]
    {
        new RefConv(3, 3, 4) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, Name = "p" },
        new RefConv(3, 3, 4) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, From = "Input" },
        new RefAdd("p"),
        new RefRelu { Name = "r" },
        new RefAdd("p", "r"),
        new RefMul("Add1"),
    });

    /// <summary>The first layer is an activation with nothing to fold into; a Mul of equal shapes; ReLU6 on its own after a Concat.</summary>
    public static ReferenceNetwork LeadingRelu => new(new RefShape(5, 3, 2), new RefLayer[]
    {
        new RefRelu6(), new RefMul("Input"), new RefConv(2, 2, 3), new RefConcat("Conv1"), new RefRelu6(),
    });

    /// <summary>ReLU6 on its own (an element-wise pass over 12 values) and folded into a 1×1 convolution.</summary>
    public static ReferenceNetwork Clip => new(new RefShape(12, 1, 1), new RefLayer[]
    {
        new RefRelu6 { Name = "clipped" }, new RefConv(1, 1, 1) { From = "Input" }, new RefRelu6(), new RefConcat("clipped"),
    });

    /// <summary>
    /// A 1-D network declared along the height (every volume one column wide): the emitter runs it turned on its side
    /// (ColumnNetwork). Padded, pooled, depthwise, residual, strided and dilated layers, a 3×3 conv and max pool padded by
    /// 1 (the conv's outer columns read only padding), a global pool and a softmax; odd lengths and channel counts.
    /// </summary>
    public static ReferenceNetwork Column => new(new RefShape(1, 37, 12), new RefLayer[]
    {
        new RefConv(1, 7, 16) { PadTop = 3, PadBottom = 3 }, new RefBatchNorm(), new RefRelu(),
        new RefPool(true, 1, 2, 1, 2),
        new RefConv(3, 3, 16) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, // cut to its middle column (DeadTaps), then turned
        new RefPool(true, 3, 3, 1, 1) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 },
        new RefConv(1, 5, 16) { PadTop = 2, PadBottom = 2, Groups = 16 }, new RefRelu { Name = "d" },
        new RefConv(1, 1, 16), new RefAdd("d"),
        new RefConv(1, 3, 24) { StrideY = 2, DilationY = 2 }, new RefTanh(),
        new RefGlobalPool(false), new RefFullyConnected(6), new RefSoftmax(),
    });

    /// <summary>The other one-column layers: a transposed conv, an upsample, a padded average pool, a concat and a fully connected tail.</summary>
    public static ReferenceNetwork ColumnUp => new(new RefShape(1, 23, 9), new RefLayer[]
    {
        new RefConvTranspose(1, 4, 8) { Stride = 2 }, new RefRelu(),
        new RefUpsample(1, 2),
        new RefPool(false, 1, 3, 1, 1) { PadTop = 1, PadBottom = 1 },
        new RefConv(1, 3, 5) { PadTop = 1, PadBottom = 1, Name = "a" },
        new RefConv(1, 1, 3) { From = "Upsample1" },
        new RefConcat("a"), new RefFlatten(), new RefFullyConnected(3),
    });

    public static readonly (string Name, Func<ReferenceNetwork> Create)[] Fixed =
    {
        ("Block", () => Block), ("ResidualDownsample", () => ResidualDownsample), ("SqueezeExcite", () => SqueezeExcite),
        ("Inception", () => Inception), ("SharedInputs", () => SharedInputs), ("LeadingRelu", () => LeadingRelu), ("Clip", () => Clip),
        ("Fire", () => Fire), ("Column", () => Column), ("ColumnUp", () => ColumnUp),
    };

    /// <summary>How many random graphs the suite compiles and checks.</summary>
    public const int RandomCount = 100;

    public const int RandomSeedBase = 5000;

    public static string TypeName(string name) => Namespace + "." + name;

    public static string RandomTypeName(int seed) => TypeName("G" + seed);

    private static readonly Lazy<(CompiledNetworks Compiled, Dictionary<string, ReferenceNetwork> References)> Lazy = new(() =>
    {
        var references = new Dictionary<string, ReferenceNetwork>();
        foreach (var (name, create) in Fixed.Concat(ConvFamilyNetworks.Hand).Concat(ConvFamilyNetworks.Checked).Concat(DepthwiseNetworks.Checked))
        {
            references[TypeName(name)] = create();
        }
        for (int seed = RandomSeedBase; seed < RandomSeedBase + RandomCount; seed++)
        {
            references[RandomTypeName(seed)] = RandomNetworks.Graph(seed);
        }
        IEnumerable<string> sources = references.Select(r => r.Value.ToSource(Namespace, r.Key.Substring(Namespace.Length + 1)));
        return (GeneratorHarness.Compile(sources, references.Keys, implicitUsings: true), references);
    });

    /// <summary>Every graph network by type name, compiled in one compilation, with its reference.</summary>
    public static (CompiledNetworks Compiled, Dictionary<string, ReferenceNetwork> References) All => Lazy.Value;
}
