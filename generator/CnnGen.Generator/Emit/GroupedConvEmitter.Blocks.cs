using System;
using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

internal static partial class GroupedConvEmitter
{
    /// <summary>Accumulators of one <see cref="Blocks"/> tile: output pixels of 16 channels each.</summary>
    private const int BlockAccumulators = 12;

    /// <summary>Most FMAs <see cref="Blocks"/> unrolls for a block of 16 channels; more run their output rows in loops.</summary>
    private const int BlocksUnrollBudget = 800;

    /// <summary>
    /// Most pixels of the stack tile (<see cref="Blocks"/>): 16 channels of a padded plane, 32 KB (a 16×16 map padded by 2
    /// is 400); the outputs' buffer is at most as large.
    /// </summary>
    private const int MaxBlockPixels = 512;

    /// <summary>
    /// Whether the layer takes the channel-block kernel on AVX-512 (<see cref="Blocks"/>): a depthwise conv with 16 or more
    /// channels, stride 1 or 2 both ways, undilated, without a per-channel epilogue (PRelu), reading its input from a
    /// bordered buffer with its padding (or unpadded), whose 16 channels' padded planes fit <see cref="MaxBlockPixels"/>, and
    /// writing dense output planes; and only where it measured faster than the row, flattened, phase and stride-2 row
    /// kernels: 5×5 filters at stride 2 from maps at most 16 wide and at stride 1 onto maps at most 8 wide, 3×3 filters onto
    /// maps at most 4 wide. Each tap is one aligned load and one FMA over 16 channels whatever the map's width, where the
    /// kernels along the width fill few lanes of a 2-, 4- or 7-wide row and need permutes or phase splits at stride 2; the
    /// transposes cost about 4 shuffles a value each way, which larger maps with their longer rows do not repay.
    /// <para>
    /// Measured against ONNX Runtime in one process (a throwaway harness alternating the two, best 200 µs batch over 150 ms,
    /// Zen 5 AVX-512, machine loaded at 20–27; before → channel blocks): EfficientNet-B0@64 5×5/2 on 4×4×672 + SiLU 0.64× →
    /// 1.90–1.97×, MobileNetV3-Small@64 5×5/2 on 4×4×288 + hard swish 0.90× → 3.0–3.2×, 5×5 on 4×4×672 + SiLU 0.94× →
    /// 1.75×, on 4×4×480 1.06× → 1.82–1.92×, on 4×4×120–240 + hard swish 1.19–1.82× → 2.97–3.89×, 5×5/2 on 8×8×96 1.36× →
    /// 2.51×, 5×5/2 on 16×16×144 + SiLU 0.78× → 1.07–1.23×, 5×5 on 8×8×240 + SiLU 0.88× → 1.11–1.35×, 3×3/2 on 8×8×240
    /// 1.07× → 1.33×, 3×3 on 4×4×480 1.51× → 1.66–1.82×, EfficientNet-B0@224 5×5/2 on 14×14×672 + SiLU 0.81× → 1.02–1.17×,
    /// 5×5 on 7×7×1152 + SiLU 0.87× → 1.09–1.28×, MobileNetV3-Small@224 5×5/2 on 14×14×288 1.10× → 1.41–1.48×, 5×5 on
    /// 7×7×576 1.09× → 1.34×; onto 3×3 maps (9 outputs, whose transpose back stores them one by one), where the other
    /// kernels fell back to scalar code: MobileNetV3-Large@96's 5×5 on 3×3×960 + hard swish 0.19× → 1.58×, 5×5/2 from
    /// 6×6×672 0.26× → 1.50×. Kept on the other kernels (they were faster): 5×5 at stride 1 on 14×14 (240 channels + hard
    /// swish 1.41× → 1.02×, 480 + SiLU 1.04× → 0.98×), maps of 28×28 (3×3 on 88 channels 2.30× → 1.00×, 5×5/2 on 96
    /// 0.91× → 0.80×, 3×3/2 on 240 0.95× → 0.85×), 3×3/2 on 16×16×72 (2.02× → 1.38–1.72×), 3×3 on 8×8×88 (2.47× →
    /// 2.03–2.23×); 5×5 at stride 1 on 28×28×240 unrolled past the JIT's limits ran at a fifth of the speed.
    /// </para>
    /// </summary>
    public static bool BlocksApply(Step step)
    {
        LayerPlan l = step.Layer;
        if (l.Kind != LayerKind.Conv || l.Groups != l.In.Depth || l.Out.Depth != l.In.Depth || l.In.Depth < 16
            || !(BlockShape(l) || (NoRowKernel(l) && BandRowFmas(l) <= BlocksUnrollBudget)))
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
        int origin = BlockOrigin(step);
        if (origin < 0 || origin != l.PadTop * src.RowStride + l.PadLeft
            || src.RowStride < BlockColumns(l)
            || src.PlaneStride < BlockRows(l) * (long)src.RowStride
            || BlockCount(step) < 16 || BlockPixels(step) > MaxBlockPixels)
        {
            return false;
        }
        int outputs = l.Out.Width * l.Out.Height;
        return (dst.RowStride == l.Out.Width && dst.PlaneStride == outputs) || NoRowKernel(l); // else row by row into a bordered buffer
    }

