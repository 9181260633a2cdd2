using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnGen.Geometry;
using CnnGen.Onnx.Protos;

namespace CnnGen.Onnx.Import;

/// <summary>
/// Turns an ONNX graph (any DAG of supported operators from one float input to one float output, in
/// topological order) into CnnGen layers. It keeps a <see cref="TensorValue"/> per computed tensor, so
/// a tensor read by several nodes (a residual, a concat, a squeeze-and-excite gate) becomes a layer that
/// several layers read; constants, including run-time shape arithmetic that depends only on the batch
/// size, are evaluated at import (<see cref="ConstantFolder"/>). Anything else is an
/// <see cref="OnnxImportException"/> naming the node, operator and attribute.
/// </summary>
/// <remarks>
/// The importer is split by concern: this file walks the graph and builds the result;
/// <c>GraphImporter.Kernels.cs</c> has the layers with windows and weights (Conv, ConvTranspose, pools,
/// Gemm/MatMul, BatchNormalization); <c>GraphImporter.ElementWise.cs</c> activations, merges and the
/// patterns exporters spell out (GELU, SiLU, HardSwish, input normalization); <c>GraphImporter.Layout.cs</c>
/// reshapes, transposes, slices, padding, resizing and shapes.
/// </remarks>
internal sealed partial class GraphImporter
{
    private readonly ModelProto _model;
    private readonly GraphProto _graph;
    private readonly OnnxImportOptions _options;
    private readonly long _opset;
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeContext>> _consumers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _produced = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorValue> _values = new(StringComparer.Ordinal);
    private readonly HashSet<NodeProto> _absorbed = new();
    private readonly List<PendingLayer> _layers = new();
    private readonly List<string> _warnings = new();
    private string _outputName = "";

    private int _batch; // fixed batch size, or 0 when symbolic

    public GraphImporter(ModelProto model, long opset, OnnxImportOptions options)
    {
        _model = model;
        _graph = model.Graph;
        _options = options;
        _opset = opset;
    }

    /// <summary>The batch size shape arithmetic is evaluated for: the model's, or 1 when it is symbolic.</summary>
    private long Batch => _batch > 0 ? _batch : 1;

    public ImportedNetwork Import()
    {
        foreach (TensorProto initializer in _graph.Initializer)
        {
            _constants[initializer.Name] = initializer;
        }
        foreach (KeyValuePair<string, TensorProto> extra in _options.ExtraInitializers)
        {
            _constants[extra.Key] = extra.Value;
        }

        ValueInfoProto input = FindInput();
        TensorValue inputValue = ReadInputShape(input);
        _values[input.Name] = inputValue;

        if (_graph.Output.Count != 1)
        {
            throw new OnnxImportException(
                $"The graph has {_graph.Output.Count} outputs ({string.Join(", ", _graph.Output.Select(o => "'" + o.Name + "'"))}); a CnnGen network has exactly one.");
        }
        _outputName = _graph.Output[0].Name;

        var nodes = _graph.Node.Select((n, i) => new NodeContext(n, i)).ToList();
        foreach (NodeContext node in nodes)
        {
            foreach (string name in node.Node.Input.Where(n => n.Length > 0))
            {
                if (!_consumers.TryGetValue(name, out List<NodeContext>? list))
                {
                    _consumers[name] = list = new List<NodeContext>();
                }
                list.Add(node);
            }
            foreach (string name in node.Node.Output)
            {
                _produced.Add(name);
            }
        }
        if (_constants.ContainsKey(_outputName))
        {
            throw new OnnxImportException($"The graph output '{_outputName}' is a constant, not computed from the input.");
        }

        foreach (NodeContext node in nodes)
        {
            if (!_absorbed.Contains(node.Node))
            {
                Visit(node);
            }
        }

        if (!_values.TryGetValue(_outputName, out TensorValue? output))
        {
            throw new OnnxImportException(_constants.ContainsKey(_outputName)
                ? $"The graph output '{_outputName}' is a constant, not computed from the input."
                : $"The graph output '{_outputName}' is not computed by any node.");
        }
        output = Plain(output);
        if (output.Layer is null)
        {
            throw new OnnxImportException(
                "The graph has no layer CnnGen can generate (it only reshapes or copies its input); a CnnGen network needs at least one Conv, Relu, pool, fully connected or Softmax layer.");
        }
        if (output.Map is not null)
        {
            throw new OnnxImportException(
                $"The graph output '{_outputName}' is left in a transposed layout {NodeContext.Format(output.Dims)}; CnnGen writes its output in C,H,W order, so it can import a Transpose only when a flatten and a Gemm/MatMul follow it, or as a channel shuffle.");
        }
        CheckDeclaredOutput(_graph.Output[0], output);
        return Build(inputValue.Volume, input.Name, output);
    }

