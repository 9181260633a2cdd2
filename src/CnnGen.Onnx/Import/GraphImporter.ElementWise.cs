using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Onnx.Import;

/// <summary>
/// Activations, merges (Add, Mul, Concat), constants folded into the layer before them, input normalization,
/// and the patterns exporters spell out in several nodes: GELU (Div by √2, Erf, Add 1, Mul, Mul 0.5),
/// SiLU (<c>x·Sigmoid(x)</c>) and HardSwish before opset 14 (<c>x·HardSigmoid(x)</c>).
/// </summary>
internal sealed partial class GraphImporter
{
    /// <summary>An element-wise layer: same volume and ONNX shape as its input.</summary>
    private void ElementWise(NodeContext node, LayerInfo info, TensorValue input, float[][]? parameters = null, NodeContext? last = null)
    {
        PendingLayer layer = AddLayer(info with { Input = input.Volume, Output = input.Volume }, [input.Layer], Origin(node), parameters ?? []);
        NodeContext end = last ?? node;
        layer.OutputTensor = end.Node.Output[0];
        _values[end.Node.Output[0]] = input with { Layer = layer };
    }

    private static LayerInfo Kind(LayerType type) => new(type, "", default, default);

    private void Activation(NodeContext node)
    {
        TensorValue input = Stored(node);
        string x = node.Node.Input[0];
        switch (node.Op)
        {
            case "Relu":
            case "Tanh":
            case "HardSwish":
                node.OnlyKnown();
                ElementWise(node, Kind(Enum.Parse<LayerType>(node.Op)), input);
                break;
            case "Sigmoid":
                node.OnlyKnown();
                if (MulWith(node.Node.Output[0], x) is { } silu)
                {
                    Absorb(silu);
                    ElementWise(node, Kind(LayerType.Silu), input, last: silu);
                    break;
                }
                ElementWise(node, Kind(LayerType.Sigmoid), input);
                break;
            case "HardSigmoid":
            {
                node.OnlyKnown("alpha", "beta");
                float alpha = node.Float("alpha", 0.2f), beta = node.Float("beta", 0.5f);
                // PyTorch exports hardswish before opset 14 as x · HardSigmoid(x) with alpha 1/6, beta 1/2.
                if (Math.Abs(alpha - 1f / 6f) < 1e-6f && beta == 0.5f && MulWith(node.Node.Output[0], x) is { } swish)
                {
                    Absorb(swish);
                    ElementWise(node, Kind(LayerType.HardSwish), input, last: swish);
                    break;
                }
                ElementWise(node, Kind(LayerType.HardSigmoid) with { Alpha = alpha, Beta = beta }, input);
                break;
            }
            case "LeakyRelu":
                node.OnlyKnown("alpha");
                ElementWise(node, Kind(LayerType.LeakyRelu) with { Alpha = node.Float("alpha", 0.01f) }, input);
                break;
            case "Elu":
                node.OnlyKnown("alpha");
                ElementWise(node, Kind(LayerType.Elu) with { Alpha = node.Float("alpha", 1f) }, input);
                break;
            case "Clip":
                Clip(node, input);
                break;
            case "PRelu":
            {
                node.OnlyKnown();
                ConstantTensor slope = Float(node, node.Node.Input.Count > 1 ? node.Node.Input[1] : "", "slope");
                int channels = input.Volume.Depth;
                float[] slopes = PerChannel(node, slope, channels, input.Dims.Length + 1, "take as PRelu slopes");
                ElementWise(node, Kind(LayerType.PRelu), input, [slopes]);
                break;
            }
            case "Gelu":
            {
                node.OnlyKnown("approximate");
                string approximate = node.String("approximate", "none");
                if (approximate is not ("none" or "tanh"))
                {
                    throw node.Error($"'{approximate}' is neither none nor tanh.", "approximate");
                }
                ElementWise(node, Kind(LayerType.Gelu) with { Approximate = approximate == "tanh" }, input);
                break;
            }
            default:
                throw node.Error(UnsupportedMessage(node.Op));
        }
    }

