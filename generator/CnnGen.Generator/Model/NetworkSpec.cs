namespace CnnGen.Generator.Model;

/// <summary>Everything the generator needs about one <c>[Network]</c> class: plain, equatable data only.</summary>
/// <param name="Type">Where the partial class lives and how to re-declare it.</param>
/// <param name="Layers">The layer attributes in source order, <c>[Input]</c> included.</param>
internal sealed record NetworkSpec(TypeSpec Type, EquatableArray<LayerSpec> Layers)
{
    /// <summary><c>[Network(Weights = "…")]</c>: the weights file to embed, as written, or <see langword="null"/>.</summary>
    public string? Weights { get; init; }
}

/// <summary>How to re-open the user's partial class.</summary>
/// <param name="Namespace">Containing namespace, or empty for the global namespace.</param>
/// <param name="Name">Class name as written, with its type parameter list (e.g. <c>Net&lt;T&gt;</c>).</param>
/// <param name="MetadataName">A file-name-safe unique name for the hint name.</param>
/// <param name="Keyword">The declaration keyword: <c>class</c> or <c>record</c>.</param>
/// <param name="ContainingTypes">Declarations of enclosing types, outermost first (e.g. <c>partial class Outer</c>).</param>
internal sealed record TypeSpec(
    string Namespace,
    string Name,
    string MetadataName,
    string Keyword,
    EquatableArray<string> ContainingTypes);