    private ValueInfoProto FindInput()
    {
        var inputs = _graph.Input.Where(i => !_constants.ContainsKey(i.Name)).ToList();
        if (inputs.Count == 0)
        {
            throw new OnnxImportException("The graph has no input (every input is an initializer).");
        }
        if (inputs.Count > 1)
        {
            throw new OnnxImportException(
                $"The graph has {inputs.Count} inputs that are not initializers ({string.Join(", ", inputs.Select(i => "'" + i.Name + "'"))}); a CnnGen network reads exactly one. If some of them are weights, store them as initializers.");
        }
        return inputs[0];
    }

    private TensorValue ReadInputShape(ValueInfoProto input)
    {
        if (input.Type?.TensorType is not { } tensorType)
        {
            throw new OnnxImportException($"The graph input '{input.Name}' is not a tensor (or declares no type).");
        }
        if (tensorType.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw new OnnxImportException(
                $"The graph input '{input.Name}' holds {TensorData.TypeName(tensorType.ElemType)} values; CnnGen networks compute in float32, so only a float input can be imported.");
        }
        if (tensorType.Shape is null)
        {
            throw new OnnxImportException($"The graph input '{input.Name}' declares no shape; CnnGen needs its fixed sizes [N,C,H,W].");
        }
        var dims = tensorType.Shape.Dim;
        if (dims.Count is < 2 or > 4)
        {
            throw new OnnxImportException(
                $"The graph input '{input.Name}' has rank {dims.Count}; CnnGen imports [N,C,H,W] images, [N,C,L] sequences and [N,K] vectors (the first axis is the batch).");
        }
        _batch = dims[0].HasDimValue ? (int)dims[0].DimValue : 0;
        if (dims[0].HasDimValue && dims[0].DimValue < 1)
        {
            _batch = 0; // 0 or -1 are used by some exporters for "any"
        }
        string[] axisNames = dims.Count == 4 ? ["channels", "height", "width"] : dims.Count == 3 ? ["channels", "length"] : ["features"];
        var item = new long[dims.Count - 1];
        for (int i = 1; i < dims.Count; i++)
        {
            var d = dims[i];
            if (!d.HasDimValue || d.DimValue < 1 || d.DimValue > int.MaxValue)
            {
                string what = d.HasDimParam ? $"symbolic ('{d.DimParam}')" : d.HasDimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : "unknown";
                throw new OnnxImportException(
                    $"The graph input '{input.Name}' has a {what} {axisNames[i - 1]} dimension; CnnGen networks have fixed sizes. Export the model with a fixed input size (only the batch axis may be symbolic).");
            }
            item[i - 1] = d.DimValue;
        }
        return new TensorValue(null, VolumeOf(item), item);
    }

    /// <summary>The CnnGen volume of an item of shape [C,H,W], [C,L] or [K].</summary>
    private static Shape VolumeOf(long[] dims) => dims.Length switch
    {
        3 => new Shape(checked((int)dims[2]), checked((int)dims[1]), checked((int)dims[0])),
        2 => new Shape(checked((int)dims[1]), 1, checked((int)dims[0])),
        _ => new Shape(1, 1, checked((int)dims.Aggregate(1L, (a, b) => a * b))),
    };

    /// <summary>The ONNX item shape of a volume written with <paramref name="rank"/> item axes.</summary>
    private static long[] DimsOf(Shape volume, int rank) => rank switch
    {
        3 => [volume.Depth, volume.Height, volume.Width],
        2 => [volume.Depth, volume.Width],
        _ => [volume.Length],
    };

