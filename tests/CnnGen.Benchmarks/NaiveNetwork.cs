using System;
using System.Collections.Generic;

namespace CnnGen.Benchmarks;

/// <summary>
/// The "naive" baseline: a plain scalar-loop implementation of a network, driven by its
/// <see cref="LayerInfo"/> list and the same parameters (PyTorch order). No SIMD, no unrolling, no
/// layout tricks — direct loops as a textbook writes them, with bounds checks on padding.
/// Also the reference the benchmark checks CnnGen and ONNX Runtime against.
/// </summary>
public sealed class NaiveNetwork : INetwork
{
    private readonly LayerInfo[] _layers;
    private readonly float[] _parameters;
    private readonly float[] _a;
    private readonly float[] _b;

    /// <summary>Creates the network; buffers are allocated here, so <see cref="Forward"/> allocates nothing.</summary>
    public NaiveNetwork(IReadOnlyList<LayerInfo> layers, ReadOnlySpan<float> parameters)
    {
        _layers = [.. layers];
        _parameters = parameters.ToArray();
        int largest = 0;
        foreach (LayerInfo layer in _layers)
        {
            largest = Math.Max(largest, Math.Max(layer.Input.Length, layer.Output.Length));
        }
        _a = new float[largest];
        _b = new float[largest];
        InputLength = _layers[0].Input.Length;
        OutputLength = _layers[^1].Output.Length;
        ParameterCount = _parameters.Length;
    }

    /// <inheritdoc/>
    public int InputLength { get; }

    /// <inheritdoc/>
    public int OutputLength { get; }

    /// <inheritdoc/>
    public int ParameterCount { get; }

