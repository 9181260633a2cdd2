using System.Globalization;
using CnnGen.Generator.Model;
using CnnGen.Geometry;
using static CnnGen.Generator.Shapes.Checks;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary><c>[FullyConnected]</c>: flattens its input (C,H,W) into <c>outputs</c> values, a 1×1×outputs volume.</summary>
internal static class FullyConnectedRule
{
    public static LayerPlan? Infer(LayerContext c)
    {
        Volume input = c.Input;
        if (c.Spec.ExpectedInputs is int inputs && inputs != input.Length)
        {
            c.Problems.Add(ShapeProblem.Create(ProblemKind.InputsMismatch, c.Index, "Inputs", c.Name, inputs, input, input.Length) with
            {
                FixArgument = "Inputs",
                FixValue = input.Length.ToString(CultureInfo.InvariantCulture),
            });
        }
        int outputs = c.Spec.Count;
        if (!Positive(c, "outputs", outputs, "the number of outputs"))
        {
            return null;
        }
        long parameters = LayerMath.FullyConnectedParameters(input.Length, outputs);
        return new LayerPlan(LayerKind.FullyConnected, c.Name, input, Volume.Vector(outputs))
        {
            Parameters = parameters,
            MultiplyAdds = parameters - outputs,
        };
    }
}
