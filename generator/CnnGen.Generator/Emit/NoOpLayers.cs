using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;

namespace CnnGen.Generator.Emit;

/// <summary>
/// <c>[Dropout]</c> and <c>[Flatten]</c> compute nothing: before memory is planned, every layer that reads one reads
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
            bool noOp = LayerKinds.Of(layer.Kind).Role == LayerRole.NoOp && !layer.IsDead;
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
}
