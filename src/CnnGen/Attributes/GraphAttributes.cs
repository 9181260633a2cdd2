using System;

namespace CnnGen;

/// <summary>
/// Element-wise sum of this layer's input (the previous layer's output, or <see cref="LayerAttribute.From"/>)
/// and the outputs of the named layers: a residual (skip) connection. All shapes must be equal.
/// No parameters. ONNX <c>Add</c>.
/// </summary>
/// <param name="others">The layers whose outputs are added (at least one).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AddAttribute(params string[] others) : LayerAttribute
{
    /// <summary>The layers whose outputs are added to the input.</summary>
    public string[] Others { get; } = others;
}

/// <summary>
/// Element-wise product of this layer's input and the outputs of the named layers. An operand of
/// shape 1×1×C broadcasts over a W×H×C one (a squeeze-and-excite gate); otherwise shapes must be
/// equal. No parameters. ONNX <c>Mul</c>.
/// </summary>
/// <param name="others">The layers whose outputs are multiplied in (at least one).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MulAttribute(params string[] others) : LayerAttribute
{
    /// <summary>The layers whose outputs are multiplied with the input.</summary>
    public string[] Others { get; } = others;
}

/// <summary>
/// Channel concatenation: this layer's input first, then the named layers' outputs in order. Widths
/// and heights must be equal; the depth is the sum. No parameters. ONNX <c>Concat</c> on axis 1.
/// </summary>
/// <param name="others">The layers whose outputs follow the input's channels (at least one).</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class ConcatAttribute(params string[] others) : LayerAttribute
{
    /// <summary>The layers whose channels follow the input's.</summary>
    public string[] Others { get; } = others;
}
