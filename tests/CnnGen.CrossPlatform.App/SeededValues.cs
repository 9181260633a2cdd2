using System;
using System.Collections.Generic;

namespace CnnGen.CrossPlatform.App;

/// <summary>
/// Weights and inputs from a seed, bit for bit the same on every machine: a 64-bit linear congruential
/// generator whose top 24 bits make a float in [0, 1) exactly (no floating-point arithmetic that a
/// platform could round differently, no <see cref="Random"/> whose algorithm may change).
/// </summary>
public static class SeededValues
{
    /// <summary>Inputs uniform in [−1, 1).</summary>
    public static float[] Input(int length, int seed)
    {
        ulong state = Start(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = 2 * Next(ref state) - 1;
        }
        return values;
    }

    /// <summary>
    /// Parameters laid out as <paramref name="layers"/> say: for a BatchNorm γ and the running variance in
    /// [0.5, 1.5) (a variance is positive) and β and the running mean in [−0.5, 0.5); for a layer with
    /// weights and one bias per output channel (Conv, ConvTranspose, FullyConnected), weights uniform in
    /// ±1.5/√(weights per output channel), so that activations stay near 1 however deep the network, and
    /// biases in [−0.5, 0.5).
    /// </summary>
    public static float[] Parameters(IReadOnlyList<LayerInfo> layers, int parameterCount, int seed)
    {
        ulong state = Start(seed);
        var parameters = new float[parameterCount];
        foreach (LayerInfo layer in layers)
        {
            Span<float> own = parameters.AsSpan(layer.ParameterOffset, layer.ParameterCount);
            int depth = layer.Output.Depth;
            if (layer.Type == LayerType.BatchNorm)
            {
                for (int k = 0; k < own.Length; k++)
                {
                    bool positive = k < depth || k >= 3 * depth;
                    own[k] = Next(ref state) + (positive ? 0.5f : -0.5f);
                }
                continue;
            }
            if (own.Length == 0)
            {
                continue;
            }
            int weights = own.Length - depth;
            float scale = 1.5f / MathF.Sqrt(weights / depth);
            for (int k = 0; k < own.Length; k++)
            {
                own[k] = k < weights ? (2 * Next(ref state) - 1) * scale : Next(ref state) - 0.5f;
            }
        }
        return parameters;
    }

    private static ulong Start(int seed) => (ulong)seed * 0x9E3779B97F4A7C15UL + 1;

    private static float Next(ref ulong state)
    {
        state = state * 6364136223846793005UL + 1442695040888963407UL;
        return (state >> 40) * (1f / (1 << 24));
    }
}
