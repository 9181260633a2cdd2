using System.Globalization;

namespace CnnGen.Generator.Shapes;

/// <summary>A width × height × depth block of activations, stored in C,H,W order.</summary>
internal readonly record struct Volume(int Width, int Height, int Depth)
{
    /// <summary>Number of values: width · height · depth.</summary>
    public long Length => (long)Width * Height * Depth;

    /// <summary>A flat vector of <paramref name="length"/> values (what a fully connected layer outputs).</summary>
    public static Volume Vector(int length) => new(1, 1, length);

    /// <summary><c>W×H×D</c>, the way the README and diagnostics write shapes.</summary>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0}×{1}×{2}", Width, Height, Depth);
}
