using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

internal static partial class LayerEmitter
{
    /// <summary>Log-softmax over the whole vector: xᵢ − max − log Σ exp(xⱼ − max), with the largest value subtracted so exp never overflows.</summary>
    private static void LogSoftmax(SourceWriter w, Step step)
    {
        int n = (int)step.Layer.In.Length;
        string u = Aliases.Unsafe;
        MethodHeader(w, step);
        using (w.Block($"private static void {step.Method}(ref float input, ref float output)"))
        {
            w.Line("// Subtract the largest value first so exp never overflows; the sum is at least 1, so its log is finite.");
            LargestInput(w, n);
            w.Line("float sum = 0f;");
            using (w.Block($"for (int i = 0; i < {Int(n)}; i++)"))
            {
                w.Line($"sum += global::System.MathF.Exp({u}.Add(ref input, i) - max);");
            }
            w.Line("float logSum = global::System.MathF.Log(sum);");
            using (w.Block($"for (int i = 0; i < {Int(n)}; i++)"))
            {
                w.Line($"{u}.Add(ref output, i) = ({u}.Add(ref input, i) - max) - logSum;");
            }
        }
    }

    /// <summary><c>float max</c>: the largest of the first <paramref name="n"/> inputs (softmax and log-softmax subtract it).</summary>
    private static void LargestInput(SourceWriter w, int n)
    {
        w.Line("float max = input;");
        using (w.Block($"for (int i = 1; i < {Int(n)}; i++)"))
        {
            w.Line($"max = global::System.MathF.Max(max, {Aliases.Unsafe}.Add(ref input, i));");
        }
    }
}
