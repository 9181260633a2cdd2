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

    /// <summary><see cref="LeakyReluAttribute"/>: <c>x ≥ 0 ? x : Alpha·x</c> (<see cref="LayerInfo.Alpha"/> is the slope).</summary>
    LeakyRelu,

    /// <summary><see cref="ClipAttribute"/>: clamped to [<see cref="LayerInfo.Alpha"/>, <see cref="LayerInfo.Beta"/>].</summary>
    Clip,

    /// <summary><see cref="SigmoidAttribute"/>: <c>1 / (1 + e^−x)</c>.</summary>
    Sigmoid,

    /// <summary><see cref="TanhAttribute"/>: hyperbolic tangent.</summary>
    Tanh,

    /// <summary><see cref="HardSigmoidAttribute"/>: <c>max(0, min(1, Alpha·x + Beta))</c>.</summary>
    HardSigmoid,

    /// <summary><see cref="HardSwishAttribute"/>: <c>x · min(max(x + 3, 0), 6) / 6</c>.</summary>
    HardSwish,

    /// <summary><see cref="SiluAttribute"/>: <c>x · sigmoid(x)</c>.</summary>
    Silu,

    /// <summary><see cref="GeluAttribute"/>: exact, or the tanh form when <see cref="LayerInfo.Approximate"/>.</summary>
    Gelu,

    /// <summary><see cref="EluAttribute"/>: <c>x &gt; 0 ? x : Alpha·(e^x − 1)</c>.</summary>
    Elu,

    /// <summary><see cref="PReluAttribute"/>: one learned slope per channel.</summary>
    PRelu,

    /// <summary><see cref="LogSoftmaxAttribute"/>: log of the softmax of the whole vector.</summary>
    LogSoftmax,

    /// <summary><see cref="DropoutAttribute"/>: the identity at inference.</summary>
    Dropout,

    /// <summary><see cref="FlattenAttribute"/>: a no-op.</summary>
    Flatten,

    /// <summary><see cref="BatchNormAttribute"/>: per-channel <c>γ·(x − mean)/√(var + Epsilon) + β</c>.</summary>
    BatchNorm,

    /// <summary><see cref="NormalizeAttribute"/>: per-channel <c>(x − Mean[c]) / Std[c]</c>.</summary>
    Normalize,

    /// <summary><see cref="ConvTransposeAttribute"/>: transposed convolution.</summary>
    ConvTranspose,

    /// <summary><see cref="GlobalAvgPoolAttribute"/>: mean of each channel.</summary>
    GlobalAvgPool,

    /// <summary><see cref="GlobalMaxPoolAttribute"/>: largest value of each channel.</summary>
    GlobalMaxPool,

    /// <summary><see cref="UpsampleAttribute"/>: by <see cref="LayerInfo.ScaleX"/> × <see cref="LayerInfo.ScaleY"/>.</summary>
    Upsample,

    /// <summary><see cref="PadAttribute"/>: explicit zero padding (the Pad… fields).</summary>
    Pad,

    /// <summary><see cref="SliceAttribute"/>: <see cref="LayerInfo.Output"/>'s depth channels from <see cref="LayerInfo.Start"/>.</summary>
    Slice,

    /// <summary><see cref="ChannelShuffleAttribute"/>: channel shuffle in <see cref="LayerInfo.Groups"/> groups.</summary>
    ChannelShuffle,
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

    /// <summary>Conv: channel groups (1 = dense, input depth = depthwise). ChannelShuffle: its groups.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>ConvTranspose: extra output columns on the right.</summary>
    public int OutputPaddingX { get; init; }

    /// <summary>ConvTranspose: extra output rows at the bottom.</summary>
    public int OutputPaddingY { get; init; }

    /// <summary>First float argument: LeakyRelu's slope, Clip's minimum, HardSigmoid's and Elu's alpha; BatchNorm's epsilon is <see cref="Epsilon"/>.</summary>
    public float Alpha { get; init; }

    /// <summary>Second float argument: Clip's maximum, HardSigmoid's beta.</summary>
    public float Beta { get; init; }

    /// <summary>BatchNorm: added to the variance.</summary>
    public float Epsilon { get; init; }

    /// <summary>Gelu: the tanh approximation instead of the exact erf form.</summary>
    public bool Approximate { get; init; }

    /// <summary>Upsample: factor along the width.</summary>
    public int ScaleX { get; init; } = 1;

    /// <summary>Upsample: factor along the height.</summary>
    public int ScaleY { get; init; } = 1;

    /// <summary>Upsample: bilinear instead of nearest.</summary>
    public bool Bilinear { get; init; }

    /// <summary>Upsample (bilinear): corner pixels' centres aligned.</summary>
    public bool AlignCorners { get; init; }

    /// <summary>Slice: first channel.</summary>
    public int Start { get; init; }

    /// <summary>Normalize: per-channel means (empty for other kinds); compares by content.</summary>
    public System.Collections.Generic.IReadOnlyList<float> Mean
    {
        get => _mean;
        init => _mean = new LayerValues<float>(value);
    }

    private readonly LayerValues<float> _mean = new(System.Array.Empty<float>());

    /// <summary>Normalize: per-channel standard deviations (empty for other kinds); compares by content.</summary>
    public System.Collections.Generic.IReadOnlyList<float> Std
    {
        get => _std;
        init => _std = new LayerValues<float>(value);
    }

    private readonly LayerValues<float> _std = new(System.Array.Empty<float>());

    /// <summary>Index of the layer's first parameter in the constructor's span (weights, then biases).</summary>
    public int ParameterOffset { get; init; }

    /// <summary>Weights and biases of the layer; 0 for layers without parameters.</summary>
    public int ParameterCount { get; init; }

    /// <summary>Multiply-adds per forward pass (Conv and FullyConnected; 0 for the others).</summary>
    public long MultiplyAdds { get; init; }
}

/// <summary>A list of layer names that compares by content, so <see cref="LayerInfo"/> keeps value equality.</summary>
internal sealed class LayerNames(System.Collections.Generic.IReadOnlyList<string> names) : LayerValues<string>(names)
{
}

/// <summary>A read-only list that compares by content, so <see cref="LayerInfo"/> keeps value equality.</summary>
internal class LayerValues<T>(System.Collections.Generic.IReadOnlyList<T> values)
    : System.Collections.Generic.IReadOnlyList<T>, System.IEquatable<LayerValues<T>>
{
    private readonly T[] _values = System.Linq.Enumerable.ToArray(values);

    public T this[int index] => _values[index];

    public int Count => _values.Length;

    public System.Collections.Generic.IEnumerator<T> GetEnumerator() => ((System.Collections.Generic.IEnumerable<T>)_values).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _values.GetEnumerator();

    public bool Equals(LayerValues<T>? other) => other is not null && System.Linq.Enumerable.SequenceEqual(_values, other._values);

    public override bool Equals(object? obj) => obj is LayerValues<T> other && Equals(other);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (T value in _values)
        {
            hash = unchecked(hash * 31 + (value?.GetHashCode() ?? 0));
        }
        return hash;
    }

    /// <summary><c>[Conv1, Relu2]</c>.</summary>
    public override string ToString() => "[" + string.Join(", ", _values) + "]";
}
