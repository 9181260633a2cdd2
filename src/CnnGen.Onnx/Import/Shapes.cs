using System;
using System.Linq;

namespace CnnGen.Onnx.Import;

/// <summary>ONNX's shape rules (Reshape, Squeeze, Unsqueeze, Transpose, broadcasting), shared by constants and computed tensors.</summary>
internal static class Shapes
{
    /// <summary>An axis attribute in [−rank, rank) made non-negative.</summary>
    public static int Axis(NodeContext node, long axis, int rank, string attribute)
    {
        if (axis < -rank || axis >= rank)
        {
            throw node.Error($"{axis} is outside the input's {rank} axes.", attribute);
        }
        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>Python-style [start, end) clamped to <paramref name="rank"/> (Shape's start/end).</summary>
    public static (long Start, long End) Range(long start, long end, int rank)
    {
        start = Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        end = Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        return (start, end);
    }

    /// <summary>Reshape's target with 0 (copy) and −1 (infer) resolved for <paramref name="count"/> values.</summary>
    public static long[] Resolve(NodeContext node, long[] inputDims, long[] target, long count)
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
            known = checked(known * t);
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

    public static long[] Squeeze(NodeContext node, long[] dims, long[]? axes)
    {
        if (axes is null)
        {
            return dims.Where(d => d != 1).ToArray();
        }
        var drop = axes.Select(a => Axis(node, a, dims.Length, "axes")).ToHashSet();
        if (drop.Any(a => dims[a] != 1))
        {
            throw node.Error($"it squeezes an axis of {NodeContext.Format(dims)} whose size is not 1.", "axes");
        }
        return dims.Where((d, i) => !drop.Contains(i)).ToArray();
    }

    public static long[] Unsqueeze(NodeContext node, long[] dims, long[] axes)
    {
        int rank = dims.Length + axes.Length;
        var added = axes.Select(a => Axis(node, a, rank, "axes")).ToHashSet();
        var result = new long[rank];
        int k = 0;
        for (int i = 0; i < rank; i++)
        {
            result[i] = added.Contains(i) ? 1 : dims[k++];
        }
        return result;
    }

    /// <summary>The transposed dimensions and, for each output position (row-major), the input position it reads.</summary>
    public static (long[] Dims, int[] Map) Transpose(NodeContext node, long[] dims, long[] perm)
    {
        int rank = dims.Length;
        if (perm.Length != rank || perm.Distinct().Count() != rank || perm.Any(p => p < 0 || p >= rank))
        {
            throw node.Error($"{NodeContext.Format(perm)} is not a permutation of the input's {rank} axes.", "perm");
        }
        long[] result = perm.Select(p => dims[p]).ToArray();
        long[] strides = new long[rank];
        long s = 1;
        for (int k = rank - 1; k >= 0; k--)
        {
            strides[k] = s;
            s *= dims[k];
        }
        int length = checked((int)s);
        var map = new int[length];
        var index = new long[rank];
        for (int p = 0; p < length; p++)
        {
            long q = 0;
            for (int k = 0; k < rank; k++)
            {
                q += index[k] * strides[perm[k]];
            }
            map[p] = (int)q;
            for (int k = rank - 1; k >= 0; k--)
            {
                if (++index[k] < result[k])
                {
                    break;
                }
                index[k] = 0;
            }
        }
        return (result, map);
    }

    /// <summary>Multidirectional (NumPy) broadcasting of two shapes.</summary>
    public static long[] Broadcast(NodeContext node, long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (int i = 1; i <= rank; i++)
        {
            long x = i <= a.Length ? a[^i] : 1, y = i <= b.Length ? b[^i] : 1;
            if (x != y && x != 1 && y != 1)
            {
                throw node.Error($"shapes {NodeContext.Format(a)} and {NodeContext.Format(b)} do not broadcast.");
            }
            result[^i] = x == 1 ? y : x;
        }
        return result;
    }

    /// <summary>For each position of <paramref name="target"/>, the flat index it reads in a tensor of shape <paramref name="source"/> broadcast to it.</summary>
    public static int[] BroadcastIndices(long[] source, long[] target)
    {
        int rank = target.Length;
        long count = target.Aggregate(1L, (x, y) => x * y);
        var result = new int[count];
        var index = new long[rank];
        for (long p = 0; p < count; p++)
        {
            long q = 0;
            for (int k = 0; k < source.Length; k++)
            {
                long d = source[k];
                q = q * d + (d == 1 ? 0 : index[rank - source.Length + k]);
            }
            result[p] = (int)q;
            for (int k = rank - 1; k >= 0; k--)
            {
                if (++index[k] < target[k])
                {
                    break;
                }
                index[k] = 0;
            }
        }
        return result;
    }
}
