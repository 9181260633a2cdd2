using CnnGen.Generator.Model;

namespace CnnGen.Generator.Shapes;

/// <summary>
/// The result of shape inference for one network: every layer resolved, or <see cref="IsValid"/>
/// false when a problem was found (then <see cref="Layers"/> holds the layers up to it).
/// </summary>
internal sealed record NetworkPlan(
    TypeSpec Type,
    Volume Input,
    EquatableArray<LayerPlan> Layers,
    int ParameterCount,
    bool IsValid)
{
    /// <summary>File name of the embedded weights (<c>[Network(Weights = "…")]</c>), or <see langword="null"/>.</summary>
    public string? WeightsFile { get; init; }

    /// <summary>The manifest resource the build embeds the weights file as (see build/CnnGen.targets).</summary>
    public string? WeightsResource => WeightsFile is null ? null : "CnnGen.Weights." + WeightsFile;

    /// <summary>The last layer's output, or the input when there is no layer.</summary>
    public Volume Output => Layers.Count == 0 ? Input : Layers[Layers.Count - 1].Out;
}
