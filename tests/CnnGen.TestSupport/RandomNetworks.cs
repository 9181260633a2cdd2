using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnGen.TestSupport;

/// <summary>
/// Deterministic, seeded random architectures that are valid by construction (every window fits,
/// pool padding is below the window, nothing follows Softmax, nothing spatial follows a fully
/// connected layer), each written in one of the several equivalent ways the attributes allow
/// (shared or per-axis strides, paddings and dilations, default pool strides, named constructor
/// arguments, optional Depth/Inputs checks) so the parser is exercised too.
/// </summary>
public static partial class RandomNetworks
{
    /// <summary>The network for <paramref name="seed"/>, every kind drawn; the same seed always gives the same network.</summary>
    public static ReferenceNetwork Create(int seed) => Create(seed, allActivations: true, convFamily: true, shapeKinds: true);

    /// <summary>The network for <paramref name="seed"/>; the same seed and switches always give the same network.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="allActivations">
    /// Draw every activation kind; false: element-wise layers are ReLUs and the last layer may be a Softmax only
    /// (the network this seed gave before the other activation kinds existed).
    /// </param>
    /// <param name="convFamily">
    /// Draw the layer issue's convolution family too (grouped and depthwise Conv, BatchNorm, Normalize, ConvTranspose);
    /// false for consumers that do not handle them (the ONNX differential tests, see their notes).
    /// </param>
    /// <param name="shapeKinds">Draw the shape and channel kinds too (global pools, Slice, ChannelShuffle, Pad, Upsample).</param>
    public static ReferenceNetwork Create(int seed, bool allActivations = true, bool convFamily = true, bool shapeKinds = true)
    {
        var random = new Random(seed);
        var input = new RefShape(random.Next(1, 41), random.Next(1, 41), random.Next(1, 4));
        var layers = new List<RefLayer>();
        RefShape current = input;

        if (convFamily && random.Next(6) == 0)
        {
            layers.Add(RandomNormalize(random, input.Depth));
        }
        int spatialLayers = random.Next(0, 5);
        for (int i = 0; i < spatialLayers; i++)
        {
            RefLayer? layer = null;
            for (int attempt = 0; attempt < 20 && layer is null; attempt++)
            {
                // 0–9 the first round's kinds, 10–12 the convolution family, 13–15 the shape and channel kinds.
                int draw = random.Next(10 + (convFamily ? 3 : 0) + (shapeKinds ? 3 : 0));
                if (!convFamily && draw >= 10)
                {
                    draw += 3;
                }
                RefLayer candidate = draw switch
                {
                    < 4 => RandomConv(random, current),
                    < 6 => allActivations ? RandomActivation(random) : new RefRelu(),
                    < 8 => RandomPool(random, isMax: true),
                    < 10 => RandomPool(random, isMax: false),
                    10 => RandomGroupedConv(random, current),
                    11 => RandomBatchNorm(random),
                    12 => RandomConvTranspose(random),
                    _ => RandomShapeLayer(random, current),
                };
                if (Fits(candidate, current))
                {
                    layer = candidate;
                }
            }
            if (layer is null)
            {
                break;
            }
            layers.Add(layer);
            current = ReferenceNetwork.OutputShape(layer, current);
        }

        int fullyConnected = random.Next(layers.Count == 0 ? 1 : 0, 4);
        for (int i = 0; i < fullyConnected; i++)
        {
            if (i > 0 && random.Next(2) == 0)
            {
                layers.Add(allActivations ? RandomActivation(random) : new RefRelu());
            }
            var fc = new RefFullyConnected(random.Next(1, 13));
            int inputs = current.Length;
            layers.Add(random.Next(4) == 0 ? fc with { Attribute = $"[FullyConnected({I(fc.Outputs)}, Inputs = {I(inputs)})]" }
                     : random.Next(4) == 0 ? fc with { Attribute = $"[FullyConnected(outputs: {I(fc.Outputs)})]" }
                     : fc);
            current = ReferenceNetwork.OutputShape(fc, current);
            if (convFamily && random.Next(6) == 0)
            {
                layers.Add(RandomBatchNorm(random)); // BatchNorm1d after a linear layer: folded into it
            }
        }
        if (random.Next(3) == 0)
        {
            layers.Add(allActivations && random.Next(4) == 0 ? new RefLogSoftmax() : new RefSoftmax());
        }
        if (layers.Count == 0)
        {
            layers.Add(new RefRelu());
        }
        return new ReferenceNetwork(input, layers);
    }

