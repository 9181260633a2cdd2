using System;
using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Grouped convolutions onto small maps with output channels in the vector (<see cref="ChannelGroups"/>): the grouped form of
/// <see cref="ChannelConvEmitter"/>, one group at a time.
/// </summary>
internal static partial class GroupedConvEmitter
{
    /// <summary>Fewest filters per group for <see cref="ChannelGroupsApply"/>: a whole AVX-512 vector of one group's filters.</summary>
    private const int ChannelGroupsMinFilters = 16;

    /// <summary>Output planes up to this many pixels, rows under 8 wide (as <see cref="ChannelConvEmitter"/>'s).</summary>
    private const int ChannelGroupsMaxPlane = 49;

    /// <summary>Unrolled statements per vector method (loads, broadcasts, FMAs, stores), as <c>ChannelConvEmitter</c>'s budget.</summary>
    private const int ChannelGroupsBudget = 1400;

    /// <summary>
    /// Whether a grouped conv that runs as dense groups (<see cref="DenseGroupsApply(Step)"/>) takes the channel kernel
    /// instead (<see cref="ChannelGroups"/>): at least <see cref="ChannelGroupsMinFilters"/> filters a group, a multiple of
    /// 4 (whole 128-bit vectors), onto rows under 8 wide and planes of at most <see cref="ChannelGroupsMaxPlane"/> pixels.
    /// There the column kernel run group by group fills a few lanes of a vector of output columns (a 2×2 map is two
    /// positions of a 4-lane vector, a 4×4 one a row of 4), while a group's 16 or more filters fill whole vectors; on 2×2
    /// maps a 3×3 window also reads only padding at 5 of its 9 taps per output, which this kernel leaves out.
    /// <para>
    /// Measured against ONNX Runtime in one process (throwaway probe, AVX-512, one thread, best of 5 alternating rounds of
    /// 25 ms, load 15–90; column kernel per group → this kernel, µs, ratio after): RegNetX-400MF at 64 2×2×400 in 25 groups
    /// of 16 18.7 → 3.5–3.7 (0.43× → 2.7–2.8×), 3×3/2 from 4×4 4×4×400 11.9 → 5.3–6.1 (2.2–2.5×), from 8×8×160 22.8 →
    /// 7.4–8.4 (0.51× → 1.4–1.5×); RegNetX-800MF's 2×2×672 (42 groups of 16) 31.4 → 5.5–5.9 (0.38× → 2.0–2.2×); ResNeXt-50
    /// at 64 2×2×1024 in 32 groups of 32 101 → 16–18 (0.25× → 1.4–1.6×), 4×4×512 (16) 22.5 → 17.8 (1.46× → 1.83×); at 224
    /// 7×7×1024 453 → 227 (0.58× → 1.16×), 3×3/2 from 14×14 779 → 260 (0.36× → 1.07×); RegNetX-400MF at 224 7×7×400 93 →
    /// 48 (0.79× → 1.51×); groups of 48 and 64 on 2×2 53–95 → 7–15 (0.23× → 1.6–1.8×), on 7×7 272–447 → 127–217 (0.5× →
    /// 1.05–1.11×); RegNetY's 7×7×888 (37 groups of 24, AVX2 vectors) 307 → 171 (1.48× → 2.7×).
    /// </para>
    /// </summary>
    internal static bool ChannelGroupsApply(Step step)
    {
        LayerPlan l = step.Layer;
        if (!DenseGroupsApply(step))
        {
            return false;
        }
        int filters = FiltersPerGroup(l);
        long plane = (long)l.Out.Width * l.Out.Height;
        return filters >= ChannelGroupsMinFilters && filters % 4 == 0 && l.Out.Width < 8 && plane <= ChannelGroupsMaxPlane
            && PanelLayout.Of(GroupStep(step)).Length * l.Groups <= int.MaxValue / 4
            && ChannelGroupsPlan(step, Portable) is not null;
    }

    /// <summary>
    /// One kernel's register tile: <paramref name="Vectors"/> channel vectors × the pixels of a tile (<paramref name="Tiles"/>,
    /// first pixel and count); a group's filters in <paramref name="Chunks"/> runs of <c>Vectors</c> vectors (a loop).
    /// </summary>
    private sealed record ChannelGroupsTile(int Vectors, int Chunks, List<(int First, int Count)> Tiles);

    /// <summary>Whether output pixel <paramref name="p"/> reads data (not padding) at tap (<paramref name="ky"/>, <paramref name="kx"/>).</summary>
    private static bool ReadsData(LayerPlan l, int p, int ky, int kx) =>
        InsideInput(l, p / l.Out.Width * l.StrideY + ky * l.DilationY - l.PadTop, p % l.Out.Width * l.StrideX + kx * l.DilationX - l.PadLeft);

