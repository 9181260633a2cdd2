using System;

namespace CnnGen;

/// <summary>
/// Marks a <c>partial class</c> as a convolutional network. The CnnGen source generator reads the
/// layer attributes that follow (<see cref="InputAttribute"/> first, then layers in order) and emits
/// the shape constants, a constructor taking the parameters and an allocation-free <c>Forward</c>.
/// </summary>
/// <example>
/// <code>
/// [Network]
/// [Input(32, 32, 3)]
/// [Conv(5, 5, 10)]
/// [Relu]
/// [MaxPool(2, 2)]
/// [FullyConnected(10)]
/// [Softmax]
/// public partial class TinyNet { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>
    /// Optional: a weights file (raw little-endian float32 in constructor order) to embed in the
    /// assembly, e.g. <c>"lenet.weights"</c>. Add it to the project as
    /// <c>&lt;AdditionalFiles Include="lenet.weights" /&gt;</c>; CnnGen checks at compile time that it
    /// holds exactly <c>ParameterCount</c> floats, embeds it as a manifest resource, and gives the class
    /// a parameterless constructor that loads it.
    /// </summary>
    public string? Weights { get; set; }
}
