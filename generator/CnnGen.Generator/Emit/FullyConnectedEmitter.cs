using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.LayerEmitter;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Emits a fully connected layer. At batch size 1 it is bound by reading the weights, so the vector
/// kernels (AVX2, and portable <c>Vector128</c> for Arm64, x64 without AVX2 and WebAssembly) stream
/// <see cref="Rows"/> weight rows at once against one load of the input (more memory streams in
/// flight, the input read once per group instead of once per row), with two accumulators per row;
/// elsewhere each row is one <c>TensorPrimitives.Dot</c>.
/// </summary>
internal static class FullyConnectedEmitter
{
    /// <summary>Weight rows per pass of the AVX2 kernel.</summary>
    private const int Rows = 4;

    private const string Span = "global::System.Runtime.InteropServices.MemoryMarshal";

    /// <summary>How one vector kernel is spelled: its name, the JIT-time condition that selects it, its vector type, class, FMA and width.</summary>
    private sealed record Isa(string Name, string Condition, string Type, string Static, string Fma, int Width);

    private static readonly Isa Avx2Isa = new("Avx2", $"{Aliases.Fma}.IsSupported && {Aliases.Vector256}.IsHardwareAccelerated",
        Aliases.Float8, Aliases.Vector256, $"{Aliases.Fma}.MultiplyAdd", 8);

    private static readonly Isa Portable = new("Vector128", $"{Aliases.Vector128}.IsHardwareAccelerated",
        Aliases.Float4, Aliases.Vector128, $"{Aliases.Kernels}MultiplyAdd", 4);

    public static void Emit(SourceWriter w, Step step)
    {
        LayerPlan l = step.Layer;
        int inputs = (int)l.In.Length;
        if (inputs < 16 || l.Out.Depth < Rows)
        {
            Dot(w, step, step.Method);
            return;
        }
        var kernels = new[] { Avx2Isa, Portable };
        Dispatch(w, step, withWeights: true, System.Array.ConvertAll(kernels, k => (k.Condition, k.Name)), "Dot");
        foreach (Isa isa in kernels)
        {
            w.Line();
            Vector(w, step, isa);
        }
        w.Line();
        Dot(w, step, step.Method + "Dot");
    }

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

    private static void Vector(SourceWriter w, Step step, Isa isa)
    {
        LayerPlan l = step.Layer;
        int inputs = (int)l.In.Length;
        int outputs = l.Out.Depth;
        int grouped = outputs / Rows * Rows;
        int vectorized = inputs / (2 * isa.Width) * 2 * isa.Width;
        KernelHeader(w, $"{l.Name} on {isa.Name}: {Rows} weight rows at a time, {2 * isa.Width} inputs per step.");
        using (w.Block($"private static void {step.Method}{isa.Name}(ref float input, ref float output, ref float weights)"))
        {
            w.Line($"ref float bias = ref {Aliases.Unsafe}.Add(ref weights, {Int(l.WeightCount)});");
            using (w.Loop("o", 0, grouped, Rows))
            {
                RowGroup(w, step, isa, Rows, vectorized);
            }
            if (grouped < outputs)
            {
                using (w.Block($"for (int o = {Int(grouped)}; o < {Int(outputs)}; o++)"))
                {
                    RowGroup(w, step, isa, 1, vectorized);
                }
            }
        }
    }

    /// <summary><paramref name="rows"/> outputs from <c>o</c> on: two vector accumulators per row, then the sum, the tail and the bias.</summary>
    private static void RowGroup(SourceWriter w, Step step, Isa isa, int rows, int vectorized)
    {
        LayerPlan l = step.Layer;
        int inputs = (int)l.In.Length;
        string f8 = isa.Type, v = isa.Static, fma = isa.Fma;
        int width = isa.Width;
        for (int r = 0; r < rows; r++)
        {
            string offset = r == 0 ? "o" : $"(o + {r})";
            w.Line($"ref float row{r} = ref {Aliases.Unsafe}.Add(ref weights, {offset} * {Int(inputs)});");
            w.Line($"{f8} sum{r}a = {f8}.Zero, sum{r}b = {f8}.Zero;");
        }
        using (w.Block($"for (int k = 0; k < {Int(vectorized)}; k += {2 * width})"))
        {
            w.Line($"{f8} xa = {v}.LoadUnsafe(ref input, (nuint)k);");
            w.Line($"{f8} xb = {v}.LoadUnsafe(ref input, (nuint)(k + {width}));");
            for (int r = 0; r < rows; r++)
            {
                w.Line($"sum{r}a = {fma}({v}.LoadUnsafe(ref row{r}, (nuint)k), xa, sum{r}a);");
                w.Line($"sum{r}b = {fma}({v}.LoadUnsafe(ref row{r}, (nuint)(k + {width})), xb, sum{r}b);");
            }
        }
        for (int r = 0; r < rows; r++)
        {
            string index = r == 0 ? "o" : $"o + {r}";
            w.Line($"float value{r} = {v}.Sum(sum{r}a + sum{r}b) + {Aliases.Unsafe}.Add(ref bias, {index});");
            if (vectorized < inputs)
            {
                using (w.Block($"for (int k = {Int(vectorized)}; k < {Int(inputs)}; k++)"))
                {
                    w.Line($"value{r} += {Aliases.Unsafe}.Add(ref row{r}, k) * {Aliases.Unsafe}.Add(ref input, k);");
                }
            }
            w.Line($"{Aliases.Unsafe}.Add(ref output, {index}) = " + Store(step, $"value{r}", index) + ";");
        }
    }
}
