using CnnGen.Generator.Model;

namespace CnnGen.Generator.Shapes;

/// <summary>
/// One layer with every size resolved: what the emitter needs and nothing that needs Roslyn.
/// Defaults (stride = window for pools, padding from <c>Padding</c>) are already applied.
/// </summary>
internal sealed record LayerPlan(LayerKind Kind, string Name, Volume In, Volume Out)
{
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

    /// <summary>Index of this layer's first parameter in the constructor's span.</summary>
    public int ParameterOffset { get; init; }

    /// <summary>Weights then biases; 0 for layers without parameters.</summary>
    public int ParameterCount { get; init; }

    /// <summary>Multiply-adds per forward pass (comparisons for max pooling, additions for averages).</summary>
    public long MultiplyAdds { get; init; }

    /// <summary>Number of weights (the biases follow them).</summary>
    public int WeightCount => ParameterCount - (Kind is LayerKind.Conv or LayerKind.FullyConnected ? Out.Depth : 0);

    public bool HasPadding => PadLeft != 0 || PadTop != 0 || PadRight != 0 || PadBottom != 0;

    /// <summary>Width of the input once padded (the space windows move over).</summary>
    public int PaddedWidth => In.Width + PadLeft + PadRight;

    /// <summary>Height of the input once padded.</summary>
    public int PaddedHeight => In.Height + PadTop + PadBottom;
}
