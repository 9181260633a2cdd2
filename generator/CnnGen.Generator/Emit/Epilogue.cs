using System.Collections.Generic;
using CnnGen.Generator.Model;

namespace CnnGen.Generator.Emit;

/// <summary>An element-wise layer folded into the kernel before it: applied to each value just before the store.</summary>
/// <param name="Kind">The activation.</param>
/// <param name="Name">The folded layer's name (for comments).</param>
internal sealed record EpilogueOp(LayerKind Kind, string Name)
{
    /// <summary>The activation's first float argument (<see cref="Shapes.LayerPlan.Alpha"/>).</summary>
    public float Alpha { get; init; }

    /// <summary>The activation's second float argument (<see cref="Shapes.LayerPlan.Beta"/>).</summary>
    public float Beta { get; init; }

    /// <summary>Gelu's tanh form.</summary>
    public bool Approximate { get; init; }

    /// <summary>
    /// Where the op's per-channel parameters (PRelu's slopes) start, counted from the kernel's own parameters (the
    /// <c>weights</c> its method receives), or -1 when it has none.
    /// </summary>
    public int ParameterOffset { get; init; } = -1;

    /// <summary>The op for <paramref name="layer"/> folded into the step of <paramref name="owner"/> (which may be the layer itself).</summary>
    public static EpilogueOp Of(Shapes.LayerPlan layer, Shapes.LayerPlan owner) => new(layer.Kind, layer.Name)
    {
        Alpha = layer.Alpha,
        Beta = layer.Beta,
        Approximate = layer.Approximate,
        ParameterOffset = layer.ParameterCount > 0 ? layer.ParameterOffset - owner.ParameterOffset : -1,
    };
}

/// <summary>Where a kernel stores a value, for ops that depend on it: the output channel and the kernel's parameters.</summary>
/// <param name="Channel">C# expression for the output channel of the stored value, e.g. <c>f + 2</c>.</param>
/// <param name="Parameters">The <c>ref float</c> the kernel's parameters start at (its <c>weights</c>).</param>
internal sealed record EpilogueSite(string Channel, string Parameters = "weights");

/// <summary>How a kernel spells the vector operations an epilogue needs.</summary>
/// <param name="Type">The vector type, e.g. <c>CnnFloat8</c>.</param>
/// <param name="Static">The class with <c>Create</c>, e.g. <c>CnnVector256</c>.</param>
/// <param name="Max">The element-wise maximum, e.g. <c>CnnVector256.Max</c>.</param>
/// <param name="Min">The element-wise minimum.</param>
internal sealed record VectorApi(string Type, string Static, string Max, string Min)
{
    /// <summary>The usual spelling: <c>Max</c> and <c>Min</c> of <paramref name="static"/> itself.</summary>
    public VectorApi(string type, string @static)
        : this(type, @static, @static + ".Max", @static + ".Min")
    {
    }
}

/// <summary>
/// Fused epilogues: the element-wise layers after a kernel, applied in registers before its store, so
/// they cost no pass over memory. Every kernel emitter calls <see cref="Scalar"/> or <see cref="Vector"/>
/// on the value it stores; a new activation is a case in each.
/// </summary>
internal static class Epilogue
{
    /// <summary>The scalar expression for <paramref name="value"/> after every op, innermost first; <paramref name="site"/> for per-channel ops.</summary>
    public static string Scalar(IEnumerable<EpilogueOp> ops, string value, EpilogueSite? site = null)
    {
        foreach (EpilogueOp op in ops)
        {
            value = op.Kind switch
            {
                LayerKind.Relu => $"global::System.MathF.Max({value}, 0f)",
                LayerKind.Relu6 => $"global::System.MathF.Min(global::System.MathF.Max({value}, 0f), 6f)",
                _ => ActivationEpilogue.Expression(op, value, site),
            };
        }
        return value;
    }

    /// <summary>The vector expression for <paramref name="value"/> after every op, innermost first; <paramref name="site"/> for per-channel ops.</summary>
    public static string Vector(IEnumerable<EpilogueOp> ops, string value, VectorApi api, EpilogueSite? site = null)
    {
        foreach (EpilogueOp op in ops)
        {
            value = op.Kind switch
            {
                LayerKind.Relu => $"{api.Max}({value}, {api.Type}.Zero)",
                LayerKind.Relu6 => $"{api.Min}({api.Max}({value}, {api.Type}.Zero), {api.Static}.Create(6f))",
                _ => ActivationEpilogue.Expression(op, value, site), // CnnGen.Kernels has an overload per vector width
            };
        }
        return value;
    }

    /// <summary><c> + ReLU</c> for comments: the folded layers' kinds.</summary>
    public static string Describe(IEnumerable<EpilogueOp> ops)
    {
        string text = "";
        foreach (EpilogueOp op in ops)
        {
            text += " + " + (op.Kind switch { LayerKind.Relu => "ReLU", LayerKind.Relu6 => "ReLU6", _ => op.Kind.ToString() });
        }
        return text;
    }
}
