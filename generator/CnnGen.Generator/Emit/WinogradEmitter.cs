using System;
using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using CnnGen.Geometry;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Convolutions that run as Winograd F(2×2, 3×3) (<c>CnnGen.Winograd</c> in the runtime library): 3×3, stride 1,
/// dilation 1, one group (or each group of a grouped conv that runs its groups as dense convs, see <see cref="Kernel"/>), with enough channels that the matrix products dominate and enough tiles to reuse the
/// transformed weights (see <see cref="Selected"/>); the map may be as narrow as 7 columns, since the kernel packs the
/// tiles of several rows into one vector. The kernel is written once in the runtime
/// library (AVX-512, AVX2/FMA and Vector128 paths); the generated code holds the layer's shape, its fused
/// activations as a struct, and the scalar direct kernel for machines without vector instructions.
/// <para>
/// The transformed weights <c>U = G·g·Gᵀ</c> are computed once, by the constructor, into room after the parameters
/// (<c>{Layer}Transformed</c>); the transformed tiles live in a workspace of the thread's scratch that
/// <see cref="BufferPlan"/> reserves for the step alone.
/// </para>
/// </summary>
internal static class WinogradEmitter
{
    /// <summary>
    /// Fewest input channels and filters: at 8 the transforms cost more than the products save (32×32: 1.71× ORT
    /// against 2.21× direct), at 16 the two are even, from 32 Winograd wins (see the benchmarks' README).
    /// </summary>
    private const int MinChannels = 16;

    /// <summary>
    /// Fewest input channels and filters on a map under 24 columns (fewer than 12 tiles per row, which share their
    /// vectors with the next rows' tiles): per tile, the segments and partial stores cost more there. Measured against
    /// the direct kernel on one thread (a busy machine; CPU time, best of 2 × 7 runs): 16×16 maps with 16, 24 and
    /// 32 channels ran 0.82×, 0.91× and 1.08× as fast as direct, 10×10 with 32 channels 1.13×.
    /// </summary>
    private const int MinNarrowChannels = 32;

    /// <summary>
    /// Fewest tiles (2×2 outputs each) in a map: the products reuse each transformed weight once per tile, so with few
    /// tiles the 16/9 larger transformed weights are streamed for little work. From 32 tiles Winograd wins at every
    /// channel count measured: 16×16 maps (64 tiles) 1.57× (64 channels) to 1.81× (128 → 256) as fast as direct,
    /// 14×14 and 13×13 (49) 1.21× (13×13×64 → 256) to 1.50× (14×14×256), 12×12×64 (36) 1.39×.
    /// </summary>
    private const int MinTiles = 32;

    /// <summary>
    /// Fewest tiles of an even map whose transformed weights are at most <see cref="MaxSmallMapTransformed"/>
    /// floats: 8×8 maps (16 tiles) won with 128 → 128 (1.22×) and 256 → 256 channels (1.59×) but lost with
    /// 512 → 512 (0.73×, 16 MB of transformed weights streamed from L3 for 16 tiles) and only just won with 256 → 512
    /// (1.13×); odd maps waste the tiles' last row and column (7×7×128: 0.84×, 7×7×512: 0.51×; 4×4: 0.37×).
    /// </summary>
    private const int MinSmallMapTiles = 16;

    /// <summary>Most transformed weights (floats: 4 MB) of a map of <see cref="MinSmallMapTiles"/> to <see cref="MinTiles"/> tiles.</summary>
    private const long MaxSmallMapTransformed = 1L << 20;

    /// <summary>Largest workspace or transformed weights of one layer, in floats (256 MB): beyond, direct convolution.</summary>
    private const long MaxLength = 1L << 26;