    private void Visit(NodeContext node)
    {
        if (!string.IsNullOrEmpty(node.Node.Domain) && node.Node.Domain != "ai.onnx")
        {
            throw node.Error($"the operator comes from domain '{node.Node.Domain}', not the standard ONNX operator set; CnnGen imports only standard operators.");
        }
        var inputs = node.Node.Input.Where(n => n.Length > 0).ToList();
        foreach (string name in inputs)
        {
            if (!_constants.ContainsKey(name) && !_values.ContainsKey(name) && !_produced.Contains(name) && !_graph.Input.Any(i => i.Name == name))
            {
                throw node.Error($"input '{name}' is neither an initializer, a graph input nor the output of another node: the model is missing an initializer.");
            }
        }
        if (node.Op == "Shape" && inputs.Count == 1 && _values.TryGetValue(inputs[0], out TensorValue? shaped))
        {
            ShapeOf(node, shaped);
            return;
        }
        if (!inputs.Any(_values.ContainsKey))
        {
            FoldConstant(node);
            return;
        }
        CheckUnusedExtraOutputs(node);

        switch (node.Op)
        {
            case "Conv": Conv(node); break;
            case "ConvTranspose": ConvTranspose(node); break;
            case "MaxPool": Pool(node, LayerType.MaxPool); break;
            case "AveragePool": Pool(node, LayerType.AvgPool); break;
            case "GlobalMaxPool": GlobalPool(node, LayerType.MaxPool); break;
            case "GlobalAveragePool": GlobalPool(node, LayerType.AvgPool); break;
            case "ReduceMean": ReduceMean(node); break;
            case "Gemm": Gemm(node); break;
            case "MatMul": MatMul(node); break;
            case "BatchNormalization": BatchNorm(node); break;
            case "Softmax": WholeVector(node, LayerType.Softmax); break;
            case "LogSoftmax": WholeVector(node, LayerType.LogSoftmax); break;
            case "Add" or "Sub" or "Mul" or "Div": Arithmetic(node); break;
            case "Concat": Concat(node); break;
            case "Relu" or "Sigmoid" or "Tanh" or "LeakyRelu" or "Elu" or "HardSigmoid" or "HardSwish" or "Clip" or "PRelu" or "Gelu": Activation(node); break;
            case "Flatten": Flatten(node); break;
            case "Reshape": Reshape(node); break;
            case "Squeeze" or "Unsqueeze": Squeeze(node); break;
            case "Transpose": Transpose(node); break;
            case "Slice": Slice(node); break;
            case "Split": Split(node); break;
            case "Pad": Pad(node); break;
            case "Resize" or "Upsample": Resize(node); break;
            case "Identity": node.OnlyKnown(); Alias(node); break;
            case "Dropout": Dropout(node); break;
            case "Cast": Cast(node); break;
            default:
                throw node.Error(UnsupportedMessage(node.Op));
        }
    }

    private static string UnsupportedMessage(string op) =>
        $"CnnGen cannot represent the operator {op}. It imports Conv (with group), ConvTranspose, MaxPool, AveragePool, GlobalMaxPool, GlobalAveragePool, ReduceMean over H and W, Gemm, MatMul, BatchNormalization, " +
        "Relu, Clip, LeakyRelu, Elu, PRelu, Sigmoid, Tanh, HardSigmoid, HardSwish, the Erf form of GELU, Softmax, LogSoftmax, Add, Mul, Concat on channels, Sub/Div of the input by constants, " +
        "Pad, Resize/Upsample, Slice/Split on channels, Flatten, Reshape, Transpose (channel shuffle or before a flatten), Identity, Dropout, and shape arithmetic on constants.";

    private void CheckUnusedExtraOutputs(NodeContext node)
    {
        for (int i = 1; i < node.Node.Output.Count; i++)
        {
            string extra = node.Node.Output[i];
            if (extra.Length > 0 && node.Op != "Split" && (_consumers.ContainsKey(extra) || _graph.Output.Any(o => o.Name == extra)))
            {
                throw node.Error($"its output #{i} '{extra}' is used; CnnGen computes only the first output of {node.Op} (inference mode).");
            }
        }
    }

    /// <summary>How many nodes read <paramref name="tensor"/>, counting the graph output as one reader.</summary>
    private int Readers(string tensor) =>
        (_consumers.TryGetValue(tensor, out List<NodeContext>? readers) ? readers.Count : 0) + (tensor == _outputName ? 1 : 0);

