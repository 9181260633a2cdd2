using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// <c>[Pad]</c> as a kernel: zeros around each channel and the input copied into the middle, row by row. Only for a
/// pad that writes the network's output or the bordered buffer of a padded reader; every other pad is a zero-bordered
/// buffer that its input is written into (see <c>BufferPlan.Views.cs</c>).
/// </summary>
internal static class PadEmitter
{
    private const string U = Aliases.Unsafe;
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Region dst = step.Destination;
        int width = l.Out.Width, inWidth = l.In.Width, plane = inWidth * l.In.Height;
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output)"))
        {
            using (w.Block($"for (int c = 0; c < {Int(l.In.Depth)}; c++)"))
            {
                w.Line($"ref float plane = ref {U}.Add(ref output, c * {Int(dst.PlaneStride)});");
                if (l.PadTop > 0)
                {
                    using (w.Block($"for (int y = 0; y < {Int(l.PadTop)}; y++)"))
                    {
                        w.Line($"{Marshal}.CreateSpan(ref {U}.Add(ref plane, y * {Int(dst.RowStride)}), {Int(width)}).Clear();");
                    }
                }
                using (w.Block($"for (int y = 0; y < {Int(l.In.Height)}; y++)"))
                {
                    w.Line($"ref float row = ref {U}.Add(ref plane, (y + {Int(l.PadTop)}) * {Int(dst.RowStride)});");
                    if (l.PadLeft > 0)
                    {
                        w.Line($"{Marshal}.CreateSpan(ref row, {Int(l.PadLeft)}).Clear();");
                    }
                    w.Line($"{Marshal}.CreateReadOnlySpan(ref {U}.Add(ref input, c * {Int(plane)} + y * {Int(inWidth)}), {Int(inWidth)})");
                    w.Line($"    .CopyTo({Marshal}.CreateSpan(ref {U}.Add(ref row, {Int(l.PadLeft)}), {Int(inWidth)}));");
                    if (l.PadRight > 0)
                    {
                        w.Line($"{Marshal}.CreateSpan(ref {U}.Add(ref row, {Int(l.PadLeft + inWidth)}), {Int(l.PadRight)}).Clear();");
                    }
                }
                if (l.PadBottom > 0)
                {
                    using (w.Block($"for (int y = {Int(l.PadTop + l.In.Height)}; y < {Int(l.Out.Height)}; y++)"))
                    {
                        w.Line($"{Marshal}.CreateSpan(ref {U}.Add(ref plane, y * {Int(dst.RowStride)}), {Int(width)}).Clear();");
                    }
                }
            }
        }
    }
}
