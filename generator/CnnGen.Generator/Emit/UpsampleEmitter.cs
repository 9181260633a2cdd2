using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// <c>[Upsample]</c>, PyTorch's <c>nn.Upsample</c> exactly. Nearest: output (x, y) is input (x / ScaleX, y / ScaleY);
/// each input row is widened once (128-bit vectors when the column factor is 1 or 2) and the widened row copied
/// down ScaleY − 1 times. Bilinear: the source coordinate of each output row and column is PyTorch's
/// (<c>(dst + ½)/scale − ½</c> clamped at 0, or <c>dst·(in − 1)/(out − 1)</c> with <c>AlignCorners</c>), blended from
/// the four neighbours: the two source rows are blended first (vectors along the row), then each output column
/// takes its two columns of the blend, from a table made once per call (four columns at a time by 2 across). The input is dense; the fused epilogue
/// applies before each store.
/// </summary>
internal static class UpsampleEmitter
{
    private const string U = Aliases.Unsafe;
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string V128 = Aliases.Vector128;
    private const string Float4 = Aliases.Float4;
    private const string Sse = "global::System.Runtime.Intrinsics.X86.Sse";
    private const string AdvSimd = "global::System.Runtime.Intrinsics.Arm.AdvSimd.Arm64";
    private const string MathF = "global::System.MathF";

