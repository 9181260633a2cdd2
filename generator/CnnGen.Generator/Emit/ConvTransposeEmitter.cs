using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Emits a transposed convolution as ONNX Runtime computes it: a 1×1 convolution with <c>filters·kh·kw</c> outputs (the
/// matrix product <c>[filters·kh·kw × channels]·[channels × pixels]</c>), emitted by <see cref="ConvEmitter"/> like any
/// other conv (its tiles, every instruction set, its JIT budget), into the step's workspace; then the runtime's
/// <c>CnnGen.ConvTranspose.Gather</c> sums the taps that land on each output (col2im), adds the bias and the fused
/// activations and stores it once. The weights of the 1×1 convolution are the layer's, transposed once at construction
/// (<c>CnnGen.ConvTranspose.LowerWeights</c>) into the room after the parameters; its bias is zero.
/// <para>
/// Measured against ONNX Runtime in one process (a throwaway harness like <c>/tmp/s7/sweep</c>, best of many runs,
/// AVX-512, load 36–42; the gather kernel of each output → this lowering): U-Net's 2×2/2 on 32×32×128 → 64 0.14× →
/// 0.98–1.01× (2281 → 322 µs), 3×3/2 with padding 1 and output padding 1 on 28×28×64 → 32 0.03× → 1.29–1.30×
/// (6410 → 147 µs), 4×4/2 with padding 1 on 16×16×256 → 128 0.004× → 1.07–1.11× (301 ms → 1.15 ms), 3×3/1 with
/// padding 1 on 28×28×64 → 32 1.02–1.03× (141 µs). The 1×1 convolution is most of it (266, 114, 1046 and 114 µs
/// alone): the gather costs 10–20%. A sub-pixel decomposition (one stride-1 conv with <c>filters·S²</c> outputs and
/// <c>⌈k/S⌉²</c> taps, then depth-to-space) measured slower: the 4×4/2 one as a 2×2 conv 256 → 512 on 17×17 took
/// 1333 µs, the 1×1 conv 256 → 2048 on 16×16 1030 µs; and a 3×3/2 one multiplies 16 taps where 9 are not zero.
/// </para>
/// A layer whose taps would need more than <see cref="MaxWorkspace"/> floats keeps the scalar gather kernel.
/// </summary>
internal static class ConvTransposeEmitter
{
    private const string U = Aliases.Unsafe;

    /// <summary>Most floats of taps (the 1×1 convolution's output) a lowered layer may keep in its workspace.</summary>
    private const long MaxWorkspace = 1L << 27;

    /// <summary>Floats of the 1×1 convolution's output: <c>filters·kh·kw</c> planes of the input's size.</summary>
    private static long TapsLength(LayerPlan l) => (long)l.Out.Depth * l.KernelWidth * l.KernelHeight * l.In.Width * l.In.Height;

    /// <summary>Whether the layer runs as a 1×1 convolution and a gather (else as the scalar gather kernel).</summary>
    public static bool Lowers(LayerPlan l) => l.Kind == LayerKind.ConvTranspose && TapsLength(l) <= MaxWorkspace;

    /// <summary>Floats of scratch the step needs while it runs: the taps (0 when it is not a lowered transposed convolution).</summary>
    public static int WorkspaceLength(LayerPlan l) => Lowers(l) ? (int)TapsLength(l) : 0;

    /// <summary>
    /// The 1×1 convolution of a lowered layer: named after it (<c>{Name}Taps</c>), reading its input, output channel
    /// <c>o·kh·kw + ky·kw + kx</c> holding what each input pixel gives output channel o through tap (ky, kx).
    /// </summary>
    public static LayerPlan Lowered(LayerPlan l)
    {
        int filters = l.Out.Depth * l.KernelWidth * l.KernelHeight;
        long weights = (long)filters * l.In.Depth;
        return new LayerPlan(LayerKind.Conv, l.Name + "Taps", l.In, new Volume(l.In.Width, l.In.Height, filters))
        {
            Inputs = l.Inputs,
            InputNames = l.InputNames,
            InputShapes = l.InputShapes,
            Index = l.Index,
            Parameters = weights + filters,
            MultiplyAdds = weights * l.In.Width * l.In.Height,
        };
    }

    /// <summary>The step of the 1×1 convolution: the layer's sources, no epilogue, its output in the layer's workspace.</summary>
    public static Step LoweredStep(Step step)
    {
        LayerPlan l = step.Layer;
        LayerPlan conv = Lowered(l);
        var taps = Region.Dense(Storage.Scratch, step.Workspace?.Offset ?? 0, l.In.Width, l.In.Height, (int)TapsLength(l));
        return new Step(conv, EquatableArray<EpilogueOp>.Empty, step.Sources, taps, null);
    }

    /// <summary>The step whose kernel reads weights: the 1×1 convolution of a lowered transposed convolution, else the step itself.</summary>
    public static Step KernelStep(Step step) => !step.Aliased && Lowers(step.Layer) ? LoweredStep(step) : step;

    /// <summary>The lowered layers of the plan, in step order.</summary>
    private static List<LayerPlan> Layers(BufferPlan buffers) => buffers.KernelLayers(Lowers);

    /// <summary>Floats of lowered weights (and their zero biases) the constructor appends to its copy of the parameters.</summary>
    public static long LoweredLength(BufferPlan buffers)
    {
        long total = 0;
        foreach (LayerPlan l in Layers(buffers))
        {
            total += Lowered(l).Parameters;
        }
        return total;
    }

    /// <summary>The <c>{Layer}TapsParameters</c> constants: where each lowered layer's 1×1 weights start.</summary>
    public static void Constants(SourceWriter w, BufferPlan buffers, long start)
    {
        long at = start;
        foreach (LayerPlan l in Layers(buffers))
        {
            LayerPlan conv = Lowered(l);
            w.Line($"/// <summary>Where {l.Name}'s weights as a 1×1 convolution [{conv.Out.Depth}][{l.In.Depth}] and its {conv.Out.Depth} zero biases start (after the parameters; the constructor computes them).</summary>");
            w.Line($"private const int {conv.Name}Parameters = {Int(at)};");
            at += conv.Parameters;
        }
    }

    /// <summary>The constructor's transpositions, after any folding into the weights and before the panels are packed.</summary>
    public static void LowerCalls(SourceWriter w, BufferPlan buffers)
    {
        foreach (LayerPlan l in Layers(buffers))
        {
            w.Line($"global::CnnGen.ConvTranspose.LowerWeights(_parameters, {l.Name}Parameters, {Int(l.In.Depth)}, {Int(l.Out.Depth)}, {Int(l.KernelWidth * l.KernelHeight)}, {Lowered(l).Name}Parameters);");
        }
    }

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        if (!Lowers(l) || step.Workspace is null)
        {
            Scalar(w, step, step.Method);
            return;
        }
        Step conv = LoweredStep(step);
        Region dst = step.Destination;
        string epilogue = step.Epilogue.Count == 0 ? "global::CnnGen.WinogradIdentity" : l.Name + "Epilogue";
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output, ref float weights, ref float workspace)"))
        {
            w.Line($"// Every tap of every input pixel: a 1×1 convolution onto {Int(conv.Layer.Out.Depth)} channels, taps[o][ky][kx][iy][ix] in the workspace.");
            w.Line($"{conv.Method}(ref input, ref workspace, ref {U}.Add(ref weights, {conv.Layer.Name}Parameters - {l.Name}Parameters));");
            w.Line("// Each output: the sum of the taps that land on it, the bias and the activations (CnnGen.ConvTranspose).");
            w.Line($"global::CnnGen.ConvTranspose.Gather<{epilogue}>(");
            w.Line($"    new global::CnnGen.ConvTransposeShape(Filters: {Int(l.Out.Depth)}, KernelWidth: {Int(l.KernelWidth)}, KernelHeight: {Int(l.KernelHeight)}, Stride: {Int(l.StrideX)}, Padding: {Int(l.PadLeft)},");
            w.Line($"        InputWidth: {Int(l.In.Width)}, InputHeight: {Int(l.In.Height)}, OutputWidth: {Int(l.Out.Width)}, OutputHeight: {Int(l.Out.Height)},");
            w.Line($"        OutputRowStride: {Int(dst.RowStride)}, OutputPlaneStride: {Int(dst.PlaneStride)}, BiasOffset: {Int(l.WeightCount)}),");
            w.Line("    ref workspace, ref output, ref weights);");
        }
        if (step.Epilogue.Count > 0)
        {
            w.Line();
            WinogradEmitter.EpilogueStruct(w, step, epilogue, "transposed convolution");
        }
        w.Line();
        ConvEmitter.Emit(w, conv);
    }

    /// <summary>Any kernel, stride and padding: each output gathers the taps that land on it.</summary>
    private static void Scalar(SourceWriter w, Step step, string method)
    {
        LayerPlan l = step.Layer;
        Region src = step.Source, dst = step.Destination;
        int s = l.StrideX, p = l.PadLeft;
        int taps = l.KernelWidth * l.KernelHeight;
        long channelStride = (long)l.Out.Depth * taps; // weights [depth][filters][height][width]: one input channel on
        VariantHeader(w, step, method, l.Name + " without vector instructions: each output gathers its taps.");
        using (w.Block($"private static void {method}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {U}.Add(ref weights, {Int(l.WeightCount)});");
            using (w.Block($"for (int o = 0; o < {Int(l.Out.Depth)}; o++)"))
            {
                w.Line($"ref float filter = ref {U}.Add(ref weights, o * {Int(taps)}); // input channel 0's taps for output channel o");
                w.Line($"float b = {U}.Add(ref bias, o);");
                using (w.Block($"for (int oy = 0; oy < {Int(l.Out.Height)}; oy++)"))
                {
                    w.Line($"ref float row = ref {U}.Add(ref output, o * {Int(dst.PlaneStride)} + oy * {Int(dst.RowStride)});");
                    string firstKy = s == 1 ? "0" : $"(oy + {Int(p)}) % {Int(s)}";
                    string firstKx = s == 1 ? "0" : $"(ox + {Int(p)}) % {Int(s)}";
                    using (w.Block($"for (int ox = 0; ox < {Int(l.Out.Width)}; ox++)"))
                    {
                        w.Line("float sum = b;");
                        w.Line($"// Taps whose row lands on oy: ky ≡ oy + P (mod S), from input row iy = (oy + P − ky) / S.");
                        using (w.Block($"for (int ky = {firstKy}; ky < {Int(l.KernelHeight)} && ky <= oy + {Int(p)}; ky += {Int(s)})"))
                        {
                            w.Line($"int iy = (oy + {Int(p)} - ky) / {Int(s)};");
                            using (w.Block($"if (iy >= {Int(l.In.Height)})"))
                            {
                                w.Line("continue;");
                            }
                            using (w.Block($"for (int kx = {firstKx}; kx < {Int(l.KernelWidth)} && kx <= ox + {Int(p)}; kx += {Int(s)})"))
                            {
                                w.Line($"int ix = (ox + {Int(p)} - kx) / {Int(s)};");
                                using (w.Block($"if (ix >= {Int(l.In.Width)})"))
                                {
                                    w.Line("continue;");
                                }
                                w.Line($"ref float x = ref {U}.Add(ref input, iy * {Int(src.RowStride)} + ix);");
                                w.Line($"ref float tap = ref {U}.Add(ref filter, ky * {Int(l.KernelWidth)} + kx);");
                                using (w.Block($"for (int i = 0; i < {Int(l.In.Depth)}; i++)"))
                                {
                                    w.Line($"sum += {U}.Add(ref x, i * {Int(src.PlaneStride)}) * {U}.Add(ref tap, i * {Int(channelStride)});");
                                }
                            }
                        }
                        w.Line($"{U}.Add(ref row, ox) = " + Store(step, "sum") + ";");
                    }
                }
            }
        }
    }
}
