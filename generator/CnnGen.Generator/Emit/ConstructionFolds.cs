using System.Collections.Generic;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using static CnnGen.Generator.Emit.Literals;

namespace CnnGen.Generator.Emit;

/// <summary>
/// Arithmetic the generated constructor does once, on its private copy of the parameters, so that the
/// forward pass does less. The parameter span keeps the user's (PyTorch's) layout; only the copy changes.
/// <list type="bullet">
/// <item>A <c>[BatchNorm]</c> right after a Conv, FullyConnected or ConvTranspose whose output nothing else reads
/// is folded into that kernel: with <c>s = γ/√(var + ε)</c> per output channel, weights become <c>w·s</c> and
/// the bias <c>(b − mean)·s + β</c>. The BatchNorm then costs nothing per call.</item>
/// <item>A <c>[Normalize]</c> whose only reader is a conv without padding is folded into that conv: weights
/// <c>w/std[c]</c>, bias <c>b − Σ w·mean[c]/std[c]</c>.</item>
/// <item>Any other <c>[BatchNorm]</c> runs as a per-channel <c>x·scale + shift</c> pass; the constructor
/// stores <c>scale = s</c> over γ and <c>shift = β − mean·s</c> over β.</item>
/// </list>
/// Everything is computed in double and rounded once.
/// </summary>
internal static class ConstructionFolds
{
    /// <summary>
    /// The <c>[BatchNorm]</c> that folds into layer <paramref name="index"/>'s weights: its only reader, when the
    /// layer is a kernel with one bias per output channel. Null when there is none.
    /// </summary>
    public static int? BatchNormAfter(IReadOnlyList<LayerPlan> layers, List<int>[] readers, int index)
    {
        if (layers[index].Kind is not (LayerKind.Conv or LayerKind.FullyConnected or LayerKind.ConvTranspose)
            || readers[index].Count != 1)
        {
            return null;
        }
        int reader = readers[index][0];
        return layers[reader].Kind == LayerKind.BatchNorm ? reader : null;
    }

    /// <summary>
    /// The conv that the <c>[Normalize]</c> at <paramref name="index"/> folds into: its only reader, when that is a
    /// convolution without padding. With padding the fold would be wrong at the borders (a padded zero is a zero of
    /// the normalized input, i.e. <c>mean</c> in raw values), so the Normalize then runs as its own pass.
    /// </summary>
    public static int? NormalizeInto(IReadOnlyList<LayerPlan> layers, List<int>[] readers, int index)
    {
        if (layers[index].Kind != LayerKind.Normalize || readers[index].Count != 1)
        {
            return null;
        }
        LayerPlan reader = layers[readers[index][0]];
        return reader.Kind == LayerKind.Conv && !reader.HasPadding ? readers[index][0] : null;
    }

    /// <summary>The <c>[Normalize]</c> that folds into the conv at <paramref name="index"/> (see <see cref="NormalizeInto"/>), or null.</summary>
    public static int? NormalizeBefore(IReadOnlyList<LayerPlan> layers, List<int>[] readers, int index)
    {
        int input = layers[index].Inputs.Count > 0 ? layers[index].Inputs[0] : LayerPlan.NetworkInput;
        return input >= 0 && NormalizeInto(layers, readers, input) == index ? input : null;
    }

    /// <summary><c> + BatchNorm1 (folded into the weights)</c> or <c> after Normalize1 (folded into the weights)</c> for the step's description.</summary>
    public static string Describe(Step step)
    {
        string text = "";
        foreach (LayerPlan fold in step.Folds)
        {
            text += (fold.Kind == LayerKind.Normalize ? " after " : " + ") + $"{fold.Name} (folded into the weights)";
        }
        return text;
    }