    /// <summary>
    /// The tile with the fewest modelled cycles for the whole layer, that fits the registers (the accumulators, the
    /// weight vectors and a broadcast) and the method budget; null when none fits. Per tap, the cycles are the most of:
    /// the FMAs over two pipes, the loads (weights and broadcasts) over two ports, and four (an FMA's latency, each
    /// accumulator taking one FMA a tap); taps that read only padding for every pixel of a tile cost nothing. Of tiles
    /// that cost the same, the one with the fewest tiles (fewer loop trips and scatters). One group a tile: tiles of
    /// several groups (more independent accumulators on a 2×2 map) measured slower, the JIT keeping every group's input
    /// broadcasts live across the taps that share them and spilling (RegNetX's 2×2×400, 25 groups of 16: 3.5 µs with one
    /// group a tile, 5.0 with 7 × 4 pixels, 4.7 with 3 × 4; groups of 48 on 2×2: 7.1 against 10.7–11.2).
    /// </summary>
    private static ChannelGroupsTile? ChannelGroupsPlan(Step step, Isa isa)
    {
        LayerPlan l = step.Layer;
        int filters = FiltersPerGroup(l);
        if (filters % isa.Width != 0)
        {
            return null;
        }
        int plane = l.Out.Width * l.Out.Height, groupVectors = filters / isa.Width;
        ChannelGroupsTile? best = null;
        double bestCost = double.MaxValue;
        for (int vectors = 1; vectors <= groupVectors; vectors++)
        {
            int chunks = groupVectors / vectors, span = vectors * isa.Width;
            if (groupVectors % vectors != 0 || (span % PanelLayout.Width != 0 && PanelLayout.Width % span != 0))
            {
                continue; // a chunk's vectors at the same lanes of each panel (see the panels' layout)
            }
            for (int pixels = 1; pixels <= Math.Min(plane, 12); pixels++)
            {
                var plan = new ChannelGroupsTile(vectors, chunks, ChannelConvEmitter.PixelTiles(plane, pixels));
                if (pixels * vectors + vectors + 1 > isa.Registers || ChannelGroupsStatements(step, plan) > ChannelGroupsBudget)
                {
                    continue;
                }
                double cost = 0;
                foreach (var (first, count) in plan.Tiles)
                {
                    cost += chunks * ChannelGroupsTapCycles(l, first, count, vectors);
                }
                int tiles = plan.Tiles.Count * chunks;
                if (cost < bestCost - 1e-9 || (cost < bestCost + 1e-9 && tiles < best!.Tiles.Count * best.Chunks))
                {
                    (best, bestCost) = (plan, cost);
                }
            }
        }
        return best;
    }

    /// <summary>Modelled cycles of one input channel's taps for a tile (see <see cref="ChannelGroupsPlan"/>).</summary>
    private static double ChannelGroupsTapCycles(LayerPlan l, int first, int count, int vectors)
    {
        double cycles = 0;
        for (int ky = 0; ky < l.KernelHeight; ky++)
        {
            for (int kx = 0; kx < l.KernelWidth; kx++)
            {
                int kept = 0;
                for (int p = first; p < first + count; p++)
                {
                    kept += ReadsData(l, p, ky, kx) ? 1 : 0;
                }
                if (kept > 0)
                {
                    cycles += Math.Max(Math.Max(kept * vectors / 2.0, (kept + vectors) / 2.0), 4);
                }
            }
        }
        return cycles;
    }

    /// <summary>Unrolled statements of a vector method with <paramref name="plan"/>: every tile's kept taps and its stores.</summary>
    private static long ChannelGroupsStatements(Step step, ChannelGroupsTile plan)
    {
        LayerPlan l = step.Layer;
        long sum = 0;
        foreach (var (first, count) in plan.Tiles)
        {
            for (int ky = 0; ky < l.KernelHeight; ky++)
            {
                for (int kx = 0; kx < l.KernelWidth; kx++)
                {
                    int kept = 0;
                    for (int p = first; p < first + count; p++)
                    {
                        kept += ReadsData(l, p, ky, kx) ? 1 : 0;
                    }
                    sum += kept == 0 ? 0 : plan.Vectors + kept + (long)kept * plan.Vectors;
                }
            }
            sum += 3L * count * plan.Vectors + count + 4;
        }
        return sum;
    }

