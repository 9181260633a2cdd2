using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Onnx.Protos;

namespace CnnGen.Onnx.Import;

/// <summary>
/// A constant decoded for evaluation: its dimensions and either integer or float values. Shape vectors
/// stay <see langword="long"/> (exporters write <c>INT64_MAX</c> as "to the end"), weights float32.
/// </summary>
internal sealed record ConstantValue(long[] Dims, long[]? Ints, float[]? Floats)
{
    public bool IsFloat => Floats is not null;

    public int Count => IsFloat ? Floats!.Length : Ints!.Length;

    public static ConstantValue Decode(TensorProto tensor, string what) =>
        TensorData.IsFloatType(tensor.DataType)
            ? new ConstantValue(tensor.Dims.ToArray(), null, TensorData.ToFloat(tensor, what).Values)
            : new ConstantValue(tensor.Dims.ToArray(), TensorData.ToInt64(tensor, what), null);

    public TensorProto Encode(string name)
    {
        var t = new TensorProto { Name = name, DataType = (int)(IsFloat ? TensorProto.Types.DataType.Float : TensorProto.Types.DataType.Int64) };
        t.Dims.AddRange(Dims);
        if (IsFloat)
        {
            t.FloatData.AddRange(Floats!);
        }
        else
        {
            t.Int64Data.AddRange(Ints!);
        }
        return t;
    }

    public double this[int index] => IsFloat ? Floats![index] : Ints![index];

    /// <summary>The same values under other dimensions.</summary>
    public ConstantValue WithDims(long[] dims) => this with { Dims = dims };

    /// <summary>Picks elements by flat index (the one gather every layout operation below reduces to).</summary>
    public ConstantValue Select(long[] dims, IReadOnlyList<int> indices) =>
        IsFloat
            ? new ConstantValue(dims, null, indices.Select(i => Floats![i]).ToArray())
            : new ConstantValue(dims, indices.Select(i => Ints![i]).ToArray(), null);

    public static long Product(IEnumerable<long> dims) => dims.Aggregate(1L, (a, b) => checked(a * b));
}

/// <summary>
/// Evaluates nodes whose inputs are all constants (initializers, <c>Constant</c> nodes, shapes known at
/// import), so initializer-only subgraphs and run-time shape arithmetic (<c>Shape</c> → <c>Gather</c> →
/// <c>Unsqueeze</c> → <c>Concat</c> → <c>Reshape</c>, as <c>x.view(x.size(0), -1)</c> exports) become constants.
/// </summary>
internal static class ConstantFolder
{
    /// <summary>The operators it evaluates.</summary>
    public static readonly string[] Operators =
    [
        "Constant", "Identity", "Cast", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Concat", "Gather", "Slice",
        "Shape", "Size", "ConstantOfShape", "Add", "Sub", "Mul", "Div", "Neg", "Sqrt", "Reciprocal", "Floor", "Ceil", "Range", "Equal", "Where", "Expand",
    ];

