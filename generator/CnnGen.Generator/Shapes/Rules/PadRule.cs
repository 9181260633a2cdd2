using CnnGen.Generator.Model;
using static CnnGen.Generator.Shapes.Checks;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary><c>[Pad(padding)]</c>: zeros around each channel, (W + left + right)×(H + top + bottom)×C; each side's own value overrides <c>padding</c>.</summary>
internal static class PadRule
{
    public static LayerPlan? Infer(LayerContext c)
    {
        LayerSpec layer = c.Spec;
        Volume input = c.Input;
        int? all = layer.Int("padding");
        int left = layer.PadLeft ?? all ?? 0, top = layer.PadTop ?? all ?? 0;
        int right = layer.PadRight ?? all ?? 0, bottom = layer.PadBottom ?? all ?? 0;
        bool ok = NonNegative(c, PadArgument(layer.PadLeft, "PadLeft", all, "padding"), left)
                & NonNegative(c, PadArgument(layer.PadTop, "PadTop", all, "padding"), top)
                & NonNegative(c, PadArgument(layer.PadRight, "PadRight", all, "padding"), right)
                & NonNegative(c, PadArgument(layer.PadBottom, "PadBottom", all, "padding"), bottom);
        if (!ok)
        {
            return null;
        }
        long width = (long)input.Width + left + right, height = (long)input.Height + top + bottom;
        if (width > int.MaxValue || height > int.MaxValue)
        {
            c.Add(ProblemKind.TooLarge, null, c.Name, width > int.MaxValue ? "the padded width" : "the padded height", Format(System.Math.Max(width, height)));
            return null;
        }
        if (left == 0 && top == 0 && right == 0 && bottom == 0)
        {
            c.Add(ProblemKind.PadAddsNothing, null, c.Name);
        }
        return new LayerPlan(LayerKind.Pad, c.Name, input, new Volume((int)width, (int)height, input.Depth))
        {
            PadLeft = left,
            PadTop = top,
            PadRight = right,
            PadBottom = bottom,
        };
    }

    /// <summary>The argument a side's padding came from: its own, else the positional <c>padding</c>.</summary>
    private static string PadArgument(int? side, string sideName, int? all, string allName) => side is not null || all is null ? sideName : allName;
}
