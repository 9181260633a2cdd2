using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CnnGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Generator.Diagnostics;

/// <summary>Where a diagnostic points, as plain data: the file, the span and its lines.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location) =>
        location is { SourceTree: not null }
            ? new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span)
            : null;

    /// <summary>
    /// The location in <paramref name="compilation"/>'s own syntax tree when the file is still there,
    /// so that <c>#pragma warning disable</c> and <c>[SuppressMessage]</c> apply; a plain file location otherwise.
    /// </summary>
    public Location ToLocation(IReadOnlyDictionary<string, SyntaxTree> trees) =>
        trees.TryGetValue(FilePath, out SyntaxTree? tree) && Span.End <= tree.Length
            ? Location.Create(tree, Span)
            : Location.Create(FilePath, Span, LineSpan);
}

/// <summary>
/// A diagnostic as equatable data, so the pipeline step that carries it caches and holds no
/// syntax tree or compilation (see STYLE.md). It becomes a <see cref="Diagnostic"/> only when reported.
/// </summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Args, EquatableArray<string> Properties)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params object?[] args) =>
        Create(descriptor, location, null, args);

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, ImmutableDictionary<string, string?>? properties, params object?[] args) =>
        new(descriptor.Id,
            LocationInfo.From(location),
            args.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToEquatableArray(),
            (properties ?? ImmutableDictionary<string, string?>.Empty)
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .SelectMany(p => new[] { p.Key, p.Value ?? "" })
                .ToEquatableArray());

    public Diagnostic ToDiagnostic(IReadOnlyDictionary<string, SyntaxTree> trees)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        for (int i = 0; i + 1 < Properties.Count; i += 2)
        {
            properties[Properties[i]] = Properties[i + 1];
        }
        return Diagnostic.Create(
            DiagnosticDescriptors.ById[Id],
            Location?.ToLocation(trees) ?? Microsoft.CodeAnalysis.Location.None,
            properties.ToImmutable(),
            Args.Cast<object>().ToArray());
    }
}
