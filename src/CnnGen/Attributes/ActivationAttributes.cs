using System;

namespace CnnGen;

/// <summary>
/// Leaky ReLU, <c>x ≥ 0 ? x : Slope·x</c> element-wise (PyTorch <c>nn.LeakyReLU</c>, ONNX <c>LeakyRelu</c>).
/// Keeps the shape; no parameters; folded into the layer before it when it can be.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LeakyReluAttribute : LayerAttribute
{
    /// <summary>Slope for negative inputs (default 0.01, PyTorch's <c>negative_slope</c>; ONNX's <c>alpha</c> also defaults to 0.01).</summary>
    public float Slope { get; set; } = 0.01f;
}

/// <summary>
/// Clamps every value to [<paramref name="min"/>, <paramref name="max"/>] (PyTorch <c>torch.clamp</c>/<c>nn.Hardtanh</c>,
/// ONNX <c>Clip</c>). <c>[Clip(0, 6)]</c> is <see cref="Relu6Attribute"/>. Keeps the shape; no parameters.
/// </summary>
/// <param name="min">Lower bound.</param>
/// <param name="max">Upper bound (≥ <paramref name="min"/>).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ClipAttribute(float min, float max) : LayerAttribute
{
    /// <summary>Lower bound.</summary>
    public float Min { get; } = min;

    /// <summary>Upper bound.</summary>
    public float Max { get; } = max;
}

/// <summary>Logistic sigmoid, <c>1 / (1 + e^−x)</c> element-wise. Keeps the shape; no parameters.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SigmoidAttribute : LayerAttribute
{
}

/// <summary>Hyperbolic tangent element-wise. Keeps the shape; no parameters.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class TanhAttribute : LayerAttribute
{
}

/// <summary>
/// Hard sigmoid, <c>max(0, min(1, Alpha·x + Beta))</c> element-wise. The defaults are PyTorch's
/// <c>nn.Hardsigmoid</c> (<c>x/6 + 1/2</c>); ONNX's <c>HardSigmoid</c> defaults to alpha 0.2, so the importer
/// passes the model's values. Keeps the shape; no parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HardSigmoidAttribute : LayerAttribute
{
    /// <summary>Slope (default 1/6, PyTorch's; ONNX's default is 0.2).</summary>
    public float Alpha { get; set; } = 1f / 6f;

    /// <summary>Offset (default 0.5).</summary>
    public float Beta { get; set; } = 0.5f;
}

/// <summary>
/// Hard swish, <c>x · min(max(x + 3, 0), 6) / 6</c> element-wise (MobileNetV3; PyTorch <c>nn.Hardswish</c>,
/// ONNX <c>HardSwish</c>). Keeps the shape; no parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class HardSwishAttribute : LayerAttribute
{
}

/// <summary>SiLU (swish), <c>x · sigmoid(x)</c> element-wise (EfficientNet; PyTorch <c>nn.SiLU</c>). Keeps the shape; no parameters.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SiluAttribute : LayerAttribute
{
}

/// <summary>How <see cref="GeluAttribute"/> computes the Gaussian CDF (PyTorch's <c>approximate</c> argument).</summary>
public enum GeluApproximation
{
    /// <summary>The exact form, <c>x/2 · (1 + erf(x/√2))</c> (PyTorch's default, <c>approximate='none'</c>).</summary>
    None,

    /// <summary><c>x/2 · (1 + tanh(√(2/π) · (x + 0.044715·x³)))</c> (<c>approximate='tanh'</c>).</summary>
    Tanh,
}

/// <summary>GELU element-wise (PyTorch <c>nn.GELU</c>, ONNX <c>Gelu</c>). Keeps the shape; no parameters.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GeluAttribute : LayerAttribute
{
    /// <summary>Exact (default) or the tanh approximation.</summary>
    public GeluApproximation Approximate { get; set; } = GeluApproximation.None;
}

/// <summary>ELU, <c>x &gt; 0 ? x : Alpha·(e^x − 1)</c> element-wise (PyTorch <c>nn.ELU</c>, ONNX <c>Elu</c>). Keeps the shape; no parameters.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EluAttribute : LayerAttribute
{
    /// <summary>Scale of the negative part (default 1).</summary>
    public float Alpha { get; set; } = 1f;
}

/// <summary>
/// Parametric ReLU, <c>x ≥ 0 ? x : aᶜ·x</c> with one learned slope per channel (PyTorch
/// <c>nn.PReLU(num_parameters=C)</c>, ONNX <c>PRelu</c>). Keeps the shape.
/// </summary>
/// <remarks>
/// Parameters: weight <c>[depth]</c>. PyTorch's default <c>nn.PReLU()</c> learns one slope shared by all
/// channels: repeat it <c>depth</c> times in the weights file (the importer does).
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PReluAttribute : LayerAttribute
{
}

/// <summary>
/// Log-softmax over the whole vector, <c>xᵢ − max − log Σ exp(xⱼ − max)</c> (PyTorch <c>nn.LogSoftmax(dim=1)</c>
/// on a flat vector). Like <see cref="SoftmaxAttribute"/>, it reads a whole vector.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LogSoftmaxAttribute : LayerAttribute
{
}

/// <summary>Dropout: the identity at inference. Accepted so a network reads like its PyTorch source; emits no code.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>The training-time drop probability (documentation only; ignored at inference).</summary>
    public float Probability { get; set; } = 0.5f;
}

/// <summary>
/// Flatten: a no-op kept for readability. Volumes are always stored in C,H,W order and a fully
/// connected layer reads any volume as a flat vector, so there is nothing to do.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FlattenAttribute : LayerAttribute
{
}
