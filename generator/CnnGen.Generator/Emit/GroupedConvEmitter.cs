using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Generator.Model;
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
/// or two shuffles (AVX2, 128-bit). Variants: AVX-512 for rows of 16 or more, AVX2 for 8 or more, and the
/// portable <c>Vector128</c> one (Arm64, WebAssembly, x64 without AVX2, and rows of 4 to 7 everywhere) for 4 or
/// more, and for maps 2 wide and an even number high (stride 1 or 2) with two rows in a vector; other strides, and
/// other rows narrower than 4, use the scalar kernel. Depthwise convs at stride 1 onto rows 5 to 15 wide (not 8) take
/// the flattened-plane kernel instead (<see cref="FlatApplies"/>): vectors along each channel's padded plane, spanning
/// several rows, on every instruction set. Depthwise convs at stride 2 with filters of 5×5 and up onto rows wider than 4
/// (not 8) take the phase kernel (<see cref="PhasesApply"/>): each channel split into its even/odd row and column phases,
/// then a stride-1 flattened conv over them (on AVX-512 only onto rows narrower than 16). On AVX-512, depthwise convs at stride 2 onto rows 5 to 8 wide (and 9 to 15
/// with a 3×3 filter) take the stride-2 row kernel (<see cref="Stride2RowsApply"/>) instead: two rows or one in each
/// vector of 16. On AVX-512 the flattened kernel takes two channels a tile on maps of about 7×7 (<see cref="FlatPairs"/>),
/// and it and the stride-2 row kernel store straight into contiguous output rows. The row kernel's tiles of several output
/// rows (about 12 accumulators on AVX-512, <see cref="RowTileAccumulators"/>) load each input row once for all the rows
/// that read it (<see cref="SharedRowTaps"/>). The kernels leave out the taps that
/// read only padding where they know their outputs (see <see cref="Tile"/>).
/// On AVX-512, depthwise convs on small maps (4×4 to 16×16, see <see cref="BlocksApply"/>) take the channel-block kernel
/// (<see cref="Blocks"/>) instead: 16 channels a vector, transposed onto the stack and back; 5×5 filters on larger maps
/// (stride 2 from maps wider than 16, stride 1 onto rows 9 to 15 wide) take its banded form (<see cref="Bands"/>), which
/// transposes the input rows into a ring as the output rows need them.
/// </summary>
internal static partial class GroupedConvEmitter
{
    /// <summary>A vector instruction set: its name, the JIT-time condition, its width and its registers.</summary>
    private sealed record Isa(string Name, string Condition, int Width, int Registers, string Type, string Static, string Fma)
    {
        /// <summary>Each vector holds two columns of two rows (maps 2 wide): loads and stores of column pairs.</summary>
        public bool RowPairs { get; init; }
    }

    private static readonly Isa Avx512 = new("Avx512", $"{Aliases.Vector512}.IsHardwareAccelerated && {Aliases.Avx512F}.IsSupported",
        16, 32, Aliases.Float16, Aliases.Vector512, $"{Aliases.Avx512F}.FusedMultiplyAdd");

    private static readonly Isa Avx2 = new("Avx2", $"{Aliases.Fma}.IsSupported && {Aliases.Avx2}.IsSupported && {Aliases.Vector256}.IsHardwareAccelerated",
        8, 16, Aliases.Float8, Aliases.Vector256, $"{Aliases.Fma}.MultiplyAdd");

    /// <summary>
    /// Cross-platform 128-bit vectors, FMA through <c>Kernels.MultiplyAdd</c> (fused on x64 FMA and Arm64). Registers:
    /// the 16 of x64 (Arm64 has 32), which decides only whether a 3×3 filter's weights stay in registers.
    /// </summary>
    private static readonly Isa Portable = new("Vector128", $"{Aliases.Vector128}.IsHardwareAccelerated",
        4, 16, Aliases.Float4, Aliases.Vector128, Aliases.Kernels + "MultiplyAdd");

    /// <summary>The portable kernel for maps 2 columns wide (stride 1, an even height): rows r and r + 1 in one vector.</summary>
    private static readonly Isa PortablePairs = Portable with { Width = 2, RowPairs = true };

    /// <summary>Column vectors per register tile (accumulators live at once).</summary>
    private const int MaxTileVectors = 4;

    /// <summary>Keep one unrolled tile under this many FMAs (see the JIT's limits in PERFORMANCE.md).</summary>
    private const int FmaBudget = 512;

    /// <summary>
    /// The AVX-512 row kernel's accumulators per tile, as whole rows (<see cref="RowsPerTile"/>): rows of a tile share each
    /// loaded input row (<see cref="SharedRowTaps"/>), so more rows mean fewer loads per FMA. Probe against ONNX Runtime
    /// (load 10–15; tiles of at most 4 accumulators → 8 → 12 → 16): ConvNeXt's 7×7 on 56×56×96 0.58× → 0.84× → 0.96× →
    /// 0.97× (3 and 4 rows of 4 vectors), 5×5 on 40×40×48 0.90× → 1.26× → 1.65× → 1.55× (4 and 5 rows of 3), 3×3 on
    /// 112×112×32 + SiLU (EfficientNet-B0 features.1) 155 → 135 µs with two rows of 7 vectors (14), 3×3 on 28×28×192
    /// (MobileNetV2 features.5) 29.1 µs with 6 rows of 2, 31.8 µs with 8.
    /// </summary>
    private const int RowTileAccumulators = 12;

    /// <summary>
    /// Most FMAs in one unrolled tile of several rows (<see cref="SharedRowTaps"/>): three rows of four vectors of a 7×7
    /// filter (588); within the JIT's limits (<c>JitLimitsTests</c>).
    /// </summary>
    private const int SharedRowsFmaBudget = 800;

    /// <summary>Output rows at least this wide keep the row kernel (whole vectors of 16 columns fill AVX-512's lanes).</summary>
    private const int FlatMaxWidth = 16;

    /// <summary>Most FMAs per channel unrolled as balanced tiles in <see cref="Flat"/>; more run as a loop over tiles.</summary>
    private const int FlatUnrollBudget = 640;

    /// <summary>The most numbered outputs of a channel (<see cref="FlatLength"/>): the flattened kernel's stack buffer (16 KB).</summary>
    private const int MaxFlatLength = 4096;

