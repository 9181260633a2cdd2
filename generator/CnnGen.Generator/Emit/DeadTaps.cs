using System.Collections.Immutable;
using System.Linq;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Dense convs whose outer taps only ever read padding run on the taps that can read the input. DeepLabV3's ASPP convs are
/// the case in point: 3×3 windows dilated by 12, 24 and 36 with as much padding, on the 6×6 (or smaller) maps of a small
/// input, where every tap but the centre reads zeros for every output, so each is a 1×1 conv; run as declared they
/// filled a 78×78 zero-bordered copy of 960 channels and multiplied nine taps each (deeplabv3_mobilenet_v3_large at
/// 96×96 took 5.5 ms against ONNX Runtime's 2.7 ms, three quarters of it in those three layers).
/// <para>
/// The kept taps are the block from the first to the last tap, on each axis, that reads the input for some output; the
/// padding shrinks by the dropped taps' reach, so every output keeps its value. The generated constructor compacts the
/// weights in place (<c>CnnGen.Internal.KeptTaps</c>) before any other construction step, and the kernels, folds and
/// panels see the smaller window; the class's constants, docs and <c>Layers</c> keep the declared one.
/// </para>
/// </summary>
internal static class DeadTaps
{
    /// <summary>The plan with every conv that has dead outer taps on its kept window.</summary>
    public static NetworkPlan Trim(NetworkPlan plan)
    {
        if (!plan.IsValid)
        {
            return plan;
        }
        ImmutableArray<LayerPlan> layers = plan.Layers.Select(l => Kept(l) ?? l).ToImmutableArray();
        return layers.Any(l => l.Declared is not null) ? plan with { Layers = new EquatableArray<LayerPlan>(layers) } : plan;
    }

    /// <summary>The constructor's calls that compact the weights of the trimmed convs (before the folds and panels read them).</summary>
    public static void Calls(SourceWriter w, BufferPlan buffers)
    {
        foreach (Step step in buffers.Steps)
        {
            LayerPlan l = step.Layer;
            if (l.Declared is DeclaredWindow d)
            {
                w.Line($"// {l.Name}: only taps ({d.FirstColumn}..{d.FirstColumn + d.Columns - 1}, {d.FirstRow}..{d.FirstRow + d.Rows - 1}) of its {d.KernelWidth}×{d.KernelHeight} window ever read the input; the others read only padding.");
                w.Line($"global::CnnGen.Internal.KeptTaps.Keep(_parameters, {Int(l.ParameterOffset)}, {Int((long)l.Out.Depth * (l.In.Depth / l.Groups))}, {d.KernelHeight}, {d.KernelWidth}, {d.FirstRow}, {d.FirstColumn}, {d.Rows}, {d.Columns}, {l.Out.Depth});");
            }
        }
    }

    /// <summary><paramref name="l"/> on its kept taps, or null when it is not a conv or keeps them all.</summary>
    private static LayerPlan? Kept(LayerPlan l)
    {
        if (l.Kind != LayerKind.Conv || l.Groups != 1 || l.IsDead || !l.HasPadding || l.Declared is not null)
        {
            return null; // grouped and depthwise kernels already leave out the taps over padding, tile by tile
        }
        (int firstColumn, int lastColumn) = Live(l.In.Width, l.Out.Width, l.KernelWidth, l.StrideX, l.DilationX, l.PadLeft);
        (int firstRow, int lastRow) = Live(l.In.Height, l.Out.Height, l.KernelHeight, l.StrideY, l.DilationY, l.PadTop);
        if (firstColumn > lastColumn || firstRow > lastRow) // no tap reads the input: the outputs are the biases; left as declared
        {
            return null;
        }
        int columns = lastColumn - firstColumn + 1, rows = lastRow - firstRow + 1;
        if (columns == l.KernelWidth && rows == l.KernelHeight)
        {
            return null;
        }
        int padLeft = l.PadLeft - firstColumn * l.DilationX, padRight = l.PadRight - (l.KernelWidth - 1 - lastColumn) * l.DilationX;
        int padTop = l.PadTop - firstRow * l.DilationY, padBottom = l.PadBottom - (l.KernelHeight - 1 - lastRow) * l.DilationY;
        if (padLeft < 0 || padRight < 0 || padTop < 0 || padBottom < 0)
        {
            return null; // a stride that jumps over the input: rare enough to leave as declared
        }
        return l with
        {
            KernelWidth = columns,
            KernelHeight = rows,
            DilationX = columns == 1 ? 1 : l.DilationX,
            DilationY = rows == 1 ? 1 : l.DilationY,
            PadLeft = padLeft,
            PadRight = padRight,
            PadTop = padTop,
            PadBottom = padBottom,
            Parameters = (long)columns * rows * (l.In.Depth / l.Groups) * l.Out.Depth + l.Out.Depth,
            Declared = new DeclaredWindow(l.KernelWidth, l.KernelHeight, firstColumn, firstRow, columns, rows),
        };
    }

    /// <summary>The first and last tap on one axis that reads a position inside the input for some output (first &gt; last when none does).</summary>
    private static (int First, int Last) Live(int input, int outputs, int kernel, int stride, int dilation, int padding)
    {
        int first = kernel, last = -1;
        for (int k = 0; k < kernel; k++)
        {
            for (int o = 0; o < outputs; o++)
            {
                int at = o * stride + k * dilation - padding;
                if (at >= 0 && at < input)
                {
                    first = System.Math.Min(first, k);
                    last = k;
                    break;
                }
            }
        }
        return (first, last);
    }
}
