using System;
using System.Collections.Generic;
using System.Linq;

namespace CnnGen.Onnx.Import;

/// <summary>
/// Operators that move values rather than compute them: Flatten, Reshape, Squeeze/Unsqueeze and Transpose
/// (layout only, or a channel shuffle), Slice/Split on channels, Pad, Resize/Upsample, Shape, Identity,
/// Dropout, Cast.
/// </summary>
internal sealed partial class GraphImporter
{
    private void Flatten(NodeContext node)
    {
        node.OnlyKnown("axis");
        TensorValue input = Plain(ValueOf(node));
        int rank = input.Dims.Length + 1;
        long axis = node.Int("axis", 1);
        if (axis < -rank || axis > rank)
        {
            throw node.Error($"{axis} is outside the input's {rank} axes.", "axis");
        }
        if (axis < 0)
        {
            axis += rank;
        }
        bool ok = axis == 0 ? _batch == 1 : input.Dims.Take((int)axis - 1).All(d => d == 1);
        if (!ok)
        {
            throw node.Error(
                $"flattening {input.Text} at axis {axis} does not give one flat vector per batch item; CnnGen imports Flatten with axis = 1.",
                "axis");
        }
        Relayout(node, input, [input.Length]);
    }

    private void Reshape(NodeContext node)
    {
        node.OnlyKnown("allowzero", "shape");
        TensorValue input = Plain(ValueOf(node));
        long[] target = _opset >= 5
            ? OptionalInts(node, 1, "target shape") ?? throw node.Error("it has no target shape.")
            : node.Ints("shape") ?? throw node.Error("it has no target shape.");
        long[] inputDims = [Batch, .. input.Dims];
        long[] result = Shapes.Resolve(node, inputDims, target, Batch * input.Length);
        if (result.Length == 0 || result[0] != Batch)
        {
            throw node.Error($"it reshapes {input.Text} to {NodeContext.Format(target)}, which mixes the batch axis with the others; CnnGen reshapes only within a batch item.");
        }
        Relayout(node, input, result[1..]);
    }

    private void Squeeze(NodeContext node)
    {
        node.OnlyKnown("axes");
        TensorValue input = Plain(ValueOf(node));
        long[] axes = node.Ints("axes") ?? OptionalInts(node, 1, "axes")
            ?? throw node.Error("it has no axes; CnnGen needs them to tell the batch axis, which it keeps, from the others.");
        long[] full = [Batch, .. input.Dims];
        int rank = node.Op == "Squeeze" ? full.Length : full.Length + axes.Length;
        if (axes.Any(a => Shapes.Axis(node, a, rank, "axes") == 0))
        {
            throw node.Error($"it {(node.Op == "Squeeze" ? "removes" : "inserts")} the batch axis; CnnGen keeps it.", "axes");
        }
        long[] result = node.Op == "Squeeze" ? Shapes.Squeeze(node, full, axes) : Shapes.Unsqueeze(node, full, axes);
        Relayout(node, input, result[1..]);
    }

    /// <summary>
    /// The same values under new item dimensions (row-major order unchanged). A transposed layout that lands
    /// back on the layer's own C,H,W shape is a channel shuffle; one that becomes the identity needs nothing.
    /// </summary>
    private void Relayout(NodeContext node, TensorValue input, long[] dims)
    {
        if (input.Map is not null && dims.Length >= 2 && dims.SequenceEqual(DimsOf(input.Volume, dims.Length)))
        {
            int groups = ShuffleGroups(input.Map, input.Volume);
            if (groups < 1)
            {
                throw node.Error($"it reshapes a transposed layout back to {NodeContext.Format(dims)}, which is not a channel shuffle; CnnGen imports a Transpose only as a channel shuffle or before a flatten and a Gemm/MatMul.");
            }
            AddChannelShuffle(node, input, groups, dims);
            return;
        }
        SetOutput(node, input with { Dims = dims });
    }

    private void AddChannelShuffle(NodeContext node, TensorValue input, int groups, long[] dims)
    {
        TensorValue source = input with { Map = null, Dims = dims };
        AddLayer(node, new LayerInfo(LayerType.ChannelShuffle, "", input.Volume, input.Volume) { Groups = groups }, [source]);
        if (_transposeOrigins.TryGetValue(input, out string? origin))
        {
            _layers[^1].Origins.Insert(0, origin);
        }
    }

