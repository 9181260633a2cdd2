using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// <c>[Concat]</c>: each operand's channels copied after the previous operand's. In C,H,W layout a dense
/// output is the operands one after another, so each is one block copy; a bordered output is copied row by row.
/// </summary>
internal static class ConcatEmitter
{
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Region dst = step.Destination;
        int plane = l.Out.Width * l.Out.Height;
        bool dense = dst.IsDense(l.Out);
        var parameters = new System.Collections.Generic.List<string>();
        for (int k = 0; k < l.Inputs.Count; k++)
        {
            parameters.Add("ref float " + (k == 0 ? "input" : "other" + k));
        }
        parameters.Add("ref float output");
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}({string.Join(", ", parameters)})"))
        {
            int channel = 0;
            for (int k = 0; k < l.Inputs.Count; k++)
            {
                Volume v = l.InputShapes[k];
                string operand = k == 0 ? "input" : "other" + k;
                w.Line($"// {l.InputNames[k]}: {v.Depth} channels from channel {channel}");
                if (dense)
                {
                    w.Line($"{Marshal}.CreateReadOnlySpan(ref {operand}, {Int(v.Length)}).CopyTo({Marshal}.CreateSpan(ref {Aliases.Unsafe}.Add(ref output, {Int((long)channel * plane)}), {Int(v.Length)}));");
                }
                else
                {
                    using (w.Block($"for (int c = 0; c < {Int(v.Depth)}; c++)"))
                    {
                        using (w.Block($"for (int y = 0; y < {Int(v.Height)}; y++)"))
                        {
                            w.Line($"{Marshal}.CreateReadOnlySpan(ref {Aliases.Unsafe}.Add(ref {operand}, c * {Int(plane)} + y * {Int(v.Width)}), {Int(v.Width)})");
                            w.Line($"    .CopyTo({Marshal}.CreateSpan(ref {Aliases.Unsafe}.Add(ref output, (c + {Int(channel)}) * {Int(dst.PlaneStride)} + y * {Int(dst.RowStride)}), {Int(v.Width)}));");
                        }
                    }
                }
                channel += v.Depth;
            }
        }
    }
}
