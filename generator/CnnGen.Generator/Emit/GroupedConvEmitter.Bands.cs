using System;
using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

internal static partial class GroupedConvEmitter
{
    /// <summary>Most bytes of <see cref="Bands"/>' ring of transposed rows: it and the weights stay in a 48 KB L1.</summary>
    private const int MaxBandRingBytes = 40 * 1024;

    /// <summary>
    /// Accumulators of one <see cref="Bands"/> tile (output pixels of a row, 16 channels each): a 14-wide row in one tile,
    /// 28 in two. Probe as for <see cref="BandsApply"/> (load 22–28; 12 → 14): 5×5/2 from 28×28×96 + hard swish 14.0–15.8
    /// → 13.1–13.5 µs, 5×5 on 14×14×480 + SiLU 49.6–55.0 → 49.1–49.3 µs, 14×14×672 74–79 → 75 µs (noise).
    /// </summary>
    private const int BandAccumulators = 14;

    /// <summary>
    /// Whether the layer takes the banded channel-block kernel on AVX-512 (<see cref="Bands"/>): what
    /// <see cref="BlocksApply"/> asks of a depthwise conv (16 or more channels, stride 1 or 2 both ways, undilated, no
    /// per-channel epilogue, its input bordered with its padding or unpadded, dense output planes) on maps too large for
    /// that kernel's whole-plane tile, whose ring of <c>kh</c> transposed rows fits <see cref="MaxBandRingBytes"/> and
    /// whose output row unrolls within <see cref="BlocksUnrollBudget"/> FMAs; and only the shapes where it measured faster
    /// than the row, phase and flattened kernels: 5×5 filters at stride 2 from maps wider than 16, and at stride 1 onto
    /// rows 9 to 15 wide. Every input row is transposed once (about 20 µs for 56×56×144, measured alone), which the
    /// one-load-one-FMA taps over 16 full lanes repay on 5×5 filters but not on 3×3 ones.
    /// <para>
    /// Measured against ONNX Runtime in one process (a throwaway probe alternating the two, best 200 µs batch over 150 ms,
    /// two runs each, Zen 5 AVX-512, machine loaded at 14–34; before → banded): EfficientNet-B0@224 5×5/2 from 56×56×144 +
    /// SiLU 111–112 → 105–106 µs (0.81–0.83× → 0.86–0.88×; the network's input copy into the bordered buffer and the SiLU
    /// pass are 40% of either), MobileNetV3-Small@224 5×5/2 from 28×28×96 + hard swish 17.5–18.7 → 15.8–15.9 µs (0.92–0.94×
    /// → 1.03–1.08×), 5×5 on 14×14×672 + SiLU 81–87 → 71–75 µs (1.05–1.08× → 1.16–1.25×), on 14×14×480 + SiLU 58–59 →
    /// 49–55 µs (1.05–1.07× → 1.16–1.25×), on 14×14×240 + hard swish 23.5–24.5 → 19.6–20.8 µs (1.39–1.43× → 1.58–1.65×),
    /// on 14×14×144 14.1–14.8 → 12.2–12.7 µs, on 14×14×120 12.0–12.3 → 11.8–12.0 µs. Kept on the other kernels (slower
    /// banded): 5×5 on 28×28×240 + SiLU 85 → 125 µs, 3×3/2 from 112×112×96 + ReLU6 159–164 → 197 µs, 3×3 on 56×56×144
    /// 77 → 125 µs, 3×3/2 from 56×56×144 61 → 68–75 µs, from 56×56×72 28 → 34–38 µs, from 28×28×240 + SiLU 34–35 → 33–35
    /// µs (no gain); 7×7 on 56×56 unrolls past the budget.
    /// </para>
    /// </summary>
    public static bool BandsApply(Step step)
    {
        LayerPlan l = step.Layer;
        if (l.Kind != LayerKind.Conv || l.Groups != l.In.Depth || l.Out.Depth != l.In.Depth || l.In.Depth < 16
            || BlocksApply(step) || !((BandShape(l) && BandRowFmas(l) <= BlocksUnrollBudget) || NoRowKernel(l)))
        {
            return false;
        }
        foreach (EpilogueOp op in step.Epilogue)
        {
            if (op.ParameterOffset >= 0)
            {
                return false;
            }
        }
        Region src = step.Source, dst = step.Destination;
        int origin = BlockOrigin(step), ow = l.Out.Width, outputs = ow * l.Out.Height;
        if (origin < 0 || origin != l.PadTop * src.RowStride + l.PadLeft
            || src.RowStride < BlockColumns(l) || src.RowStride < 16
            || src.PlaneStride < Math.Max(BlockRows(l), l.PadTop + l.In.Height) * (long)src.RowStride
            || (long)RingRows(l) * src.RowStride * 64 > MaxBandRingBytes || BandRowFmas(l) / l.KernelHeight > BlocksUnrollBudget)
        {
            return false;
        }
        bool whole = outputs <= MaxBlockPixels;
        if (dst.RowStride != ow || dst.PlaneStride != outputs)
        {
            return NoRowKernel(l); // into a bordered buffer: each output row transposed back on its own
        }
        return NoRowKernel(l) || (whole ? outputs >= 16 || outputs % 4 == 0 : ow >= 16 || ow % 4 == 0);
    }