    private static bool Any(BufferPlan buffers)
    {
        foreach (Step step in buffers.Steps)
        {
            if (step.Folds.Count > 0 || step.Layer.Kind == LayerKind.BatchNorm)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The constructor's call, after it copied the parameters; nothing when there is nothing to fold.</summary>
    public static void Call(SourceWriter w, BufferPlan buffers)
    {
        if (Any(buffers))
        {
            w.Line("FoldParameters(_parameters);");
        }
    }

    /// <summary>The <c>FoldParameters</c> method the constructor calls; nothing when there is nothing to fold.</summary>
    public static void Method(SourceWriter w, BufferPlan buffers)
    {
        if (!Any(buffers))
        {
            return;
        }
        w.Line();
        w.Line("/// <summary>Folds batch and input normalizations into the weights of the kernels beside them, or turns a batch normalization's four vectors into a scale and a shift (once, at construction).</summary>");
        using (w.Block("private static void FoldParameters(float[] p)"))
        {
            bool first = true;
            foreach (Step step in buffers.Steps)
            {
                foreach (LayerPlan fold in step.Folds)
                {
                    Separate(w, ref first);
                    if (fold.Kind == LayerKind.Normalize)
                    {
                        NormalizeIntoConv(w, step.Layer, fold);
                    }
                    else
                    {
                        IntoKernel(w, step.Layer, fold);
                    }
                }
                if (step.Layer.Kind == LayerKind.BatchNorm)
                {
                    Separate(w, ref first);
                    ScaleAndShift(w, step.Layer);
                }
            }
        }
    }

    private static void Separate(SourceWriter w, ref bool first)
    {
        if (!first)
        {
            w.Line();
        }
        first = false;
    }

    /// <summary><c>double scale = γ[o] / √(var[o] + ε);</c> for the BatchNorm whose parameters start at <c>{norm}Parameters</c>.</summary>
    private static void Scale(SourceWriter w, LayerPlan norm, string channel)
    {
        int depth = norm.Out.Depth;
        string at = norm.Name + "Parameters";
        // var + ε in float, as PyTorch adds it; the square root and everything after in double.
        w.Line($"double scale = p[{at} + {channel}] / global::System.Math.Sqrt(p[{at} + {Int(3L * depth)} + {channel}] + {Literals.Float(norm.Epsilon)});");
        w.Line($"double shift = p[{at} + {Int(depth)} + {channel}] - p[{at} + {Int(2L * depth)} + {channel}] * scale; // β − mean·scale");
    }

    private static void IntoKernel(SourceWriter w, LayerPlan kernel, LayerPlan norm)
    {
        string k = kernel.Name + "Parameters";
        int outputs = kernel.Out.Depth;
        w.Line($"// {norm.Name} folded into {kernel.Name}: weights · γ/√(var + ε), bias (b − mean)·γ/√(var + ε) + β.");
        using (w.Block($"for (int o = 0; o < {Int(outputs)}; o++)"))
        {
            Scale(w, norm, "o");
            if (kernel.Kind == LayerKind.ConvTranspose)
            {
                // Weights [depth][filters][height][width]: output channel o has one block of taps per input channel.
                int taps = kernel.KernelWidth * kernel.KernelHeight;
                using (w.Block($"for (int i = 0; i < {Int(kernel.In.Depth)}; i++)"))
                {
                    using (w.Block($"for (int t = 0; t < {Int(taps)}; t++)"))
                    {
                        w.Line($"ref float weight = ref p[{k} + (i * {Int(outputs)} + o) * {Int(taps)} + t];");
                        w.Line("weight = (float)(weight * scale);");
                    }
                }
            }
            else
            {
                // Weights [outputs][…]: output channel o's weights are one run.
                int per = kernel.WeightCount / outputs;
                using (w.Block($"for (int t = 0; t < {Int(per)}; t++)"))
                {
                    w.Line($"ref float weight = ref p[{k} + o * {Int(per)} + t];");
                    w.Line("weight = (float)(weight * scale);");
                }
            }
            w.Line($"ref float bias = ref p[{k} + {Int(kernel.WeightCount)} + o];");
            w.Line("bias = (float)(bias * scale + shift);");
        }
    }

    /// <summary>
    /// A conv reading <c>(x − mean[c])/std[c]</c> is a conv of <c>x</c> with weights <c>w/std[c]</c> and bias
    /// <c>b − Σ w·mean[c]/std[c]</c> (exact because the conv has no padding: every tap reads a real input).
    /// </summary>
    private static void NormalizeIntoConv(SourceWriter w, LayerPlan conv, LayerPlan normalize)
    {
        string k = conv.Name + "Parameters";
        int taps = conv.KernelWidth * conv.KernelHeight;
        int channels = conv.In.Depth / conv.Groups, filtersPerGroup = conv.Out.Depth / conv.Groups;
        using (w.Block($"// {normalize.Name} folded into {conv.Name}: weights w/std[c], bias b − Σ w·mean[c]/std[c]."))
        {
            w.Line($"global::System.ReadOnlySpan<double> mean = {Doubles(normalize.Mean)};");
            w.Line($"global::System.ReadOnlySpan<double> std = {Doubles(normalize.Std)};");
            using (w.Block($"for (int f = 0; f < {Int(conv.Out.Depth)}; f++)"))
            {
                w.Line("double shift = 0;");
                using (w.Block($"for (int k = 0; k < {Int(channels)}; k++)"))
                {
                    w.Line($"int c = {(conv.Groups == 1 ? "k" : $"f / {Int(filtersPerGroup)} * {Int(channels)} + k")}; // the input channel");
                    using (w.Block($"for (int t = 0; t < {Int(taps)}; t++)"))
                    {
                        w.Line($"ref float weight = ref p[{k} + (f * {Int(channels)} + k) * {Int(taps)} + t];");
                        w.Line("shift += weight * mean[c] / std[c];");
                        w.Line("weight = (float)(weight / std[c]);");
                    }
                }
                w.Line($"ref float bias = ref p[{k} + {Int(conv.WeightCount)} + f];");
                w.Line("bias = (float)(bias - shift);");
            }
        }
    }

    /// <summary><c>new double[] { 0.485, … }</c>: the float constants, widened exactly.</summary>
    private static string Doubles(IEnumerable<float> values)
    {
        var items = new List<string>();
        foreach (float value in values)
        {
            items.Add(((double)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
        return "new double[] { " + string.Join(", ", items) + " }";
    }

    private static void ScaleAndShift(SourceWriter w, LayerPlan norm)
    {
        string at = norm.Name + "Parameters";
        w.Line($"// {norm.Name} runs as x·scale + shift: γ becomes scale = γ/√(var + ε), β becomes shift = β − mean·scale.");
        using (w.Block($"for (int c = 0; c < {Int(norm.Out.Depth)}; c++)"))
        {
            Scale(w, norm, "c");
            w.Line($"p[{at} + c] = (float)scale;");
            w.Line($"p[{at} + {Int(norm.Out.Depth)} + c] = (float)shift;");
        }
    }
}
