using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CnnGen.TestSupport;

/// <summary>
/// The oracle: a deliberately plain implementation of the layers (nested loops, double accumulation),
/// written from the documented semantics (PyTorch's) and sharing no code with the generator.
/// </summary>
public sealed class ReferenceNetwork
{
    public ReferenceNetwork(RefShape input, IReadOnlyList<RefLayer> layers)
    {
        Input = input;
        Layers = layers.ToArray();
        var shapes = new List<RefShape>();
        var offsets = new List<int>();
        RefShape current = input;
        int parameters = 0;
        foreach (RefLayer layer in Layers)
        {
            offsets.Add(parameters);
            current = OutputShape(layer, current);
            parameters += ParameterCountOf(layer, shapes.Count == 0 ? input : shapes[^1]);
            shapes.Add(current);
        }
        OutputShapes = shapes;
        ParameterOffsets = offsets;
        ParameterCount = parameters;
    }

    public RefShape Input { get; }

    public IReadOnlyList<RefLayer> Layers { get; }

    /// <summary>The output volume of each layer.</summary>
    public IReadOnlyList<RefShape> OutputShapes { get; }

    /// <summary>Where each layer's parameters start.</summary>
    public IReadOnlyList<int> ParameterOffsets { get; }

    public int ParameterCount { get; }

    public int InputLength => Input.Length;

    public int OutputLength => OutputShapes.Count == 0 ? Input.Length : OutputShapes[^1].Length;

    /// <summary>The input volume of layer <paramref name="index"/>.</summary>
    public RefShape InputShapeOf(int index) => index == 0 ? Input : OutputShapes[index - 1];

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

    public static RefShape OutputShape(RefLayer layer, RefShape input) => layer switch
    {
        RefConv c => new RefShape(
            WindowCount(input.Width, c.KernelWidth, c.StrideX, c.PadLeft, c.PadRight, c.DilationX, false),
            WindowCount(input.Height, c.KernelHeight, c.StrideY, c.PadTop, c.PadBottom, c.DilationY, false),
            c.Filters),
        RefPool p => new RefShape(
            WindowCount(input.Width, p.WindowWidth, p.StrideX, p.PadLeft, p.PadRight, 1, p.CeilMode),
            WindowCount(input.Height, p.WindowHeight, p.StrideY, p.PadTop, p.PadBottom, 1, p.CeilMode),
            input.Depth),
        RefFullyConnected f => new RefShape(1, 1, f.Outputs),
        _ => input,
    };

    public static int ParameterCountOf(RefLayer layer, RefShape input) => layer switch
    {
        RefConv c => c.Filters * input.Depth * c.KernelHeight * c.KernelWidth + c.Filters,
        RefFullyConnected f => f.Outputs * input.Length + f.Outputs,
        _ => 0,
    };

    /// <summary>Runs the network on <paramref name="input"/> (C,H,W) with <paramref name="parameters"/> in PyTorch order.</summary>
    public double[] Forward(float[] parameters, float[] input)
    {
        if (parameters.Length != ParameterCount || input.Length != InputLength)
        {
            throw new ArgumentException("wrong lengths");
        }
        double[] x = input.Select(v => (double)v).ToArray();
        for (int i = 0; i < Layers.Count; i++)
        {
            RefShape inShape = InputShapeOf(i);
            RefShape outShape = OutputShapes[i];
            int offset = ParameterOffsets[i];
            x = Layers[i] switch
            {
                RefConv c => Conv(c, x, inShape, outShape, parameters, offset),
                RefRelu => x.Select(v => v > 0 ? v : 0.0).ToArray(),
                RefPool p => p.IsMax ? MaxPool(p, x, inShape, outShape) : AvgPool(p, x, inShape, outShape),
                RefFullyConnected f => FullyConnected(f, x, parameters, offset),
                RefSoftmax => Softmax(x),
                _ => throw new NotSupportedException(Layers[i].ToString()),
            };
        }
        return x;
    }

    private static int Index(RefShape s, int c, int y, int x) => (c * s.Height + y) * s.Width + x;

    private static double[] Conv(RefConv c, double[] x, RefShape inS, RefShape outS, float[] p, int offset)
    {
        var y = new double[outS.Length];
        int biasOffset = offset + c.Filters * inS.Depth * c.KernelHeight * c.KernelWidth;
        for (int f = 0; f < c.Filters; f++)
        {
            for (int oy = 0; oy < outS.Height; oy++)
            {
                for (int ox = 0; ox < outS.Width; ox++)
                {
                    double sum = p[biasOffset + f];
                    for (int ch = 0; ch < inS.Depth; ch++)
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
                                double w = p[offset + ((f * inS.Depth + ch) * c.KernelHeight + ky) * c.KernelWidth + kx];
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
        $"namespace {ns}\n{{\n[global::CnnGen.Network]\n{Attributes().Replace("[", "[global::CnnGen.", StringComparison.Ordinal)}public partial class {className}\n{{\n}}\n}}\n";

    /// <summary>Same as <see cref="ToSource"/> but with <c>using CnnGen;</c> and short attribute names (how users write it).</summary>
    public string ToPlainSource(string ns, string className) =>
        $"using CnnGen;\n\nnamespace {ns};\n\n[Network]\n{Attributes()}public partial class {className}\n{{\n}}\n";

    public override string ToString() => $"Input {Input}\n{Attributes()}";
}
