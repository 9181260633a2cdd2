namespace CnnGen.Generator.Model;

/// <summary>
/// One layer attribute exactly as the user wrote it: values are not validated yet (that is the
/// shape stage's job), and a named argument the user left out is <see langword="null"/>.
/// </summary>
/// <param name="Kind">Which attribute.</param>
/// <param name="Width">Input width, or kernel/window width.</param>
/// <param name="Height">Input height, or kernel/window height.</param>
/// <param name="Count">Input depth, Conv filters, or FullyConnected outputs.</param>
internal sealed record LayerSpec(LayerKind Kind, int Width = 0, int Height = 0, int Count = 0)
{
    public int? Stride { get; init; }
    public int? StrideX { get; init; }
    public int? StrideY { get; init; }
    public int? Padding { get; init; }
    public int? PadLeft { get; init; }
    public int? PadTop { get; init; }
    public int? PadRight { get; init; }
    public int? PadBottom { get; init; }
    public int? Dilation { get; init; }
    public int? DilationX { get; init; }
    public int? DilationY { get; init; }
    public bool CeilMode { get; init; }
    public bool ExcludePadding { get; init; }

    /// <summary>Conv <c>Depth</c> the user expects, when stated.</summary>
    public int? ExpectedDepth { get; init; }

    /// <summary>FullyConnected <c>Inputs</c> the user expects, when stated.</summary>
    public int? ExpectedInputs { get; init; }
}
