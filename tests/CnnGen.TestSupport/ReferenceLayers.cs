using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CnnGen.TestSupport;

/// <summary>
/// One layer as the reference implementation understands it: every value resolved (no defaults left
/// to interpret), plus how to write it as an attribute. Written for the tests, independently of the
/// generator's model.
/// </summary>
public abstract record RefLayer
{
    /// <summary>
    /// The attribute as it should appear in source, e.g. <c>[Conv(3, 3, 8, Stride = 2)]</c>; when null,
    /// <see cref="CanonicalAttribute"/> (every value spelled out) is used.
    /// </summary>
    public string? Attribute { get; init; }

    /// <summary>The attribute with every value spelled out.</summary>
    public abstract string CanonicalAttribute();

    /// <summary>What to write in source for this layer.</summary>
    public string AttributeText => Attribute ?? CanonicalAttribute();

    /// <summary>Formats integers with the invariant culture.</summary>
    protected static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Named arguments that differ from <paramref name="defaults"/>, as <c>, Name = value</c>.</summary>
    protected static string Named(IEnumerable<(string Name, int Value, int Default)> values) =>
        string.Concat(values.Where(v => v.Value != v.Default).Select(v => $", {v.Name} = {I(v.Value)}"));
}

/// <summary>Convolution with every per-axis value explicit.</summary>
public sealed record RefConv(int KernelWidth, int KernelHeight, int Filters) : RefLayer
{
    public int StrideX { get; init; } = 1;
    public int StrideY { get; init; } = 1;
    public int PadLeft { get; init; }
    public int PadTop { get; init; }
    public int PadRight { get; init; }
    public int PadBottom { get; init; }
    public int DilationX { get; init; } = 1;
    public int DilationY { get; init; } = 1;

    public override string CanonicalAttribute() =>
        $"[Conv({I(KernelWidth)}, {I(KernelHeight)}, {I(Filters)}"
        + Named(new[]
        {
            ("StrideX", StrideX, 1), ("StrideY", StrideY, 1),
            ("PadLeft", PadLeft, 0), ("PadTop", PadTop, 0), ("PadRight", PadRight, 0), ("PadBottom", PadBottom, 0),
            ("DilationX", DilationX, 1), ("DilationY", DilationY, 1),
        })
        + ")]";
}

/// <summary>ReLU.</summary>
public sealed record RefRelu : RefLayer
{
    public override string CanonicalAttribute() => "[Relu]";
}

/// <summary>Max or average pooling with every value explicit (the stride is never left to default here).</summary>
public sealed record RefPool(bool IsMax, int WindowWidth, int WindowHeight, int StrideX, int StrideY) : RefLayer
{
    public int PadLeft { get; init; }
    public int PadTop { get; init; }
    public int PadRight { get; init; }
    public int PadBottom { get; init; }
    public bool CeilMode { get; init; }

    /// <summary>Average only: divide by the real elements instead of the padded window.</summary>
    public bool ExcludePadding { get; init; }

    public override string CanonicalAttribute() =>
        $"[{(IsMax ? "MaxPool" : "AvgPool")}({I(WindowWidth)}, {I(WindowHeight)}, StrideX = {I(StrideX)}, StrideY = {I(StrideY)}"
        + Named(new[] { ("PadLeft", PadLeft, 0), ("PadTop", PadTop, 0), ("PadRight", PadRight, 0), ("PadBottom", PadBottom, 0) })
        + (CeilMode ? ", CeilMode = true" : "")
        + (ExcludePadding ? ", ExcludePadding = true" : "")
        + ")]";
}

/// <summary>Fully connected layer.</summary>
public sealed record RefFullyConnected(int Outputs) : RefLayer
{
    public override string CanonicalAttribute() => $"[FullyConnected({I(Outputs)})]";
}

/// <summary>Softmax over the whole vector.</summary>
public sealed record RefSoftmax : RefLayer
{
    public override string CanonicalAttribute() => "[Softmax]";
}

/// <summary>A width × height × depth volume (C,H,W order).</summary>
public readonly record struct RefShape(int Width, int Height, int Depth)
{
    public int Length => Width * Height * Depth;

    public override string ToString() => $"{Width}x{Height}x{Depth}";
}
