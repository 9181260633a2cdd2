using System;
using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// The phase-plane kernel (<see cref="Split"/>): grouped and depthwise convs that no kernel along the width vectorizes
/// (strides of 3 or more across, output rows too narrow for a vector), with each group's input split into its phases.
/// </summary>
internal static partial class GroupedConvEmitter
{
    /// <summary>Most floats of one group's phase planes (<see cref="Split"/>): 64 KB on the stack; more run in bands of output rows.</summary>
    private const int MaxSplitFloats = 16384;

    /// <summary>
    /// Whether the layer takes the phase-plane kernel (<see cref="Split"/>) when nothing else vectorizes it: a band of at
    /// least one output row of a group's phase planes fits <see cref="MaxSplitFloats"/>.
    /// </summary>
    internal static bool SplitApplies(Step step)
    {
        LayerPlan l = step.Layer;
        if (l.Kind != LayerKind.Conv || l.Groups <= 1 || l.StrideX > MaxSplitStride || SplitBand(l) == 0)
        {
            return false;
        }
        long macs = (long)FiltersPerGroup(l) * l.Out.Width * l.Out.Height * ChannelsPerGroup(l) * l.KernelWidth * l.KernelHeight;
        long floats = (long)ChannelsPerGroup(l) * UsedPhases(l.KernelHeight, l.DilationY, l.StrideY) * UsedPhases(l.KernelWidth, l.DilationX, l.StrideX)
            * SplitRows(l, l.Out.Height) * SplitRowStride(l);
        return floats >= MinSplitFloats && macs >= 2 * floats && macs >= MinSplitWork;
    }

    /// <summary>
    /// Fewest multiply-adds a group for the split: below, a group's split and its phase rows' overhead cost more than its
    /// taps (seed-29 probe: a 2×3/4 channel multiplier onto 2-wide rows from 7×40×256, 264 a group, 32 → 139 µs; a 2×2/4
    /// dilated 2 from 33×33×367, 576 a group, 131 → 173 µs; a 3×1/4 dilated 2 from 33×33×8 onto 40 filters, 1215 a group,
    /// 7.5–8.0 → 3.9–7.5 µs).
    /// </summary>
    private const int MinSplitWork = 1024;

    /// <summary>
    /// Fewest floats of a group's phase planes worth a split; below, and where a group's multiply-adds are fewer than twice
    /// the floats split, the scalar kernel stays (a 3×3/3 from 7×7×64 onto 128 filters in 64 groups, 81 floats and 162
    /// multiply-adds a group: 10 µs scalar, 19–32 µs split; a 3×3/4 onto 32 filters from 20×20×64 in 32 groups, 450 and
    /// 450: 23 µs scalar, 26–49 split; ONNX Runtime 15–20 and 16–20). Where they pay: a 7×7/4 onto 57 filters from 13×13×3
    /// in 3 groups (256 floats, 8379 multiply-adds) 13.1 → 5.0 µs (ONNX Runtime 5.7), a 5×5/3 dilated 2 depthwise on
    /// 40×40×48 with PRelu (2304, 4900) 126 → 39–77 µs (26–39), a 9×9/3 depthwise on 75×75×71 + hard swish 2058 → 355–563
    /// µs (1540–1660). Throwaway probe against ONNX Runtime in one process (thread CPU time, best of 6 rounds, AVX-512,
    /// load 10–28).
    /// </summary>
    private const int MinSplitFloats = 128;

    /// <summary>How many of the <paramref name="stride"/> phases along one axis a filter's taps read.</summary>
    private static int UsedPhases(int kernel, int dilation, int stride)
    {
        var used = new bool[stride];
        int count = 0;
        for (int k = 0; k < kernel; k++)
        {
            if (!used[k * dilation % stride])
            {
                used[k * dilation % stride] = true;
                count++;
            }
        }
        return count;
    }

    /// <summary>Largest stride across <c>CnnGen.Subsample.PhasePlanes</c> splits.</summary>
    private const int MaxSplitStride = 8;

    /// <summary>The phases a filter's taps read along one axis, as binary digits (highest phase first): bit (k · dilation) mod stride for every tap k.</summary>
    private static string PhaseBits(int kernel, int dilation, int stride)
    {
        var bits = new char[stride];
        for (int p = 0; p < stride; p++)
        {
            bits[stride - 1 - p] = '0';
        }
        for (int k = 0; k < kernel; k++)
        {
            bits[stride - 1 - k * dilation % stride] = '1';
        }
        return new string(bits);
    }

    /// <summary>Floats between rows of a phase: one per output column and the filter's reach to the right in phase columns.</summary>
    private static int SplitRowStride(LayerPlan l) => l.Out.Width + (l.KernelWidth - 1) * l.DilationX / l.StrideX;

