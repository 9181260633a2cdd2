using System;
using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using Unroll = CnnGen.Generator.Emit.ConvEmitter.Unroll;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// A convolution with <b>output channels</b> in the vector, for small output maps with many channels (the late
/// layers of ResNet, SqueezeNet, AlexNet and MobileNetV2), where a vector of output columns would be mostly empty.
/// A vector holds 16 (AVX-512), 8 (AVX2) or 4 (<c>Vector128</c>) consecutive output channels; the weights are
/// repacked once at construction into panels <c>[filters/16][channels][kh][kw][16]</c> (<see cref="WeightPanels"/>).
/// The register tile is <c>pixels × vectors</c> accumulators: per tap, one weight load per vector and one broadcast
/// input per pixel (every input is a plain read at a constant offset: padded layers read a zero-bordered buffer),
/// the input channels streamed in a loop. Bias and the fused epilogue are applied per vector; the tile then goes
/// through a small stack buffer to the C,H,W output, one scalar store per output value (against
/// <c>channels · kh · kw</c> multiply-adds for it). Strided convs on larger planes take the same idea written once
/// in the runtime library with a loop over pixel tiles instead (<see cref="DirectConvEmitter"/>), since unrolling
/// this kernel over a 112×112 stem made the compiler use 23.8 GB.
/// </summary>
internal static class ChannelConvEmitter
{
    /// <summary>An instruction set: its vector width and registers, and how it spells the vector operations.</summary>
    private sealed record Isa(string Name, string Condition, int Width, int Registers, string Type, string Static, string Fma);

    private static readonly Isa[] Isas =
    {
        new("Avx512", $"{Aliases.Vector512}.IsHardwareAccelerated && {Aliases.Avx512F}.IsSupported", 16, 32,
            Aliases.Float16, Aliases.Vector512, $"{Aliases.Avx512F}.FusedMultiplyAdd"),
        new("Avx2", $"{Aliases.Fma}.IsSupported && {Aliases.Vector256}.IsHardwareAccelerated", 8, 16,
            Aliases.Float8, Aliases.Vector256, $"{Aliases.Fma}.MultiplyAdd"),
        // 16 registers: x64 without AVX-512 has no more (Arm64 has 32).
        new("Vector128", $"{Aliases.Vector128}.IsHardwareAccelerated", 4, 16,
            Aliases.Float4, Aliases.Vector128, Aliases.Kernels + "MultiplyAdd"),
    };

    /// <summary>Unrolled statements per method, as <c>ConvEmitter.MethodBudget</c> (far from the JIT's MinOpts limits).</summary>
    private const int MethodBudget = 1400;

    /// <summary>Output planes up to this many pixels (see <see cref="Applies"/>).</summary>
    private const int MaxPlane = 49;

    /// <summary>
    /// Whether the layer takes this kernel rather than the column-vectorized one (<see cref="ConvEmitter"/>): an
    /// ungrouped conv with at least 16 filters (a whole AVX-512 vector) whose output rows are under 8 wide and whose
    /// plane has at most <see cref="MaxPlane"/> pixels; except a 1×1 stride-1 conv over 16 or more pixels with fewer
    /// than 128 input channels, which the column kernel walks as one row of whole vectors while this kernel's
    /// per-output scatter would cost more than the few multiply-adds per output.
    /// <para>
    /// Measured on the layer matrix (AVX-512, 2 shared cores, load average 60–90, ratios vs ONNX Runtime in the same
    /// run, column kernel → this kernel): ResNet-18 <c>layer4.conv</c> 2×2×512 0.20× → 1.17×, <c>layer3.conv</c>
    /// 4×4×256 0.46× → 1.32×, <c>layer4.0.downsample</c> 0.28× → 1.93×; AlexNet <c>conv2</c> (5×5 onto 7×7)
    /// 0.59× → 1.36×, <c>conv3</c>–<c>conv5</c> (3×3 maps) 0.38–0.56× → 1.29–1.43×; MobileNetV2 1×1 on 2×2 maps
    /// 0.35–0.58× → 1.50–2.37×; SqueezeNet 3×3 maps 0.43–1.15× → 1.55–3.26×, <c>expand3x3</c> on 7×7 0.68× → 1.19×,
    /// <c>squeeze128to32</c> on 7×7 1.65× → 2.72×; VGG 4×4×512 1.34× → 1.25× (within the run-to-run noise, kept).
    /// The 1×1 layers that lost: <c>pw64to384</c> on 4×4 1.66× → 1.35×, <c>expand1x1 32to128</c> on 7×7 1.72× → 1.47×
    /// (the exception above); with ≥ 128 input channels they gained (<c>pw384to64</c> on 4×4 1.58× → 1.88×).
    /// </para>
    /// </summary>
    public static bool Applies(Step step) => AppliesTo(step.Layer) && PanelLayout.Of(step).Length <= int.MaxValue / 4;

