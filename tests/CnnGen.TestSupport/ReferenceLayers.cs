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

    /// <summary>
    /// The layer's explicit name (<c>Name = "…"</c>), or null for the default: its kind prefix and its
    /// 1-based number among all layers of that kind (<see cref="ReferenceNetwork.KindPrefix"/>).
    /// </summary>
    public string? Name { get; init; }

    /// <summary>
    /// The layer (or <c>"Input"</c>) whose output this one reads (<c>From = "…"</c>), or null for the
    /// previous layer's (the network input for the first layer).
    /// </summary>
    public string? From { get; init; }

    /// <summary>The attribute with every value spelled out (including <see cref="Name"/> and <see cref="From"/>).</summary>
    public string CanonicalAttribute() => WithGraphArguments(CanonicalAttributeCore());

    /// <summary>The attribute with every value spelled out, without <see cref="Name"/> and <see cref="From"/>.</summary>
    protected abstract string CanonicalAttributeCore();

    /// <summary>
    /// What to write in source for this layer: <see cref="Attribute"/> (which should not spell
    /// <see cref="Name"/> or <see cref="From"/>: they are appended here) or <see cref="CanonicalAttribute"/>.
    /// </summary>
    public string AttributeText => Attribute is null ? CanonicalAttribute() : WithGraphArguments(Attribute);

    /// <summary>
    /// <paramref name="attribute"/> with <c>Name = "…"</c> and <c>From = "…"</c> appended as named
    /// arguments: <c>[Relu]</c> becomes <c>[Relu(Name = "r")]</c>, <c>[Conv(3, 3, 8)]</c> becomes
    /// <c>[Conv(3, 3, 8, Name = "r")]</c>.
    /// </summary>
    private string WithGraphArguments(string attribute)
    {
        string extra = (Name is null ? "" : $"Name = {Quote(Name)}")
            + (Name is not null && From is not null ? ", " : "")
            + (From is null ? "" : $"From = {Quote(From)}");
        if (extra.Length == 0)
        {
            return attribute;
        }
        if (attribute.EndsWith("()]", System.StringComparison.Ordinal))
        {
            return attribute[..^2] + extra + ")]";
        }
        if (attribute.EndsWith(")]", System.StringComparison.Ordinal))
        {
            return attribute[..^2] + ", " + extra + ")]";
        }
        if (attribute.EndsWith(']'))
        {
            return attribute[..^1] + "(" + extra + ")]";
        }
        throw new System.ArgumentException($"not an attribute: {attribute}");
    }

    /// <summary>A C# string literal (names are identifiers, so no escaping is needed).</summary>
    protected static string Quote(string text) => "\"" + text + "\"";

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

    /// <summary>Channel groups: filter f reads input channels [g·depth/Groups, (g + 1)·depth/Groups) for its group g = f / (Filters/Groups).</summary>
    public int Groups { get; init; } = 1;

    protected override string CanonicalAttributeCore() =>
        $"[Conv({I(KernelWidth)}, {I(KernelHeight)}, {I(Filters)}"
        + Named(new[]
        {
            ("StrideX", StrideX, 1), ("StrideY", StrideY, 1),
            ("PadLeft", PadLeft, 0), ("PadTop", PadTop, 0), ("PadRight", PadRight, 0), ("PadBottom", PadBottom, 0),
            ("DilationX", DilationX, 1), ("DilationY", DilationY, 1), ("Groups", Groups, 1),
        })
        + ")]";
}

/// <summary>Batch normalization at inference: <c>γ·(x − mean)/√(var + ε) + β</c> per channel; parameters γ, β, mean, var.</summary>
public sealed record RefBatchNorm : RefLayer
{
    /// <summary>Added to the variance (PyTorch's default 1e-5).</summary>
    public float Epsilon { get; init; } = 1e-5f;

    protected override string CanonicalAttributeCore() =>
        Epsilon == 1e-5f ? "[BatchNorm]" : $"[BatchNorm(Epsilon = {Epsilon.ToString("R", CultureInfo.InvariantCulture)}f)]";
}

/// <summary>Per-channel <c>(x − Mean[c]) / Std[c]</c> with constants in the attribute.</summary>
public sealed record RefNormalize(float[] Mean, float[] Std) : RefLayer
{
    protected override string CanonicalAttributeCore() => $"[Normalize(new[] {{ {Floats(Mean)} }}, new[] {{ {Floats(Std)} }})]";

    private static string Floats(float[] values) => string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture) + "f"));

    /// <summary>Compares the constants by content (records compare arrays by reference).</summary>
    public bool Equals(RefNormalize? other) => base.Equals(other) && Mean.SequenceEqual(other!.Mean) && Std.SequenceEqual(other.Std);

    public override int GetHashCode() => Mean.Concat(Std).Aggregate(base.GetHashCode(), (h, v) => h * 31 + v.GetHashCode());
}

