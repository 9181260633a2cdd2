using System;
using System.Linq;
using CnnGen.Geometry;

namespace CnnGen.Onnx.Import;

/// <summary>Layers with windows and weights: Conv, ConvTranspose, pools, Gemm/MatMul, BatchNormalization, Softmax.</summary>
internal sealed partial class GraphImporter
{
    private static readonly string[] PoolAttributes = ["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"];
    private static readonly string[] AvgPoolAttributes = ["auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"];

    /// <summary>Reads a per-axis attribute (kernel, strides, dilations) for 1 or 2 spatial axes as (x, y).</summary>
    private static (int X, int Y) Pair(NodeContext node, TensorValue input, string name, long[]? values, int fallback)
    {
        int spatial = input.Dims.Length - 1;
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

    private sealed record Window(int KernelX, int KernelY, int StrideX, int StrideY, int DilationX, int DilationY, int Left, int Top, int Right, int Bottom, bool Ceil, Shape Output)
    {
        /// <summary>A layer of <paramref name="type"/> with this window over <paramref name="input"/>.</summary>
        public LayerInfo Layer(LayerType type, Shape input) => new(type, "", input, Output)
        {
            KernelWidth = KernelX,
            KernelHeight = KernelY,
            StrideX = StrideX,
            StrideY = StrideY,
            DilationX = DilationX,
            DilationY = DilationY,
            PadLeft = Left,
            PadTop = Top,
            PadRight = Right,
            PadBottom = Bottom,
            CeilMode = Ceil,
        };
    }

    /// <summary>The node's pads (begin values, then end values) as left, top, right, bottom; all 0 when absent.</summary>
    private static (int Left, int Top, int Right, int Bottom) Pads(NodeContext node, TensorValue input)
    {
        long[]? pads = node.Ints("pads");
        if (pads is null)
        {
            return (0, 0, 0, 0);
        }
        int spatial = input.Dims.Length - 1;
        if (pads.Length != 2 * spatial)
        {
            throw node.Error($"{NodeContext.Format(pads)} has {pads.Length} values; {node.Op} on {spatial} spatial axes needs {2 * spatial} (begin values, then end values). Padding of the batch or channel axes cannot be represented.", "pads");
        }
        if (pads.Any(p => p < 0 || p > int.MaxValue))
        {
            throw node.Error($"{NodeContext.Format(pads)} has a negative value (cropping), which CnnGen cannot represent.", "pads");
        }
        return spatial == 2 ? ((int)pads[1], (int)pads[0], (int)pads[3], (int)pads[2]) : ((int)pads[0], 0, (int)pads[1], 0);
    }

    /// <summary>The window of a conv or pool node over <paramref name="input"/>, its own padding plus <paramref name="extra"/> (a Pad node folded into it).</summary>
    private static Window ReadWindow(NodeContext node, TensorValue input, int kernelX, int kernelY, int depth, bool ceil, (int Left, int Top, int Right, int Bottom) extra = default)
    {
        (int strideX, int strideY) = Pair(node, input, "strides", node.Ints("strides"), 1);
        (int dilationX, int dilationY) = Pair(node, input, "dilations", node.Ints("dilations"), 1);
        int width = input.Volume.Width, height = input.Volume.Height;
        string autoPad = node.String("auto_pad", "NOTSET");
        int left = 0, top = 0, right = 0, bottom = 0;
        switch (autoPad)
        {
            case "NOTSET" or "":
                (left, top, right, bottom) = Pads(node, input);
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
        (left, top, right, bottom) = (left + extra.Left, top + extra.Top, right + extra.Right, bottom + extra.Bottom);
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

    /// <summary>The origin of the Pad node the last <see cref="WindowInput"/> took into a window, for the layer's origins.</summary>
    private string? _foldedPad;

    /// <summary>
    /// The input of a conv or pool, with pending zero padding (an ONNX Pad before it) taken into the
    /// window when <paramref name="canFold"/> says that is exact, else written as a Pad layer.
    /// </summary>

    private (TensorValue Input, (int Left, int Top, int Right, int Bottom) Extra) WindowInput(NodeContext node, Func<(int, int, int, int), bool> canFold)
    {
        TensorValue value = ValueOf(node);
        _foldedPad = null;
        if (value.Pad is { } pad && value.Map is null && canFold(pad))
        {
            TensorValue source = value with { Pad = null, Dims = DimsOf(value.Volume, value.Dims.Length) };
            _foldedPad = _padOrigins[value];
            return (Spatial(node, value: source), pad);
        }
        return (Spatial(node), (0, 0, 0, 0));
    }

    private void Conv(NodeContext node)
    {
        node.OnlyKnown("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        // Zero padding before a conv is the conv's own padding, exactly, unless auto_pad computes it from the padded size.
        (TensorValue input, var extra) = WindowInput(node, _ => node.String("auto_pad", "NOTSET") is "NOTSET" or "");
        long group = node.Int("group", 1);
        if (node.Node.Input.Count < 2)
        {
            throw node.Error("it has no weight input.");
        }
        ConstantTensor weight = Float(node, node.Node.Input[1], "weight");
        int spatial = input.Dims.Length - 1;
        if (weight.Dims.Length != 2 + spatial)
        {
            throw node.Error($"its weight '{weight.Name}' has shape {weight.DimsText}; a {spatial}-D convolution needs [filters, channels{(spatial == 2 ? ", height, width" : ", length")}].");
        }
        int depth = input.Volume.Depth;
        if (group < 1 || depth % group != 0 || weight.Dims[0] % group != 0)
        {
            throw node.Error($"group = {group} does not divide the {depth} input channels and the {weight.Dims[0]} filters.", "group");
        }
        int filters = (int)weight.Dims[0];
        int kernelY = spatial == 2 ? (int)weight.Dims[2] : 1;
        int kernelX = (int)weight.Dims[^1];
        if (weight.Dims[1] * group != depth)
        {
            throw node.Error(group == 1
                ? $"its weight '{weight.Name}' has shape {weight.DimsText}, i.e. {weight.Dims[1]} input channels, but its input has {depth} channels: the weights disagree with the graph."
                : $"its weight '{weight.Name}' has shape {weight.DimsText}, i.e. {weight.Dims[1]} input channels per group, but its input has {depth} channels in {group} groups: the weights disagree with the graph.");
        }
        if (filters < 1 || kernelX < 1 || kernelY < 1)
        {
            throw node.Error($"its weight '{weight.Name}' has an empty shape {weight.DimsText}.");
        }
        long[]? kernelShape = node.Ints("kernel_shape");
        if (kernelShape is not null)
        {
            (int kx, int ky) = Pair(node, input, "kernel_shape", kernelShape, 1);
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
        Window w = ReadWindow(node, input, kernelX, kernelY, filters, ceil: false, extra);
        AddLayer(node, w.Layer(LayerType.Conv, input.Volume) with { Groups = (int)group },
            [input], [(float[])weight.Values.Clone(), bias is null ? new float[filters] : (float[])bias.Values.Clone()]);
    }

    private void ConvTranspose(NodeContext node)
    {
        node.OnlyKnown("auto_pad", "dilations", "group", "kernel_shape", "output_padding", "pads", "strides");
        TensorValue input = Spatial(node);
        if (input.Dims.Length != 3)
        {
            throw node.Error("CnnGen's ConvTranspose is 2-D; its input is not [N,C,H,W].");
        }
        if (node.Int("group", 1) != 1)
        {
            throw node.Error($"group = {node.Int("group", 1)}; CnnGen's ConvTranspose has no groups.", "group");
        }
        if (node.Ints("dilations") is { } dilations && dilations.Any(d => d != 1))
        {
            throw node.Error($"{NodeContext.Format(dilations)}: CnnGen's ConvTranspose has no dilation.", "dilations");
        }
        if (node.String("auto_pad", "NOTSET") is not ("NOTSET" or ""))
        {
            throw node.Error("CnnGen imports ConvTranspose with explicit pads only (as PyTorch exports it).", "auto_pad");
        }
        ConstantTensor weight = Float(node, node.Node.Input.Count > 1 ? node.Node.Input[1] : "", "weight");
        if (weight.Dims.Length != 4 || weight.Dims[0] != input.Volume.Depth)
        {
            throw node.Error($"its weight '{weight.Name}' has shape {weight.DimsText}, but with {input.Volume.Depth} input channels it should be [{input.Volume.Depth}, filters, height, width]: the weights disagree with the graph.");
        }
        int filters = (int)weight.Dims[1], kernelY = (int)weight.Dims[2], kernelX = (int)weight.Dims[3];
        (int strideX, int strideY) = Pair(node, input, "strides", node.Ints("strides"), 1);
        (int left, int top, int right, int bottom) = Pads(node, input);
        if (left != right || top != bottom)
        {
            throw node.Error($"{NodeContext.Format(node.Ints("pads")!)} crops the two sides of an axis differently; CnnGen's ConvTranspose crops both sides alike (PyTorch's padding).", "pads");
        }
        long[] outputPadding = node.Ints("output_padding") ?? [0, 0];
        if (outputPadding.Length != 2 || outputPadding[0] < 0 || outputPadding[1] < 0 || outputPadding[0] >= strideY || outputPadding[1] >= strideX)
        {
            throw node.Error($"{NodeContext.Format(outputPadding)} must hold two values, each smaller than the stride.", "output_padding");
        }
        int outputPadX = (int)outputPadding[1], outputPadY = (int)outputPadding[0];
        if (strideX != strideY || left != top || outputPadX != outputPadY)
        {
            throw node.Error(
                $"strides {NodeContext.Format(node.Ints("strides") ?? [])}, pads {NodeContext.Format(node.Ints("pads") ?? [])} and output_padding {NodeContext.Format(outputPadding)} differ between height and width; CnnGen's ConvTranspose takes one of each for both axes.");
        }
        long outX = (long)(input.Volume.Width - 1) * strideX - 2L * left + kernelX + outputPadX;
        long outY = (long)(input.Volume.Height - 1) * strideY - 2L * top + kernelY + outputPadY;
        if (outX < 1 || outY < 1)
        {
            throw node.Error("its pads crop the whole output.", "pads");
        }
        ConstantTensor? bias = OptionalFloat(node, 2, "bias");
        if (bias is not null && bias.Values.Length != filters)
        {
            throw node.Error($"its bias '{bias.Name}' has shape {bias.DimsText} but the layer has {filters} filters: the weights disagree with the graph.");
        }
        AddLayer(node, new LayerInfo(LayerType.ConvTranspose, "", input.Volume, new Shape((int)outX, (int)outY, filters))
        {
            KernelWidth = kernelX,
            KernelHeight = kernelY,
            StrideX = strideX,
            StrideY = strideY,
            PadLeft = left,
            PadTop = top,
            PadRight = right,
            PadBottom = bottom,
            OutputPaddingX = outputPadX,
            OutputPaddingY = outputPadY,
        }, [input], [(float[])weight.Values.Clone(), bias is null ? new float[filters] : (float[])bias.Values.Clone()]);
    }

    private void Pool(NodeContext node, LayerType type)
    {
        node.OnlyKnown(type == LayerType.MaxPool ? PoolAttributes : AvgPoolAttributes);
        long countIncludePad = type == LayerType.AvgPool ? node.Int("count_include_pad", 0) : 0;
        long ceilMode = node.Int("ceil_mode", 0);
        // Explicit zeros count as values: only an average pool that counts its own padding (and keeps every window) takes them exactly.
        (TensorValue input, var extra) = WindowInput(node, _ => type == LayerType.AvgPool && countIncludePad == 1 && ceilMode == 0);
        long[] kernel = node.Ints("kernel_shape") ?? throw node.Error("the required attribute is missing.", "kernel_shape");
        (int kernelX, int kernelY) = Pair(node, input, "kernel_shape", kernel, 1);
        long[]? dilations = node.Ints("dilations");
        if (dilations is not null && dilations.Any(d => d != 1))
        {
            throw node.Error($"{NodeContext.Format(dilations)}: CnnGen's pools have no dilation (only Conv has).", "dilations");
        }
        if (ceilMode is not (0 or 1))
        {
            throw node.Error($"{ceilMode} is neither 0 nor 1.", "ceil_mode");
        }
        if (countIncludePad is not (0 or 1))
        {
            throw node.Error($"{countIncludePad} is neither 0 nor 1.", "count_include_pad");
        }
        Window w = ReadWindow(node, input, kernelX, kernelY, input.Volume.Depth, ceilMode == 1, extra);
        if (w.Left >= kernelX || w.Right >= kernelX || w.Top >= kernelY || w.Bottom >= kernelY)
        {
            if (extra != (0, 0, 0, 0))
            {
                // Too much padding to take into the window: write the Pad layer after all.
                extra = (0, 0, 0, 0);
                _foldedPad = null;
                input = Spatial(node);
                w = ReadWindow(node, input, kernelX, kernelY, input.Volume.Depth, ceilMode == 1);
            }
            if (w.Left >= kernelX || w.Right >= kernelX || w.Top >= kernelY || w.Bottom >= kernelY)
            {
                throw node.Error(
                    $"padding (left {w.Left}, top {w.Top}, right {w.Right}, bottom {w.Bottom}) is not smaller than the {kernelX}×{kernelY} window; CnnGen needs pool padding below the window so no window sees only padding.",
                    node.Has("pads") ? "pads" : "auto_pad");
            }
        }
        // ONNX's default (count_include_pad = 0) divides by the real elements; CnnGen's default by the whole window.
        AddLayer(node, w.Layer(type, input.Volume) with { ExcludePadding = type == LayerType.AvgPool && countIncludePad == 0 }, [input]);
    }

    private void GlobalPool(NodeContext node, LayerType type)
    {
        node.OnlyKnown();
        TensorValue input = Spatial(node);
        AddWholePool(node, type, input, keepDims: true);
    }

    /// <summary>A pool whose window is the whole input: global average or max pooling, exactly, with the kernels every CnnGen version has.</summary>
    private void AddWholePool(NodeContext node, LayerType type, TensorValue input, bool keepDims)
    {
        Shape v = input.Volume;
        AddLayer(node, new LayerInfo(type, "", v, new Shape(1, 1, v.Depth))
        {
            KernelWidth = v.Width,
            KernelHeight = v.Height,
            StrideX = v.Width,
            StrideY = v.Height,
        }, [input], rank: keepDims ? input.Dims.Length : 1);
    }

    private void ReduceMean(NodeContext node)
    {
        node.OnlyKnown("axes", "keepdims", "noop_with_empty_axes");
        TensorValue input = Spatial(node);
        long[]? axes = node.Ints("axes") ?? OptionalInts(node, 1, "axes");
        int rank = input.Dims.Length + 1;
        var spatialAxes = Enumerable.Range(2, rank - 2).ToHashSet();
        if (axes is null || !axes.Select(a => Shapes.Axis(node, a, rank, "axes")).ToHashSet().SetEquals(spatialAxes))
        {
            throw node.Error($"{(axes is null ? "all axes" : NodeContext.Format(axes))}: CnnGen imports ReduceMean over the spatial axes {NodeContext.Format(spatialAxes.Select(a => (long)a))} only (a global average pool).", "axes");
        }
        AddWholePool(node, LayerType.AvgPool, input, keepDims: node.Int("keepdims", 1) != 0);
    }

    /// <summary>The CnnGen (C,H,W) index of each input position of a fully connected layer.</summary>
    private static int CnnIndex(TensorValue input, int position) => input.Map is null ? position : input.Map[position];

    private TensorValue Flat(NodeContext node)
    {
        TensorValue value = Plain(ValueOf(node));
        if (value.Dims.Length != 1)
        {
            throw node.Error(
                $"its input has shape {value.Text}; CnnGen imports {node.Op} only on a flat [N,K] vector (after Flatten or a flattening Reshape).");
        }
        return value;
    }

    private void Gemm(NodeContext node)
    {
        node.OnlyKnown("alpha", "beta", "transA", "transB");
        if (!IsComputed(node, 0))
        {
            throw node.Error("the data flows into input B; CnnGen imports Gemm with the activations as input A.");
        }
        TensorValue input = Flat(node);
        if (node.Int("transA", 0) != 0)
        {
            throw node.Error("transA = 1 would treat the activations [N,K] as a column; CnnGen imports Gemm with transA = 0.", "transA");
        }
        bool transB = node.Int("transB", 0) != 0;
        float alpha = node.Float("alpha", 1f), beta = node.Float("beta", 1f);
        ConstantTensor b = Float(node, node.Node.Input[1], "weight B");
        int inputs = (int)input.Length;
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
                weights[(long)o * inputs + CnnIndex(input, i)] = alpha * v;
            }
        }
        var bias = new float[outputs];
        ConstantTensor? c = OptionalFloat(node, 2, "bias C");
        if (c is not null)
        {
            float[] row = BiasRow(node, c, outputs, "bias C");
            for (int o = 0; o < outputs; o++)
            {
                bias[o] = beta * row[o];
            }
        }
        AddFullyConnected(node, input, outputs, weights, bias);
    }

    private void MatMul(NodeContext node)
    {
        node.OnlyKnown();
        if (!IsComputed(node, 0))
        {
            throw node.Error("the activations are its second input (W·x); CnnGen imports MatMul as x·W with the weights second.");
        }
        TensorValue input = Flat(node);
        ConstantTensor b = Float(node, node.Node.Input[1], "weight");
        int inputs = (int)input.Length;
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
                weights[(long)o * inputs + CnnIndex(input, i)] = b.Values[(long)i * outputs + o];
            }
        }
        AddFullyConnected(node, input, outputs, weights, new float[outputs]);
    }

    private void AddFullyConnected(NodeContext node, TensorValue input, int outputs, float[] weights, float[] bias)
    {
        if (outputs < 1)
        {
            throw node.Error("it has no outputs.");
        }
        AddLayer(node, new LayerInfo(LayerType.FullyConnected, "", input.Volume, new Shape(1, 1, outputs)), [input], [weights, bias], rank: 1);
    }

    /// <summary>A bias that broadcasts to [N, outputs]: a scalar, [outputs], [1,outputs], or [N,outputs] with equal rows.</summary>
    private static float[] BiasRow(NodeContext node, ConstantTensor c, int outputs, string role)
    {
        long[] d = c.Dims;
        bool ok = d.Length <= 2 && (d.Length == 0 || d[^1] == outputs || d[^1] == 1);
        if (!ok)
        {
            throw node.Error($"its {role} '{c.Name}' has shape {c.DimsText}, which does not broadcast to [N,{outputs}]: the weights disagree with the graph.");
        }
        int width = d.Length == 0 ? 1 : (int)d[^1];
        int rows = d.Length == 2 ? (int)d[0] : 1;
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
        var row = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            row[o] = c.Values[width == 1 ? 0 : o];
        }
        return row;
    }