    /// <summary><see cref="Applies"/> on the layer alone, before its step exists (the sizes of its panels aside).</summary>
    public static bool AppliesTo(LayerPlan l)
    {
        long plane = (long)l.Out.Width * l.Out.Height;
        bool pointwisePlane = l.KernelWidth == 1 && l.KernelHeight == 1 && l.StrideX == 1 && l.StrideY == 1 && plane >= 16;
        return l.Kind == LayerKind.Conv && l.Groups == 1
            && l.Out.Depth >= 16 && l.Out.Width < 8 && plane <= MaxPlane
            && !(pointwisePlane && l.In.Depth < 128);
    }

    public static void Emit(SourceWriter w, Step step)
    {
        var variants = new List<(string, string)>();
        foreach (Isa isa in Isas)
        {
            variants.Add((isa.Condition, isa.Name));
        }
        Dispatch(w, step, withWeights: true, variants, "Scalar");
        foreach (Isa isa in Isas)
        {
            w.Line();
            Vector(w, step, isa);
        }
        w.Line();
        ConvEmitter.Scalar(w, step, step.Method + "Scalar");
    }

    /// <summary>
    /// The shape of one kernel: <paramref name="Vectors"/> channel vectors per group (the loop over groups runs
    /// <paramref name="Groups"/> times, then one group of <paramref name="RestChannels"/> channels), the output
    /// pixels split into <paramref name="Tiles"/> (first pixel, count), and how far the taps unroll.
    /// </summary>
    private sealed record Plan(int Vectors, int Groups, int RestChannels, List<(int First, int Count)> Tiles, Unroll Unroll);

    /// <summary>Modelled cycles per tap of a tile: two FMAs and two loads per cycle, and the FMA latency (as ConvEmitter's model).</summary>
    private static double TapCost(int pixels, int vectors) => Math.Max(Math.Max(pixels * vectors / 2.0, (pixels + vectors) / 2.0), 6);

    /// <summary>The output pixels in <c>ceil(plane / most)</c> tiles of nearly equal size.</summary>
    internal static List<(int First, int Count)> PixelTiles(int plane, int most)
    {
        int count = (plane + most - 1) / most;
        var tiles = new List<(int, int)>();
        for (int t = 0, first = 0; t < count; t++)
        {
            int size = plane / count + (t < plane % count ? 1 : 0);
            tiles.Add((first, size));
            first += size;
        }
        return tiles;
    }

    /// <summary>Unrolled statements per tap: each tile's weight loads, broadcasts and FMAs, over the group loop's body and the last group.</summary>
    private static long PerTap(Plan plan, int width)
    {
        long sum = 0;
        foreach (int vectors in GroupVectors(plan, width))
        {
            foreach (var (_, count) in plan.Tiles)
            {
                sum += vectors + count + (long)count * vectors;
            }
        }
        return sum;
    }

    /// <summary>Statements of the stores: the epilogue and vector store of each accumulator, and each tile's scatter loop.</summary>
    private static long Stores(Plan plan, int width)
    {
        long sum = 0;
        foreach (int vectors in GroupVectors(plan, width))
        {
            foreach (var (_, count) in plan.Tiles)
            {
                sum += 2L * count * vectors + count + 4;
            }
        }
        return sum;
    }

    /// <summary>The vectors of each emitted group: the loop's body, then the last group.</summary>
    private static IEnumerable<int> GroupVectors(Plan plan, int width)
    {
        if (plan.Groups > 0)
        {
            yield return plan.Vectors;
        }
        if (plan.RestChannels > 0)
        {
            yield return (plan.RestChannels + width - 1) / width;
        }
    }

