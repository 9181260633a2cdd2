using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Emits a fully connected layer. At batch size 1 it is bound by reading the weights; layers with at least 16 inputs
/// and <see cref="Rows"/> outputs, or 16 outputs, call the runtime library's kernel (<c>CnnGen.Dense.Forward</c>: blocks
/// of 128 and panels of 16 outputs streamed in order, 8 vector accumulators against one broadcast input, on AVX-512,
/// AVX2 + FMA, 128-bit vectors, else scalar; the last <c>outputs mod 16</c> as rows), then apply the fused activations output by output;
/// smaller layers are one <c>TensorPrimitives.Dot</c> per output. The generated constructor repacks those layers'
/// weights in place (<c>CnnGen.Dense.Pack</c>, after the construction folds; same size, so no second copy). The
/// runtime kernel replaced per-layer emitted AVX2 and <c>Vector128</c> kernels (adding the AVX-512 width, which they
/// lacked): see <c>CnnGen.Dense</c> for the figures. In a network's batched tail (<see cref="BatchTailEmitter"/>) each
/// such layer also gets a method for n items (<see cref="BatchMethod"/>).
/// </summary>
internal static class FullyConnectedEmitter
{
    /// <summary>Rows per pass of the runtime kernel: smaller layers take one dot product per output.</summary>
    private const int Rows = 4;

    /// <summary>Outputs per panel of the runtime kernel (<c>CnnGen.Dense.PanelWidth</c>).</summary>
    private const int PanelWidth = 16;

    private const string Span = "global::System.Runtime.InteropServices.MemoryMarshal";

    public static void Emit(SourceWriter w, Step step)
    {
        if (!UsesDense(step))
        {
            Dot(w, step, step.Method);
            return;
        }
        DenseCall(w, step);
    }

    /// <summary>
    /// Whether the step calls the runtime library's kernel (and so reads its weights repacked): any layer with a whole
    /// panel of outputs (the panels need no minimum of inputs), else at least 16 inputs and <see cref="Rows"/> outputs.
    /// </summary>
    internal static bool UsesDense(Step step) =>
        step.Layer.Kind == LayerKind.FullyConnected && !step.Aliased
        && (step.Layer.Out.Depth >= PanelWidth || (step.Layer.In.Length >= 16 && step.Layer.Out.Depth >= Rows));

    /// <summary>
    /// The constructor's in-place repacking of the weights of the layers that call the runtime kernel, after the
    /// construction folds (so the panels hold folded weights); nothing when there are none.
    /// </summary>
    public static void PackCalls(SourceWriter w, BufferPlan buffers)
    {
        foreach (Step step in buffers.Steps)
        {
            if (UsesDense(step) && step.Layer.Out.Depth >= PanelWidth) // fewer outputs: rows only, nothing to repack
            {
                LayerPlan l = step.Layer;
                w.Line($"global::CnnGen.Dense.Pack(_parameters, {l.Name}Parameters, {Int(l.In.Length)}, {Int(l.Out.Depth)}); // {l.Name}'s weights as blocks of 128 and panels of 16 outputs, in place");
            }
        }
    }

    /// <summary>The layer's method: the runtime library's kernel, then the fused activations output by output.</summary>
    private static void DenseCall(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output, ref float weights)"))
        {
            w.Line(l.Out.Depth >= PanelWidth
                ? "// Blocks of 128 and panels of 16 outputs against one broadcast input (CnnGen.Dense; weights repacked by the constructor; memory-bound at batch 1)."
                : "// 4 weight rows at a time against one load of the input (CnnGen.Dense; memory-bound at batch 1).");
            w.Line($"global::CnnGen.Dense.Forward(ref input, ref output, ref weights, {Int(l.In.Length)}, {Int(l.Out.Depth)});");
            if (step.Epilogue.Count > 0)
            {
                using (w.Block($"for (int o = 0; o < {Int(l.Out.Depth)}; o++)"))
                {
                    w.Line($"float value = {Aliases.Unsafe}.Add(ref output, o);");
                    w.Line($"{Aliases.Unsafe}.Add(ref output, o) = " + Store(step, "value", "o") + ";");
                }
            }
        }
    }

    /// <summary>
    /// The layer for n items at once (<c>IBatchTail.ForwardTail</c>): the runtime library's GEMM over the same repacked
    /// weights (<c>CnnGen.Dense.ForwardBatch</c>: each weight loaded once for 2 items, blocks of 128 outputs split
    /// across cores), then the fused activations item by item.
    /// </summary>
    public static void BatchMethod(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        KernelHeader(w, Describe(step) + ", for count items at once (the batched tail).", optimize: false);
        using (w.Block($"private static void {BatchMethodName(step)}(ref float input, ref float output, ref float weights, int count, int maxDegreeOfParallelism)"))
        {
            w.Line($"global::CnnGen.Dense.ForwardBatch(ref input, ref output, ref weights, {Int(l.In.Length)}, {Int(l.Out.Depth)}, count, maxDegreeOfParallelism);");
            if (step.Epilogue.Count > 0)
            {
                using (w.Block("for (int i = 0; i < count; i++)"))
                {
                    w.Line($"ref float item = ref {Aliases.Unsafe}.Add(ref output, (nint)i * {Int(l.Out.Depth)});");
                    using (w.Block($"for (int o = 0; o < {Int(l.Out.Depth)}; o++)"))
                    {
                        w.Line($"float value = {Aliases.Unsafe}.Add(ref item, o);");
                        w.Line($"{Aliases.Unsafe}.Add(ref item, o) = " + Store(step, "value", "o") + ";");
                    }
                }
            }
        }
    }

    /// <summary>The name of <see cref="BatchMethod"/>'s method.</summary>
    public static string BatchMethodName(Step step) => step.Method + "Batch";

    /// <summary>One <c>TensorPrimitives.Dot</c> per output: portable, vectorized wherever .NET vectorizes.</summary>
    private static void Dot(SourceWriter w, Step step, string method)
    {
        LayerPlan l = step.Layer;
        int inputs = (int)l.In.Length;
        VariantHeader(w, step, method, l.Name + ": one dot product per output.", optimize: false);
        using (w.Block($"private static void {method}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"global::System.ReadOnlySpan<float> x = {Span}.CreateReadOnlySpan(ref input, {Int(inputs)});");
            w.Line($"ref float bias = ref {Aliases.Unsafe}.Add(ref weights, {Int(l.WeightCount)});");
            using (w.Block($"for (int o = 0; o < {Int(l.Out.Depth)}; o++)"))
            {
                w.Line($"global::System.ReadOnlySpan<float> weightRow = {Span}.CreateReadOnlySpan(ref {Aliases.Unsafe}.Add(ref weights, o * {Int(inputs)}), {Int(inputs)});");
                w.Line($"float value = global::System.Numerics.Tensors.TensorPrimitives.Dot(weightRow, x) + {Aliases.Unsafe}.Add(ref bias, o);");
                w.Line($"{Aliases.Unsafe}.Add(ref output, o) = " + Store(step, "value", "o") + ";");
            }
        }
    }
}
