using System;
using System.Collections.Immutable;
using System.Linq;
using CnnGen.Generator.Shapes;
using Microsoft.CodeAnalysis;

namespace CnnGen.Generator.Parsing;

/// <summary>
/// What the parse step yields for one class: the plan to emit (equatable, no Roslyn types) and
/// the diagnostics with their real source locations, which are kept out of the cached source
/// pipeline but let <c>#pragma warning disable</c> work.
/// </summary>
internal sealed class NetworkResult(NetworkPlan? plan, ImmutableArray<Diagnostic> diagnostics, WeightsRequest? weights = null) : IEquatable<NetworkResult>
{
    public static NetworkResult Empty { get; } = new(null, ImmutableArray<Diagnostic>.Empty);

    /// <summary>The plan to emit, or <see langword="null"/> when nothing may be generated (class not partial).</summary>
    public NetworkPlan? Plan { get; } = plan;

    public ImmutableArray<Diagnostic> Diagnostics { get; } = diagnostics;

    /// <summary>The weights file the class asks to embed, checked against the project's additional files.</summary>
    public WeightsRequest? Weights { get; } = weights;

    public bool Equals(NetworkResult? other) =>
        other is not null && Equals(Plan, other.Plan) && Diagnostics.SequenceEqual(other.Diagnostics) && Equals(Weights, other.Weights);

    public override bool Equals(object? obj) => Equals(obj as NetworkResult);

    public override int GetHashCode() => Plan?.GetHashCode() ?? 0;
}

/// <summary><c>[Network(Weights = "…")]</c> as written, and where, so a missing or wrong-sized file is reported there.</summary>
internal sealed record WeightsRequest(string Path, Location Location);