    /// <summary>
    /// Picks the tile, <c>pixels × vectors</c>, that fits the registers with the tile's weight vectors and one
    /// broadcast and costs the fewest modelled cycles for the whole layer; a group's vectors must start at a
    /// constant lane offset in its panel (<c>vectors · width</c> a multiple or a divisor of 16). Of tiles that cost the
    /// same, the one that splits the plane into fewer tiles: the model counts FMA cycles only, and a larger tile loads
    /// fewer weights per FMA and scatters in fewer, longer runs. On a 7×7 plane with two vectors that is 5 tiles of
    /// 9–10 pixels instead of 7 of 7 (measured, throwaway harness, AVX-512, one thread, load 30–40, µs, best of many
    /// runs: MobileNetV2 <c>features.18.0</c> 1×1 320 → 1280 on 7×7 166–171 → 159–164; 3×3/2 256 → 512 onto 7×7
    /// 430 either way; 7 × 3 and 6 × 4 tiles 164–167).
    /// </summary>
    private static Plan Choose(LayerPlan l, Isa isa)
    {
        int plane = l.Out.Width * l.Out.Height;
        int channelVectors = (l.Out.Depth + isa.Width - 1) / isa.Width;
        Plan? best = null;
        double bestCost = double.MaxValue;
        for (int vectors = 1; vectors <= Math.Min(channelVectors, 8); vectors++)
        {
            int span = vectors * isa.Width;
            if (span % PanelLayout.Width != 0 && PanelLayout.Width % span != 0)
            {
                continue;
            }
            for (int pixels = 1; pixels <= Math.Min(plane, 12); pixels++)
            {
                if (pixels * vectors + vectors + 1 > isa.Registers)
                {
                    continue;
                }
                var plan = new Plan(vectors, l.Out.Depth / span, l.Out.Depth % span, PixelTiles(plane, pixels), Unroll.Window);
                double cost = 0;
                foreach (var (_, count) in plan.Tiles)
                {
                    cost += plan.Groups * TapCost(count, vectors);
                    cost += plan.RestChannels > 0 ? TapCost(count, (plan.RestChannels + isa.Width - 1) / isa.Width) : 0;
                }
                // ties go to fewer, larger pixel tiles: fewer broadcasts and weight loads per FMA (see FewerTiles)
                if (cost < bestCost - 1e-9 || (cost < bestCost + 1e-9 && plan.Tiles.Count < best!.Tiles.Count))
                {
                    (best, bestCost) = (plan, cost);
                }
            }
        }
        Plan chosen = best!;
        long budget = MethodBudget - Stores(chosen, isa.Width), perTap = PerTap(chosen, isa.Width);
        Unroll unroll = perTap * l.KernelWidth * l.KernelHeight <= budget ? Unroll.Window
            : perTap * l.KernelWidth <= budget ? Unroll.Row : Unroll.Tap;
        return chosen with { Unroll = unroll };
    }

