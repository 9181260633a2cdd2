using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Tool.Diagram;

/// <summary>
/// One activation volume of the drawing: the network input, or the output of a layer together with
/// the activations (ReLU, softmax) folded into it, as the generator folds them.
/// </summary>
/// <param name="Index">Position in drawing order (0 is the input).</param>
/// <param name="Layers">The layers that produce this volume (empty for the input); the first does the work.</param>
/// <param name="Output">The volume.</param>
/// <param name="Inputs">Indices of the nodes it reads, in order (empty for the input).</param>
internal sealed record DiagramNode(int Index, IReadOnlyList<LayerInfo> Layers, Shape Output, IReadOnlyList<int> Inputs)
{
    /// <summary>The layer that does the work (conv, pool, …), or null for the input.</summary>
    public LayerInfo? Main => Layers.Count == 0 ? null : Layers[0];

    /// <summary>"Input", or the layer names joined with " + ".</summary>
    public string Title => Layers.Count == 0 ? "Input" : string.Join(" + ", Layers.Select(l => l.Name));
}

/// <summary>A network as nodes in drawing order; layers that read a non-previous node are graph edges.</summary>
internal sealed class DiagramGraph
{
    private DiagramGraph(string title, IReadOnlyList<DiagramNode> nodes)
    {
        Title = title;
        Nodes = nodes;
    }

    /// <summary>What the diagram is of (class or model name).</summary>
    public string Title { get; }

    /// <summary>Node 0 is the input; every node reads only nodes before it.</summary>
    public IReadOnlyList<DiagramNode> Nodes { get; }

    /// <summary>Total weights and biases.</summary>
    public long ParameterCount => Nodes.SelectMany(n => n.Layers).Sum(l => (long)l.ParameterCount);

    /// <summary>Total multiply-adds of one forward pass.</summary>
    public long MultiplyAdds => Nodes.SelectMany(n => n.Layers).Sum(l => l.MultiplyAdds);

    /// <summary>
    /// Builds the graph of <paramref name="layers"/> (a generated class's <c>Layers</c> or an ONNX
    /// import). A layer with no <see cref="LayerInfo.Inputs"/> reads the layer before it.
    /// </summary>
    public static DiagramGraph Build(string title, Shape input, IReadOnlyList<LayerInfo> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var nodes = new List<(List<LayerInfo> Layers, Shape Output, List<int> Inputs)> { (new List<LayerInfo>(), input, new List<int>()) };
        var nodeOf = new Dictionary<string, int>(StringComparer.Ordinal) { ["Input"] = 0 };
        var consumers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < layers.Count; i++)
        {
            foreach (string name in LayerInfo.InputsOf(layers, i))
            {
                consumers[name] = consumers.GetValueOrDefault(name) + 1;
            }
        }

        for (int i = 0; i < layers.Count; i++)
        {
            LayerInfo layer = layers[i];
            IReadOnlyList<string> inputs = LayerInfo.InputsOf(layers, i);
            int last = nodes.Count - 1;
            bool foldable = DiagramLayout.FoldsIntoProducer(layer.Type)
                && inputs.Count == 1 && last > 0
                && nodeOf.TryGetValue(inputs[0], out int source) && source == last
                && consumers.GetValueOrDefault(inputs[0]) == 1;
            if (foldable)
            {
                nodes[last].Layers.Add(layer);
                nodeOf[layer.Name] = last;
                continue;
            }
            var reads = new List<int>();
            foreach (string name in inputs)
            {
                if (!nodeOf.TryGetValue(name, out int n))
                {
                    throw new InvalidOperationException($"Layer {layer.Name} reads '{name}', which is not an earlier layer.");
                }
                reads.Add(n);
            }
            nodeOf[layer.Name] = nodes.Count;
            nodes.Add((new List<LayerInfo> { layer }, layer.Output, reads));
        }
        return new DiagramGraph(title, nodes.Select((n, i) => new DiagramNode(i, n.Layers, n.Output, n.Inputs)).ToArray());
    }
}