    /// <summary>The filters and maps <see cref="Bands"/> is chosen for among those the kernels along the width take (see <see cref="BandsApply"/>).</summary>
    private static bool BandShape(LayerPlan l) =>
        l.StrideX == l.StrideY && l.StrideX is 1 or 2 && l.DilationX == 1 && l.DilationY == 1 && l.KernelWidth == l.KernelHeight
        && l.KernelWidth == 5 && (l.StrideX == 2 ? l.In.Width > 16 : l.Out.Width is > 8 and < 16);

    /// <summary>Rows of <see cref="Bands"/>' ring: the input rows one output row reads, from its first to its last.</summary>
    private static int RingRows(LayerPlan l) => (l.KernelHeight - 1) * l.DilationY + 1;

    /// <summary>FMAs of one output row of <see cref="Bands"/>: every kernel row (padding rows are zeros in the ring), the columns that read the interior.</summary>
    private static int BandRowFmas(LayerPlan l)
    {
        int fmas = 0;
        for (int ox = 0; ox < l.Out.Width; ox++)
        {
            for (int kx = 0; kx < l.KernelWidth; kx++)
            {
                int x = ox * l.StrideX + kx * l.DilationX;
                fmas += x >= l.PadLeft && x < l.PadLeft + l.In.Width ? l.KernelHeight : 0;
            }
        }
        return fmas;
    }