    /// <summary>Where the input's pixel (0, 0) is from the kernel's <c>input</c>: its bordered buffer's origin, 0 when unbordered and unpadded, −1 otherwise.</summary>
    private static int BlockOrigin(Step step)
    {
        LayerPlan l = step.Layer;
        if (step.Padded is not null)
        {
            return step.Source.Origin;
        }
        return l.PadTop == 0 && l.PadLeft == 0 ? 0 : -1;
    }

    /// <summary>
    /// The filters and maps <see cref="Blocks"/> was measured faster on than the kernels along the width (see
    /// <see cref="BlocksApply"/>): square 5×5 and 3×3 filters at stride 1 or 2 both ways, undilated, on small maps.
    /// </summary>
    private static bool BlockShape(LayerPlan l) =>
        l.StrideX == l.StrideY && l.StrideX is 1 or 2 && l.DilationX == 1 && l.DilationY == 1 && l.KernelWidth == l.KernelHeight
        && (l.KernelWidth == 5 ? (l.StrideX == 2 ? l.In.Width <= 16 : l.Out.Width <= 8) : l.KernelWidth == 3 && l.Out.Width <= 4);

    /// <summary>
    /// Whether no kernel along the output width vectorizes the layer: strides of 3 and more across (the row kernel reads
    /// stride-1 and stride-2 columns only), or output rows under 4 wide (narrower than a 128-bit vector) other than the
    /// 2-wide maps of an even height that the row-pair kernel takes. Such depthwise convs take the channel blocks, any
    /// filter, stride and dilation (<see cref="Blocks"/>, <see cref="Bands"/>), where they fit; the others the phase planes
    /// (<see cref="Split"/>).
    /// </summary>
    /// <para>
    /// The channel blocks transpose every input pixel in and every output back, so they pay only where the taps outnumber
    /// the input pixels by a quarter or more: a 1×1/3 depthwise on 17×17×32 (36 outputs of one tap from 289 pixels) took
    /// 1.7 µs there and 0.8 µs on the scalar kernel; 3×3/4 on 9×9×64 (81 taps a channel, 121 pixels padded) 3.1 µs either
    /// way (ONNX Runtime 3.6–4.3); 3×3/4 on 35×35×64 (729, 1225) 37 → 17 µs (ONNX Runtime 14); 3×3/3 on 56×56×127
    /// (3249, 3136) 176 → 112 µs (ONNX Runtime 200–212). Throwaway probe against ONNX Runtime in one process (thread CPU
    /// time, best of 6 rounds, AVX-512, load 10–28).
    /// </para>
    private static bool NoRowKernel(LayerPlan l) =>
        (l.StrideX > 2 || (l.Out.Width < 4 && !(l.StrideX is 1 or 2 && l.Out.Width == 2 && l.Out.Height % 2 == 0)))
        && 4L * l.KernelWidth * l.KernelHeight * l.Out.Width * l.Out.Height >= (long)l.In.Width * l.In.Height;

