using System.Globalization;
using CnnGen.Generator.Model;
using CnnGen.Geometry;
using static CnnGen.Generator.Shapes.Checks;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary><c>[Conv]</c>: kernel, stride, padding and dilation per axis; filters span the input depth.</summary>
internal static class ConvRule
{
    public static LayerPlan? Infer(LayerContext c)
    {
        LayerSpec layer = c.Spec;
        Volume input = c.Input;
        bool ok = Positive(c, "width", layer.Width, "the kernel width")
                & Positive(c, "height", layer.Height, "the kernel height")
                & Positive(c, "filters", layer.Count, "the number of filters");
        var (strideX, strideXArg) = Pick(layer.StrideX, "StrideX", layer.Stride, "Stride", 1);
        var (strideY, strideYArg) = Pick(layer.StrideY, "StrideY", layer.Stride, "Stride", 1);
        var (dilationX, dilationXArg) = Pick(layer.DilationX, "DilationX", layer.Dilation, "Dilation", 1);
        var (dilationY, dilationYArg) = Pick(layer.DilationY, "DilationY", layer.Dilation, "Dilation", 1);
        ok &= Positive(c, strideXArg, strideX, "the stride")
            & Positive(c, strideYArg, strideY, "the stride")
            & Positive(c, dilationXArg, dilationX, "the dilation")
            & Positive(c, dilationYArg, dilationY, "the dilation");
        ok &= Paddings(c, out int left, out int top, out int right, out int bottom);
        ok &= GroupsRule.Check(c, input.Depth, layer.Count, out int groups);
        if (layer.ExpectedDepth is int depth && depth != input.Depth)
        {
            c.Problems.Add(ShapeProblem.Create(ProblemKind.DepthMismatch, c.Index, "Depth", c.Name, depth, input, input.Depth) with
            {
                FixArgument = "Depth",
                FixValue = input.Depth.ToString(CultureInfo.InvariantCulture),
            });
        }
        if (!ok)
        {
            return null;
        }

        AxisResult x = Axis(c.Index, c.Name, "width", input.Width, layer.Width, strideX, strideXArg, left, right, dilationX, ceil: false);
        AxisResult y = Axis(c.Index, c.Name, "height", input.Height, layer.Height, strideY, strideYArg, top, bottom, dilationY, ceil: false);
        if (!Report(c.Problems, x, y))
        {
            return null;
        }
        long weights = LayerMath.ConvWeights(layer.Width, layer.Height, input.Depth, layer.Count, groups);
        return new LayerPlan(LayerKind.Conv, c.Name, input, new Volume((int)x.Size, (int)y.Size, layer.Count))
        {
            KernelWidth = layer.Width,
            KernelHeight = layer.Height,
            StrideX = strideX,
            StrideY = strideY,
            PadLeft = left,
            PadTop = top,
            PadRight = right,
            PadBottom = bottom,
            DilationX = dilationX,
            DilationY = dilationY,
            Groups = groups,
            Parameters = LayerMath.ConvParameters(layer.Width, layer.Height, input.Depth, layer.Count, groups),
            MultiplyAdds = LayerMath.MultiplyAdds(weights, (int)x.Size, (int)y.Size),
        };
    }
}
