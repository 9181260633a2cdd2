using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Element-wise layers that run as their own step: <c>[Add]</c>, <c>[Mul]</c> (a 1×1×C operand is one
/// broadcast per channel) and an activation with no kernel before it to fold into. Rows are processed
/// with 256-bit vectors where they are accelerated, else 128-bit ones, then a scalar tail; the
/// operands are dense, the output may be the interior of a bordered buffer.
/// </summary>
internal static class ElementWiseEmitter
{
    private const string U = Aliases.Unsafe;
    private const string Vector128 = Aliases.Vector128;

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        Region dst = step.Destination;
        Volume output = l.Out;
        int plane = output.Width * output.Height;
        var broadcast = new List<bool>();
        foreach (Volume v in l.InputShapes)
        {
            broadcast.Add(v.Width * v.Height == 1 && plane > 1);
        }

        // The epilogue: the layer's own activation (when it is one), then whatever was folded into it.
        var ops = new List<EpilogueOp>();
        if (LayerKinds.Of(l.Kind).Role == LayerRole.Activation)
        {
            ops.Add(EpilogueOp.Of(l, l));
        }
        ops.AddRange(step.Epilogue);
        // The activations with an exponential (SiLU, sigmoid, tanh, GELU, ELU) at the end run as in-place passes over the
        // output after the loop: the pass's AVX-512 loop keeps its constants in registers, where a call per vector here
        // cannot. A SiLU layer alone on 14×14×672 (a copy, then the pass): 53.5 → 25.5 µs, sigmoid 50.5 → 25.8 µs, tanh on
        // 28×28×40 27.2 → 13.1 µs (ONNX Runtime 18.0, 30.5, 7.2 µs; AVX-512, quiet machine, throwaway probe, session 7).
        (List<EpilogueOp> inLoop, List<EpilogueOp> passes) = ActivationEpilogue.SplitSuffix(ops, ActivationEpilogue.PassSuffix(ops, channelKernel: false));
        ops = inLoop;
        // PRelu's slopes are per channel: walk the channels even when the volume is one dense run.
        bool perChannel = ActivationEpilogue.AnyPerChannel(ops);

        var parameters = new List<string>();
        for (int k = 0; k < l.Inputs.Count; k++)
        {
            parameters.Add("ref float " + Operand(k));
        }
        parameters.Add("ref float output");
        if (l.ParameterCount > 0)
        {
            parameters.Add("ref float weights"); // PRelu's slopes
        }
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}({string.Join(", ", parameters)})"))
        {
            Loops(w, l, ops, broadcast, dst, perChannel);
            if (passes.Count > 0)
            {
                w.Line($"// {Epilogue.Describe(passes).Substring(3)} in place over the output, as a pass (see CnnGen.Kernels).");
            }
            foreach (EpilogueOp op in passes)
            {
                w.Line(ActivationEpilogue.Pass(op, "ref output", output, dst));
            }
        }
    }

    /// <summary>The loops over the output: one run when it is dense and nothing is per channel, else channel by channel (and row by row into a bordered buffer).</summary>
    private static void Loops(SourceWriter w, LayerPlan l, List<EpilogueOp> ops, List<bool> broadcast, Region dst, bool perChannel)
    {
        Volume output = l.Out;
        int plane = output.Width * output.Height;
        bool denseOutput = dst.IsDense(output);
        if (!broadcast.Contains(true) && denseOutput && !perChannel)
        {
            w.Line($"// {Count(output.Length)} values, one pass.");
            Row(w, l, ops, broadcast, (int)output.Length, k => "0", "0");
            return;
        }
        using (w.Block($"for (int c = 0; c < {Int(output.Depth)}; c++)"))
        {
            for (int k = 0; k < broadcast.Count; k++)
            {
                if (broadcast[k])
                {
                    w.Line($"float scale{k} = {U}.Add(ref {Operand(k)}, c);");
                }
            }
            if (denseOutput)
            {
                Row(w, l, ops, broadcast, plane, k => $"c * {Int(plane)}", $"c * {Int(plane)}");
                return;
            }
            using (w.Block($"for (int y = 0; y < {Int(output.Height)}; y++)"))
            {
                Row(w, l, ops, broadcast, output.Width, k => $"c * {Int(plane)} + y * {Int(output.Width)}", $"c * {Int(dst.PlaneStride)} + y * {Int(dst.RowStride)}");
            }
        }
    }

    /// <summary>The name of operand <paramref name="k"/>'s parameter.</summary>
    private static string Operand(int k) => k == 0 ? "input" : "other" + k;

    /// <summary>One row of <paramref name="length"/> values: 8 at a time, else 4 at a time, then one at a time.</summary>
    private static void Row(SourceWriter w, LayerPlan l, List<EpilogueOp> ops, List<bool> broadcast, int length,
        System.Func<int, string> sourceOffset, string outputOffset)
    {
        // Inside the channel loop every value's channel is c (PRelu's slope); the one-pass form has no per-channel ops.
        var site = new EpilogueSite("c");
        {
            for (int k = 0; k < broadcast.Count; k++)
            {
                if (!broadcast[k])
                {
                    string offset = sourceOffset(k);
                    w.Line(offset == "0" ? $"ref float x{k} = ref {Operand(k)};" : $"ref float x{k} = ref {U}.Add(ref {Operand(k)}, {offset});");
                }
            }
            w.Line(outputOffset == "0" ? "ref float o = ref output;" : $"ref float o = ref {U}.Add(ref output, {outputOffset});");
            w.Line("int i = 0;");
            if (length >= 8)
            {
                VectorLoop(w, l, ops, broadcast, length, 8, Aliases.Vector256, Aliases.Float8, site);
            }
            if (length >= 4)
            {
                VectorLoop(w, l, ops, broadcast, length, 4, Vector128, Aliases.Float4, site, length >= 8);
            }
            using (w.Block($"for (; i < {Int(length)}; i++)"))
            {
                var values = new List<string>();
                for (int k = 0; k < broadcast.Count; k++)
                {
                    values.Add(broadcast[k] ? $"scale{k}" : $"{U}.Add(ref x{k}, i)");
                }
                w.Line($"{U}.Add(ref o, i) = {Epilogue.Scalar(ops, Combine(l.Kind, values), site)};");
            }
        }
    }

    private static void VectorLoop(SourceWriter w, LayerPlan l, List<EpilogueOp> ops, List<bool> broadcast, int length, int width,
        string vector, string type, EpilogueSite site, bool elseBranch = false)
    {
        using (w.Block($"{(elseBranch ? "else " : "")}if ({vector}.IsHardwareAccelerated)"))
        {
            var values = new List<string>();
            for (int k = 0; k < broadcast.Count; k++)
            {
                if (broadcast[k])
                {
                    w.Line($"{type} b{k} = {vector}.Create(scale{k});");
                }
                values.Add(broadcast[k] ? $"b{k}" : $"{vector}.LoadUnsafe(ref x{k}, (nuint)i)");
            }
            using (w.Block($"for (; i <= {Int(length - width)}; i += {width})"))
            {
                string value = Epilogue.Vector(ops, Combine(l.Kind, values), new VectorApi(type, vector), site);
                w.Line($"{vector}.StoreUnsafe({value}, ref o, (nuint)i);");
            }
        }
    }

    /// <summary>The operation on the operands' values, before any activation.</summary>
    private static string Combine(LayerKind kind, List<string> values) => kind switch
    {
        LayerKind.Add => string.Join(" + ", values),
        LayerKind.Mul => string.Join(" * ", values),
        _ when LayerKinds.Of(kind).Role is LayerRole.Activation or LayerRole.NoOp => values[0],
        _ => throw new UnhandledKindException(kind, nameof(ElementWiseEmitter)),
    };
}