    /// <summary>The one node that reads <paramref name="tensor"/>, when exactly one does and it is not the graph output.</summary>
    private NodeContext? OnlyReader(string tensor) =>
        Readers(tensor) == 1 && _consumers.TryGetValue(tensor, out List<NodeContext>? readers) ? readers[0] : null;

    // ----- Values ---------------------------------------------------------------------------

    private bool IsComputed(NodeContext node, int index) =>
        node.Node.Input.Count > index && _values.ContainsKey(node.Node.Input[index]);

    /// <summary>The computed tensor that input <paramref name="index"/> of <paramref name="node"/> reads.</summary>
    private TensorValue ValueOf(NodeContext node, int index = 0)
    {
        if (node.Node.Input.Count <= index || node.Node.Input[index].Length == 0)
        {
            throw node.Error($"it has no input #{index}.");
        }
        string name = node.Node.Input[index];
        return _values.TryGetValue(name, out TensorValue? value)
            ? value
            : throw node.Error($"its input '{name}' is a constant where CnnGen expects values computed from the network input.");
    }

    /// <summary>The value with any pending zero padding written as a <see cref="LayerType.Pad"/> layer (once per value).</summary>
    private TensorValue Plain(TensorValue value)
    {
        if (value.Pad is not { } p)
        {
            return value;
        }
        if (_materialized.TryGetValue(value, out TensorValue? done))
        {
            return done;
        }
        var output = new Shape(value.Volume.Width + p.Left + p.Right, value.Volume.Height + p.Top + p.Bottom, value.Volume.Depth);
        PendingLayer layer = AddLayer(
            new LayerInfo(LayerType.Pad, "", value.Volume, output) { PadLeft = p.Left, PadTop = p.Top, PadRight = p.Right, PadBottom = p.Bottom },
            [value.Layer], _padOrigins[value]);
        done = new TensorValue(layer, output, value.Dims);
        _materialized[value] = done;
        return done;
    }

    private readonly Dictionary<TensorValue, TensorValue> _materialized = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TensorValue, string> _padOrigins = new(ReferenceEqualityComparer.Instance);

    /// <summary>Input <paramref name="index"/> as an image [N,C,H,W] (or sequence [N,C,L]) in channel-first layout, as spatial layers need.</summary>
    private TensorValue Spatial(NodeContext node, int index = 0, TensorValue? value = null)
    {
        value = Plain(value ?? ValueOf(node, index));
        if (value.Dims.Length is not (2 or 3) || value.Map is not null || VolumeOf(value.Dims) != value.Volume)
        {
            string why = value.Map is not null
                ? $"its input is in a transposed layout {NodeContext.Format(value.Dims)}"
                : value.Dims.Length < 2 ? $"its input is a flat vector of {value.Dims[0]} values"
                : $"its input {value.Text} is a reshaped view of a {value.Volume} volume";
            throw node.Error($"{why}; {node.Op} needs an image [N,C,H,W] (or a sequence [N,C,L]) in channel-first layout.");
        }
        return value;
    }

    /// <summary>Input <paramref name="index"/> as it is stored (any shape, no transposed layout): what element-wise layers read.</summary>
    private TensorValue Stored(NodeContext node, int index = 0)
    {
        TensorValue value = Plain(ValueOf(node, index));
        if (value.Map is not null)
        {
            throw node.Error($"its input is in a transposed layout {NodeContext.Format(value.Dims)}; CnnGen imports a Transpose only before a flatten and a Gemm/MatMul, or as a channel shuffle.");
        }
        return value;
    }

    /// <summary>The node's first output is <paramref name="value"/>.</summary>
    private void SetOutput(NodeContext node, TensorValue value, int index = 0) => _values[node.Node.Output[index]] = value;

    /// <summary>The node's output is its input, unchanged (Identity, Dropout, a float Cast).</summary>
    private void Alias(NodeContext node) => SetOutput(node, ValueOf(node));

    private string Origin(NodeContext node) => $"{node.Name} ({node.Op})";

