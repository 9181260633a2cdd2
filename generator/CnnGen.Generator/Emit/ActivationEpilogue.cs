using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// The activations whose math lives in the runtime library's <c>CnnGen.Kernels</c> (sigmoid, tanh, GELU, …): one
/// call, the same text for a scalar and for every vector width (the overload follows the value's type), so the
/// scalar and vector kernels compute the same numbers. Also the rule for which kernels such an op may fold into.
/// </summary>
internal static class ActivationEpilogue
{
    private const string Kernels = Aliases.Kernels;

    /// <summary><paramref name="value"/> through <paramref name="op"/>; <paramref name="site"/> gives PRelu its channel's slope.</summary>
    public static string Expression(EpilogueOp op, string value, EpilogueSite? site) => op.Kind switch
    {
        LayerKind.LeakyRelu => $"{Kernels}LeakyRelu({value}, {Float(op.Alpha)})",
        LayerKind.Clip => $"{Kernels}Clip({value}, {Float(op.Alpha)}, {Float(op.Beta)})",
        LayerKind.Sigmoid => $"{Kernels}Sigmoid({value})",
        LayerKind.Tanh => $"{Kernels}Tanh({value})",
        LayerKind.HardSigmoid => $"{Kernels}HardSigmoid({value}, {Float(op.Alpha)}, {Float(op.Beta)})",
        LayerKind.HardSwish => $"{Kernels}HardSwish({value})",
        LayerKind.Silu => $"{Kernels}Silu({value})",
        LayerKind.Gelu => op.Approximate ? $"{Kernels}GeluTanh({value})" : $"{Kernels}Gelu({value})",
        LayerKind.Elu => $"{Kernels}Elu({value}, {Float(op.Alpha)})",
        LayerKind.PRelu => $"{Kernels}LeakyRelu({value}, {Slope(op, site)})",
        _ => throw new UnhandledKindException(op.Kind, nameof(Epilogue)),
    };

    /// <summary>PRelu's slope for the stored value's channel, read from the kernel's parameters.</summary>
    private static string Slope(EpilogueOp op, EpilogueSite? site)
    {
        if (site is null || op.ParameterOffset < 0)
        {
            // BufferPlan folds a per-channel op only into kernels that pass a site (see CanFold): a bug otherwise.
            throw new UnhandledKindException(op.Kind, nameof(ActivationEpilogue) + " without a channel");
        }
        string offset = op.ParameterOffset == 0 ? site.Channel : $"{Int(op.ParameterOffset)} + {site.Channel}";
        return $"{Aliases.Unsafe}.Add(ref {site.Parameters}, {offset})";
    }

    /// <summary>
    /// Whether <paramref name="activation"/> may fold into <paramref name="owner"/>'s store. An activation with
    /// parameters (PRelu's slopes) needs a kernel that receives parameters and knows each value's channel: a
    /// convolution, a fully connected layer, or a PRelu pass.
    /// </summary>
    public static bool CanFold(LayerPlan owner, LayerPlan activation) =>
        activation.ParameterCount == 0
        || (owner.ParameterCount > 0 && owner.Kind is LayerKind.Conv or LayerKind.FullyConnected or LayerKind.PRelu);

    /// <summary>Whether any op reads per-channel parameters (the kernel must then know each value's channel).</summary>
    public static bool AnyPerChannel(IEnumerable<EpilogueOp> ops)
    {
        foreach (EpilogueOp op in ops)
        {
            if (op.ParameterOffset >= 0)
            {
                return true;
            }
        }
        return false;
    }
}
