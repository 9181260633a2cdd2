using System;

namespace CnnGen;

/// <summary>
/// What every layer attribute shares: an optional <see cref="Name"/> to refer to its output, and an
/// optional <see cref="From"/> to read an earlier layer's output instead of the previous layer's.
/// Together they turn the ordered list of attributes into a graph (skip connections, branches, merges).
/// </summary>
/// <example>
/// A residual block and a branch:
/// <code>
/// [Conv(3, 3, 16, Padding = 1, Name = "a")] [Relu]
/// [Conv(3, 3, 16, Padding = 1)]
/// [Add("Relu1")] [Relu]                       // Conv2 + Relu1
/// [Conv(1, 1, 8, From = "a", Name = "side")]  // reads Conv1's output ("a")
/// [Concat("Relu2")]                           // side's 8 channels, then Relu2's 16
/// </code>
/// </example>
public abstract class LayerAttribute : Attribute
{
    /// <summary>
    /// The layer's name in generated constants, comments, <c>Layers</c> and references: a C#
    /// identifier, unique in the network. Without it the layer is named after its kind and its
    /// number among layers of that kind (<c>Conv1</c>, <c>Relu2</c>, <c>MaxPool1</c>, <c>Fc1</c>, …),
    /// and can be referred to by that name. <c>"Input"</c> is the network input.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// Read the output of this earlier layer (or <c>"Input"</c>) instead of the previous layer's.
    /// When several layers read one output, a ReLU after it is not folded into its producer, so every
    /// reader sees the value it names.
    /// </summary>
    public string? From { get; set; }
}
