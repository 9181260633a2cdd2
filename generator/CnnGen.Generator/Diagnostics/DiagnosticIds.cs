// Linked into CnnGen.CodeFixes: the code fixes name these constants, never a copy of the ids.
namespace CnnGen.Generator.Diagnostics;

/// <summary>The id of every CnnGen diagnostic (see <c>DiagnosticDescriptors</c> for the messages).</summary>
internal static class DiagnosticIds
{
    /// <summary>See <c>DiagnosticDescriptors.ClassNotPartial</c>.</summary>
    public const string ClassNotPartial = "CNN0001";

    /// <summary>See <c>DiagnosticDescriptors.AttributesOnSeveralDeclarations</c>.</summary>
    public const string AttributesOnSeveralDeclarations = "CNN0002";

    /// <summary>See <c>DiagnosticDescriptors.MissingInput</c>.</summary>
    public const string MissingInput = "CNN0003";

    /// <summary>See <c>DiagnosticDescriptors.RepeatedInput</c>.</summary>
    public const string RepeatedInput = "CNN0004";

    /// <summary>See <c>DiagnosticDescriptors.InputNotFirst</c>.</summary>
    public const string InputNotFirst = "CNN0005";

    /// <summary>See <c>DiagnosticDescriptors.NoLayers</c>.</summary>
    public const string NoLayers = "CNN0006";

    /// <summary>See <c>DiagnosticDescriptors.NotPositive</c>.</summary>
    public const string NotPositive = "CNN0007";

    /// <summary>See <c>DiagnosticDescriptors.NegativePadding</c>.</summary>
    public const string NegativePadding = "CNN0008";

    /// <summary>See <c>DiagnosticDescriptors.DepthMismatch</c>.</summary>
    public const string DepthMismatch = "CNN0009";

    /// <summary>See <c>DiagnosticDescriptors.InputsMismatch</c>.</summary>
    public const string InputsMismatch = "CNN0010";

    /// <summary>See <c>DiagnosticDescriptors.WindowTooLarge</c>.</summary>
    public const string WindowTooLarge = "CNN0011";

    /// <summary>See <c>DiagnosticDescriptors.InexactDivision</c>.</summary>
    public const string InexactDivision = "CNN0012";

    /// <summary>See <c>DiagnosticDescriptors.LayerAfterSoftmax</c>.</summary>
    public const string LayerAfterSoftmax = "CNN0013";

    /// <summary>See <c>DiagnosticDescriptors.SpatialAfterFullyConnected</c>.</summary>
    public const string SpatialAfterFullyConnected = "CNN0014";

    /// <summary>See <c>DiagnosticDescriptors.TooLarge</c>.</summary>
    public const string TooLarge = "CNN0015";

    /// <summary>See <c>DiagnosticDescriptors.PoolPaddingTooLarge</c>.</summary>
    public const string PoolPaddingTooLarge = "CNN0016";

    /// <summary>See <c>DiagnosticDescriptors.ContainingTypeNotPartial</c>.</summary>
    public const string ContainingTypeNotPartial = "CNN0017";

    /// <summary>See <c>DiagnosticDescriptors.WeightsFileMissing</c>.</summary>
    public const string WeightsFileMissing = "CNN0018";

    /// <summary>See <c>DiagnosticDescriptors.WeightsSizeMismatch</c>.</summary>
    public const string WeightsSizeMismatch = "CNN0019";

    /// <summary>See <c>DiagnosticDescriptors.WeightsNotMeasured</c>.</summary>
    public const string WeightsNotMeasured = "CNN0020";

    /// <summary>See <c>DiagnosticDescriptors.ClassNotInstantiable</c>.</summary>
    public const string ClassNotInstantiable = "CNN0021";

    /// <summary>See <c>DiagnosticDescriptors.InvalidName</c>.</summary>
    public const string InvalidName = "CNN0022";

    /// <summary>See <c>DiagnosticDescriptors.DuplicateName</c>.</summary>
    public const string DuplicateName = "CNN0023";

