using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CnnGen.Geometry;
using CnnGen.Onnx.Protos;
using Google.Protobuf;

namespace CnnGen.Onnx;

/// <summary>
/// Writes a CnnGen network (its <see cref="LayerInfo"/> list and parameters) as an equivalent ONNX
/// model (opset 13), for Netron, ONNX Runtime or any other ONNX tool.
/// </summary>
/// <remarks>
/// Layers map to Conv (pads, strides, dilations), Relu, MaxPool/AveragePool (pads, strides,
/// ceil_mode, count_include_pad), Flatten + Gemm (transB = 1), Flatten + Softmax (axis = 1), Add, Mul and
/// Concat (axis = 1). Each layer reads the tensors its <see cref="LayerInfo.Inputs"/> names (the previous
/// layer's when the list is empty, as in assemblies generated before graphs); a flat [N, K] tensor read
/// as a map (by a Conv, a pool, or a merge with a map, e.g. a squeeze-and-excite gate) is reshaped to
/// [N, C, H, W] first, so a 1×1×C operand of Mul broadcasts as [N, C, 1, 1].
/// The input is <c>input</c> of shape [N, C, H, W] with a symbolic batch N; the output is <c>output</c>.
/// Importing the result gives back the same layers and parameters, with one exception: in opset 13, a pool
/// whose <c>CeilMode</c> changes nothing (no extra window, or only one that would start in the trailing
/// padding, which CnnGen drops) is written with <c>ceil_mode = 0</c>, which computes the same, and imports
/// back without <c>CeilMode</c>. A pool that opset 13 cannot express makes the model opset 22.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The operator set the exporter writes.</summary>
    public const int Opset = 13;

    /// <summary>
    /// The operator set written instead when a pool's ceil mode keeps a window on one axis and drops one that
    /// would start in the padding on the other: MaxPool-22 and AveragePool-22 drop such windows as CnnGen does.
    /// </summary>
    public const int CeilModeOpset = 22;

    /// <summary>The operator set the exporter uses for these layers: <see cref="Opset"/>, or <see cref="CeilModeOpset"/> when a pool needs it.</summary>
    public static int OpsetFor(IReadOnlyList<LayerInfo> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        int opset = layers.Any(l => l.Type == LayerType.Gelu && l.Approximate) ? GeluOpset : Opset;
        foreach (LayerInfo layer in layers)
        {
            if (layer.Type is LayerType.MaxPool or LayerType.AvgPool && layer.CeilMode)
            {
                (bool gainsX, bool dropsX) = CeilEffect(layer.Input.Width, layer.KernelWidth, layer.StrideX, layer.PadLeft, layer.PadRight);
                (bool gainsY, bool dropsY) = CeilEffect(layer.Input.Height, layer.KernelHeight, layer.StrideY, layer.PadTop, layer.PadBottom);
                if ((gainsX || gainsY) && (dropsX || dropsY))
                {
                    return CeilModeOpset;
                }
            }
        }
        return opset;
    }

    /// <summary>The operator set written when a <see cref="LayerType.Gelu"/> uses the tanh approximation: ONNX's <c>Gelu</c> (opset 20) has it.</summary>
    public const int GeluOpset = 20;

    /// <summary>Name of the graph input.</summary>
    public const string InputName = "input";

    /// <summary>Name of the graph output.</summary>
    public const string OutputName = "output";

    /// <summary>Writes the network to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">A layer reads a tensor that is not earlier or has the wrong shape, or the parameter count is wrong.</exception>
    public static void Export(IReadOnlyList<LayerInfo> layers, Shape input, ReadOnlySpan<float> parameters, Stream destination, string graphName = "cnngen")
    {
        ArgumentNullException.ThrowIfNull(destination);
        ToModel(layers, input, parameters, graphName).WriteTo(destination);
    }

    /// <summary>Serializes the network to bytes.</summary>
    public static byte[] ExportToBytes(IReadOnlyList<LayerInfo> layers, Shape input, ReadOnlySpan<float> parameters, string graphName = "cnngen") =>
        ToModel(layers, input, parameters, graphName).ToByteArray();

    /// <summary>Builds the ONNX model of the network.</summary>
    public static ModelProto ToModel(IReadOnlyList<LayerInfo> layers, Shape input, ReadOnlySpan<float> parameters, string graphName = "cnngen")
    {
        ArgumentNullException.ThrowIfNull(layers);
        Validate(layers, input, parameters.Length);
        int opset = OpsetFor(layers);

        var graph = new GraphProto { Name = graphName };
        graph.Input.Add(ValueInfo(InputName, [-1, input.Depth, input.Height, input.Width]));

        // Each layer's output (and the network input): its ONNX tensor, and whether that is flat [N, K] rather than a map [N, C, H, W].
        var tensors = new Dictionary<string, (string Tensor, bool Flat, Shape Shape)>(StringComparer.Ordinal)
        {
            [InputLayer] = (InputName, false, input),
        };
        var converted = new HashSet<string>(StringComparer.Ordinal);

        // A layer's output as [N, K]: a Flatten (axis 1) of a map, written once per tensor.
        string AsFlat(string layer)
        {
            (string tensor, bool flat, _) = tensors[layer];
            if (flat)
            {
                return tensor;
            }
            string flatName = tensor + "_flat";
            if (converted.Add(flatName))
            {
                var node = Node("Flatten", tensor + "_flatten", tensor, flatName);
                node.Attribute.Add(Int("axis", 1));
                graph.Node.Add(node);
            }
            return flatName;
        }

        // A layer's output as [N, C, H, W]: a Reshape of a flat [N, K] (C,H,W order, as CnnGen stores it), written once per tensor.
        string AsMap(string layer)
        {
            (string tensor, bool flat, Shape shape) = tensors[layer];
            if (!flat)
            {
                return tensor;
            }
            string mapName = tensor + "_map";
            if (converted.Add(mapName))
            {
                string shapeName = mapName + ".shape";
                graph.Initializer.Add(Int64Tensor(shapeName, [0, shape.Depth, shape.Height, shape.Width]));
                graph.Node.Add(Node("Reshape", tensor + "_reshape", tensor, mapName, shapeName));
            }
            return mapName;
        }

        for (int i = 0; i < layers.Count; i++)
        {
            LayerInfo layer = layers[i];
            IReadOnlyList<string> inputs = LayerInfo.InputsOf(layers, i);
            string output = i == layers.Count - 1 ? OutputName : layer.Name;
            bool flatOutput;
            NodeProto node;
            switch (layer.Type)
            {
                case LayerType.Conv or LayerType.ConvTranspose:
                {
                    // Conv weights are [filters][depth/groups][kh][kw]; ConvTranspose's, like PyTorch's, [depth][filters][kh][kw].
                    bool conv = layer.Type == LayerType.Conv;
                    int weights = conv
                        ? (int)LayerMath.ConvWeights(layer.KernelWidth, layer.KernelHeight, layer.Input.Depth, layer.Output.Depth, layer.Groups)
                        : ConvTransposeWeights(layer);
                    long[] shape = conv
                        ? [layer.Output.Depth, layer.Input.Depth / layer.Groups, layer.KernelHeight, layer.KernelWidth]
                        : [layer.Input.Depth, layer.Output.Depth, layer.KernelHeight, layer.KernelWidth];
                    string w = layer.Name + ".weight", b = layer.Name + ".bias";
                    graph.Initializer.Add(Tensor(w, shape, parameters.Slice(layer.ParameterOffset, weights)));
                    graph.Initializer.Add(Tensor(b, [layer.Output.Depth], parameters.Slice(layer.ParameterOffset + weights, layer.Output.Depth)));
                    node = Node(conv ? "Conv" : "ConvTranspose", layer.Name, AsMap(inputs[0]), output, w, b);
                    node.Attribute.Add(Ints("kernel_shape", layer.KernelHeight, layer.KernelWidth));
                    node.Attribute.Add(Ints("strides", layer.StrideY, layer.StrideX));
                    node.Attribute.Add(Ints("pads", layer.PadTop, layer.PadLeft, layer.PadBottom, layer.PadRight));
                    if (!conv)
                    {
                        node.Attribute.Add(Ints("output_padding", layer.OutputPaddingY, layer.OutputPaddingX));
                    }
                    else
                    {
                        node.Attribute.Add(Ints("dilations", layer.DilationY, layer.DilationX));
                        if (layer.Groups != 1)
                        {
                            node.Attribute.Add(Int("group", layer.Groups));
                        }
                    }
                    flatOutput = false;
                    break;
                }
                case LayerType.Relu6 or LayerType.Clip:
                {
                    bool six = layer.Type == LayerType.Relu6;
                    string min = layer.Name + ".min", max = layer.Name + ".max";
                    graph.Initializer.Add(Tensor(min, [], [six ? 0f : layer.Alpha]));
                    graph.Initializer.Add(Tensor(max, [], [six ? 6f : layer.Beta]));
                    node = Node("Clip", layer.Name, tensors[inputs[0]].Tensor, output, min, max);
                    flatOutput = tensors[inputs[0]].Flat;
                    break;
                }
                case LayerType.Sigmoid or LayerType.Tanh or LayerType.Dropout or LayerType.Flatten:
                    node = Node(layer.Type is LayerType.Dropout or LayerType.Flatten ? "Identity" : layer.Type.ToString(), layer.Name, tensors[inputs[0]].Tensor, output);
                    flatOutput = tensors[inputs[0]].Flat;
                    break;
                case LayerType.LeakyRelu or LayerType.Elu:
                    node = Node(layer.Type.ToString(), layer.Name, tensors[inputs[0]].Tensor, output);
                    node.Attribute.Add(Float("alpha", layer.Alpha));
                    flatOutput = tensors[inputs[0]].Flat;
                    break;
                case LayerType.HardSigmoid:
                    node = Node("HardSigmoid", layer.Name, tensors[inputs[0]].Tensor, output);
                    node.Attribute.Add(Float("alpha", layer.Alpha));
                    node.Attribute.Add(Float("beta", layer.Beta));
                    flatOutput = tensors[inputs[0]].Flat;
                    break;
                case LayerType.HardSwish or LayerType.Silu:
                {
                    // x · HardSigmoid(x) (alpha 1/6, beta 1/2) and x · Sigmoid(x): opset 13 has neither HardSwish nor SiLU, and PyTorch writes them so.
                    string x = tensors[inputs[0]].Tensor, gate = layer.Name + "_gate";
                    NodeProto g = Node(layer.Type == LayerType.Silu ? "Sigmoid" : "HardSigmoid", gate, x, gate);
                    if (layer.Type == LayerType.HardSwish)
                    {
                        g.Attribute.Add(Float("alpha", 1f / 6f));
                        g.Attribute.Add(Float("beta", 0.5f));
                    }
                    graph.Node.Add(g);
                    node = Node("Mul", layer.Name, x, output, gate);
                    flatOutput = tensors[inputs[0]].Flat;
                    break;
                }
                case LayerType.Gelu:
                {
                    string x = tensors[inputs[0]].Tensor;
                    flatOutput = tensors[inputs[0]].Flat;
                    if (layer.Approximate)
                    {
                        node = Node("Gelu", layer.Name, x, output);
                        node.Attribute.Add(new AttributeProto { Name = "approximate", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("tanh") });
                        break;
                    }
                    // PyTorch's exact form before opset 20: x · (1 + erf(x / √2)) · 0.5.
                    string p = layer.Name + "_";
                    graph.Initializer.Add(Tensor(p + "sqrt2", [], [MathF.Sqrt(2f)]));
                    graph.Initializer.Add(Tensor(p + "one", [], [1f]));
                    graph.Initializer.Add(Tensor(p + "half", [], [0.5f]));
                    graph.Node.Add(Node("Div", p + "div", x, p + "div", p + "sqrt2"));
                    graph.Node.Add(Node("Erf", p + "erf", p + "div", p + "erf"));
                    graph.Node.Add(Node("Add", p + "add", p + "erf", p + "add", p + "one"));
                    graph.Node.Add(Node("Mul", p + "mul", x, p + "mul", p + "add"));
                    node = Node("Mul", layer.Name, p + "mul", output, p + "half");
                    break;
                }
                case LayerType.PRelu:
                {
                    bool flat = tensors[inputs[0]].Flat;
                    string slope = layer.Name + ".slope";
                    graph.Initializer.Add(Tensor(slope, flat ? new long[] { layer.Input.Length } : new long[] { layer.Input.Depth, 1, 1 }, parameters.Slice(layer.ParameterOffset, layer.ParameterCount)));
                    node = Node("PRelu", layer.Name, tensors[inputs[0]].Tensor, output, slope);
                    flatOutput = flat;
                    break;
                }
                case LayerType.BatchNorm:
                {
                    int c = layer.Input.Depth;
                    string[] names = new[] { "scale", "bias", "mean", "var" }.Select(n => layer.Name + "." + n).ToArray();
                    for (int k = 0; k < 4; k++)
                    {
                        graph.Initializer.Add(Tensor(names[k], [c], parameters.Slice(layer.ParameterOffset + k * c, c)));
                    }
                    node = Node("BatchNormalization", layer.Name, AsMap(inputs[0]), output, names);
                    node.Attribute.Add(Float("epsilon", layer.Epsilon));
                    flatOutput = false;
                    break;
                }
                case LayerType.Normalize:
                {
                    string mean = layer.Name + ".mean", std = layer.Name + ".std", centred = layer.Name + "_centred";
                    graph.Initializer.Add(Tensor(mean, [1, layer.Input.Depth, 1, 1], layer.Mean.ToArray()));
                    graph.Initializer.Add(Tensor(std, [1, layer.Input.Depth, 1, 1], layer.Std.ToArray()));
                    graph.Node.Add(Node("Sub", centred, AsMap(inputs[0]), centred, mean));
                    node = Node("Div", layer.Name, centred, output, std);
                    flatOutput = false;
                    break;
                }
                case LayerType.GlobalAvgPool or LayerType.GlobalMaxPool:
                    node = Node(layer.Type == LayerType.GlobalAvgPool ? "GlobalAveragePool" : "GlobalMaxPool", layer.Name, AsMap(inputs[0]), output);
                    flatOutput = false;
                    break;
                case LayerType.Upsample:
                {
                    string roi = layer.Name + ".roi", scales = layer.Name + ".scales";
                    graph.Initializer.Add(Tensor(roi, [0], []));
                    graph.Initializer.Add(Tensor(scales, [4], [1f, 1f, layer.ScaleY, layer.ScaleX]));
                    node = Node("Resize", layer.Name, AsMap(inputs[0]), output, roi, scales);
                    node.Attribute.Add(String("mode", layer.Bilinear ? "linear" : "nearest"));
                    node.Attribute.Add(String("coordinate_transformation_mode", !layer.Bilinear ? "asymmetric" : layer.AlignCorners ? "align_corners" : "half_pixel"));
                    if (!layer.Bilinear)
                    {
                        node.Attribute.Add(String("nearest_mode", "floor"));
                    }
                    flatOutput = false;
                    break;
                }
                case LayerType.Pad:
                {
                    string pads = layer.Name + ".pads";
                    graph.Initializer.Add(Int64Tensor(pads, [0, 0, layer.PadTop, layer.PadLeft, 0, 0, layer.PadBottom, layer.PadRight]));
                    node = Node("Pad", layer.Name, AsMap(inputs[0]), output, pads);
                    flatOutput = false;
                    break;
                }
                case LayerType.Slice:
                {
                    string p = layer.Name + ".";
                    graph.Initializer.Add(Int64Tensor(p + "starts", [layer.Start]));
                    graph.Initializer.Add(Int64Tensor(p + "ends", [layer.Start + layer.Output.Depth]));
                    graph.Initializer.Add(Int64Tensor(p + "axes", [1]));
                    bool flat = tensors[inputs[0]].Flat && layer.Input.Width == 1 && layer.Input.Height == 1;
                    node = Node("Slice", layer.Name, flat ? tensors[inputs[0]].Tensor : AsMap(inputs[0]), output, p + "starts", p + "ends", p + "axes");
                    flatOutput = flat;
                    break;
                }
                case LayerType.ChannelShuffle:
                {
                    // ShuffleNet's view(N, g, C/g, H, W) → transpose(1, 2) → view(N, C, H, W).
                    Shape v = layer.Input;
                    string p = layer.Name + "_";
                    graph.Initializer.Add(Int64Tensor(p + "split.shape", [0, layer.Groups, v.Depth / layer.Groups, v.Height, v.Width]));
                    graph.Initializer.Add(Int64Tensor(p + "merge.shape", [0, v.Depth, v.Height, v.Width]));
                    graph.Node.Add(Node("Reshape", p + "split", AsMap(inputs[0]), p + "split", p + "split.shape"));
                    NodeProto transpose = Node("Transpose", p + "transpose", p + "split", p + "transpose");
                    transpose.Attribute.Add(Ints("perm", 0, 2, 1, 3, 4));
                    graph.Node.Add(transpose);
                    node = Node("Reshape", layer.Name, p + "transpose", output, p + "merge.shape");
                    flatOutput = false;
                    break;
                }
                case LayerType.Relu:
                    node = Node("Relu", layer.Name, tensors[inputs[0]].Tensor, output);
                    flatOutput = tensors[inputs[0]].Flat;
                    break;
                case LayerType.MaxPool:
                case LayerType.AvgPool:
                    node = Node(layer.Type == LayerType.MaxPool ? "MaxPool" : "AveragePool", layer.Name, AsMap(inputs[0]), output);
                    node.Attribute.Add(Ints("kernel_shape", layer.KernelHeight, layer.KernelWidth));
                    node.Attribute.Add(Ints("strides", layer.StrideY, layer.StrideX));
                    node.Attribute.Add(Ints("pads", layer.PadTop, layer.PadLeft, layer.PadBottom, layer.PadRight));
                    if (WriteCeilMode(layer, opset))
                    {
                        node.Attribute.Add(Int("ceil_mode", 1));
                    }
                    if (layer.Type == LayerType.AvgPool)
                    {
                        node.Attribute.Add(Int("count_include_pad", layer.ExcludePadding ? 0 : 1));
                    }
                    flatOutput = false;
                    break;
                case LayerType.FullyConnected:
                {
                    string a = AsFlat(inputs[0]);
                    int count = layer.Input.Length, outputs = layer.Output.Depth;
                    string w = layer.Name + ".weight", b = layer.Name + ".bias";
                    int weights = (int)LayerMath.FullyConnectedParameters(count, outputs) - outputs;
                    graph.Initializer.Add(Tensor(w, [outputs, count], parameters.Slice(layer.ParameterOffset, weights)));
                    graph.Initializer.Add(Tensor(b, [outputs], parameters.Slice(layer.ParameterOffset + weights, outputs)));
                    node = Node("Gemm", layer.Name, a, output, w, b);
                    node.Attribute.Add(Int("transB", 1));
                    flatOutput = true;
                    break;
                }
                case LayerType.Softmax or LayerType.LogSoftmax:
                {
                    node = Node(layer.Type.ToString(), layer.Name, AsFlat(inputs[0]), output);
                    node.Attribute.Add(Int("axis", 1));
                    flatOutput = true;
                    break;
                }
                case LayerType.Add:
                case LayerType.Mul:
                case LayerType.Concat:
                {
                    // Flat operands stay flat when they all are and are vectors of the same kind (equal shapes, or 1×1 for
                    // Concat); otherwise every operand is a map, so Mul broadcasts [N,C,1,1] over [N,C,H,W] and Concat joins axis 1.
                    bool allFlat = inputs.All(n => tensors[n].Flat);
                    flatOutput = allFlat && (layer.Type == LayerType.Concat
                        ? inputs.All(n => tensors[n].Shape.Width == 1 && tensors[n].Shape.Height == 1)
                        : inputs.All(n => tensors[n].Shape == tensors[inputs[0]].Shape));
                    string[] operands = inputs.Select(n => flatOutput ? tensors[n].Tensor : AsMap(n)).ToArray();
                    if (layer.Type == LayerType.Concat)
                    {
                        node = Node("Concat", layer.Name, operands[0], output, operands[1..]);
                        node.Attribute.Add(Int("axis", 1));
                        break;
                    }
                    // ONNX Add and Mul are binary: more operands are a chain, the last node writing the layer's output.
                    string op = layer.Type == LayerType.Add ? "Add" : "Mul";
                    string sum = operands[0];
                    for (int k = 1; k < operands.Length - 1; k++)
                    {
                        string partial = string.Create(CultureInfo.InvariantCulture, $"{layer.Name}_{k}");
                        graph.Node.Add(Node(op, partial, sum, partial, operands[k]));
                        sum = partial;
                    }
                    node = Node(op, layer.Name, sum, output, operands[^1]);
                    break;
                }
                default:
                    throw new ArgumentException($"Layer {layer.Name} has an unknown type {layer.Type}.", nameof(layers));
            }
            graph.Node.Add(node);
            tensors[layer.Name] = (output, flatOutput, layer.Output);
        }

        Shape last = layers[^1].Output;
        graph.Output.Add(tensors[layers[^1].Name].Flat
            ? ValueInfo(OutputName, [-1, last.Length])
            : ValueInfo(OutputName, [-1, last.Depth, last.Height, last.Width]));

        var model = new ModelProto
        {
            IrVersion = 7,
            ProducerName = "CnnGen",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    /// <summary>
    /// Whether to write <c>ceil_mode = 1</c> for a pool. CnnGen (like PyTorch, and ONNX from MaxPool-22 and
    /// AveragePool-19) drops a last ceil-mode window that would start in the trailing padding; opset 13's shape
    /// rules keep it. When that happens, CnnGen's size equals the floor-mode size on that axis, so in opset 13 ceil
    /// mode is written only when it adds a real window. A pool that needs both (a real extra window on one axis,
    /// a dropped one on the other) makes the whole model use <see cref="CeilModeOpset"/>, where it is written as is.
    /// </summary>
    internal static bool WriteCeilMode(LayerInfo layer, int opset)
    {
        if (!layer.CeilMode || opset >= CeilModeOpset)
        {
            return layer.CeilMode;
        }
        (bool gainsX, _) = CeilEffect(layer.Input.Width, layer.KernelWidth, layer.StrideX, layer.PadLeft, layer.PadRight);
        (bool gainsY, _) = CeilEffect(layer.Input.Height, layer.KernelHeight, layer.StrideY, layer.PadTop, layer.PadBottom);
        return gainsX || gainsY;
    }

    /// <summary>Whether ceil mode adds a window CnnGen keeps, and whether it adds one CnnGen drops, along one axis.</summary>
    private static (bool Gains, bool Drops) CeilEffect(int size, int window, int stride, int before, int after)
    {
        long floor = LayerMath.OutputSize(size, window, stride, before, after);
        if (floor < 1 || LayerMath.UnreadTail(size, window, stride, before, after) == 0)
        {
            return (false, false);
        }
        // Rounding up would add a window; LayerMath keeps it unless it starts in the trailing padding.
        bool gains = LayerMath.OutputSize(size, window, stride, before, after, ceil: true) > floor;
        return (gains, !gains);
    }

    private static void Validate(IReadOnlyList<LayerInfo> layers, Shape input, int parameterCount)
    {
        if (input.Width < 1 || input.Height < 1 || input.Depth < 1)
        {
            throw new ArgumentException($"The input {input} has an empty axis.", nameof(input));
        }
        if (layers.Count == 0)
        {
            throw new ArgumentException("The network has no layers.", nameof(layers));
        }
        var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal) { [InputLayer] = input };
        int offset = 0;
        bool softmax = false;
        for (int i = 0; i < layers.Count; i++)
        {
            LayerInfo layer = layers[i];
            IReadOnlyList<string> inputs = LayerInfo.InputsOf(layers, i);
            foreach (string name in inputs)
            {
                if (!shapes.ContainsKey(name))
                {
                    throw new ArgumentException($"Layer {layer.Name} reads '{name}', which is neither the input nor an earlier layer.", nameof(layers));
                }
            }
            Shape first = shapes[inputs[0]];
            if (layer.Input != first)
            {
                string writer = layer.Inputs.Count == 0 ? "the layer before it" : inputs[0] == InputLayer ? "the input" : inputs[0];
                throw new ArgumentException($"Layer {layer.Name} reads {layer.Input} but {writer} writes {first}.", nameof(layers));
            }
            if (softmax)
            {
                throw new ArgumentException($"Layer {layer.Name} follows a Softmax.", nameof(layers));
            }
            softmax = layer.Type == LayerType.Softmax;
            bool merge = layer.Type is LayerType.Add or LayerType.Mul or LayerType.Concat;
            if (merge ? inputs.Count < 2 : inputs.Count != 1)
            {
                throw new ArgumentException(
                    $"Layer {layer.Name} ({layer.Type}) reads {inputs.Count} tensors; {(merge ? "a merge needs at least 2" : "it reads exactly 1")}.", nameof(layers));
            }
            long expected = layer.Type switch
            {
                LayerType.Conv => LayerMath.ConvParameters(layer.KernelWidth, layer.KernelHeight, layer.Input.Depth, layer.Output.Depth, layer.Groups),
                LayerType.ConvTranspose => ConvTransposeWeights(layer) + layer.Output.Depth,
                LayerType.FullyConnected => LayerMath.FullyConnectedParameters(layer.Input.Length, layer.Output.Depth),
                LayerType.BatchNorm => 4L * layer.Input.Depth,
                LayerType.PRelu => layer.Input.Depth,
                _ => 0,
            };
            if (layer.ParameterCount != expected || (expected > 0 && layer.ParameterOffset != offset))
            {
                throw new ArgumentException(
                    $"Layer {layer.Name} says it has {layer.ParameterCount} parameters at offset {layer.ParameterOffset}; its shape needs {expected} at offset {offset}.", nameof(layers));
            }
            if (layer.Type == LayerType.Conv && (layer.Groups < 1 || layer.Input.Depth % layer.Groups != 0 || layer.Output.Depth % layer.Groups != 0))
            {
                throw new ArgumentException($"Layer {layer.Name} has {layer.Groups} groups, which do not divide its {layer.Input.Depth} input channels and {layer.Output.Depth} filters.", nameof(layers));
            }
            if (layer.Type is LayerType.Conv or LayerType.MaxPool or LayerType.AvgPool)
            {
                long w = LayerMath.OutputSize(layer.Input.Width, layer.KernelWidth, layer.StrideX, layer.PadLeft, layer.PadRight, layer.DilationX, layer.CeilMode);
                long h = LayerMath.OutputSize(layer.Input.Height, layer.KernelHeight, layer.StrideY, layer.PadTop, layer.PadBottom, layer.DilationY, layer.CeilMode);
                int depth = layer.Type == LayerType.Conv ? layer.Output.Depth : layer.Input.Depth;
                if (layer.Output != new Shape((int)w, (int)h, depth))
                {
                    throw new ArgumentException($"Layer {layer.Name} says it writes {layer.Output} but its window gives {w}×{h}×{depth}.", nameof(layers));
                }
            }
            if (merge)
            {
                CheckMerge(layer, inputs, inputs.Select(n => shapes[n]).ToArray());
            }
            if (!shapes.TryAdd(layer.Name, layer.Output))
            {
                throw new ArgumentException($"Two layers are named '{layer.Name}'.", nameof(layers));
            }
            offset += (int)expected;
        }
        if (parameterCount != offset)
        {
            throw new ArgumentException(
                string.Format(CultureInfo.InvariantCulture, "The network has {0} parameters but {1} were given.", offset, parameterCount), "parameters");
        }
    }

    /// <summary>What <see cref="LayerInfo.Inputs"/> calls the network input.</summary>
    internal const string InputLayer = LayerInfo.NetworkInput;

    /// <summary>The shape rules of Add (equal shapes), Mul (equal, or 1×1×C broadcast over W×H×C) and Concat (equal W×H, depths add up).</summary>
    private static void CheckMerge(LayerInfo layer, IReadOnlyList<string> inputs, Shape[] shapes)
    {
        Shape expected;
        if (layer.Type == LayerType.Concat)
        {
            expected = new Shape(shapes[0].Width, shapes[0].Height, shapes.Sum(s => s.Depth));
            for (int k = 1; k < shapes.Length; k++)
            {
                if (shapes[k].Width != shapes[0].Width || shapes[k].Height != shapes[0].Height)
                {
                    throw new ArgumentException($"Layer {layer.Name} concatenates {inputs[0]} ({shapes[0]}) and {inputs[k]} ({shapes[k]}), which differ in width or height.", "layers");
                }
            }
        }
        else
        {
            expected = shapes.MaxBy(s => s.Length);
            for (int k = 0; k < shapes.Length; k++)
            {
                bool broadcasts = layer.Type == LayerType.Mul && shapes[k].Width == 1 && shapes[k].Height == 1 && shapes[k].Depth == expected.Depth;
                if (shapes[k] != expected && !broadcasts)
                {
                    throw new ArgumentException($"Layer {layer.Name} cannot {(layer.Type == LayerType.Add ? "add" : "multiply")} {inputs[k]} ({shapes[k]}) to a {expected} operand.", "layers");
                }
            }
        }
        if (layer.Output != expected)
        {
            throw new ArgumentException($"Layer {layer.Name} says it writes {layer.Output} but its operands give {expected}.", "layers");
        }
    }

    /// <summary>Weights of a transposed convolution: <c>depth · filters · height · width</c> (PyTorch's [in][out][kh][kw]).</summary>
    private static int ConvTransposeWeights(LayerInfo layer) =>
        checked(layer.Input.Depth * layer.Output.Depth * layer.KernelHeight * layer.KernelWidth);

    private static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private static NodeProto Node(string op, string name, string input, string output, params string[] more)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(input);
        node.Input.AddRange(more);
        node.Output.Add(output);
        return node;
    }

    private static TensorProto Int64Tensor(string name, long[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.AddRange(values);
        return t;
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static TensorProto Tensor(string name, long[] dims, ReadOnlySpan<float> values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        byte[] raw = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
        }
        t.RawData = ByteString.CopyFrom(raw);
        return t;
    }

    private static ValueInfoProto ValueInfo(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims)
        {
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