    /// <summary>Runs the network. Not thread-safe (one pair of buffers).</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != InputLength || output.Length != OutputLength)
        {
            throw new ArgumentException("Wrong input or output length.");
        }
        input.CopyTo(_a);
        float[] x = _a, y = _b;
        foreach (LayerInfo layer in _layers)
        {
            switch (layer.Type)
            {
                case LayerType.Conv: Conv(layer, x, y); break;
                case LayerType.ConvTranspose: ConvTranspose(layer, x, y); break;
                case LayerType.Relu: Relu(layer, x, y); break;
                case LayerType.MaxPool: Pool(layer, x, y, max: true); break;
                case LayerType.AvgPool: Pool(layer, x, y, max: false); break;
                case LayerType.FullyConnected: FullyConnected(layer, x, y); break;
                case LayerType.Softmax: Softmax(layer, x, y); break;
                case LayerType.Clip: Map(layer, x, y, v => Math.Min(Math.Max(v, layer.Alpha), layer.Beta)); break;
                case LayerType.HardSwish: Map(layer, x, y, v => v * Math.Min(Math.Max(v + 3, 0), 6) / 6); break;
                case LayerType.Silu: Map(layer, x, y, v => (float)(v / (1 + Math.Exp(-(double)v)))); break;
                case LayerType.LeakyRelu: Map(layer, x, y, v => v >= 0 ? v : layer.Alpha * v); break;
                case LayerType.GlobalAvgPool: GlobalAvgPool(layer, x, y); break;
                default: throw new NotSupportedException(layer.Type.ToString());
            }
            (x, y) = (y, x);
        }
        x.AsSpan(0, OutputLength).CopyTo(output);
    }

    private void Conv(LayerInfo l, float[] x, float[] y)
    {
        int inW = l.Input.Width, inH = l.Input.Height, inC = l.Input.Depth;
        int outW = l.Output.Width, outH = l.Output.Height, outC = l.Output.Depth;
        int kw = l.KernelWidth, kh = l.KernelHeight, sx = l.StrideX, sy = l.StrideY, dx = l.DilationX, dy = l.DilationY;
        int padLeft = l.PadLeft, padTop = l.PadTop;
        int groupIn = inC / l.Groups, groupOut = outC / l.Groups;
        int weights = l.ParameterOffset, bias = weights + outC * groupIn * kh * kw;
        float[] p = _parameters;
        for (int f = 0; f < outC; f++)
        {
            int firstChannel = f / groupOut * groupIn;
            for (int oy = 0; oy < outH; oy++)
            {
                for (int ox = 0; ox < outW; ox++)
                {
                    float sum = p[bias + f];
                    for (int c = firstChannel; c < firstChannel + groupIn; c++)
                    {
                        for (int ky = 0; ky < kh; ky++)
                        {
                            int iy = oy * sy - padTop + ky * dy;
                            if (iy < 0 || iy >= inH)
                            {
                                continue;
                            }
                            int w = weights + ((f * groupIn + c - firstChannel) * kh + ky) * kw;
                            int row = (c * inH + iy) * inW;
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int ix = ox * sx - padLeft + kx * dx;
                                if (ix < 0 || ix >= inW)
                                {
                                    continue;
                                }
                                sum += p[w + kx] * x[row + ix];
                            }
                        }
                    }
                    y[(f * outH + oy) * outW + ox] = sum;
                }
            }
        }
    }

    /// <summary>Each input value times each kernel tap, added where the tap lands (PyTorch's ConvTranspose2d, weights [in][out][kh][kw]).</summary>
    private void ConvTranspose(LayerInfo l, float[] x, float[] y)
    {
        int inW = l.Input.Width, inH = l.Input.Height, inC = l.Input.Depth;
        int outW = l.Output.Width, outH = l.Output.Height, outC = l.Output.Depth;
        int kw = l.KernelWidth, kh = l.KernelHeight, sx = l.StrideX, sy = l.StrideY;
        int weights = l.ParameterOffset, bias = weights + inC * outC * kh * kw;
        float[] p = _parameters;
        for (int f = 0; f < outC; f++)
        {
            Array.Fill(y, p[bias + f], f * outH * outW, outH * outW);
        }
        for (int c = 0; c < inC; c++)
        {
            for (int iy = 0; iy < inH; iy++)
            {
                for (int ix = 0; ix < inW; ix++)
                {
                    float v = x[(c * inH + iy) * inW + ix];
                    for (int f = 0; f < outC; f++)
                    {
                        for (int ky = 0; ky < kh; ky++)
                        {
                            int oy = iy * sy - l.PadTop + ky;
                            if (oy < 0 || oy >= outH)
                            {
                                continue;
                            }
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int ox = ix * sx - l.PadLeft + kx;
                                if (ox >= 0 && ox < outW)
                                {
                                    y[(f * outH + oy) * outW + ox] += v * p[weights + ((c * outC + f) * kh + ky) * kw + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static void Relu(LayerInfo l, float[] x, float[] y)
    {
        for (int k = 0; k < l.Output.Length; k++)
        {
            y[k] = x[k] > 0 ? x[k] : 0;
        }
    }

    private static void Map(LayerInfo l, float[] x, float[] y, Func<float, float> f)
    {
        for (int k = 0; k < l.Output.Length; k++)
        {
            y[k] = f(x[k]);
        }
    }

    private static void GlobalAvgPool(LayerInfo l, float[] x, float[] y)
    {
        int plane = l.Input.Width * l.Input.Height;
        for (int c = 0; c < l.Input.Depth; c++)
        {
            double sum = 0;
            for (int k = 0; k < plane; k++)
            {
                sum += x[c * plane + k];
            }
            y[c] = (float)(sum / plane);
        }
    }

    private static void Pool(LayerInfo l, float[] x, float[] y, bool max)
    {
        Shape i = l.Input, o = l.Output;
        for (int c = 0; c < o.Depth; c++)
        {
            for (int oy = 0; oy < o.Height; oy++)
            {
                for (int ox = 0; ox < o.Width; ox++)
                {
                    float acc = max ? float.NegativeInfinity : 0;
                    int real = 0;
                    for (int ky = 0; ky < l.KernelHeight; ky++)
                    {
                        int iy = oy * l.StrideY - l.PadTop + ky;
                        for (int kx = 0; kx < l.KernelWidth; kx++)
                        {
                            int ix = ox * l.StrideX - l.PadLeft + kx;
                            if (iy < 0 || iy >= i.Height || ix < 0 || ix >= i.Width)
                            {
                                continue;
                            }
                            float v = x[(c * i.Height + iy) * i.Width + ix];
                            acc = max ? Math.Max(acc, v) : acc + v;
                            real++;
                        }
                    }
                    if (!max)
                    {
                        acc /= l.ExcludePadding ? real : l.KernelHeight * l.KernelWidth;
                    }
                    y[(c * o.Height + oy) * o.Width + ox] = acc;
                }
            }
        }
    }

    private void FullyConnected(LayerInfo l, float[] x, float[] y)
    {
        int n = l.Output.Length, k = l.Input.Length;
        int weights = l.ParameterOffset, bias = weights + n * k;
        float[] p = _parameters;
        for (int j = 0; j < n; j++)
        {
            float sum = p[bias + j];
            int w = weights + j * k;
            for (int t = 0; t < k; t++)
            {
                sum += p[w + t] * x[t];
            }
            y[j] = sum;
        }
    }

    private static void Softmax(LayerInfo l, float[] x, float[] y)
    {
        int n = l.Output.Length;
        float max = float.NegativeInfinity;
        for (int j = 0; j < n; j++)
        {
            max = Math.Max(max, x[j]);
        }
        float sum = 0;
        for (int j = 0; j < n; j++)
        {
            y[j] = MathF.Exp(x[j] - max);
            sum += y[j];
        }
        for (int j = 0; j < n; j++)
        {
            y[j] /= sum;
        }
    }
}
