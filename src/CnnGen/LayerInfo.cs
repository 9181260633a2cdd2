namespace CnnGen;

/// <summary>The kinds of layer a CnnGen network is built from (one per layer attribute).</summary>
public enum LayerType
{
    /// <summary><see cref="ConvAttribute"/>.</summary>
    Conv,

    /// <summary><see cref="ReluAttribute"/>.</summary>
    Relu,

    /// <summary><see cref="MaxPoolAttribute"/>.</summary>
    MaxPool,

    /// <summary><see cref="AvgPoolAttribute"/>.</summary>
    AvgPool,

    /// <summary><see cref="FullyConnectedAttribute"/>.</summary>
    FullyConnected,

    /// <summary><see cref="SoftmaxAttribute"/>.</summary>
    Softmax,

    /// <summary><see cref="AddAttribute"/>: element-wise sum of its inputs.</summary>
    Add,

    /// <summary><see cref="MulAttribute"/>: element-wise product of its inputs (1×1×C broadcasts).</summary>
    Mul,

    /// <summary><see cref="ConcatAttribute"/>: its inputs' channels, in order.</summary>
    Concat,

    /// <summary><see cref="Relu6Attribute"/>: <c>min(max(0, x), 6)</c>.</summary>
    Relu6,
}

/// <summary>A width × height × depth volume of activations, stored in C,H,W order.</summary>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
/// <param name="Depth">Channels.</param>
public readonly record struct Shape(int Width, int Height, int Depth)
{
    /// <summary>Number of values: width · height · depth.</summary>
    public int Length => Width * Height * Depth;

    /// <summary><c>W×H×D</c>.</summary>
    public override string ToString() => $"{Width}×{Height}×{Depth}";
}

/// <summary>
/// One layer of a generated network with every size resolved at compile time. Generated classes
/// list theirs in a static <c>Layers</c> property, so tools (the ONNX exporter, layer tables) can
/// describe the network without reflection.
/// </summary>
/// <param name="Type">What the layer does.</param>
/// <param name="Name">Its name in constants and comments, e.g. <c>Conv1</c>.</param>
/// <param name="Input">The volume it reads (its first input's, for layers that read several).</param>
/// <param name="Output">The volume it writes.</param>
public sealed record LayerInfo(LayerType Type, string Name, Shape Input, Shape Output)
{
    /// <summary>
    /// The names of the layers whose outputs it reads, in order (<c>"Input"</c> for the network input):
    /// the previous layer's, or <c>From</c>'s, then the layers an <c>Add</c>, <c>Mul</c> or <c>Concat</c> names.
    /// </summary>
    public System.Collections.Generic.IReadOnlyList<string> Inputs
    {
        get => _inputs;
        init => _inputs = new LayerNames(value);
    }

    private readonly LayerNames _inputs = new(System.Array.Empty<string>());

    /// <summary>What <see cref="Inputs"/> calls the network input: <c>"Input"</c>.</summary>
    public const string NetworkInput = "Input";

    /// <summary>
    /// The names layer <paramref name="index"/> of <paramref name="layers"/> reads: its <see cref="Inputs"/>, or,
    /// when that is empty (a list built by hand, or generated before graphs), the layer before it
    /// (<see cref="NetworkInput"/> for the first).
    /// </summary>
    public static System.Collections.Generic.IReadOnlyList<string> InputsOf(System.Collections.Generic.IReadOnlyList<LayerInfo> layers, int index) =>
        layers[index].Inputs.Count > 0 ? layers[index].Inputs : new[] { index == 0 ? NetworkInput : layers[index - 1].Name };

    /// <summary>Kernel or window width (1 for layers without one).</summary>
    public int KernelWidth { get; init; } = 1;

    /// <summary>Kernel or window height (1 for layers without one).</summary>
    public int KernelHeight { get; init; } = 1;

    /// <summary>Step between windows along the width.</summary>
    public int StrideX { get; init; } = 1;

    /// <summary>Step between windows along the height.</summary>
    public int StrideY { get; init; } = 1;

    /// <summary>Padding columns on the left.</summary>
    public int PadLeft { get; init; }

    /// <summary>Padding rows on the top.</summary>
    public int PadTop { get; init; }

    /// <summary>Padding columns on the right.</summary>
    public int PadRight { get; init; }

    /// <summary>Padding rows at the bottom.</summary>
    public int PadBottom { get; init; }

    /// <summary>Spacing between kernel taps along the width (Conv).</summary>
    public int DilationX { get; init; } = 1;

    /// <summary>Spacing between kernel taps along the height (Conv).</summary>
    public int DilationY { get; init; } = 1;

    /// <summary>Output size rounded up (pools).</summary>
    public bool CeilMode { get; init; }

    /// <summary>AvgPool divides by the real elements only, not the full window.</summary>
    public bool ExcludePadding { get; init; }

    /// <summary>Index of the layer's first parameter in the constructor's span (weights, then biases).</summary>
    public int ParameterOffset { get; init; }

    /// <summary>Weights and biases of the layer; 0 for layers without parameters.</summary>
    public int ParameterCount { get; init; }

    /// <summary>Multiply-adds per forward pass (Conv and FullyConnected; 0 for the others).</summary>
    public long MultiplyAdds { get; init; }
}

/// <summary>A list of layer names that compares by content, so <see cref="LayerInfo"/> keeps value equality.</summary>
internal sealed class LayerNames(System.Collections.Generic.IReadOnlyList<string> names)
    : System.Collections.Generic.IReadOnlyList<string>, System.IEquatable<LayerNames>
{
    private readonly string[] _names = System.Linq.Enumerable.ToArray(names);

    public string this[int index] => _names[index];

    public int Count => _names.Length;

    public System.Collections.Generic.IEnumerator<string> GetEnumerator() => ((System.Collections.Generic.IEnumerable<string>)_names).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _names.GetEnumerator();

    public bool Equals(LayerNames? other) => other is not null && System.Linq.Enumerable.SequenceEqual(_names, other._names);

    public override bool Equals(object? obj) => obj is LayerNames other && Equals(other);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (string name in _names)
        {
            hash = unchecked(hash * 31 + name.GetHashCode());
        }
        return hash;
    }

    /// <summary><c>[Conv1, Relu2]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", _names) + "]";
}
