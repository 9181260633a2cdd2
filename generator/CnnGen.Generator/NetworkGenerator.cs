using System;
using System.Collections.Immutable;
using System.Linq;
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

        IncrementalValuesProvider<ImmutableArray<Diagnostic>> diagnostics = results
            .Combine(weightsFiles)
            .Select(static (pair, _) => pair.Left.Weights is null ? pair.Left.Diagnostics : pair.Left.Diagnostics.AddRange(CheckWeights(pair.Left, pair.Right)))
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

    /// <summary>The file named by <c>[Network(Weights = "…")]</c> must be an additional file of exactly ParameterCount floats.</summary>
    private static ImmutableArray<Diagnostic> CheckWeights(NetworkResult result, ImmutableArray<WeightsFile> files)
    {
        WeightsRequest request = result.Weights!;
        WeightsFile? file = files.FirstOrDefault(f => f.Matches(request.Path));
        if (file is null)
        {
            string known = files.IsEmpty ? "it has none ending in .weights" : "it has " + string.Join(", ", files.Select(f => System.IO.Path.GetFileName(f.Path)));
            return ImmutableArray.Create(Diagnostic.Create(DiagnosticDescriptors.WeightsFileMissing, request.Location, request.Path, known));
        }
        if (file.ByteLength is not long byteLength)
        {
            return ImmutableArray.Create(Diagnostic.Create(DiagnosticDescriptors.WeightsNotMeasured, request.Location, request.Path));
        }
        if (byteLength < 0)
        {
            return ImmutableArray.Create(Diagnostic.Create(DiagnosticDescriptors.WeightsFileMissing, request.Location, request.Path, "it lists " + file.Path + ", which does not exist"));
        }
        NetworkPlan? plan = result.Plan;
        if (plan is null || !plan.IsValid || byteLength == (long)plan.ParameterCount * sizeof(float))
        {
            return ImmutableArray<Diagnostic>.Empty;
        }
        return ImmutableArray.Create(Diagnostic.Create(DiagnosticDescriptors.WeightsSizeMismatch, request.Location,
            request.Path, byteLength.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture), plan.Type.Name,
            plan.ParameterCount.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture),
            ((long)plan.ParameterCount * sizeof(float)).ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)));
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