    /// <summary>Adds a layer reading <paramref name="inputs"/>' layers; its output is the node's first output, with <paramref name="rank"/> item axes (the first input's by default).</summary>
    private PendingLayer AddLayer(NodeContext node, LayerInfo info, IReadOnlyList<TensorValue> inputs, float[][]? parameters = null, int rank = -1)
    {
        PendingLayer layer = AddLayer(info, inputs.Select(v => v.Layer), Origin(node), parameters ?? []);
        layer.OutputTensor = node.Node.Output[0];
        if (_foldedPad is not null && info.Type is LayerType.Conv or LayerType.AvgPool)
        {
            layer.Origins.Insert(0, _foldedPad);
            _foldedPad = null;
        }
        rank = rank < 0 ? inputs[0].Dims.Length : rank;
        SetOutput(node, new TensorValue(layer, info.Output, DimsOf(info.Output, rank)));
        return layer;
    }

    private PendingLayer AddLayer(LayerInfo info, IEnumerable<PendingLayer?> inputs, string origin, params float[][] parameters)
    {
        var layer = new PendingLayer(info, inputs, origin, parameters);
        if (layer.Inputs.FirstOrDefault(i => i?.Type is LayerType.Softmax or LayerType.LogSoftmax) is { } softmax)
        {
            throw new OnnxImportException(
                $"{origin} reads the output of {softmax.Origins[0]}; CnnGen's {softmax.Type} must be the last layer.", origin, null, null);
        }
        _layers.Add(layer);
        return layer;
    }

    // ----- Constants ------------------------------------------------------------------------

    private void FoldConstant(NodeContext node)
    {
        ConstantValue result = node.Op == "Constant"
            ? ConstantValue.Decode(ConstantNode(node), $"{node.Describe}: value")
            : ConstantFolder.Evaluate(node, i => Constant(node, i), _opset);
        TensorProto tensor = result.Encode(node.Node.Output[0]);
        foreach (string output in node.Node.Output.Take(1))
        {
            _constants[output] = tensor;
        }
    }

    /// <summary>Input <paramref name="index"/> as a constant, or null when the node has no such input.</summary>
    private ConstantValue? Constant(NodeContext node, int index)
    {
        if (node.Node.Input.Count <= index || node.Node.Input[index].Length == 0)
        {
            return null;
        }
        string name = node.Node.Input[index];
        return _constants.TryGetValue(name, out TensorProto? t)
            ? ConstantValue.Decode(t, $"{node.Describe}: '{name}'")
            : throw node.Error($"its input '{name}' is computed at run time; CnnGen needs it as a constant.");
    }

    private static TensorProto ConstantNode(NodeContext node)
    {
        node.OnlyKnown("value", "value_float", "value_floats", "value_int", "value_ints");
        if (node.Raw("value") is { } value)
        {
            return value.T ?? throw node.Error("has no tensor.", "value");
        }
        if (node.Raw("value_float") is { } f)
        {
            return new ConstantValue([], null, [f.F]).Encode(node.Name);
        }
        if (node.Raw("value_floats") is { } fs)
        {
            return new ConstantValue([fs.Floats.Count], null, fs.Floats.ToArray()).Encode(node.Name);
        }
        if (node.Raw("value_int") is { } i)
        {
            return new ConstantValue([], [i.I], null).Encode(node.Name);
        }
        if (node.Ints("value_ints") is { } ints)
        {
            return new ConstantValue([ints.Length], ints, null).Encode(node.Name);
        }
        throw node.Error("a Constant without a value (CnnGen reads value, value_float(s) and value_int(s)).");
    }

    private ConstantTensor Float(NodeContext node, string name, string role)
    {
        if (!_constants.TryGetValue(name, out TensorProto? tensor))
        {
            throw node.Error($"its {role} '{name}' is computed at run time; CnnGen needs it as an initializer (a constant).");
        }
        return TensorData.ToFloat(tensor, $"{node.Describe}: {role} '{name}'");
    }

    private ConstantTensor? OptionalFloat(NodeContext node, int index, string role) =>
        node.Node.Input.Count > index && node.Node.Input[index].Length > 0 ? Float(node, node.Node.Input[index], role) : null;

    /// <summary>An integer constant input (a shape, pads, axes), or null when the node has no such input.</summary>
    private long[]? OptionalInts(NodeContext node, int index, string role)
    {
        if (node.Node.Input.Count <= index || node.Node.Input[index].Length == 0)
        {
            return null;
        }
        string name = node.Node.Input[index];
        if (!_constants.TryGetValue(name, out TensorProto? tensor))
        {
            throw node.Error($"its {role} '{name}' is computed at run time from values, not shapes; CnnGen needs it fixed when the model is imported.");
        }
        return TensorData.ToInt64(tensor, $"{node.Describe}: {role} '{name}'");
    }

