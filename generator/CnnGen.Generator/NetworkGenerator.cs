using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using CnnGen.Generator.Model;
using CnnGen.Generator.Diagnostics;
using CnnGen.Generator.Emit;
using CnnGen.Generator.Parsing;
using CnnGen.Generator.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.Generator;

/// <summary>
/// The CnnGen incremental generator: for every class marked <c>[CnnGen.Network]</c>,
/// parse its attributes → infer shapes → emit the forward pass. Diagnostics travel in a
/// pipeline of their own so that the source pipeline caches on plain, equatable data.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>Names of the pipeline steps, for tests that check what was cached.</summary>
    public static class TrackingNames
    {
        /// <summary>Attributes read and shapes inferred, with diagnostics (one value per network class).</summary>
        public const string Parse = "CnnGen.Parse";

        /// <summary>The equatable plan the emitter consumes.</summary>
        public const string Plan = "CnnGen.Plan";

        /// <summary>The <c>*.weights</c> additional files with their sizes.</summary>
        public const string WeightsFiles = "CnnGen.WeightsFiles";

        /// <summary>The diagnostics to report.</summary>
        public const string Diagnostics = "CnnGen.Diagnostics";
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<NetworkResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "CnnGen.NetworkAttribute",
                static (node, _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax,
                static (context, cancellationToken) => SafeParse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<NetworkPlan> plans = results
            .Select(static (result, _) => result.Plan!)
            .Where(static plan => plan is not null)
            .WithTrackingName(TrackingNames.Plan);

        // The *.weights additional files with the sizes CnnGen's build targets measured.
        IncrementalValueProvider<ImmutableArray<WeightsFile>> weightsFiles = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(WeightsFile.Extension, StringComparison.OrdinalIgnoreCase))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, _) => WeightsFile.Describe(pair.Left, pair.Right))
            .Collect()
            .WithTrackingName(TrackingNames.WeightsFiles);

        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = results
            .Combine(weightsFiles)
            .Select(static (pair, _) => WeightsCheck.Check(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(plans, static (context, plan) => EmitSafely(context, plan));

        // Reporting needs the compilation's syntax trees to give each diagnostic a real source
        // location (only those honour #pragma warning disable); it does no work beyond that.
        context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (context, pair) =>
        {
            if (pair.Left.Count == 0)
            {
                return;
            }
            var trees = new Dictionary<string, SyntaxTree>();
            foreach (SyntaxTree tree in pair.Right.SyntaxTrees)
            {
                trees[tree.FilePath] = tree;
            }
            foreach (DiagnosticInfo diagnostic in pair.Left)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic(trees));
            }
        });
    }

    private static NetworkResult SafeParse(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
    {
        try
        {
            return NetworkParser.Parse(context, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Location location = context.TargetNode is TypeDeclarationSyntax type ? type.Identifier.GetLocation() : context.TargetNode.GetLocation();
            return new NetworkResult(null, new[]
            {
                DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, context.TargetSymbol.Name, e.GetType().Name + ": " + e.Message),
            }.ToEquatableArray());
        }
    }

    private static void EmitSafely(SourceProductionContext context, NetworkPlan plan)
    {
        try
        {
            context.AddSource(NetworkEmitter.HintName(plan), NetworkEmitter.Emit(plan));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, plan.Type.Name, e.GetType().Name + ": " + e.Message));
        }
    }
}
