using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Emits a transposed convolution in gather form: each output value is its bias plus, for every kernel tap
/// that lands on it, the taps' weights times the input values they come from. Output (oy, ox) receives
/// tap (ky, kx) from input (iy, ix) when <c>iy·S − P + ky = oy</c> and <c>ix·S − P + kx = ox</c>, so only the
/// taps with <c>ky ≡ oy + P (mod S)</c> and <c>kx ≡ ox + P (mod S)</c> are visited, and no output is written twice
/// (no zeroing pass, and the fused epilogue applies before the one store). The 2×2 stride-2 case has an AVX2
/// kernel and a portable <c>Vector128</c> one (Arm64, x64 without AVX2, WebAssembly).
/// </summary>
internal static class ConvTransposeEmitter
{
    private const string U = Aliases.Unsafe;

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        if (l.KernelWidth == 2 && l.KernelHeight == 2 && l.StrideX == 2 && l.PadLeft == 0 && l.In.Width >= 4)
        {
            var widths = new System.Collections.Generic.List<int>();
            if (l.In.Width >= 8)
            {
                widths.Add(8);
            }
            widths.Add(4);
            Dispatch(w, step, withWeights: true, widths.ConvertAll(width => width == 8
                ? ($"{Aliases.Fma}.IsSupported && {Aliases.Vector256}.IsHardwareAccelerated", "Avx2")
                : ($"{Aliases.Vector128}.IsHardwareAccelerated", "Vector128")), "Scalar");
            foreach (int width in widths)
            {
                w.Line();
                TwoByTwo(w, step, width);
            }
            w.Line();
            Scalar(w, step, step.Method + "Scalar");
            return;
        }
        Scalar(w, step, step.Method);
    }

    /// <summary>
    /// The U-Net up-sampling case, kernel 2×2 and stride 2 without padding: input (iy, ix) alone makes the four
    /// outputs (2·iy + ky, 2·ix + kx). <paramref name="width"/> (8 on AVX2, 4 in <c>Vector128</c>) input columns at
    /// a time, one load per input channel feeds four accumulators (one per tap); the two of a row are interleaved
    /// into twice as many consecutive outputs.
    /// </summary>
    private static void TwoByTwo(SourceWriter w, Step step, int width)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        string v = width == 8 ? Aliases.Vector256 : Aliases.Vector128, f8 = width == 8 ? Aliases.Float8 : Aliases.Float4;
        var api = new VectorApi(f8, v);
        long channelStride = (long)l.Out.Depth * 4;
        int fullEnd = l.In.Width / width * width;
        string name = width == 8 ? "Avx2" : "Vector128";
        KernelHeader(w, $"{l.Name} on {name}: {width} input columns × the 4 taps at a time, interleaved into 2 rows of {2 * width} outputs.");
        using (w.Block($"private static void {step.Method}{name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {U}.Add(ref weights, {Int(l.WeightCount)});");
            using (w.Block($"for (int o = 0; o < {Int(l.Out.Depth)}; o++)"))
            {
                w.Line($"ref float taps = ref {U}.Add(ref weights, o * 4); // w[0][o][ky][kx]; input channel i is {Int(channelStride)}·i further");
                w.Line($"float b = {U}.Add(ref bias, o);");
                w.Line($"{f8} bv = {v}.Create(b);");
                using (w.Block($"for (int iy = 0; iy < {Int(l.In.Height)}; iy++)"))
                {
                    w.Line($"ref float row0 = ref {U}.Add(ref output, o * {Int(dst.PlaneStride)} + 2 * iy * {Int(dst.RowStride)}); // output row 2·iy");
                    w.Line($"ref float row1 = ref {U}.Add(ref row0, {Int(dst.RowStride)}); // output row 2·iy + 1");
                    w.Line($"ref float inputRow = ref {U}.Add(ref input, iy * {Int(src.RowStride)});");
                    if (fullEnd > width)
                    {
                        using (w.Block($"for (int ix = 0; ix < {Int(fullEnd)}; ix += {width})"))
                        {
                            Columns(w, step, api, channelStride, width);
                        }
                    }
                    else
                    {
                        using (w.Block($"// input columns 0 to {width - 1}"))
                        {
                            w.Line("const int ix = 0;");
                            Columns(w, step, api, channelStride, width);
                        }
                    }
                    if (fullEnd < l.In.Width)
                    {
                        using (w.Block($"// the last {width} input columns (overlapping the ones before, recomputed identically)"))
                        {
                            w.Line($"const int ix = {Int(l.In.Width - width)};");
                            Columns(w, step, api, channelStride, width);
                        }
                    }
                    if (l.OutputPaddingX > 0)
                    {
                        w.Line($"// Output padding: the last column has no tap, only the bias.");
                        w.Line($"{U}.Add(ref row0, {Int(2L * l.In.Width)}) = {Store(step, "b")};");
                        w.Line($"{U}.Add(ref row1, {Int(2L * l.In.Width)}) = {Store(step, "b")};");
                    }
                }
                if (l.OutputPaddingY > 0)
                {
                    w.Line($"// Output padding: the last row has no tap, only the bias.");
                    w.Line($"ref float last = ref {U}.Add(ref output, o * {Int(dst.PlaneStride)} + {Int((long)(l.Out.Height - 1) * dst.RowStride)});");
                    using (w.Block($"for (int ox = 0; ox < {Int(l.Out.Width)}; ox++)"))
                    {
                        w.Line($"{U}.Add(ref last, ox) = {Store(step, "b")};");
                    }
                }
            }
        }
    }

    /// <summary><paramref name="width"/> input columns from <c>ix</c>: the four taps' sums, then each output row's two interleaved and stored.</summary>
    private static void Columns(SourceWriter w, Step step, VectorApi api, long channelStride, int width)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source;
        string v = api.Static, f8 = api.Type, fma = width == 8 ? $"{Aliases.Fma}.MultiplyAdd" : $"{Aliases.Kernels}MultiplyAdd";
        w.Line($"{f8} a00 = bv, a01 = bv, a10 = bv, a11 = bv; // a{{ky}}{{kx}}");
        using (w.Block($"for (int i = 0; i < {Int(l.In.Depth)}; i++)"))
        {
            w.Line($"{f8} x = {v}.LoadUnsafe(ref inputRow, (nuint)(i * {Int(src.PlaneStride)} + ix));");
            w.Line($"ref float tap = ref {U}.Add(ref taps, i * {Int(channelStride)});");
            for (int t = 0; t < 4; t++)
            {
                w.Line($"a{t / 2}{t % 2} = {fma}(x, {v}.Create({U}.Add(ref tap, {t})), a{t / 2}{t % 2});");
            }
        }
        for (int ky = 0; ky < 2; ky++)
        {
            string a0 = Epilogue.Vector(step.Epilogue, $"a{ky}0", api), a1 = Epilogue.Vector(step.Epilogue, $"a{ky}1", api);
            w.Line($"{f8} even{ky} = {a0}, odd{ky} = {a1};");
            if (width == 4)
            {
                // e0 o0 e1 o1, then e2 o2 e3 o3
                w.Line($"{v}.StoreUnsafe({Aliases.Kernels}InterleaveLower(even{ky}, odd{ky}), ref row{ky}, (nuint)(2 * ix));");
                w.Line($"{v}.StoreUnsafe({Aliases.Kernels}InterleaveUpper(even{ky}, odd{ky}), ref row{ky}, (nuint)(2 * ix + 4));");
                continue;
            }
            w.Line($"{f8} low{ky} = {Aliases.Avx}.UnpackLow(even{ky}, odd{ky}), high{ky} = {Aliases.Avx}.UnpackHigh(even{ky}, odd{ky}); // per 128-bit lane: e0 o0 e1 o1, e2 o2 e3 o3");
            w.Line($"{v}.StoreUnsafe({Aliases.Avx}.Permute2x128(low{ky}, high{ky}, 0x20), ref row{ky}, (nuint)(2 * ix));");
            w.Line($"{v}.StoreUnsafe({Aliases.Avx}.Permute2x128(low{ky}, high{ky}, 0x31), ref row{ky}, (nuint)(2 * ix + 8));");
        }
    }

    /// <summary>Any kernel, stride and padding: each output gathers the taps that land on it.</summary>
    private static void Scalar(SourceWriter w, Step step, string method)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int s = l.StrideX, p = l.PadLeft;
        int taps = l.KernelWidth * l.KernelHeight;
        long channelStride = (long)l.Out.Depth * taps; // weights [depth][filters][height][width]: one input channel on
        VariantHeader(w, step, method, l.Name + " without vector instructions: each output gathers its taps.");
        using (w.Block($"private static void {method}(ref float input, ref float output, ref float weights)"))
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
