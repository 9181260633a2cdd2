using System.Collections.Generic;

namespace CnnGen.Onnx.Import;

/// <summary>A layer under construction: its geometry, its parameters (still open to folding) and where it came from.</summary>
internal sealed class PendingLayer
{
    public PendingLayer(LayerType type, Shape input, Shape output, string origin)
    {
        Type = type;
        Input = input;
        Output = output;
        Origins.Add(origin);
    }

    public LayerType Type { get; }
    public Shape Input { get; }
    public Shape Output { get; }
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

    /// <summary>Conv: [filters][depth][height][width]; FullyConnected: [outputs][inputs] in C,H,W input order.</summary>
    public float[]? Weights { get; init; }

    /// <summary>One per filter or output.</summary>
    public float[]? Bias { get; init; }

    public List<string> Origins { get; } = new();

    /// <summary>Output channels (Conv) or outputs (FullyConnected): the rows of <see cref="Weights"/>.</summary>
    public int Rows => Output.Depth;
}
