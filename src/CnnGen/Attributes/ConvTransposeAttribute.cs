using System;

namespace CnnGen;

/// <summary>
/// A transposed convolution (U-Net decoders; PyTorch <c>nn.ConvTranspose2d</c>, ONNX <c>ConvTranspose</c>):
/// each input value scatters a <paramref name="width"/> × <paramref name="height"/> kernel per filter into
/// the output. Output size per axis: <c>(in − 1)·Stride − 2·Padding + (F − 1) + OutputPadding + 1</c>.
/// </summary>
/// <remarks>
/// Parameters, in PyTorch order: weight <c>[depth][filters][height][width]</c> (input channels first, unlike
/// <see cref="ConvAttribute"/>), then bias <c>[filters]</c>.
/// </remarks>
/// <param name="width">Kernel width (≥ 1).</param>
/// <param name="height">Kernel height (≥ 1).</param>
/// <param name="filters">Output channels (≥ 1).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConvTransposeAttribute(int width, int height, int filters) : LayerAttribute
{
    /// <summary>Kernel width.</summary>
    public int Width { get; } = width;

    /// <summary>Kernel height.</summary>
    public int Height { get; } = height;

    /// <summary>Output channels.</summary>
    public int Filters { get; } = filters;

    /// <summary>Upsampling step on both axes (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Rows and columns removed from each border of the full output (default 0; PyTorch's <c>padding</c>).</summary>
    public int Padding { get; set; }

    /// <summary>Extra rows and columns added at the bottom and right (default 0; must be smaller than the stride).</summary>
    public int OutputPadding { get; set; }
}
