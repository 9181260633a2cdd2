using CnnGen.Generator.Model;
using static CnnGen.Generator.Shapes.Checks;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary><c>[MaxPool]</c> and <c>[AvgPool]</c>: a window per channel; the stride defaults to the window; padding stays below the window.</summary>
internal static class PoolRule
{
    public static LayerPlan? Infer(LayerContext c)
    {
        LayerSpec layer = c.Spec;
        Volume input = c.Input;
        bool ok = Positive(c, "width", layer.Width, "the window width")
                & Positive(c, "height", layer.Height, "the window height");
        var (strideX, strideXArg) = Pick(layer.StrideX, "StrideX", layer.Stride, "Stride", layer.Width);
        var (strideY, strideYArg) = Pick(layer.StrideY, "StrideY", layer.Stride, "Stride", layer.Height);
        // A default stride follows the window, which is already reported when it is not positive.
        ok &= (strideX == layer.Width && layer.Width < 1 || Positive(c, strideXArg, strideX, "the stride"))
            & (strideY == layer.Height && layer.Height < 1 || Positive(c, strideYArg, strideY, "the stride"));
        ok &= Paddings(c, out int left, out int top, out int right, out int bottom);
        if (!ok)
        {
            return null;
        }
        ok &= PoolPadding(c, "horizontal", PadArgument(layer.PadLeft, "PadLeft", layer.Padding), left, layer.Width)
            & PoolPadding(c, "horizontal", PadArgument(layer.PadRight, "PadRight", layer.Padding), right, layer.Width)
            & PoolPadding(c, "vertical", PadArgument(layer.PadTop, "PadTop", layer.Padding), top, layer.Height)
            & PoolPadding(c, "vertical", PadArgument(layer.PadBottom, "PadBottom", layer.Padding), bottom, layer.Height);
        if (!ok)
        {
            return null;
        }

        AxisResult x = Axis(c.Index, c.Name, "width", input.Width, layer.Width, strideX, strideXArg, left, right, 1, layer.CeilMode);
        AxisResult y = Axis(c.Index, c.Name, "height", input.Height, layer.Height, strideY, strideYArg, top, bottom, 1, layer.CeilMode);
        if (!Report(c.Problems, x, y))
        {
            return null;
        }
        return new LayerPlan(layer.Kind, c.Name, input, new Volume((int)x.Size, (int)y.Size, input.Depth))
        {
            KernelWidth = layer.Width,
            KernelHeight = layer.Height,
            StrideX = strideX,
            StrideY = strideY,
            PadLeft = left,
            PadTop = top,
            PadRight = right,
            PadBottom = bottom,
            CeilMode = layer.CeilMode,
            ExcludePadding = layer.Kind == LayerKind.AvgPool && layer.ExcludePadding,
        };
    }

    /// <summary>A window must always see one real element: padding below the window.</summary>
    private static bool PoolPadding(LayerContext c, string axis, string argument, int padding, int window)
    {
        if (padding < window)
        {
            return true;
        }
        if (!AlreadyReported(c.Problems, ProblemKind.PoolPaddingTooLarge, c.Index, argument))
        {
            c.Add(ProblemKind.PoolPaddingTooLarge, argument, c.Name, axis, padding, window);
        }
        return false;
    }
}
