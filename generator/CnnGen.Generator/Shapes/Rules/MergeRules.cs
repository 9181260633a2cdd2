using System;
using CnnGen.Generator.Model;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary>
/// <c>[Add]</c> and <c>[Mul]</c> (element-wise; <c>Mul</c> broadcasts a 1×1×C operand over W×H×C) and
/// <c>[Concat]</c> (channels one after another; widths and heights equal).
/// </summary>
internal static class MergeRules
{
    public static LayerPlan? ElementWise(LayerContext c)
    {
        bool mul = c.Spec.Kind == LayerKind.Mul;
        // The output is the largest operand; with Mul, the others must equal it or be 1×1×C with its C.
        Volume output = c.Input;
        foreach (Volume v in c.Inputs)
        {
            if (v.Length > output.Length)
            {
                output = v;
            }
        }
        bool ok = true;
        int widest = c.Inputs.IndexOf(output);
        for (int i = 0; i < c.Inputs.Length; i++)
        {
            Volume v = c.Inputs[i];
            bool broadcasts = mul && v.Width == 1 && v.Height == 1 && v.Depth == output.Depth;
            if (v != output && !broadcasts)
            {
                // Reported on whichever of the two was written later: a named operand, where the user can change it.
                c.Add(ProblemKind.OperandShapeMismatch, OperandArgument(Math.Max(i, widest)), c.Name, mul ? "multiply" : "add",
                    c.InputNames[widest], output, c.InputNames[i], v,
                    mul ? "equal shapes, or 1×1×" + output.Depth + " to scale each channel" : "equal shapes");
                ok = false;
            }
        }
        return ok ? Plan(c, output) : null;
    }

    public static LayerPlan? Concat(LayerContext c)
    {
        Volume first = c.Input;
        int depth = 0;
        bool ok = true;
        for (int i = 0; i < c.Inputs.Length; i++)
        {
            Volume v = c.Inputs[i];
            if (v.Width != first.Width || v.Height != first.Height)
            {
                c.Add(ProblemKind.ConcatShapeMismatch, OperandArgument(i), c.Name, c.InputNames[0], first, c.InputNames[i], v);
                ok = false;
            }
            depth += v.Depth;
        }
        return ok ? Plan(c, new Volume(first.Width, first.Height, depth)) : null;
    }

    /// <summary>Where an operand is written: <c>From</c> (or the attribute, for the previous layer) for the input, else the named argument.</summary>
    public static string? OperandArgument(int operand) => operand == 0 ? "From" : "others[" + (operand - 1) + "]";

    private static LayerPlan Plan(LayerContext c, Volume output)
    {
        var multiplyAdds = (long)(c.Inputs.Length - 1) * output.Length;
        return new LayerPlan(c.Spec.Kind, c.Name, c.Input, output) { MultiplyAdds = c.Spec.Kind == LayerKind.Concat ? 0 : multiplyAdds };
    }
}
