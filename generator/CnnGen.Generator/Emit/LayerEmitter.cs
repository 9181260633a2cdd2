using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Emits one private static method per step. Each method gets <c>ref</c>s to the start of its
/// input region (the top-left of the border when the input is padded), its output volume, and
/// its parameters, and uses constant strides only: no bounds checks, no interpretation.
/// </summary>
internal static partial class LayerEmitter
{
    /// <summary>Unroll a loop nest when the unrolled body stays below this many statements.</summary>
    private const int UnrollBudget = 128;

    public static void Emit(SourceWriter w, Step step)
    {
        if (LayerKinds.Of(step.Layer.Kind).Role == LayerRole.Activation)
        {
            ElementWiseEmitter.Emit(w, step); // an activation with nothing to fold into: its own element-wise pass
            return;
        }
        switch (step.Layer.Kind)
        {
            case LayerKind.Conv when step.Layer.Groups > 1:
                GroupedConvEmitter.Emit(w, step);
                break;
            case LayerKind.Conv:
                ConvEmitter.Emit(w, step);
                break;
            case LayerKind.MaxPool or LayerKind.AvgPool when GlobalPoolEmitter.CoversWholeMap(step):
                GlobalPoolEmitter.Emit(w, step); // one window over the whole map (an imported GlobalAveragePool): a vectorized reduction
                break;
            case LayerKind.MaxPool:
            case LayerKind.AvgPool:
                PoolEmitter.Emit(w, step);
                break;
            case LayerKind.FullyConnected:
                FullyConnectedEmitter.Emit(w, step);
                break;
            case LayerKind.Add:
            case LayerKind.Mul:
                ElementWiseEmitter.Emit(w, step);
                break;
            case LayerKind.Concat:
                ConcatEmitter.Emit(w, step);
                break;
            case LayerKind.Softmax:
                Softmax(w, step);
                break;
            case LayerKind.GlobalAvgPool:
            case LayerKind.GlobalMaxPool:
                GlobalPoolEmitter.Emit(w, step);
                break;
            case LayerKind.Slice:
            case LayerKind.ChannelShuffle:
                ChannelEmitter.Emit(w, step);
                break;
            case LayerKind.Pad:
                PadEmitter.Emit(w, step);
                break;
            case LayerKind.Upsample:
                UpsampleEmitter.Emit(w, step);
                break;
            case LayerKind.LogSoftmax:
                LogSoftmax(w, step);
                break;
            case LayerKind.Dropout:
            case LayerKind.Flatten:
                ElementWiseEmitter.Emit(w, step); // only when the network's output is its input: a copy (NoOpLayers)
                break;
            case LayerKind.BatchNorm:
            case LayerKind.Normalize:
                ChannelAffineEmitter.Emit(w, step);
                break;
            case LayerKind.ConvTranspose:
                ConvTransposeEmitter.Emit(w, step);
                break;
            default:
                throw new UnhandledKindException(step.Layer.Kind, nameof(LayerEmitter));
        }
    }

