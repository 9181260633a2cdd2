using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>Runs a kernel family's compiled test networks against the reference (the family test classes share it).</summary>
internal static class ReferenceCases
{
    /// <summary>
    /// Runs every network on seeded parameters and input (seeds from <paramref name="seedBase"/>) and returns one line
    /// per network whose outputs differ from the reference by more than 1e-5 + 1e-4 × |expected|. Asserts that a second
    /// call, which reuses the thread's scratch, gives the same answer.
    /// </summary>
    public static List<string> Mismatches(CompiledNetworks compiled, IReadOnlyList<ReferenceNetwork> networks, IReadOnlyList<string> typeNames, int seedBase)
    {
        var failures = new List<string>();
        for (int k = 0; k < networks.Count; k++)
        {
            ReferenceNetwork network = networks[k];
            int seed = seedBase + k;
            float[] parameters = RandomNetworks.Parameters(network, seed);
            float[] input = RandomNetworks.Values(seed + 1, network.InputLength);
            INetwork generated = compiled.Create(typeNames[k], parameters);
            var actual = new float[network.OutputLength];
            generated.Forward(input, actual);
            double[] expected = network.Forward(parameters, input);
            int[] wrong = Enumerable.Range(0, expected.Length).Where(i => !(Math.Abs(expected[i] - actual[i]) <= 1e-5 + 1e-4 * Math.Abs(expected[i]))).ToArray();
            if (wrong.Length > 0)
            {
                int i = wrong[0];
                failures.Add($"{typeNames[k]}: {wrong.Length} of {expected.Length} outputs differ, the first at {i}: {actual[i]:R}, expected {expected[i]:R}");
            }
            var again = new float[actual.Length];
            generated.Forward(input, again);
            Assert.Equal(actual, again);
        }
        return failures;
    }
}
