using System;
using System.Collections.Generic;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Emits a grouped convolution (<c>Groups</c> &gt; 1; depthwise when each group has one input channel).
/// Such a layer has no reuse across output channels (each filter reads only its group's channels), so
/// its vector kernels run along the output width instead: one output channel at a time, a row tile of up
/// to <see cref="MaxTileVectors"/> column vectors, every channel of the group and every tap accumulated
/// in registers, bias and the fused epilogue before one store. A depthwise 3×3 has 9 FMAs per output and
/// is bound by loads, so when the filter is small its weights stay in registers as broadcast vectors
/// for the whole channel. Stride 2 reads the even input columns with two loads and one permute (AVX-512)
/// or two shuffles (AVX2); other strides, and rows narrower than a vector, use the scalar kernel.
/// </summary>
internal static class GroupedConvEmitter
{
    /// <summary>A vector instruction set: its name, the JIT-time condition, its width and its registers.</summary>
    private sealed record Isa(string Name, string Condition, int Width, int Registers, string Type, string Static, string Fma);

    private static readonly Isa Avx512 = new("Avx512", $"{Aliases.Vector512}.IsHardwareAccelerated && {Aliases.Avx512F}.IsSupported",
        16, 32, Aliases.Float16, Aliases.Vector512, $"{Aliases.Avx512F}.FusedMultiplyAdd");

    private static readonly Isa Avx2 = new("Avx2", $"{Aliases.Fma}.IsSupported && {Aliases.Avx2}.IsSupported && {Aliases.Vector256}.IsHardwareAccelerated",
        8, 16, Aliases.Float8, Aliases.Vector256, $"{Aliases.Fma}.MultiplyAdd");

    /// <summary>Column vectors per register tile (accumulators live at once).</summary>
    private const int MaxTileVectors = 4;