    public static ConstantValue Evaluate(NodeContext node, Func<int, ConstantValue?> input, long opset)
    {
        ConstantValue In(int i) => input(i) ?? throw node.Error($"its input #{i} is missing.");
        switch (node.Op)
        {
            case "Identity":
                node.OnlyKnown();
                return In(0);
            case "Cast":
            {
                node.OnlyKnown("to", "saturate");
                ConstantValue x = In(0);
                bool toFloat = TensorData.IsFloatType((int)node.Int("to", 1));
                if (toFloat == x.IsFloat)
                {
                    return x;
                }
                return toFloat
                    ? new ConstantValue(x.Dims, null, x.Ints!.Select(v => (float)v).ToArray())
                    : new ConstantValue(x.Dims, x.Floats!.Select(v => (long)v).ToArray(), null);
            }
            case "Reshape":
            {
                node.OnlyKnown("allowzero", "shape");
                ConstantValue x = In(0);
                long[] target = opset >= 5 ? Ints(node, In(1), "shape") : node.Ints("shape") ?? throw node.Error("it has no target shape.");
                return x.WithDims(Shapes.Resolve(node, x.Dims, target, x.Count));
            }
            case "Flatten":
            {
                node.OnlyKnown("axis");
                ConstantValue x = In(0);
                int axis = Shapes.Axis(node, node.Int("axis", 1), x.Dims.Length + 1, "axis");
                return x.WithDims([ConstantValue.Product(x.Dims.Take(axis)), ConstantValue.Product(x.Dims.Skip(axis))]);
            }
            case "Squeeze":
            case "Unsqueeze":
            {
                node.OnlyKnown("axes");
                ConstantValue x = In(0);
                long[]? axes = node.Ints("axes") ?? (node.Node.Input.Count > 1 && node.Node.Input[1].Length > 0 ? Ints(node, In(1), "axes") : null);
                return x.WithDims(node.Op == "Squeeze" ? Shapes.Squeeze(node, x.Dims, axes) : Shapes.Unsqueeze(node, x.Dims, axes ?? throw node.Error("it has no axes.")));
            }
            case "Transpose":
            {
                node.OnlyKnown("perm");
                ConstantValue x = In(0);
                long[] perm = node.Ints("perm") ?? Enumerable.Range(0, x.Dims.Length).Reverse().Select(i => (long)i).ToArray();
                (long[] dims, int[] map) = Shapes.Transpose(node, x.Dims, perm);
                return x.Select(dims, map);
            }
            case "Concat":
            {
                node.OnlyKnown("axis");
                var parts = Enumerable.Range(0, node.Node.Input.Count).Select(In).ToList();
                return Concat(node, parts);
            }
            case "Gather":
            {
                node.OnlyKnown("axis");
                ConstantValue x = In(0);
                ConstantValue indices = In(1);
                int axis = Shapes.Axis(node, node.Int("axis", 0), x.Dims.Length, "axis");
                long size = x.Dims[axis];
                long[] index = Ints(node, indices, "indices").Select(i => i < 0 ? i + size : i).ToArray();
                if (index.Any(i => i < 0 || i >= size))
                {
                    throw node.Error($"an index in {NodeContext.Format(Ints(node, indices, "indices"))} is outside axis {axis} of size {size}.");
                }
                long outer = ConstantValue.Product(x.Dims.Take(axis)), inner = ConstantValue.Product(x.Dims.Skip(axis + 1));
                var picked = new List<int>();
                for (long o = 0; o < outer; o++)
                {
                    foreach (long i in index)
                    {
                        for (long k = 0; k < inner; k++)
                        {
                            picked.Add((int)((o * size + i) * inner + k));
                        }
                    }
                }
                return x.Select([.. x.Dims.Take(axis), .. indices.Dims, .. x.Dims.Skip(axis + 1)], picked);
            }
            case "Slice":
                return Slice(node, In(0), opset, i => input(i));
            case "Shape":
            {
                node.OnlyKnown("start", "end");
                long[] dims = In(0).Dims;
                (long start, long end) = Shapes.Range(node.Int("start", 0), node.Int("end", dims.Length), dims.Length);
                long[] part = dims.Skip((int)start).Take((int)Math.Max(0, end - start)).ToArray();
                return new ConstantValue([part.Length], part, null);
            }
            case "Size":
                node.OnlyKnown();
                return new ConstantValue([], [In(0).Count], null);
            case "ConstantOfShape":
            {
                node.OnlyKnown("value");
                long[] dims = Ints(node, In(0), "shape");
                int count = Limit(node, dims);
                ConstantValue fill = node.Raw("value")?.T is { } t ? ConstantValue.Decode(t, $"{node.Describe}: value") : new ConstantValue([1], null, [0f]);
                return fill.IsFloat
                    ? new ConstantValue(dims, null, Enumerable.Repeat(fill.Floats![0], count).ToArray())
                    : new ConstantValue(dims, Enumerable.Repeat(fill.Ints![0], count).ToArray(), null);
            }
            case "Expand":
            {
                node.OnlyKnown();
                ConstantValue x = In(0);
                long[] shape = Ints(node, In(1), "shape");
                long[] dims = Shapes.Broadcast(node, x.Dims, shape);
                Limit(node, dims);
                return x.Select(dims, Shapes.BroadcastIndices(x.Dims, dims));
            }
            case "Range":
            {
                node.OnlyKnown();
                ConstantValue start = In(0), limit = In(1), delta = In(2);
                var values = new List<double>();
                double d = delta[0];
                if (d == 0)
                {
                    throw node.Error("its delta is 0.");
                }
                Limit(node, [(long)Math.Max(0, Math.Ceiling((limit[0] - start[0]) / d))]);
                for (double v = start[0]; d > 0 ? v < limit[0] : v > limit[0]; v += d)
                {
                    values.Add(v);
                }
                return start.IsFloat
                    ? new ConstantValue([values.Count], null, values.Select(v => (float)v).ToArray())
                    : new ConstantValue([values.Count], values.Select(v => (long)v).ToArray(), null);
            }
            case "Neg":
                node.OnlyKnown();
                return Unary(In(0), v => -v, v => -v);
            case "Sqrt":
                node.OnlyKnown();
                return Unary(In(0), MathF.Sqrt, v => (long)Math.Sqrt(v));
            case "Reciprocal":
                node.OnlyKnown();
                return Unary(In(0), v => 1f / v, v => v == 0 ? throw node.Error("it divides by zero.") : 1 / v);
            case "Floor":
                node.OnlyKnown();
                return Unary(In(0), MathF.Floor, v => v);
            case "Ceil":
                node.OnlyKnown();
                return Unary(In(0), MathF.Ceiling, v => v);
            case "Add":
            case "Sub":
            case "Mul":
            case "Div":
            case "Equal":
            {
                node.OnlyKnown("broadcast", "axis");
                ConstantValue a = In(0), b = In(1);
                Func<float, float, float> f = node.Op switch
                {
                    "Add" => (x, y) => x + y,
                    "Sub" => (x, y) => x - y,
                    "Mul" => (x, y) => x * y,
                    "Div" => (x, y) => x / y,
                    _ => (x, y) => x == y ? 1 : 0,
                };
                Func<long, long, long> g = node.Op switch
                {
                    "Add" => (x, y) => x + y,
                    "Sub" => (x, y) => x - y,
                    "Mul" => (x, y) => x * y,
                    "Div" => (x, y) => y == 0 ? throw node.Error("it divides an integer by zero.") : x / y,
                    _ => (x, y) => x == y ? 1 : 0,
                };
                return Binary(node, a, b, f, g);
            }
            case "Where":
            {
                node.OnlyKnown();
                ConstantValue c = In(0), a = In(1), b = In(2);
                long[] dims = Shapes.Broadcast(node, Shapes.Broadcast(node, c.Dims, a.Dims), b.Dims);
                int[] ci = Shapes.BroadcastIndices(c.Dims, dims), ai = Shapes.BroadcastIndices(a.Dims, dims), bi = Shapes.BroadcastIndices(b.Dims, dims);
                var picked = Enumerable.Range(0, ci.Length).Select(i => c[ci[i]] != 0 ? (true, ai[i]) : (false, bi[i])).ToList();
                if (a.IsFloat != b.IsFloat)
                {
                    throw node.Error("its two value inputs have different types.");
                }
                return a.IsFloat
                    ? new ConstantValue(dims, null, picked.Select(p => p.Item1 ? a.Floats![p.Item2] : b.Floats![p.Item2]).ToArray())
                    : new ConstantValue(dims, picked.Select(p => p.Item1 ? a.Ints![p.Item2] : b.Ints![p.Item2]).ToArray(), null);
            }
            default:
                throw node.Error($"it computes {node.Op} on constants only; CnnGen folds {string.Join(", ", Operators)} of constants, nothing else.");
        }
    }

