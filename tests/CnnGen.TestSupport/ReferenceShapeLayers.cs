using System;
using System.Linq;

namespace CnnGen.TestSupport;

/// <summary>
/// The shape and channel layers of the reference: no parameters, one input, each written from PyTorch's
/// definition (<c>adaptive_avg_pool2d(x, 1)</c>, <c>x[:, start:start+count]</c>, <c>channel_shuffle</c>,
/// <c>ZeroPad2d</c>, <c>nn.Upsample</c>) with plain loops and doubles.
/// </summary>
public abstract record RefShapeLayer : RefLayer
{
    /// <summary>The prefix of its default name, e.g. <c>GlobalAvgPool</c>.</summary>
    public abstract string Prefix { get; }

    /// <summary>Its output volume; throws <see cref="ArgumentException"/> when it does not fit <paramref name="input"/>.</summary>
    public abstract RefShape OutputShape(RefShape input);

    /// <summary>Its output (C,H,W) for <paramref name="x"/>.</summary>
    public abstract double[] Forward(double[] x, RefShape input, RefShape output);

    /// <summary>Index of element (c, y, x) in a C,H,W volume.</summary>
    protected static int At(RefShape s, int c, int y, int x) => (c * s.Height + y) * s.Width + x;
}

/// <summary>Global average or max pooling: one value per channel (1×1×C).</summary>
public sealed record RefGlobalPool(bool IsMax) : RefShapeLayer
{
    public override string Prefix => IsMax ? "GlobalMaxPool" : "GlobalAvgPool";

    protected override string CanonicalAttributeCore() => "[" + Prefix + "]";

    public override RefShape OutputShape(RefShape input) => new(1, 1, input.Depth);

    public override double[] Forward(double[] x, RefShape input, RefShape output)
    {
        var y = new double[input.Depth];
        for (int c = 0; c < input.Depth; c++)
        {
            double sum = 0, max = double.NegativeInfinity;
            for (int i = 0; i < input.Height; i++)
            {
                for (int j = 0; j < input.Width; j++)
                {
                    double v = x[At(input, c, i, j)];
                    sum += v;
                    max = Math.Max(max, v);
                }
            }
            y[c] = IsMax ? max : sum / (input.Width * input.Height);
        }
        return y;
    }
}

/// <summary><c>x[:, Start:Start+Count]</c>: a channel range.</summary>
public sealed record RefSlice(int Start, int Count) : RefShapeLayer
{
    public override string Prefix => "Slice";

    protected override string CanonicalAttributeCore() => $"[Slice({I(Start)}, {I(Count)})]";

    public override RefShape OutputShape(RefShape input) =>
        Start >= 0 && Count >= 1 && Start + Count <= input.Depth
            ? new RefShape(input.Width, input.Height, Count)
            : throw new ArgumentException($"channels {Start}..{Start + Count - 1} of {input}");

    public override double[] Forward(double[] x, RefShape input, RefShape output)
    {
        var y = new double[output.Length];
        for (int c = 0; c < Count; c++)
        {
            for (int i = 0; i < input.Height; i++)
            {
                for (int j = 0; j < input.Width; j++)
                {
                    y[At(output, c, i, j)] = x[At(input, Start + c, i, j)];
                }
            }
        }
        return y;
    }
}

/// <summary>
/// PyTorch's <c>channel_shuffle(x, g)</c>: <c>x.view(g, C/g, H, W).transpose(0, 1).reshape(C, H, W)</c>.
/// </summary>
public sealed record RefChannelShuffle(int Groups) : RefShapeLayer
{
    public override string Prefix => "ChannelShuffle";

    protected override string CanonicalAttributeCore() => $"[ChannelShuffle({I(Groups)})]";

    public override RefShape OutputShape(RefShape input) =>
        Groups >= 1 && input.Depth % Groups == 0 ? input : throw new ArgumentException($"{Groups} groups of {input.Depth} channels");

    public override double[] Forward(double[] x, RefShape input, RefShape output)
    {
        int perGroup = input.Depth / Groups;
        var y = new double[output.Length];
        // The view [g][C/g] transposed to [C/g][g]: output channel (a, b) of the [C/g][g] view is input channel (b, a) of the [g][C/g] one.
        for (int a = 0; a < perGroup; a++)
        {
            for (int b = 0; b < Groups; b++)
            {
                int to = a * Groups + b, from = b * perGroup + a;
                for (int i = 0; i < input.Height; i++)
                {
                    for (int j = 0; j < input.Width; j++)
                    {
                        y[At(output, to, i, j)] = x[At(input, from, i, j)];
                    }
                }
            }
        }
        return y;
    }
}

/// <summary>Zero padding per side (PyTorch <c>ZeroPad2d((left, right, top, bottom))</c>).</summary>
public sealed record RefPad(int PadLeft, int PadTop, int PadRight, int PadBottom) : RefShapeLayer
{
    public override string Prefix => "Pad";