    /// <summary>See <c>DiagnosticDescriptors.UnknownName</c>.</summary>
    public const string UnknownName = "CNN0024";

    /// <summary>See <c>DiagnosticDescriptors.LaterReference</c>.</summary>
    public const string LaterReference = "CNN0025";

    /// <summary>See <c>DiagnosticDescriptors.NoOperands</c>.</summary>
    public const string NoOperands = "CNN0026";

    /// <summary>See <c>DiagnosticDescriptors.OperandShapeMismatch</c>.</summary>
    public const string OperandShapeMismatch = "CNN0027";

    /// <summary>See <c>DiagnosticDescriptors.ConcatShapeMismatch</c>.</summary>
    public const string ConcatShapeMismatch = "CNN0028";

    /// <summary>See <c>DiagnosticDescriptors.DeadLayer</c>.</summary>
    public const string DeadLayer = "CNN0029";

    /// <summary>See <c>DiagnosticDescriptors.SliceOutOfRange</c>.</summary>
    public const string SliceOutOfRange = "CNN0042";

    /// <summary>See <c>DiagnosticDescriptors.ShuffleGroupsMismatch</c>.</summary>
    public const string ShuffleGroupsMismatch = "CNN0043";

    /// <summary>See <c>DiagnosticDescriptors.UnknownUpsampleMode</c>.</summary>
    public const string UnknownUpsampleMode = "CNN0044";

    /// <summary>See <c>DiagnosticDescriptors.AlignCornersNeedsBilinear</c>.</summary>
    public const string AlignCornersNeedsBilinear = "CNN0045";

    /// <summary>See <c>DiagnosticDescriptors.PadAddsNothing</c>.</summary>
    public const string PadAddsNothing = "CNN0046";
    /// <summary>See <c>DiagnosticDescriptors.ClipBoundsReversed</c>.</summary>
    public const string ClipBoundsReversed = "CNN0030";

    /// <summary>See <c>DiagnosticDescriptors.NotFiniteArgument</c>.</summary>
    public const string NotFiniteArgument = "CNN0031";

    /// <summary>See <c>DiagnosticDescriptors.LayerAfterLogSoftmax</c>.</summary>
    public const string LayerAfterLogSoftmax = "CNN0032";

    /// <summary>See <c>DiagnosticDescriptors.UnknownGeluApproximation</c>.</summary>
    public const string UnknownGeluApproximation = "CNN0033";

    /// <summary>See <c>DiagnosticDescriptors.DropoutProbability</c>.</summary>
    public const string DropoutProbability = "CNN0034";
    /// <summary>See <c>DiagnosticDescriptors.GroupsDoNotDivide</c>.</summary>
    public const string GroupsDoNotDivide = "CNN0035";

    /// <summary>See <c>DiagnosticDescriptors.NormalizeLength</c>.</summary>
    public const string NormalizeLength = "CNN0036";

    /// <summary>See <c>DiagnosticDescriptors.NormalizeStdNotPositive</c>.</summary>
    public const string NormalizeStdNotPositive = "CNN0037";

    /// <summary>See <c>DiagnosticDescriptors.OutputPaddingTooLarge</c>.</summary>
    public const string OutputPaddingTooLarge = "CNN0038";

    /// <summary>See <c>DiagnosticDescriptors.TransposeOutputEmpty</c>.</summary>
    public const string TransposeOutputEmpty = "CNN0039";

    /// <summary>See <c>DiagnosticDescriptors.TransposePaddingUnread</c>.</summary>
    public const string TransposePaddingUnread = "CNN0040";

    /// <summary>See <c>DiagnosticDescriptors.InvalidEpsilon</c>.</summary>
    public const string InvalidEpsilon = "CNN0041";

    /// <summary>See <c>DiagnosticDescriptors.InternalError</c>.</summary>
    public const string InternalError = "CNN0099";

    /// <summary>See <c>DiagnosticDescriptors.WeightsFileNotFound</c>.</summary>
    public const string WeightsFileNotFound = "CNN0049";
}