    public static void Emit(SourceWriter w, Step step)
    {
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output)"))
        {
            if (step.Layer.Bilinear)
            {
                Bilinear(w, step);
            }
            else
            {
                Nearest(w, step);
            }
        }
    }

    private static void Nearest(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Region dst = step.Destination;
        int width = l.In.Width, sx = l.ScaleX, sy = l.ScaleY, outWidth = l.Out.Width;
        if (RuntimeNearest2x2(l, step.Epilogue.Count))
        {
            w.Line("// Each input vector doubled in registers and stored to both output rows (CnnGen.Resize).");
            w.Line($"global::CnnGen.Resize.Nearest2x2({Int(l.In.Depth)}, {Int(width)}, {Int(l.In.Height)}, {Int(dst.RowStride)}, {Int(dst.PlaneStride)}, ref input, ref output);");
            return;
        }
        using (w.Block($"for (int c = 0; c < {Int(l.In.Depth)}; c++)"))
        {
            using (w.Block($"for (int iy = 0; iy < {Int(l.In.Height)}; iy++)"))
            {
                w.Line($"ref float source = ref {U}.Add(ref input, c * {Int(width * l.In.Height)} + iy * {Int(width)});");
                w.Line($"ref float row = ref {U}.Add(ref output, c * {Int(dst.PlaneStride)} + iy * {Int((long)sy * dst.RowStride)});");
                if (sx == 1 && step.Epilogue.Count == 0)
                {
                    w.Line($"{Marshal}.CreateReadOnlySpan(ref source, {Int(width)}).CopyTo({Marshal}.CreateSpan(ref row, {Int(width)}));");
                }
                else
                {
                    WidenRow(w, step);
                }
                if (sy > 1)
                {
                    w.Line($"// Rows {Int(1)} to {Int(sy - 1)} below repeat it.");
                    using (w.Block($"for (int r = 1; r < {Int(sy)}; r++)"))
                    {
                        w.Line($"{Marshal}.CreateReadOnlySpan(ref row, {Int(outWidth)}).CopyTo({Marshal}.CreateSpan(ref {U}.Add(ref row, r * {Int(dst.RowStride)}), {Int(outWidth)}));");
                    }
                }
            }
        }
    }

    /// <summary>
    /// Whether a nearest upsample runs the runtime library's <c>CnnGen.Resize.Nearest2x2</c>: 2 × 2 without a fused
    /// activation. Measured in one process against ONNX Runtime (throwaway probe, best of 150 ms of runs, two rounds,
    /// load 26–29), the emitted rows (128-bit widening, then a copy of the row below) → the runtime kernel, CnnGen µs:
    /// YOLOv3's neck 52×52×128 70.6–78.0 → 56.7–59.2 (0.76–0.85× → 1.01–1.04×), 13×13×256 17.8 → 6.1–7.1 (0.78× →
    /// 1.96–2.31×), 26×26×256 48.0 → 31.0–31.9 (0.90× → 1.38×), 40×40×128 43.2 → 33.4–35.8 (0.91× → 1.12–1.15×),
    /// 27×27×64 13.0 → 6.0 (0.97× → 2.08×), 7×7×64 2.3 → 0.7–1.0 (1.26× → 2.96–3.75×).
    /// </summary>
    internal static bool RuntimeNearest2x2(LayerPlan l, int epilogueOps) =>
        !l.Bilinear && l.ScaleX == 2 && l.ScaleY == 2 && epilogueOps == 0;

    /// <summary>One output row from one input row: each value (through the epilogue) repeated ScaleX times.</summary>
    private static void WidenRow(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        int width = l.In.Width, sx = l.ScaleX;
        w.Line("int ix = 0;");
        if (width >= 4 && sx <= 2)
        {
            var api = new VectorApi(Float4, V128);
            string load = Epilogue.Vector(step.Epilogue, $"{V128}.LoadUnsafe(ref source, (nuint)ix)", api);
            if (sx == 1)
            {
                using (w.Block($"if ({V128}.IsHardwareAccelerated)"))
                {
                    using (w.Block($"for (; ix <= {Int(width - 4)}; ix += 4)"))
                    {
                        w.Line($"{V128}.StoreUnsafe({load}, ref row, (nuint)ix);");
                    }
                }
            }
            else
            {
                w.Line("// Four values become eight: each one twice, interleaved with itself.");
                Interleaving(w, (low, high) =>
                {
                    using (w.Block($"for (; ix <= {Int(width - 4)}; ix += 4)"))
                    {
                        w.Line($"{Float4} v = {load};");
                        w.Line($"{V128}.StoreUnsafe({low}(v, v), ref row, (nuint)(2 * ix));");
                        w.Line($"{V128}.StoreUnsafe({high}(v, v), ref row, (nuint)(2 * ix + 4));");
                    }
                });
            }
        }
        using (w.Block($"for (; ix < {Int(width)}; ix++)"))
        {
            w.Line($"float value = {Store(step, $"{U}.Add(ref source, ix)")};");
            w.Line($"ref float o = ref {U}.Add(ref row, ix * {Int(sx)});");
            if (sx <= 8)
            {
                for (int k = 0; k < sx; k++)
                {
                    w.Line(k == 0 ? "o = value;" : $"{U}.Add(ref o, {Int(k)}) = value;");
                }
            }
            else
            {
                w.Line($"{Marshal}.CreateSpan(ref o, {Int(sx)}).Fill(value);");
            }
        }
    }

    /// <summary>Above this many output columns the column table would take too much stack: columns are worked out in the loop.</summary>
    private const int MaxTableColumns = 2048;

    private static void Bilinear(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Region dst = step.Destination;
        int width = l.In.Width, height = l.In.Height, outWidth = l.Out.Width;
        bool table = outWidth <= MaxTableColumns;
        w.Line("// PyTorch's upsample_bilinear2d: source coordinates in float, clamped at 0, the neighbour after the last is the last.");
        w.Line($"const float scaleX = {Scale(l.AlignCorners, width, outWidth, l.ScaleX)};");
        w.Line($"const float scaleY = {Scale(l.AlignCorners, height, l.Out.Height, l.ScaleY)};");
        if (table)
        {
            w.Line("// Each output column's two source columns and their weights, the same for every row and channel.");
            w.Line($"global::System.Span<int> left = stackalloc int[{Int(outWidth)}], right = stackalloc int[{Int(outWidth)}];");
            w.Line($"global::System.Span<float> leftWeight = stackalloc float[{Int(outWidth)}], rightWeight = stackalloc float[{Int(outWidth)}];");
            using (w.Block($"for (int ox = 0; ox < {Int(outWidth)}; ox++)"))
            {
                Neighbours(w, "ox", "scaleX", "x", width, l.AlignCorners);
                w.Line("left[ox] = x0;");
                w.Line("right[ox] = x1;");
                w.Line("leftWeight[ox] = lx0;");
                w.Line("rightWeight[ox] = lx1;");
            }
            w.Line($"global::System.Span<float> blended = stackalloc float[{Int(width)}];");
            w.Line($"ref int l0 = ref {Marshal}.GetReference(left), l1 = ref {Marshal}.GetReference(right);");
            w.Line($"ref float w0 = ref {Marshal}.GetReference(leftWeight), w1 = ref {Marshal}.GetReference(rightWeight);");
        }
        using (w.Block($"for (int oy = 0; oy < {Int(l.Out.Height)}; oy++)"))
        {
            Neighbours(w, "oy", "scaleY", "y", height, l.AlignCorners);
            using (w.Block($"for (int c = 0; c < {Int(l.In.Depth)}; c++)"))
            {
                w.Line($"ref float top = ref {U}.Add(ref input, c * {Int(width * height)} + y0 * {Int(width)});");
                w.Line($"ref float bottom = ref {U}.Add(ref input, c * {Int(width * height)} + y1 * {Int(width)});");
                w.Line($"ref float row = ref {U}.Add(ref output, c * {Int(dst.PlaneStride)} + oy * {Int(dst.RowStride)});");
                if (table)
                {
                    BlendRows(w, width);
                    ColumnsFromTheTable(w, step);
                }
                else
                {
                    ColumnsInTheLoop(w, step);
                }
            }
        }
    }

    /// <summary>
    /// The output row from the blended row and the column table. With a column factor of 2 (corners not aligned) the
    /// inner columns take fixed weights: output 2i is ¼ of blend i − 1 and ¾ of blend i, output 2i + 1 is ¾ of blend i
    /// and ¼ of blend i + 1 (the table's own numbers, in its order), so four of each are computed at once and
    /// interleaved; the edge columns come from the table.
    /// </summary>
    private static void ColumnsFromTheTable(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        int blocks = (l.In.Width - 2) / 4; // chunks of 4 blend values 1 + 4m … 4 + 4m whose right neighbours exist
        if (l.ScaleX != 2 || l.AlignCorners || blocks < 1)
        {
            TableColumns(w, step, "0", l.Out.Width);
            return;
        }
        TableColumns(w, step, "0", 2);
        w.Line("int done = 2;");
        var api = new VectorApi(Float4, V128);
        Interleaving(w, (low, high) =>
        {
            w.Line($"{Float4} quarter = {V128}.Create(0.25f), threeQuarters = {V128}.Create(0.75f);");
            using (w.Block($"for (int ix = 1; ix < {Int(1 + 4 * blocks)}; ix += 4)"))
            {
                w.Line($"{Float4} previous = {V128}.LoadUnsafe(ref b, (nuint)(ix - 1)), current = {V128}.LoadUnsafe(ref b, (nuint)ix), next = {V128}.LoadUnsafe(ref b, (nuint)(ix + 1));");
                w.Line($"{Float4} even = {Epilogue.Vector(step.Epilogue, "quarter * previous + threeQuarters * current", api)};");
                w.Line($"{Float4} odd = {Epilogue.Vector(step.Epilogue, "threeQuarters * current + quarter * next", api)};");
                w.Line($"{V128}.StoreUnsafe({low}(even, odd), ref row, (nuint)(2 * ix));");
                w.Line($"{V128}.StoreUnsafe({high}(even, odd), ref row, (nuint)(2 * ix + 4));");
            }
            w.Line($"done = {Int(2 + 8 * blocks)};");
        });
        TableColumns(w, step, "done", l.Out.Width);
    }

    /// <summary>Output columns <paramref name="from"/> to <paramref name="to"/> − 1, each from its two table entries.</summary>
    private static void TableColumns(SourceWriter w, Step step, string from, int to)
    {
        using (w.Block($"for (int ox = {from}; ox < {Int(to)}; ox++)"))
        {
            w.Line($"float value = {U}.Add(ref w0, ox) * {U}.Add(ref b, {U}.Add(ref l0, ox)) + {U}.Add(ref w1, ox) * {U}.Add(ref b, {U}.Add(ref l1, ox));");
            w.Line($"{U}.Add(ref row, ox) = {Store(step, "value")};");
        }
    }

    /// <summary>
    /// Blocks for the machines that can interleave two 128-bit vectors (x86 <c>unpcklps</c>/<c>unpckhps</c>, Arm64
    /// <c>zip1</c>/<c>zip2</c>); <paramref name="body"/> gets the names of the low and high interleave.
    /// </summary>
    private static void Interleaving(SourceWriter w, System.Action<string, string> body)
    {
        string keyword = "if";
        foreach (var (condition, low, high) in new[] { ($"{Sse}.IsSupported", $"{Sse}.UnpackLow", $"{Sse}.UnpackHigh"), ($"{AdvSimd}.IsSupported", $"{AdvSimd}.ZipLow", $"{AdvSimd}.ZipHigh") })
        {
            using (w.Block($"{keyword} ({condition})"))
            {
                body(low, high);
            }
            keyword = "else if";
        }
    }

    /// <summary>The output row of a very wide layer: each column's neighbours and weights worked out where they are used.</summary>
    private static void ColumnsInTheLoop(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        using (w.Block($"for (int ox = 0; ox < {Int(l.Out.Width)}; ox++)"))
        {
            Neighbours(w, "ox", "scaleX", "x", l.In.Width, l.AlignCorners);
            w.Line($"float value = ly0 * (lx0 * {U}.Add(ref top, x0) + lx1 * {U}.Add(ref top, x1)) + ly1 * (lx0 * {U}.Add(ref bottom, x0) + lx1 * {U}.Add(ref bottom, x1));");
            w.Line($"{U}.Add(ref row, ox) = {Store(step, "value")};");
        }
    }

    /// <summary>The two source rows blended with the row weights into <c>blended</c> (<c>b</c>): 8, then 4 at a time, then one at a time.</summary>
    private static void BlendRows(SourceWriter w, int width)
    {
        w.Line($"ref float b = ref {Marshal}.GetReference(blended);");
        w.Line("int i = 0;");
        if (width >= 8)
        {
            using (w.Block($"if ({Aliases.Vector256}.IsHardwareAccelerated)"))
            {
                w.Line($"{Aliases.Float8} top8 = {Aliases.Vector256}.Create(ly0), bottom8 = {Aliases.Vector256}.Create(ly1);");
                using (w.Block($"for (; i <= {Int(width - 8)}; i += 8)"))
                {
                    w.Line($"{Aliases.Vector256}.StoreUnsafe(top8 * {Aliases.Vector256}.LoadUnsafe(ref top, (nuint)i) + bottom8 * {Aliases.Vector256}.LoadUnsafe(ref bottom, (nuint)i), ref b, (nuint)i);");
                }
            }
        }
        if (width >= 4)
        {
            using (w.Block($"{(width >= 8 ? "else " : "")}if ({V128}.IsHardwareAccelerated)"))
            {
                w.Line($"{Float4} top4 = {V128}.Create(ly0), bottom4 = {V128}.Create(ly1);");
                using (w.Block($"for (; i <= {Int(width - 4)}; i += 4)"))
                {
                    w.Line($"{V128}.StoreUnsafe(top4 * {V128}.LoadUnsafe(ref top, (nuint)i) + bottom4 * {V128}.LoadUnsafe(ref bottom, (nuint)i), ref b, (nuint)i);");
                }
            }
        }
        using (w.Block($"for (; i < {Int(width)}; i++)"))
        {
            w.Line($"{U}.Add(ref b, i) = ly0 * {U}.Add(ref top, i) + ly1 * {U}.Add(ref bottom, i);");
        }
    }

    /// <summary>PyTorch's <c>area_pixel_compute_scale</c>: 1/scale, or (in − 1)/(out − 1) with aligned corners.</summary>
    private static string Scale(bool alignCorners, int input, int output, int factor) =>
        alignCorners
            ? output > 1 ? $"{Int(input - 1)}f / {Int(output - 1)}f" : "0f"
            : $"(float)(1.0 / {Int(factor)})";

    /// <summary>The two neighbours along one axis and their weights: <c>{a}0</c>, <c>{a}1</c>, <c>l{a}0</c>, <c>l{a}1</c>.</summary>
    private static void Neighbours(SourceWriter w, string index, string scale, string a, int size, bool alignCorners)
    {
        string real = alignCorners ? $"{scale} * {index}" : $"{MathF}.Max({scale} * ({index} + 0.5f) - 0.5f, 0f)";
        w.Line($"float real{a.ToUpperInvariant()} = {real};");
        w.Line($"int {a}0 = global::System.Math.Min((int)real{a.ToUpperInvariant()}, {Int(size - 1)});");
        w.Line($"int {a}1 = {a}0 < {Int(size - 1)} ? {a}0 + 1 : {a}0;");
        w.Line($"float l{a}1 = {MathF}.Min({MathF}.Max(real{a.ToUpperInvariant()} - {a}0, 0f), 1f), l{a}0 = 1f - l{a}1;");
    }
}
