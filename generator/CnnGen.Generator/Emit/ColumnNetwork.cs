using System.Collections.Immutable;
using System.Linq;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Networks whose every volume is one column wide (a signal declared along the height, <c>[Input(1, length,
/// channels)]</c>) run as the same network turned on its side. In C,H,W order a one-column volume keeps element
/// (c, y) at <c>c · H + y</c>, which is exactly where the one-row volume of the turned network keeps element (c, x = y);
/// a filter one column wide stores its taps where the turned one-row filter does (wider filters, whose outer columns
/// can only read padding, are first cut to their middle column by <see cref="DeadTaps"/>; any other leaves the network
/// as declared); so swapping every layer's x and y
/// (sizes, windows, strides, padding, dilation, scales) moves no value and changes no index. The kernels then see rows
/// they can vectorize along: the row kernels vectorize along the width, and a one-column plane otherwise takes the
/// scalar fallback (a 1×5 conv on 1×400×32 measured 784 µs against ONNX Runtime's 39.5 µs before this; the turned
/// network runs the 1-D kernels).
/// Only the kernels see the turned plan: constants, docs and <c>Layers</c> keep the declared shapes.
/// </summary>
internal static class ColumnNetwork
{
    /// <summary>Every volume (the input, each layer's inputs and output) is one column wide, and some is taller than one row.</summary>
    public static bool Applies(NetworkPlan plan)
    {
        if (!plan.IsValid || plan.Input.Width != 1)
        {
            return false;
        }
        bool tall = plan.Input.Height > 1;
        foreach (LayerPlan layer in plan.Layers)
        {
            if (layer.Out.Width != 1 || layer.InputShapes.Any(v => v.Width != 1) || layer.In.Width != 1
                || (layer.Kind is LayerKind.Conv or LayerKind.ConvTranspose && layer.KernelWidth != 1))
            {
                return false; // a filter wider than one column stores its taps row by row: turned, they would be transposed
            }
            tall |= layer.Out.Height > 1;
        }
        return tall;
    }

    /// <summary>The network turned on its side: every volume one row high, every layer's x and y swapped.</summary>
    public static NetworkPlan AsRow(NetworkPlan plan) =>
        plan with
        {
            Input = Turn(plan.Input),
            Layers = new EquatableArray<LayerPlan>(plan.Layers.Select(Turn).ToImmutableArray()),
        };

    private static Volume Turn(Volume v) => new(v.Height, v.Width, v.Depth);

    private static LayerPlan Turn(LayerPlan l) =>
        l with
        {
            In = Turn(l.In),
            Out = Turn(l.Out),
            InputShapes = new EquatableArray<Volume>(l.InputShapes.Select(Turn).ToImmutableArray()),
            KernelWidth = l.KernelHeight,
            KernelHeight = l.KernelWidth,
            StrideX = l.StrideY,
            StrideY = l.StrideX,
            PadLeft = l.PadTop,
            PadTop = l.PadLeft,
            PadRight = l.PadBottom,
            PadBottom = l.PadRight,
            DilationX = l.DilationY,
            DilationY = l.DilationX,
            ScaleX = l.ScaleY,
            ScaleY = l.ScaleX,
            OutputPaddingX = l.OutputPaddingY,
            OutputPaddingY = l.OutputPaddingX,
        };
}
