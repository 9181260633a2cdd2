using CnnGen.Generator.Model;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary><c>[GlobalAvgPool]</c> and <c>[GlobalMaxPool]</c>: one value per channel, W×H×C → 1×1×C. Nothing to check.</summary>
internal static class GlobalPoolRule
{
    public static LayerPlan Infer(LayerContext c) =>
        new(c.Spec.Kind, c.Name, c.Input, new Volume(1, 1, c.Input.Depth))
        {
            KernelWidth = c.Input.Width,
            KernelHeight = c.Input.Height,
        };
}