    private static bool Fits(RefLayer layer, RefShape input)
    {
        try
        {
            RefShape output = ReferenceNetwork.OutputShape(layer, input);
            // Keep volumes small enough for the reference to be quick.
            return output.Width >= 1 && output.Height >= 1 && output.Length <= 12_000;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static RefConv RandomConv(Random random, RefShape input)
    {
        int kw = random.Next(1, 6), kh = random.Next(1, 6), filters = random.Next(1, 7);
        int sx = random.Next(1, 4), sy = random.Next(1, 4);
        int dx = random.Next(4) == 0 ? random.Next(2, 4) : 1, dy = random.Next(4) == 0 ? random.Next(2, 4) : 1;
        int pl = random.Next(0, 3), pt = random.Next(0, 3), pr = random.Next(0, 3), pb = random.Next(0, 3);
        var args = new List<string>();
        int form = random.Next(4);

        // Stride: all the ways to say it.
        if (form == 0)
        {
            sy = sx;
            if (sx != 1 || random.Next(2) == 0)
            {
                args.Add($"Stride = {I(sx)}");
            }
        }
        else if (form == 1)
        {
            args.Add($"Stride = {I(sy)}");
            args.Add($"StrideX = {I(sx)}"); // StrideX overrides Stride on the width only
        }
        else
        {
            args.Add($"StrideX = {I(sx)}");
            args.Add($"StrideY = {I(sy)}");
        }

        // Padding.
        switch (random.Next(4))
        {
            case 0:
                pl = pt = pr = pb = 0;
                break;
            case 1:
                pt = pr = pb = pl;
                args.Add($"Padding = {I(pl)}");
                break;
            case 2:
                pt = pr = pb = pl;
                args.Add($"Padding = {I(pl)}");
                pr = random.Next(0, 3);
                args.Add($"PadRight = {I(pr)}"); // overrides one side only
                break;
            default:
                args.Add($"PadLeft = {I(pl)}");
                args.Add($"PadTop = {I(pt)}");
                args.Add($"PadRight = {I(pr)}");
                args.Add($"PadBottom = {I(pb)}");
                break;
        }

        // Dilation.
        if (random.Next(2) == 0)
        {
            dy = dx;
            if (dx != 1)
            {
                args.Add($"Dilation = {I(dx)}");
            }
        }
        else
        {
            args.Add($"DilationX = {I(dx)}");
            args.Add($"DilationY = {I(dy)}");
        }

        if (random.Next(4) == 0)
        {
            args.Add($"Depth = {I(input.Depth)}");
        }

        string positional = random.Next(5) == 0
            ? $"filters: {I(filters)}, width: {I(kw)}, height: {I(kh)}" // named, out of order
            : $"{I(kw)}, {I(kh)}, {I(filters)}";
        return new RefConv(kw, kh, filters)
        {
            StrideX = sx,
            StrideY = sy,
            PadLeft = pl,
            PadTop = pt,
            PadRight = pr,
            PadBottom = pb,
            DilationX = dx,
            DilationY = dy,
            Attribute = $"[Conv({positional}{string.Concat(args.Select(a => ", " + a))})]",
        };
    }

    /// <summary>A grouped convolution: depthwise (one channel per group, 1 or 2 filters each) or a divisor of the depth as groups.</summary>
    private static RefConv RandomGroupedConv(Random random, RefShape input)
    {
        int[] divisors = Enumerable.Range(1, input.Depth).Where(g => input.Depth % g == 0).ToArray();
        int groups = random.Next(2) == 0 ? input.Depth : divisors[random.Next(divisors.Length)];
        int filters = groups * random.Next(1, 3);
        int k = random.Next(1, 6), stride = random.Next(1, 3), padding = random.Next(0, (k + 1) / 2 + 1), dilation = random.Next(5) == 0 ? 2 : 1;
        string args = $", Groups = {I(groups)}" + (stride > 1 ? $", Stride = {I(stride)}" : "") + (padding > 0 ? $", Padding = {I(padding)}" : "")
            + (dilation > 1 ? $", Dilation = {I(dilation)}" : "");
        return new RefConv(k, k, filters)
        {
            Groups = groups,
            StrideX = stride,
            StrideY = stride,
            PadLeft = padding,
            PadTop = padding,
            PadRight = padding,
            PadBottom = padding,
            DilationX = dilation,
            DilationY = dilation,
            Attribute = $"[Conv({I(k)}, {I(k)}, {I(filters)}{args})]",
        };
    }

    /// <summary>A batch normalization, mostly with the default epsilon.</summary>
    private static RefBatchNorm RandomBatchNorm(Random random) =>
        random.Next(3) == 0 ? new RefBatchNorm { Epsilon = 1e-3f } : new RefBatchNorm();

    /// <summary>A transposed convolution: kernel 1–4, stride 1–3, padding below the kernel, output padding below the stride.</summary>
    private static RefConvTranspose RandomConvTranspose(Random random)
    {
        int kw = random.Next(1, 5), kh = random.Next(1, 5), stride = random.Next(1, 4);
        return new RefConvTranspose(kw, kh, random.Next(1, 6))
        {
            Stride = stride,
            Padding = random.Next(0, Math.Min(kw, kh)),
            OutputPadding = random.Next(0, stride),
        };
    }

    /// <summary>Input normalization with torchvision-like constants, one per channel.</summary>
    public static RefNormalize RandomNormalize(Random random, int depth) => new(
        Enumerable.Range(0, depth).Select(_ => (float)Math.Round(random.NextDouble(), 3)).ToArray(),
        Enumerable.Range(0, depth).Select(_ => (float)Math.Round(0.1 + random.NextDouble() * 0.4, 3)).ToArray());

    private static RefPool RandomPool(Random random, bool isMax)
    {
        int w = random.Next(1, 5), h = random.Next(1, 5);
        int sx, sy;
        var args = new List<string>();
        switch (random.Next(3))
        {
            case 0: // default: the window
                sx = w;
                sy = h;
                break;
            case 1:
                sx = sy = random.Next(1, 4);
                args.Add($"Stride = {I(sx)}");
                break;
            default:
                sx = random.Next(1, 4);
                sy = random.Next(1, 4);
                args.Add($"StrideX = {I(sx)}");
                args.Add($"StrideY = {I(sy)}");
                break;
        }
        int pl = 0, pt = 0, pr = 0, pb = 0;
        switch (random.Next(3))
        {
            case 0:
                break;
            case 1:
                pl = pt = pr = pb = random.Next(0, Math.Min(w, h));
                args.Add($"Padding = {I(pl)}");
                break;
            default:
                pl = random.Next(0, w);
                pr = random.Next(0, w);
                pt = random.Next(0, h);
                pb = random.Next(0, h);
                args.Add($"PadLeft = {I(pl)}");
                args.Add($"PadRight = {I(pr)}");
                args.Add($"PadTop = {I(pt)}");
                args.Add($"PadBottom = {I(pb)}");
                break;
        }
        bool ceil = random.Next(3) == 0;
        if (ceil)
        {
            args.Add("CeilMode = true");
        }
        bool exclude = !isMax && random.Next(2) == 0;
        if (exclude)
        {
            args.Add("ExcludePadding = true");
        }
        return new RefPool(isMax, w, h, sx, sy)
        {
            PadLeft = pl,
            PadTop = pt,
            PadRight = pr,
            PadBottom = pb,
            CeilMode = ceil,
            ExcludePadding = exclude,
            Attribute = $"[{(isMax ? "MaxPool" : "AvgPool")}({I(w)}, {I(h)}{string.Concat(args.Select(a => ", " + a))})]",
        };
    }

    /// <summary>Values uniform in [−<paramref name="scale"/>, <paramref name="scale"/>).</summary>
    public static float[] Values(int seed, int count, double scale = 1)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }
        return values;
    }