    /// <summary>
    /// The layer's methods (<see cref="ChannelGroupsApply"/>): one per instruction set whose vectors divide a group's
    /// filters, and the scalar fallback, the dense scalar kernel once per group. The weights are repacked per group into
    /// panels of 16 filters (<see cref="WeightPanels"/>), each group's panels followed by its biases.
    /// </summary>
    private static void ChannelGroups(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Step group = GroupStep(step);
        var variants = new List<(Isa Isa, ChannelGroupsTile Plan)>();
        foreach (Isa isa in new[] { Avx512, Avx2, Portable })
        {
            if (ChannelGroupsPlan(step, isa) is ChannelGroupsTile plan)
            {
                variants.Add((isa, plan));
            }
        }
        var dispatch = new List<(string, string)>();
        foreach (var (isa, _) in variants)
        {
            dispatch.Add((isa.Condition, isa.Name));
        }
        Dispatch(w, step, withWeights: true, dispatch, "Scalar");
        foreach (var (isa, plan) in variants)
        {
            w.Line();
            ChannelGroupsKernel(w, step, isa, plan);
        }
        w.Line();
        KernelHeader(w, $"{l.Name} without vectors: the dense scalar kernel once per group (each group's biases after its weights, see the constructor).");
        using (w.Block($"private static void {step.Method}Scalar(ref float input, ref float output, ref float weights)"))
        {
            using (w.Block($"for (int g = 0; g < {Int(l.Groups)}; g++)"))
            {
                w.Line($"{group.Method}(ref {Aliases.Unsafe}.Add(ref input, g * {Int((long)ChannelsPerGroup(l) * step.Source.PlaneStride)}), "
                    + $"ref {Aliases.Unsafe}.Add(ref output, g * {Int((long)FiltersPerGroup(l) * step.Destination.PlaneStride)}), "
                    + $"ref {Aliases.Unsafe}.Add(ref weights, g * {Int(GroupParameters(l))}));");
            }
        }
        w.Line();
        ConvEmitter.Scalar(w, group, group.Method);
    }

