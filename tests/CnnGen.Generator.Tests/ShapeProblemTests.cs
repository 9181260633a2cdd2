using System;
using CnnGen.Generator.Model;
using CnnGen.Generator.Parsing;
using CnnGen.Generator.Shapes;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>The shape stage and the diagnostics agree on which problems are warnings (the network is still generated).</summary>
public sealed class ShapeProblemTests
{
    [Fact]
    public void IsWarning_MatchesTheDescriptorSeverity_ForEveryKind()
    {
        foreach (ProblemKind kind in Enum.GetValues<ProblemKind>())
        {
            bool warning = NetworkParser.Descriptor(kind).DefaultSeverity == DiagnosticSeverity.Warning;
            Assert.True(warning == new ShapeProblem(kind, 0, null, EquatableArray<string>.Empty).IsWarning, $"{kind}: the descriptor and IsWarning disagree");
        }
    }
}
