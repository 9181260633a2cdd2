using System;
using System.Collections.Generic;

namespace CnnGen.Generator.Model;

/// <summary>How a layer kind treats its input, which decides what the graph stages may do with it.</summary>
internal enum LayerRole
{
    /// <summary>The network input.</summary>
    Input,

    /// <summary>A kernel with its own loops (convolution, pooling, fully connected): takes a fused epilogue.</summary>
    Kernel,

    /// <summary>An element-wise function of one value: folded into the producing kernel's store when it can be.</summary>
    Activation,

    /// <summary>Combines its input with the named layers' outputs (<c>Others</c>).</summary>
    Merge,

    /// <summary>A whole-vector operation (softmax): runs on its own.</summary>
    Vector,

    /// <summary>The identity at inference (<c>[Dropout]</c>, <c>[Flatten]</c>): no code; its readers read its input.</summary>
    NoOp,
}

/// <summary>One row of the layer-kind table: everything about a kind that is not a shape rule or a kernel.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Attribute">The attribute's class name in the <c>CnnGen</c> namespace.</param>
/// <param name="Role">How the kind reads and whether epilogues fuse into it.</param>
/// <param name="TakesEpilogue">Its kernel applies a fused epilogue (activations after it) before storing.</param>
/// <param name="NeedsMap">It reads a width × height map, so it may not read a fully connected layer's flat vector.</param>
internal sealed record LayerKindInfo(LayerKind Kind, string Attribute, LayerRole Role, bool TakesEpilogue, bool NeedsMap)
{
    /// <summary>The attribute as users write it, e.g. <c>MaxPool</c>.</summary>
    public string AttributeName => Attribute.Substring(0, Attribute.Length - "Attribute".Length);

    /// <summary>Default names are this prefix and the layer's number among layers of its kind (<c>Fc2</c>).</summary>
    public string NamePrefix => CnnGen.Geometry.LayerMath.NamePrefix(AttributeName);
}

/// <summary>
/// The layer-kind table: the one place that lists every kind. Adding a kind is a row here, an
/// attribute in the runtime library, a shape rule and an emitter (see docs/ARCHITECTURE.md).
/// </summary>
internal static class LayerKinds
{
    public static readonly IReadOnlyList<LayerKindInfo> All = new LayerKindInfo[]
    {
        new(LayerKind.Input, "InputAttribute", LayerRole.Input, TakesEpilogue: false, NeedsMap: false),
        new(LayerKind.Conv, "ConvAttribute", LayerRole.Kernel, TakesEpilogue: true, NeedsMap: true),
        new(LayerKind.Relu, "ReluAttribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.MaxPool, "MaxPoolAttribute", LayerRole.Kernel, TakesEpilogue: true, NeedsMap: true),
        new(LayerKind.AvgPool, "AvgPoolAttribute", LayerRole.Kernel, TakesEpilogue: true, NeedsMap: true),
        new(LayerKind.FullyConnected, "FullyConnectedAttribute", LayerRole.Kernel, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.Softmax, "SoftmaxAttribute", LayerRole.Vector, TakesEpilogue: false, NeedsMap: false),
        new(LayerKind.Add, "AddAttribute", LayerRole.Merge, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.Mul, "MulAttribute", LayerRole.Merge, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.Concat, "ConcatAttribute", LayerRole.Merge, TakesEpilogue: false, NeedsMap: false),
        new(LayerKind.Relu6, "Relu6Attribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.GlobalAvgPool, "GlobalAvgPoolAttribute", LayerRole.Kernel, TakesEpilogue: true, NeedsMap: true),
        new(LayerKind.GlobalMaxPool, "GlobalMaxPoolAttribute", LayerRole.Kernel, TakesEpilogue: true, NeedsMap: true),
        new(LayerKind.Slice, "SliceAttribute", LayerRole.Kernel, TakesEpilogue: false, NeedsMap: false),
        new(LayerKind.ChannelShuffle, "ChannelShuffleAttribute", LayerRole.Kernel, TakesEpilogue: false, NeedsMap: false),
        new(LayerKind.Pad, "PadAttribute", LayerRole.Kernel, TakesEpilogue: false, NeedsMap: true),
        new(LayerKind.Upsample, "UpsampleAttribute", LayerRole.Kernel, TakesEpilogue: true, NeedsMap: true),
        new(LayerKind.LeakyRelu, "LeakyReluAttribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.Clip, "ClipAttribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.Sigmoid, "SigmoidAttribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.Tanh, "TanhAttribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.HardSigmoid, "HardSigmoidAttribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.HardSwish, "HardSwishAttribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.Silu, "SiluAttribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.Gelu, "GeluAttribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.Elu, "EluAttribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.PRelu, "PReluAttribute", LayerRole.Activation, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.LogSoftmax, "LogSoftmaxAttribute", LayerRole.Vector, TakesEpilogue: false, NeedsMap: false),
        new(LayerKind.Dropout, "DropoutAttribute", LayerRole.NoOp, TakesEpilogue: false, NeedsMap: false),
        new(LayerKind.Flatten, "FlattenAttribute", LayerRole.NoOp, TakesEpilogue: false, NeedsMap: false),
        new(LayerKind.BatchNorm, "BatchNormAttribute", LayerRole.Kernel, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.Normalize, "NormalizeAttribute", LayerRole.Kernel, TakesEpilogue: true, NeedsMap: false),
        new(LayerKind.ConvTranspose, "ConvTransposeAttribute", LayerRole.Kernel, TakesEpilogue: true, NeedsMap: true),
    };

    private static readonly Dictionary<LayerKind, LayerKindInfo> ByKind = Index(info => info.Kind);

    /// <summary>Kinds by attribute class name, for the parser.</summary>
    public static readonly IReadOnlyDictionary<string, LayerKindInfo> ByAttribute = Index(info => info.Attribute);

    /// <summary>The table row of <paramref name="kind"/>; throws for a kind missing from the table (caught by tests).</summary>
    public static LayerKindInfo Of(LayerKind kind) =>
        ByKind.TryGetValue(kind, out LayerKindInfo? info) ? info : throw new UnhandledKindException(kind, nameof(LayerKinds));

    private static Dictionary<TKey, LayerKindInfo> Index<TKey>(Func<LayerKindInfo, TKey> key)
    {
        var index = new Dictionary<TKey, LayerKindInfo>();
        foreach (LayerKindInfo info in All)
        {
            index.Add(key(info), info);
        }
        return index;
    }
}

/// <summary>A stage met a layer kind it has no case for: a bug in CnnGen, reported as CNN0099 and caught by the tests that run every kind through every stage.</summary>
internal sealed class UnhandledKindException(LayerKind kind, string stage)
    : InvalidOperationException($"{stage} does not handle layer kind {kind}");