    /// <summary>
    /// Whether the layer takes the flattened-plane kernel (<see cref="Flat"/>): a depthwise conv (one filter per channel)
    /// at stride 1, undilated, onto rows 5 to 15 wide but not 8, whose channels number 16 to <see cref="MaxFlatLength"/>
    /// outputs along their input's rows. The row kernel leaves lanes idle on such rows (a 7-wide row is two 4-lane
    /// vectors, one shifted; a 14-wide row two 8-lane ones), the flattened one fills 16 lanes across rows: a 7×7 map with
    /// a 5×5 filter (rows 11 apart) is 5 vectors of 16 per channel, not 14 of 4.
    /// <para>
    /// Measured against ONNX Runtime in one process (a throwaway harness, best 200 µs batch over 150 ms, AVX-512, machine
    /// loaded at 25–40; row kernel → flattened): 5×5 on 7×7×1152 (EfficientNet-B0 features.6.1, SiLU) 0.42× → 0.58×
    /// (without the SiLU pass 0.41× → 0.67×), 5×5 on 7×7×576 + hard swish (MobileNetV3-Small features.11) 0.42× →
    /// 0.88×, 5×5 on 7×7×96 0.68× → 1.10×, 5×5 on 14×14×240 + hard swish (features.5) 0.88× → 1.25×, 5×5 on 14×14×672
    /// + SiLU 0.75× → 0.79×, 3×3 on 14×14×576 + ReLU6 (MobileNetV2 features.14) 1.50× → 1.85×, 3×3 on 7×7×1152 0.63× →
    /// 0.64×. Kept on the row kernel: rows of 4 or fewer (4×4×672 5×5 + SiLU 0.62× → 0.55×, 4×4×480 3×3 1.00× → 0.85×:
    /// two vectors of 16 per channel are two dependent FMA chains; the row kernel has four) and rows of 8 (8×8×240 5×5
    /// 0.76× → 0.68×: one AVX2 vector a row wastes no lane).
    /// </para>
    /// </summary>
    public static bool FlatApplies(Step step)
    {
        LayerPlan l = step.Layer;
        if (l.Kind != LayerKind.Conv || l.Groups != l.In.Depth || l.Out.Depth != l.In.Depth || l.StrideX != 1 || l.StrideY != 1
            || l.DilationX != 1 || l.DilationY != 1 || l.Out.Width <= 4 || l.Out.Width == 8 || l.Out.Width >= FlatMaxWidth)
        {
            return false;
        }
        long flat = FlatLength(step);
        return flat >= 16 && flat <= MaxFlatLength && step.Source.RowStride >= l.Out.Width + l.KernelWidth - 1;
    }

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        if (DenseGroupsApply(step))
        {
            DenseGroups(w, step); // wide groups: the dense column kernel once per group
            return;
        }
        if (FlatApplies(step))
        {
            EveryWidth(w, step, Flat);
            return;
        }
        bool stride2Rows = Stride2RowsApply(step);
        if (PhasesApply(step))
        {
            Kernels(w, step, new (Isa, Action<SourceWriter, Step, Isa>)[] { (Avx512, stride2Rows ? Stride2Rows : l.Out.Width >= 16 ? Vector : Phases), (Avx2, Phases), (Portable, Phases) });
            return;
        }
        var variants = new List<Isa>();
        if (l.StrideX is 1 or 2)
        {
            foreach (Isa isa in new[] { Avx512, Avx2, Portable })
            {
                if (l.Out.Width >= isa.Width)
                {
                    variants.Add(isa);
                }
            }
        }
        if (l.StrideX is 1 or 2 && l.Out.Width == 2 && l.Out.Height % 2 == 0)
        {
            // E.g. EfficientNet's last 2×2 maps, and the 5×5/2 from 4×4 to 2×2 before them: the scalar kernel took 25 µs for
            // 672 channels (+ SiLU, Zen 5), 4.5× ONNX Runtime's time.
            variants.Add(PortablePairs);
        }
        if (variants.Count == 0 && SplitApplies(step))
        {
            // No kernel along the width takes it (strides of 3 and more across, rows under 4 wide): the phase-plane kernel,
            // or the channel blocks where they apply.
            EveryWidth(w, step, Split);
            return;
        }
        if (variants.Count == 0 && !BlocksApply(step) && !BandsApply(step))
        {
            Scalar(w, step, step.Method);
            return;
        }
        var kernels = variants.ConvertAll(v => (v, (Action<SourceWriter, Step, Isa>)Vector));
        if (stride2Rows)
        {
            kernels.Insert(0, (Avx512, Stride2Rows)); // rows narrower than 16: the row kernel has no AVX-512 variant
        }
        Kernels(w, step, kernels);
    }

    /// <summary>Kernels for instruction sets, dispatched in this order, with the scalar kernel as the fallback.</summary>
    private static void Kernels(SourceWriter w, Step step, IReadOnlyList<(Isa Isa, Action<SourceWriter, Step, Isa> Kernel)> kernels)
    {
        bool bands = BandsApply(step);
        if (BlocksApply(step) || bands)
        {
            // AVX-512 takes the channel-block kernel instead (small maps, see BlocksApply; larger ones banded, see
            // BandsApply), and so does AVX2 on small maps; the other instruction sets keep theirs.
            var blocks = new List<(Isa, Action<SourceWriter, Step, Isa>)> { (Avx512, bands ? Bands : Blocks) };
            if (!bands)
            {
                blocks.Add((Avx2, Blocks)); // two halves of 8 channels
            }
            blocks.AddRange(kernels.Where(k => k.Isa != Avx512 && (bands || k.Isa != Avx2)));
            kernels = blocks;
        }
        var dispatch = new List<(string, string)>();
        foreach (var (isa, _) in kernels)
        {
            dispatch.Add((isa.Condition, isa.Name));
        }
        Dispatch(w, step, withWeights: true, dispatch, "Scalar");
        foreach (var (isa, kernel) in kernels)
        {
            w.Line();
            kernel(w, step, isa);
        }
        w.Line();
        Scalar(w, step, step.Method + "Scalar");
    }

    /// <summary>
    /// A kernel that serves every row width (<see cref="Flat"/>, <see cref="Phases"/>) on AVX-512, AVX2 and 128-bit
    /// vectors, dispatched by the instruction set, with the scalar kernel as the fallback.
    /// </summary>
    private static void EveryWidth(SourceWriter w, Step step, Action<SourceWriter, Step, Isa> kernel) =>
        Kernels(w, step, new[] { (Avx512, kernel), (Avx2, kernel), (Portable, kernel) });

    /// <summary>
    /// How <see cref="Flat"/> and <see cref="Phases"/> cover a channel's <paramref name="flat"/> numbered outputs: vectors
    /// of the width, at most a quarter of the registers per tile, balanced tiles, and whether to loop over tiles instead
    /// of unrolling them. AVX-512 unrolls balanced tiles within <see cref="FlatUnrollBudget"/>; the other variants loop
    /// whenever there are several tiles (an unrolled AVX2 and Vector128 copy of 10 and 19 vectors × 25 taps tripled the
    /// generated size of a 7×7 layer).
    /// </summary>
    private static (int Vectors, int Most, int Tiles, int PerTile, bool Loop) FlatTiles(int flat, int taps, Isa isa)
    {
        int vectors = (flat + isa.Width - 1) / isa.Width;
        int most = isa.Registers / 4;
        int tiles = (vectors + most - 1) / most;
        int perTile = (vectors + tiles - 1) / tiles;
        bool loop = (long)vectors * taps > FlatUnrollBudget || (isa != Avx512 && vectors > most);
        return (vectors, most, tiles, perTile, loop);
    }

    /// <summary>Inside the loop over filters: the bias vector <c>b</c>, and the first <paramref name="hoisted"/> weights as vectors <c>w0</c>, <c>w1</c>, ….</summary>
    private static void BiasAndWeights(SourceWriter w, Isa isa, int hoisted)
    {
        w.Line($"{isa.Type} b = {isa.Static}.Create({Aliases.Unsafe}.Add(ref bias, f));");
        for (int k = 0; k < hoisted; k++)
        {
            w.Line($"{isa.Type} w{k} = {isa.Static}.Create({Aliases.Unsafe}.Add(ref filter, {Int(k)}));");
        }
    }

    /// <summary>
    /// The flattened-plane kernel on <paramref name="isa"/> (see <see cref="FlatApplies"/>): per channel, vectors of
    /// consecutive numbered outputs <c>y · rowStride + x</c> (the last shifted left to end on the channel's last output),
    /// every tap one load at the constant offset <c>ky · rowStride + kx</c>, in register tiles of up to a quarter of the
    /// registers; the results go through the epilogue into a stack buffer, whose rows are copied to the output.
    /// </summary>
    private static void Flat(SourceWriter w, Step step, Isa isa)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int flat = (int)FlatLength(step);
        (int vectors, int most, int tiles, int perTile, bool loop) = FlatTiles(flat, l.KernelWidth * l.KernelHeight, isa);
        bool hoist = HoistWeights(l, isa, loop ? most : perTile);
        bool pairs = FlatPairs(l, isa, vectors, loop);
        var starts = new List<int>();
        for (int v = 0; v < vectors; v++)
        {
            starts.Add(Math.Min(v * isa.Width, flat - isa.Width));
        }
        var packed = pairs ? PackPlan(l, dst, (int)src.RowStride, starts) : null;
        string stores = packed is null ? ", then its rows copied out" : ", stored straight into the output's rows";
        KernelHeader(w, $"{l.Name} on {isa.Name} (depthwise): each channel's {Int(flat)} outputs numbered along its input's rows ({Int(src.RowStride)} apart, {Int(l.Out.Width)} of each kept) in {Int(vectors)} vectors of {isa.Width}" + (pairs ? ", two channels a tile" : "") + stores + (hoist && !pairs ? "; its weights held in registers." : "."));
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {Aliases.Unsafe}.Add(ref weights, {Int(l.WeightCount)});");
            if (packed is null || l.Out.Depth % 2 == 1)
            {
                w.Line($"global::System.Span<float> plane = stackalloc float[{Int(pairs && packed is null ? 2 * flat : flat)}];");
                w.Line("ref float outputRow = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(plane);");
            }
            if (pairs)
            {
                FlatPairLoop(w, step, isa, flat, starts, packed);
                if (l.Out.Depth % 2 == 0)
                {
                    return;
                }
            }
            using (w.Block(pairs ? "// the last channel, alone" : $"for (int f = 0; f < {Int(l.Out.Depth)}; f++)"))
            {
                if (pairs)
                {
                    w.Line($"int f = {Int(l.Out.Depth - 1)};");
                }
                FilterAndChannels(w, l, src);
                BiasAndWeights(w, isa, hoist ? l.KernelWidth * l.KernelHeight : 0);
                w.Line("ref float inputRow = ref channels;");
                if (loop)
                {
                    // Too many to unroll in one method (the JIT's limits): a loop over whole tiles, then the rest.
                    Row(w, step, isa, most, hoist, flat, NumberedLanes(l, isa, (int)src.RowStride));
                }
                for (int t = 0; t < tiles && !loop; t++)
                {
                    var tile = new List<Position>();
                    for (int v = t * perTile; v < Math.Min(vectors, (t + 1) * perTile); v++)
                    {
                        tile.Add(new Position(Int(Math.Min(v * isa.Width, flat - isa.Width)), 0));
                    }
                    Tile(w, step, isa, tile, hoist, NumberedLanes(l, isa, (int)src.RowStride));
                }
                CopyRows(w, l, dst, (int)src.RowStride, isa);
            }
        }
    }

    /// <summary>
    /// Whether <see cref="Flat"/> takes two channels per register tile on AVX-512 (<see cref="FlatPairLoop"/>): one unrolled
    /// tile of at most 6 vectors a channel (maps of about 7×7). One channel's 4 or 5 vectors are that many dependent FMA
    /// chains, too few to hide the FMA latency; two channels give 8 to 12 independent chains. Each kernel row loads its
    /// first and last taps and permutes the taps between out of them (a 5×5's five unaligned loads a row, nearly all
    /// split across cache lines, become two loads and three permutes), and a contiguous output takes the vectors straight
    /// (<see cref="PackPlan(LayerPlan, Region, int, List{int})"/>) instead of through a stack buffer and row copies (the
    /// copies cost about 6 of 38 µs on 7×7×1152).
    /// <para>
    /// Measured against ONNX Runtime in one process (a throwaway harness alternating the two, best 200 µs batch over
    /// 150 ms, Zen 5 AVX-512, machine loaded at 10–60; one channel a tile with row copies → this): 5×5 on 7×7×1152 +
    /// SiLU (EfficientNet-B0 features.6.1) 0.76–0.78× → 0.88–0.89×, 3×3 on 7×7×1152 + SiLU (features.7.0) 0.84–0.85× →
    /// 1.21–1.23×, 5×5 on 7×7×576 + hard swish (MobileNetV3-Small features.10) 0.97× → 1.00–1.06×. Two channels alone,
    /// each tap its own load, made the 5×5 slower (0.76× → 0.70×: the loads, not the FMA chains, bound it).
    /// </para>
    /// </summary>
    private static bool FlatPairs(LayerPlan l, Isa isa, int vectors, bool loop) =>
        isa == Avx512 && !loop && vectors <= 6 && l.Out.Depth >= 2 && l.KernelWidth <= 16;

    /// <summary>
    /// The loop of <see cref="Flat"/> over pairs of channels (f, f + 1): both channels' vectors (numbered outputs from
    /// <paramref name="first"/>) in one tile; per kernel row, vector and channel, two loads (the row's first and last
    /// taps) and a permute of them for each tap between, each tap an FMA with the channel's broadcast weight. The results
    /// go through the epilogue and, by the <paramref name="packed"/> plan, straight into the output channels; without one
    /// into the stack buffer (channel f + 1's from <paramref name="flat"/> on), whose rows are copied out.
    /// </summary>
    private static void FlatPairLoop(SourceWriter w, Step step, Isa isa, int flat, List<int> first, List<(int Vector, int Rank, int[] Lanes)>? packed)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int taps = l.KernelWidth * l.KernelHeight;
        int vectors = first.Count;
        bool hoist = 2 * taps + 2 * vectors + 3 + l.KernelWidth + 2 <= isa.Registers;
        var columns = first.ConvertAll(c => new Position(Int(c), 0));
        var starts = columns.ConvertAll(p => (string?)p.Column);
        Lanes lanes = NumberedLanes(l, isa, (int)src.RowStride);
        for (int kx = 1; kx < l.KernelWidth - 1; kx++)
        {
            // Lane i takes column i + kx: from the row's first load while it reaches, then from its last (kw - 1 columns on).
            var index = new List<string>();
            for (int i = 0; i < 16; i++)
            {
                index.Add(Int(i + kx < 16 ? i + kx : 16 + i + kx - (l.KernelWidth - 1)));
            }
            w.Line($"global::System.Runtime.Intrinsics.Vector512<int> shift{kx} = {Aliases.Vector512}.Create({string.Join(", ", index)});");
        }
        using (w.Block($"for (int f = 0; f < {Int(l.Out.Depth - 1)}; f += 2)"))
        {
            FilterAndChannels(w, l, src);
            w.Line($"{isa.Type} b = {isa.Static}.Create({Aliases.Unsafe}.Add(ref bias, f));");
            w.Line($"{isa.Type} c = {isa.Static}.Create({Aliases.Unsafe}.Add(ref bias, f + 1));");
            string Weight(int channel, int index) => $"{isa.Static}.Create({Aliases.Unsafe}.Add(ref filter, {Int(channel * taps + index)}))";
            for (int k = 0; k < taps && hoist; k++)
            {
                w.Line($"{isa.Type} w{k} = {Weight(0, k)};");
                w.Line($"{isa.Type} x{k} = {Weight(1, k)};");
            }
            using (w.Block($"// outputs {string.Join(", ", starts)} (+ vector width) of channels f and f + 1"))
            {
                for (int v = 0; v < vectors; v++)
                {
                    w.Line($"{isa.Type} acc{v} = b;");
                    w.Line($"{isa.Type} acc{vectors + v} = c;");
                }
                int kw = l.KernelWidth;
                for (int ky = 0; ky < l.KernelHeight; ky++)
                {
                    var rowReading = new List<List<string?>>();
                    for (int kx = 0; kx < kw; kx++)
                    {
                        rowReading.Add(Reading(l, starts, columns, lanes, ky, kx));
                    }
                    // Per vector and channel: the row's first and last taps as two loads, the taps between them by a permute of the two.
                    for (int v = 0; v < vectors; v++)
                    {
                        if (rowReading.TrueForAll(r => r[v] is null))
                        {
                            continue; // only padding under this kernel row
                        }
                        using (w.Block($"// kernel row {Int(ky)}, vector {Int(v)}"))
                        {
                            for (int c = 0; c < 2; c++)
                            {
                                long at = (long)ky * src.RowStride + c * src.PlaneStride;
                                w.Line($"{isa.Type} first{c} = {isa.Static}.LoadUnsafe(ref channels, (nuint)({Plus(starts[v]!, at)}));");
                                if (kw > 1)
                                {
                                    w.Line($"{isa.Type} last{c} = {isa.Static}.LoadUnsafe(ref channels, (nuint)({Plus(starts[v]!, at + kw - 1)}));");
                                }
                            }
                            for (int kx = 0; kx < kw; kx++)
                            {
                                if (rowReading[kx][v] is null)
                                {
                                    continue;
                                }
                                int index = ky * kw + kx;
                                for (int c = 0; c < 2; c++)
                                {
                                    string x = kx == 0 ? $"first{c}" : kx == kw - 1 ? $"last{c}" : $"{Aliases.Avx512F}.PermuteVar16x32x2(first{c}, shift{kx}, last{c})";
                                    string weight = hoist ? $"{(c == 0 ? "w" : "x")}{index}" : Weight(c, index);
                                    w.Line($"acc{c * vectors + v} = {isa.Fma}({x}, {weight}, acc{c * vectors + v});");
                                }
                            }
                        }
                    }
                }
                var api = new VectorApi(isa.Type, isa.Static);
                var next = new EpilogueSite("f + 1");
                if (packed is not null)
                {
                    for (int c = 0; c < 2; c++)
                    {
                        for (int v = 0; v < vectors; v++)
                        {
                            EpilogueInPlace(w, step, $"acc{c * vectors + v}", api, c == 0 ? Channel : next);
                        }
                        PackedStores(w, packed, c * vectors, c == 0 ? "f" : "(f + 1)", dst);
                    }
                }
                else
                {
                    for (int v = 0; v < vectors; v++)
                    {
                        w.Line($"{isa.Static}.StoreUnsafe({Epilogue.Vector(step.Epilogue, $"acc{v}", api, Channel)}, ref outputRow, (nuint)({starts[v]}));");
                        w.Line($"{isa.Static}.StoreUnsafe({Epilogue.Vector(step.Epilogue, $"acc{vectors + v}", api, next)}, ref outputRow, (nuint)({Plus(starts[v]!, flat)}));");
                    }
                }
            }
            if (packed is null)
            {
                CopyRows(w, l, dst, (int)src.RowStride, isa);
                CopyRows(w, l, dst, (int)src.RowStride, isa, "f + 1", flat);
            }
        }
    }

    /// <summary>
    /// How <see cref="Flat"/>'s vectors store straight into an output channel whose rows are contiguous: vector v's kept
    /// lanes, moved to its front by a permute, stored as 16 floats from the rank (y · width + x) of its first kept output
    /// (the lanes past its kept ones are overwritten by the vectors after it), the channel's last 16 outputs taken from its
    /// last two vectors by one two-source permute. Null when the output's rows are not contiguous or the plan does not cover
    /// every output exactly.
    /// </summary>
    private static List<(int Vector, int Rank, int[] Lanes)>? PackPlan(LayerPlan l, Region dst, int rowStride, List<int> starts)
    {
        int Rank(int number) => number % rowStride < l.Out.Width && number / rowStride < l.Out.Height ? number / rowStride * l.Out.Width + number % rowStride : -1;
        return PackPlan(l, dst, starts.Count, (v, j) => Rank(starts[v] + j));
    }

    /// <summary>
    /// The <see cref="PackPlan(LayerPlan, Region, int, List{int})"/> of <paramref name="n"/> vectors whose lane j of vector v
    /// holds output <paramref name="rankOf"/>(v, j) (y · width + x; negative for a lane not kept).
    /// </summary>
    private static List<(int Vector, int Rank, int[] Lanes)>? PackPlan(LayerPlan l, Region dst, int n, Func<int, int, int> rankOf)
    {
        int total = l.Out.Width * l.Out.Height;
        if (dst.RowStride != l.Out.Width || total < 16 || n < 2)
        {
            return null;
        }
        var plan = new List<(int, int, int[])>();
        var covered = new bool[total];
        for (int v = 0; v < n - 1; v++)
        {
            int first = -1;
            var lanes = new int[16];
            for (int j = 0; j < 16; j++)
            {
                int rank = rankOf(v, j);
                if (rank >= 0 && first < 0)
                {
                    first = rank;
                }
                if (rank >= 0 && rank - first < 16)
                {
                    lanes[rank - first] = j;
                }
            }
            if (first < 0 || first + 16 > total)
            {
                continue; // left to the last store
            }
            for (int j = 0; j < 16; j++)
            {
                int rank = rankOf(v, j);
                if (rank >= 0)
                {
                    covered[rank] = true;
                }
            }
            plan.Add((v, first, lanes));
        }
        var last = new int[16];
        for (int r = total - 16; r < total; r++)
        {
            int lane = -1;
            for (int s = n - 1; s >= n - 2 && lane < 0; s--)
            {
                for (int j = 0; j < 16; j++)
                {
                    if (rankOf(s, j) == r)
                    {
                        lane = s == n - 1 ? 16 + j : j;
                        break;
                    }
                }
            }
            if (lane < 0)
            {
                return null;
            }
            last[r - (total - 16)] = lane;
            covered[r] = true;
        }
        if (Array.IndexOf(covered, false) >= 0)
        {
            return null;
        }
        plan.Add((n - 1, total - 16, last));
        return plan;
    }

    /// <summary>Applies the step's fused epilogue to accumulator <paramref name="acc"/> in place (nothing when it has none).</summary>
    private static void EpilogueInPlace(SourceWriter w, Step step, string acc, VectorApi api, EpilogueSite site)
    {
        string value = Epilogue.Vector(step.Epilogue, acc, api, site);
        if (value != acc)
        {
            w.Line($"{acc} = {value};");
        }
    }

    /// <summary>Emits the stores of a <see cref="PackPlan"/> of accumulators <c>acc{first}</c>… into output channel <paramref name="channel"/>.</summary>
    private static void PackedStores(SourceWriter w, List<(int Vector, int Rank, int[] Lanes)> plan, int first, string channel, Region dst)
    {
        for (int i = 0; i < plan.Count; i++)
        {
            (int v, int rank, int[] lanes) = plan[i];
            string index = $"{Aliases.Vector512}.Create({string.Join(", ", Array.ConvertAll(lanes, x => Int(x)))})";
            bool last = i == plan.Count - 1;
            int identity = last ? 16 : 0; // lanes in place: no permute (rows of 8, two a vector)
            string value = Array.TrueForAll(lanes, lane => Array.IndexOf(lanes, lane) + identity == lane) ? $"acc{first + v}"
                : last ? $"{Aliases.Avx512F}.PermuteVar16x32x2(acc{first + v - 1}, {index}, acc{first + v})"
                : $"{Aliases.Avx512F}.PermuteVar16x32(acc{first + v}, {index})";
            w.Line($"{Aliases.Vector512}.StoreUnsafe({value}, ref output, (nuint)({channel} * {Int(dst.PlaneStride)} + {Int(rank)}));");
        }
    }

    /// <summary>The most floats of a channel's four phases (<see cref="Phases"/>): 64 KB on the stack.</summary>
    private const int MaxPhaseFloats = 16384;

    /// <summary>
    /// Whether the layer takes the phase kernel (<see cref="Phases"/>): a depthwise conv at stride 2 both ways, undilated,
    /// with a filter 5×5 or larger, onto rows more than 4 wide but not 8, whose four phases fit <see cref="MaxPhaseFloats"/>.
    /// The row kernel reads every tap's even columns with two loads and a permute; the phase kernel splits each input
    /// value once (a quarter of a permute per value) and then loads each tap's vector directly, filling all 16 lanes
    /// across rows as the flattened kernel does.
    /// <para>
    /// Measured against ONNX Runtime in one process (a throwaway harness alternating the two, best 200 µs batch over
    /// 150 ms, AVX-512, machine loaded at 20–50; row kernel → phase kernel): 5×5/2 from 14×14×672 + SiLU (EfficientNet-B0
    /// features.6.0) 0.41× → 0.56× (without the SiLU pass 0.42× → 0.58×), from 28×28×96 + hard swish (MobileNetV3-Small
    /// features.4) 0.65× → 0.84–0.92×, from 56×56×144 + SiLU (EfficientNet-B0 features.3.0) 0.59× → 0.66× (without SiLU
    /// 0.65× → 0.76×). Kept on the row kernel: 3×3 filters (nine taps do not repay the split: 28×28×240 + SiLU 0.72× →
    /// 0.62×, 112×112×16 + ReLU 0.95× → 0.80×, 56×56×72 1.27× → 1.08×, 56×56×24 1.9× → 1.55×) and rows of 8 (5×5/2 from
    /// 16×16×144 + SiLU 0.70× → 0.61×: one AVX2 vector a row wastes no lane). On AVX-512, rows 16 and wider take the row
    /// kernel again since its tiles of several rows share their even-column loads (<see cref="SharedRowTaps"/>): 5×5/2
    /// from 56×56×144 + SiLU 0.74–0.75× (phases) → 0.81–0.84× (probe, load 17–33); rows of 14 stay on the phase kernel.
    /// </para>
    /// </summary>
    public static bool PhasesApply(Step step)
    {
        LayerPlan l = step.Layer;
        if (l.Kind != LayerKind.Conv || l.Groups != l.In.Depth || l.Out.Depth != l.In.Depth || l.StrideX != 2 || l.StrideY != 2
            || l.DilationX != 1 || l.DilationY != 1 || l.KernelWidth < 5 || l.KernelHeight < 5 || l.Out.Width <= 4 || l.Out.Width == 8)
        {
            return false;
        }
        long phaseRow = PhaseRowStride(l);
        long flat = (long)(l.Out.Height - 1) * phaseRow + l.Out.Width;
        return flat >= 16 && 4L * (PhaseRows(l) * phaseRow + 16) <= MaxPhaseFloats
            && step.Source.RowStride >= 2L * (l.Out.Width - 1) + l.KernelWidth;
    }

    /// <summary>How far apart a phase's rows are: one per output column and the filter's reach to the right.</summary>
    private static int PhaseRowStride(LayerPlan l) => l.Out.Width + (l.KernelWidth - 1) / 2;

    /// <summary>The rows of each phase: one per output row and the filter's reach below.</summary>
    private static int PhaseRows(LayerPlan l) => l.Out.Height + (l.KernelHeight - 1) / 2;

    /// <summary>
    /// The phase kernel on <paramref name="isa"/> (see <see cref="PhasesApply"/>): per channel, the padded input plane is
    /// split once into its four phases (even and odd rows × even and odd columns, <c>Kernels.SplitPhases</c>); tap
    /// (ky, kx) of output (y, x) is then phase (ky mod 2, kx mod 2) at (y + ky / 2, x + kx / 2), a stride-1 conv over the
    /// phases, computed as <see cref="Flat"/> does: vectors of consecutive numbered outputs <c>y · phaseRowStride + x</c>,
    /// every tap one load at a constant offset from its phase, results through the epilogue into a stack buffer whose
    /// rows are copied out.
    /// </summary>
    private static void Phases(SourceWriter w, Step step, Isa isa)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int phaseRow = PhaseRowStride(l);
        int phaseSize = PhaseRows(l) * phaseRow + 16; // SplitPhases writes up to 15 floats past a phase's last row
        int flat = (l.Out.Height - 1) * phaseRow + l.Out.Width;
        int taps = l.KernelWidth * l.KernelHeight;
        (int vectors, int most, int tiles, int perTile, bool loop) = FlatTiles(flat, taps, isa);
        bool hoist = HoistWeights(l, isa, loop ? most : perTile);
        int rows = 2 * (l.Out.Height - 1) + l.KernelHeight, columns = 2 * (l.Out.Width - 1) + l.KernelWidth;
        KernelHeader(w, $"{l.Name} on {isa.Name} (depthwise, stride 2): each channel split into its 4 phases ({Int(PhaseRows(l))} rows of {Int(phaseRow)}), its {Int(flat)} outputs numbered along the phases' rows in {Int(vectors)} vectors of {isa.Width}, then its rows copied out" + (hoist ? "; its weights held in registers." : "."));
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {Aliases.Unsafe}.Add(ref weights, {Int(l.WeightCount)});");
            w.Line($"global::System.Span<float> plane = stackalloc float[{Int(flat)}];");
            w.Line("ref float outputRow = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(plane);");
            w.Line($"global::System.Span<float> split = stackalloc float[{Int(4 * phaseSize)}];");
            w.Line("ref float phases = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(split);");
            using (w.Block($"for (int f = 0; f < {Int(l.Out.Depth)}; f++)"))
            {
                FilterAndChannels(w, l, src);
                // Readable: the rest of the input from this channel on, up to the last column the last channel's split reads.
                long last = (long)(rows - 1) * src.RowStride + columns;
                w.Line($"{Aliases.Kernels}SplitPhases(ref channels, {Int(src.RowStride)}, {Int(rows)}, {Int(columns)}, ref phases, {Int(phaseRow)}, {Int(phaseSize)}, (nuint)(({Int(l.Out.Depth - 1)} - f) * {Int(src.PlaneStride)} + {Int(last)}));");
                BiasAndWeights(w, isa, hoist ? taps : 0);
                if (loop)
                {
                    int whole = flat / isa.Width / most;
                    if (whole > 0)
                    {
                        using (w.Block($"for (int column = 0; column < {Int(whole * most * isa.Width)}; column += {Int(most * isa.Width)})"))
                        {
                            var tile = new List<string>();
                            for (int v = 0; v < most; v++)
                            {
                                tile.Add(v == 0 ? "column" : $"column + {Int(v * isa.Width)}");
                            }
                            PhaseTile(w, step, isa, tile, hoist, phaseRow, phaseSize);
                        }
                    }
                    var rest = new List<string>();
                    for (int v = whole * most; v < vectors; v++)
                    {
                        rest.Add(Int(Math.Min(v * isa.Width, flat - isa.Width)));
                    }
                    for (int first = 0; first < rest.Count; first += most)
                    {
                        PhaseTile(w, step, isa, rest.GetRange(first, Math.Min(most, rest.Count - first)), hoist, phaseRow, phaseSize);
                    }
                }
                for (int t = 0; t < tiles && !loop; t++)
                {
                    var tile = new List<string>();
                    for (int v = t * perTile; v < Math.Min(vectors, (t + 1) * perTile); v++)
                    {
                        tile.Add(Int(Math.Min(v * isa.Width, flat - isa.Width)));
                    }
                    PhaseTile(w, step, isa, tile, hoist, phaseRow, phaseSize);
                }
                CopyRows(w, l, dst, phaseRow, isa);
            }
        }
    }

    /// <summary>
    /// Whether the layer takes the stride-2 row kernel on AVX-512 (<see cref="Stride2Rows"/>): a depthwise conv at stride 2
    /// both ways, undilated, at most 16 rows high, onto rows 5 to 8 wide (two rows a vector) or, with a 3×3 filter, 9 to
    /// 15 wide (one row a vector). The row kernel has no AVX-512 variant for rows narrower than 16 (a 7-wide row is two
    /// 4-lane vectors, each tap two loads and a shuffle; a 14-wide row two 8-lane ones); the phase kernel splits each
    /// channel into a stack buffer first, which on a 7×7 output costs more than its taps.
    /// <para>
    /// Measured against ONNX Runtime in one process (a throwaway harness alternating the two, best 200 µs batch over
    /// 150 ms, AVX-512, machine loaded at 50–80; previous kernel → this one): 3×3/2 from 14×14×576 + ReLU6 (MobileNetV2
    /// features.14) 0.62× → 0.94–1.17×, 5×5/2 from 14×14×288 + hard swish (MobileNetV3-Small features.9, the phase
    /// kernel before) 0.66× → 0.80–0.90×, 3×3/2 from 28×28×192 + ReLU6 (MobileNetV2 features.7) 0.93× → 1.14–1.18×,
    /// from 28×28×240 + SiLU (EfficientNet-B0 features.4.0) 0.71× → 0.81–0.83×. Kept on the phase kernel: 5×5 onto
    /// rows 9 to 15 wide (5×5/2 from 28×28×96 + hard swish, MobileNetV3-Small features.4: 0.91× → 0.75× one row a vector).
    /// </para>
    /// </summary>
    public static bool Stride2RowsApply(Step step)
    {
        LayerPlan l = step.Layer;
        if (l.Kind != LayerKind.Conv || l.Groups != l.In.Depth || l.Out.Depth != l.In.Depth || l.StrideX != 2 || l.StrideY != 2
            || l.DilationX != 1 || l.DilationY != 1 || l.Out.Width < 5 || l.Out.Width >= 16 || l.Out.Height < 2 || l.Out.Height > 16
            || (l.Out.Width > 8 && (l.KernelWidth > 3 || l.KernelHeight > 3))
            || (long)(l.Out.Width <= 8 ? (l.Out.Height + 1) / 2 : l.Out.Height) * l.KernelWidth * l.KernelHeight > FlatUnrollBudget)
        {
            return false;
        }
        Region src = step.Source;
        long lastRead = (long)(2 * (l.Out.Height - 1) + l.KernelHeight - 1) * src.RowStride + 2 * (l.Out.Width - 1) + l.KernelWidth;
        return src.RowStride >= 2L * (l.Out.Width - 1) + l.KernelWidth && src.PlaneStride >= 16 && lastRead <= src.PlaneStride;
    }

    /// <summary>
    /// The stride-2 row kernel (AVX-512 only, see <see cref="Stride2RowsApply"/>): per channel, each vector holds two
    /// output rows, 8 lanes each, or one row of up to 16 (outputs past the width computed and dropped); tap (ky, kx)
    /// loads 16 floats from each of the two input rows it reads (or 32 from its one row) and takes their even columns
    /// with one two-source permute (a load that would run past the
    /// channel's plane starts earlier, its lanes picked further on). The results go through the
    /// epilogue into a stack buffer (rows of 8), whose rows are copied to the output.
    /// </summary>
    private static void Stride2Rows(SourceWriter w, Step step, Isa isa)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int perVector = l.Out.Width <= 8 ? 2 : 1, lanesPerRow = 16 / perVector;
        int vectors = (l.Out.Height + perVector - 1) / perVector;
        int taps = l.KernelWidth * l.KernelHeight;
        int tiles = (vectors + MaxTileVectors - 1) / MaxTileVectors;
        int perTile = (vectors + tiles - 1) / tiles;
        bool hoist = HoistWeights(l, isa, perTile);
        // One tile: its vectors stored straight into the output channel when its rows are contiguous.
        var packed = tiles > 1 ? null : PackPlan(l, dst, vectors, (v, j) =>
        {
            int y = perVector * v + j / lanesPerRow, x = j % lanesPerRow;
            return x < l.Out.Width && y < l.Out.Height ? y * l.Out.Width + x : -1;
        });
        string layout = perVector == 2
            ? $"output rows in pairs, 8 lanes a row, in {Int(vectors)} {(vectors == 1 ? "vector" : "vectors")} of 16, each tap's even columns of two input rows (loads shared by a kernel row's taps) by one permute"
            : $"output rows one a vector of 16, in {Int(vectors)} vectors, each tap's even columns of two loads by one permute";
        KernelHeader(w, $"{l.Name} on {isa.Name} (depthwise, stride 2): each channel's {layout}" + (packed is null ? ", then its rows copied out" : ", stored straight into the output's rows") + (hoist ? "; its weights held in registers." : "."));
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {Aliases.Unsafe}.Add(ref weights, {Int(l.WeightCount)});");
            if (packed is null)
            {
                w.Line($"global::System.Span<float> plane = stackalloc float[{Int(16 * vectors)}];");
                w.Line("ref float outputRow = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(plane);");
            }
            if (perVector == 1)
            {
                w.Line("// Lanes 0-7 take the even columns of the first load, lanes 8-15 those of the second.");
                w.Line($"global::System.Runtime.Intrinsics.Vector512<int> evens = {Aliases.Vector512}.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);");
            }
            using (w.Block($"for (int f = 0; f < {Int(l.Out.Depth)}; f++)"))
            {
                FilterAndChannels(w, l, src);
                BiasAndWeights(w, isa, hoist ? taps : 0);
                for (int t = 0; t < tiles; t++)
                {
                    int first = t * perTile, end = Math.Min(vectors, first + perTile);
                    using (w.Block($"// output rows {Int(perVector * first)} to {Int(Math.Min(l.Out.Height, perVector * end) - 1)}"))
                    {
                        for (int v = first; v < end; v++)
                        {
                            w.Line($"{isa.Type} acc{v - first} = b;");
                        }
                        if (!hoist && perVector == 1)
                        {
                            w.Line($"{isa.Type} weight;");
                        }
                        for (int ky = 0; ky < l.KernelHeight && perVector == 2; ky++)
                        {
                            for (int v = first; v < end; v++)
                            {
                                SharedLoadRow(w, step, isa, v, v - first, ky, hoist);
                            }
                        }
                        for (int ky = 0; ky < l.KernelHeight && perVector == 1; ky++)
                        {
                            for (int kx = 0; kx < l.KernelWidth; kx++)
                            {
                                var reading = new List<int>();
                                for (int v = first; v < end; v++)
                                {
                                    bool data = false;
                                    for (int y = perVector * v; y < Math.Min(l.Out.Height, perVector * (v + 1)); y++)
                                    {
                                        for (int x = 0; x < l.Out.Width; x++)
                                        {
                                            data |= InsideInput(l, 2 * y + ky - l.PadTop, 2 * x + kx - l.PadLeft);
                                        }
                                    }
                                    if (data)
                                    {
                                        reading.Add(v);
                                    }
                                }
                                if (reading.Count == 0)
                                {
                                    continue; // only padding under this tap
                                }
                                int index = ky * l.KernelWidth + kx;
                                string weight = hoist ? $"w{index}" : "weight";
                                if (!hoist)
                                {
                                    w.Line($"weight = {isa.Static}.Create({Aliases.Unsafe}.Add(ref filter, {Int(index)}));");
                                }
                                foreach (int v in reading)
                                {
                                    // Two rows: 16 floats of each (the second row's repeated for a lone last row); one row: its 32 floats.
                                    long top = (long)(2 * perVector * v + ky) * src.RowStride + kx;
                                    long bottom = perVector == 1 ? top + 16 : 2 * v + 1 < l.Out.Height ? top + 2 * src.RowStride : top;
                                    // Loads end inside the channel's plane (the last channel's is the end of the input).
                                    long topAt = Math.Min(top, src.PlaneStride - 16), bottomAt = Math.Min(bottom, src.PlaneStride - 16);
                                    string lanes = topAt == top && bottomAt == bottom ? "evens" : EvenIndex((int)(top - topAt), (int)(bottom - bottomAt));
                                    w.Line($"acc{v - first} = {isa.Fma}({Aliases.Avx512F}.PermuteVar16x32x2({isa.Static}.LoadUnsafe(ref channels, (nuint){Int(topAt)}), {lanes}, {isa.Static}.LoadUnsafe(ref channels, (nuint){Int(bottomAt)})), {weight}, acc{v - first});");
                                }
                            }
                        }
                        var api = new VectorApi(isa.Type, isa.Static);
                        for (int v = first; v < end; v++)
                        {
                            if (packed is null)
                            {
                                w.Line($"{isa.Static}.StoreUnsafe({Epilogue.Vector(step.Epilogue, $"acc{v - first}", api, Channel)}, ref outputRow, (nuint){Int(16 * v)});");
                            }
                            else
                            {
                                EpilogueInPlace(w, step, $"acc{v - first}", api, Channel);
                            }
                        }
                        if (packed is not null)
                        {
                            PackedStores(w, packed, 0, "f", dst);
                        }
                    }
                }
                if (packed is null)
                {
                    CopyRows(w, l, dst, lanesPerRow, isa);
                }
            }
        }
    }

    /// <summary>
    /// Kernel row <paramref name="ky"/> of <see cref="Stride2Rows"/>'s vector <paramref name="v"/> (two output rows): the
    /// loads of its two input rows are shared by the row's taps, each tap's even columns picked from them by one permute
    /// (a 16-float load from the row's start reaches every column a 7-wide output takes at the first taps; the later taps
    /// load again from their own column). Taps and vectors that read only padding are left out.
    /// <para>
    /// Measured as for <see cref="FlatPairs"/> (load 10–60; two loads a tap and row copies → shared loads and stores
    /// straight into the output): 5×5/2 from 14×14×672 + SiLU (EfficientNet-B0 features.6.0) 0.71–0.77× → 0.96–0.97×,
    /// from 14×14×288 + hard swish (MobileNetV3-Small features.9) 0.86–0.88× → 1.17–1.24×; the stores alone gave
    /// 0.71× → 0.85× and 0.87× → 0.89×.
    /// </para>
    /// </summary>
    private static void SharedLoadRow(SourceWriter w, Step step, Isa isa, int v, int acc, int ky, bool hoist)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source;
        bool Reads(int kx)
        {
            for (int y = 2 * v; y < Math.Min(l.Out.Height, 2 * v + 2); y++)
            {
                for (int x = 0; x < l.Out.Width; x++)
                {
                    if (InsideInput(l, 2 * y + ky - l.PadTop, 2 * x + kx - l.PadLeft))
                    {
                        return true;
                    }
                }
            }
            return false;
        }
        var taps = new List<int>();
        for (int kx = 0; kx < l.KernelWidth; kx++)
        {
            if (Reads(kx))
            {
                taps.Add(kx);
            }
        }
        if (taps.Count == 0)
        {
            return;
        }
        long top = (long)(4 * v + ky) * src.RowStride;
        long bottom = 2 * v + 1 < l.Out.Height ? top + 2 * src.RowStride : top;
        long last = src.PlaneStride - 16; // loads end inside the channel's plane (the last channel's is the end of the input)
        using (w.Block($"// kernel row {Int(ky)}, output rows {Int(2 * v)} and {Int(2 * v + 1)}"))
        {
            var loaded = new HashSet<long>();
            foreach (int kx in taps)
            {
                // The first load base (0, else this tap's column) from which both rows' columns kx + 2j (j < width) are in reach.
                long at = 0;
                bool Fits(long b)
                {
                    long t = Math.Min(top + b, last), u = Math.Min(bottom + b, last);
                    return top + kx - t >= 0 && top + kx + 2 * (l.Out.Width - 1) - t <= 15 && bottom + kx - u >= 0 && bottom + kx + 2 * (l.Out.Width - 1) - u <= 15;
                }
                at = Fits(0) ? 0 : kx;
                long topAt = Math.Min(top + at, last), bottomAt = Math.Min(bottom + at, last);
                if (loaded.Add(at))
                {
                    w.Line($"{isa.Type} top{Int(at)} = {isa.Static}.LoadUnsafe(ref channels, (nuint){Int(topAt)});");
                    w.Line($"{isa.Type} bottom{Int(at)} = {isa.Static}.LoadUnsafe(ref channels, (nuint){Int(bottomAt)});");
                }
                var lanes = new List<string>();
                for (int j = 0; j < 16; j++)
                {
                    int column = kx + 2 * Math.Min(j % 8, l.Out.Width - 1);
                    lanes.Add(Int(j < 8 ? top + column - topAt : 16 + bottom + column - bottomAt));
                }
                int index = ky * l.KernelWidth + kx;
                string weight = hoist ? $"w{index}" : $"{isa.Static}.Create({Aliases.Unsafe}.Add(ref filter, {Int(index)}))";
                w.Line($"acc{acc} = {isa.Fma}({Aliases.Avx512F}.PermuteVar16x32x2(top{Int(at)}, {Aliases.Vector512}.Create({string.Join(", ", lanes)}), bottom{Int(at)}), {weight}, acc{acc});");
            }
        }
    }

    /// <summary>
    /// The permute index of <see cref="Stride2Rows"/> for loads that start <paramref name="top"/> and <paramref name="bottom"/>
    /// columns early: lane j takes column 2j of the first load, lane 8 + j column 2j of the second (past the last kept
    /// column, lanes repeat the load's last one).
    /// </summary>
    private static string EvenIndex(int top, int bottom)
    {
        var lanes = new List<string>();
        for (int j = 0; j < 16; j++)
        {
            lanes.Add(Int(j < 8 ? Math.Min(2 * j + top, 15) : Math.Min(16 + 2 * (j - 8) + bottom, 31)));
        }
        return $"{Aliases.Vector512}.Create({string.Join(", ", lanes)})";
    }

    /// <summary>One register tile of <see cref="Phases"/>: accumulators start at the bias, take every tap from its phase, then the epilogue and a store.</summary>
    private static void PhaseTile(SourceWriter w, Step step, Isa isa, List<string> columns, bool hoist, int phaseRow, int phaseSize)
    {
        LayerPlan l = step.Layer;
        using (w.Block($"// outputs {string.Join(", ", columns)} (+ vector width)"))
        {
            for (int v = 0; v < columns.Count; v++)
            {
                w.Line($"{isa.Type} acc{v} = b;");
            }
            for (int ky = 0; ky < l.KernelHeight; ky++)
            {
                for (int kx = 0; kx < l.KernelWidth; kx++)
                {
                    long offset = (long)(ky % 2 * 2 + kx % 2) * phaseSize + (long)(ky / 2) * phaseRow + kx / 2;
                    int index = ky * l.KernelWidth + kx;
                    string weight = hoist ? $"w{index}" : $"{isa.Static}.Create({Aliases.Unsafe}.Add(ref filter, {Int(index)}))";
                    Tap(w, isa, 1, "phases", Reading(l, columns.ConvertAll(c => (string?)c), columns.ConvertAll(c => new Position(c, 0)), NumberedLanes(l, isa, phaseRow), ky, kx), offset, weight, hoist, 0);
                }
            }
            var api = new VectorApi(isa.Type, isa.Static);
            for (int v = 0; v < columns.Count; v++)
            {
                w.Line($"{isa.Static}.StoreUnsafe({Epilogue.Vector(step.Epilogue, $"acc{v}", api, Channel)}, ref outputRow, (nuint)({columns[v]}));");
            }
        }
    }

    /// <summary>Copies the kept columns of each numbered row (<paramref name="rowStride"/> apart in <c>outputRow</c>) to output channel <c>f</c>.</summary>
    /// <param name="channel">The output channel, <c>f</c> unless given.</param>
    /// <param name="from">Where its numbered rows start in <c>outputRow</c>.</param>
    private static void CopyRows(SourceWriter w, LayerPlan l, Region dst, int rowStride, Isa isa, string channel = "f", int from = 0)
    {
        int copy = isa.Width >= 8 && l.Out.Width >= 8 ? 8 : 4;
        string type = copy == 8 ? Aliases.Vector256 : Aliases.Vector128;
        using (w.Block($"for (int y = 0; y < {Int(l.Out.Height)}; y++) // the kept columns of each row"))
        {
            w.Line($"ref float from = ref {Aliases.Unsafe}.Add(ref outputRow, {(from == 0 ? "" : Int(from) + " + ")}y * {Int(rowStride)});");
            w.Line($"ref float to = ref {Aliases.Unsafe}.Add(ref output, {(channel == "f" ? "f" : $"({channel})")} * {Int(dst.PlaneStride)} + y * {Int(dst.RowStride)});");
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

    /// <summary>A channel's outputs numbered along its input's rows: output (y, x) is number <c>y · rowStride + x</c>.</summary>
    private static long FlatLength(Step step) => (long)(step.Layer.Out.Height - 1) * step.Source.RowStride + step.Layer.Out.Width;

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

    /// <summary>Where every kernel stores: output channel <c>f</c> (PRelu's slope), parameters from <c>weights</c>.</summary>
    private static readonly EpilogueSite Channel = new("f");

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
        // Every vector of a row in one tile when they fit, the last one shifted left to end on the row's last column: a
        // 56-wide row is one tile of 4 vectors (4 independent FMA chains), not a tile of 3 and a lone vector whose single
        // chain waits on the FMA latency at every tap.
        int tileVectors = Math.Min(MaxTileVectors, ColumnVectors(l, isa));
        int rows = RowsPerTile(l, isa);
        bool hoist = HoistWeights(l, isa, isa.RowPairs ? rows / 2 : Math.Max(tileVectors, rows * ColumnVectors(l, isa)));
        string what = cpg == 1 ? "depthwise" : $"{cpg} channels per group";
        string tiles = isa.RowPairs
            ? $"{Int(rows)} rows at a time, two rows of 2 columns per vector"
            : rows > 1
            ? $"{Int(rows)} rows at a time, {ColumnVectors(l, isa)} {(ColumnVectors(l, isa) == 1 ? "vector" : "vectors")} of {isa.Width} columns each"
            : $"rows in tiles of {tileVectors} {(tileVectors == 1 ? "vector" : "vectors")} of {isa.Width} columns";
        KernelHeader(w, $"{l.Name} on {isa.Name} ({what}): each output channel's {tiles}" + (hoist ? ", its weights held in registers." : "."));
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
                BiasAndWeights(w, isa, hoist ? cpg * taps : 0);
                int whole = l.Out.Height - l.Out.Height % rows;
                if (whole == rows && rows > 1)
                {
                    using (w.Block($"// rows 0 to {Int(rows - 1)} in one tile"))
                    {
                        w.Line("int oy = 0;");
                        RowPointers(w, step);
                        Rows(w, step, isa, tileVectors, rows, hoist, RowLanes(l, isa, 0));
                    }
                }
                else if (whole > 0)
                {
                    using (w.Block(rows == 1 ? $"for (int oy = 0; oy < {Int(whole)}; oy++)" : $"for (int oy = 0; oy < {Int(whole)}; oy += {Int(rows)})"))
                    {
                        RowPointers(w, step);
                        Rows(w, step, isa, tileVectors, rows, hoist, whole == rows ? RowLanes(l, isa, 0) : null);
                    }
                }
                if (whole < l.Out.Height)
                {
                    using (w.Block($"// the last {(l.Out.Height - whole == 1 ? "row" : Int(l.Out.Height - whole) + " rows")}"))
                    {
                        w.Line($"int oy = {Int(whole)};");
                        RowPointers(w, step);
                        Rows(w, step, isa, tileVectors, l.Out.Height - whole, hoist, RowLanes(l, isa, whole));
                    }
                }
            }
        }
    }

    /// <summary>Vectors that cover one output row (the last one shifted left to end on the row's last column).</summary>
    private static int ColumnVectors(LayerPlan l, Isa isa) => (l.Out.Width + isa.Width - 1) / isa.Width;

    /// <summary>
    /// Output rows per register tile: one when a row fills a tile, else as many rows as fit (a narrow map's single
    /// vector per row would otherwise be one dependent chain of FMAs; several rows give independent chains).
    /// </summary>
    private static int RowsPerTile(LayerPlan l, Isa isa)
    {
        if (isa.RowPairs)
        {
            return Math.Min(l.Out.Height, 2 * MaxTileVectors);
        }
        int vectors = ColumnVectors(l, isa);
        if (isa != Avx512)
        {
            return Math.Max(1, Math.Min(l.Out.Height, MaxTileVectors / vectors));
        }
        // AVX-512: about RowTileAccumulators accumulators (rounded to whole rows, at most 16), within SharedRowsFmaBudget.
        int taps = ChannelsPerGroup(l) * l.KernelWidth * l.KernelHeight;
        int rows = Math.Max(1, (RowTileAccumulators + vectors / 2) / vectors);
        while (rows > 1 && ((long)rows * vectors > 16 || (long)rows * vectors * taps > SharedRowsFmaBudget))
        {
            rows--;
        }
        return Math.Min(l.Out.Height, rows);
    }

    /// <summary><c>inputRow</c> and <c>outputRow</c>: where output row <c>oy</c> of filter <c>f</c> reads and writes.</summary>
    private static void RowPointers(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        w.Line($"ref float inputRow = ref {Aliases.Unsafe}.Add(ref channels, oy * {Int((long)l.StrideY * step.Source.RowStride)});");
        w.Line($"ref float outputRow = ref {Aliases.Unsafe}.Add(ref output, f * {Int(step.Destination.PlaneStride)} + oy * {Int(step.Destination.RowStride)});");
    }

    /// <summary>
    /// <paramref name="rows"/> output rows from <c>oy</c> on: several rows in one tile when they fit (see
    /// <see cref="RowsPerTile"/>), else one row's tiles.
    /// </summary>
    private static void Rows(SourceWriter w, Step step, Isa isa, int tileVectors, int rows, bool hoist, Lanes? lanes)
    {
        if (rows == 1)
        {
            Row(w, step, isa, tileVectors, hoist, step.Layer.Out.Width, lanes);
            return;
        }
        LayerPlan l = step.Layer;
        var tile = new List<Position>();
        for (int r = 0; r < rows; r += isa.RowPairs ? 2 : 1)
        {
            for (int v = 0; v < ColumnVectors(l, isa); v++)
            {
                tile.Add(new Position(Int(Math.Min(v * isa.Width, l.Out.Width - isa.Width)), r));
            }
        }
        Tile(w, step, isa, tile, hoist, lanes);
    }

    /// <summary>An accumulator's place: the output column (a constant, <c>column</c> or <c>column + n</c>) in row <c>oy + Row</c>.</summary>
    private readonly record struct Position(string Column, int Row);

    /// <summary>The outputs (y, x) an accumulator at a place computes and keeps, or null when only known at run time (a loop).</summary>
    private delegate List<(int Y, int X)>? Lanes(Position place);

    /// <summary>The row kernel's outputs in a tile whose first row <c>oy</c> is <paramref name="oy"/>: a vector's columns of its row (two rows for row pairs).</summary>
    private static Lanes RowLanes(LayerPlan l, Isa isa, int oy) => place =>
    {
        if (!int.TryParse(place.Column, out int column))
        {
            return null;
        }
        var outputs = new List<(int Y, int X)>();
        for (int r = 0; r < (isa.RowPairs ? 2 : 1); r++)
        {
            for (int x = column; x < Math.Min(column + isa.Width, l.Out.Width); x++)
            {
                outputs.Add((oy + place.Row + r, x));
            }
        }
        return outputs;
    };

    /// <summary>
    /// The flattened and phase kernels' outputs: a vector's numbers <c>y · <paramref name="rowStride"/> + x</c>, of which
    /// those with <c>x</c> inside the output width are kept (the others are computed and dropped).
    /// </summary>
    private static Lanes NumberedLanes(LayerPlan l, Isa isa, int rowStride) => place =>
    {
        if (!int.TryParse(place.Column, out int first))
        {
            return null;
        }
        var outputs = new List<(int Y, int X)>();
        for (int n = first; n < first + isa.Width; n++)
        {
            if (n % rowStride < l.Out.Width && n / rowStride < l.Out.Height)
            {
                outputs.Add((n / rowStride, n % rowStride));
            }
        }
        return outputs;
    };

    /// <summary>
    /// <paramref name="starts"/> with null for the accumulators whose kept outputs all read padding (zeros) at tap
    /// (<paramref name="ky"/>, <paramref name="kx"/>): they skip that tap.
    /// </summary>
    private static List<string?> Reading(LayerPlan l, List<string?> starts, List<Position> places, Lanes? lanes, int ky, int kx)
    {
        var reading = new List<string?>(starts);
        for (int v = 0; v < places.Count && lanes is not null; v++)
        {
            List<(int Y, int X)>? outputs = lanes(places[v]);
            if (outputs is not null && !outputs.Exists(o => InsideInput(l, o.Y * l.StrideY + ky * l.DilationY - l.PadTop, o.X * l.StrideX + kx * l.DilationX - l.PadLeft)))
            {
                reading[v] = null;
            }
        }
        return reading;
    }

    /// <summary>Whether input row <paramref name="y"/>, column <paramref name="x"/> is data rather than padding.</summary>
    private static bool InsideInput(LayerPlan l, int y, int x) => y >= 0 && y < l.In.Height && x >= 0 && x < l.In.Width;

    /// <summary>
    /// One output row: tiles of whole vectors (a loop when there are several), then the rest, the very
    /// last vector shifted left to end on the row's last column (it recomputes a few columns identically).
    /// </summary>
    /// <param name="columns">The row's length: the output width, or a channel's numbered outputs for <see cref="Flat"/>.</param>
    /// <param name="lanes">The outputs each accumulator computes, when known (taps that read only padding are skipped).</param>
    private static void Row(SourceWriter w, Step step, Isa isa, int tileVectors, bool hoist, int columns, Lanes? lanes)
    {
        int width = isa.Width;
        int columnVectors = (columns + width - 1) / width;
        int fullTiles = columns / width / tileVectors;
        if (fullTiles > 1)
        {
            using (w.Block($"for (int column = 0; column < {Int(fullTiles * tileVectors * width)}; column += {Int(tileVectors * width)})"))
            {
                var tile = new List<Position>();
                for (int v = 0; v < tileVectors; v++)
                {
                    tile.Add(new Position(v == 0 ? "column" : $"column + {Int(v * width)}", 0));
                }
                Tile(w, step, isa, tile, hoist, null);
            }
        }
        else if (fullTiles == 1)
        {
            var tile = new List<Position>();
            for (int v = 0; v < tileVectors; v++)
            {
                tile.Add(new Position(Int(v * width), 0));
            }
            Tile(w, step, isa, tile, hoist, lanes);
        }
        var rest = new List<Position>();
        for (int v = fullTiles * tileVectors; v < columnVectors; v++)
        {
            rest.Add(new Position(Int(Math.Min(v * width, columns - width)), 0));
        }
        for (int first = 0; first < rest.Count; first += tileVectors)
        {
            Tile(w, step, isa, rest.GetRange(first, Math.Min(tileVectors, rest.Count - first)), hoist, lanes);
        }
    }

    /// <summary>
    /// One register tile: accumulators start at the bias, take every channel of the group and every tap, then store. When
    /// the generator knows which outputs an accumulator computes (<paramref name="lanes"/>), it leaves out the taps that
    /// read only padding for all of them: a 5×5 filter on a 2×2 map reads data at 9 of its 25 taps, on a 4×4 map at 70 of
    /// 100 (per row). Measured against ONNX Runtime as for <see cref="Stride2RowsApply"/> (load 20–60): 5×5 on 2×2×576 +
    /// hard swish (MobileNetV3-Small at 64×64, features.10) 0.81× → 1.87×, on 2×2×1152 (EfficientNet-B0 features.6.1,
    /// without its SiLU) 0.63× → 1.31×, on 4×4×240 + hard swish 0.85× → 1.11–1.26×, on 4×4×672 0.65× → 0.87–0.92×.
    /// </summary>
    private static void Tile(SourceWriter w, Step step, Isa isa, List<Position> columns, bool hoist, Lanes? lanes)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source;
        int cpg = ChannelsPerGroup(l);
        int taps = l.KernelWidth * l.KernelHeight;
        bool rows = isa.RowPairs || columns.Exists(p => p.Row > 0);
        string comment = rows
            ? $"// output rows oy to oy + {Int(columns[columns.Count - 1].Row + (isa.RowPairs ? 1 : 0))}, columns {string.Join(", ", columns.FindAll(p => p.Row == 0).ConvertAll(p => p.Column))} (+ vector width)"
            : $"// output columns {string.Join(", ", columns.ConvertAll(p => p.Column))} (+ vector width)";
        using (w.Block(comment))
        {
            for (int v = 0; v < columns.Count; v++)
            {
                w.Line($"{isa.Type} acc{v} = b;");
            }
            // The input column of output column c is c · stride, its row (oy + r) · stride; tap (ky, kx) adds ky·dilation rows and kx·dilation columns.
            var starts = columns.ConvertAll(p => (string?)Plus(l.StrideX == 1 ? p.Column : Scaled(p.Column, l.StrideX), (long)p.Row * l.StrideY * src.RowStride));
            bool unrollAll = (long)cpg * taps * columns.Count <= (columns.Exists(p => p.Row > 0) ? SharedRowsFmaBudget : FmaBudget);
            if (unrollAll && !isa.RowPairs && columns.Exists(p => p.Row > 0))
            {
                SharedRowTaps(w, step, isa, columns, starts, hoist, lanes);
            }
            else if (unrollAll)
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
                            Tap(w, isa, l.StrideX, "inputRow", Reading(l, starts, columns, lanes, ky, kx), offset, weight, hoist, PairStride(l, isa, src));
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
                            Tap(w, isa, l.StrideX, "channel", Reading(l, starts, columns, lanes, ky, kx), offset, weight, hoisted: false, PairStride(l, isa, src));
                        }
                    }
                }
            }
            var api = new VectorApi(isa.Type, isa.Static);
            for (int v = 0; v < columns.Count; v++)
            {
                string at = Plus(columns[v].Column, (long)columns[v].Row * step.Destination.RowStride);
                string value = Epilogue.Vector(step.Epilogue, $"acc{v}", api, Channel);
                w.Line(isa.RowPairs
                    ? $"{Aliases.Kernels}StoreRowPairs({value}, ref outputRow, (nuint)({at}), {Int(step.Destination.RowStride)});"
                    : $"{isa.Static}.StoreUnsafe({value}, ref outputRow, (nuint)({at}));");
            }
        }
    }

    /// <summary>
    /// The taps of a tile of several output rows, each input vector loaded once for all of them: output row <c>oy + r</c>
    /// reads input row <c>(oy + r) · strideY + ky · dilationY</c>, so rows of a tile read the same input rows at different
    /// <c>ky</c> (a 7×7 filter's two output rows read 8 input rows, not 14). Per input row, filter column and tile column:
    /// one load (or even-column load at stride 2), then one FMA for every accumulator that reads it, with that row's
    /// weight. A tile of two rows of four vectors of 16 (ConvNeXt's 7×7 on 56×56) loads 4 vectors and broadcasts 2
    /// weights per 8 FMAs instead of 4 and 1 per 4.
    /// </summary>
    private static void SharedRowTaps(SourceWriter w, Step step, Isa isa, List<Position> places, List<string?> starts, bool hoist, Lanes? lanes)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source;
        int cpg = ChannelsPerGroup(l);
        var columns = new List<string>();
        foreach (Position p in places)
        {
            if (!columns.Contains(p.Column))
            {
                columns.Add(p.Column);
            }
        }
        // Input rows relative to oy · strideY: every (row of the tile, ky) pair's offset, ascending.
        var inputRows = new SortedDictionary<long, List<(int Row, int Ky)>>();
        foreach (int r in new SortedSet<int>(places.ConvertAll(p => p.Row)))
        {
            for (int ky = 0; ky < l.KernelHeight; ky++)
            {
                long d = (long)r * l.StrideY + (long)ky * l.DilationY;
                if (!inputRows.TryGetValue(d, out var readers))
                {
                    inputRows[d] = readers = new List<(int, int)>();
                }
                readers.Add((r, ky));
            }
        }
        w.Line($"{isa.Type} x;");
        for (int k = 0; k < cpg; k++)
        {
            foreach (KeyValuePair<long, List<(int Row, int Ky)>> row in inputRows)
            {
                long d = row.Key;
                List<(int Row, int Ky)> readers = row.Value;
                for (int kx = 0; kx < l.KernelWidth; kx++)
                {
                    var reading = new Dictionary<int, List<string?>>();
                    foreach (var (_, ky) in readers)
                    {
                        reading[ky] = Reading(l, starts, places, lanes, ky, kx);
                    }
                    foreach (string column in columns)
                    {
                        var fmas = new List<(int Acc, int Index)>();
                        foreach (var (r, ky) in readers)
                        {
                            int v = places.FindIndex(p => p.Column == column && p.Row == r);
                            if (v >= 0 && reading[ky][v] is not null)
                            {
                                fmas.Add((v, (k * l.KernelHeight + ky) * l.KernelWidth + kx));
                            }
                        }
                        if (fmas.Count == 0)
                        {
                            continue; // every reader's outputs read only padding here
                        }
                        long offset = (long)k * src.PlaneStride + d * src.RowStride + (long)kx * l.DilationX;
                        string start = l.StrideX == 1 ? column : Scaled(column, l.StrideX);
                        string at = offset == 0 ? start : $"{start} + {Int(offset)}";
                        w.Line($"x = {(l.StrideX == 1 ? $"{isa.Static}.LoadUnsafe(ref inputRow, (nuint)({at}))" : EvenLoad(isa, "inputRow", at))};");
                        foreach (var (acc, index) in fmas)
                        {
                            string weight = hoist ? $"w{index}" : $"{isa.Static}.Create({Aliases.Unsafe}.Add(ref filter, {Int(index)}))";
                            w.Line($"acc{acc} = {isa.Fma}(x, {weight}, acc{acc});");
                        }
                    }
                }
            }
        }
    }

    /// <summary>How far apart a row-pair vector's two input rows are; 0 for the other kernels.</summary>
    private static long PairStride(LayerPlan l, Isa isa, Region src) => isa.RowPairs ? (long)l.StrideY * src.RowStride : 0;

    /// <summary><paramref name="offset"/> + <paramref name="add"/>, folded when the offset is a constant.</summary>
    private static string Plus(string offset, long add) =>
        add == 0 ? offset : int.TryParse(offset, out int constant) ? Int(constant + add) : $"{offset} + {Int(add)}";

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
    /// <param name="pairStride">For row-pair vectors, how far the second row's input is from the first's.</param>
    private static void Tap(SourceWriter w, Isa isa, int stride, string row, List<string?> starts, long offset, string weight, bool hoisted, long pairStride)
    {
        if (starts.TrueForAll(start => start is null))
        {
            return; // every accumulator's outputs read only padding here
        }
        void Fmas(string weightVector)
        {
            for (int v = 0; v < starts.Count; v++)
            {
                if (starts[v] is not string start)
                {
                    continue;
                }
                string at = offset == 0 ? start : $"{start} + {Int(offset)}";
                string x = isa.RowPairs ? $"{Aliases.Kernels}{(stride == 1 ? "LoadRowPairs" : "LoadEvenRowPairs")}(ref {row}, (nuint)({at}), {Int(pairStride)})"
                    : stride == 1 ? $"{isa.Static}.LoadUnsafe(ref {row}, (nuint)({at}))" : EvenLoad(isa, row, at);
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
        if (isa == Portable)
        {
            return $"{Aliases.Kernels}LoadEvenColumns(ref {row}, (nuint)({at}))";
        }
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
                        w.Line($"{Aliases.Unsafe}.Add(ref row, ox) = " + Store(step, "sum", Channel.Channel) + ";");
                    }
                }
            }
        }
    }
}
