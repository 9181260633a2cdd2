using System.Globalization;
using CnnGen.Generator.Model;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary>
/// Element-wise activations and the no-ops (<c>[Dropout]</c>, <c>[Flatten]</c>): the output has the input's shape.
/// Resolves each kind's arguments to <see cref="LayerPlan.Alpha"/>, <see cref="LayerPlan.Beta"/> and
/// <see cref="LayerPlan.Approximate"/> with PyTorch's defaults, checks them, and gives <c>[PRelu]</c> its
/// one slope per channel as parameters.
/// </summary>
internal static class ActivationRule
{
    public static LayerPlan? Infer(LayerContext c)
    {
        LayerSpec spec = c.Spec;
        LayerPlan plan = PassThroughRule.Infer(c);
        bool valid = true;
        switch (spec.Kind)
        {
            case LayerKind.LeakyRelu:
                valid = Finite(c, "Slope", spec.Float("Slope") ?? 0.01f);
                plan = plan with { Alpha = spec.Float("Slope") ?? 0.01f };
                break;
            case LayerKind.Clip:
            {
                float min = spec.Float("min") ?? 0f, max = spec.Float("max") ?? 0f;
                valid = NotNaN(c, "min", min) & NotNaN(c, "max", max);
                if (valid && min > max)
                {
                    c.Add(ProblemKind.ClipBoundsReversed, "min", c.Name, Text(min), Text(max));
                    valid = false;
                }
                plan = plan with { Alpha = min, Beta = max };
                break;
            }
            case LayerKind.HardSigmoid:
            {
                float alpha = spec.Float("Alpha") ?? 1f / 6f, beta = spec.Float("Beta") ?? 0.5f;
                valid = Finite(c, "Alpha", alpha) & Finite(c, "Beta", beta);
                plan = plan with { Alpha = alpha, Beta = beta };
                break;
            }
            case LayerKind.Elu:
                valid = Finite(c, "Alpha", spec.Float("Alpha") ?? 1f);
                plan = plan with { Alpha = spec.Float("Alpha") ?? 1f };
                break;
            case LayerKind.Gelu:
            {
                // An enum argument arrives as its underlying value: 0 = None, 1 = Tanh.
                int approximate = spec.Int("Approximate") ?? 0;
                if (approximate is not (0 or 1))
                {
                    c.Add(ProblemKind.UnknownGeluApproximation, "Approximate", c.Name, approximate);
                    valid = false;
                }
                plan = plan with { Approximate = approximate == 1 };
                break;
            }
            case LayerKind.PRelu:
                plan = plan with { Parameters = c.Input.Depth }; // weight [depth], PyTorch nn.PReLU(num_parameters=depth)
                break;
            case LayerKind.Dropout:
                float probability = spec.Float("Probability") ?? 0.5f;
                if (!(probability >= 0f && probability < 1f))
                {
                    c.Add(ProblemKind.DropoutProbability, "Probability", c.Name, Text(probability)); // a warning: the layer still works
                }
                break;
        }
        return valid ? plan : null;
    }

    private static bool Finite(LayerContext c, string argument, float value)
    {
        if (!float.IsNaN(value) && !float.IsInfinity(value))
        {
            return true;
        }
        c.Add(ProblemKind.NotFiniteArgument, argument, c.Name, argument, Text(value), "a finite number");
        return false;
    }

    /// <summary>Clip's bounds may be infinite (one-sided clipping) but not NaN.</summary>
    private static bool NotNaN(LayerContext c, string argument, float value)
    {
        if (!float.IsNaN(value))
        {
            return true;
        }
        c.Add(ProblemKind.NotFiniteArgument, argument, c.Name, argument, Text(value), "a number (±∞ clips on one side only)");
        return false;
    }

    /// <summary>A float as the user reads it: <c>0.5</c>, <c>∞</c>, <c>NaN</c>.</summary>
    private static string Text(float value) => float.IsPositiveInfinity(value) ? "∞"
        : float.IsNegativeInfinity(value) ? "−∞"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
