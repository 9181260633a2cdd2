using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CnnGen.Onnx.Tests;

/// <summary>
/// Compares layer lists by value. <see cref="LayerInfo"/> is a record whose <see cref="LayerInfo.Inputs"/> is a list,
/// which record equality compares by reference; here it is compared by its names, with an empty list (old assemblies)
/// read as "the previous layer" (or <c>Input</c> for the first).
/// </summary>
internal static class LayerComparison
{
    private static readonly string[] None = Array.Empty<string>();

    /// <summary>The names a layer reads, with an empty <see cref="LayerInfo.Inputs"/> resolved to the previous layer.</summary>
    public static IReadOnlyList<string> InputsOf(IReadOnlyList<LayerInfo> layers, int index) =>
        layers[index].Inputs.Count > 0 ? layers[index].Inputs : [index == 0 ? "Input" : layers[index - 1].Name];

    /// <summary>Each layer without its inputs (so record equality works), with its inputs as one string.</summary>
    public static List<(LayerInfo Layer, string Inputs)> Comparable(IReadOnlyList<LayerInfo> layers) =>
        layers.Select((l, i) => (l with { Inputs = None }, string.Join(",", InputsOf(layers, i)))).ToList();

    public static bool SameLayers(IReadOnlyList<LayerInfo> expected, IReadOnlyList<LayerInfo> actual) =>
        Comparable(expected).SequenceEqual(Comparable(actual));

    public static void Equal(IReadOnlyList<LayerInfo> expected, IReadOnlyList<LayerInfo> actual) =>
        Assert.Equal(Comparable(expected), Comparable(actual));
}
