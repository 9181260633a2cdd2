using System;

namespace CnnGen;

/// <summary>
/// A 2-D convolution: <paramref name="filters"/> filters of <paramref name="width"/> × <paramref name="height"/>
/// × (incoming depth) weights, each with a bias, sliding over the input. The output has one map per
/// filter; its size per axis is <c>floor((in + padBefore + padAfter − dilation·(F − 1) − 1) / stride) + 1</c>.
/// </summary>
/// <remarks>
/// Parameters, in the order the generated constructor reads them (PyTorch <c>Conv2d</c> order):
/// weight <c>[filters][depth / Groups][height][width]</c>, then bias <c>[filters]</c>.
/// </remarks>
/// <param name="width">Kernel width F<sub>x</sub> (≥ 1).</param>
/// <param name="height">Kernel height F<sub>y</sub> (≥ 1).</param>
/// <param name="filters">Number of filters, i.e. output channels (≥ 1).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConvAttribute(int width, int height, int filters) : LayerAttribute
{
    /// <summary>Kernel width.</summary>
    public int Width { get; } = width;

    /// <summary>Kernel height.</summary>
    public int Height { get; } = height;

    /// <summary>Number of filters (output channels).</summary>
    public int Filters { get; } = filters;

    /// <summary>Step between windows on both axes (default 1). <see cref="StrideX"/>/<see cref="StrideY"/> override one axis.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Step between windows along the width; overrides <see cref="Stride"/>.</summary>
    public int StrideX { get; set; } = 1;

    /// <summary>Step between windows along the height; overrides <see cref="Stride"/>.</summary>
    public int StrideY { get; set; } = 1;

    /// <summary>Zero padding on every side (default 0). For odd F, <c>(F − 1) / 2</c> keeps the size ("same").</summary>
    public int Padding { get; set; }

    /// <summary>Zero columns added on the left; overrides <see cref="Padding"/> on that side.</summary>
    public int PadLeft { get; set; }

    /// <summary>Zero rows added on the top; overrides <see cref="Padding"/> on that side.</summary>
    public int PadTop { get; set; }

    /// <summary>Zero columns added on the right; overrides <see cref="Padding"/> on that side.</summary>
    public int PadRight { get; set; }

    /// <summary>Zero rows added at the bottom; overrides <see cref="Padding"/> on that side.</summary>
    public int PadBottom { get; set; }

    /// <summary>Spacing between kernel taps on both axes (default 1: a dense kernel).</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Spacing between kernel taps along the width; overrides <see cref="Dilation"/>.</summary>
    public int DilationX { get; set; } = 1;

    /// <summary>Spacing between kernel taps along the height; overrides <see cref="Dilation"/>.</summary>
    public int DilationY { get; set; } = 1;

    /// <summary>
    /// Split input and output channels into this many groups, each convolved separately (default 1;
    /// PyTorch/ONNX <c>groups</c>). Depth and filters must both be multiples of it. Groups equal to the
    /// input depth is a depthwise convolution (MobileNet, EfficientNet).
    /// </summary>
    public int Groups { get; set; } = 1;

    /// <summary>
    /// Optional: the filter depth you expect. It must equal the depth of the incoming volume; the
    /// generator reports an error on this argument when it does not.
    /// </summary>
    public int Depth { get; set; }
}
