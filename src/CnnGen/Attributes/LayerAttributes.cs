using System;

namespace CnnGen;

/// <summary>Rectified linear unit, <c>max(0, x)</c> element-wise. Keeps the shape; no parameters.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReluAttribute : LayerAttribute
{
}

/// <summary>
/// ReLU6, <c>min(max(0, x), 6)</c> element-wise (MobileNet's activation; PyTorch <c>nn.ReLU6</c>, ONNX
/// <c>Clip</c> with min 0 and max 6). Keeps the shape; no parameters; folded into the layer before it
/// when nothing else reads that layer's output.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Relu6Attribute : LayerAttribute
{
}

/// <summary>
/// A fully connected (dense) layer: flattens whatever comes in (C,H,W order) and computes
/// <c>W·x + b</c> with <paramref name="outputs"/> outputs.
/// </summary>
/// <remarks>Parameters: weight <c>[outputs][inputs]</c>, then bias <c>[outputs]</c> (PyTorch <c>Linear</c> order).</remarks>
/// <param name="outputs">Number of outputs (≥ 1).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class FullyConnectedAttribute(int outputs) : LayerAttribute
{
    /// <summary>Number of outputs.</summary>
    public int Outputs { get; } = outputs;

    /// <summary>
    /// Optional: the number of inputs you expect. It must equal the flattened size of the incoming
    /// volume; the generator reports an error on this argument when it does not.
    /// </summary>
    public int Inputs { get; set; }
}

/// <summary>Softmax over the whole vector: <c>exp(xᵢ − max) / Σ exp(xⱼ − max)</c>. Must be the last layer.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SoftmaxAttribute : LayerAttribute
{
}
