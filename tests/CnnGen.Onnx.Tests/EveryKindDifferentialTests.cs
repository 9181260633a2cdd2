using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Onnx.Tests;

/// <summary>
/// Random chains and graphs that draw every layer kind (activations, grouped and depthwise convs, BatchNorm,
/// Normalize, ConvTranspose, global pools, Slice, ChannelShuffle, Pad, Upsample, skips, concats, gates): each is
/// generated and compiled, exported, and run in ONNX Runtime; then the export is imported, generated and compiled
/// again. Both generated networks must give ONNX Runtime's numbers within 1e-4 relative + 1e-5 absolute.
/// Unlike <see cref="DifferentialTests"/>, the imported layers are not compared with the originals: the importer
/// rightly writes some kinds another way (a global pool as a whole-window pool, a BatchNorm after a conv folded
/// into it, Dropout and Flatten as nothing), so the numbers are what must survive the round trip.
/// </summary>
public class EveryKindDifferentialTests
{
    private const int PerGroup = 20;

    public static TheoryData<string, int> Groups() => new()
    {
        { "chain", 0 }, { "chain", 1 }, { "graph", 0 }, { "graph", 1 },
    };

    [Theory]
    [MemberData(nameof(Groups))]
    public void ExportAndReimport_AgreeWithOnnxRuntime(string shape, int group)
    {
        int[] seeds = Enumerable.Range(7001 + group * PerGroup, PerGroup).ToArray();
        Dictionary<int, ReferenceNetwork> networks = seeds.ToDictionary(s => s, s => shape == "chain" ? RandomNetworks.Create(s) : RandomNetworks.Graph(s));
        string Type(int seed) => $"EveryKind.Net{seed}";
        using CompiledNetworks compiled = GeneratorHarness.Compile(
            seeds.Select(s => networks[s].ToSource("EveryKind", "Net" + s)), seeds.Select(Type));

        var failures = new List<string>();
        var imported = new List<(ImportedNetwork Network, string ClassName, int Seed, float[] Input, float[] Expected)>();
        foreach (int seed in seeds)
        {
            ReferenceNetwork reference = networks[seed];
            IReadOnlyList<LayerInfo> layers = Array.Empty<LayerInfo>();
            try
            {
                layers = (IReadOnlyList<LayerInfo>)compiled.StaticProperty(Type(seed), "Layers")!;
                float[] parameters = RandomNetworks.Parameters(reference, seed);
                var input = new Shape(reference.Input.Width, reference.Input.Height, reference.Input.Depth);
                byte[] model = OnnxExporter.ExportToBytes(layers, input, parameters);
                float[] x = RandomNetworks.Values(seed + 100_000, input.Length);
                // Unoptimized: ONNX Runtime's optimizer folds a zero Pad into a following MaxPool and then rejects it.
                using var ort = new OnnxRuntimeModel(model, optimize: false);
                float[] theirs = ort.Run(x, [1, input.Depth, input.Height, input.Width]);
                float[] ours = GeneratedCode.Forward(compiled.Create(Type(seed), parameters), x);
                if (Tolerance.Compare(ours, theirs) is { } problem)
                {
                    failures.Add($"seed {seed}: generated vs ONNX Runtime: {problem}\n{reference}");
                    continue;
                }
                imported.Add((OnnxImporter.Import(model), "Back" + seed, seed, x, theirs));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"seed {seed}: {e.GetType().Name}: {e.Message}\n{reference}\n{string.Join("\n", layers)}");
            }
        }

        if (imported.Count > 0)
        {
            using CompiledNetworks back = GeneratedCode.Compile(imported.Select(i => (i.Network, i.ClassName)).ToList());
            foreach (var (network, className, seed, x, theirs) in imported)
            {
                float[] ours = GeneratedCode.Forward(GeneratedCode.Create(back, network, className), x);
                if (Tolerance.Compare(ours, theirs) is { } problem)
                {
                    failures.Add($"seed {seed}: import(export) generated vs ONNX Runtime: {problem}\n{networks[seed]}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {seeds.Length} {shape}s failed:\n" + string.Join("\n", failures.Take(5)));
    }

    /// <summary>The seeds above really draw the layer issue's kinds, so the test covers them.</summary>
    [Fact]
    public void TheSeedsDrawEveryNewKind()
    {
        RefLayer[] layers = Enumerable.Range(7001, 2 * PerGroup)
            .SelectMany(s => RandomNetworks.Create(s).Layers.Concat(RandomNetworks.Graph(s).Layers))
            .ToArray();
        string[] kinds = layers.Select(l => l.GetType().Name).Distinct().ToArray();
        foreach (string kind in new[]
        {
            "RefBatchNorm", "RefConvTranspose", "RefSilu", "RefHardSwish", "RefSigmoid", "RefPRelu",
            "RefGlobalPool", "RefSlice", "RefUpsample", "RefAdd", "RefMul", "RefConcat",
        })
        {
            Assert.Contains(kind, kinds);
        }
        Assert.Contains(layers, l => l is RefConv { Groups: > 1 });
    }
}