    /// <summary>One instruction set's kernel: a loop over the groups, in each every pixel tile of every chunk of filters.</summary>
    private static void ChannelGroupsKernel(SourceWriter w, Step step, Isa isa, ChannelGroupsTile plan)
    {
        LayerPlan l = step.Layer;
        PanelLayout layout = PanelLayout.Of(GroupStep(step));
        int most = 0;
        foreach (var (_, count) in plan.Tiles)
        {
            most = Math.Max(most, count);
        }
        int span = plan.Vectors * isa.Width;
        KernelHeader(w, $"{l.Name} on {isa.Name}: output channels in the vector, one group at a time, tiles of up to {most} pixels × {plan.Vectors} vector{(plan.Vectors == 1 ? "" : "s")} of {isa.Width} channels; taps that read only padding left out.");
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"// Per group: panels [{layout.Panels}][{ChannelsPerGroup(l)}][{l.KernelHeight}][{l.KernelWidth}][{PanelLayout.Width}], then its biases, {Int(layout.Length)} floats (PackWeights).");
            w.Line($"ref float panels = ref {Aliases.Unsafe}.Add(ref weights, {WeightPanels.Constant(l)} - {l.Name}Parameters);");
            w.Line("// One tile's results, [pixel][channel], on their way to the C,H,W output.");
            w.Line($"global::System.Span<float> results = stackalloc float[{Int((long)most * span)}];");
            w.Line($"ref float tile = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(results);");
            var names = new List<string>();
            for (int n = 0; n < plan.Vectors; n++)
            {
                names.Add($"w{n}");
            }
            names.Add("x");
            w.Line($"{isa.Type} {string.Join(", ", names)};");
            using (w.Loop("g", 0, l.Groups, 1))
            {
                using (w.Loop("oc", 0, plan.Chunks * span, span))
                {
                    const int P = PanelLayout.Width;
                    w.Line($"ref float groupWeights = ref {Aliases.Unsafe}.Add(ref panels, g * {Int(layout.Length)} + oc / {P} * {Int(layout.PanelSize)} + oc % {P});");
                    w.Line($"ref float groupBiases = ref {Aliases.Unsafe}.Add(ref panels, g * {Int(layout.Length)} + {Int(layout.BiasAt)} + oc);");
                    w.Line($"ref float groupInput = ref {Aliases.Unsafe}.Add(ref input, g * {Int((long)ChannelsPerGroup(l) * step.Source.PlaneStride)});");
                    w.Line($"ref float groupOutput = ref {Aliases.Unsafe}.Add(ref output, (g * {Int(FiltersPerGroup(l))} + oc) * {Int(step.Destination.PlaneStride)});");
                    foreach (var (first, count) in plan.Tiles)
                    {
                        ChannelGroupsTileBody(w, step, isa, plan.Vectors, first, count, layout);
                    }
                }
            }
        }
    }

    /// <summary>
    /// One register tile: the accumulators start at the biases, take every channel of the group and every tap that
    /// reads data, then go through the epilogue and a stack buffer to the output.
    /// </summary>
    private static void ChannelGroupsTileBody(SourceWriter w, Step step, Isa isa, int vectors, int first, int count, PanelLayout layout)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int taps = l.KernelWidth * l.KernelHeight, span = vectors * isa.Width;
        using (w.Block($"// output pixels {first}–{first + count - 1} × {span} channels"))
        {
            for (int n = 0; n < vectors; n++)
            {
                w.Line($"{isa.Type} acc0_{n} = {isa.Static}.LoadUnsafe(ref groupBiases{(n == 0 ? "" : $", (nuint){Int(n * isa.Width)}")});");
            }
            for (int r = 1; r < count; r++)
            {
                var same = new List<string>();
                for (int n = 0; n < vectors; n++)
                {
                    same.Add($"acc{r}_{n} = acc0_{n}");
                }
                w.Line($"{isa.Type} {string.Join(", ", same)};");
            }
            using (w.Block($"for (int c = 0; c < {Int(ChannelsPerGroup(l))}; c++)"))
            {
                w.Line($"ref float channel = ref {Aliases.Unsafe}.Add(ref groupInput, c * {Int(src.PlaneStride)});");
                w.Line($"ref float weight = ref {Aliases.Unsafe}.Add(ref groupWeights, c * {Int((long)taps * PanelLayout.Width)});");
                for (int ky = 0; ky < l.KernelHeight; ky++)
                {
                    for (int kx = 0; kx < l.KernelWidth; kx++)
                    {
                        var kept = new List<int>();
                        for (int r = 0; r < count; r++)
                        {
                            if (ReadsData(l, first + r, ky, kx))
                            {
                                kept.Add(r);
                            }
                        }
                        if (kept.Count == 0)
                        {
                            continue; // only padding under this tap for every pixel of the tile
                        }
                        long tapOffset = (long)ky * l.DilationY * src.RowStride + (long)kx * l.DilationX;
                        using (w.Block($"// tap ({ky}, {kx}): pixels {string.Join(", ", kept.ConvertAll(r => first + r))}"))
                        {
                            for (int n = 0; n < vectors; n++)
                            {
                                long at = (long)(ky * l.KernelWidth + kx) * PanelLayout.Width
                                    + (long)(n * isa.Width / PanelLayout.Width) * layout.PanelSize + n * isa.Width % PanelLayout.Width;
                                w.Line($"w{n} = {isa.Static}.LoadUnsafe(ref weight{(at == 0 ? "" : $", (nuint){Int(at)}")});");
                            }
                            foreach (int r in kept)
                            {
                                w.Line($"x = {isa.Static}.Create({Aliases.Unsafe}.Add(ref channel, {Int(WindowOf(step, first + r) + tapOffset)}));");
                                for (int n = 0; n < vectors; n++)
                                {
                                    w.Line($"acc{r}_{n} = {isa.Fma}(x, w{n}, acc{r}_{n});");
                                }
                            }
                        }
                    }
                }
            }
            var api = new VectorApi(isa.Type, isa.Static);
            for (int r = 0; r < count; r++)
            {
                for (int n = 0; n < vectors; n++)
                {
                    string value = Epilogue.Vector(step.Epilogue, $"acc{r}_{n}", api);
                    w.Line($"{isa.Static}.StoreUnsafe({value}, ref tile, (nuint){Int(((long)r * vectors + n) * isa.Width)});");
                }
            }
            using (w.Block($"for (int j = 0; j < {Int(span)}; j++)"))
            {
                w.Line($"ref float channelOutput = ref {Aliases.Unsafe}.Add(ref groupOutput, j * {Int(dst.PlaneStride)});");
                for (int r = 0; r < count; r++)
                {
                    int p = first + r;
                    long at = (long)(p / l.Out.Width) * dst.RowStride + p % l.Out.Width;
                    w.Line($"{Aliases.Unsafe}.Add(ref channelOutput, {Int(at)}) = {Aliases.Unsafe}.Add(ref tile, {(r == 0 ? "" : Int((long)r * span) + " + ")}j);");
                }
            }
        }
    }

    /// <summary>The input offset of output pixel <paramref name="p"/>'s window (its first tap) from the padded input's origin.</summary>
    private static long WindowOf(Step step, int p)
    {
        LayerPlan l = step.Layer;
        return (long)(p / l.Out.Width) * l.StrideY * step.Source.RowStride + (long)(p % l.Out.Width) * l.StrideX;
    }
}