    /// <summary>
    /// Whether <paramref name="l"/> runs as Winograd F(2×2, 3×3). The kernel numbers the tiles over the whole map, so a
    /// narrow map (down to 4 tiles a row) fills its vectors with the tiles of several rows; what decides is the number
    /// of tiles (reuse of the transformed weights) and of channels (work per tile against the transforms).
    /// </summary>
    public static bool Selected(LayerPlan l)
    {
        if (l.Kind != LayerKind.Conv || l.Groups != 1 || l.KernelWidth != 3 || l.KernelHeight != 3
            || l.StrideX != 1 || l.StrideY != 1 || l.DilationX != 1 || l.DilationY != 1
            || l.In.Depth < MinChannels || l.Out.Depth < MinChannels || l.Out.Height < 2 || l.Out.Width < 2)
        {
            return false;
        }
        int tilesX = (l.Out.Width + 1) / 2, tiles = tilesX * ((l.Out.Height + 1) / 2);
        long transformed = WinogradSizes.TransformedLength(l.Out.Depth, l.In.Depth);
        // Maps of 24 columns and up (12 tiles a row) fill most of a vector with one row's tiles; they ran as Winograd before
        // the kernel packed rows (then only when the last vector of a row was 12 of 16 full), at any height.
        bool enoughTiles = tilesX >= 12
            || (l.In.Depth >= MinNarrowChannels && l.Out.Depth >= MinNarrowChannels
                && (tiles >= MinTiles || (tiles >= MinSmallMapTiles && l.Out.Width % 2 == 0 && l.Out.Height % 2 == 0 && transformed <= MaxSmallMapTransformed)));
        return enoughTiles && transformed <= MaxLength && WinogradSizes.WorkspaceLength(l.In.Depth) <= MaxLength;
    }

    /// <summary>
    /// Whether a <see cref="Selected"/> layer runs as F(4×4, 3×3) (<c>CnnGen.Winograd.Conv3x3F4</c>: 36 products per 4×4
    /// outputs against F(2×2)'s 64) rather than F(2×2, 3×3): on maps whose width and height are multiples of 4 (no tile
    /// reads past the input) with at least <see cref="MinF4Tiles"/> of its tiles and at most <see cref="MaxF4Channels"/>
    /// input channels.
    /// </summary>
    public static bool F4(LayerPlan l) =>
        Selected(l) && l.In.Depth <= MaxF4Channels && l.Out.Width % 4 == 0 && l.Out.Height % 4 == 0 && (l.Out.Width / 4) * (l.Out.Height / 4) >= MinF4Tiles
        && WinogradSizes.TransformedLength4(l.Out.Depth, l.In.Depth) <= MaxLength && WinogradSizes.WorkspaceLength4(l.In.Depth) <= MaxLength;

    /// <summary>
    /// Fewest F(4×4) tiles (4×4 outputs each) of a map that takes F(4×4). Measured against F(2×2) on one thread (a
    /// busy machine; CPU time, best of 2–4 × 7 runs): 64×64×32 → 32 (256 tiles) 1.44–1.60× as fast, 56×56×64 (196)
    /// 1.22–1.24×, 32×32×64 → 64 (64) 1.09–1.18×, 32×32×32 → 64 0.88–0.97×, 28×28×128 (49) 0.99–1.07×; 16×16 maps
    /// (16 tiles) lost, 0.64–0.94× (64–256 channels). F(4×4)'s transforms cost more per tile and its 36 products per
    /// block of 48 tiles no longer fit L1: it pays clearly only on large maps (40×40 and up).
    /// </summary>
    private const int MinF4Tiles = 100;

    /// <summary>
    /// Most input channels of an F(4×4) layer: its rounding error is about 10× F(2×2)'s (the transforms multiply by up to
    /// 8 and divide by 24). Against a float64 reference (random weights scaled 1/√fan-in, inputs in [−1, 1), WinogradTests):
    /// largest error relative to the output's largest magnitude 3.6e-6 (32 × 32 × 32 → 32), 4.6e-6 (48 × 48 × 24 → 48)
    /// and 4.5e-6 (64 × 64 × 32 → 32), 52%, 56% and 75% of the generator tests' tolerance (1e-4 relative + 1e-5
    /// absolute, per output); at 64 input channels 6.9e-6 (99%), at 512 2.1e-5 (163%: over). F(2×2) stays below 11%
    /// at every channel count.
    /// </summary>
    private const int MaxF4Channels = 32;

