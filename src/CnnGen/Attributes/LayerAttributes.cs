using System;

namespace CnnGen;

/// <summary>Rectified linear unit, <c>max(0, x)</c> element-wise. Keeps the shape; no parameters.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ReluAttribute : LayerAttribute
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
