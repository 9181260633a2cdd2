using System;
using System.ComponentModel;

namespace CnnGen;

/// <summary>Construction-time help for grouped convolutions that the generated code runs as one dense convolution per group.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GroupedConv
{
    /// <summary>
    /// Reorders a grouped conv's parameters in place from PyTorch's order (every group's weights, then every bias) to
    /// group by group, each group's weights followed by its biases: the layout a dense conv over one group reads.
    /// </summary>
    /// <param name="parameters">The network's copy of its parameters.</param>
    /// <param name="offset">Where the layer's weights start.</param>
    /// <param name="groups">Groups.</param>
    /// <param name="weightsPerGroup">Weights of one group (filters per group × channels per group × taps).</param>
    /// <param name="biasesPerGroup">Filters per group.</param>
    public static void InterleaveBiases(float[] parameters, int offset, int groups, int weightsPerGroup, int biasesPerGroup)
    {
        Span<float> layer = parameters.AsSpan(offset, groups * (weightsPerGroup + biasesPerGroup));
        float[] biases = layer.Slice(groups * weightsPerGroup).ToArray();
        for (int g = groups - 1; g > 0; g--) // group g moves up by g biases: from the last, so nothing is overwritten before it moves
        {
            layer.Slice(g * weightsPerGroup, weightsPerGroup).CopyTo(layer.Slice(g * (weightsPerGroup + biasesPerGroup)));
        }
        for (int g = 0; g < groups; g++)
        {
            biases.AsSpan(g * biasesPerGroup, biasesPerGroup).CopyTo(layer.Slice(g * (weightsPerGroup + biasesPerGroup) + weightsPerGroup));
        }
    }
}
