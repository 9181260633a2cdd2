using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// The batched tail (<c>CnnGen.IBatchTail</c>): when a network's last steps are a chain of fully connected layers
/// calling the runtime kernel, with only vector steps (activations not fused into them, softmax, log-softmax) between
/// and after them (dropout and flatten are no steps), the class also gets <c>ForwardFeatures</c> (the steps before
/// the chain, for one item, then a copy of the chain's input) and <c>ForwardTail</c> (the chain for n items:
/// <c>CnnGen.Dense.ForwardBatch</c> per fully connected layer, the other steps item by item). <c>NetworkBatch</c> then
/// reads each classifier weight once per batch (chunks of up to 64 items) instead of once per item: AlexNet's
/// classifier is 233 MB of weights, 6–7 ms per item from memory. <c>Forward</c> is unchanged.
/// </summary>
/// <remarks>
/// The chain's vectors live in the caller's scratch (<c>TailScratchLength</c> floats per item): two buffers of n
/// items each, used in turn, each as large as the longest vector between two steps of the chain; the last step
/// writes the output.
/// </remarks>
internal static class BatchTailEmitter
{
    /// <summary>The first step of the batched tail, or null when the network has none.</summary>
    public static int? Start(BufferPlan buffers)
    {
        int? start = null;
        for (int s = buffers.Steps.Count - 1; s >= 0; s--)
        {
            Step step = buffers.Steps[s];
            if (!Chainable(step) || (s + 1 < buffers.Steps.Count && buffers.Steps[s + 1].Source != step.Destination))
            {
                break;
            }
            if (s + 1 == buffers.Steps.Count && step.Destination.Storage != Storage.Output)
            {
                break;
            }
            if (IsGemm(step))
            {
                start = s;
            }
        }
        return start;
    }

    /// <summary>A step the tail can hold: one dense input and output, nothing bordered, no workspace; a fully connected layer or a vector step.</summary>
    private static bool Chainable(Step step)
    {
        LayerPlan l = step.Layer;
        return step.Sources.Count == 1 && !step.Aliased && step.Padded is null && step.CopyFrom is null && step.Workspace is null
            && step.Source.IsDense(l.In) && step.Destination.IsDense(l.Out) && l.Out.Width == 1 && l.Out.Height == 1
            && (l.Kind == LayerKind.FullyConnected || LayerKinds.Of(l.Kind).Role is LayerRole.Activation or LayerRole.Vector);
    }

    /// <summary>A fully connected step on the runtime kernel: batched as one GEMM.</summary>
    private static bool IsGemm(Step step) => step.Layer.Kind == LayerKind.FullyConnected && FullyConnectedEmitter.UsesDense(step);

    /// <summary>Floats per item of the tail's scratch: two buffers as long as the longest vector between its steps.</summary>
    private static long ScratchLength(BufferPlan buffers, int start)
    {
        long longest = 0;
        for (int s = start; s + 1 < buffers.Steps.Count; s++)
        {
            longest = System.Math.Max(longest, buffers.Steps[s].Layer.Out.Length);
        }
        return buffers.Steps.Count - start > 2 ? 2 * longest : longest;
    }

    /// <summary>The call that runs the steps before the tail (in <c>Forward</c> and <c>ForwardFeatures</c>).</summary>
    public const string CallToTail = "ForwardToTail(ref x);";

