using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CnnGen.Geometry;
using CnnGen.Onnx.Protos;

namespace CnnGen.Onnx.Import;

/// <summary>
/// Walks an ONNX graph as a single chain of operators from its one input to its one output and
/// turns it into CnnGen layers: Conv, Relu, pools, Gemm/MatMul as fully connected layers, Softmax;
/// folds BatchNormalization and constant Add/Sub into the preceding Conv or Gemm; treats Flatten,
/// flattening Reshape, Transpose before a flatten, Identity and Dropout as layout or no-ops.
/// Anything else is an <see cref="OnnxImportException"/> naming the node, operator and attribute.
/// </summary>
internal sealed class GraphImporter
{
    private static readonly string[] PoolAttributes = ["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"];
    private static readonly string[] AvgPoolAttributes = ["auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"];

    private readonly ModelProto _model;
    private readonly GraphProto _graph;
    private readonly OnnxImportOptions _options;
    private readonly long _opset;
    private readonly Dictionary<string, TensorProto> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeContext>> _consumers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _produced = new(StringComparer.Ordinal);
    private readonly List<PendingLayer> _layers = new();
    private readonly List<string> _warnings = new();

    // The value flowing down the chain.
    private string _current = "";
    private int _batch;               // fixed batch size, or 0 when symbolic
    private int[] _dims = [];         // ONNX shape of one item (without the batch axis)
    private int[]? _map;              // row-major position in _dims → index in CnnGen's C,H,W buffer; null = identity
    private Shape _volume;            // CnnGen's current volume
    private PendingLayer? _foldable;  // the Conv or FC whose raw output is _current (BatchNorm/Add can fold into it)

    public GraphImporter(ModelProto model, long opset, OnnxImportOptions options)
    {
        _model = model;
        _graph = model.Graph;
        _options = options;
        _opset = opset;
    }

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
        ReadInputShape(input);
        Shape inputVolume = _volume;
        _current = input.Name;

        if (_graph.Output.Count != 1)
        {
            throw new OnnxImportException(
                $"The graph has {_graph.Output.Count} outputs ({string.Join(", ", _graph.Output.Select(o => "'" + o.Name + "'"))}); a CnnGen network has exactly one.");
        }
        string outputName = _graph.Output[0].Name;

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
        if (_constants.ContainsKey(outputName))
        {
            throw new OnnxImportException($"The graph output '{outputName}' is a constant, not computed from the input.");
        }

        foreach (NodeContext node in nodes)
        {
            Visit(node);
        }

        if (_current != outputName)
        {
            throw new OnnxImportException(
                $"The graph output '{outputName}' is not the end of the chain of layers that starts at input '{input.Name}' (the chain ends at '{_current}'): the graph is not a single sequence of layers.");
        }
        if (_layers.Count == 0)
        {
            throw new OnnxImportException(
                "The graph has no layer CnnGen can generate (it only reshapes or copies its input); a CnnGen network needs at least one Conv, Relu, pool, fully connected or Softmax layer.");
        }
        if (_map is not null)
        {
            throw new OnnxImportException(
                $"The graph output '{outputName}' is left in a transposed layout {NodeContext.Format(_dims)}; CnnGen writes its output in C,H,W order, so it can import a Transpose only when a flatten and a Gemm/MatMul follow it.");
        }
        CheckDeclaredOutput(_graph.Output[0]);
        return Build(inputVolume, input.Name, outputName);
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

