using System;

namespace CnnGen;

/// <summary>
/// What every generated network offers, for code that handles networks generically
/// (benchmarks, batching, tools). The generated class implements it explicitly; its own
/// constants (<c>InputLength</c>, <c>OutputLength</c>, <c>ParameterCount</c>) hold the same values.
/// </summary>
public interface INetwork
{
    /// <summary>Number of input values: width × height × depth.</summary>
    int InputLength { get; }

    /// <summary>Number of output values.</summary>
    int OutputLength { get; }

    /// <summary>Number of learned parameters (weights and biases) the constructor takes.</summary>
    int ParameterCount { get; }

    /// <summary>
    /// Runs the network on one input (C,H,W order) and writes <see cref="OutputLength"/> values.
    /// Allocation-free, and safe to call from several threads at once on one instance.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length; <paramref name="output"/> is left untouched.</exception>
    void Forward(ReadOnlySpan<float> input, Span<float> output);
}
