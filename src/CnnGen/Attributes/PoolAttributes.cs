using System;

namespace CnnGen;

/// <summary>
/// What max and average pooling share: a <paramref name="width"/> × <paramref name="height"/> window
/// moved over each channel. The generator reads the arguments as written, so a property you leave
/// out means its documented default, not the value shown here.
/// </summary>
/// <param name="width">Window width (≥ 1).</param>
/// <param name="height">Window height (≥ 1).</param>
public abstract class PoolAttribute(int width, int height) : LayerAttribute
{
    /// <summary>Window width.</summary>
    public int Width { get; } = width;

    /// <summary>Window height.</summary>
    public int Height { get; } = height;

    /// <summary>Step between windows on both axes (default: the window size, so windows tile).</summary>
    public int Stride { get; set; }

    /// <summary>Step along the width; overrides <see cref="Stride"/>.</summary>
    public int StrideX { get; set; }

    /// <summary>Step along the height; overrides <see cref="Stride"/>.</summary>
    public int StrideY { get; set; }

    /// <summary>Padding on every side (default 0); must be smaller than the window.</summary>
    public int Padding { get; set; }

    /// <summary>Padding on the left; overrides <see cref="Padding"/> on that side.</summary>
    public int PadLeft { get; set; }

    /// <summary>Padding on the top; overrides <see cref="Padding"/> on that side.</summary>
    public int PadTop { get; set; }

    /// <summary>Padding on the right; overrides <see cref="Padding"/> on that side.</summary>
    public int PadRight { get; set; }

    /// <summary>Padding at the bottom; overrides <see cref="Padding"/> on that side.</summary>
    public int PadBottom { get; set; }

    /// <summary>Round the output size up instead of down (PyTorch/ONNX <c>ceil_mode</c>).</summary>
    public bool CeilMode { get; set; }
}

/// <summary>
/// Max pooling: the largest value of each <paramref name="width"/> × <paramref name="height"/> window, per channel.
/// Padding positions never win (they count as −∞), as in PyTorch and ONNX.
/// </summary>
/// <param name="width">Window width (≥ 1).</param>
/// <param name="height">Window height (≥ 1).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPoolAttribute(int width, int height) : PoolAttribute(width, height)
{
}

/// <summary>
/// Average pooling: the mean of each <paramref name="width"/> × <paramref name="height"/> window, per channel.
/// By default the divisor is the full window area, padding included (PyTorch <c>count_include_pad=True</c>);
/// set <see cref="ExcludePadding"/> to divide by the real elements only (ONNX's default).
/// </summary>
/// <param name="width">Window width (≥ 1).</param>
/// <param name="height">Window height (≥ 1).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AvgPoolAttribute(int width, int height) : PoolAttribute(width, height)
{
    /// <summary>
    /// Divide each window's sum by the number of real (non-padding) elements in it, as ONNX does by
    /// default (<c>count_include_pad=0</c>). Default <see langword="false"/>: divide by the full window area.
    /// </summary>
    public bool ExcludePadding { get; set; }
}
