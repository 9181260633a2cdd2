using System;

namespace CnnGen;

/// <summary>
/// Batch normalization at inference: per channel, <c>γ·(x − mean)/√(var + Epsilon) + β</c>. Keeps the shape.
/// When it follows a convolution or fully connected layer that nothing else reads, it is folded into
/// that layer's weights and bias when the network is constructed, so it costs nothing per call;
/// otherwise it runs as a per-channel scale and shift.
/// </summary>
/// <remarks>
/// Parameters, in <c>BatchNorm2d.state_dict()</c> order: weight γ <c>[depth]</c>, bias β <c>[depth]</c>,
/// running_mean <c>[depth]</c>, running_var <c>[depth]</c>. The integer <c>num_batches_tracked</c> is not a
/// parameter: leave it out of the weights. ONNX <c>BatchNormalization</c> orders its inputs the same way
/// (scale, B, input_mean, input_var).
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BatchNormAttribute : LayerAttribute
{
    /// <summary>Added to the variance before the square root (default 1e-5, PyTorch's and ONNX's).</summary>
    public float Epsilon { get; set; } = 1e-5f;
}

/// <summary>
/// Per-channel normalization of the network input, <c>(x − mean[c]) / std[c]</c>, with constants written
/// in the attribute (torchvision's <c>transforms.Normalize</c>). Keeps the shape; no parameters. When a
/// convolution follows, it is folded into that convolution's weights and bias at construction.
/// </summary>
/// <param name="mean">One mean per channel.</param>
/// <param name="std">One standard deviation per channel (each &gt; 0).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class NormalizeAttribute(float[] mean, float[] std) : LayerAttribute
{
    /// <summary>One mean per channel.</summary>
    public float[] Mean { get; } = mean;

    /// <summary>One standard deviation per channel.</summary>
    public float[] Std { get; } = std;
}
