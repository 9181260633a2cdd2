using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using CnnGen.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using TrackingNames = CnnGen.Generator.NetworkGenerator.TrackingNames;

namespace CnnGen.Generator.Tests;

/// <summary>Caching: edits that do not touch a network must not re-run or re-emit it.</summary>
public sealed class IncrementalTests
{
    private const string NetworkA = """
        using CnnGen;

        namespace App;

        [Network]
        [Input(8, 8, 1)]
        [Conv(3, 3, 4)]
        [Relu]
        [FullyConnected(2)]
        public partial class NetA { }
        """;

    private const string NetworkB = """
        using CnnGen;

        namespace App;

        [Network]
        [Input(6, 6, 2)]
        [MaxPool(2, 2, Name = "pooled")]
        [Conv(1, 1, 2)]
        [Add("pooled")]
        [FullyConnected(3)]
        public partial class NetB
        {
            public int Helper() => 1;
        }
        """;

    private const string Unrelated = """
        namespace App;

        public static class Program
        {
            public static int Main() => 0;
        }
        """;

    private static readonly string[] Steps = { TrackingNames.Parse, TrackingNames.Plan, TrackingNames.Diagnostics };

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) First()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(new[] { NetworkA, NetworkB, Unrelated });
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        run.ThrowIfGeneratorFailed();
        Assert.Equal(2, run.GeneratedSources.Length);
        foreach (string step in Steps)
        {
            Assert.All(Outputs(run, step), o => Assert.Equal(IncrementalStepRunReason.New, o.Reason));
        }
        return (run.Driver, compilation);
    }

    private static GeneratorRunResult Result(GeneratorRun run) => Assert.Single(run.Result.Results);

    private static (object Value, IncrementalStepRunReason Reason)[] Outputs(GeneratorRun run, string step) =>
        Result(run).TrackedSteps.TryGetValue(step, out var steps)
            ? steps.SelectMany(s => s.Outputs).ToArray()
            : throw new InvalidOperationException($"No tracked step {step}; steps: {string.Join(", ", Result(run).TrackedSteps.Keys)}");

    /// <summary>The reasons of the steps that add sources (RegisterSourceOutput).</summary>
    private static IncrementalStepRunReason[] SourceOutputs(GeneratorRun run) =>
        Result(run).TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static CSharpCompilation Replace(CSharpCompilation compilation, int index, string text)
    {
        SyntaxTree old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, old.FilePath));
    }

    private static void AssertNothingReRan(GeneratorRun run)
    {
        foreach (string step in new[] { TrackingNames.Parse, TrackingNames.Plan })
        {
            Assert.All(Outputs(run, step), o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }
        Assert.All(SourceOutputs(run), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"source output: {r}"));
    }

    [Fact]
    public void AddingAnUnrelatedFile_ReRunsNothing()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = First();
        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other; public class Extra { }", GeneratorHarness.ParseOptions, "Extra.cs"));
        GeneratorRun run = GeneratorHarness.Run(driver, edited);
        AssertNothingReRan(run);
    }

    [Fact]
    public void EditingAnUnrelatedMethodBody_ReRunsNothing()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = First();
        GeneratorRun run = GeneratorHarness.Run(driver, Replace(compilation, 2, Unrelated.Replace("=> 0", "=> 42", StringComparison.Ordinal)));
        AssertNothingReRan(run);
    }

    [Fact]
    public void EditingAMethodOfTheNetworkClass_ReEmitsNothing()
    {
        // Same file as NetB's attributes: the parse step may re-run for NetB, but its plan is equal, so nothing is emitted again.
        (GeneratorDriver driver, CSharpCompilation compilation) = First();
        GeneratorRun run = GeneratorHarness.Run(driver, Replace(compilation, 1, NetworkB.Replace("=> 1", "=> 2", StringComparison.Ordinal)));
        AssertNothingReRan(run);
    }

    [Fact]
    public void EditingOneNetwork_ReRunsOnlyThatNetwork()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = First();
        GeneratorRun run = GeneratorHarness.Run(driver, Replace(compilation, 0, NetworkA.Replace("[Conv(3, 3, 4)]", "[Conv(3, 3, 5)]", StringComparison.Ordinal)));
        run.ThrowIfGeneratorFailed();

        var parse = Outputs(run, TrackingNames.Parse);
        Assert.Equal(1, parse.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Equal(1, parse.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

        var plans = Outputs(run, TrackingNames.Plan);
        Assert.Equal(1, plans.Count(o => o.Reason == IncrementalStepRunReason.Modified));
        Assert.Equal(1, plans.Count(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));

        IncrementalStepRunReason[] sources = SourceOutputs(run);
        Assert.Equal(1, sources.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Contains("Conv1OutputDepth = 5", run.Source("NetA"), StringComparison.Ordinal);
    }

    [Fact]
    public void RemovingANetwork_RemovesItsSourceOnly()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = First();
        CSharpCompilation edited = compilation.RemoveSyntaxTrees(compilation.SyntaxTrees.ElementAt(0));
        GeneratorRun run = GeneratorHarness.Run(driver, edited);
        Assert.Equal("App.NetB.g.cs", Assert.Single(run.GeneratedSources).HintName);
    }

    [Fact]
    public void PlanStep_HoldsNoRoslynObjects()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = First();
        GeneratorRun run = GeneratorHarness.Run(driver, compilation);
        AssertNoRoslynObjects(run, TrackingNames.Plan);
    }

    /// <summary>
    /// Every named step should hold plain data: a Location (e.g. inside a Diagnostic) keeps its whole SyntaxTree alive
    /// and makes the step compare unequal after any edit of that file (STYLE.md: "never keep ISymbol, SyntaxNode,
    /// Location, Compilation … in the pipeline"; carry an equatable diagnostic description instead).
    /// </summary>
    [Theory]
    [InlineData(TrackingNames.Parse)]
    [InlineData(TrackingNames.Diagnostics)]
    public void OtherTrackedSteps_HoldNoRoslynObjects(string step)
    {
        // An invalid network so that the steps carry diagnostics too.
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(new[]
        {
            NetworkA, "using CnnGen; [Network, Input(4, 4, 1), Conv(5, 5, 1)] public partial class Bad { }",
        });
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        AssertNoRoslynObjects(run, step);
    }

    private static void AssertNoRoslynObjects(GeneratorRun run, string step)
    {
        var forbidden = new[] { typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(SemanticModel) };
        foreach ((object value, _) in Outputs(run, step))
        {
            string? found = Find(value, forbidden, new HashSet<object>(ReferenceEqualityComparer.Instance), step, 0);
            Assert.True(found is null, $"step {step} holds {found}");
        }
    }

    /// <summary>Depth-first walk over fields; returns the path to the first forbidden object.</summary>
    private static string? Find(object? value, Type[] forbidden, HashSet<object> seen, string path, int depth)
    {
        if (value is null || depth > 40)
        {
            return null;
        }
        Type type = value.GetType();
        if (forbidden.Any(f => f.IsAssignableFrom(type)))
        {
            return $"{type.FullName} at {path}";
        }
        if (type.IsPrimitive || type.IsEnum || value is string || value is decimal || value is Type || value is Delegate || value is Pointer)
        {
            return null;
        }
        if (!type.IsValueType && !seen.Add(value))
        {
            return null;
        }
        if (value is Array array)
        {
            int i = 0;
            foreach (object? item in array)
            {
                string? found = Find(item, forbidden, seen, $"{path}[{i++}]", depth + 1);
                if (found is not null)
                {
                    return found;
                }
            }
            return null;
        }
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRef)
                {
                    continue;
                }
                string? found = Find(field.GetValue(value), forbidden, seen, $"{path}.{field.Name}", depth + 1);
                if (found is not null)
                {
                    return found;
                }
            }
        }
        return null;
    }
}
