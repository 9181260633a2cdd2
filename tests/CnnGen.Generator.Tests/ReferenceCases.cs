using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>
/// A kernel family's named test networks, compiled once into namespace <c>ns</c> on first use, and their run against
/// the reference (the family test classes share it).
/// </summary>
internal sealed class ReferenceCases((string Name, RefShape Input, RefLayer[] Layers)[] cases, string ns)
{
    private readonly Lazy<(CompiledNetworks Compiled, ReferenceNetwork[] Networks)> _compiled = new(() =>
    {
        ReferenceNetwork[] networks = cases.Select(c => new ReferenceNetwork(c.Input, c.Layers)).ToArray();
        CompiledNetworks compiled = GeneratorHarness.Compile(
            networks.Select((n, i) => n.ToSource(ns, cases[i].Name)),
            cases.Select(c => ns + "." + c.Name));
        return (compiled, networks);
    });

    /// <summary>The compiled networks.</summary>
    public CompiledNetworks Compiled => _compiled.Value.Compiled;

    /// <summary>The reference of each case, in order.</summary>
    public ReferenceNetwork[] Networks => _compiled.Value.Networks;

    /// <summary>The generated type of case <paramref name="k"/>.</summary>
    public string TypeName(int k) => ns + "." + cases[k].Name;

    /// <summary><see cref="Mismatches(CompiledNetworks, IReadOnlyList{ReferenceNetwork}, IReadOnlyList{string}, int)"/> over every case.</summary>
    public List<string> Mismatches(int seedBase) =>
        Mismatches(Compiled, Networks, Enumerable.Range(0, cases.Length).Select(TypeName).ToArray(), seedBase);

    /// <summary>
    /// Asserts that every case matches the reference (<see cref="Mismatches(int)"/>, seeds from <paramref name="seedBase"/>),
    /// listing all mismatches in the failure, and reports the number of networks run to <paramref name="output"/>.
    /// </summary>
    public void AssertAllMatch(int seedBase, Xunit.Abstractions.ITestOutputHelper output)
    {
        List<string> failures = Mismatches(seedBase);
        output.WriteLine($"{cases.Length} networks run against the reference.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The names of the cases whose <c>Forward</c> allocates after warm-up (20 calls on seeded parameters and input).</summary>
    public List<string> Allocating() =>
        Enumerable.Range(0, cases.Length)
            .Where(k =>
            {
                INetwork network = Compiled.Create(TypeName(k), RandomNetworks.Parameters(Networks[k], 7));
                return RuntimeBehaviourTests.AllocatedBytes(network, RandomNetworks.Values(8, network.InputLength), calls: 20) != 0;
            })
            .Select(k => cases[k].Name)
            .ToList();

    /// <summary>
    /// Runs every network on seeded parameters and input (seeds from <paramref name="seedBase"/>) and returns one line
    /// per network whose outputs differ from the reference by more than 1e-5 + 1e-4 × |expected|. Asserts that a second
    /// call, which reuses the thread's scratch, gives the same answer.
    /// </summary>
    private static List<string> Mismatches(CompiledNetworks compiled, IReadOnlyList<ReferenceNetwork> networks, IReadOnlyList<string> typeNames, int seedBase)
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