    private readonly Dictionary<TensorValue, string> _transposeOrigins = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// The groups g when <paramref name="map"/> is ShuffleNet's channel shuffle of <paramref name="volume"/>
    /// (output channel i·g + j reads input channel j·(C/g) + i), or 0 when it is not one.
    /// </summary>
    private static int ShuffleGroups(int[] map, Shape volume)
    {
        int plane = volume.Width * volume.Height, channels = volume.Depth;
        if (channels < 2 || map.Length != plane * channels || map[plane] % plane != 0 || map[plane] == 0)
        {
            return 0;
        }
        int perGroup = map[plane] / plane;
        if (channels % perGroup != 0)
        {
            return 0;
        }
        int groups = channels / perGroup;
        for (int c = 0; c < channels; c++)
        {
            int source = c % groups * perGroup + c / groups;
            for (int p = 0; p < plane; p++)
            {
                if (map[c * plane + p] != source * plane + p)
                {
                    return 0;
                }
            }
        }
        return groups;
    }

    private void Transpose(NodeContext node)
    {
        node.OnlyKnown("perm");
        TensorValue input = Plain(ValueOf(node));
        int rank = input.Dims.Length + 1;
        long[] perm = node.Ints("perm") ?? Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != rank || perm.Distinct().Count() != rank || perm.Any(p => p < 0 || p >= rank))
        {
            throw node.Error($"{NodeContext.Format(perm)} is not a permutation of the input's {rank} axes.", "perm");
        }
        if (perm[0] != 0)
        {
            throw node.Error($"{NodeContext.Format(perm)} moves the batch axis; CnnGen imports only transposes of the axes within an item (e.g. NCHW ↔ NHWC before a flatten, or a channel shuffle).", "perm");
        }
        (long[] dims, int[] positions) = Shapes.Transpose(node, input.Dims, perm.Skip(1).Select(p => p - 1).ToArray());
        int[] map = input.Map is null ? positions : positions.Select(p => input.Map[p]).ToArray();
        bool identity = map.Select((m, i) => m == i).All(b => b);
        TensorValue result = input with { Dims = dims, Map = identity ? null : map };
        _transposeOrigins[result] = Origin(node);
        SetOutput(node, result);
    }

    /// <summary>The (start, count) of a channel range, or null when the node keeps every channel; any other axis must be kept whole.</summary>
    private (int Start, int Count)? ChannelRange(NodeContext node, TensorValue input, Func<int, (long Start, long Count)?> range)
    {
        long[] full = [Batch, .. input.Dims];
        (int, int)? result = null;
        for (int axis = 0; axis < full.Length; axis++)
        {
            if (range(axis) is not { } r || (r.Start == 0 && r.Count == full[axis]))
            {
                continue;
            }
            if (axis != 1)
            {
                throw node.Error($"it takes part of axis {axis} of {input.Text}; CnnGen slices only channels (axis 1).");
            }
            if (r.Count < 1)
            {
                throw node.Error($"it takes no channel of {input.Text}.");
            }
            result = ((int)r.Start, (int)r.Count);
        }
        return result;
    }

    private void Slice(NodeContext node)
    {
        TensorValue input = Stored(node);
        SliceSpec spec = SliceSpec.Read(node, _opset, i => OptionalInts(node, i, "slice argument"));
        int rank = input.Dims.Length + 1;
        long[] full = [Batch, .. input.Dims];
        var ranges = new (long Start, long Count)?[rank];
        for (int k = 0; k < spec.Starts.Length; k++)
        {
            int axis = Shapes.Axis(node, spec.Axes[k], rank, "axes");
            if (spec.Steps[k] != 1)
            {
                throw node.Error($"it slices with step {spec.Steps[k]}; CnnGen takes contiguous channel ranges only.");
            }
            ranges[axis] = spec.Resolve(node, k, full[axis]);
        }
        if (ChannelRange(node, input, a => ranges[a]) is not { } channels)
        {
            Alias(node);
            return;
        }
        AddSlice(node, input, channels.Start, channels.Count, 0);
    }

    private void AddSlice(NodeContext node, TensorValue input, int start, int count, int output)
    {
        if (input.Dims.Length > 1 && VolumeOf(input.Dims) != input.Volume)
        {
            throw node.Error($"its input {input.Text} is a reshaped view of a {input.Volume} volume; CnnGen slices channels of an image or a vector.");
        }
        Shape v = input.Volume;
        var shape = input.Dims.Length > 1 ? v with { Depth = count } : new Shape(1, 1, count);
        PendingLayer layer = AddLayer(new LayerInfo(LayerType.Slice, "", v, shape) { Start = start }, [input.Layer], Origin(node));
        layer.OutputTensor = node.Node.Output[output];
        long[] dims = (long[])input.Dims.Clone();
        dims[0] = count;
        _values[node.Node.Output[output]] = new TensorValue(layer, shape, dims);
    }

    private void Split(NodeContext node)
    {
        node.OnlyKnown("axis", "split", "num_outputs");
        TensorValue input = Stored(node);
        int rank = input.Dims.Length + 1;
        int axis = Shapes.Axis(node, node.Int("axis", 0), rank, "axis");
        long size = axis == 0 ? Batch : input.Dims[axis - 1];
        int outputs = node.Node.Output.Count;
        long[] sizes = node.Ints("split") ?? OptionalInts(node, 1, "split")
            ?? Enumerable.Range(0, outputs).Select(i => (size + outputs - 1) / outputs is var part ? Math.Min(part, size - i * part) : 0).ToArray();
        if (sizes.Length != outputs || sizes.Sum() != size || sizes.Any(s => s < 0))
        {
            throw node.Error($"its parts {NodeContext.Format(sizes)} do not split the {size} elements of axis {axis} into {outputs} outputs.", "split");
        }
        long start = 0;
        for (int i = 0; i < outputs; i++)
        {
            long first = start;
            start += sizes[i];
            if (node.Node.Output[i].Length == 0 || Readers(node.Node.Output[i]) == 0)
            {
                continue;
            }
            if (ChannelRange(node, input, a => a == axis ? (first, sizes[i]) : null) is { } channels)
            {
                AddSlice(node, input, channels.Start, channels.Count, i);
            }
            else
            {
                SetOutput(node, input, i);
            }
        }
    }

    private void Pad(NodeContext node)
    {
        TensorValue input = Spatial(node);
        long[] pads;
        float value;
        string mode = node.String("mode", "constant");
        if (_opset < 11)
        {
            node.OnlyKnown("mode", "pads", "paddings", "value");
            pads = node.Ints("pads") ?? node.Ints("paddings") ?? throw node.Error("the required attribute is missing.", "pads");
            value = node.Float("value", 0f);
        }
        else
        {
            node.OnlyKnown("mode");
            pads = OptionalInts(node, 1, "pads") ?? throw node.Error("it has no pads.");
            value = OptionalFloat(node, 2, "constant_value") is { } v ? (v.Values.Length == 1 ? v.Values[0] : throw node.Error("its constant_value is not a scalar.")) : 0f;
            if (OptionalInts(node, 3, "axes") is { } axes)
            {
                int r = input.Dims.Length + 1;
                var full = new long[2 * r];
                for (int k = 0; k < axes.Length; k++)
                {
                    int a = Shapes.Axis(node, axes[k], r, "axes");
                    full[a] = pads[k];
                    full[r + a] = pads[axes.Length + k];
                }
                pads = full;
            }
        }
        if (mode != "constant" || value != 0f)
        {
            throw node.Error($"mode '{mode}' with value {value}: CnnGen pads with zeros only (mode constant, value 0).", mode != "constant" ? "mode" : null);
        }
        int rank = input.Dims.Length + 1;
        if (pads.Length != 2 * rank)
        {
            throw node.Error($"{NodeContext.Format(pads)} has {pads.Length} values for {rank} axes.", _opset < 11 ? "pads" : null);
        }
        if (pads[0] != 0 || pads[1] != 0 || pads[rank] != 0 || pads[rank + 1] != 0)
        {
            throw node.Error($"{NodeContext.Format(pads)} pads the batch or channel axis; CnnGen pads only width and height.", _opset < 11 ? "pads" : null);
        }
        if (pads.Any(p => p < 0 || p > int.MaxValue))
        {
            throw node.Error($"{NodeContext.Format(pads)} has a negative value (cropping), which CnnGen cannot represent.", _opset < 11 ? "pads" : null);
        }
        (int Left, int Top, int Right, int Bottom) p = rank == 4
            ? ((int)pads[3], (int)pads[2], (int)pads[7], (int)pads[6])
            : ((int)pads[2], 0, (int)pads[5], 0);
        if (p == (0, 0, 0, 0))
        {
            Alias(node);
            return;
        }
        long[] dims = (long[])input.Dims.Clone();
        dims[^1] += p.Left + p.Right;
        if (rank == 4)
        {
            dims[1] += p.Top + p.Bottom;
        }
        // Written as a Pad layer only if a reader cannot take it into its own window (see WindowInput).
        var padded = input with { Dims = dims, Pad = p };
        _padOrigins[padded] = Origin(node);
        SetOutput(node, padded);
    }

    private void Resize(NodeContext node)
    {
        TensorValue input = Spatial(node);
        if (input.Dims.Length != 3)
        {
            throw node.Error($"its input {input.Text} is not an image [N,C,H,W]; CnnGen upsamples images.");
        }
        string mode = node.String("mode", "nearest");
        string transform = "asymmetric", nearest = "floor";
        float[]? scales;
        long[]? sizes = null;
        if (node.Op == "Upsample")
        {
            node.OnlyKnown("mode", "scales", "height_scale", "width_scale");
            scales = node.Raw("scales") is { } s ? s.Floats.ToArray() : OptionalFloat(node, 1, "scales")?.Values;
        }
        else if (_opset < 11)
        {
            node.OnlyKnown("mode");
            scales = OptionalFloat(node, 1, "scales")?.Values;
        }
        else
        {
            node.OnlyKnown("coordinate_transformation_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value", "mode", "nearest_mode");
            transform = node.String("coordinate_transformation_mode", "half_pixel");
            nearest = node.String("nearest_mode", "round_prefer_floor");
            scales = OptionalFloat(node, 2, "scales")?.Values is { Length: > 0 } sc ? sc : null;
            sizes = OptionalInts(node, 3, "sizes");
        }
        int Factor(int axis, int inputSize)
        {
            double f = scales is not null ? scales[axis] : sizes is not null ? (double)sizes[axis] / (axis == 0 ? Batch : axis == 1 ? input.Volume.Depth : inputSize) : double.NaN;
            if (double.IsNaN(f))
            {
                throw node.Error("it has neither scales nor sizes.");
            }
            if (f < 1 || f != Math.Floor(f) || (axis >= 2 && f * inputSize > int.MaxValue))
            {
                throw node.Error($"it scales axis {axis} by {f}; CnnGen upsamples by whole factors ≥ 1 (and never the batch or channel axis).");
            }
            return (int)f;
        }
        if ((scales?.Length ?? sizes?.Length) != 4)
        {
            throw node.Error("its scales or sizes do not have 4 values for [N,C,H,W].");
        }
        if (Factor(0, 1) != 1 || Factor(1, 1) != 1)
        {
            throw node.Error("it scales the batch or channel axis; CnnGen upsamples width and height.");
        }
        int scaleY = Factor(2, input.Volume.Height), scaleX = Factor(3, input.Volume.Width);
        bool bilinear;
        switch (mode)
        {
            case "nearest":
                // Repeating each value is what nearest gives for a whole factor when the source coordinate is x/s rounded
                // down, or (x + ½)/s − ½ rounded to nearest (never a tie for a whole factor).
                bool repeats = transform == "asymmetric" && nearest == "floor"
                    || transform is "half_pixel" or "pytorch_half_pixel" && nearest is "round_prefer_floor" or "round_prefer_ceil";
                if (!repeats)
                {
                    throw node.Error($"nearest with coordinate_transformation_mode '{transform}' and nearest_mode '{nearest}' does not repeat values; CnnGen's nearest upsampling does (PyTorch's mode='nearest').", "coordinate_transformation_mode");
                }
                bilinear = false;
                break;
            case "linear" or "bilinear":
                if (transform is not ("half_pixel" or "pytorch_half_pixel" or "align_corners"))
                {
                    throw node.Error($"linear with coordinate_transformation_mode '{transform}' is not PyTorch's bilinear (half_pixel for align_corners=False, align_corners for True).", "coordinate_transformation_mode");
                }
                bilinear = true;
                break;
            default:
                throw node.Error($"'{mode}': CnnGen upsamples by nearest or bilinear.", "mode");
        }
        Shape v = input.Volume;
        AddLayer(node, new LayerInfo(LayerType.Upsample, "", v, new Shape(v.Width * scaleX, v.Height * scaleY, v.Depth))
        {
            ScaleX = scaleX,
            ScaleY = scaleY,
            Bilinear = bilinear,
            AlignCorners = bilinear && transform == "align_corners",
        }, [input]);
    }

    /// <summary>Shape of a computed tensor: known at import (the batch axis evaluates for batch 1 when it is symbolic).</summary>
    private void ShapeOf(NodeContext node, TensorValue value)
    {
        node.OnlyKnown("start", "end");
        long[] dims = [Batch, .. value.Dims];
        (long start, long end) = Shapes.Range(node.Int("start", 0), node.Int("end", dims.Length), dims.Length);
        long[] part = dims.Skip((int)start).Take((int)Math.Max(0, end - start)).ToArray();
        _constants[node.Node.Output[0]] = new ConstantValue([part.Length], part, null).Encode(node.Node.Output[0]);
    }

    private void Dropout(NodeContext node)
    {
        node.OnlyKnown("ratio", "seed", "is_test");
        if (node.Node.Input.Count >= 3 && node.Node.Input[2].Length > 0)
        {
            long[] training = OptionalInts(node, 2, "training_mode")!;
            if (training.Any(t => t != 0))
            {
                throw node.Error("training_mode is true, so it drops values at random; CnnGen imports Dropout only in inference mode (a no-op).");
            }
        }
        Alias(node);
    }

    private void Cast(NodeContext node)
    {
        node.OnlyKnown("to", "saturate");
        if (node.Int("to", 0) != (int)Protos.TensorProto.Types.DataType.Float)
        {
            throw node.Error($"it casts computed values to {TensorData.TypeName((int)node.Int("to", 0))}; CnnGen networks compute in float32.", "to");
        }
        Alias(node);
    }
}
