namespace CnnGen.Generator.Diagnostics;

/// <summary>
/// Keys of the properties a diagnostic carries when setting one named argument fixes it
/// (CNN0009 Depth, CNN0010 Inputs, CNN0012 PadRight/PadBottom). Code fixes read them.
/// </summary>
public static class FixProperties
{
    /// <summary>The named argument of the attribute to set, e.g. <c>Depth</c>.</summary>
    public const string Argument = "CnnGen.FixArgument";

    /// <summary>The value to set it to, as C# source, e.g. <c>3</c>.</summary>
    public const string Value = "CnnGen.FixValue";
}