    public static void Members(SourceWriter w, NetworkPlan plan, BufferPlan buffers, int start)
    {
        Step first = buffers.Steps[start];
        long features = first.Layer.In.Length, scratch = ScratchLength(buffers, start);
        string u = Aliases.Unsafe;
        const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
        w.Line($"/// <summary>Values per item at the start of the batched tail: the input of {first.Layer.Name}.</summary>");
        w.Line($"public const int TailInputLength = {Int(features)};");
        w.Line($"/// <summary>Floats of scratch per item that the batched tail needs between its steps.</summary>");
        w.Line($"public const int TailScratchLength = {Int(scratch)};");
        w.Line("int global::CnnGen.IBatchTail.TailInputLength => TailInputLength;");
        w.Line("int global::CnnGen.IBatchTail.TailScratchLength => TailScratchLength;");
        w.Line();
        if (start > 0)
        {
            w.Line($"/// <summary>The steps of <c>Forward</c> before the batched tail, shared with <c>ForwardFeatures</c>: they leave {first.Layer.Name}'s input in the scratch memory.</summary>");
            using (w.Block("private void ForwardToTail(ref float x)"))
            {
                NetworkEmitter.Locals(w, buffers, NetworkEmitter.UsesParameters(buffers, 0, start));
                NetworkEmitter.Steps(w, buffers, 0, start);
            }
            w.Line();
        }
        w.Line($"/// <summary>Runs the network on one input up to {first.Layer.Name} and writes {first.Layer.Name}'s {Count(features)} inputs (see <c>CnnGen.IBatchTail</c>).</summary>");
        using (w.Block("public void ForwardFeatures(global::System.ReadOnlySpan<float> input, global::System.Span<float> features)"))
        {
            w.Line("global::CnnGen.Internal.Guard.Length(input.Length, InputLength, \"input values\", nameof(input));");
            w.Line("global::CnnGen.Internal.Guard.Length(features.Length, TailInputLength, \"feature values\", nameof(features));");
            w.Line($"ref float x = ref {Marshal}.GetReference(input);");
            if (start > 0)
            {
                w.Line(CallToTail);
            }
            NetworkEmitter.Locals(w, buffers, usesParameters: false);
            w.Line();
            w.Line($"// {first.Layer.Name}'s input, for the batched tail.");
            w.Line($"{Marshal}.CreateReadOnlySpan({NetworkEmitter.Ref(first.Source, useStart: true)}, TailInputLength).CopyTo(features);");
        }
        w.Line();
        w.Line("/// <summary>Runs the batched tail on n items' features at once (see <c>CnnGen.IBatchTail</c>).</summary>");
        using (w.Block("public void ForwardTail(global::System.ReadOnlySpan<float> features, global::System.Span<float> output, global::System.Span<float> scratch, int maxDegreeOfParallelism)"))
        {
            w.Line("int count = global::CnnGen.Internal.Guard.Tail(features.Length, TailInputLength, output.Length, OutputLength, scratch.Length, TailScratchLength, maxDegreeOfParallelism);");
            w.Line($"ref float x = ref {Marshal}.GetReference(features);");
            w.Line($"ref float y = ref {Marshal}.GetReference(output);");
            w.Line($"ref float parameters = ref {Marshal}.GetArrayDataReference(_parameters);");
            if (scratch > 0)
            {
                w.Line($"ref float a = ref {Marshal}.GetReference(scratch);");
            }
            if (buffers.Steps.Count - start > 2)
            {
                w.Line($"ref float b = ref {u}.Add(ref a, (nint)count * {Int(scratch / 2)});");
            }
            string source = "x";
            for (int s = start; s < buffers.Steps.Count; s++)
            {
                Step step = buffers.Steps[s];
                string destination = s + 1 == buffers.Steps.Count ? "y" : (s - start) % 2 == 0 ? "a" : "b";
                string weights = step.Layer.ParameterCount > 0 ? $", ref {u}.Add(ref parameters, {step.Layer.Name}Parameters)" : "";
                long inLength = step.Layer.In.Length, outLength = step.Layer.Out.Length;
                w.Line();
                w.Line("// " + LayerEmitter.Describe(step));
                if (IsGemm(step))
                {
                    w.Line($"{FullyConnectedEmitter.BatchMethodName(step)}(ref {source}, ref {destination}{weights}, count, maxDegreeOfParallelism);");
                    if (step.Deferred.Count > 0)
                    {
                        using (w.Block("for (int i = 0; i < count; i++)"))
                        {
                            Deferred(w, step, $"ref {u}.Add(ref {destination}, (nint)i * {Int(outLength)})");
                        }
                    }
                }
                else
                {
                    using (w.Block("for (int i = 0; i < count; i++)"))
                    {
                        string item = $"ref {u}.Add(ref {destination}, (nint)i * {Int(outLength)})";
                        w.Line($"{step.Method}(ref {u}.Add(ref {source}, (nint)i * {Int(inLength)}), {item}{weights});");
                        Deferred(w, step, item);
                    }
                }
                source = destination;
            }
        }
        for (int s = start; s < buffers.Steps.Count; s++)
        {
            if (IsGemm(buffers.Steps[s]))
            {
                w.Line();
                FullyConnectedEmitter.BatchMethod(w, buffers.Steps[s]);
            }
        }
        w.Line();
    }

    private static void Deferred(SourceWriter w, Step step, string start)
    {
        foreach (EpilogueOp op in step.Deferred)
        {
            w.Line(ActivationEpilogue.Pass(op, start, step.Layer.Out, step.Destination));
        }
    }
}
