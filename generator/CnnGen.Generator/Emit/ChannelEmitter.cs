using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Channel moves, as block copies of whole channel planes: <c>[ChannelShuffle]</c>, and a <c>[Slice]</c> that
/// writes the network's output (every other slice is read in place: see <c>BufferPlan.Views.cs</c>). Inputs are
/// dense; into a bordered output each row is copied on its own.
/// </summary>
internal static class ChannelEmitter
{
    private const string U = Aliases.Unsafe;
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output)"))
        {
            if (l.Kind == LayerKind.Slice)
            {
                w.Line($"// Channels {l.Start} to {l.Start + l.Out.Depth - 1} are one run of values in C,H,W order.");
                Planes(w, step, $"{Int((long)l.Start * l.In.Width * l.In.Height)}", "0", l.Out.Depth);
                return;
            }
            int perGroup = l.In.Depth / l.ShuffleGroups;
            int plane = l.In.Width * l.In.Height;
            w.Line($"// Output channel i·{l.ShuffleGroups} + g is input channel g·{perGroup} + i.");
            using (w.Block($"for (int i = 0; i < {Int(perGroup)}; i++)"))
            {
                using (w.Block($"for (int g = 0; g < {Int(l.ShuffleGroups)}; g++)"))
                {
                    Planes(w, step, $"(g * {Int(perGroup)} + i) * {Int(plane)}", $"i * {Int(l.ShuffleGroups)} + g", 1);
                }
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="channels"/> whole planes from <paramref name="source"/> (an offset into the dense input)
    /// to the output's channel <paramref name="channel"/> on: one copy into a dense output, else row by row.
    /// </summary>
    internal static void Planes(SourceWriter w, Step step, string source, string channel, int channels)
    {
        Volume v = step.Layer.Out;
        Region dst = step.Destination;
        int plane = v.Width * v.Height;
        if (dst.IsDense(v))
        {
            string length = Int((long)channels * plane);
            w.Line($"{Marshal}.CreateReadOnlySpan(ref {U}.Add(ref input, {source}), {length})");
            w.Line($"    .CopyTo({Marshal}.CreateSpan(ref {U}.Add(ref output, ({channel}) * {Int(plane)}), {length}));");
            return;
        }
        using (w.Block($"for (int c = 0; c < {Int(channels)}; c++)"))
        {
            using (w.Block($"for (int y = 0; y < {Int(v.Height)}; y++)"))
            {
                w.Line($"{Marshal}.CreateReadOnlySpan(ref {U}.Add(ref input, {source} + c * {Int(plane)} + y * {Int(v.Width)}), {Int(v.Width)})");
                w.Line($"    .CopyTo({Marshal}.CreateSpan(ref {U}.Add(ref output, ({channel} + c) * {Int(dst.PlaneStride)} + y * {Int(dst.RowStride)}), {Int(v.Width)}));");
            }
        }
    }
}