    /// <summary>
    /// Parameters with each layer's weights scaled by 1/√fan-in (so activations stay near 1 however deep or
    /// wide the network) and biases in [−0.5, 0.5).
    /// </summary>
    public static float[] Parameters(ReferenceNetwork network, int seed)
    {
        var random = new Random(seed);
        var p = new float[network.ParameterCount];
        for (int i = 0; i < network.Layers.Count; i++)
        {
            RefShape input = network.InputShapeOf(i);
            (int weights, int biases, int fanIn) = network.Layers[i] switch
            {
                RefConv c => (c.Filters * (input.Depth / c.Groups) * c.KernelHeight * c.KernelWidth, c.Filters, input.Depth / c.Groups * c.KernelHeight * c.KernelWidth),
                RefFullyConnected f => (f.Outputs * input.Length, f.Outputs, input.Length),
                RefPRelu => (input.Depth, 0, 1), // slopes in [−1.5, 1.5)
                // Each output of a transposed convolution meets about depth · taps / stride² weights.
                RefConvTranspose t => (input.Depth * t.Filters * t.KernelHeight * t.KernelWidth, t.Filters,
                    Math.Max(1, input.Depth * t.KernelHeight * t.KernelWidth / (t.Stride * t.Stride))),
                _ => (0, 0, 1),
            };
            int offset = network.ParameterOffsets[i];
            if (network.Layers[i] is RefBatchNorm)
            {
                // γ and the running variance in [0.5, 1.5) (a variance is positive), β and the running mean in [−0.5, 0.5).
                for (int k = 0; k < 4 * input.Depth; k++)
                {
                    bool positive = k < input.Depth || k >= 3 * input.Depth;
                    p[offset + k] = (float)(random.NextDouble() + (positive ? 0.5 : -0.5));
                }
                continue;
            }
            double scale = 1.5 / Math.Sqrt(fanIn);
            for (int k = 0; k < weights; k++)
            {
                p[offset + k] = (float)((random.NextDouble() * 2 - 1) * scale);
            }
            for (int k = 0; k < biases; k++)
            {
                p[offset + weights + k] = (float)(random.NextDouble() - 0.5);
            }
        }
        return p;
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
