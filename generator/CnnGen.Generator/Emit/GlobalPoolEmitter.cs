using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// <c>[GlobalAvgPool]</c> and <c>[GlobalMaxPool]</c>: each channel's plane (dense, in C,H,W order) reduced to one
/// value, 16 then 8 values at a time in two 256-bit accumulators where they are accelerated, else 4 at a time in
/// 128-bit ones, then one at a time; the fused epilogue is applied to the one value each channel stores. Also
/// <c>[MaxPool]</c> and <c>[AvgPool]</c> whose one window is the whole map (see <see cref="CoversWholeMap"/>).
/// </summary>
internal static class GlobalPoolEmitter
{
    /// <summary>
    /// Whether a max or average pool is a global one: a single unpadded window over the whole dense map (what an
    /// imported <c>GlobalAveragePool</c> of a fixed-size map becomes). Its scalar window loop would add the values in
    /// one dependent chain.
    /// </summary>
    public static bool CoversWholeMap(Step step)
    {
        LayerPlan l = step.Layer;
        return l.Out.Width == 1 && l.Out.Height == 1 && !l.HasPadding
            && l.KernelWidth == l.In.Width && l.KernelHeight == l.In.Height && step.Source.IsDense(l.In);
    }

    private const string U = Aliases.Unsafe;
    private const string V256 = Aliases.Vector256;
    private const string V128 = Aliases.Vector128;
    private const string Float4 = Aliases.Float4;

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        bool max = l.Kind is LayerKind.GlobalMaxPool or LayerKind.MaxPool;
        int plane = l.In.Width * l.In.Height;
        string start = max ? "float.NegativeInfinity" : "0f";
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output)"))
        {
            using (w.Block($"for (int c = 0; c < {Int(l.In.Depth)}; c++)"))
            {
                w.Line($"ref float x = ref {U}.Add(ref input, c * {Int(plane)});");
                w.Line("int i = 0;");
                w.Line($"float value = {start};");
                if (plane >= 8)
                {
                    using (w.Block($"if ({V256}.IsHardwareAccelerated)"))
                    {
                        string init = max ? $"{V256}.Create(float.NegativeInfinity)" : $"{Aliases.Float8}.Zero";
                        w.Line($"{Aliases.Float8} a0 = {init}, a1 = {init};");
                        if (plane >= 16)
                        {
                            using (w.Block($"for (; i <= {Int(plane - 16)}; i += 16)"))
                            {
                                w.Line($"a0 = {Combine(max, V256, "a0", $"{V256}.LoadUnsafe(ref x, (nuint)i)")};");
                                w.Line($"a1 = {Combine(max, V256, "a1", $"{V256}.LoadUnsafe(ref x, (nuint)(i + 8))")};");
                            }
                        }
                        if (plane % 16 >= 8)
                        {
                            w.Line($"a0 = {Combine(max, V256, "a0", $"{V256}.LoadUnsafe(ref x, (nuint)i)")};");
                            w.Line("i += 8;");
                        }
                        w.Line($"a0 = {Combine(max, V256, "a0", "a1")};");
                        w.Line(max
                            ? $"{Float4} half = {V128}.Max({V256}.GetLower(a0), {V256}.GetUpper(a0));"
                            : $"value = {V256}.Sum(a0);");
                        if (max)
                        {
                            w.Line($"value = {Largest("half")};");
                        }
                    }
                }
                if (plane >= 4)
                {
                    using (w.Block($"{(plane >= 8 ? "else " : "")}if ({V128}.IsHardwareAccelerated)"))
                    {
                        w.Line($"{Float4} a = {(max ? $"{V128}.Create(float.NegativeInfinity)" : $"{Float4}.Zero")};");
                        using (w.Block($"for (; i <= {Int(plane - 4)}; i += 4)"))
                        {
                            w.Line($"a = {Combine(max, V128, "a", $"{V128}.LoadUnsafe(ref x, (nuint)i)")};");
                        }
                        w.Line(max
                            ? $"value = {Largest("a")};"
                            : $"value = {V128}.Sum(a);");
                    }
                }
                using (w.Block($"for (; i < {Int(plane)}; i++)"))
                {
                    w.Line(max ? $"value = global::System.MathF.Max(value, {U}.Add(ref x, i));" : $"value += {U}.Add(ref x, i);");
                }
                if (!max)
                {
                    w.Line($"value /= {Int(plane)};");
                }
                w.Line($"{U}.Add(ref output, c * {Int(step.Destination.PlaneStride)}) = {Store(step, "value")};");
            }
        }
    }

    /// <summary>The largest of a 128-bit vector's four values.</summary>
    private static string Largest(string v) =>
        $"global::System.MathF.Max(global::System.MathF.Max({V128}.GetElement({v}, 0), {V128}.GetElement({v}, 1)), global::System.MathF.Max({V128}.GetElement({v}, 2), {V128}.GetElement({v}, 3)))";

    private static string Combine(bool max, string vector, string a, string b) => max ? $"{vector}.Max({a}, {b})" : $"{a} + {b}";
}
