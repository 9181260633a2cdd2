using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;

namespace CnnGen.Generator.Emit;

/// <summary>
/// <c>[Dropout]</c> and <c>[Flatten]</c> compute nothing, and neither does a pool whose window is one pixel (see
/// <see cref="IsIdentity"/>; importers produce them, e.g. an adaptive pool onto a map already that size): before memory is planned, every layer that reads one reads
/// what it reads instead, and the no-op itself is left out (marked dead in the planner's copy of the layers). So an
/// activation after <c>Conv → Dropout</c> still folds into the conv, and no pass or buffer exists for the no-op.
/// The one exception is a network whose output is its input through no-ops only: the last no-op stays, as a copy.
/// </summary>
internal static class NoOpLayers
{
    /// <summary>The layers with no-ops bypassed, and the layer whose output is the network's output.</summary>
    public static (IReadOnlyList<LayerPlan> Layers, int OutputTensor) Elide(IReadOnlyList<LayerPlan> layers)
    {
        int count = layers.Count;
        var alias = new int[count];     // the tensor that holds each layer's output
        var result = new LayerPlan[count];
        bool any = false;
        for (int i = 0; i < count; i++)
        {
            alias[i] = i;
            LayerPlan layer = layers[i];
            var inputs = new List<int>();
            var names = new List<string>();
            for (int k = 0; k < layer.Inputs.Count; k++)
            {
                int source = layer.Inputs[k] >= 0 ? alias[layer.Inputs[k]] : layer.Inputs[k];
                inputs.Add(source);
                names.Add(source >= 0 ? layers[source].Name : layer.InputNames[k]);
            }
            bool noOp = (LayerKinds.Of(layer.Kind).Role == LayerRole.NoOp || IsIdentity(layer)) && !layer.IsDead;
            if (noOp && !(i == count - 1 && inputs[0] == LayerPlan.NetworkInput))
            {
                alias[i] = inputs[0];
                result[i] = layer with { IsDead = true };
                any = true;
                continue;
            }
            result[i] = any ? layer with { Inputs = inputs.ToEquatableArray(), InputNames = names.ToEquatableArray() } : layer;
        }
        return (any ? result : layers, alias[count - 1]);
    }

    /// <summary>
    /// A pool that copies its input: a 1×1 window at stride 1 without padding, or a global pool of a 1×1 map. (Ceil
    /// mode and dilation change nothing there; a 3×3 stride-1 pool with padding 1 keeps the size but is not a copy.)
    /// </summary>
    public static bool IsIdentity(LayerPlan layer) => layer.Kind switch
    {
        LayerKind.MaxPool or LayerKind.AvgPool =>
            layer.KernelWidth == 1 && layer.KernelHeight == 1 && layer.StrideX == 1 && layer.StrideY == 1 && !layer.HasPadding,
        LayerKind.GlobalMaxPool or LayerKind.GlobalAvgPool => layer.In.Width == 1 && layer.In.Height == 1,
        _ => false,
    };
}