    /// <summary>
    /// The Conv or fully connected layer whose raw output <paramref name="value"/> (tensor <paramref name="tensor"/>) is, when only one node reads it,
    /// so a per-channel affine map (BatchNormalization, a constant bias) can fold into its weights exactly.
    /// </summary>
    private PendingLayer? FoldTarget(string tensor, TensorValue value) =>
        value.Layer is { Type: LayerType.Conv or LayerType.FullyConnected } layer
        && value.Map is null && value.Pad is null
        && layer.OutputTensor == tensor && Readers(tensor) == 1
        && !_layers.Any(l => l.Inputs.Contains(layer))
            ? layer
            : null;

    /// <summary>A constant with one value per channel (or one for all), broadcast against [N,C,…] with 1 on every other axis.</summary>
    private static float[] PerChannel(NodeContext node, ConstantTensor c, int channels, int rank, string what)
    {
        long[] d = c.Dims;
        int channelAxisFromEnd = rank - 1; // 1-based from the end of [N, C, spatial…]
        bool ok = d.Length <= rank;
        for (int k = 1; ok && k <= d.Length; k++)
        {
            ok = k == channelAxisFromEnd ? d[^k] == 1 || d[^k] == channels : d[^k] == 1;
        }
        if (!ok || (c.Values.Length != 1 && c.Values.Length != channels))
        {
            throw node.Error($"its constant '{c.Name}' has shape {c.DimsText}, which is not one value per channel ([C,1,1] or [1,C,1,1]); CnnGen can only {what} a per-channel constant.");
        }
        return Enumerable.Range(0, channels).Select(i => c.Values[c.Values.Length == 1 ? 0 : i]).ToArray();
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
        if (node.Node.Input.Count < 5)
        {
            throw node.Error($"it has {node.Node.Input.Count} inputs; BatchNormalization needs X, scale, B, mean and var.");
        }
        TensorValue input = Stored(node);
        int channels = input.Dims[0] is var c && c <= int.MaxValue ? (int)c : throw node.Error("its input has too many channels.");
        float[] Param(int index, string role)
        {
            ConstantTensor t = Float(node, node.Node.Input[index], role);
            if (t.Values.Length != channels)
            {
                throw node.Error($"its {role} '{t.Name}' has shape {t.DimsText} but its input has {channels} channels: the weights disagree with the graph.");
            }
            return t.Values;
        }
        float[] scale = Param(1, "scale"), shift = Param(2, "B"), mean = Param(3, "mean"), variance = Param(4, "var");
        float epsilon = node.Float("epsilon", 1e-5f);
        if (FoldTarget(node.Node.Input[0], input) is { } layer)
        {
            float[] weights = layer.Weights, bias = layer.Bias;
            int perRow = weights.Length / channels;
            for (int ch = 0; ch < channels; ch++)
            {
                double factor = scale[ch] / Math.Sqrt(variance[ch] + (double)epsilon);
                for (int i = 0; i < perRow; i++)
                {
                    weights[(long)ch * perRow + i] = (float)(weights[(long)ch * perRow + i] * factor);
                }
                bias[ch] = (float)((bias[ch] - mean[ch]) * factor + shift[ch]);
            }
            layer.Origins.Add(Origin(node));
            layer.OutputTensor = node.Node.Output[0];
            SetOutput(node, input);
            return;
        }
        if (input.Dims.Length > 1 && VolumeOf(input.Dims) != input.Volume)
        {
            throw node.Error($"its input {input.Text} is a reshaped view of a {input.Volume} volume; CnnGen's BatchNorm normalizes the channels of an image.");
        }
        AddLayer(node, new LayerInfo(LayerType.BatchNorm, "", input.Volume, input.Volume) { Epsilon = epsilon },
            [input], [(float[])scale.Clone(), (float[])shift.Clone(), (float[])mean.Clone(), (float[])variance.Clone()]);
    }

