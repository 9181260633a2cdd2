using System.Globalization;

namespace CnnGen.Generator.Emit;

/// <summary>Numbers as C# literals, never dependent on the machine's culture.</summary>
internal static class Literals
{
    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An integer with thousands separators for comments and docs, e.g. <c>20,370</c>.</summary>
    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>A float literal that round-trips, e.g. <c>0.01f</c>, <c>float.NegativeInfinity</c>.</summary>
    public static string Float(float value) => float.IsPositiveInfinity(value) ? "float.PositiveInfinity"
        : float.IsNegativeInfinity(value) ? "float.NegativeInfinity"
        : float.IsNaN(value) ? "float.NaN"
        : value.ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary><c>new float[] { 0.485f, 0.456f, 0.406f }</c>.</summary>
    public static string Floats(System.Collections.Generic.IEnumerable<float> values) =>
        "new float[] { " + string.Join(", ", System.Linq.Enumerable.Select(values, Float)) + " }";
}