    private static void Vector(SourceWriter w, Step step, Isa isa)
    {
        LayerPlan l = step.Layer;
        Plan plan = Choose(l, isa);
        PanelLayout layout = PanelLayout.Of(step);
        int most = 0;
        foreach (var (_, count) in plan.Tiles)
        {
            most = Math.Max(most, count);
        }
        int span = plan.Vectors * isa.Width;
        string unrolled = plan.Unroll switch { Unroll.Window => "", Unroll.Row => ", one kernel row per unrolled body", _ => ", one tap per unrolled body" };
        KernelHeader(w, $"{l.Name} on {isa.Name}: output channels in the vector, tiles of up to {most} pixels × {plan.Vectors} vectors of {isa.Width} channels{unrolled}.");
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"// The panels [{layout.Panels}][{l.In.Depth}][{l.KernelHeight}][{l.KernelWidth}][{PanelLayout.Width}], then the biases{(layout.SlopeBlocks > 0 ? " and slopes" : "")}, padded to whole panels (PackWeights).");
            w.Line($"ref float panels = ref {Aliases.Unsafe}.Add(ref weights, {WeightPanels.Constant(l)} - {l.Name}Parameters);");
            w.Line($"// One tile's results, [pixel][channel], on their way to the C,H,W output.");
            w.Line($"global::System.Span<float> results = stackalloc float[{Int(most * span)}];");
            w.Line($"ref float tile = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(results);");
            var names = new List<string>();
            for (int n = 0; n < plan.Vectors; n++)
            {
                names.Add($"w{n}");
            }
            names.Add("x");
            if (layout.SlopeBlocks > 0)
            {
                names.Add("result");
            }
            w.Line($"{isa.Type} {string.Join(", ", names)};");
            if (plan.Groups > 0)
            {
                using (w.Loop("oc", 0, plan.Groups * span, span))
                {
                    Group(w, step, isa, plan, plan.Vectors, span, layout);
                }
            }
            if (plan.RestChannels > 0)
            {
                using (w.Block($"// the last {plan.RestChannels} channels"))
                {
                    w.Line($"const int oc = {Int(plan.Groups * span)};");
                    Group(w, step, isa, plan, (plan.RestChannels + isa.Width - 1) / isa.Width, plan.RestChannels, layout);
                }
            }
        }
    }

    /// <summary>Every pixel tile for the <paramref name="channels"/> output channels from <c>oc</c> on.</summary>
    private static void Group(SourceWriter w, Step step, Isa isa, Plan plan, int vectors, int channels, PanelLayout layout)
    {
        const int P = PanelLayout.Width;
        w.Line($"ref float groupWeights = ref {Aliases.Unsafe}.Add(ref panels, oc / {P} * {Int(layout.PanelSize)} + oc % {P});");
        w.Line($"ref float groupOutput = ref {Aliases.Unsafe}.Add(ref output, oc * {Int(step.Destination.PlaneStride)});");
        foreach (var (first, count) in plan.Tiles)
        {
            Tile(w, step, isa, plan.Unroll, vectors, channels, first, count, layout);
        }
    }

    /// <summary>The input offset of output pixel <paramref name="p"/>'s window (its first tap).</summary>
    private static long WindowAt(Step step, int p)
    {
        LayerPlan l = step.Layer;
        return (long)(p / l.Out.Width) * l.StrideY * step.Source.RowStride + (long)(p % l.Out.Width) * l.StrideX;
    }

    /// <summary>One register tile: accumulators start at the bias, take every channel and tap, then go through the epilogue to the output.</summary>
    private static void Tile(SourceWriter w, Step step, Isa isa, Unroll unroll, int vectors, int channels, int first, int count, PanelLayout layout)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int taps = l.KernelWidth * l.KernelHeight;
        using (w.Block($"// output pixels {first}–{first + count - 1} × {channels} channels"))
        {
            for (int n = 0; n < vectors; n++)
            {
                w.Line($"{isa.Type} acc0_{n} = {isa.Static}.LoadUnsafe(ref panels, (nuint)({Int(layout.BiasAt)} + oc{(n == 0 ? "" : " + " + Int(n * isa.Width))}));");
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
            using (w.Block($"for (int c = 0; c < {Int(l.In.Depth)}; c++)"))
            {
                w.Line($"ref float channel = ref {Aliases.Unsafe}.Add(ref input, c * {Int(src.PlaneStride)});");
                w.Line($"ref float weight = ref {Aliases.Unsafe}.Add(ref groupWeights, c * {Int((long)taps * PanelLayout.Width)});");
                long rowStep = (long)l.DilationY * src.RowStride;
                switch (unroll)
                {
                    case Unroll.Window:
                        for (int ky = 0; ky < l.KernelHeight; ky++)
                        {
                            for (int kx = 0; kx < l.KernelWidth; kx++)
                            {
                                TapBlock(w, step, isa, vectors, first, count, "channel", "weight", ky * rowStep + (long)kx * l.DilationX, ky * l.KernelWidth + kx, layout);
                            }
                        }
                        break;
                    default:
                        using (w.Block($"for (int ky = 0; ky < {Int(l.KernelHeight)}; ky++)"))
                        {
                            w.Line($"ref float tapRow = ref {Aliases.Unsafe}.Add(ref channel, ky * {Int(rowStep)});");
                            w.Line($"ref float tapWeight = ref {Aliases.Unsafe}.Add(ref weight, ky * {Int((long)l.KernelWidth * PanelLayout.Width)});");
                            if (unroll == Unroll.Row)
                            {
                                for (int kx = 0; kx < l.KernelWidth; kx++)
                                {
                                    TapBlock(w, step, isa, vectors, first, count, "tapRow", "tapWeight", (long)kx * l.DilationX, kx, layout);
                                }
                            }
                            else
                            {
                                using (w.Block($"for (int kx = 0; kx < {Int(l.KernelWidth)}; kx++)"))
                                {
                                    w.Line($"ref float tapInput = ref {Aliases.Unsafe}.Add(ref tapRow, kx{(l.DilationX == 1 ? "" : " * " + Int(l.DilationX))});");
                                    w.Line($"ref float tapWeights = ref {Aliases.Unsafe}.Add(ref tapWeight, kx * {PanelLayout.Width});");
                                    TapBlock(w, step, isa, vectors, first, count, "tapInput", "tapWeights", 0, 0, layout);
                                }
                            }
                        }
                        break;
                }
            }

            for (int r = 0; r < count; r++)
            {
                for (int n = 0; n < vectors; n++)
                {
                    string value = Activate(w, step, isa, $"acc{r}_{n}", n, layout);
                    w.Line($"{isa.Static}.StoreUnsafe({value}, ref tile, (nuint){Int(((long)r * vectors + n) * isa.Width)});");
                }
            }
            int stored = vectors * isa.Width;
            using (w.Block($"for (int j = 0; j < {Int(channels)}; j++)"))
            {
                w.Line($"ref float channelOutput = ref {Aliases.Unsafe}.Add(ref groupOutput, j * {Int(dst.PlaneStride)});");
                for (int r = 0; r < count; r++)
                {
                    int p = first + r;
                    long at = (long)(p / l.Out.Width) * dst.RowStride + p % l.Out.Width;
                    w.Line($"{Aliases.Unsafe}.Add(ref channelOutput, {Int(at)}) = {Aliases.Unsafe}.Add(ref tile, {(r == 0 ? "" : Int((long)r * stored) + " + ")}j);");
                }
            }
        }
    }

    /// <summary>
    /// Where the weights of a group's <paramref name="n"/>th vector start from the group's: in the same panel
    /// <c>n · width</c> lanes on, or in a later panel once a group spans more than one.
    /// </summary>
    private static long VectorAt(int n, int width, PanelLayout layout) =>
        (long)(n * width / PanelLayout.Width) * layout.PanelSize + n * width % PanelLayout.Width;

    /// <summary>One kernel tap: each vector's weights, then each pixel's input broadcast and multiplied into its accumulators.</summary>
    private static void TapBlock(SourceWriter w, Step step, Isa isa, int vectors, int first, int count, string input, string weight, long tapOffset, int tap, PanelLayout layout)
    {
        using (w.Block($"// tap +{Int(tapOffset)}"))
        {
            for (int n = 0; n < vectors; n++)
            {
                long at = (long)tap * PanelLayout.Width + VectorAt(n, isa.Width, layout);
                w.Line($"w{n} = {isa.Static}.LoadUnsafe(ref {weight}{(at == 0 ? "" : $", (nuint){Int(at)}")});");
            }
            for (int r = 0; r < count; r++)
            {
                w.Line($"x = {isa.Static}.Create({Aliases.Unsafe}.Add(ref {input}, {Int(WindowAt(step, first + r) + tapOffset)}));");
                for (int n = 0; n < vectors; n++)
                {
                    w.Line($"acc{r}_{n} = {isa.Fma}(x, w{n}, acc{r}_{n});");
                }
            }
        }
    }

    /// <summary>
    /// <paramref name="accumulator"/> through the step's epilogue: an expression, after any statements a
    /// per-channel op needs (PRelu: each lane's own slope, loaded from the panels' copy of the slopes).
    /// </summary>
    private static string Activate(SourceWriter w, Step step, Isa isa, string accumulator, int vector, PanelLayout layout)
    {
        var api = new VectorApi(isa.Type, isa.Static);
        string value = accumulator;
        int block = 0;
        foreach (EpilogueOp op in step.Epilogue)
        {
            if (op.ParameterOffset < 0)
            {
                value = Epilogue.Vector(new[] { op }, value, api);
                continue;
            }
            // x < 0 ? x · slope : x, as CnnGen.Kernels.LeakyRelu computes it
            string slope = $"{isa.Static}.LoadUnsafe(ref panels, (nuint)({Int(layout.SlopesAt(block++))} + oc{(vector == 0 ? "" : " + " + Int(vector * isa.Width))}))";
            if (value != "result")
            {
                w.Line($"result = {value};");
            }
            w.Line($"result = {isa.Static}.ConditionalSelect({isa.Static}.LessThan(result, {isa.Type}.Zero), result * {slope}, result); // {op.Name}");
            value = "result";
        }
        return value;
    }
}