    /// <summary>Input rows the outputs read (the padded plane's, from its top).</summary>
    private static int BlockRows(LayerPlan l) => (l.Out.Height - 1) * l.StrideY + (l.KernelHeight - 1) * l.DilationY + 1;

    /// <summary>Input columns the outputs read (the padded row's, from its left).</summary>
    private static int BlockColumns(LayerPlan l) => (l.Out.Width - 1) * l.StrideX + (l.KernelWidth - 1) * l.DilationX + 1;

    /// <summary>Pixels of each channel that <c>ChannelBlocks.ToPixels</c> moves: its interior rows and the borders between them, as one run.</summary>
    /// <remarks>
    /// At least 16 (what <c>ToPixels</c> moves at once) when the channel's plane holds them from the origin on: a 3×3 map
    /// padded to 5×7 moves 16 pixels from its first interior one, the rest of them border zeros, laid out as in the buffer.
    /// </remarks>
    private static int BlockCount(Step step)
    {
        int count = (step.Layer.In.Height - 1) * step.Source.RowStride + step.Layer.In.Width;
        return count < 16 && step.Padded is not null && BlockOrigin(step) + 16L <= step.Source.PlaneStride ? 16 : count;
    }

    /// <summary>Pixels of the stack tile: every position a tap reads and every one moved in.</summary>
    private static int BlockPixels(Step step) =>
        Math.Max(BlockRows(step.Layer) * step.Source.RowStride, Math.Max(0, BlockOrigin(step)) + BlockCount(step));