    // ----- Result ---------------------------------------------------------------------------

    private void CheckDeclaredOutput(ValueInfoProto output, TensorValue value)
    {
        var dims = output.Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count == 0 || dims.Skip(1).Any(d => !d.HasDimValue))
        {
            return;
        }
        long[] declared = dims.Skip(1).Select(d => d.DimValue).ToArray();
        if (!declared.SequenceEqual(value.Dims))
        {
            throw new OnnxImportException(
                $"The graph declares its output '{output.Name}' as [N,{string.Join(",", declared)}] but its layers compute {value.Text}: the model's shapes disagree with its weights or attributes.");
        }
    }

    private ImportedNetwork Build(Shape inputVolume, string inputName, TensorValue output)
    {
        // Only the layers the output depends on (a branch whose result nothing reads is dropped), in graph order.
        var needed = new HashSet<PendingLayer>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<PendingLayer>([output.Layer!]);
        while (stack.Count > 0)
        {
            PendingLayer l = stack.Pop();
            if (needed.Add(l))
            {
                foreach (PendingLayer? i in l.Inputs)
                {
                    if (i is not null)
                    {
                        stack.Push(i);
                    }
                }
            }
        }
        var kept = _layers.Where(needed.Contains).ToList();

        var counts = new Dictionary<LayerType, int>();
        var names = new Dictionary<PendingLayer, string>(ReferenceEqualityComparer.Instance);
        var layers = new List<LayerInfo>(kept.Count);
        var origins = new List<string>(kept.Count);
        var parameters = new List<float>();
        foreach (PendingLayer p in kept)
        {
            counts.TryGetValue(p.Type, out int n);
            counts[p.Type] = ++n;
            string name = LayerMath.DefaultName(LayerMath.NamePrefix(p.Type.ToString()), n);
            names[p] = name;
            int offset = parameters.Count;
            foreach (float[] values in p.Parameters)
            {
                parameters.AddRange(values);
            }
            if (p.Parameters.Count > 0)
            {
                Warn(name, p);
            }
            int count = parameters.Count - offset;
            layers.Add(p.Info with
            {
                Name = name,
                Inputs = p.Inputs.Select(i => i is null ? LayerInfo.NetworkInput : names[i]).ToArray(),
                ParameterOffset = count == 0 ? 0 : offset,
                ParameterCount = count,
                MultiplyAdds = MultiplyAdds(p),
            });
            origins.Add(string.Join(" + ", p.Origins));
        }
        var summary = new ModelSummary(
            _options.SourceName,
            _model.ProducerName ?? "",
            _model.ProducerVersion ?? "",
            _graph.Name ?? "",
            _opset,
            _model.IrVersion,
            inputName,
            _outputName,
            _batch,
            output.Dims.Select(d => (int)d).ToArray());
        return new ImportedNetwork(inputVolume, layers, origins, parameters.ToArray(), _warnings, summary);
    }

    /// <summary>Multiply-adds of the kernels: each output of a Conv or FC reads its row of weights once; each input of a ConvTranspose scatters its row.</summary>
    private static long MultiplyAdds(PendingLayer p) => p.Type switch
    {
        LayerType.Conv or LayerType.FullyConnected => LayerMath.MultiplyAdds(p.Weights.Length, p.Output.Width, p.Output.Height),
        LayerType.ConvTranspose => LayerMath.MultiplyAdds(p.Weights.Length, p.Input.Width, p.Input.Height),
        _ => 0,
    };

    private void Warn(string name, PendingLayer layer)
    {
        int nan = 0, infinite = 0, total = 0;
        foreach (float v in layer.Parameters.SelectMany(p => p))
        {
            nan += float.IsNaN(v) ? 1 : 0;
            infinite += float.IsInfinity(v) ? 1 : 0;
            total++;
        }
        if (nan + infinite > 0)
        {
            _warnings.Add(string.Format(
                CultureInfo.InvariantCulture,
                "{0} (from {1}) has {2} NaN and {3} infinite parameter(s) of {4}: its outputs will be NaN or infinite.",
                name, string.Join(" + ", layer.Origins), nan, infinite, total));
        }
    }
}
