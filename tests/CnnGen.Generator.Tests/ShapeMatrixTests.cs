using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// The single-layer networks of <see cref="LayerShapeMatrix"/> (strides 1–4, kernels 1–11, dilation,
/// odd widths, height-1 inputs, many channels) against the reference, on whichever kernels this
/// machine runs (<see cref="InstructionSetTests"/> reruns it without AVX2).
/// </summary>
public sealed class ShapeMatrixTests(ITestOutputHelper output)
{
    /// <summary>The reference computes in double with plain loops: skip the few cases too big for it.</summary>
    private const long ReferenceBudget = 20_000_000;

    [Fact]
    public void EveryAffordableShape_MatchesTheReference()
    {
        var failures = new List<string>();
        int run = 0;
        foreach (LayerShapeMatrix.Case c in LayerShapeMatrix.Cases)
        {
            if (c.MultiplyAdds > ReferenceBudget)
            {
                continue;
            }
            run++;
            int seed = c.Name.GetHashCode(StringComparison.Ordinal) & 0xFFFF;
            float[] parameters = RandomNetworks.Parameters(c.Network, seed);
            float[] input = RandomNetworks.Values(seed + 1, c.Network.InputLength);
            INetwork network = LayerShapeMatrix.Compiled.Create(c.TypeName, parameters);
            var actual = new float[c.Network.OutputLength];
            network.Forward(input, actual);
            double[] expected = c.Network.Forward(parameters, input);
            for (int i = 0; i < expected.Length; i++)
            {
                if (!(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i])))
                {
                    failures.Add($"{c.Name} ({c.Network.Input} → {c.Network.Layers[0].AttributeText}): output {i} is {actual[i]:R}, expected {expected[i]:R}");
                    break;
                }
            }
        }
        output.WriteLine($"{run} of {LayerShapeMatrix.Cases.Count} shapes run against the reference.");
        Assert.True(run >= 180, $"only {run} shapes were small enough for the reference");
        Assert.True(failures.Count == 0, $"{failures.Count} shapes differ from the reference:\n" + string.Join("\n", failures.Take(20)));
    }
}
