namespace CnnGen.CodeFixes;

/// <summary>
/// The ids of the generator diagnostics this assembly fixes. They repeat the ids of the generator's
/// (internal) <c>DiagnosticDescriptors</c>; the tests fix real generator output, so a renumbering
/// there fails them.
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>The <c>[Network]</c> class is not partial.</summary>
    public const string ClassNotPartial = "CNN0001";

    /// <summary>The stated <c>Depth</c> of a <c>[Conv]</c> is not the input depth.</summary>
    public const string DepthMismatch = "CNN0009";

    /// <summary>The stated <c>Inputs</c> of a <c>[FullyConnected]</c> is not the flattened input size.</summary>
    public const string InputsMismatch = "CNN0010";

    /// <summary>The stride does not tile the input (the fix pads the far side).</summary>
    public const string InexactDivision = "CNN0012";

    /// <summary>A type that contains the network class is not partial.</summary>
    public const string ContainingTypeNotPartial = "CNN0017";
}
