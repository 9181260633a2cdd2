using System;
using System.Collections.Generic;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Emits a convolution as three methods chosen once by the JIT (the <c>IsSupported</c> checks are
/// JIT-time constants): an AVX-512 kernel, an AVX2/FMA kernel and a portable scalar kernel.
/// The vector kernels hold a register tile of <c>filters × column vectors</c> accumulators, run
/// every input channel and tap through them in one pass, and add bias and ReLU before one store.
/// </summary>
internal static class ConvEmitter
{
    /// <summary>A vector instruction set the kernel can be written for.</summary>
    /// <param name="Registers">Vector registers: the accumulators, the tile's input vectors and one broadcast weight must fit.</param>
    private sealed record Isa(string Name, string Condition, int Registers, int MaxWidth);

    private static readonly Isa Avx512 = new("Avx512",
        $"{Aliases.Vector512}.IsHardwareAccelerated && {Aliases.Avx512F}.IsSupported", 32, 16);

    private static readonly Isa Avx2 = new("Avx2",
        $"{Aliases.Fma}.IsSupported && {Aliases.Vector256}.IsHardwareAccelerated", 16, 8);

    /// <summary>Keep one unrolled loop body under this many FMAs (see the JIT's MinOpts limits in PERFORMANCE.md).</summary>
    private const int FmaBudget = 640;

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        var variants = new List<(Isa Isa, int Width)>();
        if (l.StrideX == 1)
        {
            foreach (Isa isa in new[] { Avx512, Avx2 })
            {
                int width = VectorWidth(isa, l.Out.Width);
                if (width > 1)
                {
                    variants.Add((isa, width));
                }
            }
        }
        if (variants.Count == 0)
        {
            Scalar(w, step, step.Method);
            return;
        }

        Dispatch(w, step, withWeights: true, variants.ConvertAll(v => (v.Isa.Condition, v.Isa.Name)), "Scalar");
        foreach (var (isa, width) in variants)
        {
            w.Line();
            Vector(w, step, isa, width);
        }
        w.Line();
        Scalar(w, step, step.Method + "Scalar");
    }

    /// <summary>The widest vector (16, 8 or 4 floats) the instruction set has that the output row fills.</summary>
    private static int VectorWidth(Isa isa, int outputWidth)
    {
        for (int width = isa.MaxWidth; width >= 4; width /= 2)
        {
            if (outputWidth >= width)
            {
                return width;
            }
        }
        return 1;
    }

    private static (string Type, string Load, string Store, string Fma, string Max) VectorApi(int width) => width switch
    {
        16 => (Aliases.Float16, $"{Aliases.Vector512}.LoadUnsafe", $"{Aliases.Vector512}.StoreUnsafe", $"{Aliases.Avx512F}.FusedMultiplyAdd", $"{Aliases.Vector512}.Max"),
        8 => (Aliases.Float8, $"{Aliases.Vector256}.LoadUnsafe", $"{Aliases.Vector256}.StoreUnsafe", $"{Aliases.Fma}.MultiplyAdd", $"{Aliases.Vector256}.Max"),
        _ => ("global::System.Runtime.Intrinsics.Vector128<float>", "global::System.Runtime.Intrinsics.Vector128.LoadUnsafe", "global::System.Runtime.Intrinsics.Vector128.StoreUnsafe", $"{Aliases.Fma}.MultiplyAdd", "global::System.Runtime.Intrinsics.Vector128.Max"),
    };

    /// <summary>
    /// Picks the register tile, <c>filters × vectors</c> accumulators (vectors ≤ 4 column vectors),
    /// that fits the registers with the tile's input vectors and a broadcast weight and costs the
    /// fewest cycles for the whole layer, by a simple model of one kernel tap: at least
    /// <c>accumulators / 2</c> cycles (two FMA units), <c>(filters + vectors) / 2</c> (two loads per
    /// cycle) and <see cref="ChainLatency"/> (each accumulator is one dependency chain). The model
    /// counts the row's last, smaller tile and the last, smaller group of filters, which is how a
    /// 4 × 3 tile loses to 6 × 2 on a 4-vector row. Ties go to fewer filter groups (less code).
    /// </summary>
    internal static (int Filters, int Vectors) Tile(int filterCount, int vectorCount, int wholeVectors, int registers)
    {
        (int Filters, int Vectors) best = (1, 1);
        double bestCost = double.MaxValue;
        for (int filters = 1; filters <= Math.Min(filterCount, 12); filters++)
        {
            for (int vectors = 1; vectors <= Math.Min(vectorCount, 4); vectors++)
            {
                if (filters * vectors + vectors + 1 > registers)
                {
                    continue;
                }
                double cost = (filterCount / filters) * RowCost(filters, vectors, vectorCount, wholeVectors)
                    + (filterCount % filters == 0 ? 0 : RowCost(filterCount % filters, vectors, vectorCount, wholeVectors));
                bool fewerGroups = filterCount % filters == 0 && filterCount % best.Filters != 0;
                if (cost < bestCost - 1e-9 || (Math.Abs(cost - bestCost) < 1e-9 && fewerGroups))
                {
                    (best, bestCost) = ((filters, vectors), cost);
                }
            }
        }
        return best;
    }

    /// <summary>Cycles per kernel tap an FMA chain needs before its next FMA (latency 4, plus slack measured on Zen: 12 accumulators beat 10, which beat 8).</summary>
    private const double ChainLatency = 6;

    /// <summary>Modelled cycles per kernel tap for one row of <paramref name="vectorCount"/> column vectors and one group of filters.</summary>
    private static double RowCost(int filters, int vectors, int vectorCount, int wholeVectors)
    {
        static double TapCost(int f, int v) => Math.Max(Math.Max(f * v / 2.0, (f + v) / 2.0), ChainLatency);
        int full = wholeVectors / vectors;
        int rest = vectorCount - full * vectors;
        return full * TapCost(filters, vectors) + (rest == 0 ? 0 : TapCost(filters, rest));
    }

    private static void Vector(SourceWriter w, Step step, Isa isa, int width)
    {
        LayerPlan l = step.Layer;
        var api = VectorApi(width);
        int columnVectors = (l.Out.Width + width - 1) / width;
        int wholeVectors = l.Out.Width / width;
        (int tileFilters, int tileVectors) = Tile(l.Out.Depth, columnVectors, wholeVectors, isa.Registers);
        int filterSize = l.KernelWidth * l.KernelHeight * l.In.Depth;
        int fullFilters = l.Out.Depth / tileFilters * tileFilters;

        KernelHeader(w, $"{step.Layer.Name} on {isa.Name}: tiles of {tileFilters} filters × {tileVectors} vectors of {width} output columns.");
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {Aliases.Unsafe}.Add(ref weights, {Int(l.WeightCount)});");
            if (fullFilters > 0)
            {
                using (w.Loop("f", 0, fullFilters, tileFilters))
                {
                    FilterGroup(w, step, api, width, tileFilters, tileVectors, filterSize);
                }
            }
            if (fullFilters < l.Out.Depth)
            {
                using (w.Block($"// the last {l.Out.Depth - fullFilters} filters"))
                {
                    w.Line($"const int f = {Int(fullFilters)};");
                    FilterGroup(w, step, api, width, l.Out.Depth - fullFilters, tileVectors, filterSize);
                }
            }
        }
    }

    /// <summary>
    /// Every output row for <paramref name="filters"/> filters starting at <c>f</c>: a loop over groups of
    /// <paramref name="tileVectors"/> column vectors that lie wholly inside the row, then the rest; the
    /// very last vector is shifted left to end on the row's last column (it may overlap the one before
    /// it, which it recomputes identically).
    /// </summary>
    private static void FilterGroup(SourceWriter w, Step step, (string Type, string Load, string Store, string Fma, string Max) api,
        int width, int filters, int tileVectors, int filterSize)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int columnVectors = (l.Out.Width + width - 1) / width;
        int fullGroups = l.Out.Width / width / tileVectors;
        var restStarts = new List<int>();
        for (int v = fullGroups * tileVectors; v < columnVectors; v++)
        {
            restStarts.Add(Math.Min(v * width, l.Out.Width - width));
        }

        w.Line($"ref float filters = ref {Aliases.Unsafe}.Add(ref weights, f * {Int(filterSize)});");
        using (w.Block($"for (int oy = 0; oy < {Int(l.Out.Height)}; oy++)"))
        {
            w.Line($"ref float inputRow = ref {Aliases.Unsafe}.Add(ref input, oy * {Int((long)l.StrideY * src.RowStride)});");
            w.Line($"ref float outputRow = ref {Aliases.Unsafe}.Add(ref output, f * {Int(dst.PlaneStride)} + oy * {Int(dst.RowStride)});");
            if (fullGroups > 1)
            {
                using (w.Block($"for (int column = 0; column < {Int(fullGroups * tileVectors * width)}; column += {Int(tileVectors * width)})"))
                {
                    var columns = new List<string>();
                    for (int v = 0; v < tileVectors; v++)
                    {
                        columns.Add(v == 0 ? "column" : $"column + {Int(v * width)}");
                    }
                    Tile(w, step, api, filters, columns, filterSize);
                }
            }
            else if (fullGroups == 1)
            {
                var columns = new List<string>();
                for (int v = 0; v < tileVectors; v++)
                {
                    columns.Add(Int(v * width));
                }
                Tile(w, step, api, filters, columns, filterSize);
            }
            for (int first = 0; first < restStarts.Count; first += tileVectors)
            {
                List<int> group = restStarts.GetRange(first, Math.Min(tileVectors, restStarts.Count - first));
                Tile(w, step, api, filters, group.ConvertAll(start => Int(start)), filterSize);
            }
        }
    }

    /// <summary>One register tile: accumulators start at the bias, take every channel and tap, then store.</summary>
    private static void Tile(SourceWriter w, Step step, (string Type, string Load, string Store, string Fma, string Max) api,
        int filters, List<string> columns, int filterSize)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int vectors = columns.Count;
        int taps = l.KernelWidth * l.KernelHeight;
        string vectorType = api.Type;
        using (w.Block($"// {filters} filters × output columns {string.Join(", ", columns)} (+ vector width)"))
        {
            for (int j = 0; j < filters; j++)
            {
                string b = j == 0 ? $"{Aliases.Unsafe}.Add(ref bias, f)" : $"{Aliases.Unsafe}.Add(ref bias, f + {Int(j)})";
                for (int v = 0; v < vectors; v++)
                {
                    w.Line($"{vectorType} acc{j}_{v} = {StaticType(api)}.Create({b});");
                }
            }

            // Taps per unrolled body: the whole kernel window when it fits the FMA budget, one row of it otherwise.
            bool unrollRows = (long)taps * filters * vectors <= FmaBudget;
            using (w.Block($"for (int c = 0; c < {Int(l.In.Depth)}; c++)"))
            {
                w.Line($"ref float channel = ref {Aliases.Unsafe}.Add(ref inputRow, c * {Int(src.PlaneStride)});");
                w.Line($"ref float weight = ref {Aliases.Unsafe}.Add(ref filters, c * {Int(taps)});");
                if (unrollRows)
                {
                    for (int ky = 0; ky < l.KernelHeight; ky++)
                    {
                        for (int kx = 0; kx < l.KernelWidth; kx++)
                        {
                            TapBlock(w, api, filters, columns, (long)ky * l.DilationY * src.RowStride + (long)kx * l.DilationX, "", ky * l.KernelWidth + kx, filterSize);
                        }
                    }
                }
                else
                {
                    using (w.Block($"for (int ky = 0; ky < {Int(l.KernelHeight)}; ky++)"))
                    {
                        w.Line($"ref float tapRow = ref {Aliases.Unsafe}.Add(ref channel, ky * {Int((long)l.DilationY * src.RowStride)});");
                        w.Line($"ref float tapWeight = ref {Aliases.Unsafe}.Add(ref weight, ky * {Int(l.KernelWidth)});");
                        for (int kx = 0; kx < l.KernelWidth; kx++)
                        {
                            TapBlock(w, api, filters, columns, (long)kx * l.DilationX, "tap", kx, filterSize);
                        }
                    }
                }
            }

            for (int j = 0; j < filters; j++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    string value = Epilogue.Vector(step.Epilogue, $"acc{j}_{v}", new VectorApi(vectorType, StaticType(api), api.Max, StaticType(api) + ".Min"),
                        new EpilogueSite(j == 0 ? "f" : $"f + {Int(j)}"));
                    string offset = j == 0 ? columns[v] : $"{Int((long)j * dst.PlaneStride)} + {columns[v]}";
                    w.Line($"{api.Store}({value}, ref outputRow, (nuint)({offset}));");
                }
            }
        }
    }

    /// <summary>The static class of the vector type (<c>Vector256</c> for <c>Vector256&lt;float&gt;</c>): where Load, Create and Max live.</summary>
    private static string StaticType((string Type, string Load, string Store, string Fma, string Max) api) =>
        api.Load.Substring(0, api.Load.LastIndexOf('.'));

    /// <summary>One kernel tap: load the input vectors once, then FMA them with each filter's broadcast weight.</summary>
    private static void TapBlock(SourceWriter w, (string Type, string Load, string Store, string Fma, string Max) api,
        int filters, List<string> columns, long inputOffset, string prefix, int weightIndex, int filterSize)
    {
        string channel = prefix.Length == 0 ? "channel" : prefix + "Row";
        string weight = prefix.Length == 0 ? "weight" : prefix + "Weight";
        string vector = StaticType(api);
        using (w.Block($"// tap +{Int(inputOffset)}"))
        {
            for (int v = 0; v < columns.Count; v++)
            {
                string offset = inputOffset == 0 ? columns[v] : $"{columns[v]} + {Int(inputOffset)}";
                w.Line($"{api.Type} x{v} = {api.Load}(ref {channel}, (nuint)({offset}));");
            }
            for (int j = 0; j < filters; j++)
            {
                w.Line($"{api.Type} w{j} = {vector}.Create({Aliases.Unsafe}.Add(ref {weight}, {Int((long)j * filterSize + weightIndex)}));");
                for (int v = 0; v < columns.Count; v++)
                {
                    w.Line($"acc{j}_{v} = {api.Fma}(x{v}, w{j}, acc{j}_{v});");
                }
            }
        }
    }
    /// <summary>Direct convolution, one output value at a time; taps unrolled within the unroll budget.</summary>
    private static void Scalar(SourceWriter w, Step step, string method)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int taps = l.KernelWidth * l.KernelHeight;
        VariantHeader(w, step, method, step.Layer.Name + " without vector instructions: one output value at a time.");
        using (w.Block($"private static void {method}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {Aliases.Unsafe}.Add(ref weights, {Int(l.WeightCount)});");
            using (w.Block($"for (int f = 0; f < {Int(l.Out.Depth)}; f++)"))
            {
                w.Line($"ref float filter = ref {Aliases.Unsafe}.Add(ref weights, f * {Int((long)taps * l.In.Depth)});");
                w.Line($"float b = {Aliases.Unsafe}.Add(ref bias, f);");
                using (w.Block($"for (int oy = 0; oy < {Int(l.Out.Height)}; oy++)"))
                {
                    w.Line($"ref float row = ref {Aliases.Unsafe}.Add(ref output, f * {Int(dst.PlaneStride)} + oy * {Int(dst.RowStride)});");
                    using (w.Block($"for (int ox = 0; ox < {Int(l.Out.Width)}; ox++)"))
                    {
                        w.Line($"ref float window = ref {Aliases.Unsafe}.Add(ref input, oy * {Int((long)l.StrideY * src.RowStride)} + ox * {Int(l.StrideX)});");
                        w.Line("float sum = b;");
                        var loops = new[]
                        {
                            new Loop("c", l.In.Depth, src.PlaneStride, taps),
                            new Loop("ky", l.KernelHeight, l.DilationY * src.RowStride, l.KernelWidth),
                            new Loop("kx", l.KernelWidth, l.DilationX, 1),
                        };
                        Nest(w, loops, 0, 0, 0, "", (input, weight) => $"sum += {Aliases.Unsafe}.Add(ref window, {input}) * {Aliases.Unsafe}.Add(ref filter, {weight});");
                        w.Line($"{Aliases.Unsafe}.Add(ref row, ox) = " + Store(step, "sum", "f") + ";");
                    }
                }
            }
        }
    }

}