    private void Clip(NodeContext node, TensorValue input)
    {
        float min, max;
        if (_opset < 11)
        {
            node.OnlyKnown("min", "max");
            (min, max) = (node.Float("min", float.NegativeInfinity), node.Float("max", float.PositiveInfinity));
        }
        else
        {
            node.OnlyKnown();
            float Bound(int index, float fallback)
            {
                ConstantTensor? t = OptionalFloat(node, index, index == 1 ? "min" : "max");
                if (t is not null && t.Values.Length != 1)
                {
                    throw node.Error($"its {(index == 1 ? "min" : "max")} '{t.Name}' has shape {t.DimsText}; Clip's bounds are scalars.");
                }
                return t is null ? fallback : t.Values[0];
            }
            (min, max) = (Bound(1, float.NegativeInfinity), Bound(2, float.PositiveInfinity));
        }
        if (min > max)
        {
            throw node.Error($"its minimum {min} is above its maximum {max}.");
        }
        LayerInfo info = (min, max) switch
        {
            (0f, 6f) => Kind(LayerType.Relu6),
            (0f, float.PositiveInfinity) => Kind(LayerType.Relu),
            _ => Kind(LayerType.Clip) with { Alpha = min, Beta = max },
        };
        ElementWise(node, info, input);
    }

    /// <summary>The Mul that alone reads <paramref name="tensor"/> and multiplies it with <paramref name="other"/>, if there is one.</summary>
    private NodeContext? MulWith(string tensor, string other) =>
        OnlyReader(tensor) is { Op: "Mul" } mul && mul.Node.Input.Count == 2
        && (mul.Node.Input[0] == tensor && mul.Node.Input[1] == other || mul.Node.Input[1] == tensor && mul.Node.Input[0] == other)
            ? mul
            : null;

    /// <summary>The nodes of a pattern after its first become part of the layer the first starts; the walk skips them.</summary>
    private void Absorb(params NodeContext[] rest)
    {
        foreach (NodeContext node in rest)
        {
            node.OnlyKnown();
            _absorbed.Add(node.Node);
        }
    }

    /// <summary>The scalar constant operand of a binary node reading <paramref name="tensor"/>, if it has one.</summary>
    private float? ScalarOperand(NodeContext node, string tensor)
    {
        if (node.Node.Input.Count != 2)
        {
            return null;
        }
        string other = node.Node.Input[0] == tensor ? node.Node.Input[1] : node.Node.Input[0];
        return _constants.TryGetValue(other, out var t) && TensorData.IsFloatType(t.DataType)
            && TensorData.ToFloat(t, other) is { Values.Length: 1 } c ? c.Values[0] : null;
    }

    /// <summary>
    /// PyTorch's exact GELU (opset &lt; 20): <c>Div(x, √2) → Erf → Add 1 → Mul x → Mul 0.5</c>, each node the
    /// previous one's only reader. Returns the last node, or null when <paramref name="div"/> does not start it.
    /// </summary>
    private NodeContext? GeluPattern(NodeContext div, string x)
    {
        if (ScalarOperand(div, x) is not { } root || Math.Abs(root - MathF.Sqrt(2)) > 1e-5f || div.Node.Input[0] != x
            || OnlyReader(div.Node.Output[0]) is not { Op: "Erf" } erf
            || OnlyReader(erf.Node.Output[0]) is not { Op: "Add" } add || ScalarOperand(add, erf.Node.Output[0]) != 1f
            || MulWith(add.Node.Output[0], x) is not { } mul
            || OnlyReader(mul.Node.Output[0]) is not { Op: "Mul" } half || ScalarOperand(half, mul.Node.Output[0]) != 0.5f)
        {
            return null;
        }
        Absorb(erf, add, mul, half);
        return half;
    }

