using System;
using System.Linq;
using CnnGen.Generator.Model;

namespace CnnGen.Generator.Shapes;

/// <summary>Which diagnostic a shape problem becomes (see <c>DiagnosticDescriptors</c>).</summary>
internal enum ProblemKind
{
    MissingInput,
    RepeatedInput,
    InputNotFirst,
    NoLayers,
    NotPositive,
    NegativePadding,
    DepthMismatch,
    InputsMismatch,
    WindowTooLarge,
    InexactDivision,
    LayerAfterSoftmax,
    SpatialAfterFullyConnected,
    TooLarge,
    PoolPaddingTooLarge,
    InvalidName,
    DuplicateName,
    UnknownName,
    LaterReference,
    NoOperands,
    OperandShapeMismatch,
    ConcatShapeMismatch,
    DeadLayer,
    SliceOutOfRange,
    ShuffleGroupsMismatch,
    UnknownUpsampleMode,
    AlignCornersNeedsBilinear,
    PadAddsNothing,
    ClipBoundsReversed,
    NotFiniteArgument,
    LayerAfterLogSoftmax,
    UnknownGeluApproximation,
    DropoutProbability,
    GroupsDoNotDivide,
    NormalizeLength,
    NormalizeStdNotPositive,
    OutputPaddingTooLarge,
    TransposeOutputEmpty,
    TransposePaddingUnread,
    InvalidEpsilon,
}

/// <summary>
/// A problem found by shape inference, with the attribute it belongs to (index into the
/// spec's layers, or -1 for the class) and the argument at fault when there is one
/// (the constructor parameter or named property as written in the attribute).
/// </summary>
internal sealed record ShapeProblem(ProblemKind Kind, int AttributeIndex, string? Argument, EquatableArray<string> Args)
{
    /// <summary>A named argument that fixes the problem when set to <see cref="FixValue"/> (offered as a code fix).</summary>
    public string? FixArgument { get; init; }

    /// <summary>The value for <see cref="FixArgument"/>.</summary>
    public string? FixValue { get; init; }

    /// <summary>
    /// A warning: the network is still generated. The one list of warning kinds; their descriptors are warnings
    /// too (<c>ShapeProblemTests</c> checks that the two agree).
    /// </summary>
    public bool IsWarning => Kind is ProblemKind.InexactDivision or ProblemKind.DeadLayer or ProblemKind.PadAddsNothing
        or ProblemKind.DropoutProbability or ProblemKind.TransposePaddingUnread;

    public static ShapeProblem Create(ProblemKind kind, int attributeIndex, string? argument, params object[] args) =>
        new(kind, attributeIndex, argument, args.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToEquatableArray());

    public override string ToString() => $"{Kind} at #{AttributeIndex} {Argument}: {string.Join(" | ", Args)}";
}
