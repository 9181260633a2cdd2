using System;

namespace CnnGen;

/// <summary>
/// The network's input volume: <paramref name="width"/> × <paramref name="height"/> × <paramref name="depth"/>
/// (depth = channels). Must be the first layer attribute, once. Input values are laid out in
/// C,H,W order: element (c, y, x) is at <c>(c * height + y) * width + x</c>.
/// </summary>
/// <param name="width">Columns of the input (≥ 1).</param>
/// <param name="height">Rows of the input (≥ 1).</param>
/// <param name="depth">Channels of the input (≥ 1), e.g. 3 for RGB, 1 for greyscale.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class InputAttribute(int width, int height, int depth) : Attribute
{
    /// <summary>Columns of the input.</summary>
    public int Width { get; } = width;

    /// <summary>Rows of the input.</summary>
    public int Height { get; } = height;

    /// <summary>Channels of the input.</summary>
    public int Depth { get; } = depth;
}
