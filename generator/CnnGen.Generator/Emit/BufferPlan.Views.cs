using System;
using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Layers whose output needs no kernel, because memory that already holds it can be read in its place:
/// <list type="bullet">
/// <item><description>A <c>[Slice]</c>: in C,H,W order a channel range of a dense volume is contiguous, so its
/// readers read the input at an offset. The input then stays live until the slice's last reader has run.</description></item>
/// <item><description>A <c>[Pad]</c>: its output is a zero-bordered buffer, and its input is written straight into
/// the interior (or copied there when others read it too), exactly as for a padded convolution. Its readers read
/// the whole buffer, border included, so zero padding costs nothing whatever reads it (a max pool too: its own
/// −∞ padding is a different thing and stays with the pool).</description></item>
/// <item><description>A <c>[Concat]</c>: in C,H,W order its output is its operands one after another, so each operand
/// can be written straight into its channel range of the concat's volume (SqueezeNet's fire modules: the two expand
/// convs' outputs, 55×55×64 each, were copied after both ran: 78 µs of the model's ~3 ms, measured per step in a
/// profiling harness at load 40). Only when every operand is a kernel's dense output that nothing else reads, and the
/// concat itself is dense (not the network's output, not written into a padded reader's bordered buffer).</description></item>
/// </list>
/// The network's output and a pad whose only reader is itself padded (it writes into that reader's bordered buffer) run a copy kernel instead.
/// </summary>
internal sealed partial class BufferPlan
{
    /// <summary>Which layers are <c>[Slice]</c>s read in place.</summary>
    private static bool[] SliceViews(IReadOnlyList<LayerPlan> layers)
    {
        var views = new bool[layers.Count];
        for (int i = 0; i < layers.Count - 1; i++) // the last layer writes the caller's output: a copy
        {
            views[i] = layers[i].Kind == LayerKind.Slice && !layers[i].IsDead;
        }
        return views;
    }

    /// <summary>Which layers are <c>[Pad]</c>s whose output is their own zero-bordered buffer.</summary>
    private static bool[] PadBuffers(IReadOnlyList<LayerPlan> layers, List<int>[] readers)
    {
        var buffers = new bool[layers.Count];
        for (int i = 0; i < layers.Count - 1; i++)
        {
            bool intoPaddedReader = readers[i].Count == 1 && Border(layers[readers[i][0]]) is not null;
            buffers[i] = layers[i].Kind == LayerKind.Pad && !layers[i].IsDead && !intoPaddedReader;
        }
        return buffers;
    }

    /// <summary>A pad's buffer: its whole output.</summary>
    private static (int Width, int Height)? PadBorder(LayerPlan pad) => (pad.Out.Width, pad.Out.Height);

    /// <summary>
    /// Which concats have their operands written in place, and for each tensor the concat it is an operand of (or −1):
    /// every operand must be the output of a step (a draft's last folded layer) that only the concat reads, written as a
    /// dense volume (not into a bordered buffer, not a view or a pad buffer, not another such concat), and each operand
    /// must appear once.
    /// </summary>
    private static (bool[] Views, int[] OperandOf) ConcatViews(IReadOnlyList<LayerPlan> layers, List<int>[] readers, List<Draft> drafts,
        int outputTensor, bool[] views, bool[] padBuffers, Dictionary<int, int> borderOwner)
    {
        var concats = new bool[layers.Count];
        var operandOf = new int[layers.Count];
        for (int i = 0; i < operandOf.Length; i++)
        {
            operandOf[i] = -1;
        }
        var written = new HashSet<int>(); // tensors that a step writes
        var owners = new HashSet<int>();  // layers whose kernel runs (concats with an activation folded in are left alone)
        foreach (Draft draft in drafts)
        {
            written.Add(draft.Tail);
            if (draft.Epilogue.Count == 0 && draft.Tail == draft.Owner && draft.Folds.Count == 0)
            {
                owners.Add(draft.Owner);
            }
        }
        for (int c = 0; c < layers.Count; c++)
        {
            LayerPlan concat = layers[c];
            if (concat.Kind != LayerKind.Concat || concat.IsDead || c == outputTensor || !owners.Contains(c)
                || views[c] || padBuffers[c] || borderOwner.ContainsKey(c))
            {
                continue;
            }
            bool eligible = true;
            var seen = new HashSet<int>();
            foreach (int t in concat.Inputs)
            {
                eligible &= t >= 0 && t != outputTensor && seen.Add(t) && written.Contains(t) && readers[t].Count == 1
                    && !views[t] && !padBuffers[t] && !borderOwner.ContainsKey(t) && layers[t].Kind != LayerKind.Concat
                    && layers[t].Out.Width == concat.Out.Width && layers[t].Out.Height == concat.Out.Height;
            }
            if (!eligible)
            {
                continue;
            }
            concats[c] = true;
            foreach (int t in concat.Inputs)
            {
                operandOf[t] = c;
            }
        }
        return (concats, operandOf);
    }

    /// <summary>Where a concat's operand <paramref name="tensor"/> lives: its channel range of the concat's dense volume.</summary>
    private static Region OperandView(Region concat, LayerPlan layer, int tensor)
    {
        int channel = 0, k = 0;
        for (; layer.Inputs[k] != tensor; k++)
        {
            channel += layer.InputShapes[k].Depth;
        }
        return concat with { Offset = concat.Offset + channel * concat.PlaneStride, Length = layer.InputShapes[k].Depth * concat.PlaneStride };
    }

    /// <summary>A slice's input stays live as long as the slice is read (views of views included).</summary>
    private static void ExtendThroughViews(IReadOnlyList<LayerPlan> layers, bool[] views, int[] lastRead)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            int input = views[i] ? layers[i].Inputs[0] : -1;
            if (input >= 0)
            {
                lastRead[input] = Math.Max(lastRead[input], lastRead[i]);
            }
        }
    }

    /// <summary>The channels a slice takes of <paramref name="input"/> (a dense volume: slices never read bordered buffers).</summary>
    private static Region ChannelView(Region input, LayerPlan slice) =>
        input with { Offset = input.Offset + slice.Start * input.PlaneStride, Length = slice.Out.Depth * input.PlaneStride };
}
