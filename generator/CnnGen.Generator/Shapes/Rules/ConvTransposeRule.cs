using CnnGen.Generator.Model;
using CnnGen.Geometry;
using static CnnGen.Generator.Shapes.Checks;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary>
/// <c>[ConvTranspose(width, height, filters, Stride, Padding, OutputPadding)]</c>: output size per axis
/// <c>(in − 1)·Stride − 2·Padding + (F − 1) + OutputPadding + 1</c> (PyTorch's rule, dilation 1).
/// </summary>
internal static class ConvTransposeRule
{
    public static LayerPlan? Infer(LayerContext c)
    {
        LayerSpec layer = c.Spec;
        Volume input = c.Input;
        int stride = layer.Stride ?? 1, padding = layer.Padding ?? 0, outputPadding = layer.Int("OutputPadding") ?? 0;
        bool ok = Positive(c, "width", layer.Width, "the kernel width")
                & Positive(c, "height", layer.Height, "the kernel height")
                & Positive(c, "filters", layer.Count, "the number of filters")
                & Positive(c, "Stride", stride, "the stride");
        foreach ((string argument, int value) in new[] { ("Padding", padding), ("OutputPadding", outputPadding) })
        {
            if (value < 0)
            {
                c.Add(ProblemKind.NegativePadding, argument, c.Name, argument, value);
                ok = false;
            }
        }
        if (ok && outputPadding >= stride)
        {
            c.Add(ProblemKind.OutputPaddingTooLarge, "OutputPadding", c.Name, outputPadding, stride);
            ok = false;
        }
        if (!ok)
        {
            return null;
        }

        long width = Axis(c, "width", input.Width, layer.Width, stride, padding, outputPadding);
        long height = Axis(c, "height", input.Height, layer.Height, stride, padding, outputPadding);
        if (width < 1 || height < 1)
        {
            return null;
        }
        if (width > int.MaxValue || height > int.MaxValue)
        {
            c.Add(ProblemKind.TooLarge, null, c.Name, "the output " + (width > int.MaxValue ? "width" : "height"), Format(System.Math.Max(width, height)));
            return null;
        }
        foreach ((string axis, int window) in new[] { ("width", layer.Width), ("height", layer.Height) })
        {
            if (padding >= window)
            {
                c.Add(ProblemKind.TransposePaddingUnread, "Padding", c.Name, padding, axis, window);
                break;
            }
        }
        long weights = LayerMath.ConvTransposeWeights(layer.Width, layer.Height, input.Depth, layer.Count);
        return new LayerPlan(LayerKind.ConvTranspose, c.Name, input, new Volume((int)width, (int)height, layer.Count))
        {
            KernelWidth = layer.Width,
            KernelHeight = layer.Height,
            StrideX = stride,
            StrideY = stride,
            PadLeft = padding,
            PadTop = padding,
            PadRight = padding,
            PadBottom = padding,
            OutputPaddingX = outputPadding,
            OutputPaddingY = outputPadding,
            Parameters = LayerMath.ConvTransposeParameters(layer.Width, layer.Height, input.Depth, layer.Count),
            MultiplyAdds = LayerMath.MultiplyAdds(weights, input.Width, input.Height),
        };
    }

    /// <summary>The output size along one axis, with CNN0039 when the padding crops it to nothing.</summary>
    private static long Axis(LayerContext c, string axis, int size, int window, int stride, int padding, int outputPadding)
    {
        long result = LayerMath.ConvTransposeOutputSize(size, window, stride, padding, outputPadding);
        if (result < 1)
        {
            string formula = $"({Format(size)} − 1)·{Format(stride)} − 2·{Format(padding)} + ({Format(window)} − 1) + {Format(outputPadding)} + 1 = {Format(result)}";
            c.Add(ProblemKind.TransposeOutputEmpty, "Padding", c.Name, axis, formula);
        }
        return result;
    }
}
