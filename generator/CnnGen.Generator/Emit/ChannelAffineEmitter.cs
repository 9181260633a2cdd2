using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// A per-channel <c>x·scale + shift</c> pass with the fused epilogue after it: a <c>[BatchNorm]</c> that could
/// not be folded into a kernel (its scale and shift are computed by the constructor, see
/// <see cref="ConstructionFolds"/>), or a <c>[Normalize]</c> (<c>scale = 1/std</c>, <c>shift = −mean/std</c>,
/// constants in the code). Rows run 8 values at a time where 256-bit vectors are accelerated, 4 where only
/// 128-bit ones are (Arm64, x64 without AVX2, WebAssembly), then one at a time; the output may be the interior of the next layer's bordered buffer.
/// </summary>
internal static class ChannelAffineEmitter
{
    private const string U = Aliases.Unsafe;

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        Volume v = l.Out;
        int plane = v.Width * v.Height;
        bool dense = src.IsDense(v) && dst.IsDense(v);
        bool normalize = l.Kind == LayerKind.Normalize;
        MethodHeader(w, step);
        string parameters = normalize ? "ref float input, ref float output" : "ref float input, ref float output, ref float weights";
        using (w.Block($"private static void {step.Method}({parameters})"))
        {
            if (normalize)
            {
                var scales = new List<float>();
                var shifts = new List<float>();
                for (int c = 0; c < v.Depth; c++)
                {
                    scales.Add(1f / l.Std[c]);
                    shifts.Add(-l.Mean[c] / l.Std[c]);
                }
                w.Line($"global::System.ReadOnlySpan<float> scales = {Literals.Floats(scales)}; // 1/std");
                w.Line($"global::System.ReadOnlySpan<float> shifts = {Literals.Floats(shifts)}; // −mean/std");
            }
            using (w.Block($"for (int c = 0; c < {Int(v.Depth)}; c++)"))
            {
                if (normalize)
                {
                    w.Line("float scale = scales[c];");
                    w.Line("float shift = shifts[c];");
                }
                else
                {
                    w.Line($"float scale = {U}.Add(ref weights, c); // γ/√(var + ε), stored over γ by the constructor");
                    w.Line($"float shift = {U}.Add(ref weights, {Int(v.Depth)} + c); // β − mean·scale, stored over β");
                }
                if (dense)
                {
                    Row(w, step, plane, $"c * {Int(plane)}", $"c * {Int(plane)}");
                }
                else
                {
                    using (w.Block($"for (int y = 0; y < {Int(v.Height)}; y++)"))
                    {
                        Row(w, step, v.Width, $"c * {Int(src.PlaneStride)} + y * {Int(src.RowStride)}", $"c * {Int(dst.PlaneStride)} + y * {Int(dst.RowStride)}");
                    }
                }
            }
        }
    }

    /// <summary>One run of <paramref name="length"/> values: 8 at a time (or 4 where only 128-bit vectors are accelerated), then one at a time.</summary>
    private static void Row(SourceWriter w, Step step, int length, string sourceOffset, string outputOffset)
    {
        w.Line($"ref float x = ref {U}.Add(ref input, {sourceOffset});");
        w.Line($"ref float o = ref {U}.Add(ref output, {outputOffset});");
        w.Line("int i = 0;");
        string keyword = "if";
        foreach ((int width, string v, string type) in new[] { (8, Aliases.Vector256, Aliases.Float8), (4, Aliases.Vector128, Aliases.Float4) })
        {
            if (length < width)
            {
                continue;
            }
            using (w.Block($"{keyword} ({v}.IsHardwareAccelerated)"))
            {
                w.Line($"{type} scales{width} = {v}.Create(scale), shifts{width} = {v}.Create(shift);");
                using (w.Block($"for (; i <= {Int(length - width)}; i += {width})"))
                {
                    string value = Epilogue.Vector(step.Epilogue, $"{v}.LoadUnsafe(ref x, (nuint)i) * scales{width} + shifts{width}", new VectorApi(type, v));
                    w.Line($"{v}.StoreUnsafe({value}, ref o, (nuint)i);");
                }
            }
            keyword = "else if";
        }
        using (w.Block($"for (; i < {Int(length)}; i++)"))
        {
            w.Line($"{U}.Add(ref o, i) = {Store(step, $"{U}.Add(ref x, i) * scale + shift")};");
        }
    }
}
