using CnnGen.Generator.Model;
using static CnnGen.Generator.Shapes.Checks;

namespace CnnGen.Generator.Shapes.Rules;

/// <summary>
/// <c>[Upsample(scale)]</c>: (W·ScaleX)×(H·ScaleY)×C; <c>ScaleX</c>/<c>ScaleY</c> override <c>scale</c> on their axis;
/// <c>Mode</c> is an <c>UpsampleMode</c> (it arrives as its underlying int); <c>AlignCorners</c> only with bilinear.
/// </summary>
internal static class UpsampleRule
{
    /// <summary><c>UpsampleMode.Nearest</c> and <c>UpsampleMode.Bilinear</c>, as the parser reads them.</summary>
    private const int Nearest = 0, Bilinear = 1;

    public static LayerPlan? Infer(LayerContext c)
    {
        LayerSpec layer = c.Spec;
        Volume input = c.Input;
        var (scaleX, scaleXArg) = Pick(layer.Int("ScaleX"), "ScaleX", layer.Int("scale"), "scale", 1);
        var (scaleY, scaleYArg) = Pick(layer.Int("ScaleY"), "ScaleY", layer.Int("scale"), "scale", 1);
        bool ok = Positive(c, scaleXArg, scaleX, "the scale") & Positive(c, scaleYArg, scaleY, "the scale");
        int mode = layer.Int("Mode") ?? Nearest;
        if (mode is not (Nearest or Bilinear))
        {
            c.Add(ProblemKind.UnknownUpsampleMode, "Mode", c.Name, mode);
            ok = false;
        }
        else if (mode == Nearest && layer.Bool("AlignCorners"))
        {
            c.Add(ProblemKind.AlignCornersNeedsBilinear, "AlignCorners", c.Name);
            ok = false;
        }
        if (!ok)
        {
            return null;
        }
        long width = (long)input.Width * scaleX, height = (long)input.Height * scaleY;
        if (width > int.MaxValue || height > int.MaxValue)
        {
            c.Add(ProblemKind.TooLarge, null, c.Name, width > int.MaxValue ? "the upsampled width" : "the upsampled height", Format(System.Math.Max(width, height)));
            return null;
        }
        return new LayerPlan(LayerKind.Upsample, c.Name, input, new Volume((int)width, (int)height, input.Depth))
        {
            ScaleX = scaleX,
            ScaleY = scaleY,
            Bilinear = mode == Bilinear,
            AlignCorners = layer.Bool("AlignCorners"),
        };
    }
}
