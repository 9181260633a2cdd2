using CnnGen.Generator.Model;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary>Layers that keep their input's shape and have no arguments to check: <c>[Relu]</c>, <c>[Softmax]</c>.</summary>
internal static class PassThroughRule
{
    public static LayerPlan Infer(LayerContext c) => new(c.Spec.Kind, c.Name, c.Input, c.Input);
}
