using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Onnx.Tests;

/// <summary>
/// 200 seeded random networks (the shared <see cref="RandomNetworks"/>: random input sizes, rectangular
/// kernels, strides, paddings, dilations, both pools, FC stacks, Softmax): each is generated and compiled,
/// exported with <see cref="OnnxExporter"/>, run in ONNX Runtime and by the generated code on a random
/// input, and must agree within 1e-4 relative + 1e-5 absolute. Importing the export must give back the
/// generated network's own layers and the same parameters. Replay a failure with its seed.
/// </summary>
public class DifferentialTests
{
    public const int Groups = 8;
    public const int PerGroup = 25;

    public static TheoryData<int> GroupIndices() => new(Enumerable.Range(0, Groups));

    [Theory]
    [MemberData(nameof(GroupIndices))]
    public void GeneratedCodeAgreesWithOnnxRuntime(int group)
    {
        int[] seeds = Enumerable.Range(1 + group * PerGroup, PerGroup).ToArray();
        // The first round's kinds only, so that import(export) gives back exactly these layers; every kind is in
        // EveryKindDifferentialTests, which compares numbers (the importer normalizes some kinds, see there).
        var networks = seeds.ToDictionary(s => s, s => RandomNetworks.Create(s, allActivations: false, convFamily: false, shapeKinds: false));
        using CompiledNetworks compiled = GeneratorHarness.Compile(
            seeds.Select(s => networks[s].ToSource("Differential", "Net" + s)),
            seeds.Select(s => "Differential.Net" + s));

        var failures = new List<string>();
        foreach (int seed in seeds)
        {
            string type = "Differential.Net" + seed;
            ReferenceNetwork reference = networks[seed];
            try
            {
                var layers = (IReadOnlyList<LayerInfo>)compiled.StaticProperty(type, "Layers")!;
                float[] parameters = RandomNetworks.Parameters(reference, seed);
                var input = new Shape(reference.Input.Width, reference.Input.Height, reference.Input.Depth);
                byte[] model = OnnxExporter.ExportToBytes(layers, input, parameters);

                float[] x = RandomNetworks.Values(seed + 100_000, input.Length);
                INetwork generated = compiled.Create(type, parameters);
                float[] ours = GeneratedCode.Forward(generated, x);
                using var ort = new OnnxRuntimeModel(model);
                float[] theirs = ort.Run(x, [1, input.Depth, input.Height, input.Width]);
                if (Tolerance.Compare(ours, theirs) is { } problem)
                {
                    failures.Add($"seed {seed}: generated vs ONNX Runtime: {problem}\n{reference}");
                    continue;
                }

                ImportedNetwork back = OnnxImporter.Import(model);
                List<LayerInfo> expected = RoundTrip.Expected(layers);
                if (!expected.SequenceEqual(back.Layers))
                {
                    failures.Add($"seed {seed}: import(export) layers differ:\n  generated {string.Join("\n            ", expected)}\n  imported  {string.Join("\n            ", back.Layers)}");
                }
                else if (!back.Parameters.AsSpan().SequenceEqual(parameters))
                {
                    failures.Add($"seed {seed}: import(export) parameters differ");
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"seed {seed}: {e.GetType().Name}: {e.Message}\n{reference}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {seeds.Length} networks failed:\n" + string.Join("\n", failures));
    }
}