/// <summary>Transposed convolution (PyTorch <c>ConvTranspose2d</c>, dilation 1): weight [depth][filters][kh][kw], then bias [filters].</summary>
public sealed record RefConvTranspose(int KernelWidth, int KernelHeight, int Filters) : RefLayer
{
    public int Stride { get; init; } = 1;
    public int Padding { get; init; }
    public int OutputPadding { get; init; }

    protected override string CanonicalAttributeCore() =>
        $"[ConvTranspose({I(KernelWidth)}, {I(KernelHeight)}, {I(Filters)}"
        + Named(new[] { ("Stride", Stride, 1), ("Padding", Padding, 0), ("OutputPadding", OutputPadding, 0) })
        + ")]";
}

/// <summary>ReLU.</summary>
public sealed record RefRelu : RefLayer
{
    protected override string CanonicalAttributeCore() => "[Relu]";
}

/// <summary>ReLU6: min(max(0, x), 6).</summary>
public sealed record RefRelu6 : RefLayer
{
    protected override string CanonicalAttributeCore() => "[Relu6]";
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

    protected override string CanonicalAttributeCore() =>
        $"[{(IsMax ? "MaxPool" : "AvgPool")}({I(WindowWidth)}, {I(WindowHeight)}, StrideX = {I(StrideX)}, StrideY = {I(StrideY)}"
        + Named(new[] { ("PadLeft", PadLeft, 0), ("PadTop", PadTop, 0), ("PadRight", PadRight, 0), ("PadBottom", PadBottom, 0) })
        + (CeilMode ? ", CeilMode = true" : "")
        + (ExcludePadding ? ", ExcludePadding = true" : "")
        + ")]";
}

/// <summary>Fully connected layer.</summary>
public sealed record RefFullyConnected(int Outputs) : RefLayer
{
    protected override string CanonicalAttributeCore() => $"[FullyConnected({I(Outputs)})]";
}

/// <summary>Softmax over the whole vector.</summary>
public sealed record RefSoftmax : RefLayer
{
    protected override string CanonicalAttributeCore() => "[Softmax]";
}

/// <summary>
/// A layer that combines its input with the outputs of the layers it names (<see cref="Others"/>, at
/// least one): <see cref="RefAdd"/>, <see cref="RefMul"/>, <see cref="RefConcat"/>. No parameters.
/// </summary>
public abstract record RefMerge : RefLayer
{
    protected RefMerge(string[] others)
    {
        if (others is null || others.Length == 0)
        {
            throw new System.ArgumentException("a merge names at least one other layer");
        }
        Others = others.ToArray();
    }

    /// <summary>The layers (or <c>"Input"</c>) whose outputs are combined with the input, in order.</summary>
    public IReadOnlyList<string> Others { get; }

    /// <summary>The attribute name: <c>Add</c>, <c>Mul</c> or <c>Concat</c>.</summary>
    public abstract string Kind { get; }

    protected override string CanonicalAttributeCore() => $"[{Kind}({string.Join(", ", Others.Select(Quote))})]";

    /// <summary>Compares <see cref="Others"/> by content (records compare arrays by reference).</summary>
    public virtual bool Equals(RefMerge? other) => base.Equals(other) && Others.SequenceEqual(other!.Others);

    public override int GetHashCode() => Others.Aggregate(base.GetHashCode(), (h, o) => h * 31 + o.GetHashCode(System.StringComparison.Ordinal));
}

/// <summary>Element-wise sum of the input and the named layers' outputs (all shapes equal).</summary>
public sealed record RefAdd : RefMerge
{
    public RefAdd(params string[] others) : base(others)
    {
    }

    public override string Kind => "Add";
}

/// <summary>Element-wise product of the input and the named layers' outputs; a 1×1×C operand broadcasts over W×H×C.</summary>
public sealed record RefMul : RefMerge
{
    public RefMul(params string[] others) : base(others)
    {
    }

    public override string Kind => "Mul";
}

/// <summary>Channel concatenation: the input's channels, then each named layer's, in order (equal widths and heights).</summary>
public sealed record RefConcat : RefMerge
{
    public RefConcat(params string[] others) : base(others)
    {
    }

    public override string Kind => "Concat";
}

/// <summary>A width × height × depth volume (C,H,W order).</summary>
public readonly record struct RefShape(int Width, int Height, int Depth)
{
    public int Length => Width * Height * Depth;

    public override string ToString() => $"{Width}x{Height}x{Depth}";
}