    /// <summary>The one-line description above a layer's call and method.</summary>
    public static string Describe(Step step)
    {
        LayerPlan l = step.Layer;
        string what = l.Kind switch
        {
            LayerKind.Conv => $"{l.Out.Depth} filters of {l.KernelWidth}×{l.KernelHeight}×{l.In.Depth / l.Groups}{Geometry(l, conv: true)}{GroupedConvEmitter.Grouping(l)}",
            LayerKind.MaxPool => $"max of {l.KernelWidth}×{l.KernelHeight} windows{Geometry(l, conv: false)}",
            LayerKind.AvgPool => $"mean of {l.KernelWidth}×{l.KernelHeight} windows{Geometry(l, conv: false)}{(l.ExcludePadding ? ", padding not counted" : "")}",
            LayerKind.FullyConnected => $"{l.Out.Depth} outputs from {Count(l.In.Length)} inputs",
            LayerKind.Relu => "max(0, x)",
            _ when LayerKinds.Of(l.Kind).Role == LayerRole.Activation => LayerKinds.Of(l.Kind).AttributeName + " of each value",
            LayerKind.Softmax => "exp(x − max) / Σ exp(x − max)",
            LayerKind.LogSoftmax => "x − max − log Σ exp(x − max)",
            LayerKind.Dropout or LayerKind.Flatten => "the identity at inference (a copy)",
            LayerKind.Add => "sum of " + string.Join(" and ", l.InputNames),
            LayerKind.Mul => "product of " + string.Join(" and ", l.InputNames),
            LayerKind.Concat => "channels of " + string.Join(", then ", l.InputNames) + (step.Aliased ? ", written in place by their kernels (no copy)" : ""),
            LayerKind.GlobalAvgPool => "mean of each channel",
            LayerKind.GlobalMaxPool => "largest value of each channel",
            LayerKind.Slice => $"channels {l.Start} to {l.Start + l.Out.Depth - 1}{(step.Aliased ? ", read in place (no copy)" : "")}",
            LayerKind.ChannelShuffle => $"channels shuffled in {l.ShuffleGroups} groups (output channel i·{l.ShuffleGroups} + g is input channel g·{l.In.Depth / l.ShuffleGroups} + i)",
            LayerKind.Pad => $"zero padding left {l.PadLeft}, top {l.PadTop}, right {l.PadRight}, bottom {l.PadBottom}{(step.Aliased ? ", a zero-bordered buffer (no kernel)" : "")}",
            LayerKind.Upsample => $"{(l.Bilinear ? "bilinear" : "nearest")} upsampling by {l.ScaleX}×{l.ScaleY}{(l.AlignCorners ? ", corners aligned" : "")}",
            LayerKind.BatchNorm => $"γ·(x − mean)/√(var + {l.Epsilon.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}) + β per channel",
            LayerKind.Normalize => "(x − mean)/std per channel",
            LayerKind.ConvTranspose => $"transposed convolution, {l.Out.Depth} filters of {l.KernelWidth}×{l.KernelHeight} per input channel, stride {l.StrideX}, padding {l.PadLeft}, output padding {l.OutputPaddingX}",
            _ => throw new UnhandledKindException(l.Kind, nameof(Describe)),
        };
        string reads = l.Kind is LayerKind.Add or LayerKind.Mul or LayerKind.Concat || l.ReadsPrevious
            ? ""
            : " (reads " + l.InputNames[0] + ")";
        return $"{l.Name}{ConstructionFolds.Describe(step)}{Epilogue.Describe(step.Epilogue)}{Epilogue.Describe(step.Deferred)}{reads}: {l.In} → {l.Out}, {what}";
    }

    private static string Geometry(LayerPlan l, bool conv)
    {
        var parts = new List<string>();
        bool defaultStride = conv ? l.StrideX == 1 && l.StrideY == 1 : l.StrideX == l.KernelWidth && l.StrideY == l.KernelHeight;
        if (!defaultStride)
        {
            parts.Add(l.StrideX == l.StrideY ? $"stride {l.StrideX}" : $"stride {l.StrideX}×{l.StrideY}");
        }
        if (l.HasPadding)
        {
            parts.Add(l.PadLeft == l.PadTop && l.PadTop == l.PadRight && l.PadRight == l.PadBottom
                ? $"padding {l.PadLeft}"
                : $"padding left {l.PadLeft}, top {l.PadTop}, right {l.PadRight}, bottom {l.PadBottom}");
        }
        if (l.DilationX != 1 || l.DilationY != 1)
        {
            parts.Add(l.DilationX == l.DilationY ? $"dilation {l.DilationX}" : $"dilation {l.DilationX}×{l.DilationY}");
        }
        if (l.CeilMode)
        {
            parts.Add("ceil mode");
        }
        return parts.Count == 0 ? "" : ", " + string.Join(", ", parts);
    }

    internal static void MethodHeader(SourceWriter w, Step step) => KernelHeader(w, Describe(step));

    /// <summary>A kernel method's doc summary and, unless <paramref name="optimize"/> is false, the attribute that compiles it fully optimized on its first call.</summary>
    internal static void KernelHeader(SourceWriter w, string summary, bool optimize = true)
    {
        w.Line("/// <summary>" + Xml(summary) + "</summary>");
        if (optimize)
        {
            w.Line(Aliases.Optimized);
        }
    }

    /// <summary>
    /// The header of a fallback kernel: the layer's own method when it has no vector variant
    /// (<paramref name="method"/> is <see cref="Step.Method"/>), else a variant described by <paramref name="summary"/>.
    /// </summary>
    internal static void VariantHeader(SourceWriter w, Step step, string method, string summary, bool optimize = true)
    {
        if (method == step.Method)
        {
            MethodHeader(w, step);
        }
        else
        {
            KernelHeader(w, summary, optimize);
        }
    }