    /// <summary>
    /// Fewest input channels and filters per group of a grouped conv that runs Winograd group by group: the column kernel
    /// per group is already fast on groups of 16. Probe against ONNX Runtime (AVX-512, one thread, load 25–37, µs, column
    /// kernel per group → Winograd per group): RegNet-like 3×3 in 4 groups of 16 on 28×28×64 63–64 → 69–70, on 56×56×64
    /// 263–265 → 244–296; groups of 32 on 28×28×128 252–257 → 204–207 (1.00× → 1.23–1.26×), of 64 on 14×14×256 262–266
    /// → 209–212 (0.85× → 1.04–1.07×).
    /// </summary>
    private const int MinGroupChannels = 32;

    /// <summary>
    /// The conv a Winograd kernel runs for a layer with <paramref name="epilogue"/> folded into it: the layer itself when it
    /// is <see cref="Selected"/>, or one group of a grouped conv whose groups run as dense convs
    /// (<see cref="GroupedConvEmitter.DenseGroupsApply(LayerPlan, IEnumerable{EpilogueOp})"/>) when that group is
    /// (AlexNet's two groups of 192 channels on 13×13: see <see cref="Emit"/>); else null.
    /// </summary>
    public static LayerPlan? Kernel(LayerPlan l, IEnumerable<EpilogueOp> epilogue)
    {
        if (Selected(l))
        {
            return l;
        }
        if (l.Kind == LayerKind.Conv && l.Groups > 1 && GroupedConvEmitter.DenseGroupsApply(l, epilogue) && GroupedConvEmitter.GroupLayer(l) is LayerPlan group
            && group.In.Depth >= MinGroupChannels && group.Out.Depth >= MinGroupChannels && Selected(group))
        {
            return group;
        }
        return null;
    }

    /// <summary>Floats of transformed weights of a <see cref="Selected"/> conv (one group's, for a group).</summary>
    private static long Transformed(LayerPlan k) =>
        F4(k) ? WinogradSizes.TransformedLength4(k.Out.Depth, k.In.Depth) : WinogradSizes.TransformedLength(k.Out.Depth, k.In.Depth);

    /// <summary>Floats of scratch the step of <paramref name="l"/> needs while it runs (0 when it is not a Winograd step); groups run one after another in the same scratch.</summary>
    public static int WorkspaceLength(LayerPlan l, IEnumerable<EpilogueOp> epilogue) =>
        Kernel(l, epilogue) is not LayerPlan k ? 0 : F4(k) ? (int)WinogradSizes.WorkspaceLength4(k.In.Depth) : (int)WinogradSizes.WorkspaceLength(k.In.Depth);

    /// <summary>The Winograd steps of the plan, in step order: each layer and the conv its kernel runs (the layer or one group).</summary>
    private static List<(LayerPlan Layer, LayerPlan Kernel)> Layers(BufferPlan buffers)
    {
        var layers = new List<(LayerPlan, LayerPlan)>();
        foreach (Step step in buffers.Steps)
        {
            if (!step.Aliased && Kernel(step.Layer, step.Epilogue) is LayerPlan k)
            {
                layers.Add((step.Layer, k));
            }
        }
        return layers;
    }

    /// <summary>Floats of transformed weights the constructor appends to its copy of the parameters.</summary>
    public static long TransformedLength(BufferPlan buffers)
    {
        long total = 0;
        foreach ((LayerPlan l, LayerPlan k) in Layers(buffers))
        {
            total += l.Groups * Transformed(k);
        }
        return total;
    }

