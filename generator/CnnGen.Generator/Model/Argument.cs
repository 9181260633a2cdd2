namespace CnnGen.Generator.Model;

/// <summary>
/// One argument of a layer attribute as written: positional arguments under their constructor
/// parameter's name (<c>width</c>, <c>filters</c>, <c>others</c>), named ones under the property's
/// (<c>Stride</c>, <c>Name</c>). Exactly one of the values is set. Plain, equatable data.
/// </summary>
internal sealed record Argument(string Name)
{
    public int? Int { get; init; }

    public bool? Bool { get; init; }

    public float? Float { get; init; }

    public string? Text { get; init; }

    /// <summary>A <c>params string[]</c> or other string array.</summary>
    public EquatableArray<string> Texts { get; init; } = EquatableArray<string>.Empty;

    /// <summary>A float array (e.g. per-channel constants).</summary>
    public EquatableArray<float> Floats { get; init; } = EquatableArray<float>.Empty;
}