    /// <summary>Rows of a phase for a band of <paramref name="band"/> output rows: one per output row and the filter's reach below.</summary>
    private static int SplitRows(LayerPlan l, int band) => band + (l.KernelHeight - 1) * l.DilationY / l.StrideY;

    /// <summary>Floats of one phase: its rows and 16 zeros past them (a vector that starts on the last output reads up to 15 on).</summary>
    private static int SplitPhaseSize(LayerPlan l, int band) => SplitRows(l, band) * SplitRowStride(l) + 16;

    /// <summary>Floats of a group's phase planes for a band of output rows: its channels' strideY · strideX phases each.</summary>
    private static long SplitFloats(LayerPlan l, int band) => (long)ChannelsPerGroup(l) * l.StrideX * l.StrideY * SplitPhaseSize(l, band);

    /// <summary>Output rows per band: all of them when the group's phases fit <see cref="MaxSplitFloats"/>, else as many as fit (0: none).</summary>
    private static int SplitBand(LayerPlan l)
    {
        int band = l.Out.Height;
        while (band > 0 && SplitFloats(l, band) > MaxSplitFloats)
        {
            band = band * 3 / 4 < band - 1 ? band * 3 / 4 : band - 1;
        }
        return band;
    }

    /// <summary>
    /// The phase-plane kernel on <paramref name="isa"/>: for each group (and band of output rows), the input region its
    /// filters read is split once into stack planes by <c>CnnGen.Subsample.PhasePlanes</c>, one per channel and pair of
    /// remainders (row mod strideY, column mod strideX). Tap (ky, kx) of output (y, x) then reads phase
    /// (ky · dilationY mod strideY, kx · dilationX mod strideX) at row y + ky · dilationY / strideY, column
    /// x + kx · dilationX / strideX: a stride-1 conv, computed as <see cref="Flat"/> does: vectors of consecutive numbered
    /// outputs <c>y · phaseRowStride + x</c> (filling lanes across rows however narrow the output), every tap one load
    /// at a constant offset, the group's filters in turn over the same planes; results through the epilogue into a
    /// stack buffer whose kept columns are copied out. Strides of 3 and more across, and rows under 4 wide, had only the
    /// scalar kernel before (a 9×9/4 depthwise from 56×50×96 ran at 0.09× ONNX Runtime, a 3×5 depthwise on 3×3×512 at
    /// 0.27×).
    /// </summary>
    private static void Split(SourceWriter w, Step step, Isa isa)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int cpg = ChannelsPerGroup(l), fpg = FiltersPerGroup(l), taps = l.KernelWidth * l.KernelHeight;
        int band = SplitBand(l), bands = (l.Out.Height + band - 1) / band;
        int phaseRow = SplitRowStride(l), phaseRows = SplitRows(l, band), phaseSize = SplitPhaseSize(l, band);
        int perChannel = l.StrideX * l.StrideY * phaseSize;
        int flat = (band - 1) * phaseRow + l.Out.Width;
        int computed = Math.Max(flat, isa.Width); // a numbered plane narrower than a vector: one vector, its lanes past the last output dropped
        (int vectors, int most, int tiles, int perTile, bool loop) = FlatTiles(computed, taps * cpg, isa);
        bool hoist = HoistWeights(l, isa, loop ? most : perTile) && (long)cpg * taps * (loop ? most : perTile) <= FmaBudget;
        int rows = (band - 1) * l.StrideY + (l.KernelHeight - 1) * l.DilationY + 1;
        int columns = (l.Out.Width - 1) * l.StrideX + (l.KernelWidth - 1) * l.DilationX + 1;
        string what = cpg == 1 && fpg == 1 ? "depthwise" : $"{l.Groups} groups of {cpg} → {fpg} channels";
        string split = l.StrideX == 1 && l.StrideY == 1 ? "copied into a plane" : $"split into its {Int(l.StrideY)}×{Int(l.StrideX)} phases";
        KernelHeader(w, $"{l.Name} on {isa.Name} ({what}, stride {l.StrideY}×{l.StrideX}): each group's input {split} ({Int(phaseRows)} rows of {Int(phaseRow)}"
            + (bands > 1 ? $", bands of {Int(band)} output rows" : "") + $"), each filter's {Int(flat)} outputs numbered along the phase rows in {Int(vectors)} vectors of {isa.Width}, then its rows copied out"
            + (hoist ? "; its weights held in registers." : "."));
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {Aliases.Unsafe}.Add(ref weights, {Int(l.WeightCount)});");
            w.Line($"global::System.Span<float> plane = stackalloc float[{Int(computed)}];");
            w.Line("ref float outputRow = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(plane);");
            w.Line($"global::System.Span<float> split = stackalloc float[{Int(cpg * perChannel)}];");
            w.Line("ref float phases = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(split);");
            using (w.Block($"for (int g = 0; g < {Int(l.Groups)}; g++)"))
            {
                using (w.Block(bands > 1 ? $"for (int band = 0; band < {Int(bands)}; band++)" : "// one band: every output row"))
                {
                    w.Line(bands > 1
                        ? $"int oy = global::System.Math.Min(band * {Int(band)}, {Int(l.Out.Height - band)}); // the last band shifted up to end on the last row"
                        : "int oy = 0;");
                    w.Line($"global::CnnGen.Subsample.PhasePlanes(ref {Aliases.Unsafe}.Add(ref input, g * {Int((long)cpg * src.PlaneStride)} + oy * {Int((long)l.StrideY * src.RowStride)}), "
                        + $"{Int(src.RowStride)}, {Int(src.PlaneStride)}, {Int(cpg)}, rows: {Int(rows)}, columns: {Int(columns)}, {Int(l.StrideX)}, {Int(l.StrideY)}, "
                        + $"ref phases, {Int(phaseRow)}, {Int(phaseRows)}, {Int(phaseSize)}, rowPhases: 0b{PhaseBits(l.KernelHeight, l.DilationY, l.StrideY)}, columnPhases: 0b{PhaseBits(l.KernelWidth, l.DilationX, l.StrideX)});");
                    using (w.Block(fpg == 1 ? "// the group's one filter" : $"for (int f = g * {Int(fpg)}; f < g * {Int(fpg)} + {Int(fpg)}; f++)"))
                    {
                        if (fpg == 1)
                        {
                            w.Line("int f = g;");
                        }
                        w.Line($"ref float filter = ref {Aliases.Unsafe}.Add(ref weights, f * {Int((long)cpg * taps)});");
                        BiasAndWeights(w, isa, hoist ? cpg * taps : 0);
                        Lanes? lanes = bands > 1 ? null : SplitLanes(l, isa, phaseRow, band);
                        if (loop)
                        {
                            int whole = computed / isa.Width / most;
                            if (whole > 0)
                            {
                                using (w.Block($"for (int column = 0; column < {Int(whole * most * isa.Width)}; column += {Int(most * isa.Width)})"))
                                {
                                    var tile = new List<string>();
                                    for (int v = 0; v < most; v++)
                                    {
                                        tile.Add(v == 0 ? "column" : $"column + {Int(v * isa.Width)}");
                                    }
                                    SplitTile(w, step, isa, tile, hoist, phaseRow, phaseSize, null);
                                }
                            }
                            var rest = new List<string>();
                            for (int v = whole * most; v < vectors; v++)
                            {
                                rest.Add(Int(Math.Min(v * isa.Width, computed - isa.Width)));
                            }
                            for (int first = 0; first < rest.Count; first += most)
                            {
                                SplitTile(w, step, isa, rest.GetRange(first, Math.Min(most, rest.Count - first)), hoist, phaseRow, phaseSize, lanes);
                            }
                        }
                        for (int t = 0; t < tiles && !loop; t++)
                        {
                            var tile = new List<string>();
                            for (int v = t * perTile; v < Math.Min(vectors, (t + 1) * perTile); v++)
                            {
                                tile.Add(Int(Math.Min(v * isa.Width, computed - isa.Width)));
                            }
                            SplitTile(w, step, isa, tile, hoist, phaseRow, phaseSize, lanes);
                        }
                        SplitCopy(w, l, dst, isa, phaseRow, band);
                    }
                }
            }
        }
    }

    /// <summary>The outputs (y, x) a vector of <see cref="Split"/> keeps: numbers <c>y · phaseRow + x</c> with x inside the width, y inside the band.</summary>
    private static Lanes SplitLanes(LayerPlan l, Isa isa, int phaseRow, int band) => place =>
    {
        if (!int.TryParse(place.Column, out int first))
        {
            return null;
        }
        var outputs = new List<(int Y, int X)>();
        for (int n = first; n < first + isa.Width; n++)
        {
            if (n % phaseRow < l.Out.Width && n / phaseRow < band)
            {
                outputs.Add((n / phaseRow, n % phaseRow));
            }
        }
        return outputs;
    };

    /// <summary>
    /// One register tile of <see cref="Split"/>: accumulators start at the bias, take every channel of the group and every
    /// tap from its phase (taps that read only padding for every kept output left out, when <paramref name="lanes"/> knows
    /// them), then the epilogue and a store into the numbered plane. The group's channels in a loop when unrolling them
    /// all would pass <see cref="FmaBudget"/>.
    /// </summary>
    private static void SplitTile(SourceWriter w, Step step, Isa isa, List<string> columns, bool hoist, int phaseRow, int phaseSize, Lanes? lanes)
    {
        LayerPlan l = step.Layer;
        int cpg = ChannelsPerGroup(l), taps = l.KernelWidth * l.KernelHeight;
        int perChannel = l.StrideX * l.StrideY * phaseSize;
        var starts = columns.ConvertAll(c => (string?)c);
        var places = columns.ConvertAll(c => new Position(c, 0));
        bool unroll = (long)cpg * taps * columns.Count <= FmaBudget;
        using (w.Block($"// outputs {string.Join(", ", columns)} (+ vector width)"))
        {
            for (int v = 0; v < columns.Count; v++)
            {
                w.Line($"{isa.Type} acc{v} = b;");
            }
            void Taps(int k, string row, string kernel)
            {
                for (int ky = 0; ky < l.KernelHeight; ky++)
                {
                    for (int kx = 0; kx < l.KernelWidth; kx++)
                    {
                        int dy = ky * l.DilationY, dx = kx * l.DilationX;
                        long offset = (long)k * perChannel + (long)(dy % l.StrideY * l.StrideX + dx % l.StrideX) * phaseSize + (long)(dy / l.StrideY) * phaseRow + dx / l.StrideX;
                        int index = (k * l.KernelHeight + ky) * l.KernelWidth + kx;
                        bool hoisted = hoist && unroll;
                        string weight = hoisted ? $"w{index}" : $"{isa.Static}.Create({Aliases.Unsafe}.Add(ref {kernel}, {Int(unroll ? index : ky * l.KernelWidth + kx)}))";
                        Tap(w, isa, 1, row, Reading(l, starts, places, lanes, ky, kx), offset, weight, hoisted, 0);
                    }
                }
            }
            if (unroll)
            {
                for (int k = 0; k < cpg; k++)
                {
                    Taps(k, "phases", "filter");
                }
            }
            else
            {
                using (w.Block($"for (int k = 0; k < {Int(cpg)}; k++)"))
                {
                    w.Line($"ref float channel = ref {Aliases.Unsafe}.Add(ref phases, k * {Int(perChannel)});");
                    w.Line($"ref float kernel = ref {Aliases.Unsafe}.Add(ref filter, k * {Int(taps)});");
                    Taps(0, "channel", "kernel");
                }
            }
            var api = new VectorApi(isa.Type, isa.Static);
            for (int v = 0; v < columns.Count; v++)
            {
                w.Line($"{isa.Static}.StoreUnsafe({Epilogue.Vector(step.Epilogue, $"acc{v}", api, Channel)}, ref outputRow, (nuint)({columns[v]}));");
            }
        }
    }

    /// <summary>
    /// Copies <see cref="Split"/>'s <paramref name="band"/> numbered rows (<paramref name="rowStride"/> apart in
    /// <c>outputRow</c>) to output channel <c>f</c> from row <c>oy</c>: vectors of 8 or 4 (the last shifted left to end on
    /// the row's last column), or one value at a time on rows under 4 wide.
    /// </summary>
    private static void SplitCopy(SourceWriter w, LayerPlan l, Region dst, Isa isa, int rowStride, int band)
    {
        using (w.Block($"for (int y = 0; y < {Int(band)}; y++) // the kept columns of each row"))
        {
            w.Line($"ref float from = ref {Aliases.Unsafe}.Add(ref outputRow, y * {Int(rowStride)});");
            w.Line($"ref float to = ref {Aliases.Unsafe}.Add(ref output, f * {Int(dst.PlaneStride)} + (oy + y) * {Int(dst.RowStride)});");
            if (l.Out.Width < 4)
            {
                for (int x = 0; x < l.Out.Width; x++)
                {
                    w.Line($"{Aliases.Unsafe}.Add(ref to, {Int(x)}) = {Aliases.Unsafe}.Add(ref from, {Int(x)});");
                }
                return;
            }
            int copy = isa.Width >= 8 && l.Out.Width >= 8 ? 8 : 4;
            string type = copy == 8 ? Aliases.Vector256 : Aliases.Vector128;
            for (int c = 0; ; c += copy)
            {
                int at = Math.Min(c, l.Out.Width - copy);
                w.Line($"{type}.StoreUnsafe({type}.LoadUnsafe(ref from, (nuint){Int(at)}), ref to, (nuint){Int(at)});");
                if (at + copy >= l.Out.Width)
                {
                    break;
                }
            }
        }
    }
}