    /// <summary>
    /// The layer's own method: calls the first variant whose condition holds (the conditions are
    /// JIT-time constants, so only one call remains), else the fallback.
    /// </summary>
    internal static void Dispatch(SourceWriter w, Step step, bool withWeights, IEnumerable<(string Condition, string Suffix)> variants, string fallbackSuffix)
    {
        string parameters = withWeights ? "ref float input, ref float output, ref float weights" : "ref float input, ref float output";
        string arguments = withWeights ? "ref input, ref output, ref weights" : "ref input, ref output";
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}({parameters})"))
        {
            string keyword = "if";
            foreach (var (condition, suffix) in variants)
            {
                using (w.Block($"{keyword} ({condition})"))
                {
                    w.Line($"{step.Method}{suffix}({arguments});");
                }
                keyword = "else if";
            }
            using (w.Block("else"))
            {
                w.Line($"{step.Method}{fallbackSuffix}({arguments});");
            }
        }
    }

    /// <summary>
    /// The scalar value a kernel stores: <paramref name="value"/> through the step's fused epilogue; <paramref name="channel"/>,
    /// the stored value's output channel, for per-channel ops (kernels that receive <c>weights</c>).
    /// </summary>
    internal static string Store(Step step, string value, string? channel = null) =>
        Epilogue.Scalar(step.Epilogue, value, channel is null ? null : new EpilogueSite(channel));

    /// <summary>A loop over a kernel axis: how far one step moves in the input and in the weights.</summary>
    internal readonly record struct Loop(string Variable, int Count, int InputStep, int WeightStep);

    /// <summary>
    /// Emits the loop nest over <paramref name="loops"/>, unrolling the innermost loops whose
    /// combined trip count fits <see cref="UnrollBudget"/>; <paramref name="body"/> gets the input
    /// and weight offsets as C# expressions.
    /// </summary>
    internal static void Nest(SourceWriter w, Loop[] loops, int depth, long inputConst, long weightConst, string symbolic,
        System.Func<string, string, string> body)
    {
        long remaining = 1;
        for (int i = depth; i < loops.Length; i++)
        {
            remaining *= loops[i].Count;
        }
        if (depth == loops.Length)
        {
            w.Line(body(Offset(symbolic, inputConst, input: true), Offset(symbolic, weightConst, input: false)));
            return;
        }
        Loop loop = loops[depth];
        if (remaining <= UnrollBudget || loop.Count == 1)
        {
            for (int i = 0; i < loop.Count; i++)
            {
                Nest(w, loops, depth + 1, inputConst + (long)i * loop.InputStep, weightConst + (long)i * loop.WeightStep, symbolic, body);
            }
            return;
        }
        using (w.Block($"for (int {loop.Variable} = 0; {loop.Variable} < {Int(loop.Count)}; {loop.Variable}++)"))
        {
            Nest(w, loops, depth + 1, inputConst, weightConst, symbolic + $"|{loop.Variable}*{loop.InputStep}*{loop.WeightStep}", body);
        }
    }

    /// <summary>Renders a constant plus the loop variables' contributions, e.g. <c>c * 784 + 29</c>.</summary>
    private static string Offset(string symbolic, long constant, bool input)
    {
        var terms = new List<string>();
        foreach (string part in symbolic.Split(new[] { '|' }, System.StringSplitOptions.RemoveEmptyEntries))
        {
            string[] pieces = part.Split('*');
            string step = input ? pieces[1] : pieces[2];
            if (step != "0")
            {
                terms.Add(step == "1" ? pieces[0] : $"{pieces[0]} * {step}");
            }
        }
        if (constant != 0 || terms.Count == 0)
        {
            terms.Add(Int(constant));
        }
        return string.Join(" + ", terms);
    }

    private static void Softmax(SourceWriter w, Step step)
    {
        int n = (int)step.Layer.In.Length;
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output)"))
        {
            w.Line("// Subtract the largest value first so exp never overflows.");
            LargestInput(w, n);
            w.Line("float sum = 0f;");
            using (w.Block($"for (int i = 0; i < {Int(n)}; i++)"))
            {
                w.Line($"float e = global::System.MathF.Exp({Aliases.Unsafe}.Add(ref input, i) - max);");
                w.Line($"{Aliases.Unsafe}.Add(ref output, i) = e;");
                w.Line("sum += e;");
            }
            w.Line("float scale = 1f / sum;");
            using (w.Block($"for (int i = 0; i < {Int(n)}; i++)"))
            {
                w.Line($"{Aliases.Unsafe}.Add(ref output, i) *= scale;");
            }
        }
    }

    /// <summary>Escapes text for an XML doc comment.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
