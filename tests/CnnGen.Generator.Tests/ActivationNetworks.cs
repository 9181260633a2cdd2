using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Networks built around the activation kinds, written as the reference's layers (so the attributes and the oracle
/// come from one description): each kind folded into a conv, pool, fully connected layer or another activation's
/// pass, each on its own where it cannot fold, as an Add/Concat/Mul operand, after a From, and the no-ops.
/// </summary>
internal static class ActivationNetworks
{
    public const string Namespace = "Activations";

    private static RefConv Same3x3(int filters) => new(3, 3, filters) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 };

    /// <summary>A chain with every kind folded into the kernel before it (the generated-code snapshot).</summary>
    public static ReferenceNetwork Fused => new(new RefShape(10, 6, 2), new RefLayer[]
    {
        Same3x3(4), new RefPRelu(),
        new RefConv(1, 1, 4), new RefGelu(), new RefDropout(),
        new RefPool(true, 2, 2, 2, 2), new RefHardSwish(), new RefFlatten(),
        new RefFullyConnected(6), new RefLeakyRelu(0.2f) { Attribute = "[LeakyRelu(Slope = 0.2f)]" },
        new RefFullyConnected(5), new RefClip(-1.5f, 2f) { Attribute = "[Clip(-1.5f, 2)]" },
        new RefLogSoftmax(),
    });

    /// <summary>Every element-wise kind in one pass over the input (the first has no kernel to fold into; the rest fold into it), on 16×3×3 (vector rows and a tail).</summary>
    public static ReferenceNetwork OnTheInput => new(new RefShape(19, 3, 3), new RefLayer[]
    {
        new RefTanh(), new RefSigmoid(), new RefSilu(), new RefElu(0.5f), new RefHardSigmoid(0.2f, 0.5f), new RefGelu(Tanh: true),
        new RefLeakyRelu(), new RefHardSwish(), new RefClip(float.NegativeInfinity, 0.5f), new RefGelu(),
    });

    /// <summary>PRelu with nothing to fold into (the input), then activations folded into its per-channel pass, then another PRelu.</summary>
    public static ReferenceNetwork PReluAlone => new(new RefShape(7, 3, 4), new RefLayer[]
    {
        new RefPRelu(), new RefSigmoid(), new RefPRelu(),
        new RefFullyConnected(8), new RefPRelu(), new RefElu(),
    });

    /// <summary>
    /// Activations in a graph: one read twice (so it cannot fold), activations as Add and Concat operands, a PRelu
    /// after an Add (its own pass), a Tanh after a From, a MobileNetV3 gate (HardSwish, squeeze, HardSigmoid, Mul).
    /// </summary>
    public static ReferenceNetwork Graph => new(new RefShape(6, 6, 3), new RefLayer[]
    {
        Same3x3(4) with { Name = "c" }, new RefSilu() { Name = "s" },
        Same3x3(4), new RefGelu(Tanh: true), new RefAdd("s"), new RefPRelu() { Name = "p" },
        new RefTanh() { From = "c" }, new RefConcat("p"), new RefHardSwish() { Name = "features" },
        new RefPool(false, 6, 6, 6, 6), new RefFullyConnected(2), new RefRelu(), new RefFullyConnected(8), new RefHardSigmoid(),
        new RefMul("features"), new RefDropout(), new RefElu(2f) { Name = "e" },
        new RefFlatten() { From = "e" }, new RefFullyConnected(5), new RefLogSoftmax(),
    });

    /// <summary>Dropout and Flatten only: the output is the input (the one case where a no-op is a copy).</summary>
    public static ReferenceNetwork OnlyNoOps => new(new RefShape(4, 2, 1), new RefLayer[] { new RefDropout(), new RefFlatten() });

    /// <summary>Sigmoid over 20 values (two vectors of 8 and a scalar tail), for the edge values.</summary>
    public static ReferenceNetwork Edges => new(new RefShape(20, 1, 1), new RefLayer[] { new RefSigmoid() });

    /// <summary>Two channels of two values, PRelu on its own.</summary>
    public static ReferenceNetwork PReluByHand => new(new RefShape(2, 1, 2), new RefLayer[] { new RefPRelu() });

    /// <summary>A 1×1 conv to two channels with PRelu folded into its store.</summary>
    public static ReferenceNetwork PReluFolded => new(new RefShape(2, 1, 1), new RefLayer[] { new RefConv(1, 1, 2), new RefPRelu() });

    /// <summary>
    /// Every activation that runs as an in-place pass after a conv or fully connected kernel (ActivationEpilogue.Split):
    /// into bordered buffers with rows of 19 (stride 21: whole vectors across rows, then a masked tail) and of 5
    /// (stride 7, under one 256-bit vector), two passes in a row, a dense map whose length is not a multiple of 8, a
    /// fully connected layer with sigmoid, and a ReLU after SiLU (which keeps SiLU in the store).
    /// </summary>
    public static ReferenceNetwork Passes => new(new RefShape(19, 3, 5), new RefLayer[]
    {
        Same3x3(3), new RefSilu(),
        Same3x3(5), new RefGelu(), new RefTanh(),
        new RefConv(3, 3, 6) { StrideX = 2, StrideY = 2, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 }, new RefElu(0.7f),
        new RefConv(1, 1, 7), new RefGelu(Tanh: true),
        new RefFullyConnected(9), new RefSigmoid(),
        new RefFullyConnected(4), new RefSilu(), new RefRelu(),
    });

    /// <summary>
    /// Passes over narrow maps of 17 channels: 5×4 into bordered buffers (rows of 5, stride 7), 3×2 dense and bordered
    /// (stride 7), 1×1 bordered (stride 3), after 1×1 and depthwise 3×3, 3×3/2, 5×5 and 2×2/2 convs.
    /// </summary>
    public static ReferenceNetwork NarrowPasses => new(new RefShape(5, 4, 17), new RefLayer[]
    {
        new RefConv(1, 1, 17), new RefSigmoid(),
        Depthwise(3, 17, 1), new RefSilu(),
        Depthwise(3, 17, 2), new RefSilu(),
        new RefConv(1, 1, 17), new RefTanh(),
        Depthwise(5, 17, 1), new RefGelu(),
        new RefConv(2, 2, 17) { Groups = 17, StrideX = 2, StrideY = 2 }, new RefSilu(),
        Depthwise(3, 17, 1), new RefElu(),
    });

    /// <summary>
    /// The in-place passes of element-wise steps (ElementWiseEmitter): SiLU on the input into the next conv's bordered
    /// buffer, sigmoid on a conv's output read twice (its own step), an Add with tanh into a bordered buffer, ELU on its
    /// own and a Mul with GELU into the network's output; 11×3 maps (a vector and a masked tail per row).
    /// </summary>
    public static ReferenceNetwork ElementWisePasses => new(new RefShape(11, 3, 6), new RefLayer[]
    {
        new RefSilu(), Same3x3(6) with { Name = "c" },
        new RefSigmoid(), new RefAdd("c"), new RefTanh(),
        Same3x3(5), new RefRelu() { Name = "r" },
        new RefElu(0.3f), new RefMul("r"), new RefGelu(),
    });

    /// <summary>
    /// Passes into zero-bordered buffers, which run over each plane as one dense run, border columns included
    /// (ActivationEpilogue.Pass): 1×1 convs of 20 and 18 filters (not multiples of a vector) onto 13×6 maps, with SiLU
    /// into a depthwise 3×3's buffer (1-wide border), with GELU into a depthwise 5×5's (2-wide border), a residual Add
    /// between them; and SiLU into a padded max pool's buffer, whose border is −∞ and must stay so (the masked pass).
    /// </summary>
    public static ReferenceNetwork ZeroBorderPasses => new(new RefShape(13, 6, 10), new RefLayer[]
    {
        new RefConv(1, 1, 10) { Name = "a" },
        new RefConv(1, 1, 20), new RefSilu(),
        Depthwise(3, 20, 1), new RefSilu(),
        new RefConv(1, 1, 10), new RefAdd("a"),
        new RefConv(1, 1, 18), new RefGelu(),
        Depthwise(5, 18, 1), new RefTanh(),
        new RefConv(1, 1, 18), new RefSilu(),
        new RefPool(true, 3, 3, 1, 1) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 },
    });

    /// <summary>
    /// GELU into a padded 3×3/2 max pool's −∞-bordered buffer on rows of 40: the pass must skip the border columns (its
    /// gapped loop, 32 values at a time on AVX-512).
    /// </summary>
    public static ReferenceNetwork GappedGelu => new(new RefShape(40, 5, 4), new RefLayer[]
    {
        Same3x3(6), new RefGelu(),
        new RefPool(true, 3, 3, 2, 2) { PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1 },
    });

    private static RefConv Depthwise(int k, int channels, int stride)
    {
        int p = (k - 1) / 2;
        return new RefConv(k, k, channels) { Groups = channels, StrideX = stride, StrideY = stride, PadLeft = p, PadTop = p, PadRight = p, PadBottom = p };
    }

    public static readonly (string Name, Func<ReferenceNetwork> Create)[] All =
    {
        ("Passes", () => Passes), ("NarrowPasses", () => NarrowPasses), ("ElementWisePasses", () => ElementWisePasses), ("GappedGelu", () => GappedGelu),
        ("ZeroBorderPasses", () => ZeroBorderPasses),
        ("Fused", () => Fused), ("OnTheInput", () => OnTheInput), ("PReluAlone", () => PReluAlone), ("Graph", () => Graph),
        ("OnlyNoOps", () => OnlyNoOps), ("Edges", () => Edges), ("PReluByHand", () => PReluByHand), ("PReluFolded", () => PReluFolded),
    };

    public static string TypeName(string name) => Namespace + "." + name;

    private static readonly Lazy<CompiledNetworks> Lazy = new(() => GeneratorHarness.Compile(
        All.Select(n => n.Create().ToSource(Namespace, n.Name)), All.Select(n => TypeName(n.Name)), implicitUsings: true));

    /// <summary>Every network above, compiled in one compilation.</summary>
    public static CompiledNetworks Compiled => Lazy.Value;
}
