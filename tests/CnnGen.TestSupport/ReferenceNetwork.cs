using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CnnGen.TestSupport;

/// <summary>
/// The oracle: a deliberately plain implementation of the layers (nested loops, double accumulation),
/// written from the documented semantics (PyTorch's) and sharing no code with the generator.
/// A network is a graph: each layer reads the previous layer's output, or its <see cref="RefLayer.From"/>'s,
/// and merges (<see cref="RefMerge"/>) also read the layers they name; the output is the last layer's.
/// Invalid graphs (unknown or later names, duplicate names, mismatched shapes) throw <see cref="ArgumentException"/>.
/// </summary>
public sealed class ReferenceNetwork
{
    /// <summary>The name of the network input in references.</summary>
    public const string InputName = "Input";

    /// <summary>The index that stands for the network input in <see cref="InputIndices"/>.</summary>
    public const int InputIndex = -1;

    public ReferenceNetwork(RefShape input, IReadOnlyList<RefLayer> layers)
    {
        Input = input;
        Layers = layers.ToArray();
        string[] names = ResolveNames(Layers);
        var byName = new Dictionary<string, int>(StringComparer.Ordinal) { [InputName] = InputIndex };
        var shapes = new List<RefShape>();
        var offsets = new List<int>();
        var inputs = new List<IReadOnlyList<int>>();
        int parameters = 0;
        for (int i = 0; i < Layers.Count; i++)
        {
            RefLayer layer = Layers[i];
            int Resolve(string reference) => byName.TryGetValue(reference, out int index)
                ? index
                : throw new ArgumentException(Array.IndexOf(names, reference) >= 0
                    ? $"layer {names[i]} reads {reference}, which is not an earlier layer"
                    : $"layer {names[i]} reads {reference}, which does not exist");
            var reads = new List<int> { layer.From is null ? i - 1 : Resolve(layer.From) };
            if (layer is RefMerge merge)
            {
                reads.AddRange(merge.Others.Select(Resolve));
            }
            RefShape[] inShapes = reads.Select(r => r == InputIndex ? input : shapes[r]).ToArray();
            RefShape output;
            try
            {
                output = OutputShape(layer, inShapes);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"layer {names[i]}: {e.Message}", e);
            }
            inputs.Add(reads);
            offsets.Add(parameters);
            parameters += ParameterCountOf(layer, inShapes[0]);
            shapes.Add(output);
            byName[names[i]] = i;
        }
        Names = names;
        InputIndices = inputs;
        OutputShapes = shapes;
        ParameterOffsets = offsets;
        ParameterCount = parameters;
    }

    public RefShape Input { get; }

    public IReadOnlyList<RefLayer> Layers { get; }

    /// <summary>Each layer's name: its <see cref="RefLayer.Name"/>, or the default (<see cref="KindPrefix"/> and number).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// The layers each layer reads, in order (<see cref="InputIndex"/> for the network input): its
    /// primary input (the previous layer or <see cref="RefLayer.From"/>), then a merge's others.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> InputIndices { get; }

    /// <summary>The output volume of each layer.</summary>
    public IReadOnlyList<RefShape> OutputShapes { get; }

    /// <summary>Where each layer's parameters start.</summary>
    public IReadOnlyList<int> ParameterOffsets { get; }

    public int ParameterCount { get; }

    public int InputLength => Input.Length;

    /// <summary>The length of the network output: the last layer's.</summary>
    public int OutputLength => OutputShapes.Count == 0 ? Input.Length : OutputShapes[^1].Length;

    /// <summary>The primary input volume of layer <paramref name="index"/> (the one a Conv or FullyConnected reads).</summary>
    public RefShape InputShapeOf(int index) => ShapeOf(InputIndices[index][0]);

    /// <summary>The names of the tensors layer <paramref name="index"/> reads, in order (<c>"Input"</c> for the network input).</summary>
    public IReadOnlyList<string> InputNamesOf(int index) => InputIndices[index].Select(NameOf).ToArray();

    /// <summary>The output volume of layer <paramref name="index"/>, or the network input for <see cref="InputIndex"/>.</summary>
    public RefShape ShapeOf(int index) => index == InputIndex ? Input : OutputShapes[index];

    /// <summary>The name of layer <paramref name="index"/>, or <c>"Input"</c> for <see cref="InputIndex"/>.</summary>
    public string NameOf(int index) => index == InputIndex ? InputName : Names[index];

    /// <summary>The index of the layer called <paramref name="name"/> (<see cref="InputIndex"/> for <c>"Input"</c>).</summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++)
        {
            if (Names[i] == name)
            {
                return i;
            }
        }
        return name == InputName ? InputIndex : throw new ArgumentException($"no layer {name}");
    }

    /// <summary>The layers that read layer <paramref name="index"/>'s output (or the input's, for <see cref="InputIndex"/>).</summary>
    public IReadOnlyList<int> ReadersOf(int index) =>
        Enumerable.Range(0, Layers.Count).Where(i => InputIndices[i].Contains(index)).ToArray();

    /// <summary>
    /// Layers whose output does not reach the network output (dead branches), in order; empty for a
    /// well-formed network. The last layer always reaches it.
    /// </summary>
    public IReadOnlyList<int> DeadLayers()
    {
        var live = new bool[Layers.Count];
        if (Layers.Count > 0)
        {
            live[^1] = true;
        }
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            if (live[i])
            {
                foreach (int r in InputIndices[i].Where(r => r != InputIndex))
                {
                    live[r] = true;
                }
            }
        }
        return Enumerable.Range(0, Layers.Count).Where(i => !live[i]).ToArray();
    }

    /// <summary>
    /// The prefix of a layer's default name: <c>Conv</c>, <c>Relu</c>, <c>MaxPool</c>, <c>AvgPool</c>,
    /// <c>Fc</c>, <c>Softmax</c>, <c>Add</c>, <c>Mul</c>, <c>Concat</c>.
    /// </summary>
    public static string KindPrefix(RefLayer layer) => layer switch
    {
        RefConv => "Conv",
        RefRelu => "Relu",
        RefRelu6 => "Relu6",
        RefBatchNorm => "BatchNorm",
        RefNormalize => "Normalize",
        RefConvTranspose => "ConvTranspose",
        RefPool p => p.IsMax ? "MaxPool" : "AvgPool",
        RefFullyConnected => "Fc",
        RefSoftmax => "Softmax",
        RefMerge m => m.Kind,
        RefShapeLayer s => s.Prefix,
        RefActivation a => a.Kind,
        _ => throw new NotSupportedException(layer.ToString()),
    };

    /// <summary>
    /// Each layer's name: explicit, or its kind prefix and its 1-based number among all layers of that
    /// kind in order (named ones count too). Throws on duplicates and on a layer named <c>"Input"</c>.
    /// </summary>
    public static string[] ResolveNames(IReadOnlyList<RefLayer> layers)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new string[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            string prefix = KindPrefix(layers[i]);
            counts[prefix] = counts.GetValueOrDefault(prefix) + 1;
            names[i] = layers[i].Name ?? prefix + counts[prefix].ToString(CultureInfo.InvariantCulture);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal) { InputName };
        foreach (string name in names)
        {
            if (!seen.Add(name))
            {
                throw new ArgumentException($"two tensors are called {name}");
            }
        }
        return names;
    }

    /// <summary>
    /// Number of windows along one axis. Floor mode: every window that fits in the padded input.
    /// Ceil mode (PyTorch): windows may hang past the end, as long as the count is at most
    /// ceil((padded − window)/stride) + 1 and each window after the first starts inside the input or
    /// its leading padding.
    /// </summary>
    public static int WindowCount(int size, int window, int stride, int padBefore, int padAfter, int dilation, bool ceil)
    {
        int effective = dilation * (window - 1) + 1;
        int padded = size + padBefore + padAfter;
        if (effective > padded)
        {
            throw new ArgumentException($"window {effective} does not fit {padded}");
        }
        int count = 0;
        for (int o = 0; ; o++)
        {
            int start = o * stride; // in padded coordinates
            if (!ceil)
            {
                if (start + effective > padded)
                {
                    break;
                }
            }
            else
            {
                // ceil((padded − effective)/stride) + 1 windows at most: start ≤ padded − effective + stride − 1.
                if (start > padded - effective + stride - 1)
                {
                    break;
                }
                if (o > 0 && start >= size + padBefore)
                {
                    break;
                }
            }
            count++;
        }
        return count;
    }

    /// <summary>The output volume of a single-input layer (throws for a <see cref="RefMerge"/>: it needs its others' shapes).</summary>
    public static RefShape OutputShape(RefLayer layer, RefShape input) => layer switch
    {
        RefConv c when c.Groups < 1 || input.Depth % c.Groups != 0 || c.Filters % c.Groups != 0 =>
            throw new ArgumentException($"groups {c.Groups} do not divide depth {input.Depth} and filters {c.Filters}"),
        RefConv c => new RefShape(
            WindowCount(input.Width, c.KernelWidth, c.StrideX, c.PadLeft, c.PadRight, c.DilationX, false),
            WindowCount(input.Height, c.KernelHeight, c.StrideY, c.PadTop, c.PadBottom, c.DilationY, false),
            c.Filters),
        RefPool p => new RefShape(
            WindowCount(input.Width, p.WindowWidth, p.StrideX, p.PadLeft, p.PadRight, 1, p.CeilMode),
            WindowCount(input.Height, p.WindowHeight, p.StrideY, p.PadTop, p.PadBottom, 1, p.CeilMode),
            input.Depth),
        RefFullyConnected f => new RefShape(1, 1, f.Outputs),
        RefNormalize n when n.Mean.Length != input.Depth || n.Std.Length != input.Depth => throw new ArgumentException("one mean and std per channel"),
        RefConvTranspose t => new RefShape(
            TransposedSize(input.Width, t.KernelWidth, t.Stride, t.Padding, t.OutputPadding),
            TransposedSize(input.Height, t.KernelHeight, t.Stride, t.Padding, t.OutputPadding),
            t.Filters),
        RefMerge m => throw new ArgumentException($"{m.Kind} needs the shapes of the layers it names"),
        RefShapeLayer s => s.OutputShape(input),
        _ => input,
    };

    /// <summary>
    /// The output volume of a layer reading <paramref name="inputs"/> (its primary input first, then a
    /// merge's others). Throws <see cref="ArgumentException"/> when the shapes do not fit.
    /// </summary>
    public static RefShape OutputShape(RefLayer layer, IReadOnlyList<RefShape> inputs)
    {
        if (layer is not RefMerge merge)
        {
            return inputs.Count == 1 ? OutputShape(layer, inputs[0]) : throw new ArgumentException("one input expected");
        }
        if (inputs.Count != merge.Others.Count + 1)
        {
            throw new ArgumentException($"{merge.Kind} reads {merge.Others.Count + 1} tensors");
        }
        string all = string.Join(", ", inputs);
        switch (merge)
        {
            case RefAdd:
                return inputs.All(s => s == inputs[0]) ? inputs[0] : throw new ArgumentException($"Add of different shapes {all}");
            case RefMul:
            {
                // Operands are W×H×C or 1×1×C (broadcast); the output is the W×H×C one.
                RefShape full = inputs.MaxBy(s => s.Width * s.Height);
                bool fits = inputs.All(s => s == full || (s.Width == 1 && s.Height == 1 && s.Depth == full.Depth));
                return fits ? full : throw new ArgumentException($"Mul of incompatible shapes {all}");
            }
            case RefConcat:
                return inputs.All(s => s.Width == inputs[0].Width && s.Height == inputs[0].Height)
                    ? new RefShape(inputs[0].Width, inputs[0].Height, inputs.Sum(s => s.Depth))
                    : throw new ArgumentException($"Concat of different widths or heights {all}");
            default:
                throw new NotSupportedException(merge.ToString());
        }
    }

    public static int ParameterCountOf(RefLayer layer, RefShape input) => layer switch
    {
        RefConv c => c.Filters * (input.Depth / c.Groups) * c.KernelHeight * c.KernelWidth + c.Filters,
        RefFullyConnected f => f.Outputs * input.Length + f.Outputs,
        RefPRelu => input.Depth,
        RefBatchNorm => 4 * input.Depth,
        RefConvTranspose t => input.Depth * t.Filters * t.KernelHeight * t.KernelWidth + t.Filters,
        _ => 0,
    };

    /// <summary>Runs the network on <paramref name="input"/> (C,H,W) with <paramref name="parameters"/> in PyTorch order.</summary>
    public double[] Forward(float[] parameters, float[] input)
    {
        IReadOnlyList<double[]> outputs = ForwardAll(parameters, input);
        return outputs.Count == 0 ? input.Select(v => (double)v).ToArray() : outputs[^1];
    }

    /// <summary>Runs the network and returns every layer's output (C,H,W), in layer order.</summary>
    public IReadOnlyList<double[]> ForwardAll(float[] parameters, float[] input)
    {
        if (parameters.Length != ParameterCount || input.Length != InputLength)
        {
            throw new ArgumentException("wrong lengths");
        }
        double[] networkInput = input.Select(v => (double)v).ToArray();
        var outputs = new double[Layers.Count][];
        for (int i = 0; i < Layers.Count; i++)
        {
            double[][] reads = InputIndices[i].Select(r => r == InputIndex ? networkInput : outputs[r]).ToArray();
            RefShape[] readShapes = InputIndices[i].Select(ShapeOf).ToArray();
            double[] x = reads[0];
            RefShape inShape = readShapes[0];
            RefShape outShape = OutputShapes[i];
            int offset = ParameterOffsets[i];
            outputs[i] = Layers[i] switch
            {
                RefConv c => Conv(c, x, inShape, outShape, parameters, offset),
                RefRelu => x.Select(v => v > 0 ? v : 0.0).ToArray(),
                RefRelu6 => x.Select(v => Math.Min(v > 0 ? v : 0.0, 6.0)).ToArray(),
                RefBatchNorm b => BatchNorm(b, x, inShape, parameters, offset),
                RefNormalize n => PerChannel(x, inShape, (c, v) => (v - n.Mean[c]) / n.Std[c]),
                RefConvTranspose t => ConvTranspose(t, x, inShape, outShape, parameters, offset),
                RefPool p => p.IsMax ? MaxPool(p, x, inShape, outShape) : AvgPool(p, x, inShape, outShape),
                RefFullyConnected f => FullyConnected(f, x, parameters, offset),
                RefSoftmax => Softmax(x),
                RefAdd => ElementWise(reads, readShapes, outShape, (a, b) => a + b),
                RefMul => ElementWise(reads, readShapes, outShape, (a, b) => a * b),
                RefConcat => reads.SelectMany(r => r).ToArray(), // C,H,W: the volumes one after another
                RefShapeLayer s => s.Forward(x, inShape, outShape),
                RefActivation a => a.Apply(x, inShape, parameters, offset),
                _ => throw new NotSupportedException(Layers[i].ToString()),
            };
        }
        return outputs;
    }

    /// <summary>Folds <paramref name="reads"/> element by element; a 1×1×C operand contributes its channel's value everywhere.</summary>
    private static double[] ElementWise(double[][] reads, RefShape[] shapes, RefShape outS, Func<double, double, double> op)
    {
        var y = new double[outS.Length];
        for (int c = 0; c < outS.Depth; c++)
        {
            for (int oy = 0; oy < outS.Height; oy++)
            {
                for (int ox = 0; ox < outS.Width; ox++)
                {
                    double value = 0;
                    for (int k = 0; k < reads.Length; k++)
                    {
                        double operand = shapes[k] == outS ? reads[k][Index(outS, c, oy, ox)] : reads[k][c];
                        value = k == 0 ? operand : op(value, operand);
                    }
                    y[Index(outS, c, oy, ox)] = value;
                }
            }
        }
        return y;
    }

    private static int Index(RefShape s, int c, int y, int x) => (c * s.Height + y) * s.Width + x;

    private static double[] Conv(RefConv c, double[] x, RefShape inS, RefShape outS, float[] p, int offset)
    {
        var y = new double[outS.Length];
        int groupDepth = inS.Depth / c.Groups; // input channels each filter sees
        int biasOffset = offset + c.Filters * groupDepth * c.KernelHeight * c.KernelWidth;
        for (int f = 0; f < c.Filters; f++)
        {
            int firstChannel = f / (c.Filters / c.Groups) * groupDepth;
            for (int oy = 0; oy < outS.Height; oy++)
            {
                for (int ox = 0; ox < outS.Width; ox++)
                {
                    double sum = p[biasOffset + f];
                    for (int ch = firstChannel; ch < firstChannel + groupDepth; ch++)
                    {
                        for (int ky = 0; ky < c.KernelHeight; ky++)
                        {
                            int iy = oy * c.StrideY - c.PadTop + ky * c.DilationY;
                            if (iy < 0 || iy >= inS.Height)
                            {
                                continue; // zero padding
                            }
                            for (int kx = 0; kx < c.KernelWidth; kx++)
                            {
                                int ix = ox * c.StrideX - c.PadLeft + kx * c.DilationX;
                                if (ix < 0 || ix >= inS.Width)
                                {
                                    continue;
                                }
                                double w = p[offset + ((f * groupDepth + ch - firstChannel) * c.KernelHeight + ky) * c.KernelWidth + kx];
                                sum += w * x[Index(inS, ch, iy, ix)];
                            }
                        }
                    }
                    y[Index(outS, f, oy, ox)] = sum;
                }
            }
        }
        return y;
    }

    /// <summary>PyTorch's <c>ConvTranspose2d</c> output size: <c>(in − 1)·S − 2P + (F − 1) + OP + 1</c>; throws when it is below 1.</summary>
    public static int TransposedSize(int size, int window, int stride, int padding, int outputPadding)
    {
        int result = (size - 1) * stride - 2 * padding + (window - 1) + outputPadding + 1;
        return result >= 1 && outputPadding < stride ? result : throw new ArgumentException($"transposed output {result}");
    }

    /// <summary><paramref name="f"/>(channel, value) of every value.</summary>
    private static double[] PerChannel(double[] x, RefShape s, Func<int, double, double> f)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = f(i / (s.Width * s.Height), x[i]);
        }
        return y;
    }

    /// <summary>γ·(x − mean)/√(var + ε) + β, with γ, β, mean and var one after another from <paramref name="offset"/>.</summary>
    private static double[] BatchNorm(RefBatchNorm b, double[] x, RefShape s, float[] p, int offset)
    {
        int d = s.Depth;
        return PerChannel(x, s, (c, v) => p[offset + c] * (v - p[offset + 2 * d + c]) / Math.Sqrt(p[offset + 3 * d + c] + (double)b.Epsilon) + p[offset + d + c]);
    }

    /// <summary>Scatter form, from the definition: input (i, iy, ix) adds w[i][o][ky][kx]·x to full output (o, iy·S + ky, ix·S + kx); then P is cropped from the top and left.</summary>
    private static double[] ConvTranspose(RefConvTranspose t, double[] x, RefShape inS, RefShape outS, float[] p, int offset)
    {
        var y = new double[outS.Length];
        int biasOffset = offset + inS.Depth * t.Filters * t.KernelHeight * t.KernelWidth;
        for (int o = 0; o < t.Filters; o++)
        {
            for (int i = 0; i < outS.Width * outS.Height; i++)
            {
                y[o * outS.Width * outS.Height + i] = p[biasOffset + o];
            }
        }
        for (int i = 0; i < inS.Depth; i++)
        {
            for (int iy = 0; iy < inS.Height; iy++)
            {
                for (int ix = 0; ix < inS.Width; ix++)
                {
                    double v = x[Index(inS, i, iy, ix)];
                    for (int o = 0; o < t.Filters; o++)
                    {
                        for (int ky = 0; ky < t.KernelHeight; ky++)
                        {
                            for (int kx = 0; kx < t.KernelWidth; kx++)
                            {
                                int oy = iy * t.Stride + ky - t.Padding, ox = ix * t.Stride + kx - t.Padding;
                                if (oy >= 0 && oy < outS.Height && ox >= 0 && ox < outS.Width)
                                {
                                    y[Index(outS, o, oy, ox)] += v * p[offset + ((i * t.Filters + o) * t.KernelHeight + ky) * t.KernelWidth + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    private static double[] MaxPool(RefPool p, double[] x, RefShape inS, RefShape outS)
    {
        var y = new double[outS.Length];
        for (int ch = 0; ch < inS.Depth; ch++)
        {
            for (int oy = 0; oy < outS.Height; oy++)
            {
                for (int ox = 0; ox < outS.Width; ox++)
                {
                    double best = double.NegativeInfinity;
                    bool any = false;
                    for (int ky = 0; ky < p.WindowHeight; ky++)
                    {
                        for (int kx = 0; kx < p.WindowWidth; kx++)
                        {
                            int iy = oy * p.StrideY - p.PadTop + ky, ix = ox * p.StrideX - p.PadLeft + kx;
                            if (iy >= 0 && iy < inS.Height && ix >= 0 && ix < inS.Width)
                            {
                                best = Math.Max(best, x[Index(inS, ch, iy, ix)]);
                                any = true;
                            }
                        }
                    }
                    if (!any)
                    {
                        throw new InvalidOperationException("a max-pool window saw only padding");
                    }
                    y[Index(outS, ch, oy, ox)] = best;
                }
            }
        }
        return y;
    }

    private static double[] AvgPool(RefPool p, double[] x, RefShape inS, RefShape outS)
    {
        var y = new double[outS.Length];
        for (int ch = 0; ch < inS.Depth; ch++)
        {
            for (int oy = 0; oy < outS.Height; oy++)
            {
                for (int ox = 0; ox < outS.Width; ox++)
                {
                    int y0 = oy * p.StrideY - p.PadTop, x0 = ox * p.StrideX - p.PadLeft;
                    // PyTorch: the window clipped to the padded extent is the divisor with count_include_pad.
                    int y1 = Math.Min(y0 + p.WindowHeight, inS.Height + p.PadBottom);
                    int x1 = Math.Min(x0 + p.WindowWidth, inS.Width + p.PadRight);
                    int paddedArea = (y1 - y0) * (x1 - x0);
                    double sum = 0;
                    int real = 0;
                    for (int iy = y0; iy < y1; iy++)
                    {
                        for (int ix = x0; ix < x1; ix++)
                        {
                            if (iy >= 0 && iy < inS.Height && ix >= 0 && ix < inS.Width)
                            {
                                sum += x[Index(inS, ch, iy, ix)];
                                real++;
                            }
                        }
                    }
                    if (real == 0)
                    {
                        throw new InvalidOperationException("an average-pool window saw only padding");
                    }
                    y[Index(outS, ch, oy, ox)] = sum / (p.ExcludePadding ? real : paddedArea);
                }
            }
        }
        return y;
    }

    private static double[] FullyConnected(RefFullyConnected f, double[] x, float[] p, int offset)
    {
        var y = new double[f.Outputs];
        int biasOffset = offset + f.Outputs * x.Length;
        for (int o = 0; o < f.Outputs; o++)
        {
            double sum = p[biasOffset + o];
            for (int i = 0; i < x.Length; i++)
            {
                sum += p[offset + o * x.Length + i] * x[i];
            }
            y[o] = sum;
        }
        return y;
    }

    private static double[] Softmax(double[] x)
    {
        double max = x.Max();
        double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
        double total = e.Sum();
        return e.Select(v => v / total).ToArray();
    }

    /// <summary>The attribute lines of this network (without <c>[Network]</c> or the class).</summary>
    public string Attributes()
    {
        var b = new StringBuilder();
        b.Append("[Input(").Append(Input.Width.ToString(CultureInfo.InvariantCulture)).Append(", ")
         .Append(Input.Height.ToString(CultureInfo.InvariantCulture)).Append(", ")
         .Append(Input.Depth.ToString(CultureInfo.InvariantCulture)).AppendLine(")]");
        foreach (RefLayer layer in Layers)
        {
            b.AppendLine(layer.AttributeText);
        }
        return b.ToString();
    }

    /// <summary>A compilable declaration: <c>namespace <paramref name="ns"/> { [Network] … public partial class <paramref name="className"/> { } }</c>.</summary>
    public string ToSource(string ns, string className) =>
        $"namespace {ns}\n{{\n[global::CnnGen.Network]\n{QualifiedAttributes()}public partial class {className}\n{{\n}}\n}}\n";

    /// <summary><see cref="Attributes"/> with each line's attribute name qualified (not the brackets of an array inside one).</summary>
    private string QualifiedAttributes() =>
        string.Join("\n", Attributes().Split('\n').Select(line => line.StartsWith('[') ? "[global::CnnGen." + line[1..] : line));

    /// <summary>Same as <see cref="ToSource"/> but with <c>using CnnGen;</c> and short attribute names (how users write it).</summary>
    public string ToPlainSource(string ns, string className) =>
        $"using CnnGen;\n\nnamespace {ns};\n\n[Network]\n{Attributes()}public partial class {className}\n{{\n}}\n";

    public override string ToString() => $"Input {Input}\n{Attributes()}";
}