    /// <summary>Softmax and LogSoftmax: CnnGen's normalize the whole vector, so the ONNX axis must cover the whole item.</summary>
    private void WholeVector(NodeContext node, LayerType type)
    {
        node.OnlyKnown("axis");
        TensorValue input = Stored(node);
        long[] dims = input.Dims;
        int rank = dims.Length + 1;
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
            wholeItem = (axis >= 1 || _batch == 1) && dims.Take((int)Math.Max(axis - 1, 0)).All(d => d == 1);
        }
        else
        {
            // Opset ≥ 13 normalizes along one axis: the whole item only when every other axis has size 1.
            wholeItem = axis >= 1 && dims.Where((d, i) => i != axis - 1).All(d => d == 1)
                || axis == 0 && _batch == 1 && dims.All(d => d == 1);
        }
        if (!wholeItem)
        {
            throw node.Error(
                $"{node.Op.ToLowerInvariant()} over axis {axis} of [N,{string.Join(",", dims)}] (opset {_opset}) normalizes only part of each item; CnnGen's {type} normalizes the whole vector, e.g. axis = 1 of an [N,K] input.",
                "axis");
        }
        AddLayer(node, new LayerInfo(type, "", input.Volume, input.Volume), [input], rank: dims.Length);
        SetOutput(node, _values[node.Node.Output[0]] with { Dims = dims });
    }
}
