using System;
using System.Collections.Generic;
using CnnGen.CrossPlatform.App.Networks;

namespace CnnGen.CrossPlatform.App;

/// <summary>One network of the app: its class name, layers, sizes, and how to build it from parameters.</summary>
/// <param name="Seed">Seeds its parameters (<see cref="SeededValues.Parameters"/>) and input (<see cref="SeededValues.Input"/>).</param>
public sealed record CatalogEntry(string Name, int Seed, IReadOnlyList<LayerInfo> Layers, int InputLength, int ParameterCount, Func<float[], INetwork> Create)
{
    /// <summary>The network built from its seeded parameters.</summary>
    public INetwork Build() => Create(Parameters());

    /// <summary>Its seeded parameters.</summary>
    public float[] Parameters() => SeededValues.Parameters(Layers, ParameterCount, Seed);

    /// <summary>Its seeded input.</summary>
    public float[] Input() => SeededValues.Input(InputLength, Seed + 1000);
}

/// <summary>Every network of the app, in the order it prints them.</summary>
public static class NetworkCatalog
{
    public static IReadOnlyList<CatalogEntry> All { get; } = new CatalogEntry[]
    {
        new(nameof(Convolutions), 1, Convolutions.Layers, Convolutions.InputLength, Convolutions.ParameterCount, p => new Convolutions(p)),
        new(nameof(Strides), 2, Strides.Layers, Strides.InputLength, Strides.ParameterCount, p => new Strides(p)),
        new(nameof(NarrowMaps), 3, NarrowMaps.Layers, NarrowMaps.InputLength, NarrowMaps.ParameterCount, p => new NarrowMaps(p)),
        new(nameof(OneDimensional), 4, OneDimensional.Layers, OneDimensional.InputLength, OneDimensional.ParameterCount, p => new OneDimensional(p)),
        new(nameof(Depthwise), 5, Depthwise.Layers, Depthwise.InputLength, Depthwise.ParameterCount, p => new Depthwise(p)),
        new(nameof(Grouped), 6, Grouped.Layers, Grouped.InputLength, Grouped.ParameterCount, p => new Grouped(p)),
        new(nameof(Residual), 7, Residual.Layers, Residual.InputLength, Residual.ParameterCount, p => new Residual(p)),
        new(nameof(ResidualDownsample), 8, ResidualDownsample.Layers, ResidualDownsample.InputLength, ResidualDownsample.ParameterCount, p => new ResidualDownsample(p)),
        new(nameof(Inception), 9, Inception.Layers, Inception.InputLength, Inception.ParameterCount, p => new Inception(p)),
        new(nameof(SqueezeExcite), 10, SqueezeExcite.Layers, SqueezeExcite.InputLength, SqueezeExcite.ParameterCount, p => new SqueezeExcite(p)),
        new(nameof(UNet), 11, UNet.Layers, UNet.InputLength, UNet.ParameterCount, p => new UNet(p)),
        new(nameof(Transpose), 12, Transpose.Layers, Transpose.InputLength, Transpose.ParameterCount, p => new Transpose(p)),
        new(nameof(Normalization), 13, Normalization.Layers, Normalization.InputLength, Normalization.ParameterCount, p => new Normalization(p)),
        new(nameof(Pools), 14, Pools.Layers, Pools.InputLength, Pools.ParameterCount, p => new Pools(p)),
    };
}
