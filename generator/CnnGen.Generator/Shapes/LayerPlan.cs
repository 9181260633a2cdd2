using CnnGen.Generator.Model;

namespace CnnGen.Generator.Shapes;

/// <summary>
/// One layer with every size resolved: what the emitter needs and nothing that needs Roslyn.
/// Defaults (stride = window for pools, padding from <c>Padding</c>) are already applied.
/// </summary>
internal sealed record LayerPlan(LayerKind Kind, string Name, Volume In, Volume Out)
{
    /// <summary>
    /// The layers it reads, as indices into <see cref="NetworkPlan.Layers"/> (<see cref="NetworkInput"/> for the
    /// network input): its input first (the previous layer or <c>From</c>), then the layers a merge names.
    /// </summary>
    public EquatableArray<int> Inputs { get; init; } = EquatableArray<int>.Empty;

    /// <summary>The names of <see cref="Inputs"/>, as the user refers to them (<c>Input</c> for the network input).</summary>
    public EquatableArray<string> InputNames { get; init; } = EquatableArray<string>.Empty;

    /// <summary>The volumes of <see cref="Inputs"/>; the first is <see cref="In"/>.</summary>
    public EquatableArray<Volume> InputShapes { get; init; } = EquatableArray<Volume>.Empty;

    /// <summary>Nothing reads its output and it is not the last layer: its parameters stay in the layout, but it is not computed.</summary>
    public bool IsDead { get; init; }

    /// <summary>The index in <see cref="Inputs"/> that stands for the network input.</summary>
    public const int NetworkInput = -1;

    public int KernelWidth { get; init; } = 1;
    public int KernelHeight { get; init; } = 1;
    public int StrideX { get; init; } = 1;
    public int StrideY { get; init; } = 1;
    public int PadLeft { get; init; }
    public int PadTop { get; init; }
    public int PadRight { get; init; }
    public int PadBottom { get; init; }
    public int DilationX { get; init; } = 1;
    public int DilationY { get; init; } = 1;
    public bool CeilMode { get; init; }
    public bool ExcludePadding { get; init; }

    /// <summary>Slice: the first channel it takes.</summary>
    public int Start { get; init; }

    /// <summary>ChannelShuffle: its groups (<c>LayerInfo.Groups</c>).</summary>
    public int ShuffleGroups { get; init; } = 1;

    /// <summary>Upsample: factor along the width.</summary>
    public int ScaleX { get; init; } = 1;

    /// <summary>Upsample: factor along the height.</summary>
    public int ScaleY { get; init; } = 1;

    /// <summary>Upsample: bilinear interpolation instead of nearest.</summary>
    public bool Bilinear { get; init; }

    /// <summary>Upsample (bilinear): PyTorch's <c>align_corners</c>.</summary>
    public bool AlignCorners { get; init; }
    /// <summary>Conv: channel groups (1 dense, the input depth depthwise).</summary>
    public int Groups { get; init; } = 1;

    /// <summary>BatchNorm: added to the variance before the square root.</summary>
    public float Epsilon { get; init; }

    /// <summary>ConvTranspose: extra output columns on the right.</summary>
    public int OutputPaddingX { get; init; }

    /// <summary>ConvTranspose: extra output rows at the bottom.</summary>
    public int OutputPaddingY { get; init; }

    /// <summary>Normalize: the per-channel means.</summary>
    public EquatableArray<float> Mean { get; init; } = EquatableArray<float>.Empty;

    /// <summary>Normalize: the per-channel standard deviations.</summary>
    public EquatableArray<float> Std { get; init; } = EquatableArray<float>.Empty;

    /// <summary>Index of this layer's first parameter in the constructor's span.</summary>
    public int ParameterOffset { get; init; }

    /// <summary>Weights then biases; 0 for layers without parameters (in <see langword="long"/> until the network's total is checked).</summary>
    public long Parameters { get; init; }

    /// <summary><see cref="Parameters"/> as an index count (shape inference checked that the total fits an <see langword="int"/>).</summary>
    public int ParameterCount => (int)Parameters;

    /// <summary>Multiply-adds per forward pass (comparisons for max pooling, additions for averages).</summary>
    public long MultiplyAdds { get; init; }

    /// <summary>Number of weights (the biases follow them).</summary>
    public int WeightCount => ParameterCount - (Kind is LayerKind.Conv or LayerKind.FullyConnected or LayerKind.ConvTranspose ? Out.Depth : 0);

    /// <summary>Its position in <see cref="NetworkPlan.Layers"/>.</summary>
    public int Index { get; init; }

    /// <summary>It reads only the layer right before it (or the input, when it is the first): a plain chain link, nothing to say about where its input comes from.</summary>
    public bool ReadsPrevious => Inputs.Count == 1 && Inputs[0] == Index - 1;

    public bool HasPadding => PadLeft != 0 || PadTop != 0 || PadRight != 0 || PadBottom != 0;

    /// <summary>
    /// Some window reaches outside the input: padding, or a ceil-mode window past the last row or column (a ceil-mode
    /// pool whose windows tile the input exactly, as SqueezeNet's do, has none).
    /// </summary>
    public bool WindowsLeaveInput =>
        HasPadding
            || (Out.Width - 1) * StrideX + (KernelWidth - 1) * DilationX + 1 > In.Width
            || (Out.Height - 1) * StrideY + (KernelHeight - 1) * DilationY + 1 > In.Height;

    /// <summary>Width of the input once padded (the space windows move over).</summary>
    public int PaddedWidth => In.Width + PadLeft + PadRight;

    /// <summary>Height of the input once padded.</summary>
    public int PaddedHeight => In.Height + PadTop + PadBottom;

    /// <summary>First float argument of an activation: LeakyRelu's slope, Clip's minimum, HardSigmoid's and Elu's alpha.</summary>
    public float Alpha { get; init; }

    /// <summary>Second float argument of an activation: Clip's maximum, HardSigmoid's beta.</summary>
    public float Beta { get; init; }

    /// <summary>Gelu: the tanh approximation instead of the exact erf form.</summary>
    public bool Approximate { get; init; }

    /// <summary>
    /// Conv: the declared window, when the kernel runs on the part of it that can read the input (its other taps only
    /// ever read padding; see <c>Emit.DeadTaps</c>); null for a conv on its declared window.
    /// </summary>
    public DeclaredWindow? Declared { get; init; }
}
