using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Onnx.Import;

/// <summary>
/// A layer under construction: its <see cref="LayerInfo"/> without name, inputs or parameter offsets (those are
/// settled when the graph is complete), its parameters (still open to folding), the layers it reads and
/// the ONNX nodes it came from.
/// </summary>
internal sealed class PendingLayer
{
    public PendingLayer(LayerInfo info, IEnumerable<PendingLayer?> inputs, string origin, params float[][] parameters)
    {
        Info = info;
        Inputs = inputs.ToList();
        Origins.Add(origin);
        Parameters = parameters.ToList();
    }

    /// <summary>Kind, shapes and the kind's fields; <c>Name</c>, <c>Inputs</c> and offsets are filled in at the end.</summary>
    public LayerInfo Info { get; set; }

    public LayerType Type => Info.Type;

    public Shape Input => Info.Input;

    public Shape Output => Info.Output;

    /// <summary>The layers it reads, in order; <see langword="null"/> is the network input.</summary>
    public List<PendingLayer?> Inputs { get; }

    /// <summary>
    /// Parameter arrays in the generated constructor's order: Conv/FC/ConvTranspose weights then bias;
    /// BatchNorm γ, β, mean, var; PRelu slopes.
    /// </summary>
    public List<float[]> Parameters { get; }

    /// <summary>Conv: [filters][depth/groups][height][width]; FullyConnected: [outputs][inputs] in C,H,W input order.</summary>
    public float[] Weights => Parameters[0];

    /// <summary>One per filter or output.</summary>
    public float[] Bias => Parameters[1];

    public List<string> Origins { get; } = new();

    /// <summary>The ONNX tensor the layer's node wrote (its raw output, before any alias), or null for a layer written without a node of its own.</summary>
    public string? OutputTensor { get; set; }

    /// <summary>Output channels (Conv) or outputs (FullyConnected): the rows of <see cref="Weights"/>.</summary>
    public int Rows => Output.Depth;
}

/// <summary>
/// What the importer knows about one computed ONNX tensor: which layer's output holds its values, its ONNX
/// shape per batch item, and how its elements map onto that layer's C,H,W buffer.
/// </summary>
/// <param name="Layer">The layer whose output buffer holds the values; <see langword="null"/> for the network input.</param>
/// <param name="Volume">The volume that layer writes.</param>
/// <param name="Dims">The ONNX shape of one item (no batch axis).</param>
/// <param name="Map">For each row-major position of <paramref name="Dims"/>, the index in the buffer; <see langword="null"/> when they coincide.</param>
/// <param name="Pad">Zero padding (left, top, right, bottom) not yet written as a layer: <paramref name="Dims"/> includes it, the buffer does not.</param>
internal sealed record TensorValue(PendingLayer? Layer, Shape Volume, long[] Dims, int[]? Map = null, (int Left, int Top, int Right, int Bottom)? Pad = null)
{
    public long Length => Dims.Aggregate(1L, (a, b) => a * b);

    /// <summary>The [N,…] shape for messages.</summary>
    public string Text => "[N," + string.Join(",", Dims) + "]";
}
