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