    protected override string CanonicalAttributeCore() =>
        PadLeft == PadTop && PadTop == PadRight && PadRight == PadBottom
            ? $"[Pad({I(PadLeft)})]"
            : "[Pad(0" + Named(new[] { ("PadLeft", PadLeft, 0), ("PadTop", PadTop, 0), ("PadRight", PadRight, 0), ("PadBottom", PadBottom, 0) }) + ")]";

    public override RefShape OutputShape(RefShape input) =>
        new[] { PadLeft, PadTop, PadRight, PadBottom }.All(p => p >= 0)
            ? new RefShape(input.Width + PadLeft + PadRight, input.Height + PadTop + PadBottom, input.Depth)
            : throw new ArgumentException("negative padding");

    public override double[] Forward(double[] x, RefShape input, RefShape output)
    {
        var y = new double[output.Length]; // zeros
        for (int c = 0; c < input.Depth; c++)
        {
            for (int i = 0; i < input.Height; i++)
            {
                for (int j = 0; j < input.Width; j++)
                {
                    y[At(output, c, i + PadTop, j + PadLeft)] = x[At(input, c, i, j)];
                }
            }
        }
        return y;
    }
}

/// <summary>
/// <c>nn.Upsample(scale_factor=(ScaleY, ScaleX), mode='nearest' | 'bilinear', align_corners=AlignCorners)</c>.
/// Nearest: source index ⌊dst / scale⌋. Bilinear: source coordinate (dst + ½)/scale − ½ clamped below at 0, or
/// dst·(in − 1)/(out − 1) with aligned corners; the lower neighbour is its floor (at most in − 1), the upper one the
/// next (the last stays the last), weighted by the distance.
/// </summary>
public sealed record RefUpsample(int ScaleX, int ScaleY) : RefShapeLayer
{
    public bool Bilinear { get; init; }

    public bool AlignCorners { get; init; }

    public override string Prefix => "Upsample";

    protected override string CanonicalAttributeCore() =>
        (ScaleX == ScaleY ? $"[Upsample({I(ScaleX)}" : $"[Upsample(1, ScaleX = {I(ScaleX)}, ScaleY = {I(ScaleY)}")
        + (Bilinear ? ", Mode = global::CnnGen.UpsampleMode.Bilinear" : "")
        + (AlignCorners ? ", AlignCorners = true" : "")
        + ")]";

    public override RefShape OutputShape(RefShape input) =>
        ScaleX >= 1 && ScaleY >= 1 && (Bilinear || !AlignCorners)
            ? new RefShape(input.Width * ScaleX, input.Height * ScaleY, input.Depth)
            : throw new ArgumentException("scales must be positive; AlignCorners needs bilinear");

    public override double[] Forward(double[] x, RefShape input, RefShape output)
    {
        var y = new double[output.Length];
        for (int c = 0; c < input.Depth; c++)
        {
            for (int oy = 0; oy < output.Height; oy++)
            {
                for (int ox = 0; ox < output.Width; ox++)
                {
                    if (!Bilinear)
                    {
                        y[At(output, c, oy, ox)] = x[At(input, c, oy / ScaleY, ox / ScaleX)];
                        continue;
                    }
                    (int y0, int y1, double wy) = Source(oy, input.Height, output.Height, ScaleY);
                    (int x0, int x1, double wx) = Source(ox, input.Width, output.Width, ScaleX);
                    double top = (1 - wx) * x[At(input, c, y0, x0)] + wx * x[At(input, c, y0, x1)];
                    double bottom = (1 - wx) * x[At(input, c, y1, x0)] + wx * x[At(input, c, y1, x1)];
                    y[At(output, c, oy, ox)] = (1 - wy) * top + wy * bottom;
                }
            }
        }
        return y;
    }

    /// <summary>
    /// The two input neighbours of output index <paramref name="dst"/> and the weight of the second. The source
    /// coordinate is computed in float32, as PyTorch does for float tensors (<c>area_pixel_compute_scale</c> and
    /// <c>area_pixel_compute_source_index</c>): on maps a thousand wide its rounding moves the weights by 1e-5.
    /// </summary>
    private (int Low, int High, double Weight) Source(int dst, int inSize, int outSize, int scale)
    {
        float ratio = AlignCorners ? (outSize > 1 ? (float)(inSize - 1) / (outSize - 1) : 0f) : (float)(1.0 / scale);
        float real = AlignCorners ? ratio * dst : Math.Max(ratio * (dst + 0.5f) - 0.5f, 0f);
        int low = Math.Min((int)Math.Floor(real), inSize - 1);
        int high = Math.Min(low + 1, inSize - 1);
        return (low, high, Math.Clamp(real - low, 0, 1));
    }
}