    /// <summary>The most elements a constant computed at import may have (a shape computation never needs more).</summary>
    public const int MaxComputedElements = 1 << 24;

    private static int Limit(NodeContext node, long[] dims)
    {
        if (dims.Any(d => d < 0))
        {
            throw node.Error($"its result would have the negative dimension in {NodeContext.Format(dims)}.");
        }
        double count = dims.Aggregate(1.0, (a, d) => a * d);
        if (count > MaxComputedElements)
        {
            throw node.Error($"its result {NodeContext.Format(dims)} would have more than {MaxComputedElements} elements; CnnGen evaluates only small constants (shapes) at import.");
        }
        return (int)count;
    }

    public static long[] Ints(NodeContext node, ConstantValue value, string role) =>
        value.IsFloat ? throw node.Error($"its {role} holds floats where integers were expected.") : value.Ints!;

    private static ConstantValue Unary(ConstantValue x, Func<float, float> f, Func<long, long> g) =>
        x.IsFloat ? new ConstantValue(x.Dims, null, x.Floats!.Select(f).ToArray()) : new ConstantValue(x.Dims, x.Ints!.Select(g).ToArray(), null);

    private static ConstantValue Binary(NodeContext node, ConstantValue a, ConstantValue b, Func<float, float, float> f, Func<long, long, long> g)
    {
        if (a.IsFloat != b.IsFloat)
        {
            throw node.Error("its inputs have different types (one integer, one float).");
        }
        long[] dims = Shapes.Broadcast(node, a.Dims, b.Dims);
        int[] ai = Shapes.BroadcastIndices(a.Dims, dims), bi = Shapes.BroadcastIndices(b.Dims, dims);
        return a.IsFloat
            ? new ConstantValue(dims, null, ai.Select((i, k) => f(a.Floats![i], b.Floats![bi[k]])).ToArray())
            : new ConstantValue(dims, ai.Select((i, k) => g(a.Ints![i], b.Ints![bi[k]])).ToArray(), null);
    }

