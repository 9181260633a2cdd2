using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CnnGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic CnnGen reports. Ids are stable (<c>CNN0001…</c>); each message names the
/// numbers involved and says how to fix the problem. New ids go to AnalyzerReleases.Unshipped.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "CnnGen";

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    /// <summary>{0} = class name.</summary>
    public static readonly DiagnosticDescriptor ClassNotPartial = Error(DiagnosticIds.ClassNotPartial,
        "Network class must be partial",
        "Class '{0}' is marked [Network] but is not partial: add the 'partial' modifier so CnnGen can add the generated forward pass to it");

    /// <summary>{0} = class name.</summary>
    public static readonly DiagnosticDescriptor AttributesOnSeveralDeclarations = Error(DiagnosticIds.AttributesOnSeveralDeclarations,
        "Network attributes are spread over several partial declarations",
        "Network '{0}' has layer attributes on more than one partial declaration, so their order is undefined: move all of [Network], [Input] and the layers onto one declaration");

    /// <summary>{0} = class name.</summary>
    public static readonly DiagnosticDescriptor MissingInput = Error(DiagnosticIds.MissingInput,
        "Network has no [Input]",
        "Network '{0}' has no [Input(width, height, depth)]: add one before the first layer to say what the network reads");

    public static readonly DiagnosticDescriptor RepeatedInput = Error(DiagnosticIds.RepeatedInput,
        "[Input] is repeated",
        "A network has exactly one [Input]: remove this one, or turn it into the layer you meant");

    /// <summary>{0} = the attribute that comes before it.</summary>
    public static readonly DiagnosticDescriptor InputNotFirst = Error(DiagnosticIds.InputNotFirst,
        "[Input] must come first",
        "[Input] must be the first layer attribute but comes after [{0}]: move it above the layers");

    /// <summary>{0} = class name.</summary>
    public static readonly DiagnosticDescriptor NoLayers = Error(DiagnosticIds.NoLayers,
        "Network has no layers",
        "Network '{0}' has an [Input] but no layers: add at least one, e.g. [Conv(3, 3, 8)] or [FullyConnected(10)]");

    /// <summary>{0} = layer, {1} = argument, {2} = value, {3} = what it is.</summary>
    public static readonly DiagnosticDescriptor NotPositive = Error(DiagnosticIds.NotPositive,
        "Size, count or step must be positive",
        "{0}: {1} is {2} but {3} must be at least 1");

    /// <summary>{0} = layer, {1} = argument, {2} = value.</summary>
    public static readonly DiagnosticDescriptor NegativePadding = Error(DiagnosticIds.NegativePadding,
        "Padding must not be negative",
        "{0}: {1} is {2} but padding must be 0 or more");

    /// <summary>{0} = layer, {1} = stated depth, {2} = input shape, {3} = input depth.</summary>
    public static readonly DiagnosticDescriptor DepthMismatch = Error(DiagnosticIds.DepthMismatch,
        "Filter depth does not match the input depth",
        "{0} expects filters of depth {1} but its input {2} has depth {3}: set Depth = {3}, or remove Depth to follow the input");

    /// <summary>{0} = layer, {1} = stated inputs, {2} = input shape, {3} = real count.</summary>
    public static readonly DiagnosticDescriptor InputsMismatch = Error(DiagnosticIds.InputsMismatch,
        "Fully connected input count does not match",
        "{0} expects {1} inputs but its input {2} flattens to {3}: set Inputs = {3}, or remove Inputs to follow the input");

    /// <summary>{0} = layer, {1} = axis, {2} = window, {3} = padded input, {4} = formula.</summary>
    public static readonly DiagnosticDescriptor WindowTooLarge = Error(DiagnosticIds.WindowTooLarge,
        "Window is larger than its input",
        "{0}: the {1} window of {2} does not fit the padded input of {3} ({4}): use a smaller window, more padding, or remove an earlier layer that shrinks the input");

    /// <summary>{0} = layer, {1} = formula, {2} = axis, {3} = dropped count, {4} = rows/columns, {5} = suggestion.</summary>
    public static readonly DiagnosticDescriptor InexactDivision = Warning(DiagnosticIds.InexactDivision,
        "Stride does not tile the input",
        "{0}: {1} along the {2} is not a whole number, so the input's last {3} {4} never read (rounded down, as PyTorch and ONNX do); {5}");

    /// <summary>{0} = the attribute after Softmax.</summary>
    public static readonly DiagnosticDescriptor LayerAfterSoftmax = Error(DiagnosticIds.LayerAfterSoftmax,
        "Nothing may follow [Softmax]",
        "[{0}] comes after [Softmax], which must be the last layer: move [Softmax] to the end or remove this layer");

    /// <summary>{0} = the attribute, {1} = the FC layer name.</summary>
    public static readonly DiagnosticDescriptor SpatialAfterFullyConnected = Error(DiagnosticIds.SpatialAfterFullyConnected,
        "Convolution or pooling after a fully connected layer",
        "[{0}] needs a width × height map but follows {1}, which outputs a flat vector: move it before the first [FullyConnected]");

    /// <summary>{0} = layer, {1} = what overflowed, {2} = value.</summary>
    public static readonly DiagnosticDescriptor TooLarge = Error(DiagnosticIds.TooLarge,
        "Network is too large",
        "{0}: {1} would be {2}, more than the 2,147,483,647 a .NET array or span can hold: use smaller layers");

    /// <summary>{0} = layer, {1} = axis, {2} = padding, {3} = window.</summary>
    public static readonly DiagnosticDescriptor PoolPaddingTooLarge = Error(DiagnosticIds.PoolPaddingTooLarge,
        "Pool padding must be smaller than the window",
        "{0}: {1} padding of {2} is not smaller than the window of {3}, so some windows would see only padding: use a padding below {3}");

    /// <summary>{0} = class name, {1} = the containing type.</summary>
    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(DiagnosticIds.ContainingTypeNotPartial,
        "Containing type must be partial",
        "Network '{0}' is nested in '{1}', which is not partial: add the 'partial' modifier to '{1}'");

    /// <summary>{0} = the file as written, {1} = the weights files the project has.</summary>
    public static readonly DiagnosticDescriptor WeightsFileMissing = Error(DiagnosticIds.WeightsFileMissing,
        "Weights file is not in the project",
        "Weights file '{0}' is not among the project's additional files ({1}): add <AdditionalFiles Include=\"{0}\" /> to the project file; CnnGen embeds files ending in .weights");

    /// <summary>{0} = file, {1} = its bytes, {2} = class, {3} = needed floats, {4} = needed bytes.</summary>
    public static readonly DiagnosticDescriptor WeightsSizeMismatch = Error(DiagnosticIds.WeightsSizeMismatch,
        "Weights file does not fit the network",
        "Weights file '{0}' holds {1} bytes but {2} needs ParameterCount = {3} floats ({4} bytes): export the weights again for exactly these layers (cnngen import writes a matching pair)");

    /// <summary>{0} = the file as written.</summary>
    public static readonly DiagnosticDescriptor WeightsFileNotFound = Error(DiagnosticIds.WeightsFileNotFound,
        "Weights file does not exist",
        "Weights file '{0}' is one of the project's additional files, but '{1}' does not exist: write it there (cnngen import writes the weights next to the class), or correct the path in the project file");

    public static readonly DiagnosticDescriptor WeightsNotMeasured = Warning(DiagnosticIds.WeightsNotMeasured,
        "CnnGen's build targets did not run",
        "Weights file '{0}' was neither measured nor embedded because CnnGen's build targets are not imported: reference the CnnGen package, or with a project reference add <Import Project=\"…/src/CnnGen/build/CnnGen.targets\" />");

    /// <summary>{0} = class name, {1} = <c>static</c> or <c>abstract</c>.</summary>
    public static readonly DiagnosticDescriptor ClassNotInstantiable = Error(DiagnosticIds.ClassNotInstantiable,
        "Network class must be instantiable",
        "Class '{0}' is marked [Network] but is {1}: a network is an object created from its parameters, so remove the '{1}' modifier");

    /// <summary>{0} = the name as written, {1} = the default name.</summary>
    public static readonly DiagnosticDescriptor InvalidName = Error(DiagnosticIds.InvalidName,
        "Layer name is not an identifier",
        "'{0}' is not a valid layer name: names become part of generated member names, so use letters, digits and underscores, starting with a letter (or leave Name out to keep '{1}')");

    /// <summary>{0} = the name, {1} = who has it already.</summary>
    public static readonly DiagnosticDescriptor DuplicateName = Error(DiagnosticIds.DuplicateName,
        "Layer name is already taken",
        "The layer name '{0}' is already taken by {1}: choose another name, since names must be unique within a network");

    /// <summary>{0} = layer, {1} = the name it reads, {2} = the closest name or the list of names.</summary>
    public static readonly DiagnosticDescriptor UnknownName = Error(DiagnosticIds.UnknownName,
        "No layer has this name",
        "{0} reads '{1}', but no layer before it has that name: {2}");

    /// <summary>{0} = layer, {1} = the name it reads, {2} = itself or a later layer.</summary>
    public static readonly DiagnosticDescriptor LaterReference = Error(DiagnosticIds.LaterReference,
        "A layer reads itself or a later layer",
        "{0} reads '{1}', which is {2}: a layer reads only the input and the layers above it, so move this layer below '{1}' or read an earlier layer");

    /// <summary>{0} = layer, {1} = attribute, {2} = an example operand.</summary>
    public static readonly DiagnosticDescriptor NoOperands = Error(DiagnosticIds.NoOperands,
        "Merge names no other layer",
        "{0}: [{1}] combines its input with other layers' outputs but names none: list them, e.g. [{1}(\"{2}\")]");

    /// <summary>{0} = layer, {1} = add/multiply, {2}/{3} = one operand and its shape, {4}/{5} = the other, {6} = what is allowed.</summary>
    public static readonly DiagnosticDescriptor OperandShapeMismatch = Error(DiagnosticIds.OperandShapeMismatch,
        "Element-wise operands have different shapes",
        "{0} cannot {1} {2} ({3}) and {4} ({5}): element-wise operands need {6}; change a branch's stride, padding or filters so they match");

    /// <summary>{0} = layer, {1}/{2} = its input and shape, {3}/{4} = the operand that differs.</summary>
    public static readonly DiagnosticDescriptor ConcatShapeMismatch = Error(DiagnosticIds.ConcatShapeMismatch,
        "Concatenated maps differ in width or height",
        "{0} cannot concatenate {1} ({2}) and {3} ({4}): channels stack only on maps of equal width and height; make the branches' strides and padding agree");

    /// <summary>{0} = layer, {1} = the network's output layer.</summary>
    public static readonly DiagnosticDescriptor DeadLayer = Warning(DiagnosticIds.DeadLayer,
        "Layer output is never used",
        "{0}'s output is never read and it is not the last layer ({1} is the network's output), so it is not computed: read it with From = \"{0}\" or in an [Add], [Mul] or [Concat], or remove it");

    /// <summary>{0} = layer, {1} = what is wrong, {2} = input shape, {3} = input depth, {4} = the way out.</summary>
    public static readonly DiagnosticDescriptor SliceOutOfRange = Error(DiagnosticIds.SliceOutOfRange,
        "Slice takes channels the input does not have",
        "{0}: {1}, but its input {2} has channels 0 to {3}: {4}");

    /// <summary>{0} = layer, {1} = groups, {2} = input shape, {3} = input depth, {4} = the divisors of the depth.</summary>
    public static readonly DiagnosticDescriptor ShuffleGroupsMismatch = Error(DiagnosticIds.ShuffleGroupsMismatch,
        "Channel shuffle groups do not divide the depth",
        "{0}: {1} groups do not divide the {3} channels of its input {2}, so the groups would differ in size: use a number of groups that divides {3} ({4})");

    /// <summary>{0} = layer, {1} = the value.</summary>
    public static readonly DiagnosticDescriptor UnknownUpsampleMode = Error(DiagnosticIds.UnknownUpsampleMode,
        "Unknown upsampling mode",
        "{0}: Mode is {1}, which is not an UpsampleMode: use UpsampleMode.Nearest or UpsampleMode.Bilinear");

    /// <summary>{0} = layer.</summary>
    public static readonly DiagnosticDescriptor AlignCornersNeedsBilinear = Error(DiagnosticIds.AlignCornersNeedsBilinear,
        "AlignCorners needs bilinear upsampling",
        "{0}: AlignCorners applies to bilinear interpolation only (PyTorch rejects it with mode='nearest'): set Mode = UpsampleMode.Bilinear, or remove AlignCorners");

    /// <summary>{0} = layer.</summary>
    public static readonly DiagnosticDescriptor PadAddsNothing = Warning(DiagnosticIds.PadAddsNothing,
        "Pad adds no padding",
        "{0} pads every side with 0, so it changes nothing: remove it, or give the sides their padding");
    /// <summary>{0} = layer, {1} = min, {2} = max.</summary>
    public static readonly DiagnosticDescriptor ClipBoundsReversed = Error(DiagnosticIds.ClipBoundsReversed,
        "Clip bounds are reversed",
        "{0}: min {1} is greater than max {2}, so every value would clip to {2}: swap them, [Clip({2}, {1})]");

    /// <summary>{0} = layer, {1} = argument, {2} = value, {3} = what is allowed.</summary>
    public static readonly DiagnosticDescriptor NotFiniteArgument = Error(DiagnosticIds.NotFiniteArgument,
        "Activation argument is not a number",
        "{0}: {1} is {2}, but it must be {3}: write a number such as the PyTorch default");

    /// <summary>{0} = the attribute that follows [LogSoftmax].</summary>
    public static readonly DiagnosticDescriptor LayerAfterLogSoftmax = Error(DiagnosticIds.LayerAfterLogSoftmax,
        "Nothing may follow [LogSoftmax]",
        "[{0}] comes after [LogSoftmax], which must be the last layer: move [LogSoftmax] to the end or remove this layer");

    /// <summary>{0} = layer, {1} = the value.</summary>
    public static readonly DiagnosticDescriptor UnknownGeluApproximation = Error(DiagnosticIds.UnknownGeluApproximation,
        "Unknown GELU approximation",
        "{0}: Approximate = {1} is not a GeluApproximation: use GeluApproximation.None (the exact erf form) or GeluApproximation.Tanh");

    /// <summary>{0} = layer, {1} = the probability.</summary>
    public static readonly DiagnosticDescriptor DropoutProbability = Warning(DiagnosticIds.DropoutProbability,
        "Dropout probability is outside [0, 1)",
        "{0}: Probability = {1} is not a drop probability in [0, 1); it is ignored at inference, but check it against the PyTorch model (nn.Dropout(p))");
    /// <summary>{0} = layer, {1} = what (input depth or filters), {2} = its value, {3} = groups, {4} = depth, {5} = filters, {6} = the largest groups that divide both.</summary>
    public static readonly DiagnosticDescriptor GroupsDoNotDivide = Error(DiagnosticIds.GroupsDoNotDivide,
        "Groups must divide the input depth and the filters",
        "{0}: {1} {2} is not a multiple of Groups = {3}; every group needs the same number of input channels ({4} in all) and filters ({5} in all): use Groups = {6} or one of its divisors, or change the filters");

    /// <summary>{0} = layer, {1} = mean or std, {2} = its count, {3} = input shape, {4} = input depth.</summary>
    public static readonly DiagnosticDescriptor NormalizeLength = Error(DiagnosticIds.NormalizeLength,
        "Normalize needs one value per channel",
        "{0}: {1} has {2} values but its input {3} has {4} channels: give exactly {4} values, one per channel in order");

    /// <summary>{0} = layer, {1} = mean or std, {2} = channel, {3} = value, {4} = what it must be and the way out.</summary>
    public static readonly DiagnosticDescriptor NormalizeStdNotPositive = Error(DiagnosticIds.NormalizeStdNotPositive,
        "Normalize constants must be finite and each standard deviation positive",
        "{0}: {1}[{2}] is {3}, but {4}");

    /// <summary>{0} = layer, {1} = output padding, {2} = stride.</summary>
    public static readonly DiagnosticDescriptor OutputPaddingTooLarge = Error(DiagnosticIds.OutputPaddingTooLarge,
        "Output padding must be smaller than the stride",
        "{0}: OutputPadding = {1} is not smaller than the stride {2} (PyTorch rejects it too): it only picks between output sizes a stride can give, so use an OutputPadding from 0 to {2} − 1");

    /// <summary>{0} = layer, {1} = axis, {2} = formula with the result.</summary>
    public static readonly DiagnosticDescriptor TransposeOutputEmpty = Error(DiagnosticIds.TransposeOutputEmpty,
        "Transposed convolution output is empty",
        "{0}: the output {1} would be {2}, less than 1: the Padding crops more than the full output; use a smaller Padding or a larger kernel or stride");

    /// <summary>{0} = layer, {1} = padding, {2} = axis, {3} = window.</summary>
    public static readonly DiagnosticDescriptor TransposePaddingUnread = Warning(DiagnosticIds.TransposePaddingUnread,
        "Transposed convolution padding drops whole input rows",
        "{0}: Padding = {1} is at least the kernel {2} of {3}, so the first and last input rows or columns only reach cropped outputs and are never used: use a Padding below {3}");

    /// <summary>{0} = layer, {1} = value.</summary>
    public static readonly DiagnosticDescriptor InvalidEpsilon = Error(DiagnosticIds.InvalidEpsilon,
        "BatchNorm epsilon must be a finite number of at least 0",
        "{0}: Epsilon is {1} but it is added to the variance under a square root, so it must be finite and not negative: use PyTorch's default 1e-5 (leave Epsilon out) or your model's value");

    /// <summary>{0} = class name, {1} = the exception.</summary>
    public static readonly DiagnosticDescriptor InternalError = Error(DiagnosticIds.InternalError,
        "CnnGen failed on this network",
        "CnnGen could not generate '{0}' ({1}); this is a bug in CnnGen: please report it with the attributes of this class");

    /// <summary>Every descriptor by id, to turn a <see cref="DiagnosticInfo"/> back into a diagnostic.</summary>
    public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById = new[]
    {
        ClassNotPartial,
        AttributesOnSeveralDeclarations,
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
        ContainingTypeNotPartial,
        WeightsFileMissing,
        WeightsSizeMismatch,
        WeightsFileNotFound,
        WeightsNotMeasured,
        ClassNotInstantiable,
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
        InternalError,
    }.ToDictionary(d => d.Id);
}
