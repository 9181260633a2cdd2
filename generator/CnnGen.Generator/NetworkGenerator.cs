using System;
using System.Collections.Immutable;
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

        IncrementalValuesProvider<ImmutableArray<Diagnostic>> diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);

        context.RegisterSourceOutput(plans, static (context, plan) => EmitSafely(context, plan));
        context.RegisterSourceOutput(diagnostics, static (context, list) =>
        {
            foreach (Diagnostic diagnostic in list)
            {
                context.ReportDiagnostic(diagnostic);
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
            return new NetworkResult(null, ImmutableArray.Create(
                Diagnostic.Create(DiagnosticDescriptors.InternalError, location, context.TargetSymbol.Name, e.GetType().Name + ": " + e.Message)));
        }
    }

    private static void EmitSafely(SourceProductionContext context, NetworkPlan plan)
    {
        string source;
        try
        {
            source = NetworkEmitter.Emit(plan);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, plan.Type.Name, e.GetType().Name + ": " + e.Message));
            return;
        }
        context.AddSource(NetworkEmitter.HintName(plan), source);
    }
}