    /// <summary>Add, Sub, Mul, Div: a merge of two computed tensors, or a computed tensor and a constant.</summary>
    private void Arithmetic(NodeContext node)
    {
        node.OnlyKnown();
        if (node.Node.Input.Count != 2)
        {
            throw node.Error($"it has {node.Node.Input.Count} inputs; {node.Op} takes two.");
        }
        if (IsComputed(node, 0) && IsComputed(node, 1))
        {
            if (node.Op is "Sub" or "Div")
            {
                throw node.Error($"it {(node.Op == "Sub" ? "subtracts" : "divides")} two computed tensors; CnnGen merges tensors only by Add, Mul and Concat.");
            }
            Merge(node, node.Op == "Add" ? LayerType.Add : LayerType.Mul, [Stored(node, 0), Stored(node, 1)]);
            return;
        }
        int computed = IsComputed(node, 0) ? 0 : 1;
        string x = node.Node.Input[computed];
        TensorValue input = ValueOf(node, computed);
        if (node.Op == "Div" && computed == 0 && GeluPattern(node, x) is { } end)
        {
            ElementWise(node, Kind(LayerType.Gelu), Stored(node), last: end);
            return;
        }
        if (computed == 1 && node.Op is "Sub" or "Div")
        {
            throw node.Error($"it {(node.Op == "Sub" ? "subtracts the activations from" : "divides")} a constant{(node.Op == "Div" ? " by the activations" : "")}; CnnGen can fold only x − constant and x / constant.");
        }
        ConstantTensor c = Float(node, node.Node.Input[1 - computed], "constant");
        if (NormalizeTarget(x, input) is { } normalize)
        {
            Normalize(node, normalize, input, c);
            return;
        }
        if (node.Op is "Add" or "Sub")
        {
            AddBias(node, x, input, c, subtract: node.Op == "Sub");
            return;
        }
        throw node.Error(
            $"it {(node.Op == "Mul" ? "multiplies" : "divides")} computed values by a constant, which CnnGen can fold only on the network input (as Normalize, e.g. (x − mean) / std).");
    }

    /// <summary>
    /// The network input itself, or the Normalize layer it already became (when only this node reads it): the
    /// place where constant Sub/Div (and Add) become a <see cref="LayerType.Normalize"/>.
    /// </summary>
    private PendingLayer? NormalizeTarget(string tensor, TensorValue value) => value switch
    {
        { Map: not null } or { Pad: not null } => null,
        { Layer: null } when value.Dims.Length >= 2 => _normalizeInput,
        { Layer: { Type: LayerType.Normalize } layer } when layer.OutputTensor == tensor && Readers(tensor) == 1 => layer,
        _ => null,
    };

    private static readonly PendingLayer _normalizeInput = new(Kind(LayerType.Normalize), [], "");

    private void Normalize(NodeContext node, PendingLayer target, TensorValue input, ConstantTensor c)
    {
        int channels = input.Volume.Depth;
        float[] values = PerChannel(node, c, channels, input.Dims.Length + 1, "fold into Normalize");
        float[] mean, std;
        PendingLayer? existing = ReferenceEquals(target, _normalizeInput) ? null : target;
        mean = existing?.Info.Mean.ToArray() ?? new float[channels];
        std = existing?.Info.Std.ToArray() ?? Enumerable.Repeat(1f, channels).ToArray();
        for (int ch = 0; ch < channels; ch++)
        {
            // (x − mean) / std, then: − v → mean + v·std; + v → mean − v·std; / v → std·v.
            switch (node.Op)
            {
                case "Sub": mean[ch] += values[ch] * std[ch]; break;
                case "Add": mean[ch] -= values[ch] * std[ch]; break;
                case "Div": std[ch] *= values[ch]; break;
                default: throw node.Error("CnnGen folds only Sub, Add and Div of the input into Normalize.");
            }
        }
        if (existing is null)
        {
            ElementWise(node, Kind(LayerType.Normalize) with { Mean = mean, Std = std }, input);
            return;
        }
        existing.Info = existing.Info with { Mean = mean, Std = std };
        existing.Origins.Add(Origin(node));
        existing.OutputTensor = node.Node.Output[0];
        SetOutput(node, input);
    }