    /// <summary>Keep one unrolled tile under this many FMAs (see the JIT's limits in PERFORMANCE.md).</summary>
    private const int FmaBudget = 512;

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        var variants = new List<Isa>();
        if (l.StrideX is 1 or 2)
        {
            foreach (Isa isa in new[] { Avx512, Avx2 })
            {
                if (l.Out.Width >= isa.Width)
                {
                    variants.Add(isa);
                }
            }
        }
        if (variants.Count == 0)
        {
            Scalar(w, step, step.Method);
            return;
        }
        Dispatch(w, step, withWeights: true, variants.ConvertAll(v => (v.Condition, v.Name)), "Scalar");
        foreach (Isa isa in variants)
        {
            w.Line();
            Vector(w, step, isa);
        }
        w.Line();
        Scalar(w, step, step.Method + "Scalar");
    }

    /// <summary><c>, depthwise</c> or <c>, 4 groups</c> for a layer's description; empty for a dense convolution.</summary>
    public static string Grouping(LayerPlan l) =>
        l.Groups == 1 ? "" : l.Groups == l.In.Depth ? ", depthwise" : $", {l.Groups} groups";

    /// <summary>Inside the loop over filters <c>f</c>: <c>filter</c>, its weights, and <c>channels</c>, the first input channel of its group.</summary>
    private static void FilterAndChannels(SourceWriter w, LayerPlan l, Region src)
    {
        int cpg = ChannelsPerGroup(l), fpg = FiltersPerGroup(l);
        w.Line($"ref float filter = ref {Aliases.Unsafe}.Add(ref weights, f * {Int((long)cpg * l.KernelWidth * l.KernelHeight)});");
        string group = fpg == 1 ? "f" : $"f / {Int(fpg)}";
        w.Line($"ref float channels = ref {Aliases.Unsafe}.Add(ref input, {group} * {Int((long)cpg * src.PlaneStride)}); // the group's first input channel");
    }

    /// <summary>Input channels each filter reads.</summary>
    private static int ChannelsPerGroup(LayerPlan l) => l.In.Depth / l.Groups;

    /// <summary>Filters of each group.</summary>
    private static int FiltersPerGroup(LayerPlan l) => l.Out.Depth / l.Groups;

    /// <summary>Weights per filter, all hoisted into registers when they fit beside the accumulators.</summary>
    private static bool HoistWeights(LayerPlan l, Isa isa, int tileVectors) =>
        ChannelsPerGroup(l) * l.KernelWidth * l.KernelHeight + tileVectors + 3 <= isa.Registers;

    private static void Vector(SourceWriter w, Step step, Isa isa)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int cpg = ChannelsPerGroup(l);
        int taps = l.KernelWidth * l.KernelHeight;
        int tileVectors = Math.Min(MaxTileVectors, l.Out.Width / isa.Width);
        bool hoist = HoistWeights(l, isa, tileVectors);
        string what = cpg == 1 ? "depthwise" : $"{cpg} channels per group";
        KernelHeader(w, $"{l.Name} on {isa.Name} ({what}): each output channel's rows in tiles of {tileVectors} {(tileVectors == 1 ? "vector" : "vectors")} of {isa.Width} columns"
            + (hoist ? ", its weights held in registers." : "."));
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {Aliases.Unsafe}.Add(ref weights, {Int(l.WeightCount)});");
            if (l.StrideX == 2 && isa == Avx512)
            {
                w.Line("// Lane j takes input column 2j: the first 8 from the load at the tile's start, the rest from the load 15 columns on.");
                w.Line($"global::System.Runtime.Intrinsics.Vector512<int> evens = {Aliases.Vector512}.Create(0, 2, 4, 6, 8, 10, 12, 14, 17, 19, 21, 23, 25, 27, 29, 31);");
            }
            using (w.Block($"for (int f = 0; f < {Int(l.Out.Depth)}; f++)"))
            {
                FilterAndChannels(w, l, src);
                w.Line($"{isa.Type} b = {isa.Static}.Create({Aliases.Unsafe}.Add(ref bias, f));");
                if (hoist)
                {
                    for (int k = 0; k < cpg * taps; k++)
                    {
                        w.Line($"{isa.Type} w{k} = {isa.Static}.Create({Aliases.Unsafe}.Add(ref filter, {Int(k)}));");
                    }
                }
                using (w.Block($"for (int oy = 0; oy < {Int(l.Out.Height)}; oy++)"))
                {
                    w.Line($"ref float inputRow = ref {Aliases.Unsafe}.Add(ref channels, oy * {Int((long)l.StrideY * src.RowStride)});");
                    w.Line($"ref float outputRow = ref {Aliases.Unsafe}.Add(ref output, f * {Int(dst.PlaneStride)} + oy * {Int(dst.RowStride)});");
                    Row(w, step, isa, tileVectors, hoist);
                }
            }
        }
    }

    /// <summary>
    /// One output row: tiles of whole vectors (a loop when there are several), then the rest, the very
    /// last vector shifted left to end on the row's last column (it recomputes a few columns identically).
    /// </summary>
    private static void Row(SourceWriter w, Step step, Isa isa, int tileVectors, bool hoist)
    {
        LayerPlan l = step.Layer;
        int width = isa.Width;
        int columnVectors = (l.Out.Width + width - 1) / width;
        int fullTiles = l.Out.Width / width / tileVectors;
        if (fullTiles > 1)
        {
            using (w.Block($"for (int column = 0; column < {Int(fullTiles * tileVectors * width)}; column += {Int(tileVectors * width)})"))
            {
                var columns = new List<string>();
                for (int v = 0; v < tileVectors; v++)
                {
                    columns.Add(v == 0 ? "column" : $"column + {Int(v * width)}");
                }
                Tile(w, step, isa, columns, hoist);
            }
        }
        else if (fullTiles == 1)
        {
            var columns = new List<string>();
            for (int v = 0; v < tileVectors; v++)
            {
                columns.Add(Int(v * width));
            }
            Tile(w, step, isa, columns, hoist);
        }
        var rest = new List<string>();
        for (int v = fullTiles * tileVectors; v < columnVectors; v++)
        {
            rest.Add(Int(Math.Min(v * width, l.Out.Width - width)));
        }
        for (int first = 0; first < rest.Count; first += tileVectors)
        {
            Tile(w, step, isa, rest.GetRange(first, Math.Min(tileVectors, rest.Count - first)), hoist);
        }
    }

    /// <summary>One register tile: accumulators start at the bias, take every channel of the group and every tap, then store.</summary>
    private static void Tile(SourceWriter w, Step step, Isa isa, List<string> columns, bool hoist)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source;
        int cpg = ChannelsPerGroup(l);
        int taps = l.KernelWidth * l.KernelHeight;
        using (w.Block($"// output columns {string.Join(", ", columns)} (+ vector width)"))
        {
            for (int v = 0; v < columns.Count; v++)
            {
                w.Line($"{isa.Type} acc{v} = b;");
            }
            // The input column of output column c is c · stride; tap (ky, kx) adds ky·dilation rows and kx·dilation columns.
            var starts = columns.ConvertAll(c => l.StrideX == 1 ? c : Scaled(c, l.StrideX));
            bool unrollAll = (long)cpg * taps * columns.Count <= FmaBudget;
            if (unrollAll)
            {
                for (int k = 0; k < cpg; k++)
                {
                    for (int ky = 0; ky < l.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < l.KernelWidth; kx++)
                        {
                            long offset = (long)k * src.PlaneStride + (long)ky * l.DilationY * src.RowStride + (long)kx * l.DilationX;
                            int index = (k * l.KernelHeight + ky) * l.KernelWidth + kx;
                            string weight = hoist ? $"w{index}" : $"{isa.Static}.Create({Aliases.Unsafe}.Add(ref filter, {Int(index)}))";
                            Tap(w, isa, l.StrideX, "inputRow", starts, offset, weight, hoist);
                        }
                    }
                }
            }
            else
            {
                // Channels of the group in a loop; the taps of one channel unrolled.
                using (w.Block($"for (int k = 0; k < {Int(cpg)}; k++)"))
                {
                    w.Line($"ref float channel = ref {Aliases.Unsafe}.Add(ref inputRow, k * {Int(src.PlaneStride)});");
                    w.Line($"ref float kernel = ref {Aliases.Unsafe}.Add(ref filter, k * {Int(taps)});");
                    for (int ky = 0; ky < l.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < l.KernelWidth; kx++)
                        {
                            long offset = (long)ky * l.DilationY * src.RowStride + (long)kx * l.DilationX;
                            string weight = $"{isa.Static}.Create({Aliases.Unsafe}.Add(ref kernel, {Int(ky * l.KernelWidth + kx)}))";
                            Tap(w, isa, l.StrideX, "channel", starts, offset, weight, hoisted: false);
                        }
                    }
                }
            }
            var api = new VectorApi(isa.Type, isa.Static);
            for (int v = 0; v < columns.Count; v++)
            {
                w.Line($"{isa.Static}.StoreUnsafe({Epilogue.Vector(step.Epilogue, $"acc{v}", api)}, ref outputRow, (nuint)({columns[v]}));");
            }
        }
    }

    /// <summary>The input column of output column <paramref name="column"/> (a constant, <c>column</c> or <c>column + n</c>) at this stride.</summary>
    private static string Scaled(string column, int stride)
    {
        if (int.TryParse(column, out int c))
        {
            return Int((long)c * stride);
        }
        string scaled = $"{Int(stride)} * column";
        int plus = column.IndexOf('+');
        return plus < 0 ? scaled : $"{scaled} + {Int(long.Parse(column.Substring(plus + 1).Trim(), System.Globalization.CultureInfo.InvariantCulture) * stride)}";
    }

    /// <summary>One tap for every accumulator of the tile: a load (stride 1) or an even-column load (stride 2), then an FMA.</summary>
    /// <param name="weight">A hoisted weight register (<c>w4</c>), or the expression that broadcasts the weight from memory.</param>
    private static void Tap(SourceWriter w, Isa isa, int stride, string row, List<string> starts, long offset, string weight, bool hoisted)
    {
        void Fmas(string weightVector)
        {
            for (int v = 0; v < starts.Count; v++)
            {
                string at = offset == 0 ? starts[v] : $"{starts[v]} + {Int(offset)}";
                string x = stride == 1 ? $"{isa.Static}.LoadUnsafe(ref {row}, (nuint)({at}))" : EvenLoad(isa, row, at);
                w.Line($"acc{v} = {isa.Fma}({x}, {weightVector}, acc{v});");
            }
        }
        if (hoisted)
        {
            Fmas(weight);
            return;
        }
        using (w.Block($"// tap +{Int(offset)}"))
        {
            w.Line($"{isa.Type} weight = {weight};");
            Fmas("weight");
        }
    }

    /// <summary>
    /// The input columns <c>at, at + 2, …</c> as one vector, read without going past the last of them: a load at
    /// <c>at</c> and one at <c>at + width − 1</c>, whose odd lanes are the even columns of the second half.
    /// </summary>
    private static string EvenLoad(Isa isa, string row, string at)
    {
        string lo = $"{isa.Static}.LoadUnsafe(ref {row}, (nuint)({at}))";
        string hi = $"{isa.Static}.LoadUnsafe(ref {row}, (nuint)({at} + {Int(isa.Width - 1)}))";
        return isa == Avx512
            ? $"{Aliases.Avx512F}.PermuteVar16x32x2({lo}, evens, {hi})"
            : $"{Aliases.Vector256}.AsSingle({Aliases.Avx2}.Permute4x64({Aliases.Vector256}.AsDouble({Aliases.Avx}.Shuffle({lo}, {hi}, 0xD8)), 0xD8))";
    }

    /// <summary>Direct grouped convolution, one output value at a time; taps unrolled within the unroll budget.</summary>
    private static void Scalar(SourceWriter w, Step step, string method)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int cpg = ChannelsPerGroup(l);
        int taps = l.KernelWidth * l.KernelHeight;
        VariantHeader(w, step, method, l.Name + " without vector instructions: one output value at a time.");
        using (w.Block($"private static void {method}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {Aliases.Unsafe}.Add(ref weights, {Int(l.WeightCount)});");
            using (w.Block($"for (int f = 0; f < {Int(l.Out.Depth)}; f++)"))
            {
                FilterAndChannels(w, l, src);
                w.Line($"float b = {Aliases.Unsafe}.Add(ref bias, f);");
                using (w.Block($"for (int oy = 0; oy < {Int(l.Out.Height)}; oy++)"))
                {
                    w.Line($"ref float row = ref {Aliases.Unsafe}.Add(ref output, f * {Int(dst.PlaneStride)} + oy * {Int(dst.RowStride)});");
                    using (w.Block($"for (int ox = 0; ox < {Int(l.Out.Width)}; ox++)"))
                    {
                        w.Line($"ref float window = ref {Aliases.Unsafe}.Add(ref channels, oy * {Int((long)l.StrideY * src.RowStride)} + ox * {Int(l.StrideX)});");
                        w.Line("float sum = b;");
                        var loops = new[]
                        {
                            new Loop("k", cpg, src.PlaneStride, taps),
                            new Loop("ky", l.KernelHeight, l.DilationY * src.RowStride, l.KernelWidth),
                            new Loop("kx", l.KernelWidth, l.DilationX, 1),
                        };
                        Nest(w, loops, 0, 0, 0, "", (input, weight) => $"sum += {Aliases.Unsafe}.Add(ref window, {input}) * {Aliases.Unsafe}.Add(ref filter, {weight});");
                        w.Line($"{Aliases.Unsafe}.Add(ref row, ox) = " + Store(step, "sum") + ";");
                    }
                }
            }
        }
    }
}
