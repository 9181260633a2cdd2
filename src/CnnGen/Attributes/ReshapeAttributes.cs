using System;

namespace CnnGen;

/// <summary>Global average pooling: the mean of each channel, W×H×C → 1×1×C (ONNX <c>GlobalAveragePool</c>,
/// PyTorch <c>nn.AdaptiveAvgPool2d(1)</c>). No parameters.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalAvgPoolAttribute : LayerAttribute
{
}

/// <summary>Global max pooling: the largest value of each channel, W×H×C → 1×1×C (ONNX <c>GlobalMaxPool</c>,
/// PyTorch <c>nn.AdaptiveMaxPool2d(1)</c>). No parameters.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GlobalMaxPoolAttribute : LayerAttribute
{
}

/// <summary>How <see cref="UpsampleAttribute"/> fills the new positions.</summary>
public enum UpsampleMode
{
    /// <summary>Repeat each value (PyTorch <c>mode='nearest'</c>, ONNX <c>Resize</c> mode <c>nearest</c>).</summary>
    Nearest,

    /// <summary>Bilinear interpolation (PyTorch <c>mode='bilinear'</c>, ONNX <c>Resize</c> mode <c>linear</c>).</summary>
    Bilinear,
}

/// <summary>
/// Upsampling by integer factors: W×H×C → (W·ScaleX)×(H·ScaleY)×C (PyTorch <c>nn.Upsample</c>, ONNX <c>Resize</c>).
/// No parameters.
/// </summary>
/// <param name="scale">Factor on both axes (≥ 1); <see cref="ScaleX"/>/<see cref="ScaleY"/> override one axis.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class UpsampleAttribute(int scale) : LayerAttribute
{
    /// <summary>Factor on both axes.</summary>
    public int Scale { get; } = scale;

    /// <summary>Factor along the width; overrides the scale.</summary>
    public int ScaleX { get; set; }

    /// <summary>Factor along the height; overrides the scale.</summary>
    public int ScaleY { get; set; }

    /// <summary>Nearest (default) or bilinear.</summary>
    public UpsampleMode Mode { get; set; } = UpsampleMode.Nearest;

    /// <summary>Bilinear only: align the corner pixels' centres (PyTorch's <c>align_corners</c>, default false).</summary>
    public bool AlignCorners { get; set; }
}

/// <summary>
/// Explicit zero padding (PyTorch <c>nn.ZeroPad2d</c>, ONNX <c>Pad</c> with constant 0): for pads a following
/// conv or pool cannot take itself. No parameters.
/// </summary>
/// <param name="padding">Zeros on every side (≥ 0); the <c>Pad…</c> properties override one side.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PadAttribute(int padding) : LayerAttribute
{
    /// <summary>Zeros on every side.</summary>
    public int Padding { get; } = padding;

    /// <summary>Zero columns on the left; overrides the padding on that side.</summary>
    public int PadLeft { get; set; }

    /// <summary>Zero rows on the top; overrides the padding on that side.</summary>
    public int PadTop { get; set; }

    /// <summary>Zero columns on the right; overrides the padding on that side.</summary>
    public int PadRight { get; set; }

    /// <summary>Zero rows at the bottom; overrides the padding on that side.</summary>
    public int PadBottom { get; set; }
}

/// <summary>
/// A range of channels: <paramref name="count"/> channels from <paramref name="start"/> (ShuffleNet's
/// channel split; ONNX <c>Slice</c>/<c>Split</c> on axis 1). No parameters.
/// </summary>
/// <param name="start">First channel (≥ 0).</param>
/// <param name="count">Number of channels (≥ 1; start + count ≤ depth).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SliceAttribute(int start, int count) : LayerAttribute
{
    /// <summary>First channel.</summary>
    public int Start { get; } = start;

    /// <summary>Number of channels.</summary>
    public int Count { get; } = count;
}

/// <summary>
/// Channel shuffle (ShuffleNet): views the C channels as <paramref name="groups"/> × (C / groups), transposes
/// to (C / groups) × groups, and flattens back, so output channel <c>i·groups + g</c> is input channel
/// <c>g·(C/groups) + i</c>. Depth must be a multiple of <paramref name="groups"/>. No parameters.
/// </summary>
/// <param name="groups">Number of groups (≥ 1).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ChannelShuffleAttribute(int groups) : LayerAttribute
{
    /// <summary>Number of groups.</summary>
    public int Groups { get; } = groups;
}