    private void AddBias(NodeContext node, string x, TensorValue input, ConstantTensor c, bool subtract)
    {
        PendingLayer layer = FoldTarget(x, input) ?? throw node.Error(
            $"it {(subtract ? "subtracts" : "adds")} a constant that does not directly follow a Conv, Gemm or MatMul; CnnGen can only fold such a constant into that layer's bias.");
        float[] bias = layer.Bias;
        float[] values = layer.Type == LayerType.FullyConnected
            ? BiasRow(node, c, bias.Length, "constant")
            : PerChannel(node, c, bias.Length, input.Dims.Length + 1, "fold into the Conv's bias");
        for (int i = 0; i < bias.Length; i++)
        {
            bias[i] = subtract ? bias[i] - values[i] : bias[i] + values[i];
        }
        layer.Origins.Add(Origin(node));
        layer.OutputTensor = node.Node.Output[0];
        SetOutput(node, input);
    }

    /// <summary>Add or Mul of computed tensors: equal shapes, or (Mul) a 1×1×C gate over a W×H×C map, which goes second.</summary>
    private void Merge(NodeContext node, LayerType type, TensorValue[] operands)
    {
        TensorValue big = operands.MaxBy(o => o.Length)!;
        foreach (TensorValue o in operands)
        {
            bool equal = o.Dims.SequenceEqual(big.Dims);
            bool gate = type == LayerType.Mul && o.Volume.Width == 1 && o.Volume.Height == 1 && o.Volume.Depth == big.Volume.Depth
                && big.Dims.Length >= 2 && o.Dims.Length == big.Dims.Length && o.Dims.Skip(1).All(d => d == 1);
            if (!equal && !gate || o.Volume.Length != o.Length || equal && o.Volume != big.Volume)
            {
                throw node.Error(
                    $"it {(type == LayerType.Add ? "adds" : "multiplies")} {o.Text} and {big.Text}; CnnGen {(type == LayerType.Add ? "adds tensors of equal shape" : "multiplies tensors of equal shape, or a [N,C,1,1] gate with an [N,C,H,W] map")}.");
            }
        }
        TensorValue[] ordered = operands.OrderByDescending(o => o.Length).ToArray();
        AddLayer(node, new LayerInfo(type, "", ordered[0].Volume, big.Volume), ordered);
        SetOutput(node, _values[node.Node.Output[0]] with { Dims = big.Dims });
    }

    private void Concat(NodeContext node)
    {
        node.OnlyKnown("axis");
        var operands = new List<TensorValue>();
        for (int i = 0; i < node.Node.Input.Count; i++)
        {
            if (!IsComputed(node, i))
            {
                throw node.Error($"it concatenates the constant '{node.Node.Input[i]}' with computed values; CnnGen concatenates layer outputs only.");
            }
            operands.Add(Stored(node, i));
        }
        int rank = operands[0].Dims.Length + 1;
        int axis = Shapes.Axis(node, node.Int("axis", 0), rank, "axis");
        if (axis != 1)
        {
            throw node.Error($"it concatenates along axis {axis}; CnnGen concatenates channels (axis 1).", "axis");
        }
        if (operands.Count == 1)
        {
            Alias(node); // one operand, as DenseNet's first torch.cat([x], 1) exports: the tensor itself
            return;
        }
        foreach (TensorValue o in operands)
        {
            if (o.Dims.Length != rank - 1 || !o.Dims.Skip(1).SequenceEqual(operands[0].Dims.Skip(1)) || (o.Dims.Length > 1 && VolumeOf(o.Dims) != o.Volume))
            {
                throw node.Error($"it concatenates {operands[0].Text} and {o.Text}, which differ in more than their channels.");
            }
        }
        Shape first = operands[0].Dims.Length > 1 ? operands[0].Volume : new Shape(1, 1, (int)operands[0].Length);
        if (operands.Any(o => o.Dims.Length == 1 && o.Volume != new Shape(1, 1, (int)o.Length)))
        {
            throw node.Error("it concatenates flattened maps; CnnGen concatenates channels of maps or of vectors.");
        }
        var output = new Shape(first.Width, first.Height, operands.Sum(o => o.Dims.Length > 1 ? o.Volume.Depth : (int)o.Length));
        AddLayer(node, new LayerInfo(LayerType.Concat, "", operands[0].Volume, output), operands);
    }
}