    /// <summary>
    /// The channel-block kernel (AVX-512, and AVX2 as two halves of 8 channels): per block of 16 channels, their input planes are transposed onto the stack as
    /// one vector of 16 channels a pixel (<c>CnnGen.ChannelBlocks.ToPixels</c>, into a tile laid out as the bordered
    /// buffer, its border zero), so each tap of an output pixel is one aligned load and one FMA with the tap's 16 weights
    /// (repacked at construction as panels <c>[channels/16][kh][kw][16]</c>, <see cref="WeightPanels"/>); tiles of up to
    /// <see cref="BlockAccumulators"/> output pixels, taps that read only padding left out; the results go through the
    /// epilogue into a stack buffer transposed back into the output planes (<c>ChannelBlocks.ToChannels</c>).
    /// </summary>
    private static void Blocks(SourceWriter w, Step step, Isa isa)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int rs = src.RowStride, sx = l.StrideX, sy = l.StrideY, dx = l.DilationX, dy = l.DilationY, kw = l.KernelWidth, kh = l.KernelHeight, taps = kw * kh;
        int ow = l.Out.Width, oh = l.Out.Height, outputs = ow * oh;
        int origin = BlockOrigin(step), count = BlockCount(step), blocks = (l.Out.Depth + 15) / 16, last = l.Out.Depth - 16 * (blocks - 1);
        PanelLayout layout = PanelLayout.Of(step);
        bool RowValid(int oy, int ky) => oy * sy + ky * dy >= l.PadTop && oy * sy + ky * dy < l.PadTop + l.In.Height;
        bool ColumnValid(int ox, int kx) => ox * sx + kx * dx >= l.PadLeft && ox * sx + kx * dx < l.PadLeft + l.In.Width;
        int fmas = 0;
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                for (int k = 0; k < taps; k++)
                {
                    fmas += RowValid(oy, k / kw) && ColumnValid(ox, k % kw) ? 1 : 0;
                }
            }
        }
        bool unroll = fmas <= BlocksUnrollBudget;
        KernelHeader(w, $"{l.Name} on {isa.Name} (depthwise, 16 channels a vector): each block of 16 channels transposed onto the stack as a vector a pixel (the bordered plane, {Int(rs)} wide), {Int(fmas)} FMAs of a tap's 16 weights, {(unroll ? "unrolled" : "output rows in loops")}, the results transposed back into the output planes.");
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"// The panels [{Int(layout.Panels)}][{Int(kh)}][{Int(kw)}][16], then the biases, padded to whole panels (PackWeights).");
            w.Line($"ref float panels = ref {Aliases.Unsafe}.Add(ref weights, {WeightPanels.Constant(l)} - {l.Name}Parameters);");
            w.Line($"global::System.Span<float> pixels = stackalloc float[{Int(BlockPixels(step) * 16)}];");
            w.Line("pixels.Clear(); // the border (the moved pixels overwrite the rest)");
            w.Line("ref float tile = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(pixels);");
            w.Line($"global::System.Span<float> computed = stackalloc float[{Int((outputs + 16) * 16)}];"); // ToChannels reads 16 pixels' vectors from a row's first
            w.Line("ref float results = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(computed);");
            using (w.Block($"for (int block = 0; block < {Int(blocks)}; block++)"))
            {
                string lanes = last == 16 ? "16" : $"block == {Int(blocks - 1)} ? {Int(last)} : 16";
                w.Line($"int lanes = {lanes};");
                w.Line($"global::CnnGen.ChannelBlocks.ToPixels(ref {Aliases.Unsafe}.Add(ref input, {Int(origin)} + block * {Int(16L * src.PlaneStride)}), {Int(src.PlaneStride)}, lanes, {Int(count)}, ref {Aliases.Unsafe}.Add(ref tile, {Int(origin * 16)}));");
                bool halves = isa.Width == 8;
                SourceWriter.BlockHandle? halfLoop = null;
                if (halves)
                {
                    // AVX2: the 16 channels of each pixel's vector as two halves of 8, one pass each (12 accumulators of 16
                    // registers); the tile, panels and results keep the 16-channel layout.
                    halfLoop = w.Block("for (int half = 0; half < 16; half += 8)");
                    w.Line($"ref float filter = ref {Aliases.Unsafe}.Add(ref panels, block * {Int(taps * 16)} + half);");
                    w.Line($"ref float tileHalf = ref {Aliases.Unsafe}.Add(ref tile, half);");
                    w.Line($"ref float resultsHalf = ref {Aliases.Unsafe}.Add(ref results, half);");
                    w.Line($"{isa.Type} b = {isa.Static}.LoadUnsafe(ref panels, (nuint)({Int(layout.BiasAt)} + block * 16 + half));");
                }
                else
                {
                    w.Line($"ref float filter = ref {Aliases.Unsafe}.Add(ref panels, block * {Int(taps * 16)});");
                    w.Line($"{isa.Type} b = {isa.Static}.LoadUnsafe(ref panels, (nuint)({Int(layout.BiasAt)} + block * 16));");
                }
                string tileRef = halves ? "tileHalf" : "tile", resultsRef = halves ? "resultsHalf" : "results";
                var api = new VectorApi(isa.Type, isa.Static);
                void EmitTile(List<(int Oy, int Ox)> tile, string tileRow, string resultRow, int rowOf)
                {
                    using (w.Block($"// outputs {string.Join(", ", tile.ConvertAll(o => $"({Int(o.Oy + rowOf)}, {Int(o.Ox)})"))}"))
                    {
                        for (int i = 0; i < tile.Count; i++)
                        {
                            w.Line($"{isa.Type} acc{i} = b;");
                        }
                        for (int k = 0; k < taps; k++)
                        {
                            int ky = k / kw, kx = k % kw;
                            var reading = tile.FindAll(o => RowValid(o.Oy + rowOf, ky) && ColumnValid(o.Ox, kx));
                            if (reading.Count == 0)
                            {
                                continue; // only padding under this tap
                            }
                            w.Line($"{isa.Type} w{k} = {isa.Static}.LoadUnsafe(ref filter, (nuint){Int(k * 16)});");
                            for (int i = 0; i < tile.Count; i++)
                            {
                                (int oy, int ox) = tile[i];
                                if (RowValid(oy + rowOf, ky) && ColumnValid(ox, kx))
                                {
                                    long at = 16L * ((oy * sy + ky * dy) * (long)rs + ox * sx + kx * dx);
                                    w.Line($"acc{i} = {isa.Fma}({isa.Static}.LoadUnsafe(ref {tileRow}, (nuint){Int(at)}), w{k}, acc{i});");
                                }
                            }
                        }
                        for (int i = 0; i < tile.Count; i++)
                        {
                            (int oy, int ox) = tile[i];
                            w.Line($"{isa.Static}.StoreUnsafe({Epilogue.Vector(step.Epilogue, $"acc{i}", api)}, ref {resultRow}, (nuint){Int(16 * (oy * ow + ox))});");
                        }
                    }
                }
                if (unroll)
                {
                    var all = new List<(int, int)>();
                    for (int oy = 0; oy < oh; oy++)
                    {
                        for (int ox = 0; ox < ow; ox++)
                        {
                            all.Add((oy, ox));
                        }
                    }
                    foreach (var tile in Balanced(all, BlockAccumulators))
                    {
                        EmitTile(tile, tileRef, resultsRef, 0);
                    }
                }
                else
                {
                    var row = new List<(int, int)>();
                    for (int ox = 0; ox < ow; ox++)
                    {
                        row.Add((0, ox));
                    }
                    List<List<(int, int)>> rowTiles = Balanced(row, BlockAccumulators);
                    for (int oy = 0; oy < oh;)
                    {
                        int end = oy + 1; // rows with the same valid kernel rows share one loop
                        while (end < oh && SameRows(oy, end))
                        {
                            end++;
                        }
                        string header = end - oy == 1 ? $"// output row {Int(oy)}" : $"for (int oy = {Int(oy)}; oy < {Int(end)}; oy++)";
                        using (w.Block(header))
                        {
                            string y = end - oy == 1 ? Int(oy) : "oy";
                            w.Line($"ref float tileRow = ref {Aliases.Unsafe}.Add(ref {tileRef}, {y} * {Int(16L * sy * rs)});");
                            w.Line($"ref float resultRow = ref {Aliases.Unsafe}.Add(ref {resultsRef}, {y} * {Int(16 * ow)});");
                            foreach (var tile in rowTiles)
                            {
                                EmitTile(tile, "tileRow", "resultRow", oy);
                            }
                        }
                        oy = end;
                    }
                }
                halfLoop?.Dispose();
                if (dst.RowStride == ow && dst.PlaneStride == outputs)
                {
                    w.Line($"global::CnnGen.ChannelBlocks.ToChannels(ref results, {Int(outputs)}, lanes, ref {Aliases.Unsafe}.Add(ref output, block * {Int(16L * dst.PlaneStride)}), {Int(dst.PlaneStride)});");
                }
                else
                {
                    using (w.Block($"for (int y = 0; y < {Int(oh)}; y++) // into the next layer's bordered buffer, a row at a time"))
                    {
                        w.Line($"global::CnnGen.ChannelBlocks.ToChannels(ref {Aliases.Unsafe}.Add(ref results, y * {Int(16 * ow)}), {Int(ow)}, lanes, ref {Aliases.Unsafe}.Add(ref output, block * {Int(16L * dst.PlaneStride)} + y * {Int(dst.RowStride)}), {Int(dst.PlaneStride)});");
                    }
                }
            }
        }

        bool SameRows(int a, int b)
        {
            for (int ky = 0; ky < kh; ky++)
            {
                if (RowValid(a, ky) != RowValid(b, ky))
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary><paramref name="items"/> in consecutive tiles of at most <paramref name="most"/>, as even as they come.</summary>
    private static List<List<T>> Balanced<T>(List<T> items, int most)
    {
        int tiles = (items.Count + most - 1) / most;
        var result = new List<List<T>>();
        for (int t = 0, start = 0; t < tiles; t++)
        {
            int size = (items.Count - start + tiles - t - 1) / (tiles - t);
            result.Add(items.GetRange(start, size));
            start += size;
        }
        return result;
    }
}
