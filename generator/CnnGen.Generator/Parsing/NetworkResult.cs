using CnnGen.Generator.Diagnostics;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;

namespace CnnGen.Generator.Parsing;

/// <summary>
/// What the parse step yields for one class, as plain equatable data: the plan to emit, the
/// diagnostics to report, and the weights file the class asks for.
/// </summary>
/// <param name="Plan">The plan to emit, or <see langword="null"/> when nothing may be generated (e.g. the class is not partial).</param>
/// <param name="Diagnostics">Problems found in the attributes.</param>
/// <param name="Weights">The weights file named by <c>[Network(Weights = "…")]</c>, checked against the project's additional files.</param>
internal sealed record NetworkResult(NetworkPlan? Plan, EquatableArray<DiagnosticInfo> Diagnostics, WeightsRequest? Weights = null)
{
    public static NetworkResult Empty { get; } = new(null, EquatableArray<DiagnosticInfo>.Empty);
}

/// <summary><c>[Network(Weights = "…")]</c> as written, and where, so a missing or wrong-sized file is reported there.</summary>
internal sealed record WeightsRequest(string Path, LocationInfo? Location);
