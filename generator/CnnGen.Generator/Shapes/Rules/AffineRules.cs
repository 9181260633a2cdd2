using System.Globalization;
using CnnGen.Generator.Model;
using CnnGen.Geometry;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary>Per-channel affine layers that keep their input's shape: <c>[BatchNorm]</c> and <c>[Normalize]</c>.</summary>
internal static class AffineRules
{
    /// <summary><c>[BatchNorm(Epsilon)]</c>: four vectors of the input depth (γ, β, running mean, running variance).</summary>
    public static LayerPlan? BatchNorm(LayerContext c)
    {
        float epsilon = c.Spec.Float("Epsilon") ?? 1e-5f;
        if (float.IsNaN(epsilon) || float.IsInfinity(epsilon) || epsilon < 0)
        {
            c.Add(ProblemKind.InvalidEpsilon, "Epsilon", c.Name, Text(epsilon));
            return null;
        }
        return new LayerPlan(LayerKind.BatchNorm, c.Name, c.Input, c.Input)
        {
            Epsilon = epsilon,
            Parameters = LayerMath.BatchNormParameters(c.Input.Depth),
            MultiplyAdds = c.Input.Length,
        };
    }

    /// <summary><c>[Normalize(mean, std)]</c>: one mean and one positive, finite deviation per input channel.</summary>
    public static LayerPlan? Normalize(LayerContext c)
    {
        EquatableArray<float> mean = c.Spec.Floats("mean");
        EquatableArray<float> std = c.Spec.Floats("std");
        bool ok = true;
        foreach ((string argument, EquatableArray<float> values) in new[] { ("mean", mean), ("std", std) })
        {
            if (values.Count != c.Input.Depth)
            {
                c.Add(ProblemKind.NormalizeLength, argument, c.Name, argument, values.Count, c.Input, c.Input.Depth);
                ok = false;
            }
        }
        for (int i = 0; i < std.Count; i++)
        {
            if (!(std[i] > 0) || float.IsInfinity(std[i]))
            {
                c.Add(ProblemKind.NormalizeStdNotPositive, "std", c.Name, "std", i, Text(std[i]),
                    "the input is divided by it, so it must be a finite number greater than 0: use the channel's standard deviation (e.g. 0.229 for torchvision's red channel)");
                ok = false;
            }
        }
        for (int i = 0; i < mean.Count; i++)
        {
            if (float.IsNaN(mean[i]) || float.IsInfinity(mean[i]))
            {
                c.Add(ProblemKind.NormalizeStdNotPositive, "mean", c.Name, "mean", i, Text(mean[i]),
                    "a mean must be a finite number: use the channel's mean (e.g. 0.485 for torchvision's red channel)");
                ok = false;
            }
        }
        return ok
            ? new LayerPlan(LayerKind.Normalize, c.Name, c.Input, c.Input) { Mean = mean, Std = std, MultiplyAdds = c.Input.Length }
            : null;
    }

    private static string Text(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