    private void ReadInputShape(ValueInfoProto input)
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
        _dims = new int[dims.Count - 1];
        for (int i = 1; i < dims.Count; i++)
        {
            var d = dims[i];
            if (!d.HasDimValue || d.DimValue < 1 || d.DimValue > int.MaxValue)
            {
                string what = d.HasDimParam ? $"symbolic ('{d.DimParam}')" : d.HasDimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : "unknown";
                throw new OnnxImportException(
                    $"The graph input '{input.Name}' has a {what} {axisNames[i - 1]} dimension; CnnGen networks have fixed sizes. Export the model with a fixed input size (only the batch axis may be symbolic).");
            }
            _dims[i - 1] = (int)d.DimValue;
        }
        _volume = VolumeOf(_dims);
    }

    private static Shape VolumeOf(int[] dims) => dims.Length switch
    {
        3 => new Shape(dims[2], dims[1], dims[0]),
        2 => new Shape(dims[1], 1, dims[0]),
        _ => new Shape(1, 1, dims[0]),
    };

    private long ItemLength => _volume.Length;

    private void Visit(NodeContext node)
    {
        if (!string.IsNullOrEmpty(node.Node.Domain) && node.Node.Domain != "ai.onnx")
        {
            throw node.Error($"the operator comes from domain '{node.Node.Domain}', not the standard ONNX operator set; CnnGen imports only standard operators.");
        }
        var inputs = node.Node.Input.Where(n => n.Length > 0).ToList();
        foreach (string name in inputs)
        {
            if (!_constants.ContainsKey(name) && !_produced.Contains(name) && name != _current && !_graph.Input.Any(i => i.Name == name))
            {
                throw node.Error($"input '{name}' is neither an initializer, a graph input nor the output of another node: the model is missing an initializer.");
            }
        }
        var dataInputs = inputs.Where(n => !_constants.ContainsKey(n)).Distinct().ToList();

        if (dataInputs.Count == 0)
        {
            FoldConstant(node);
            return;
        }
        if (dataInputs.Count > 1 || dataInputs[0] != _current)
        {
            string reads = string.Join(" and ", dataInputs.Select(n => "'" + n + "'"));
            throw node.Error(dataInputs.Count > 1
                ? $"it reads {reads}, values that are both computed from the input: the graph branches (e.g. a residual connection), and CnnGen imports only a single chain of layers."
                : $"it reads {reads}, which is not the output of the previous layer ('{_current}'): the graph branches, and CnnGen imports only a single chain of layers.");
        }
        CheckSingleConsumer(node);
        CheckUnusedExtraOutputs(node);

        switch (node.Op)
        {
            case "Conv": Conv(node); break;
            case "Relu": Relu(node); break;
            case "MaxPool": Pool(node, LayerType.MaxPool); break;
            case "AveragePool": Pool(node, LayerType.AvgPool); break;
            case "GlobalMaxPool": GlobalPool(node, LayerType.MaxPool); break;
            case "GlobalAveragePool": GlobalPool(node, LayerType.AvgPool); break;
            case "Gemm": Gemm(node); break;
            case "MatMul": MatMul(node); break;
            case "Add": AddBias(node, subtract: false); break;
            case "Sub": AddBias(node, subtract: true); break;
            case "BatchNormalization": BatchNorm(node); break;
            case "Softmax": Softmax(node); break;
            case "Flatten": Flatten(node); break;
            case "Reshape": Reshape(node); break;
            case "Transpose": Transpose(node); break;
            case "Identity": node.OnlyKnown(); break;
            case "Dropout": Dropout(node); break;
            default:
                throw node.Error(UnsupportedMessage(node.Op));
        }
        _current = node.Node.Output[0];
    }

    private static string UnsupportedMessage(string op) => op switch
    {
        "Shape" or "Gather" or "Concat" or "Unsqueeze" =>
            "the model computes a shape at run time (as x.view(x.size(0), -1) exports); CnnGen needs fixed shapes. Re-export with torch.flatten(x, 1) or with do_constant_folding=True.",
        _ => $"CnnGen cannot represent the operator {op}. It imports Conv, Relu, MaxPool, AveragePool, GlobalMaxPool, GlobalAveragePool, Gemm, MatMul (+ Add), BatchNormalization after Conv/Gemm, Flatten, flattening Reshape/Transpose, Softmax, Identity and Dropout.",
    };

    private void CheckSingleConsumer(NodeContext node)
    {
        if (_consumers.TryGetValue(_current, out List<NodeContext>? readers) && readers.Count > 1)
        {
            NodeContext? shape = readers.FirstOrDefault(r => r.Op == "Shape");
            if (shape is not null)
            {
                throw shape.Error(UnsupportedMessage("Shape"));
            }
            throw node.Error(
                $"'{_current}' is read by {readers.Count} nodes ({string.Join(", ", readers.Select(r => "'" + r.Name + "' (" + r.Op + ")"))}): the graph branches, and CnnGen imports only a single chain of layers.");
        }
    }

    private void CheckUnusedExtraOutputs(NodeContext node)
    {
        for (int i = 1; i < node.Node.Output.Count; i++)
        {
            string extra = node.Node.Output[i];
            if (extra.Length > 0 && (_consumers.ContainsKey(extra) || _graph.Output.Any(o => o.Name == extra)))
            {
                throw node.Error($"its output #{i} '{extra}' is used; CnnGen computes only the first output of {node.Op} (inference mode).");
            }
        }
    }

    // ----- Constants ------------------------------------------------------------------------

    private void FoldConstant(NodeContext node)
    {
        TensorProto result;
        switch (node.Op)
        {
            case "Constant":
                node.OnlyKnown("value", "value_float", "value_floats", "value_int", "value_ints");
                result = ConstantValue(node);
                break;
            case "Identity":
                result = _constants[node.Node.Input[0]];
                break;
            case "Reshape":
            {
                TensorProto data = _constants[node.Node.Input[0]];
                long count = TensorData.ElementCount(data, $"{node.Describe}: '{node.Node.Input[0]}'");
                long[] shape = ReshapeTarget(node);
                long[] dims = ResolveReshape(node, data.Dims.ToArray(), shape, count);
                result = data.Clone();
                result.Dims.Clear();
                result.Dims.AddRange(dims);
                break;
            }
            case "Transpose":
            {
                ConstantTensor data = Float(node, node.Node.Input[0], "input");
                if (data.Dims.Length != 2)
                {
                    throw node.Error($"it transposes a constant of shape {data.DimsText}; CnnGen folds transposes of 2-D constants only.");
                }
                long[]? perm = node.Ints("perm");
                if (perm is not null && !(perm.Length == 2 && perm[0] == 1 && perm[1] == 0))
                {
                    if (perm.Length == 2 && perm[0] == 0 && perm[1] == 1)
                    {
                        result = _constants[node.Node.Input[0]];
                        break;
                    }
                    throw node.Error($"perm {NodeContext.Format(perm)} is not a permutation of a 2-D constant.", "perm");
                }
                int rows = (int)data.Dims[0], cols = (int)data.Dims[1];
                var t = new float[data.Values.Length];
                for (int r = 0; r < rows; r++)
                {
                    for (int c = 0; c < cols; c++)
                    {
                        t[c * rows + r] = data.Values[r * cols + c];
                    }
                }
                result = FloatTensor(data.Name, [cols, rows], t);
                break;
            }
            default:
                throw node.Error($"it computes {node.Op} on constants only; CnnGen folds Constant, Identity, Reshape and 2-D Transpose of initializers, nothing else.");
        }
        foreach (string output in node.Node.Output.Take(1))
        {
            _constants[output] = result;
        }
    }

    private static TensorProto FloatTensor(string name, long[] dims, float[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        return t;
    }

    private static TensorProto ConstantValue(NodeContext node)
    {
        if (node.Raw("value") is { } value)
        {
            return value.T ?? throw node.Error("has no tensor.", "value");
        }
        if (node.Raw("value_float") is { } f)
        {
            return FloatTensor(node.Name, [], [f.F]);
        }
        if (node.Raw("value_floats") is { } fs)
        {
            return FloatTensor(node.Name, [fs.Floats.Count], fs.Floats.ToArray());
        }
        long[]? ints = node.Raw("value_int") is { } i ? [i.I] : node.Ints("value_ints");
        if (ints is not null)
        {
            var t = new TensorProto { Name = node.Name, DataType = (int)TensorProto.Types.DataType.Int64 };
            if (node.Has("value_ints"))
            {
                t.Dims.Add(ints.Length);
            }
            t.Int64Data.AddRange(ints);
            return t;
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

    // ----- Layers -------------------------------------------------------------------------

    private string Origin(NodeContext node) => $"{node.Name} ({node.Op})";

    private void AddLayer(PendingLayer layer)
    {
        if (_layers.Count > 0 && _layers[^1].Type == LayerType.Softmax)
        {
            throw new OnnxImportException(
                $"{layer.Origins[0]} comes after a Softmax; CnnGen's Softmax must be the last layer.", layer.Origins[0], null, null);
        }
        _layers.Add(layer);
        _volume = layer.Output;
        _foldable = layer.Type is LayerType.Conv or LayerType.FullyConnected ? layer : null;
    }

    /// <summary>Checks that the value is an image (or sequence) in plain C,H,W layout, as spatial layers need.</summary>
    private void RequireSpatial(NodeContext node)
    {
        if (_dims.Length < 2 || _map is not null)
        {
            string why = _map is not null
                ? $"its input is in a transposed layout {NodeContext.Format(_dims)}"
                : $"its input is a flat vector of {_dims[0]} values";
            throw node.Error($"{why}; {node.Op} needs an image [N,C,H,W] (or a sequence [N,C,L]) in channel-first layout.");
        }
    }

    /// <summary>Reads a per-axis attribute (kernel, strides, dilations) for 1 or 2 spatial axes as (x, y).</summary>
    private (int X, int Y) Pair(NodeContext node, string name, long[]? values, int fallback)
    {
        int spatial = _dims.Length - 1;
        if (values is null)
        {
            return (fallback, fallback);
        }
        if (values.Length != spatial)
        {
            throw node.Error($"{NodeContext.Format(values)} has {values.Length} values for {spatial} spatial axes.", name);
        }
        foreach (long v in values)
        {
            if (v < 1 || v > int.MaxValue)
            {
                throw node.Error($"{NodeContext.Format(values)} must hold positive values.", name);
            }
        }
        return spatial == 2 ? ((int)values[1], (int)values[0]) : ((int)values[0], 1);
    }

    private sealed record Window(int KernelX, int KernelY, int StrideX, int StrideY, int DilationX, int DilationY, int Left, int Top, int Right, int Bottom, bool Ceil, Shape Output);

    private Window ReadWindow(NodeContext node, int kernelX, int kernelY, int depth, bool ceil)
    {
        (int strideX, int strideY) = Pair(node, "strides", node.Ints("strides"), 1);
        (int dilationX, int dilationY) = Pair(node, "dilations", node.Ints("dilations"), 1);
        int width = _volume.Width, height = _volume.Height;
        string autoPad = node.String("auto_pad", "NOTSET");
        int left = 0, top = 0, right = 0, bottom = 0;
        switch (autoPad)
        {
            case "NOTSET" or "":
                long[]? pads = node.Ints("pads");
                if (pads is not null)
                {
                    int spatial = _dims.Length - 1;
                    if (pads.Length != 2 * spatial)
                    {
                        throw node.Error($"{NodeContext.Format(pads)} has {pads.Length} values; {node.Op} on {spatial} spatial axes needs {2 * spatial} (begin values, then end values). Padding of the batch or channel axes cannot be represented.", "pads");
                    }
                    if (pads.Any(p => p < 0 || p > int.MaxValue))
                    {
                        throw node.Error($"{NodeContext.Format(pads)} has a negative value (cropping), which CnnGen cannot represent.", "pads");
                    }
                    if (spatial == 2)
                    {
                        (top, left, bottom, right) = ((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]);
                    }
                    else
                    {
                        (left, right) = ((int)pads[0], (int)pads[1]);
                    }
                }
                break;
            case "VALID":
                ceil = false;
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                (left, right) = AutoPad.Same(width, kernelX, strideX, dilationX, autoPad == "SAME_UPPER");
                (top, bottom) = AutoPad.Same(height, kernelY, strideY, dilationY, autoPad == "SAME_UPPER");
                ceil = false;
                break;
            default:
                throw node.Error($"'{autoPad}' is not a value CnnGen knows (NOTSET, VALID, SAME_UPPER, SAME_LOWER).", "auto_pad");
        }
        long outX = LayerMath.OutputSize(width, kernelX, strideX, left, right, dilationX, ceil);
        long outY = LayerMath.OutputSize(height, kernelY, strideY, top, bottom, dilationY, ceil);
        if (outX < 1 || outY < 1)
        {
            throw node.Error(
                $"the {kernelX}×{kernelY} window (dilation {dilationX}×{dilationY}) does not fit the {width}×{height} input padded by left {left}, top {top}, right {right}, bottom {bottom}.",
                "kernel_shape");
        }
        return new Window(kernelX, kernelY, strideX, strideY, dilationX, dilationY, left, top, right, bottom, ceil,
            new Shape((int)outX, (int)outY, depth));
    }

    private void Conv(NodeContext node)
    {
        node.OnlyKnown("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        RequireSpatial(node);
        long group = node.Int("group", 1);
        if (group != 1)
        {
            throw node.Error($"group = {group} (a grouped or depthwise convolution); CnnGen's Conv connects every input channel to every filter (group = 1).", "group");
        }
        if (node.Node.Input.Count < 2)
        {
            throw node.Error("it has no weight input.");
        }
        ConstantTensor weight = Float(node, node.Node.Input[1], "weight");
        int spatial = _dims.Length - 1;
        if (weight.Dims.Length != 2 + spatial)
        {
            throw node.Error($"its weight '{weight.Name}' has shape {weight.DimsText}; a {spatial}-D convolution needs [filters, channels{(spatial == 2 ? ", height, width" : ", length")}].");
        }
        int filters = (int)weight.Dims[0];
        int kernelY = spatial == 2 ? (int)weight.Dims[2] : 1;
        int kernelX = (int)weight.Dims[^1];
        if (weight.Dims[1] != _volume.Depth)
        {
            throw node.Error($"its weight '{weight.Name}' has shape {weight.DimsText}, i.e. {weight.Dims[1]} input channels, but its input has {_volume.Depth} channels: the weights disagree with the graph.");
        }
        if (filters < 1 || kernelX < 1 || kernelY < 1)
        {
            throw node.Error($"its weight '{weight.Name}' has an empty shape {weight.DimsText}.");
        }
        long[]? kernelShape = node.Ints("kernel_shape");
        if (kernelShape is not null)
        {
            (int kx, int ky) = Pair(node, "kernel_shape", kernelShape, 1);
            if (kx != kernelX || ky != kernelY)
            {
                throw node.Error($"{NodeContext.Format(kernelShape)} disagrees with the weight '{weight.Name}' of shape {weight.DimsText}.", "kernel_shape");
            }
        }
        ConstantTensor? bias = OptionalFloat(node, 2, "bias");
        if (bias is not null && bias.Values.Length != filters)
        {
            throw node.Error($"its bias '{bias.Name}' has shape {bias.DimsText} ({bias.Values.Length} values) but the layer has {filters} filters: the weights disagree with the graph.");
        }
        Window w = ReadWindow(node, kernelX, kernelY, filters, ceil: false);
        var layer = new PendingLayer(LayerType.Conv, _volume, w.Output, Origin(node))
        {
            KernelWidth = kernelX,
            KernelHeight = kernelY,
            StrideX = w.StrideX,
            StrideY = w.StrideY,
            DilationX = w.DilationX,
            DilationY = w.DilationY,
            PadLeft = w.Left,
            PadTop = w.Top,
            PadRight = w.Right,
            PadBottom = w.Bottom,
            Weights = (float[])weight.Values.Clone(),
            Bias = bias is null ? new float[filters] : (float[])bias.Values.Clone(),
        };
        AddLayer(layer);
        _dims = spatial == 2 ? [filters, w.Output.Height, w.Output.Width] : [filters, w.Output.Width];
    }

    private void Relu(NodeContext node)
    {
        node.OnlyKnown();
        AddLayer(new PendingLayer(LayerType.Relu, _volume, _volume, Origin(node)));
    }

    private void Pool(NodeContext node, LayerType type)
    {
        node.OnlyKnown(type == LayerType.MaxPool ? PoolAttributes : AvgPoolAttributes);
        RequireSpatial(node);
        long[] kernel = node.Ints("kernel_shape") ?? throw node.Error("the required attribute is missing.", "kernel_shape");
        (int kernelX, int kernelY) = Pair(node, "kernel_shape", kernel, 1);
        long[]? dilations = node.Ints("dilations");
        if (dilations is not null && dilations.Any(d => d != 1))
        {
            throw node.Error($"{NodeContext.Format(dilations)}: CnnGen's pools have no dilation (only Conv has).", "dilations");
        }
        long ceilMode = node.Int("ceil_mode", 0);
        if (ceilMode is not (0 or 1))
        {
            throw node.Error($"{ceilMode} is neither 0 nor 1.", "ceil_mode");
        }
        long countIncludePad = type == LayerType.AvgPool ? node.Int("count_include_pad", 0) : 0;
        if (countIncludePad is not (0 or 1))
        {
            throw node.Error($"{countIncludePad} is neither 0 nor 1.", "count_include_pad");
        }
        Window w = ReadWindow(node, kernelX, kernelY, _volume.Depth, ceilMode == 1);
        if (w.Left >= kernelX || w.Right >= kernelX || w.Top >= kernelY || w.Bottom >= kernelY)
        {
            throw node.Error(
                $"padding (left {w.Left}, top {w.Top}, right {w.Right}, bottom {w.Bottom}) is not smaller than the {kernelX}×{kernelY} window; CnnGen needs pool padding below the window so no window sees only padding.",
                node.Has("pads") ? "pads" : "auto_pad");
        }
        var layer = new PendingLayer(type, _volume, w.Output, Origin(node))
        {
            KernelWidth = kernelX,
            KernelHeight = kernelY,
            StrideX = w.StrideX,
            StrideY = w.StrideY,
            PadLeft = w.Left,
            PadTop = w.Top,
            PadRight = w.Right,
            PadBottom = w.Bottom,
            CeilMode = w.Ceil,
            // ONNX's default (count_include_pad = 0) divides by the real elements; CnnGen's default by the whole window.
            ExcludePadding = type == LayerType.AvgPool && countIncludePad == 0,
        };
        AddLayer(layer);
        _dims = _dims.Length == 3 ? [_volume.Depth, w.Output.Height, w.Output.Width] : [_volume.Depth, w.Output.Width];
    }

    private void GlobalPool(NodeContext node, LayerType type)
    {
        node.OnlyKnown();
        RequireSpatial(node);
        var layer = new PendingLayer(type, _volume, new Shape(1, 1, _volume.Depth), Origin(node))
        {
            KernelWidth = _volume.Width,
            KernelHeight = _volume.Height,
            StrideX = _volume.Width,
            StrideY = _volume.Height,
        };
        AddLayer(layer);
        _dims = _dims.Length == 3 ? [_volume.Depth, 1, 1] : [_volume.Depth, 1];
    }

    /// <summary>The CnnGen (C,H,W) index of each input position of a fully connected layer.</summary>
    private int CnnIndex(int position) => _map is null ? position : _map[position];

    private void RequireFlat(NodeContext node)
    {
        if (_dims.Length != 1)
        {
            throw node.Error(
                $"its input has shape [N,{string.Join(",", _dims)}]; CnnGen imports {node.Op} only on a flat [N,K] vector (after Flatten or a flattening Reshape).");
        }
    }

    private void Gemm(NodeContext node)
    {
        node.OnlyKnown("alpha", "beta", "transA", "transB");
        RequireFlat(node);
        if (node.Node.Input[0] != _current)
        {
            throw node.Error("the data flows into input B; CnnGen imports Gemm with the activations as input A.");
        }
        if (node.Int("transA", 0) != 0)
        {
            throw node.Error("transA = 1 would treat the activations [N,K] as a column; CnnGen imports Gemm with transA = 0.", "transA");
        }
        bool transB = node.Int("transB", 0) != 0;
        float alpha = node.Float("alpha", 1f), beta = node.Float("beta", 1f);
        ConstantTensor b = Float(node, node.Node.Input[1], "weight B");
        int inputs = (int)ItemLength;
        if (b.Dims.Length != 2 || b.Dims[transB ? 1 : 0] != inputs)
        {
            throw node.Error(
                $"its weight B '{b.Name}' has shape {b.DimsText}, but with transB = {(transB ? 1 : 0)} and {inputs} inputs it should be {(transB ? $"[outputs,{inputs}]" : $"[{inputs},outputs]")}: the weights disagree with the graph.");
        }
        int outputs = (int)b.Dims[transB ? 0 : 1];
        var weights = new float[(long)outputs * inputs];
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                float v = transB ? b.Values[(long)o * inputs + i] : b.Values[(long)i * outputs + o];
                weights[(long)o * inputs + CnnIndex(i)] = alpha * v;
            }
        }
        var bias = new float[outputs];
        ConstantTensor? c = OptionalFloat(node, 2, "bias C");
        if (c is not null)
        {
            float[] row = BiasRow(node, c, outputs, "bias C", "beta");
            for (int o = 0; o < outputs; o++)
            {
                bias[o] = beta * row[o];
            }
        }
        AddFullyConnected(node, inputs, outputs, weights, bias);
    }

    private void MatMul(NodeContext node)
    {
        node.OnlyKnown();
        RequireFlat(node);
        if (node.Node.Input[0] != _current)
        {
            throw node.Error("the activations are its second input (W·x); CnnGen imports MatMul as x·W with the weights second.");
        }
        ConstantTensor b = Float(node, node.Node.Input[1], "weight");
        int inputs = (int)ItemLength;
        if (b.Dims.Length != 2 || b.Dims[0] != inputs)
        {
            throw node.Error($"its weight '{b.Name}' has shape {b.DimsText}, but with {inputs} inputs it should be [{inputs},outputs]: the weights disagree with the graph.");
        }
        int outputs = (int)b.Dims[1];
        var weights = new float[(long)outputs * inputs];
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                weights[(long)o * inputs + CnnIndex(i)] = b.Values[(long)i * outputs + o];
            }
        }
        AddFullyConnected(node, inputs, outputs, weights, new float[outputs]);
    }

    private void AddFullyConnected(NodeContext node, int inputs, int outputs, float[] weights, float[] bias)
    {
        if (outputs < 1)
        {
            throw node.Error("it has no outputs.");
        }
        AddLayer(new PendingLayer(LayerType.FullyConnected, _volume, new Shape(1, 1, outputs), Origin(node))
        {
            Weights = weights,
            Bias = bias,
        });
        _dims = [outputs];
        _map = null;
    }

    /// <summary>A bias that broadcasts to [N, outputs]: a scalar, [outputs], [1,outputs], or [N,outputs] with equal rows.</summary>
    private float[] BiasRow(NodeContext node, ConstantTensor c, int outputs, string role, string? attribute)
    {
        long[] d = c.Dims;
        bool ok = d.Length <= 2 && (d.Length == 0 || d[^1] == outputs || d[^1] == 1);
        if (!ok)
        {
            throw node.Error($"its {role} '{c.Name}' has shape {c.DimsText}, which does not broadcast to [N,{outputs}]: the weights disagree with the graph.");
        }
        int width = d.Length == 0 ? 1 : (int)d[^1];
        int rows = d.Length == 2 ? (int)d[0] : 1;
        if (rows > 1)
        {
            for (int r = 1; r < rows; r++)
            {
                for (int o = 0; o < width; o++)
                {
                    if (BitConverter.SingleToInt32Bits(c.Values[r * width + o]) != BitConverter.SingleToInt32Bits(c.Values[o]))
                    {
                        throw node.Error(
                            $"its {role} '{c.Name}' has shape {c.DimsText}: a different bias for each of the {rows} batch rows. A CnnGen network runs one item at a time with one bias per output, so it can only import a bias that is the same for every row.");
                    }
                }
            }
        }
        var row = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            row[o] = c.Values[width == 1 ? 0 : o];
        }
        return row;
    }

    private void AddBias(NodeContext node, bool subtract)
    {
        node.OnlyKnown();
        string constantName = node.Node.Input.First(n => n != _current);
        if (subtract && node.Node.Input[0] != _current)
        {
            throw node.Error("it subtracts the activations from a constant; CnnGen can fold only x − constant into a bias.");
        }
        PendingLayer layer = _foldable ?? throw node.Error(
            $"it {(subtract ? "subtracts" : "adds")} a constant that does not directly follow a Conv, Gemm or MatMul; CnnGen can only fold such a constant into that layer's bias.");
        ConstantTensor c = Float(node, constantName, "constant");
        float[] bias = layer.Bias!;
        float[] values;
        if (layer.Type == LayerType.FullyConnected)
        {
            values = BiasRow(node, c, bias.Length, "constant", null);
        }
        else
        {
            // Per-channel: broadcasts to [N, C, H, W] (or [N, C, L]) with 1 on every spatial axis.
            long[] d = c.Dims;
            int rank = _dims.Length + 1;
            int channelAxisFromEnd = _dims.Length; // 1-based from the end
            bool ok = d.Length <= rank;
            for (int k = 1; ok && k <= d.Length; k++)
            {
                long size = d[^k];
                ok = k < channelAxisFromEnd ? size == 1 : k == channelAxisFromEnd ? size == 1 || size == bias.Length : size == 1;
            }
            if (!ok)
            {
                throw node.Error($"its constant '{c.Name}' has shape {c.DimsText}, which is not one value per channel ([C,1,1] or [1,C,1,1]); CnnGen can only fold a per-channel constant into the Conv's bias.");
            }
            values = new float[bias.Length];
            for (int i = 0; i < bias.Length; i++)
            {
                values[i] = c.Values.Length == 1 ? c.Values[0] : c.Values[i];
            }
        }
        for (int i = 0; i < bias.Length; i++)
        {
            bias[i] = subtract ? bias[i] - values[i] : bias[i] + values[i];
        }
        layer.Origins.Add(Origin(node));
    }

    private void BatchNorm(NodeContext node)
    {
        node.OnlyKnown("epsilon", "momentum", "spatial", "training_mode", "is_test", "consumed_inputs");
        if (node.Int("training_mode", 0) != 0)
        {
            throw node.Error("training_mode = 1 normalizes with the batch's own statistics; CnnGen folds only inference-mode BatchNormalization.", "training_mode");
        }
        if (node.Int("spatial", 1) != 1)
        {
            throw node.Error("spatial = 0 (per-position statistics) cannot be folded into a Conv.", "spatial");
        }
        PendingLayer layer = _foldable ?? throw node.Error(
            "it does not directly follow a Conv, Gemm or MatMul; CnnGen can only fold BatchNormalization into the weights of the layer before it.");
        if (node.Node.Input.Count < 5)
        {
            throw node.Error($"it has {node.Node.Input.Count} inputs; BatchNormalization needs X, scale, B, mean and var.");
        }
        int channels = layer.Rows;
        float[] Param(int index, string role)
        {
            ConstantTensor t = Float(node, node.Node.Input[index], role);
            if (t.Values.Length != channels)
            {
                throw node.Error($"its {role} '{t.Name}' has shape {t.DimsText} but the layer before it has {channels} channels: the weights disagree with the graph.");
            }
            return t.Values;
        }
        float[] scale = Param(1, "scale"), shift = Param(2, "B"), mean = Param(3, "mean"), variance = Param(4, "var");
        double epsilon = node.Float("epsilon", 1e-5f);
        float[] weights = layer.Weights!, bias = layer.Bias!;
        int perRow = weights.Length / channels;
        for (int c = 0; c < channels; c++)
        {
            double factor = scale[c] / Math.Sqrt(variance[c] + epsilon);
            for (int i = 0; i < perRow; i++)
            {
                weights[(long)c * perRow + i] = (float)(weights[(long)c * perRow + i] * factor);
            }
            bias[c] = (float)((bias[c] - mean[c]) * factor + shift[c]);
        }
        layer.Origins.Add(Origin(node));
    }

    private void Softmax(NodeContext node)
    {
        node.OnlyKnown("axis");
        int rank = _dims.Length + 1;
        long axis = node.Int("axis", _opset >= 13 ? -1 : 1);
        if (axis < -rank || axis >= rank)
        {
            throw node.Error($"{axis} is outside the input's {rank} axes.", "axis");
        }
        if (axis < 0)
        {
            axis += rank;
        }
        bool wholeItem;
        if (_opset < 13)
        {
            // Opset < 13 flattens to [prod(dims < axis), prod(dims ≥ axis)] and normalizes each row.
            wholeItem = (axis >= 1 || _batch == 1) && _dims.Take((int)Math.Max(axis - 1, 0)).All(d => d == 1);
        }
        else
        {
            // Opset ≥ 13 normalizes along one axis: the whole item only when every other axis has size 1.
            wholeItem = axis >= 1 && _dims.Where((d, i) => i != axis - 1).All(d => d == 1)
                || axis == 0 && _batch == 1 && _dims.All(d => d == 1);
        }
        if (!wholeItem)
        {
            throw node.Error(
                $"softmax over axis {axis} of [N,{string.Join(",", _dims)}] (opset {_opset}) normalizes only part of each item; CnnGen's Softmax normalizes the whole vector, e.g. axis = 1 of an [N,K] input.",
                "axis");
        }
        AddLayer(new PendingLayer(LayerType.Softmax, _volume, _volume, Origin(node)));
    }

    private void Flatten(NodeContext node)
    {
        node.OnlyKnown("axis");
        int rank = _dims.Length + 1;
        long axis = node.Int("axis", 1);
        if (axis < -rank || axis > rank)
        {
            throw node.Error($"{axis} is outside the input's {rank} axes.", "axis");
        }
        if (axis < 0)
        {
            axis += rank;
        }
        bool ok = axis == 0 ? _batch == 1 : _dims.Take((int)axis - 1).All(d => d == 1);
        if (!ok)
        {
            throw node.Error(
                $"flattening [N,{string.Join(",", _dims)}] at axis {axis} does not give one flat vector per batch item; CnnGen imports Flatten with axis = 1.",
                "axis");
        }
        FlattenTo();
    }

    private void FlattenTo()
    {
        _dims = [(int)ItemLength];
        _foldable = null;
    }

    private long[] ReshapeTarget(NodeContext node)
    {
        node.OnlyKnown("allowzero", "shape");
        if (node.Node.Input.Count >= 2)
        {
            string name = node.Node.Input[1];
            if (!_constants.TryGetValue(name, out TensorProto? shape))
            {
                throw node.Error($"its target shape '{name}' is computed at run time; CnnGen needs a constant shape. Re-export with torch.flatten(x, 1) or with do_constant_folding=True.");
            }
            return TensorData.ToInt64(shape, $"{node.Describe}: shape '{name}'");
        }
        return node.Ints("shape") ?? throw node.Error("it has no target shape.");
    }

    private static long[] ResolveReshape(NodeContext node, long[] inputDims, long[] target, long count)
    {
        bool allowZero = node.Int("allowzero", 0) != 0;
        var result = new long[target.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            long t = target[i];
            if (t == 0 && !allowZero)
            {
                if (i >= inputDims.Length)
                {
                    throw node.Error($"shape {NodeContext.Format(target)} copies axis {i} (0), which the input {NodeContext.Format(inputDims)} does not have.");
                }
                t = inputDims[i];
            }
            if (t == -1)
            {
                if (inferred >= 0)
                {
                    throw node.Error($"shape {NodeContext.Format(target)} has more than one -1.");
                }
                inferred = i;
                continue;
            }
            if (t < 0)
            {
                throw node.Error($"shape {NodeContext.Format(target)} has a negative size.");
            }
            result[i] = t;
            known *= t;
        }
        if (inferred >= 0)
        {
            if (known == 0 || count % known != 0)
            {
                throw node.Error($"shape {NodeContext.Format(target)} cannot hold the {count} values of {NodeContext.Format(inputDims)}.");
            }
            result[inferred] = count / known;
        }
        else if (known != count)
        {
            throw node.Error($"shape {NodeContext.Format(target)} holds {known} values but the input {NodeContext.Format(inputDims)} has {count}.");
        }
        return result;
    }

    private void Reshape(NodeContext node)
    {
        long[] target = ReshapeTarget(node);
        long batch = _batch > 0 ? _batch : 1; // one item at a time: a symbolic batch resolves as 1
        long[] inputDims = [batch, .. _dims.Select(d => (long)d)];
        long[] result = ResolveReshape(node, inputDims, target, batch * ItemLength);
        if (result.Length == 0 || result[0] != batch)
        {
            throw node.Error($"it reshapes [N,{string.Join(",", _dims)}] to {NodeContext.Format(target)}, which mixes the batch axis with the others; CnnGen imports only a Reshape to a flat [N,K] vector.");
        }
        if (result.Skip(1).SequenceEqual(_dims.Select(d => (long)d)))
        {
            return; // no change
        }
        if (result.Length == 2)
        {
            FlattenTo();
            return;
        }
        throw node.Error($"it reshapes [N,{string.Join(",", _dims)}] to [N,{string.Join(",", result.Skip(1))}]; CnnGen imports only a Reshape to a flat [N,K] vector (a flatten).");
    }

    private void Transpose(NodeContext node)
    {
        node.OnlyKnown("perm");
        int rank = _dims.Length + 1;
        long[] perm = node.Ints("perm") ?? Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != rank || perm.Distinct().Count() != rank || perm.Any(p => p < 0 || p >= rank))
        {
            throw node.Error($"{NodeContext.Format(perm)} is not a permutation of the input's {rank} axes.", "perm");
        }
        if (perm[0] != 0)
        {
            throw node.Error($"{NodeContext.Format(perm)} moves the batch axis; CnnGen imports only transposes of the axes within an item (e.g. NCHW ↔ NHWC before a flatten).", "perm");
        }
        int[] oldDims = _dims;
        int[] newDims = new int[oldDims.Length];
        for (int k = 0; k < newDims.Length; k++)
        {
            newDims[k] = oldDims[perm[k + 1] - 1];
        }
        int length = (int)ItemLength;
        var map = new int[length];
        var index = new int[newDims.Length];
        var oldIndex = new int[oldDims.Length];
        bool identity = true;
        for (int p = 0; p < length; p++)
        {
            for (int k = 0; k < newDims.Length; k++)
            {
                oldIndex[perm[k + 1] - 1] = index[k];
            }
            int q = 0;
            for (int k = 0; k < oldDims.Length; k++)
            {
                q = q * oldDims[k] + oldIndex[k];
            }
            map[p] = _map is null ? q : _map[q];
            identity &= map[p] == p;
            for (int k = newDims.Length - 1; k >= 0; k--)
            {
                if (++index[k] < newDims[k])
                {
                    break;
                }
                index[k] = 0;
            }
        }
        _dims = newDims;
        _map = identity ? null : map;
        if (!identity)
        {
            _foldable = null;
        }
    }

    private void Dropout(NodeContext node)
    {
        node.OnlyKnown("ratio", "seed", "is_test");
        if (node.Node.Input.Count >= 3 && node.Node.Input[2].Length > 0)
        {
            long[] training = TensorData.ToInt64(_constants[node.Node.Input[2]], $"{node.Describe}: training_mode");
            if (training.Any(t => t != 0))
            {
                throw node.Error("training_mode is true, so it drops values at random; CnnGen imports Dropout only in inference mode (a no-op).");
            }
        }
    }

    // ----- Result ---------------------------------------------------------------------------

    private void CheckDeclaredOutput(ValueInfoProto output)
    {
        var dims = output.Type?.TensorType?.Shape?.Dim;
        if (dims is null || dims.Count == 0 || dims.Skip(1).Any(d => !d.HasDimValue))
        {
            return;
        }
        long[] declared = dims.Skip(1).Select(d => d.DimValue).ToArray();
        long[] computed = _dims.Select(d => (long)d).ToArray();
        if (!declared.SequenceEqual(computed))
        {
            throw new OnnxImportException(
                $"The graph declares its output '{output.Name}' as [N,{string.Join(",", declared)}] but its layers compute [N,{string.Join(",", computed)}]: the model's shapes disagree with its weights or attributes.");
        }
    }

    private ImportedNetwork Build(Shape inputVolume, string inputName, string outputName)
    {
        var counts = new Dictionary<LayerType, int>();
        var layers = new List<LayerInfo>(_layers.Count);
        var origins = new List<string>(_layers.Count);
        var parameters = new List<float>();
        string previous = OnnxExporter.InputLayer; // the importer reads chains: each layer reads the one before it
        foreach (PendingLayer p in _layers)
        {
            counts.TryGetValue(p.Type, out int n);
            counts[p.Type] = ++n;
            string name = LayerMath.DefaultName(LayerMath.NamePrefix(p.Type.ToString()), n);
            int offset = parameters.Count;
            if (p.Weights is not null)
            {
                parameters.AddRange(p.Weights);
                parameters.AddRange(p.Bias!);
                Warn(name, p, p.Weights, p.Bias!);
            }
            int count = parameters.Count - offset;
            layers.Add(new LayerInfo(p.Type, name, p.Input, p.Output)
            {
                KernelWidth = p.KernelWidth,
                KernelHeight = p.KernelHeight,
                StrideX = p.StrideX,
                StrideY = p.StrideY,
                PadLeft = p.PadLeft,
                PadTop = p.PadTop,
                PadRight = p.PadRight,
                PadBottom = p.PadBottom,
                DilationX = p.DilationX,
                DilationY = p.DilationY,
                CeilMode = p.CeilMode,
                ExcludePadding = p.ExcludePadding,
                ParameterOffset = count == 0 ? 0 : offset,
                ParameterCount = count,
                MultiplyAdds = p.Weights is null ? 0 : LayerMath.MultiplyAdds(p.Weights.Length, p.Output.Width, p.Output.Height),
                Inputs = [previous],
            });
            previous = name;
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
            outputName,
            _batch,
            _dims.ToArray());
        return new ImportedNetwork(inputVolume, layers, origins, parameters.ToArray(), _warnings, summary);
    }

    private void Warn(string name, PendingLayer layer, float[] weights, float[] bias)
    {
        int nan = 0, infinite = 0;
        foreach (float v in weights.Concat(bias))
        {
            nan += float.IsNaN(v) ? 1 : 0;
            infinite += float.IsInfinity(v) ? 1 : 0;
        }
        if (nan + infinite > 0)
        {
            _warnings.Add(string.Format(
                CultureInfo.InvariantCulture,
                "{0} (from {1}) has {2} NaN and {3} infinite parameter(s) of {4}: its outputs will be NaN or infinite.",
                name, string.Join(" + ", layer.Origins), nan, infinite, weights.Length + bias.Length));
        }
    }
}
