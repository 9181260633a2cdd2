using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// How the generated class describes a layer's parameters (in its docs and constants).
/// </summary>
internal static class ParameterLayout
{
    /// <summary>The weight tensor's shape in PyTorch order, e.g. <c>[8][3][3][3]</c>.</summary>
    public static string WeightShape(LayerPlan l) => l.Kind switch
    {
        LayerKind.Conv => $"[{l.Out.Depth}][{l.In.Depth / l.Groups}][{l.KernelHeight}][{l.KernelWidth}]",
        LayerKind.ConvTranspose => $"[{l.In.Depth}][{l.Out.Depth}][{l.KernelHeight}][{l.KernelWidth}]",
        _ => $"[{l.Out.Depth}][{l.In.Length}]",
    };

    /// <summary>What the <c>…Parameters</c> offset constant points at, as its doc comment says it.</summary>
    public static string Constant(LayerPlan l) => l.Kind switch
    {
        LayerKind.BatchNorm => $"γ, β, running mean and running variance ([{l.Out.Depth}] each, in that order) start in the parameters",
        LayerKind.PRelu => $"{l.Out.Depth} slopes (one per channel) start in the parameters",
        _ => $"weights {WeightShape(l)} start in the parameters; its {l.Out.Depth} biases follow them",
    };

    /// <summary>The class remarks' line for a BatchNorm or ConvTranspose layer.</summary>
    public static string Summary(LayerPlan l) => l.Kind == LayerKind.BatchNorm
        ? $"weight γ [{l.Out.Depth}], bias β [{l.Out.Depth}], running_mean [{l.Out.Depth}], running_var [{l.Out.Depth}] at {Count(l.ParameterOffset)} (num_batches_tracked is not a parameter)"
        : $"weight {WeightShape(l)} (input channels first) at {Count(l.ParameterOffset)}, then bias [{l.Out.Depth}]";
}