    /// <summary>
    /// The banded channel-block kernel (AVX-512, see <see cref="BandsApply"/>): as <see cref="Blocks"/>, 16 channels a
    /// vector and each tap one load and one FMA with the tap's 16 weights, but the input rows are transposed as the output
    /// rows need them into a ring of <c>kh</c> rows (<c>CnnGen.ChannelBlocks.ToRing</c>: <c>stride</c> new rows per output
    /// row, padding rows as zeros), so the rows read stay in L1 whatever the map's size and every input row is moved once.
    /// One loop body serves every output row (tiles of up to <see cref="BandAccumulators"/> output pixels, the taps that
    /// read only left or right padding left out); the results go through the epilogue into a stack buffer, transposed back
    /// into the output planes once per block (or once per output row on maps of more than <see cref="MaxBlockPixels"/>).
    /// </summary>
    private static void Bands(SourceWriter w, Step step, Isa isa)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int rs = src.RowStride, sx = l.StrideX, sy = l.StrideY, dx = l.DilationX, dy = l.DilationY, kw = l.KernelWidth, kh = l.KernelHeight, taps = kw * kh;
        int ow = l.Out.Width, oh = l.Out.Height, outputs = ow * oh, ringRows = RingRows(l);
        int blocks = (l.Out.Depth + 15) / 16, last = l.Out.Depth - 16 * (blocks - 1);
        bool whole = outputs <= MaxBlockPixels && dst.RowStride == ow && dst.PlaneStride == outputs;
        bool rowLoop = BandRowFmas(l) > BlocksUnrollBudget; // kernel rows in a loop, each one's columns unrolled
        PanelLayout layout = PanelLayout.Of(step);
        bool ColumnValid(int ox, int kx) => ox * sx + kx * dx >= l.PadLeft && ox * sx + kx * dx < l.PadLeft + l.In.Width;
        KernelHeader(w, $"{l.Name} on {isa.Name} (depthwise, 16 channels a vector): each block of 16 channels' input rows transposed as needed into a ring of {Int(ringRows)} rows on the stack (the bordered rows, {Int(rs)} wide), {Int(BandRowFmas(l))} FMAs of a tap's 16 weights an output row, the results transposed back into the output planes.");
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"// The panels [{Int(layout.Panels)}][{Int(kh)}][{Int(kw)}][16], then the biases, padded to whole panels (PackWeights).");
            w.Line($"ref float panels = ref {Aliases.Unsafe}.Add(ref weights, {WeightPanels.Constant(l)} - {l.Name}Parameters);");
            w.Line($"global::System.Span<float> rows = stackalloc float[{Int(ringRows * rs * 16)}];");
            w.Line("ref float ring = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(rows);");
            w.Line($"global::System.Span<float> computed = stackalloc float[{Int(Math.Max(whole ? outputs : ow, 16) * 16)}];");
            w.Line("ref float results = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(computed);");
            using (w.Block($"for (int block = 0; block < {Int(blocks)}; block++)"))
            {
                string lanes = last == 16 ? "16" : $"block == {Int(blocks - 1)} ? {Int(last)} : 16";
                w.Line($"int lanes = {lanes};");
                w.Line($"ref float planes = ref {Aliases.Unsafe}.Add(ref input, block * {Int(16L * src.PlaneStride)});");
                w.Line($"ref float filter = ref {Aliases.Unsafe}.Add(ref panels, block * {Int(taps * 16)});");
                w.Line($"{isa.Type} b = {isa.Static}.LoadUnsafe(ref panels, (nuint)({Int(layout.BiasAt)} + block * 16));");
                w.Line("int ready = 0; // the padded rows in the ring end here");
                var api = new VectorApi(isa.Type, isa.Static);
                using (w.Block($"for (int oy = 0; oy < {Int(oh)}; oy++)"))
                {
                    w.Line($"int needed = oy * {Int(sy)} + {Int(ringRows)};");
                    using (w.Block("if (needed > ready)"))
                    {
                        // strides taller than the filter's reach skip the rows between: none above this output row's first is read
                        string from = sy > ringRows ? $"global::System.Math.Max(ready, needed - {Int(ringRows)})" : "ready";
                        w.Line($"global::CnnGen.ChannelBlocks.ToRing(ref planes, {Int(src.PlaneStride)}, lanes, {Int(rs)}, {Int(l.PadTop)}, {Int(l.PadTop + l.In.Height)}, {from}, needed, {Int(ringRows)}, ref ring);");
                        w.Line("ready = needed;");
                    }
                    for (int ky = 0; ky < kh && !rowLoop; ky++)
                    {
                        w.Line($"ref float row{ky} = ref {Aliases.Unsafe}.Add(ref ring, (nint)((oy * {Int(sy)} + {Int(ky * dy)}) % {Int(ringRows)}) * {Int(16 * rs)});");
                    }
                    w.Line($"ref float resultRow = ref {Aliases.Unsafe}.Add(ref results, {(whole ? "oy * " + Int(16 * ow) : "0")});");
                    var columns = new List<int>();
                    for (int ox = 0; ox < ow; ox++)
                    {
                        columns.Add(ox);
                    }
                    foreach (List<int> tile in Balanced(columns, BandAccumulators))
                    {
                        using (w.Block($"// output columns {Int(tile[0])} to {Int(tile[tile.Count - 1])}"))
                        {
                            for (int i = 0; i < tile.Count; i++)
                            {
                                w.Line($"{isa.Type} acc{i} = b;");
                            }
                            SourceWriter.BlockHandle? kernelRows = null;
                            if (rowLoop)
                            {
                                kernelRows = w.Block($"for (int ky = 0; ky < {Int(kh)}; ky++)");
                                w.Line($"ref float rowK = ref {Aliases.Unsafe}.Add(ref ring, (nint)((oy * {Int(sy)} + ky * {Int(dy)}) % {Int(ringRows)}) * {Int(16 * rs)});");
                                w.Line($"ref float filterRow = ref {Aliases.Unsafe}.Add(ref filter, ky * {Int(16 * kw)});");
                            }
                            for (int k = 0; k < (rowLoop ? kw : taps); k++)
                            {
                                int ky = k / kw, kx = k % kw;
                                if (!tile.Exists(ox => ColumnValid(ox, kx)))
                                {
                                    continue; // only padding under this tap
                                }
                                w.Line($"{isa.Type} w{k} = {isa.Static}.LoadUnsafe(ref {(rowLoop ? "filterRow" : "filter")}, (nuint){Int(k * 16)});");
                                for (int i = 0; i < tile.Count; i++)
                                {
                                    if (ColumnValid(tile[i], kx))
                                    {
                                        w.Line($"acc{i} = {isa.Fma}({isa.Static}.LoadUnsafe(ref {(rowLoop ? "rowK" : $"row{ky}")}, (nuint){Int(16 * (tile[i] * sx + kx * dx))}), w{k}, acc{i});");
                                    }
                                }
                            }
                            kernelRows?.Dispose();
                            for (int i = 0; i < tile.Count; i++)
                            {
                                w.Line($"{isa.Static}.StoreUnsafe({Epilogue.Vector(step.Epilogue, $"acc{i}", api)}, ref resultRow, (nuint){Int(16 * tile[i])});");
                            }
                        }
                    }
                    if (!whole)
                    {
                        w.Line($"global::CnnGen.ChannelBlocks.ToChannels(ref results, {Int(ow)}, lanes, ref {Aliases.Unsafe}.Add(ref output, block * {Int(16L * dst.PlaneStride)} + oy * {Int(dst.RowStride)}), {Int(dst.PlaneStride)});");
                    }
                }
                if (whole)
                {
                    w.Line($"global::CnnGen.ChannelBlocks.ToChannels(ref results, {Int(outputs)}, lanes, ref {Aliases.Unsafe}.Add(ref output, block * {Int(16L * dst.PlaneStride)}), {Int(dst.PlaneStride)});");
                }
            }
        }
    }
}