    private static ConstantValue Concat(NodeContext node, List<ConstantValue> parts)
    {
        if (parts.Count == 0)
        {
            throw node.Error("it has no inputs; a Concat needs at least one."); // no inputs count as all constant
        }
        int rank = parts[0].Dims.Length;
        int axis = Shapes.Axis(node, node.Int("axis", 0), rank, "axis");
        if (parts.Any(p => p.Dims.Length != rank || p.IsFloat != parts[0].IsFloat))
        {
            throw node.Error("its constant inputs differ in rank or type.");
        }
        long outer = ConstantValue.Product(parts[0].Dims.Take(axis));
        var dims = (long[])parts[0].Dims.Clone();
        dims[axis] = parts.Sum(p => p.Dims[axis]);
        var floats = new List<float>();
        var ints = new List<long>();
        for (long o = 0; o < outer; o++)
        {
            foreach (ConstantValue p in parts)
            {
                long block = ConstantValue.Product(p.Dims.Skip(axis));
                for (long k = 0; k < block; k++)
                {
                    if (p.IsFloat)
                    {
                        floats.Add(p.Floats![o * block + k]);
                    }
                    else
                    {
                        ints.Add(p.Ints![o * block + k]);
                    }
                }
            }
        }
        return parts[0].IsFloat ? new ConstantValue(dims, null, floats.ToArray()) : new ConstantValue(dims, ints.ToArray(), null);
    }

    private static ConstantValue Slice(NodeContext node, ConstantValue x, long opset, Func<int, ConstantValue?> input)
    {
        SliceSpec spec = SliceSpec.Read(node, opset, i => input(i) is { } v ? Ints(node, v, "slice argument") : null);
        int rank = x.Dims.Length;
        var starts = new long[rank];
        var steps = Enumerable.Repeat(1L, rank).ToArray();
        long[] dims = (long[])x.Dims.Clone();
        for (int k = 0; k < spec.Starts.Length; k++)
        {
            int axis = Shapes.Axis(node, spec.Axes[k], rank, "axes");
            (long start, long count) = spec.Resolve(node, k, x.Dims[axis]);
            starts[axis] = start;
            steps[axis] = spec.Steps[k];
            dims[axis] = count;
        }
        var picked = new List<int>();
        var index = new long[rank];
        long total = ConstantValue.Product(dims);
        for (long p = 0; p < total; p++)
        {
            long flat = 0;
            for (int a = 0; a < rank; a++)
            {
                flat = flat * x.Dims[a] + starts[a] + index[a] * steps[a];
            }
            picked.Add((int)flat);
            for (int a = rank - 1; a >= 0; a--)
            {
                if (++index[a] < dims[a])
                {
                    break;
                }
                index[a] = 0;
            }
        }
        return x.Select(dims, picked);
    }
}

/// <summary>The arguments of a <c>Slice</c> (attributes before opset 10, inputs from 10), with ONNX's clamping rules.</summary>
internal sealed record SliceSpec(long[] Starts, long[] Ends, long[] Axes, long[] Steps)
{
    public static SliceSpec Read(NodeContext node, long opset, Func<int, long[]?> input)
    {
        if (opset < 10)
        {
            node.OnlyKnown("starts", "ends", "axes");
            long[] s = node.Ints("starts") ?? throw node.Error("the required attribute is missing.", "starts");
            long[] e = node.Ints("ends") ?? throw node.Error("the required attribute is missing.", "ends");
            return new SliceSpec(s, e, node.Ints("axes") ?? Enumerable.Range(0, s.Length).Select(i => (long)i).ToArray(), Enumerable.Repeat(1L, s.Length).ToArray());
        }
        node.OnlyKnown();
        long[] starts = input(1) ?? throw node.Error("it has no starts.");
        long[] ends = input(2) ?? throw node.Error("it has no ends.");
        long[] axes = (node.Node.Input.Count > 3 && node.Node.Input[3].Length > 0 ? input(3) : null) ?? Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        long[] steps = (node.Node.Input.Count > 4 && node.Node.Input[4].Length > 0 ? input(4) : null) ?? Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length)
        {
            throw node.Error("its starts, ends, axes and steps differ in length.");
        }
        return new SliceSpec(starts, ends, axes, steps);
    }

    /// <summary>The first index and the number of elements taken along the <paramref name="k"/>-th sliced axis of size <paramref name="size"/>.</summary>
    public (long Start, long Count) Resolve(NodeContext node, int k, long size)
    {
        long step = Steps[k];
        if (step == 0)
        {
            throw node.Error("a step is 0.");
        }
        long Clamp(long v, long low, long high) => Math.Max(low, Math.Min(high, v));
        long start = Starts[k] < 0 ? Starts[k] + size : Starts[k];
        long end = Ends[k] < 0 && Ends[k] > long.MinValue / 2 ? Ends[k] + size : Ends[k];
        if (step > 0)
        {
            start = Clamp(start, 0, size);
            end = Clamp(end, 0, size);
            return (start, Math.Max(0, (end - start + step - 1) / step));
        }
        start = Clamp(start, 0, size - 1);
        end = Clamp(end, -1, size - 1);
        return (start, Math.Max(0, (start - end - step - 1) / -step));
    }
}
