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
internal sealed class NetworkResult(NetworkPlan? plan, ImmutableArray<Diagnostic> diagnostics) : IEquatable<NetworkResult>
{
    public static NetworkResult Empty { get; } = new(null, ImmutableArray<Diagnostic>.Empty);

    /// <summary>The plan to emit, or <see langword="null"/> when nothing may be generated (class not partial).</summary>
    public NetworkPlan? Plan { get; } = plan;

    public ImmutableArray<Diagnostic> Diagnostics { get; } = diagnostics;

    public bool Equals(NetworkResult? other) =>
        other is not null && Equals(Plan, other.Plan) && Diagnostics.SequenceEqual(other.Diagnostics);

    public override bool Equals(object? obj) => Equals(obj as NetworkResult);

    public override int GetHashCode() => Plan?.GetHashCode() ?? 0;
}
