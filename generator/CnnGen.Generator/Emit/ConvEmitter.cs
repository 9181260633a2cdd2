using System;
using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Emits a convolution as up to four methods chosen once by the JIT (the <c>IsSupported</c> checks
/// are JIT-time constants): an AVX-512 kernel, an AVX2/FMA kernel, a portable <c>Vector128</c> kernel
/// (Arm64, x64 without AVX2 as NativeAOT compiles by default, WebAssembly) and a scalar kernel.
/// The vector kernels hold a register tile of <c>filters × vectors</c> accumulators, run every input
/// channel and tap through them in one pass, and add bias and the fused epilogue before one store.
/// A vector holds consecutive output columns of one row (<see cref="Walk"/>): the whole plane for a
/// gap-free 1×1 layer, positions over the padded grid for maps narrower than a vector, or, on
/// AVX-512, two or four rows at once (<see cref="Parts"/>). Strided layers gather every 2nd–4th input
/// column with shuffles (<see cref="LoadColumns"/>); 4-float vectors call <c>Kernels.Columns</c>,
/// which shuffles on x64 and Arm64 alike (strided layers with 16 or more filters go to the runtime's
/// channel-vectorized <c>DirectConv</c> instead, see <see cref="DirectConvEmitter"/>). The unrolling is budgeted per method
/// (<see cref="MethodBudget"/>) so no method reaches the JIT's MinOpts limits.
/// </summary>
internal static class ConvEmitter
{
    /// <summary>A vector instruction set the kernel can be written for.</summary>
    /// <param name="Registers">Vector registers: the accumulators, the tile's input vectors and one broadcast weight must fit.</param>
    /// <param name="Budget">Unrolled statements the whole method may hold (<see cref="MethodBudget"/>, or less to save code).</param>
    private sealed record Isa(string Name, string Condition, int Registers, int MaxWidth, int Budget = MethodBudget);

    private static readonly Isa Avx512 = new("Avx512",
        $"{Aliases.Vector512}.IsHardwareAccelerated && {Aliases.Avx512F}.IsSupported", 32, 16);

    private static readonly Isa Avx2 = new("Avx2",
        $"{Aliases.Fma}.IsSupported && {Aliases.Vector256}.IsHardwareAccelerated", 16, 8);

    /// <summary>AVX2 for strided layers: the column gathers need its shuffles and permutes besides FMA.</summary>
    private static readonly Isa Avx2Strided = Avx2 with { Condition = $"{Aliases.Avx2}.IsSupported && " + Avx2.Condition };

    /// <summary>
    /// Cross-platform <c>Vector128</c> operators and <c>Kernels.MultiplyAdd</c>: SSE on x64 without AVX2, AdvSimd
    /// on Arm64, PackedSimd on WebAssembly. Tiles for 16 registers (x64 has 16 xmm). Arm64 has 32: a tile of 6 filters
    /// × 4 vectors would load 10 vectors per 24 FMAs instead of 7 per 12 (4 × 3), about 30% fewer loads per FMA, but
    /// it would be a fifth kernel per layer; the FMA pipes, not the loads, bound a 4 × 3 tile (see the benchmarks'
    /// README), so one 16-register kernel serves all three.
    /// </summary>
    private static readonly Isa Portable = new("Vector128", $"{Aliases.Vector128}.IsHardwareAccelerated", 16, 4);

    /// <summary>
    /// Unrolled statements of a <see cref="Portable"/> kernel that runs beside an AVX2 one: about one tap of each tile,
    /// so it loops over kernel rows and columns rather than unrolling the window (a loop step costs a few integer
    /// instructions beside a tap's dozen vector ones), which keeps the extra kernel a fraction of the AVX2 kernel's size.
    /// </summary>
    private const int PortableBudget = 80;

    /// <summary>AVX-512 with vectors assembled from 256- or 128-bit parts (the parts' loads use AVX2 shuffles when strided).</summary>
    private static readonly Isa Avx512Parts = Avx512 with { Condition = Avx512.Condition + $" && {Aliases.Avx2}.IsSupported && {Aliases.Fma}.IsSupported" };

    /// <summary>
    /// Keep a whole vector method under this many unrolled statements (loads, broadcasts, FMAs), across
    /// all its filter groups and column tiles: about 8 IL instructions and 5 local references each, far
    /// from the JIT's MinOpts limits (see PERFORMANCE.md and JitLimitsTests).
    /// </summary>
    private const int MethodBudget = 1400;

    public static void Emit(SourceWriter w, Step step)
    {
        if (WinogradEmitter.Selected(step.Layer))
        {
            WinogradEmitter.Emit(w, step, method => Scalar(w, step, method)); // 3×3 stride 1 with enough channels
            return;
        }
        if (step.Workspace is not null && ChannelDotEmitter.Applies(step))
        {
            ChannelDotEmitter.Emit(w, step); // few filters from many channels: input channels in the vector
            return;
        }
        if (ChannelConvEmitter.Applies(step))
        {
            ChannelConvEmitter.Emit(w, step); // small maps with many channels: output channels in the vector
            return;
        }
        if (step.Workspace is Region workspace && Subsampled(step.Layer))
        {
            EmitSubsampled(w, step, workspace); // 1×1 strided: every stride-th row and column gathered, then the stride-1 kernel
            return;
        }
        if (DirectConvEmitter.Applies(step))
        {
            DirectConvEmitter.Emit(w, step); // strided, larger maps: output channels in the vector, a loop over pixel tiles
            return;
        }
        if (step.Workspace is Region phases && PhaseSplit(step.Layer, step.Epilogue))
        {
            EmitPhaseSplit(w, step, phases); // stride 2 across: even and odd columns split once, then contiguous taps
            return;
        }
        Columns(w, step);
    }

    /// <summary>
    /// Whether a stride-2 (across) conv that runs on the column kernel (few filters: <see cref="DirectConvEmitter.Applies"/>
    /// keeps fewer than 16, or fewer than 32 on rows up to 32 wide, here; grouped convs whose groups run as dense convs,
    /// <see cref="GroupedConvEmitter.DenseGroupsApply(Step)"/>, alike) first splits its input's even and odd columns
    /// into a workspace (<c>CnnGen.Subsample.Phases</c>, one pass over the input): each tap of the kernel is then one
    /// contiguous load from one phase (<see cref="PhaseTap"/>) instead of the strided gathers' two loads and a shuffle
    /// per 8 outputs (four loads, two shuffles and an insert per AVX-512 vector), which the taps repeat for every input
    /// row they share and every filter group. Output rows at least 8 wide (narrower rows pack several rows per vector)
    /// and at least <see cref="MinPhaseSplitWork"/> multiply-adds. It also takes, from the direct kernel, stride-2 layers
    /// onto 16–31 filters over rows wider than 32 with few taps (<see cref="DirectConvEmitter.Wide"/>: its 16-channel
    /// vectors leave a third of 24 filters' lanes empty; 16 filters from <see cref="MinSixteenTaps"/>); with 128 or more taps per output (16 channels of 3×3) the direct
    /// kernel stays faster (3×3/2 onto 24 filters from 112×112×16: 131 µs there, 149–160 here).
    /// <para>
    /// Measured against ONNX Runtime in one process (throwaway probe, AVX-512, one thread, best of 150 ms of ~200 µs
    /// batches, two rounds, load 8–30; µs, gathers or the direct kernel → split, ratio after): a small CNN's 3×3/2 onto
    /// 10 filters from 100×100×3 18.9–19.1 → 8.4–9.4 (0.76–0.80× → 1.57–1.78×) and onto 20 from 49×49×10 17.3–22.2 →
    /// 11.9–12.6 (0.68–0.88× → 1.19–1.27×); 5×5/2 onto 16 from 64×64×8 51.5 → 24.2–24.6 (0.56× → 1.19–1.23×); 3×3/2 onto
    /// 12 from 128×128×3 38.9 → 16.5 (0.82× → 1.90×); ResNeXt's 3×3/2 with 8 groups of 16 on 56×56×128 260 → 182
    /// (0.72× → 1.06×), 16 groups on 56×56×256 470 → 375 (0.83× → 1.03×), 4 groups of 16 on 56×56×64 115 → 94 (0.84× →
    /// 1.03×), 2 groups of 16 on 56×56×32 54–65 → 43–45 (0.73–0.87× → 1.06–1.13×); from the direct kernel: 3×3/2 onto
    /// 24 from 96×96×3 21.2–21.4 → 13.4–14.2 (1.00× → 1.46–1.54×), from 80×80×8 38.5–39.9 → 26.4–26.8 (0.90–0.92× →
    /// 1.32–1.35×), ShuffleNet's stem at 224 118–126 → 94–99 (0.92–0.98× → 1.17–1.24×), 5×5/2 onto 16 from 97×97×3
    /// 33.1–36.4 → 31.0–31.1 (0.94–1.03× → 1.10–1.11×). Small maps: 9×9×8 from 20×20×8 1.1–1.3 either way, 16×16×12
    /// from 32×32×16 5.5–5.6 → 5.7–5.8 (within the noise), 12×12×10 from 24×24×16 4.5–4.7 → 3.6–3.8.
    /// </para>
    /// </summary>
    internal static bool PhaseSplit(LayerPlan l, IEnumerable<EpilogueOp> epilogue)
    {
        if (l.Kind != LayerKind.Conv || l.StrideX is < 2 or > MaxPhases || l.DilationX != 1 || l.KernelWidth < 2 || l.Out.Width < (l.StrideX == 2 ? 8 : 16)
            || l.MultiplyAdds < MinPhaseSplitWork || Subsampled(l))
        {
            return false;
        }
        bool perChannel = false;
        foreach (EpilogueOp op in epilogue)
        {
            perChannel |= op.ParameterOffset >= 0;
        }
        LayerPlan k = l;
        if (l.Groups > 1)
        {
            if (!GroupedConvEmitter.DenseGroupsApply(l, epilogue))
            {
                return false;
            }
            k = GroupedConvEmitter.GroupLayer(l);
        }
        // the column kernel's layers (DirectConvEmitter.Applies takes the others; its group kernel wants 32 filters)
        // (the layers taken from the direct kernel were measured at stride 2 only)
        bool wide = l.StrideX == 2 && DirectConvEmitter.Wide(k) && (k.Out.Depth > 16 || Taps(k) >= MinSixteenTaps);
        bool columns = k.Out.Depth < 16 || (k.Out.Depth < 32 && (k.Out.Width <= 32 || wide)) || perChannel;
        return columns && !ChannelConvEmitter.AppliesTo(k) && SplitLength(l) <= MaxSubsampled;
    }

    /// <summary>Multiply-adds per output of a conv: channels · kernel window.</summary>
    private static long Taps(LayerPlan l) => (long)l.In.Depth * l.KernelWidth * l.KernelHeight;

    /// <summary>
    /// Fewest multiply-adds per output for which a stride-2 layer onto exactly 16 filters over rows wider than 32 leaves the
    /// direct kernel (whose vectors 16 filters fill) for the split: 5×5/2 onto 16 from 97×97×3 (75) 35.3–35.6 → 30.7–31.1 µs
    /// (0.97–0.98× → 1.11–1.14×), but MobileNetV3's 3×3/2 stem at 224 (27) 76.4–78.9 → 79.3–80.8 (1.52–1.54× → 1.50–1.51×).
    /// </summary>
    private const int MinSixteenTaps = 64;

    /// <summary>
    /// Fewest multiply-adds of a <see cref="PhaseSplit"/> conv: below, the split's call and pass cost about what the
    /// gathers they save do (8×8×4 from 15×17×3, 3×3/2: 0.2 → 0.3 µs; 9×9×8 from 20×20×8 1.1–1.3 µs either way).
    /// </summary>
    private const long MinPhaseSplitWork = 32 * 1024;

    /// <summary>
    /// Largest stride across a <see cref="PhaseSplit"/> conv splits its input for (the split's phases, one per column of a
    /// stride). Throwaway probe of random layers against ONNX Runtime in one process (thread CPU time, best of 6 rounds,
    /// two runs, load ~50; µs, gathers → split, ONNX Runtime in brackets): 7×7/3 onto 8 filters from 64×64×64 829–1031 →
    /// 513–556 (535–588), from 75×75×3 + SiLU 48–64 → 33.5–34.2 (39); a 1-D 3-tap stride-4 onto 8 filters from 221 × 160
    /// 20–31 → 22–26 (14, unchanged). Strides 3 and 4 need output rows at least 16 wide: onto 9-wide rows (2×2 at stride 3
    /// onto 31 filters from 28×28×160) the split was slower than the gathers, 158–161 → 186–187 (64–66).
    /// </summary>
    private const int MaxPhases = 4;

    /// <summary>Input columns a strided conv reads per row: <c>stride · (width − 1) + kernel width</c>.</summary>
    private static int PhaseColumns(LayerPlan l) => l.StrideX * (l.Out.Width - 1) + l.KernelWidth;

    /// <summary>Input rows a conv reads per channel.</summary>
    private static int PhaseRows(LayerPlan l) => (l.Out.Height - 1) * l.StrideY + (l.KernelHeight - 1) * l.DilationY + 1;

    /// <summary>Floats of one phase of a split row (the first phase's columns; the others have as many or fewer).</summary>
    private static int PhaseWidth(LayerPlan l) => (PhaseColumns(l) + l.StrideX - 1) / l.StrideX;

    /// <summary>Floats of workspace a <see cref="PhaseSplit"/> conv needs for its split input, else 0.</summary>
    public static int PhaseSplitLength(LayerPlan l, IEnumerable<EpilogueOp> epilogue) =>
        PhaseSplit(l, epilogue) ? (int)SplitLength(l) : 0;

    private static long SplitLength(LayerPlan l) => (long)(l.In.Depth / l.Groups) * PhaseRows(l) * l.StrideX * PhaseWidth(l);

    /// <summary>Offset of kernel column <paramref name="kx"/>'s first input in a split row: its phase, then its place in it.</summary>
    private static long PhaseTap(int phaseWidth, int stride, int kx) => (long)(kx % stride) * phaseWidth + kx / stride;

    /// <summary>
    /// A <see cref="PhaseSplit"/> conv: the layer's method splits its input into the workspace and calls the column
    /// kernel over it (methods named the layer's plus <c>Phases</c>; grouped, once per group on its channels); machines
    /// without vector instructions run the scalar kernel on the input as it is.
    /// </summary>
    internal static void EmitPhaseSplit(SourceWriter w, Step step, Region workspace)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source;
        int phase = PhaseWidth(l), rows = PhaseRows(l);
        var split = new Region(workspace.Storage, workspace.Offset, l.StrideX * phase, rows * l.StrideX * phase, 0, (int)SplitLength(l));
        bool grouped = l.Groups > 1;
        Step kernel = grouped ? GroupedConvEmitter.GroupStep(step) : step;
        Step inner = kernel with
        {
            Layer = kernel.Layer with { Name = kernel.Layer.Name + "Phases" },
            Sources = new[] { split }.ToEquatableArray(),
            Padded = null,
            Workspace = null,
            CopyFrom = null,
        };
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output, ref float weights, ref float workspace)"))
        {
            using (w.Block($"if ({Aliases.Vector128}.IsHardwareAccelerated)"))
            {
                string phases = $"width: {Int(PhaseColumns(l))}, rows: {Int(rows)}, rowStride: {Int(src.RowStride)}, planeStride: {Int(src.PlaneStride)}"
                    + (l.StrideX == 2 ? "" : $", stride: {Int(l.StrideX)}");
                string splitComment = l.StrideX == 2
                    ? "// each input row's even columns, then its odd ones: every tap of the stride-2 kernel is then a contiguous load"
                    : $"// each input row's columns by their remainder mod {l.StrideX}: every tap of the stride-{l.StrideX} kernel is then a contiguous load";
                if (grouped)
                {
                    LayerPlan g = kernel.Layer;
                    // a group's channels at a time: its split rows stay in L1 or L2 for its kernel
                    using (w.Block($"for (int g = 0; g < {Int(l.Groups)}; g++)"))
                    {
                        w.Line(splitComment);
                        w.Line($"global::CnnGen.Subsample.Phases(ref {Aliases.Unsafe}.Add(ref input, g * {Int((long)g.In.Depth * src.PlaneStride)}), ref workspace, channels: {Int(g.In.Depth)}, {phases});");
                        w.Line($"{inner.Method}(ref workspace, "
                            + $"ref {Aliases.Unsafe}.Add(ref output, g * {Int((long)g.Out.Depth * step.Destination.PlaneStride)}), "
                            + $"ref {Aliases.Unsafe}.Add(ref weights, g * {Int(GroupedConvEmitter.GroupParameters(l))}));");
                    }
                }
                else
                {
                    w.Line(splitComment);
                    w.Line($"global::CnnGen.Subsample.Phases(ref input, ref workspace, channels: {Int(l.In.Depth)}, {phases});");
                    w.Line($"{inner.Method}(ref workspace, ref output, ref weights);");
                }
            }
            using (w.Block("else"))
            {
                if (grouped)
                {
                    LayerPlan g = kernel.Layer;
                    using (w.Block($"for (int g = 0; g < {Int(l.Groups)}; g++)"))
                    {
                        w.Line($"{step.Method}Scalar(ref {Aliases.Unsafe}.Add(ref input, g * {Int((long)g.In.Depth * src.PlaneStride)}), "
                            + $"ref {Aliases.Unsafe}.Add(ref output, g * {Int((long)g.Out.Depth * step.Destination.PlaneStride)}), "
                            + $"ref {Aliases.Unsafe}.Add(ref weights, g * {Int(GroupedConvEmitter.GroupParameters(l))}));");
                    }
                }
                else
                {
                    w.Line($"{step.Method}Scalar(ref input, ref output, ref weights);");
                }
            }
        }
        w.Line();
        Columns(w, inner, phase);
        w.Line();
        Scalar(w, kernel, step.Method + "Scalar");
    }

    /// <summary>
    /// The column kernels (vectors of consecutive output columns or plane positions) and the scalar fallback, which read
    /// the parameters as they come (<c>[filters][channels][kh][kw]</c>, then the biases): the layer's own kernels, and
    /// each group's of a grouped conv whose groups run as dense convs (<see cref="GroupedConvEmitter.DenseGroupsApply"/>).
    /// </summary>
    /// <param name="phase">When the input is split into even and odd columns (<see cref="PhaseSplit"/>), the floats of one
    /// phase of a split row: the taps read their phase with plain loads, and the layer's method runs the scalar kernel
    /// itself, so the last vector kernel here is the fallback.</param>
    internal static void Columns(SourceWriter w, Step step, int phase = 0)
    {
        List<(Isa Isa, int Width, Walk Walk)> variants = ColumnVariants(step, phase);
        if (variants.Count == 0)
        {
            Scalar(w, step, step.Method);
            return;
        }

        if (phase > 0)
        {
            // the caller checked Vector128: the portable kernel is the fallback
            Dispatch(w, step, withWeights: true, variants.GetRange(0, variants.Count - 1).ConvertAll(v => (v.Isa.Condition, v.Isa.Name)), variants[variants.Count - 1].Isa.Name);
        }
        else
        {
            Dispatch(w, step, withWeights: true, variants.ConvertAll(v => (v.Isa.Condition, v.Isa.Name)), "Scalar");
        }
        foreach (var (isa, width, variantWalk) in variants)
        {
            w.Line();
            Vector(w, step, isa, width, variantWalk);
        }
        if (phase == 0)
        {
            w.Line();
            Scalar(w, step, step.Method + "Scalar");
        }
    }

    /// <summary>
    /// Whether the column kernels have a vector kernel for the layer (not, for example, for strided layers onto output rows
    /// under 4 wide); where they have none, <see cref="DirectConvEmitter.Applies"/> takes the layer rather than leave it
    /// to the scalar kernel.
    /// </summary>
    internal static bool ColumnsVectorize(Step step) => ColumnVariants(step, 0).Count > 0;

    /// <summary>The column kernels for the layer, in dispatch order, and the walk each takes (none: the scalar kernel only).</summary>
    private static List<(Isa Isa, int Width, Walk Walk)> ColumnVariants(Step step, int phase)
    {
        LayerPlan l = step.Layer;
        var variants = new List<(Isa Isa, int Width, Walk Walk)>();
        Walk walk = RowWalk(step) with { Phase = phase };
        if (PartsWalk(l, walk) is Walk parts)
        {
            variants.Add((Avx512Parts, 16, parts)); // AVX-512 vectors made of 2 or 4 rows, or of two strided halves
        }
        Walk? flat = walk.Rows == 1 && walk.RowWidth > l.Out.Width ? null : FlatWalk(l, step.Source);
        if (flat is not null && Plan(l, Portable, 4, flat).Stores > MethodBudget / 2)
        {
            flat = null; // too many outputs to store lane by lane: the row kernel (or the scalar one) instead
        }
        if (flat is not null)
        {
            // 8 (or 4) consecutive positions of a flat walk over the padded grid
            if (flat.RowWidth >= 8)
            {
                variants.Add((l.StrideX == 1 ? Avx2 : Avx2Strided, 8, flat));
            }
            walk = flat;
        }
        else if (InputStride(l, walk) == 1)
        {
            foreach (Isa isa in new[] { Avx512, Avx2 })
            {
                int width = VectorWidth(isa, walk.RowWidth);
                // a narrower plain AVX-512 kernel would never run after the AVX-512 parts kernel; 4-float rows are the portable kernel's
                if (width > 4 && !(isa == Avx512 && variants.Count > 0 && width < 16))
                {
                    variants.Add((isa, width, walk));
                }
            }
        }
        else if (l.StrideX <= 4 && l.Out.Width >= 8)
        {
            variants.Add((Avx2Strided, 8, walk)); // 8 outputs gathered from 8 · stride inputs with AVX2 shuffles
        }
        if (l.StrideX <= 4 && walk.RowWidth >= 4)
        {
            // the same walk in 4-float vectors; beside an AVX2 kernel, with less unrolled to save code
            variants.Add((variants.Exists(v => v.Isa.Name == Avx2.Name) ? Portable with { Budget = PortableBudget } : Portable, 4, walk));
        }
        return variants;
    }

    /// <summary>Input floats between consecutive output columns' loads: the stride, or 1 over a split input (<see cref="PhaseSplit"/>).</summary>
    private static int InputStride(LayerPlan l, Walk walk) => walk.Phase > 0 ? 1 : l.StrideX;

    /// <summary>Offset of kernel column <paramref name="kx"/>'s first input in an input row (split or not).</summary>
    private static long TapColumn(LayerPlan l, Walk walk, int kx) => walk.Phase > 0 ? PhaseTap(walk.Phase, l.StrideX, kx) : (long)kx * l.DilationX;

    /// <summary>Largest gathered input of <see cref="Subsampled"/>, in floats (64 MB): beyond, the strided kernels.</summary>
    private const long MaxSubsampled = 1L << 24;

    /// <summary>
    /// Whether a strided 1×1 conv runs as a 1×1 conv over every stride-th input row and column: the runtime's
    /// <c>CnnGen.Subsample</c> gathers them once into a workspace (<see cref="SubsampleLength"/>), and the stride-1
    /// kernel walks that as one plane (<see cref="RowWalk"/>), so no tap gathers columns with shuffles and the
    /// channel-vectorized kernel's per-output scatter is gone. Small planes keep <see cref="ChannelConvEmitter"/>.
    /// <para>
    /// Measured (throwaway harness, AVX-512, one thread, load 20–55, µs, CnnGen and ONNX Runtime in turn, best of many
    /// runs; strided kernel → this path, ONNX Runtime in brackets): ResNet-18 <c>layer3.0.downsample</c> 128 → 256 onto
    /// 14×14 (<c>DirectConv</c>, 14 pixels × 2 vectors) 68–69 → 56 (62–63); <c>layer2.0.downsample</c> 64 → 128 onto
    /// 28×28 (<c>DirectConv</c>'s transposed 16 × 16 tile) 70–71 → 58 (72–76); at 64×64 input, 64 → 128 onto 8×8 (the
    /// column kernel's stride-2 gathers) 6.8 → 4.5 (6.8–7.1). The gather is one pass over a quarter of the input.
    /// </para>
    /// <para>
    /// Convs whose windows do not overlap (each window's span at most its stride, both ways: ConvNeXt's 4×4/4 stem and
    /// 2×2/2 down-steps, a ViT's patch embedding, 2×2/2 down-sampling convs) take the same path: every window tap is
    /// gathered as a channel of its own (<c>CnnGen.Subsample.Patches</c>), which keeps the weights' order, and the conv is
    /// a 1×1 over <c>channels × taps</c> channels at stride 1, a plane-wide matrix product instead of the strided
    /// kernels' per-tap column gathers. Measured (throwaway A/B probe: this and the previous generator's code and ONNX
    /// Runtime in turn in one process, best of 12 rounds of thread CPU time, load ~25, AVX-512; µs, direct kernel → this
    /// path, ONNX Runtime in brackets): ConvNeXt's stem 4×4/4 onto 96 filters from 224×224×3 352 → 309 (323); 3×3/3 onto
    /// 32 from 60×60×8 27.6 → 22.2 (23.4); 2×2/2 onto 128 from 64×64×64 670 → 639 (703); ConvNeXt's 2×2/2 onto 192 from
    /// 56×56×96 1173 → 1131 (1188); a 1-D 2/2 onto 256 from 800 samples × 256 1001 → 970 (1006).
    /// </para>
    /// </summary>
    internal static bool Subsampled(LayerPlan l) =>
        l.Kind == LayerKind.Conv && l.Groups == 1 && (l.StrideX > 1 || l.StrideY > 1)
        && (l.KernelWidth * l.KernelHeight == 1 || Patches(l))
        && l.Out.Width * (long)l.Out.Height >= 16
        && !ChannelConvEmitter.AppliesTo(l) && GatheredDepth(l) * l.Out.Width * l.Out.Height <= MaxSubsampled;

    /// <summary>
    /// Whether a conv whose windows do not overlap is better run as a 1×1 over its gathered windows: at least 16 filters
    /// (with fewer the column kernel's even/odd split, <see cref="PhaseSplit"/>, stays faster: 2×2/2 onto 8 filters from
    /// 64×64×16 14.5 → 17.2 µs) on output rows at least <see cref="MinPatchRow"/> wide (onto 14- and 16-wide rows the
    /// channel-vectorized direct kernel stays faster: a ViT's 16×16/16 patches onto 768 filters 2153 → 2318, 2×2/2 onto
    /// 384 from 28×28×192 1054 → 1120, onto 32 from 31×31×16 padded 11.1 → 12.8; same probe as above; onto 20-wide
    /// rows, 3×3/3 onto 32 filters from 60×60×16, 35.0 → 43.9 in the <c>shapes</c> benchmark, ONNX Runtime 41–42), and strided
    /// across (one-column windows strided only down keep the direct kernel).
    /// </summary>
    private static bool Patches(LayerPlan l) =>
        l.DilationX == 1 && l.DilationY == 1 && l.KernelWidth <= l.StrideX && l.KernelHeight <= l.StrideY
        && l.StrideX > 1 && l.Out.Depth >= 16 && l.Out.Width >= MinPatchRow;

    /// <summary>Narrowest output row <see cref="Patches"/> takes.</summary>
    private const int MinPatchRow = 28;

    /// <summary>Channels of a <see cref="Subsampled"/> conv's gathered input: one per input channel and window tap.</summary>
    private static long GatheredDepth(LayerPlan l) => (long)l.In.Depth * l.KernelWidth * l.KernelHeight;

    /// <summary>Floats of workspace a <see cref="Subsampled"/> conv needs for its gathered input, else 0.</summary>
    public static int SubsampleLength(LayerPlan l) => Subsampled(l) ? (int)(GatheredDepth(l) * l.Out.Width * l.Out.Height) : 0;

    /// <summary>
    /// A <see cref="Subsampled"/> conv: the layer's method gathers its input into the workspace and calls the stride-1
    /// conv's method (an overload without the workspace) over it, emitted as for any 1×1 conv.
    /// </summary>
    private static void EmitSubsampled(SourceWriter w, Step step, Region workspace)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source;
        var gathered = new Volume(l.Out.Width, l.Out.Height, (int)GatheredDepth(l));
        LayerPlan inner = l with
        {
            In = gathered,
            InputShapes = new[] { gathered }.ToEquatableArray(),
            KernelWidth = 1,
            KernelHeight = 1,
            StrideX = 1,
            StrideY = 1,
            DilationX = 1,
            DilationY = 1,
            PadLeft = 0,
            PadTop = 0,
            PadRight = 0,
            PadBottom = 0,
        };
        Step innerStep = step with
        {
            Layer = inner,
            Sources = new[] { Region.Dense(workspace.Storage, workspace.Offset, l.Out.Width, l.Out.Height, (int)gathered.Length) }.ToEquatableArray(),
            Padded = null,
            Workspace = null,
            CopyFrom = null,
        };
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output, ref float weights, ref float workspace)"))
        {
            if (l.KernelWidth == 1 && l.KernelHeight == 1)
            {
                w.Line($"// every {Ordinal(l.StrideY)} row and {Ordinal(l.StrideX)} column of each channel, then the 1×1 conv over them at stride 1");
                w.Line($"global::CnnGen.Subsample.Run(ref input, ref workspace, channels: {Int(l.In.Depth)}, width: {Int(l.Out.Width)}, height: {Int(l.Out.Height)}, strideX: {Int(l.StrideX)}, strideY: {Int(l.StrideY)},");
            }
            else
            {
                w.Line($"// the windows do not overlap: each of a window's {l.KernelWidth}×{l.KernelHeight} taps of each channel gathered as a channel of its own");
                w.Line($"// ({GatheredDepth(l)} in the weights' order), then the 1×1 conv over them at stride 1");
                w.Line($"global::CnnGen.Subsample.Patches(ref input, ref workspace, channels: {Int(l.In.Depth)}, width: {Int(l.Out.Width)}, height: {Int(l.Out.Height)},");
                w.Line($"    kernelWidth: {Int(l.KernelWidth)}, kernelHeight: {Int(l.KernelHeight)}, strideX: {Int(l.StrideX)}, strideY: {Int(l.StrideY)},");
            }
            w.Line($"    rowStride: {Int(src.RowStride)}, planeStride: {Int(src.PlaneStride)});");
            w.Line($"{step.Method}(ref workspace, ref output, ref weights);");
        }
        w.Line();
        Emit(w, innerStep);
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

    /// <summary>How a kernel spells one vector width: the vector type, the class with Create/Load/Store/Max, the FMA.</summary>
    private sealed record Api(int Width, string Type, string Static, string Fma);

    private static Api VectorApi(int width) => width switch
    {
        16 => new(16, Aliases.Float16, Aliases.Vector512, $"{Aliases.Avx512F}.FusedMultiplyAdd"),
        8 => new(8, Aliases.Float8, Aliases.Vector256, $"{Aliases.Fma}.MultiplyAdd"),
        _ => new(4, Aliases.Float4, Aliases.Vector128, $"{Aliases.Kernels}MultiplyAdd"), // fused on x64 FMA and Arm64, multiply + add elsewhere
    };

    /// <summary>
    /// Picks the register tile, <c>filters × vectors</c> accumulators (vectors ≤ 4 column vectors),
    /// that fits the registers with the tile's input vectors and a broadcast weight and costs the
    /// fewest cycles for the whole layer, by a simple model of one kernel tap: at least
    /// <c>accumulators / 2</c> cycles (two FMA units), <c>(filters + vectors) / 2</c> (two loads per
    /// cycle) and <see cref="ChainLatency"/> (each accumulator is one dependency chain). The model
    /// counts the row's last, smaller tile and the last, smaller group of filters, which is how a
    /// 4 × 3 tile loses to 6 × 2 on a 4-vector row. Ties go to fewer filter groups (less code).
    /// A <paramref name="plane"/> walk on AVX-512 costs its loads on top of the FMAs instead (<see cref="PlaneTapCost"/>).
    /// </summary>
    internal static (int Filters, int Vectors) Tile(int filterCount, int vectorCount, int wholeVectors, int registers, bool plane = false)
    {
        plane &= registers >= 30; // AVX-512 (less the two registers a parts walk assembles its vectors in)
        var candidates = new List<(int Filters, int Vectors, double Cost)>();
        double least = double.MaxValue;
        for (int filters = 1; filters <= Math.Min(filterCount, 12); filters++)
        {
            for (int vectors = 1; vectors <= Math.Min(vectorCount, 4); vectors++)
            {
                if (filters * vectors + vectors + 1 > registers)
                {
                    continue;
                }
                double cost = (filterCount / filters) * RowCost(filters, vectors, vectorCount, wholeVectors, plane)
                    + (filterCount % filters == 0 ? 0 : RowCost(filterCount % filters, vectors, vectorCount, wholeVectors, plane));
                candidates.Add((filters, vectors, cost));
                least = Math.Min(least, cost);
            }
        }
        // Ties, or for a plane walk costs within PlaneTie of the least, go to a tile without a last, smaller filter group.
        double tie = plane ? least * PlaneTie : least + 1e-9;
        (int Filters, int Vectors) best = (1, 1);
        double bestCost = double.MaxValue;
        bool bestWhole = false;
        foreach (var (filters, vectors, cost) in candidates)
        {
            bool whole = filterCount % filters == 0 && cost <= tie;
            if ((whole && !bestWhole) || (whole == bestWhole && cost < bestCost - 1e-9 && (whole || cost <= least + 1e-9)))
            {
                (best, bestCost, bestWhole) = ((filters, vectors), cost, whole);
            }
        }
        return best;
    }

    /// <summary>
    /// How much dearer (modelled) a plane walk's tile without a remainder group of filters may be and still win: the
    /// remainder group doubles the emitted kernel code and runs a poorly filled tile (SqueezeNet's 1000-filter
    /// classifier: 9 × 3, one filter left over, 690 µs; 8 × 3, 1.1% dearer in the model, 679 µs).
    /// </summary>
    private const double PlaneTie = 1.03;

    /// <summary>Cycles per kernel tap an FMA chain needs before its next FMA (latency 4, plus slack measured on Zen: 12 accumulators beat 10, which beat 8).</summary>
    private const double ChainLatency = 6;

    /// <summary>Modelled cycles per kernel tap for one row of <paramref name="vectorCount"/> column vectors and one group of filters.</summary>
    private static double RowCost(int filters, int vectors, int vectorCount, int wholeVectors, bool plane)
    {
        double TapCost(int f, int v) => plane ? PlaneTapCost(f, v) : Math.Max(Math.Max(f * v / 2.0, (f + v) / 2.0), ChainLatency);
        int full = wholeVectors / vectors;
        int rest = vectorCount - full * vectors;
        return full * TapCost(filters, vectors) + (rest == 0 ? 0 : TapCost(filters, rest));
    }

    /// <summary>
    /// Input channels from which a plane walk's tile is picked by <see cref="PlaneTapCost"/>. With fewer, a tile's
    /// input columns stay in L1 and its short channel loop makes the accumulators' setup and stores weigh more: the
    /// FMA-only model's tiles stay (SqueezeNet <c>features.3.expand1x1</c> 16 → 64 on 55×55: its 8 × 2 27.2–27.5 µs,
    /// the plane model's 8 × 3 29.2–29.5; MobileNetV2 24 → 144 on 56×56: 3 × 4 96.5–98.7, 9 × 3 98.7–100).
    /// </summary>
    private const int PlaneModelChannels = 64;

    /// <summary>
    /// Modelled cycles per input channel of a 1×1 tile walked over the whole plane (<see cref="RowWalk"/>) on AVX-512:
    /// the FMAs (two a cycle) plus a quarter cycle per load uop, counting a vector of input columns as two (the plane's
    /// rows are not aligned, so most of those loads split a cache line, and they come from L2: the tile's columns of
    /// every channel outgrow L1) and a broadcast weight as one. The FMA-only model tied 4 filters × 4 vectors with 6 × 4
    /// and 8 × 3 and picked the first. Measured (throwaway harness, AVX-512, one thread, load 19–25, µs, CnnGen and
    /// ONNX Runtime in turn, best of many runs): SqueezeNet <c>classifier.1</c> 512 → 1000 on 13×13: 4 × 4 833,
    /// 5 × 4 710, 10 × 2 709, 12 × 2 698, 8 × 3 679, 6 × 4 678 (ONNX Runtime 669–755); <c>features.11.squeeze</c> 384 →
    /// 64: 4 × 4 36.2, 12 × 2 33.5, 6 × 4 32.5, 8 × 3 32.0 (ONNX Runtime 37–40); the model ranks them in that order.
    /// Its picks elsewhere, against the FMA-only model's (load 60–95): MobileNetV2 192 → 32 on 28×28, 11 × 2 → 8 × 3,
    /// 37.4 → 34.6; 384 → 96 on 14×14, 12 × 2 → 8 × 3, 59.1 → 55.7; 64 → 384 on 14×14 and SqueezeNet 128 → 32 on 27×27
    /// within 2%. A 1×1 layer on AVX-512 vectors of two or four rows (<see cref="PartsWalk"/>: maps 4–15 wide written
    /// into a bordered buffer, so no plane walk) is costed the same way, its 30 registers allowing: MobileNetV2's
    /// 96 → 576 on 14×14 into the depthwise 3×3's buffer went from 6 × 2 to 12 × 2, 139–144 → 124–129 µs inside the
    /// model (per-step profile, load 15–30); EfficientNet-B0's 80 → 480 178–181 → 165–167; 112 → 672 (rows 18 apart)
    /// 159–163 → 163–166, within the noise.
    /// </summary>
    private static double PlaneTapCost(int filters, int vectors) =>
        Math.Max(filters * vectors / 2.0 + (filters + 2.0 * vectors) / 4, ChainLatency);

    /// <summary>
    /// How a vector kernel walks the output: <paramref name="Rows"/> rows of <paramref name="RowWidth"/>
    /// columns (the output's own rows), or, when <paramref name="Pitch"/> is set, one flat row over the
    /// output's positions <c>q = oy · Pitch + ox</c>, where <c>Pitch</c> is the input's row step in
    /// strides: every tap of position <c>q</c> reads input <c>stride · q + tap</c>, so consecutive
    /// positions are consecutive (or evenly strided) loads even across output rows. The positions with
    /// <c>ox ≥ width</c> are computed from real input and dropped.
    /// </summary>
    private sealed record Walk(int Rows, int RowWidth, int Pitch)
    {
        public bool IsFlat => Pitch > 0;

        /// <summary>When set, the input rows are split into even and odd columns of this many floats each (<see cref="PhaseSplit"/>).</summary>
        public int Phase { get; init; }

        /// <summary>When set, each vector is assembled from these parts (rows below and columns right of its first output).</summary>
        public Parts? Parts { get; init; }

        /// <summary>Output columns one vector covers.</summary>
        public int Span(int width) => Parts?.Span ?? width;

        /// <summary>Output rows one vector covers.</summary>
        public int RowGroup => Parts?.Rows ?? 1;
    }

    /// <summary>
    /// A 16-float vector assembled from <c>16 / Width</c> parts of <paramref name="Width"/> outputs each:
    /// part k holds output row <c>oy + Row[k]</c>, columns <c>column + Column[k]</c> onwards. Two rows of 8
    /// or four rows of 4 let AVX-512 fill its lanes on maps 4–15 wide; two halves of a row let the
    /// 8-wide strided gathers feed AVX-512 FMAs.
    /// </summary>
    private sealed record Parts(int Width, int Rows, int[] Row, int[] Column)
    {
        public int Count => Row.Length;

        /// <summary>Output columns the whole vector covers.</summary>
        public int Span => Column[Column.Length - 1] + Width;
    }

    /// <summary>An AVX-512 walk made of parts, where plain 16-wide rows do not fit; else null.</summary>
    private static Walk? PartsWalk(LayerPlan l, Walk rows)
    {
        if (rows.Rows == 1 && rows.RowWidth > l.Out.Width)
        {
            return null; // a 1×1 layer walked as one plane: plain vectors already fill
        }
        if (l.StrideX > 1 && l.StrideX <= 4 && l.Out.Width >= 16 && rows.Phase == 0)
        {
            return rows with { Parts = new Parts(8, 1, new[] { 0, 0 }, new[] { 0, 8 }) };
        }
        if (l.StrideX <= 4 && l.Out.Width >= 8 && l.Out.Width < 16 && l.Out.Height >= 2)
        {
            return rows with { Parts = new Parts(8, 2, new[] { 0, 1 }, new[] { 0, 0 }) };
        }
        if (l.StrideX == 1 && l.Out.Width >= 4 && l.Out.Width < 8 && l.Out.Height >= 4)
        {
            return rows with { Parts = new Parts(4, 4, new[] { 0, 1, 2, 3 }, new[] { 0, 0, 0, 0 }) };
        }
        return null;
    }

    /// <summary>
    /// The output's own rows; or, for a 1×1 stride-1 conv whose input and output are both stored
    /// without gaps, the whole plane as one row (a matrix product <c>[filters × channels] · [channels ×
    /// pixels]</c>: no row ends, so no partial vectors but the plane's last).
    /// </summary>
    private static Walk RowWalk(Step step)
    {
        LayerPlan l = step.Layer;
        bool plane = l.KernelWidth == 1 && l.KernelHeight == 1 && l.StrideX == 1 && l.StrideY == 1 && l.Out.Height > 1
            && step.Source.RowStride == l.Out.Width && step.Destination.RowStride == l.Out.Width
            && (long)l.Out.Width * l.Out.Height <= int.MaxValue;
        return plane ? new Walk(1, l.Out.Width * l.Out.Height, 0) : new Walk(l.Out.Height, l.Out.Width, 0);
    }

    /// <summary>Flat walks stay unrolled whole (their stores are per lane): at most this many positions.</summary>
    private const int MaxFlatPositions = 64;

    /// <summary>
    /// A flat walk for an output narrower than an 8-float vector (the late layers of ResNet, VGG,
    /// SqueezeNet at small inputs), when the input's row step is a whole number of strides; else null.
    /// </summary>
    private static Walk? FlatWalk(LayerPlan l, Region source)
    {
        if (l.Out.Width >= 8 || l.Out.Height == 1 || l.StrideX > 4)
        {
            return null;
        }
        long rowStep = (long)l.StrideY * source.RowStride;
        if (rowStep % l.StrideX != 0)
        {
            return null;
        }
        int pitch = (int)(rowStep / l.StrideX);
        long positions = (long)(l.Out.Height - 1) * pitch + l.Out.Width;
        return positions >= 4 && positions <= MaxFlatPositions ? new Walk(1, (int)positions, pitch) : null;
    }

    /// <summary>How much of the kernel window one unrolled loop body covers (here and in <see cref="ChannelConvEmitter"/>).</summary>
    internal enum Unroll
    {
        /// <summary>Every tap: the loop runs over input channels only.</summary>
        Window,

        /// <summary>One kernel row: loops over channels and kernel rows.</summary>
        Row,

        /// <summary>One tap: loops over channels, kernel rows and kernel columns.</summary>
        Tap,
    }

    /// <summary>
    /// The first output column of one vector of a tile: <c>column + Offset</c> inside the loop over
    /// whole tiles (<paramref name="InLoop"/>), the constant <paramref name="Offset"/> otherwise.
    /// </summary>
    private readonly record struct Column(bool InLoop, int Offset)
    {
        public string Output => InLoop ? (Offset == 0 ? "column" : $"column + {Int(Offset)}") : Int(Offset);

        /// <summary>The input column a tap at <paramref name="tapOffset"/> reads first: <c>stride · output column + tapOffset</c>.</summary>
        public string Input(int stride, long tapOffset)
        {
            long constant = (long)stride * Offset + tapOffset;
            if (!InLoop)
            {
                return Int(constant);
            }
            string variable = stride == 1 ? "column" : $"{Int(stride)} * column";
            return constant == 0 ? variable : $"{variable} + {Int(constant)}";
        }
    }

    /// <summary>One register tile of a row: its column vectors, and whether it is the body of the loop over whole tiles.</summary>
    private sealed record ColumnTile(bool Loop, List<Column> Columns);

    /// <summary>
    /// The tiles of one output row: a loop over groups of <paramref name="tileVectors"/> column vectors
    /// that lie wholly inside the row, then the rest; the very last vector is shifted left to end on
    /// the row's last column (it may overlap the one before it, which it recomputes identically).
    /// </summary>
    private static List<ColumnTile> ColumnTiles(int outputWidth, int width, int tileVectors, bool allowLoop)
    {
        int columnVectors = (outputWidth + width - 1) / width;
        int fullGroups = allowLoop ? outputWidth / width / tileVectors : 0;
        var tiles = new List<ColumnTile>();
        if (fullGroups >= 1)
        {
            var columns = new List<Column>();
            for (int v = 0; v < tileVectors; v++)
            {
                columns.Add(new Column(fullGroups > 1, v * width));
            }
            tiles.Add(new ColumnTile(fullGroups > 1, columns));
        }
        var rest = new List<Column>();
        for (int v = fullGroups * tileVectors; v < columnVectors; v++)
        {
            rest.Add(new Column(false, Math.Min(v * width, outputWidth - width)));
        }
        for (int first = 0; first < rest.Count; first += tileVectors)
        {
            tiles.Add(new ColumnTile(false, rest.GetRange(first, Math.Min(tileVectors, rest.Count - first))));
        }
        return tiles;
    }

    /// <summary>Statements that bring one vector of input columns into a register for one tap.</summary>
    private static int LoadStatements(int stride, int width) => stride switch
    {
        1 => 1,
        _ when width == 4 => 3, // Kernels.Columns: two loads and a shuffle, or four scalar loads
        2 => 3, // two loads and a shuffle
        _ => 3 * Chunks(stride) - 1, // a load and a permute per chunk, and the blends
    };

    /// <summary>
    /// Picks how much of the window to unroll so that the whole method, every filter group and
    /// column tile it holds, stays within <see cref="MethodBudget"/> statements.
    /// </summary>
    private static Unroll ChooseUnroll(LayerPlan l, List<int> filterGroups, List<ColumnTile> tiles, long stores, Walk walk, int width, int methodBudget)
    {
        long perTapSum = 0;
        foreach (int filters in filterGroups)
        {
            foreach (ColumnTile tile in tiles)
            {
                int vectors = tile.Columns.Count;
                perTapSum += filters * vectors + filters + vectors * (walk.Parts is Parts parts ? parts.Count * LoadStatements(InputStride(l, walk), parts.Width) + 1 : LoadStatements(InputStride(l, walk), width));
            }
        }
        long budget = methodBudget - stores;
        if (perTapSum * l.KernelWidth * l.KernelHeight <= budget)
        {
            return Unroll.Window;
        }
        return perTapSum * l.KernelWidth <= budget ? Unroll.Row : Unroll.Tap;
    }

    /// <summary>The shape of one vector kernel: its register tile, filter groups, column tiles, unrolling, and store statements.</summary>
    private sealed record KernelPlan(int TileFilters, int TileVectors, List<int> FilterGroups, List<ColumnTile> Tiles, Unroll Unroll, long Stores);

    private static KernelPlan Plan(LayerPlan l, Isa isa, int width, Walk walk)
    {
        int span = walk.Span(width);
        int columnVectors = (walk.RowWidth + span - 1) / span;
        int wholeVectors = walk.RowWidth / span;
        // A strided tap needs a register or two besides the tile for its loads; so do assembled vectors.
        int stride = InputStride(l, walk);
        int registers = isa.Registers - (stride == 1 ? 0 : stride == 2 ? 1 : 2) - (walk.Parts is null ? 0 : 2);
        bool plane = (walk.Rows == 1 && !walk.IsFlat && walk.Parts is null && (walk.RowWidth > l.Out.Width || OneRowPlane(l, walk))
            || walk.Parts is { Rows: > 1 } && l.KernelWidth == 1 && l.KernelHeight == 1 && l.StrideX == 1) && l.In.Depth >= PlaneModelChannels;
        (int tileFilters, int tileVectors) = Tile(l.Out.Depth, columnVectors, wholeVectors, registers, plane);
        int fullFilters = l.Out.Depth / tileFilters * tileFilters;
        var filterGroups = new List<int>();
        if (fullFilters > 0)
        {
            filterGroups.Add(tileFilters);
        }
        if (fullFilters < l.Out.Depth)
        {
            filterGroups.Add(l.Out.Depth - fullFilters);
        }
        List<ColumnTile> tiles = ColumnTiles(walk.RowWidth, span, tileVectors, allowLoop: !walk.IsFlat);
        long stores = 0;
        foreach (int filters in filterGroups)
        {
            foreach (ColumnTile tile in tiles)
            {
                foreach (Column column in tile.Columns)
                {
                    // a flat walk stores each real output lane on its own (about two statements' worth of IL)
                    stores += filters * (walk.IsFlat ? 2 * FlatLanes(walk, l.Out.Width, column.Offset, width) : walk.Parts?.Count ?? 1);
                }
            }
        }
        return new KernelPlan(tileFilters, tileVectors, filterGroups, tiles, ChooseUnroll(l, filterGroups, tiles, stores, walk, width, isa.Budget), stores);
    }

    /// <summary>The lanes of a flat-walk vector starting at position <paramref name="first"/> that are real outputs.</summary>
    private static int FlatLanes(Walk walk, int outputWidth, int first, int width)
    {
        int lanes = 0;
        for (int q = first; q < first + width; q++)
        {
            lanes += q % walk.Pitch < outputWidth ? 1 : 0;
        }
        return lanes;
    }

    private static void Vector(SourceWriter w, Step step, Isa isa, int width, Walk walk)
    {
        LayerPlan l = step.Layer;
        Api api = VectorApi(width);
        KernelPlan plan = Plan(l, isa, width, walk);
        (int tileFilters, int tileVectors, _, List<ColumnTile> tiles, Unroll unroll, _) = plan;
        int filterSize = l.KernelWidth * l.KernelHeight * l.In.Depth;
        int fullFilters = l.Out.Depth / tileFilters * tileFilters;

        string strided = walk.Phase > 0 ? (l.StrideX == 2 ? ", from the input's even and odd columns split apart" : $", from the input's columns split by their remainder mod {l.StrideX}") : l.StrideX == 1 ? "" : $", gathering every {Ordinal(l.StrideX)} input column";
        string unrolled = unroll switch { Unroll.Window => "", Unroll.Row => ", one kernel row per unrolled body", _ => ", one tap per unrolled body" };
        string over = walk.IsFlat ? $"flat output positions (oy · {walk.Pitch} + ox, {walk.RowWidth} of them)"
            : walk.Parts is Parts parts ? (parts.Rows > 1 ? $"outputs ({parts.Rows} rows of {parts.Width})" : $"output columns (two strided halves of {parts.Width})")
            : "output columns";
        KernelHeader(w, $"{step.Layer.Name} on {isa.Name}: tiles of {tileFilters} filters × {tileVectors} vectors of {width} {over}{strided}{unrolled}.");
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {Aliases.Unsafe}.Add(ref weights, {Int(l.WeightCount)});");
            if (FiltersInside(step, walk, tileFilters))
            {
                ColumnsOutside(w, step, api, tileFilters, fullFilters, tiles, filterSize, unroll, walk);
                return;
            }
            if (FiltersInsideRows(step, walk, tileFilters))
            {
                RowsOutside(w, step, api, tileFilters, fullFilters, tiles, filterSize, unroll, walk);
                return;
            }
            FilterGroups(w, tileFilters, fullFilters, l.Out.Depth, filters => FilterGroup(w, step, api, filters, tiles, filterSize, unroll, walk));
        }
    }

    /// <summary>
    /// The filters in groups of <paramref name="tileFilters"/>: a loop over <c>f</c> for the <paramref name="fullFilters"/>
    /// in whole groups, then the last, smaller group with <c>f</c> a constant; <paramref name="group"/> writes the code of
    /// one group, given its filter count.
    /// </summary>
    private static void FilterGroups(SourceWriter w, int tileFilters, int fullFilters, int filterCount, Action<int> group)
    {
        if (fullFilters > 0)
        {
            using (w.Loop("f", 0, fullFilters, tileFilters))
            {
                group(tileFilters);
            }
        }
        if (fullFilters < filterCount)
        {
            using (w.Block($"// the last {filterCount - fullFilters} filters"))
            {
                w.Line($"const int f = {Int(fullFilters)};");
                group(filterCount - fullFilters);
            }
        }
    }

    /// <summary>Bytes of input above which a plane-walked 1×1 layer runs its filter groups inside the column tiles.</summary>
    private const long StreamedInput = 256 * 1024;

    /// <summary>
    /// Whether the loop over filter groups goes inside the loop over column tiles (<see cref="ColumnsOutside"/>): for
    /// a 1×1 layer walked as one plane (<see cref="RowWalk"/>) with several filter groups and an input over
    /// <see cref="StreamedInput"/> bytes (a quarter of this machine's 1 MB L2). Filter groups outside stream the whole
    /// input once per group from L2 or L3; inside, a tile's input (channels × 64 floats) is read once and stays in L1
    /// for every group, with the weights (a few KB).
    /// <para>
    /// Measured (AVX-512, one thread, each layer as its own network, min of 200, A/B in turn under load 40–60): MobileNetV2
    /// 96 → 24 on 56×56 (1.2 MB of input) 86–104 → 65–68 µs; 16 → 96 on 112×112 (800 KB) 215–248 → 168–182 µs;
    /// 24 → 144 on 56×56 (300 KB) 103–122 → 92–95 µs; below the threshold no gain: 32 → 192 on 28×28 (100 KB) 41 µs
    /// either way, SqueezeNet 16 → 64 on 55×55 (194 KB) 28.5–29 → 29.6–30 µs (kept outside).
    /// </para>
    /// </summary>
    private static bool FiltersInside(Step step, Walk walk, int tileFilters)
    {
        LayerPlan l = step.Layer;
        return walk.Rows == 1 && !walk.IsFlat && walk.Parts is null && (walk.RowWidth > l.Out.Width || OneRowPlane(l, walk))
            && l.KernelWidth == 1 && l.KernelHeight == 1 && l.Out.Depth > tileFilters
            && (long)l.In.Depth * walk.RowWidth * sizeof(float) > StreamedInput;
    }

    /// <summary>
    /// Whether a 1×1 stride-1 layer's output is one row of 16 or more (1-D audio layers; not a 1×1 map): its row walk is already
    /// the plane walk of <see cref="RowWalk"/> (a matrix product), so it takes that walk's tile model and filter-group
    /// order. Measured on 1000×1×256 → 128 with ReLU (throwaway probe in one process, best of 3 × 150 ms, load 40–50):
    /// filter groups inside the column tiles 380.6–388.2 → 349.7–354.3 µs; with the plane model's tile as well (8 × 3
    /// instead of 4 × 3) 252.1–253.2 µs: 0.75× → 1.11–1.14× ONNX Runtime.
    /// </summary>
    private static bool OneRowPlane(LayerPlan l, Walk walk) =>
        walk.Rows == 1 && l.Out.Height == 1 && l.Out.Width >= 16 && l.KernelWidth == 1 && l.KernelHeight == 1 && l.StrideX == 1 && l.StrideY == 1;

    /// <summary>The plane walk of <see cref="FiltersInside"/>: column tile by column tile, every filter group on each.</summary>
    private static void ColumnsOutside(SourceWriter w, Step step, Api api, int tileFilters, int fullFilters, List<ColumnTile> tiles, int filterSize, Unroll unroll, Walk walk)
    {
        LayerPlan l = step.Layer;
        Region dst = step.Destination;
        int width = walk.Span(api.Width);
        w.Line("ref float inputRow = ref input; // the whole plane is one row");
        foreach (ColumnTile tile in tiles)
        {
            int tileWidth = tile.Columns.Count * width;
            using (tile.Loop ? w.Block($"for (int column = 0; column < {Int(walk.RowWidth / tileWidth * tileWidth)}; column += {Int(tileWidth)})") : w.Block("// the plane's last columns"))
            {
                FilterGroups(w, tileFilters, fullFilters, l.Out.Depth, filters =>
                {
                    w.Line($"ref float filters = ref {Aliases.Unsafe}.Add(ref weights, f * {Int(filterSize)});");
                    w.Line($"ref float outputRow = ref {Aliases.Unsafe}.Add(ref output, f * {Int(dst.PlaneStride)});");
                    Tile(w, step, api, filters, tile.Columns, filterSize, unroll, walk);
                });
            }
        }
    }

    /// <summary>
    /// Whether a 1×1 layer walked row by row (its output rows have gaps: it writes into the interior of the next
    /// layer's zero-bordered buffer) runs every filter group on a row before the next row (<see cref="RowsOutside"/>),
    /// as <see cref="FiltersInside"/> does for a plane walk: with an input over <see cref="StreamedInput"/> bytes and
    /// several filter groups. Filter groups outside stream the whole input from L2 or L3 once per group; rows outside
    /// read a row of every channel (a few KB) once and keep it in L1 for every group.
    /// <para>
    /// Measured inside the models (per-step profile of the whole forward pass, AVX-512, one thread, best of 300–500
    /// calls, µs, groups outside → rows outside; load 10–45, so the figures are rough): MobileNetV2 16 → 96 on 112×112
    /// into the depthwise 3×3's buffer (800 KB of input) 274 → 212, 24 → 144 on 56×56 (300 KB) 131 → 111 and
    /// 148 → 110; EfficientNet-B0 (its SiLU pass apart) 16 → 96 on 112×112 259 → 244, 24 → 144 on 56×56 156 → 107
    /// and 154 → 114. Smaller inputs (MobileNetV2's 14×14 stages, 100 KB or less) stay in L2 either way: unchanged.
    /// </para>
    /// </summary>
    private static bool FiltersInsideRows(Step step, Walk walk, int tileFilters)
    {
        LayerPlan l = step.Layer;
        return walk.Rows > 1 && !walk.IsFlat && l.KernelWidth == 1 && l.KernelHeight == 1 && l.StrideX == 1 && l.StrideY == 1
            && l.Out.Depth > tileFilters && (long)l.In.Depth * l.In.Width * l.In.Height * sizeof(float) > StreamedInput;
    }

    /// <summary>The row walk of <see cref="FiltersInsideRows"/>: row by row (or group of rows), every filter group on each.</summary>
    private static void RowsOutside(SourceWriter w, Step step, Api api, int tileFilters, int fullFilters, List<ColumnTile> tiles, int filterSize, Unroll unroll, Walk walk)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int width = walk.Span(api.Width);
        using (RowLoop(w, walk, singleRowLoop: true))
        {
            w.Line($"ref float inputRow = ref {Aliases.Unsafe}.Add(ref input, oy * {Int((long)l.StrideY * src.RowStride)}); // every filter group on these rows, which stay in L1");
            FilterGroups(w, tileFilters, fullFilters, l.Out.Depth, filters =>
            {
                w.Line($"ref float filters = ref {Aliases.Unsafe}.Add(ref weights, f * {Int(filterSize)});");
                w.Line($"ref float outputRow = ref {Aliases.Unsafe}.Add(ref output, f * {Int(dst.PlaneStride)} + oy * {Int(dst.RowStride)});");
                RowTiles(w, step, api, filters, tiles, filterSize, unroll, walk, width);
            });
        }
    }

    private static string Ordinal(int n) => n switch { 2 => "2nd", 3 => "3rd", _ => Int(n) + "th" };

    /// <summary>Every output row for <paramref name="filters"/> filters starting at <c>f</c>, tile by tile.</summary>
    private static void FilterGroup(SourceWriter w, Step step, Api api, int filters, List<ColumnTile> tiles, int filterSize, Unroll unroll, Walk walk)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int width = walk.Span(api.Width);
        w.Line($"ref float filters = ref {Aliases.Unsafe}.Add(ref weights, f * {Int(filterSize)});");
        using (RowLoop(w, walk, singleRowLoop: walk.Rows > 1))
        {
            w.Line($"ref float inputRow = ref {Aliases.Unsafe}.Add(ref input, oy * {Int((long)l.StrideY * src.RowStride)});");
            w.Line($"ref float outputRow = ref {Aliases.Unsafe}.Add(ref output, f * {Int(dst.PlaneStride)} + oy * {Int(dst.RowStride)});");
            RowTiles(w, step, api, filters, tiles, filterSize, unroll, walk, width);
        }
    }

    /// <summary>
    /// The loop over the walk's output rows, <c>oy</c>, a row group at a time: when the groups do not tile the rows the
    /// last one overlaps the one before; a group of one row is a plain <c>oy++</c> loop when <paramref name="singleRowLoop"/>.
    /// </summary>
    private static SourceWriter.BlockHandle RowLoop(SourceWriter w, Walk walk, bool singleRowLoop)
    {
        int group = walk.RowGroup;
        bool clamp = walk.Rows % group != 0;
        SourceWriter.BlockHandle loop = clamp ? w.Block($"for (int next = 0; next < {Int(walk.Rows)}; next += {Int(group)})")
            : group == 1 && singleRowLoop ? w.Block($"for (int oy = 0; oy < {Int(walk.Rows)}; oy++)")
            : w.Loop("oy", 0, walk.Rows, group);
        if (clamp)
        {
            w.Line($"int oy = global::System.Math.Min(next, {Int(walk.Rows - group)}); // the last rows overlap the ones before");
        }
        return loop;
    }

    /// <summary>A row's register tiles for <paramref name="filters"/> filters, the looping ones as loops over their columns.</summary>
    private static void RowTiles(SourceWriter w, Step step, Api api, int filters, List<ColumnTile> tiles, int filterSize, Unroll unroll, Walk walk, int width)
    {
        foreach (ColumnTile tile in tiles)
        {
            if (tile.Loop)
            {
                int tileWidth = tile.Columns.Count * width;
                using (w.Block($"for (int column = 0; column < {Int(walk.RowWidth / tileWidth * tileWidth)}; column += {Int(tileWidth)})"))
                {
                    Tile(w, step, api, filters, tile.Columns, filterSize, unroll, walk);
                }
            }
            else
            {
                Tile(w, step, api, filters, tile.Columns, filterSize, unroll, walk);
            }
        }
    }

    /// <summary>One register tile: accumulators start at the bias, take every channel and tap, then store.</summary>
    private static void Tile(SourceWriter w, Step step, Api api, int filters, List<Column> columns, int filterSize, Unroll unroll, Walk walk)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int vectors = columns.Count;
        int taps = l.KernelWidth * l.KernelHeight;
        using (w.Block($"// {filters} filters × output columns {string.Join(", ", columns.ConvertAll(c => c.Output))} (+ vector width)"))
        {
            for (int j = 0; j < filters; j++)
            {
                // each of the filter's accumulators starts at its bias
                string b = j == 0 ? $"{Aliases.Unsafe}.Add(ref bias, f)" : $"{Aliases.Unsafe}.Add(ref bias, f + {Int(j)})";
                var starts = new List<string> { $"acc{j}_0 = {api.Static}.Create({b})" };
                for (int v = 1; v < vectors; v++)
                {
                    starts.Add($"acc{j}_{v} = acc{j}_0");
                }
                w.Line($"{api.Type} {string.Join(", ", starts)};");
            }
            // Declared once, assigned at every tap: the method's locals stay few however far the taps unroll.
            var names = new List<string>();
            for (int v = 0; v < vectors; v++)
            {
                names.Add($"x{v}");
            }
            for (int j = 0; j < filters; j++)
            {
                names.Add($"w{j}");
            }
            if (walk.IsFlat || walk.Parts is not null)
            {
                names.Add("result");
            }
            w.Line($"{api.Type} {string.Join(", ", names)};");
            if (walk.Parts is Parts declared)
            {
                var parts = new List<string>();
                for (int k = 0; k < declared.Count; k++)
                {
                    parts.Add($"part{k}");
                }
                w.Line($"{VectorApi(declared.Width).Type} {string.Join(", ", parts)};");
            }

            using (w.Block($"for (int c = 0; c < {Int(l.In.Depth)}; c++)"))
            {
                w.Line($"ref float channel = ref {Aliases.Unsafe}.Add(ref inputRow, c * {Int(src.PlaneStride)});");
                w.Line($"ref float weight = ref {Aliases.Unsafe}.Add(ref filters, c * {Int(taps)});");
                long rowStep = (long)l.DilationY * src.RowStride;
                switch (unroll)
                {
                    case Unroll.Window:
                        for (int ky = 0; ky < l.KernelHeight; ky++)
                        {
                            for (int kx = 0; kx < l.KernelWidth; kx++)
                            {
                                TapBlock(w, step, api, filters, columns, "channel", "weight", ky * rowStep + TapColumn(l, walk, kx), ky * l.KernelWidth + kx, filterSize, walk);
                            }
                        }
                        break;
                    default:
                        using (w.Block($"for (int ky = 0; ky < {Int(l.KernelHeight)}; ky++)"))
                        {
                            w.Line($"ref float tapRow = ref {Aliases.Unsafe}.Add(ref channel, ky * {Int(rowStep)});");
                            w.Line($"ref float tapWeight = ref {Aliases.Unsafe}.Add(ref weight, ky * {Int(l.KernelWidth)});");
                            if (unroll == Unroll.Row)
                            {
                                for (int kx = 0; kx < l.KernelWidth; kx++)
                                {
                                    TapBlock(w, step, api, filters, columns, "tapRow", "tapWeight", TapColumn(l, walk, kx), kx, filterSize, walk);
                                }
                            }
                            else
                            {
                                using (w.Block($"for (int kx = 0; kx < {Int(l.KernelWidth)}; kx++)"))
                                {
                                    w.Line(walk.Phase > 0
                                        ? $"ref float tapInput = ref {Aliases.Unsafe}.Add(ref tapRow, {(l.StrideX == 2 ? "(kx & 1)" : $"kx % {Int(l.StrideX)}")} * {Int(walk.Phase)} + {(l.StrideX == 2 ? "(kx >> 1)" : $"kx / {Int(l.StrideX)}")}); // its phase, then its place in it"
                                        : $"ref float tapInput = ref {Aliases.Unsafe}.Add(ref tapRow, kx{(l.DilationX == 1 ? "" : " * " + Int(l.DilationX))});");
                                    w.Line($"ref float tapWeights = ref {Aliases.Unsafe}.Add(ref tapWeight, kx);");
                                    TapBlock(w, step, api, filters, columns, "tapInput", "tapWeights", 0, 0, filterSize, walk);
                                }
                            }
                        }
                        break;
                }
            }

            if (l.StrideX == 2 && api.Width == 8 && walk.Phase == 0)
            {
                w.Line("// The stride-2 shuffles hold output columns 0, 1, 4, 5, 2, 3, 6, 7: put them in order.");
            }
            for (int j = 0; j < filters; j++)
            {
                for (int v = 0; v < vectors; v++)
                {
                    string acc = l.StrideX == 2 && walk.Parts is null && api.Width == 8 && walk.Phase == 0
                        ? $"{Aliases.Vector256}.AsSingle({Aliases.Avx2}.Permute4x64({Aliases.Vector256}.AsDouble(acc{j}_{v}), 0b11_01_10_00))"
                        : $"acc{j}_{v}";
                    string value = Epilogue.Vector(step.Epilogue, acc, new VectorApi(api.Type, api.Static),
                        new EpilogueSite(j == 0 ? "f" : $"f + {Int(j)}"));
                    if (walk.IsFlat)
                    {
                        FlatStore(w, step, api, walk, value, (long)j * dst.PlaneStride, columns[v].Offset);
                        continue;
                    }
                    if (walk.Parts is Parts parts)
                    {
                        PartsStore(w, step, walk, parts, $"acc{j}_{v}", (long)j * dst.PlaneStride, columns[v], new EpilogueSite(j == 0 ? "f" : $"f + {Int(j)}"));
                        continue;
                    }
                    string offset = j == 0 ? columns[v].Output : $"{Int((long)j * dst.PlaneStride)} + {columns[v].Output}";
                    w.Line($"{api.Static}.StoreUnsafe({value}, ref outputRow, (nuint)({offset}));");
                }
            }
        }
    }

    /// <summary>Stores each part of an assembled vector at its own row and column (stride 2: its lanes put in order first).</summary>
    private static void PartsStore(SourceWriter w, Step step, Walk walk, Parts parts, string accumulator, long planeOffset, Column column, EpilogueSite site)
    {
        LayerPlan l = step.Layer;
        Api whole = VectorApi(16), part = VectorApi(parts.Width);
        w.Line($"result = {Epilogue.Vector(step.Epilogue, accumulator, new VectorApi(whole.Type, whole.Static), site)};");
        for (int k = 0; k < parts.Count; k++)
        {
            string value = parts.Count == 2
                ? $"{whole.Static}.{(k == 0 ? "GetLower" : "GetUpper")}(result)"
                : $"{Aliases.Vector256}.{(k % 2 == 0 ? "GetLower" : "GetUpper")}({whole.Static}.{(k < 2 ? "GetLower" : "GetUpper")}(result))";
            if (l.StrideX == 2 && walk.Phase == 0)
            {
                value = $"{Aliases.Vector256}.AsSingle({Aliases.Avx2}.Permute4x64({Aliases.Vector256}.AsDouble({value}), 0b11_01_10_00))";
            }
            long offset = planeOffset + (long)parts.Row[k] * step.Destination.RowStride + parts.Column[k];
            string at = offset == 0 ? column.Output : $"{Int(offset)} + {column.Output}";
            w.Line($"{part.Static}.StoreUnsafe({value}, ref outputRow, (nuint)({at}));");
        }
    }

    /// <summary>Stores the lanes of a flat-walk vector that are real outputs (<c>ox &lt; width</c>), one by one.</summary>
    private static void FlatStore(SourceWriter w, Step step, Api api, Walk walk, string value, long planeOffset, int first)
    {
        LayerPlan l = step.Layer;
        using (w.Block($"// positions {Int(first)}..{Int(first + api.Width - 1)}"))
        {
            w.Line($"result = {value};");
            for (int lane = 0; lane < api.Width; lane++)
            {
                int q = first + lane, oy = q / walk.Pitch, ox = q % walk.Pitch;
                if (ox < l.Out.Width)
                {
                    w.Line($"{Aliases.Unsafe}.Add(ref outputRow, {Int(planeOffset + (long)oy * step.Destination.RowStride + ox)}) = {api.Static}.GetElement(result, {Int(lane)});");
                }
            }
        }
    }

    /// <summary>One kernel tap: load the input vectors once, then FMA them with each filter's broadcast weight.</summary>
    private static void TapBlock(SourceWriter w, Step step, Api api, int filters, List<Column> columns,
        string input, string weight, long inputOffset, int weightIndex, int filterSize, Walk walk)
    {
        int stride = InputStride(step.Layer, walk);
        w.Line($"// tap +{Int(inputOffset)}"); // no block of its own: the tap's lines stay one indent shallower
        for (int v = 0; v < columns.Count; v++)
        {
            if (walk.Parts is not Parts parts)
            {
                LoadColumns(w, api, stride, input, columns[v].Input(stride, inputOffset), $"x{v}");
                continue;
            }
            // each part from its own row and columns, then one 16-float vector of them
            long rowStep = (long)step.Layer.StrideY * step.Source.RowStride;
            for (int k = 0; k < parts.Count; k++)
            {
                LoadColumns(w, VectorApi(parts.Width), stride, input, columns[v].Input(stride, inputOffset + parts.Row[k] * rowStep + (long)stride * parts.Column[k]), $"part{k}");
            }
            w.Line(parts.Count == 2
                ? $"x{v} = {api.Static}.Create(part0, part1);"
                : $"x{v} = {api.Static}.Create({Aliases.Vector256}.Create(part0, part1), {Aliases.Vector256}.Create(part2, part3));");
        }
        for (int j = 0; j < filters; j++)
        {
            w.Line($"w{j} = {api.Static}.Create({Aliases.Unsafe}.Add(ref {weight}, {Int((long)j * filterSize + weightIndex)}));");
            for (int v = 0; v < columns.Count; v++)
            {
                w.Line($"acc{j}_{v} = {api.Fma}(x{v}, w{j}, acc{j}_{v});");
            }
        }
    }

    /// <summary>Input chunks of 8 floats a vector of 8 outputs at stride <paramref name="stride"/> reads (its inputs span 7·stride + 1 floats).</summary>
    private static int Chunks(int stride) => (7 * stride + 1 + 7) / 8;

    /// <summary>
    /// Sets <paramref name="name"/> to the inputs of one tap for a vector of output columns: the
    /// floats at <c>start + stride · i</c>. Never reads past the last of them, so no read leaves the
    /// input. Stride 1 is one load; stride 2 two loads and a shuffle that leaves the lanes in the order
    /// 0, 1, 4, 5, 2, 3, 6, 7 (the tile puts them back once, before its stores); larger strides
    /// permute each 8-float chunk of the span into place and blend the chunks.
    /// </summary>
    private static void LoadColumns(SourceWriter w, Api api, int stride, string input, string start, string name)
    {
        string Load(int offset) => $"{api.Static}.LoadUnsafe(ref {input}, (nuint)({start}{(offset == 0 ? "" : " + " + Int(offset))}))";
        if (stride == 1)
        {
            w.Line($"{name} = {Load(0)};");
            return;
        }
        if (api.Width == 4)
        {
            // inputs 0, stride, 2 · stride, 3 · stride, in order (a shuffle of two loads at stride 2)
            w.Line($"{name} = {Aliases.Kernels}Columns(ref {Aliases.Unsafe}.Add(ref {input}, {start}), {Int(stride)});");
            return;
        }
        if (stride == 2)
        {
            // inputs 0..7 and 7..14: lanes take 0, 2 | 8, 10 from the 128-bit halves, then 4, 6 | 12, 14
            w.Line($"{name} = {Aliases.Avx}.Shuffle({Load(0)}, {Load(7)}, 0b11_01_10_00);");
            return;
        }
        int last = 7 * stride;
        var assigned = new bool[8];
        for (int chunk = 0; chunk < Chunks(stride); chunk++)
        {
            int chunkStart = Math.Min(8 * chunk, last - 7);
            var index = new int[8];
            int mask = 0;
            for (int o = 0; o < 8; o++)
            {
                int at = stride * o - chunkStart;
                if (!assigned[o] && at >= 0 && at < 8)
                {
                    index[o] = at;
                    mask |= 1 << o;
                    assigned[o] = true;
                }
            }
            string permuted = $"{Aliases.Avx2}.PermuteVar8x32({Load(chunkStart)}, {Aliases.Vector256}.Create({string.Join(", ", index)}))";
            w.Line(chunk == 0
                ? $"{name} = {permuted};"
                : $"{name} = {Aliases.Avx}.Blend({name}, {permuted}, 0b{Convert.ToString(mask, 2).PadLeft(8, '0')});");
        }
    }

    /// <summary>Direct convolution, one output value at a time; taps unrolled within the unroll budget.</summary>
    internal static void Scalar(SourceWriter w, Step step, string method)
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