    /// <summary>The <c>{Layer}Transformed</c> constants: where each Winograd layer's transformed weights start.</summary>
    public static void Constants(SourceWriter w, BufferPlan buffers, long start)
    {
        long at = start;
        foreach ((LayerPlan l, LayerPlan k) in Layers(buffers))
        {
            string groups = l.Groups > 1 ? $"[{l.Groups} groups]" : "";
            w.Line($"/// <summary>Where {l.Name}'s Winograd-transformed weights {groups}[{(F4(k) ? WinogradSizes.Points4 : WinogradSizes.Points)}][{WinogradSizes.PaddedFilters(k.Out.Depth) / WinogradSizes.FilterBlock}][{k.In.Depth}][{WinogradSizes.FilterBlock}] start (after the parameters; the constructor computes them).</summary>");
            w.Line($"private const int {l.Name}Transformed = {Int(at)};");
            at += l.Groups * Transformed(k);
        }
    }

    /// <summary>The constructor's transforms, after any folding into the weights (and after the groups' reordering, <see cref="GroupedConvEmitter.PackCalls"/>).</summary>
    public static void TransformCalls(SourceWriter w, BufferPlan buffers)
    {
        foreach ((LayerPlan l, LayerPlan k) in Layers(buffers))
        {
            string call = $"global::CnnGen.Winograd.TransformWeights{(F4(k) ? "F4" : "")}";
            if (l.Groups == 1)
            {
                w.Line($"{call}(_parameters, {l.Name}Parameters, {Int(k.Out.Depth)}, {Int(k.In.Depth)}, {l.Name}Transformed);");
                continue;
            }
            using (w.Block($"for (int g = 0; g < {Int(l.Groups)}; g++) // {l.Name}: each group's weights (biases after them)"))
            {
                w.Line($"{call}(_parameters, {l.Name}Parameters + g * {Int(GroupedConvEmitter.GroupParameters(l))}, {Int(k.Out.Depth)}, {Int(k.In.Depth)}, {l.Name}Transformed + g * {Int(Transformed(k))});");
            }
        }
    }

