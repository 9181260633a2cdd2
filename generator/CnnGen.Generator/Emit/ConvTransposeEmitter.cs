using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Emits a transposed convolution in gather form: each output value is its bias plus, for every kernel tap
/// that lands on it, the taps' weights times the input values they come from. Output (oy, ox) receives
/// tap (ky, kx) from input (iy, ix) when <c>iy·S − P + ky = oy</c> and <c>ix·S − P + kx = ox</c>, so only the
/// taps with <c>ky ≡ oy + P (mod S)</c> and <c>kx ≡ ox + P (mod S)</c> are visited, and no output is written twice
/// (no zeroing pass, and the fused epilogue applies before the one store).
/// </summary>
internal static class ConvTransposeEmitter
{
    private const string U = Aliases.Unsafe;

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int s = l.StrideX, p = l.PadLeft;
        int taps = l.KernelWidth * l.KernelHeight;
        long channelStride = (long)l.Out.Depth * taps; // weights [depth][filters][height][width]: one input channel on
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {U}.Add(ref weights, {Int(l.WeightCount)});");
            using (w.Block($"for (int o = 0; o < {Int(l.Out.Depth)}; o++)"))
            {
                w.Line($"ref float filter = ref {U}.Add(ref weights, o * {Int(taps)}); // input channel 0's taps for output channel o");
                w.Line($"float b = {U}.Add(ref bias, o);");
                using (w.Block($"for (int oy = 0; oy < {Int(l.Out.Height)}; oy++)"))
                {
                    w.Line($"ref float row = ref {U}.Add(ref output, o * {Int(dst.PlaneStride)} + oy * {Int(dst.RowStride)});");
                    string firstKy = s == 1 ? "0" : $"(oy + {Int(p)}) % {Int(s)}";
                    string firstKx = s == 1 ? "0" : $"(ox + {Int(p)}) % {Int(s)}";
                    using (w.Block($"for (int ox = 0; ox < {Int(l.Out.Width)}; ox++)"))
                    {
                        w.Line("float sum = b;");
                        w.Line($"// Taps whose row lands on oy: ky ≡ oy + P (mod S), from input row iy = (oy + P − ky) / S.");
                        using (w.Block($"for (int ky = {firstKy}; ky < {Int(l.KernelHeight)} && ky <= oy + {Int(p)}; ky += {Int(s)})"))
                        {
                            w.Line($"int iy = (oy + {Int(p)} - ky) / {Int(s)};");
                            using (w.Block($"if (iy >= {Int(l.In.Height)})"))
                            {
                                w.Line("continue;");
                            }
                            using (w.Block($"for (int kx = {firstKx}; kx < {Int(l.KernelWidth)} && kx <= ox + {Int(p)}; kx += {Int(s)})"))
                            {
                                w.Line($"int ix = (ox + {Int(p)} - kx) / {Int(s)};");
                                using (w.Block($"if (ix >= {Int(l.In.Width)})"))
                                {
                                    w.Line("continue;");
                                }
                                w.Line($"ref float x = ref {U}.Add(ref input, iy * {Int(src.RowStride)} + ix);");
                                w.Line($"ref float tap = ref {U}.Add(ref filter, ky * {Int(l.KernelWidth)} + kx);");
                                using (w.Block($"for (int i = 0; i < {Int(l.In.Depth)}; i++)"))
                                {
                                    w.Line($"sum += {U}.Add(ref x, i * {Int(src.PlaneStride)}) * {U}.Add(ref tap, i * {Int(channelStride)});");
                                }
                            }
                        }
                        w.Line($"{U}.Add(ref row, ox) = " + Store(step, "sum") + ";");
                    }
                }
            }
        }
    }
}