    /// <summary>The layer's method (Winograd, or the scalar kernel without vector instructions), its epilogue struct, and the scalar kernel.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="step">A step whose layer is <see cref="Selected"/>.</param>
    /// <param name="scalar">Emits the scalar direct kernel under the given method name.</param>
    /// <remarks>
    /// A grouped conv whose groups run as dense convs (<see cref="Kernel"/>) calls the kernel once per group, on the group's
    /// input and output channels, with its weights and biases (laid out group by group, see
    /// <see cref="GroupedConvEmitter.PackCalls"/>) and its own transformed weights; its scalar fallback is the dense
    /// scalar kernel of one group, called per group. Measured against ONNX Runtime in one process (throwaway probe,
    /// AVX-512, one thread, best of 150 ms of ~200 µs batches, load 10–17; dense column kernel per group → Winograd per
    /// group, µs, ratio to ORT after): AlexNet's 2-group 3×3 on 13×13×384 + ReLU, 384 filters, 1137–1165 → 720–782 (0.75× →
    /// 1.13–1.20×), 256 filters 769–809 → 488–504 (0.72–0.75× → 1.16–1.19×); the one-group 13×13×192 → 192 runs 354 µs, half
    /// the two groups' time, so a group costs what a layer of its size does. Rounding as the ungrouped layers' (8% of the
    /// oracle's tolerance at 13×13×384 → 384 in 2 groups, WinogradTests).
    /// </remarks>
    public static void Emit(SourceWriter w, Step step, Action<string> scalar)
    {
        LayerPlan l = step.Layer;
        LayerPlan k = Kernel(l, step.Epilogue)!;
        Region src = step.Source, dst = step.Destination;
        int inputWidth = step.Padded?.Width ?? l.In.Width, inputHeight = step.Padded?.Height ?? l.In.Height;
        string epilogue = step.Epilogue.Count == 0 ? "global::CnnGen.WinogradIdentity" : l.Name + "Epilogue";
        bool grouped = l.Groups > 1;
        long groupParameters = grouped ? GroupedConvEmitter.GroupParameters(l) : 0;
        string At(string target, long perGroup) => grouped ? $"ref {Aliases.Unsafe}.Add(ref {target}, g * {Int(perGroup)})" : $"ref {target}";
        string input = At("input", (long)k.In.Depth * src.PlaneStride), output = At("output", (long)k.Out.Depth * dst.PlaneStride), weights = At("weights", groupParameters);
        LayerEmitter.MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output, ref float weights, ref float workspace)"))
        {
            using (w.Block($"if ({Aliases.Vector128}.IsHardwareAccelerated)"))
            {
                IDisposable? loop = null;
                if (grouped)
                {
                    w.Line($"// {l.Groups} groups of {k.In.Depth} → {k.Out.Depth} channels, one after another, each with its weights and biases (side by side, see the constructor) and its transformed weights.");
                    loop = w.Block($"for (int g = 0; g < {Int(l.Groups)}; g++)");
                }
                if (F4(k))
                {
                    w.Line($"// Winograd F(4×4, 3×3): 36 products per 4×4 outputs, input channel and filter instead of 144 (CnnGen.Winograd).");
                    w.Line($"global::CnnGen.Winograd.Conv3x3F4<{epilogue}>(");
                }
                else
                {
                    w.Line($"// Winograd F(2×2, 3×3): 16 products per 2×2 outputs, input channel and filter instead of 36 (CnnGen.Winograd).");
                    w.Line($"global::CnnGen.Winograd.Conv3x3<{epilogue}>(");
                }
                string transformed = grouped ? $"{l.Name}Transformed - {l.Name}Parameters + g * {Int(Transformed(k) - groupParameters)}" : $"{l.Name}Transformed - {l.Name}Parameters";
                w.Line($"    new global::CnnGen.WinogradConv(Channels: {Int(k.In.Depth)}, Filters: {Int(k.Out.Depth)},");
                w.Line($"        InputWidth: {Int(inputWidth)}, InputHeight: {Int(inputHeight)}, InputRowStride: {Int(src.RowStride)}, InputPlaneStride: {Int(src.PlaneStride)},");
                w.Line($"        OutputWidth: {Int(l.Out.Width)}, OutputHeight: {Int(l.Out.Height)}, OutputRowStride: {Int(dst.RowStride)}, OutputPlaneStride: {Int(dst.PlaneStride)},");
                w.Line($"        BiasOffset: {Int(k.WeightCount)}, TransformedOffset: {transformed}),");
                w.Line($"    {input}, {output}, {weights}, ref workspace);");
                loop?.Dispose();
            }
            using (w.Block("else"))
            {
                if (grouped)
                {
                    using (w.Block($"for (int g = 0; g < {Int(l.Groups)}; g++)"))
                    {
                        w.Line($"{step.Method}Scalar({input}, {output}, {weights});");
                    }
                }
                else
                {
                    w.Line($"{step.Method}Scalar(ref input, ref output, ref weights);");
                }
            }
        }
        if (step.Epilogue.Count > 0)
        {
            w.Line();
            EpilogueStruct(w, step, epilogue);
        }
        w.Line();
        scalar(step.Method + "Scalar");
    }

    /// <summary>The layer's fused activations as the struct the runtime kernel calls on each vector of outputs (also <see cref="DirectConvEmitter"/>'s).</summary>
    internal static void EpilogueStruct(SourceWriter w, Step step, string name, string kernel = "Winograd")
    {
        w.Line($"/// <summary>{LayerEmitter.Xml(step.Layer.Name)}'s fused activations ({LayerEmitter.Xml(Epilogue.Describe(step.Epilogue).TrimStart(' ', '+'))}) for the {kernel} kernel.</summary>");
        using (w.Block($"private readonly struct {name} : global::CnnGen.IWinogradEpilogue"))
        {
            var site = new EpilogueSite("channel");
            foreach ((string type, string @static) in new[] { (Aliases.Float16, Aliases.Vector512), (Aliases.Float8, Aliases.Vector256), (Aliases.Float4, Aliases.Vector128) })
            {
                w.Line($"public static {type} Apply({type} value, ref float weights, int channel) => {Epilogue.Vector(step.Epilogue, "value", new VectorApi(type, @static), site)};");
            }
        }
    }
}
