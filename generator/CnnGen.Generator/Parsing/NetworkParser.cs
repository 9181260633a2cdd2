using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using CnnGen.Generator.Diagnostics;
using CnnGen.Generator.Model;
using CnnGen.Generator.Shapes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.Generator.Parsing;

/// <summary>
/// The parse stage: reads a <c>[Network]</c> class's attributes into a <see cref="NetworkSpec"/>,
/// runs shape inference on it, and turns every problem into a diagnostic on the exact attribute
/// or argument at fault. The only stage that touches Roslyn symbols and syntax.
/// </summary>
internal static class NetworkParser
{
    private const string Namespace = "CnnGen";

    /// <summary>A layer attribute together with where it was written.</summary>
    private readonly record struct Written(LayerSpec Spec, AttributeData Data, AttributeSyntax? Syntax);

    public static NetworkResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax declaration
            || declaration.Identifier.IsMissing)
        {
            return NetworkResult.Empty; // still being typed: the compiler reports the syntax error
        }
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        Location classLocation = declaration.Identifier.GetLocation();

        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            // Parse on and generate anyway: the compiler then adds one CS0260 ("missing partial modifier") on the
            // same declaration, instead of a "does not contain a definition" error at every use of the network.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, classLocation, type.Name));
        }
        if (type.IsStatic || type.IsAbstract)
        {
            // The generated constructor and factory methods need an instantiable class.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotInstantiable, classLocation, type.Name, type.IsStatic ? "static" : "abstract"));
            return new NetworkResult(null, diagnostics.ToEquatableArray());
        }
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            bool partial = outer.DeclaringSyntaxReferences.All(r =>
                r.GetSyntax(cancellationToken) is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ContainingTypeNotPartial, classLocation, type.Name, outer.Name));
                return new NetworkResult(null, diagnostics.ToEquatableArray());
            }
        }

        List<Written> written = ReadLayers(type, cancellationToken, out bool hasBrokenAttribute);
        TypeSpec typeSpec = ReadType(type, declaration);
        if (written.Select(w => w.Syntax?.Parent?.Parent).Where(d => d is not null).Distinct().Count() > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AttributesOnSeveralDeclarations, classLocation, type.Name));
            return new NetworkResult(Invalid(typeSpec), diagnostics.ToEquatableArray());
        }
        if (hasBrokenAttribute)
        {
            // The compiler already reports the attribute's own error; adding ours would only repeat it.
            return new NetworkResult(Invalid(typeSpec), diagnostics.ToEquatableArray());
        }

        WeightsRequest? weights = ReadWeights(context);
        var spec = new NetworkSpec(typeSpec, written.Select(w => w.Spec).ToEquatableArray()) { Weights = weights?.Path };
        (NetworkPlan plan, ImmutableArray<ShapeProblem> problems) = ShapeInference.Infer(spec);
        foreach (ShapeProblem problem in problems)
        {
            Location location = problem.AttributeIndex < 0
                ? NetworkAttributeLocation(context) ?? classLocation
                : ArgumentLocation(written[problem.AttributeIndex], problem.Argument) ?? classLocation;
            object[] args = problem.AttributeIndex < 0 || problem.Kind == ProblemKind.NoLayers
                ? new object[] { type.Name }
                : problem.Args.Cast<object>().ToArray();
            ImmutableDictionary<string, string?>? properties = problem.FixArgument is null
                ? null
                : ImmutableDictionary<string, string?>.Empty
                    .Add(FixProperties.Argument, problem.FixArgument)
                    .Add(FixProperties.Value, problem.FixValue);
            diagnostics.Add(DiagnosticInfo.Create(Descriptor(problem.Kind), location, properties, args));
        }
        return new NetworkResult(plan, diagnostics.ToEquatableArray(), weights);
    }

    /// <summary><c>[Network(Weights = "…")]</c> with the argument's location, for the weights checks.</summary>
    private static WeightsRequest? ReadWeights(GeneratorAttributeSyntaxContext context)
    {
        AttributeData? network = context.Attributes.FirstOrDefault();
        if (network is null)
        {
            return null;
        }
        foreach (KeyValuePair<string, TypedConstant> argument in network.NamedArguments)
        {
            if (argument.Key == "Weights" && argument.Value.Value is string path)
            {
                var syntax = network.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax;
                Location location = syntax?.ArgumentList?.Arguments
                    .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Weights")?.GetLocation()
                    ?? syntax?.GetLocation()
                    ?? Location.None;
                return new WeightsRequest(path, LocationInfo.From(location));
            }
        }
        return null;
    }

    private static NetworkPlan Invalid(TypeSpec type) => new(type, default, EquatableArray<LayerPlan>.Empty, 0, IsValid: false);

    private static List<Written> ReadLayers(INamedTypeSymbol type, CancellationToken cancellationToken, out bool hasBrokenAttribute)
    {
        hasBrokenAttribute = false;
        var layers = new List<Written>();
        foreach (AttributeData data in type.GetAttributes())
        {
            INamedTypeSymbol? attributeClass = data.AttributeClass;
            if (attributeClass is null
                || attributeClass.ContainingNamespace?.ToDisplayString() != Namespace
                || !LayerKinds.ByAttribute.TryGetValue(attributeClass.Name, out LayerKindInfo? kind))
            {
                continue;
            }
            var syntax = data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            if (data.AttributeConstructor is null || data.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
            {
                hasBrokenAttribute = true;
                continue;
            }
            layers.Add(new Written(ReadLayer(kind.Kind, data), data, syntax));
        }
        // Attributes of one declaration come in source order; sort anyway so the order never depends on the compiler.
        return layers
            .OrderBy(w => w.Syntax?.SyntaxTree.FilePath, System.StringComparer.Ordinal)
            .ThenBy(w => w.Syntax?.SpanStart ?? 0)
            .ToList();
    }

    /// <summary>
    /// Every argument as written, positional ones under their constructor parameter's name: the parser
    /// knows no layer kind, so a new kind's arguments arrive without a change here.
    /// </summary>
    private static LayerSpec ReadLayer(LayerKind kind, AttributeData data)
    {
        var arguments = new List<Argument>();
        ImmutableArray<IParameterSymbol> parameters = data.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
        for (int i = 0; i < data.ConstructorArguments.Length && i < parameters.Length; i++)
        {
            arguments.Add(ReadArgument(parameters[i].Name, data.ConstructorArguments[i]));
        }
        foreach (KeyValuePair<string, TypedConstant> argument in data.NamedArguments)
        {
            arguments.Add(ReadArgument(argument.Key, argument.Value));
        }
        return new LayerSpec(kind, arguments.ToEquatableArray());
    }

    private static Argument ReadArgument(string name, TypedConstant value)
    {
        if (value.Kind == TypedConstantKind.Array)
        {
            ImmutableArray<TypedConstant> items = value.IsNull ? ImmutableArray<TypedConstant>.Empty : value.Values;
            bool numbers = value.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Single or SpecialType.System_Double };
            return numbers
                ? new Argument(name) { Floats = items.Select(item => item.Value is float f ? f : item.Value is double d ? (float)d : 0f).ToEquatableArray() }
                : new Argument(name) { Texts = items.Select(item => item.Value as string ?? "").ToEquatableArray() };
        }
        return value.Value switch
        {
            int i => new Argument(name) { Int = i },
            bool b => new Argument(name) { Bool = b },
            float f => new Argument(name) { Float = f },
            double d => new Argument(name) { Float = (float)d },
            string s => new Argument(name) { Text = s },
            _ => new Argument(name),
        };
    }

    private static TypeSpec ReadType(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
    {
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        var containing = new List<string>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, "partial " + Keyword(outer) + " " + NameWithTypeParameters(outer));
        }
        // Hint names allow letters, digits and . , - _ ( ) [ ] { } only.
        var metadataName = new System.Text.StringBuilder();
        foreach (char c in type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", ""))
        {
            metadataName.Append(char.IsLetterOrDigit(c) || c is '.' or ',' or '-' or '_' ? c : c == '<' ? '[' : c == '>' ? ']' : '_');
        }
        return new TypeSpec(ns, NameWithTypeParameters(type), metadataName.ToString(), declaration is RecordDeclarationSyntax ? "record" : "class", containing.ToEquatableArray());
    }

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    private static string NameWithTypeParameters(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0
            ? Identifier(type.Name)
            : Identifier(type.Name) + "<" + string.Join(", ", type.TypeParameters.Select(p => Identifier(p.Name))) + ">";

    /// <summary>A name as C# source: keywords get an <c>@</c> (a class named <c>@class</c>).</summary>
    private static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.RecordKeyword
            ? "@" + name
            : name;

    private static Location? NetworkAttributeLocation(GeneratorAttributeSyntaxContext context) =>
        context.Attributes.FirstOrDefault()?.ApplicationSyntaxReference?.GetSyntax().GetLocation();

    /// <summary>The named argument, else the positional argument whose constructor parameter has that name, else the whole attribute.</summary>
    private static Location? ArgumentLocation(Written written, string? argument)
    {
        AttributeSyntax? syntax = written.Syntax;
        if (syntax is null)
        {
            return null;
        }
        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = syntax.ArgumentList?.Arguments ?? default;
        if (argument is not null)
        {
            foreach (AttributeArgumentSyntax a in arguments)
            {
                if (a.NameEquals?.Name.Identifier.ValueText == argument || a.NameColon?.Name.Identifier.ValueText == argument)
                {
                    return a.GetLocation();
                }
            }
            ImmutableArray<IParameterSymbol> parameters = written.Data.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
            // "others[2]": the third value of a params array, which is the third positional argument when written one by one.
            int bracket = argument.IndexOf('[');
            if (bracket > 0 && int.TryParse(argument.Substring(bracket + 1, argument.Length - bracket - 2), out int element))
            {
                string arrayName = argument.Substring(0, bracket);
                for (int i = 0; i < parameters.Length && i < arguments.Count; i++)
                {
                    if (parameters[i].Name == arrayName)
                    {
                        int at = i + element;
                        bool expanded = arguments.Count > i && arguments[i].Expression is not ArrayCreationExpressionSyntax and not ImplicitArrayCreationExpressionSyntax and not CollectionExpressionSyntax;
                        return expanded && at < arguments.Count && arguments[at].NameEquals is null ? arguments[at].GetLocation() : arguments[i].GetLocation();
                    }
                }
                return syntax.GetLocation();
            }
            for (int i = 0; i < parameters.Length && i < arguments.Count; i++)
            {
                if (parameters[i].Name == argument && arguments[i].NameEquals is null && arguments[i].NameColon is null)
                {
                    return arguments[i].GetLocation();
                }
            }
        }
        return syntax.GetLocation();
    }

    internal static DiagnosticDescriptor Descriptor(ProblemKind kind) => kind switch
    {
        ProblemKind.MissingInput => DiagnosticDescriptors.MissingInput,
        ProblemKind.RepeatedInput => DiagnosticDescriptors.RepeatedInput,
        ProblemKind.InputNotFirst => DiagnosticDescriptors.InputNotFirst,
        ProblemKind.NoLayers => DiagnosticDescriptors.NoLayers,
        ProblemKind.NotPositive => DiagnosticDescriptors.NotPositive,
        ProblemKind.NegativePadding => DiagnosticDescriptors.NegativePadding,
        ProblemKind.DepthMismatch => DiagnosticDescriptors.DepthMismatch,
        ProblemKind.InputsMismatch => DiagnosticDescriptors.InputsMismatch,
        ProblemKind.WindowTooLarge => DiagnosticDescriptors.WindowTooLarge,
        ProblemKind.InexactDivision => DiagnosticDescriptors.InexactDivision,
        ProblemKind.LayerAfterSoftmax => DiagnosticDescriptors.LayerAfterSoftmax,
        ProblemKind.SpatialAfterFullyConnected => DiagnosticDescriptors.SpatialAfterFullyConnected,
        ProblemKind.TooLarge => DiagnosticDescriptors.TooLarge,
        ProblemKind.PoolPaddingTooLarge => DiagnosticDescriptors.PoolPaddingTooLarge,
        ProblemKind.InvalidName => DiagnosticDescriptors.InvalidName,
        ProblemKind.DuplicateName => DiagnosticDescriptors.DuplicateName,
        ProblemKind.UnknownName => DiagnosticDescriptors.UnknownName,
        ProblemKind.LaterReference => DiagnosticDescriptors.LaterReference,
        ProblemKind.NoOperands => DiagnosticDescriptors.NoOperands,
        ProblemKind.OperandShapeMismatch => DiagnosticDescriptors.OperandShapeMismatch,
        ProblemKind.ConcatShapeMismatch => DiagnosticDescriptors.ConcatShapeMismatch,
        ProblemKind.DeadLayer => DiagnosticDescriptors.DeadLayer,
        ProblemKind.SliceOutOfRange => DiagnosticDescriptors.SliceOutOfRange,
        ProblemKind.ShuffleGroupsMismatch => DiagnosticDescriptors.ShuffleGroupsMismatch,
        ProblemKind.UnknownUpsampleMode => DiagnosticDescriptors.UnknownUpsampleMode,
        ProblemKind.AlignCornersNeedsBilinear => DiagnosticDescriptors.AlignCornersNeedsBilinear,
        ProblemKind.PadAddsNothing => DiagnosticDescriptors.PadAddsNothing,
        ProblemKind.ClipBoundsReversed => DiagnosticDescriptors.ClipBoundsReversed,
        ProblemKind.NotFiniteArgument => DiagnosticDescriptors.NotFiniteArgument,
        ProblemKind.LayerAfterLogSoftmax => DiagnosticDescriptors.LayerAfterLogSoftmax,
        ProblemKind.UnknownGeluApproximation => DiagnosticDescriptors.UnknownGeluApproximation,
        ProblemKind.DropoutProbability => DiagnosticDescriptors.DropoutProbability,
        ProblemKind.GroupsDoNotDivide => DiagnosticDescriptors.GroupsDoNotDivide,
        ProblemKind.NormalizeLength => DiagnosticDescriptors.NormalizeLength,
        ProblemKind.NormalizeStdNotPositive => DiagnosticDescriptors.NormalizeStdNotPositive,
        ProblemKind.OutputPaddingTooLarge => DiagnosticDescriptors.OutputPaddingTooLarge,
        ProblemKind.TransposeOutputEmpty => DiagnosticDescriptors.TransposeOutputEmpty,
        ProblemKind.TransposePaddingUnread => DiagnosticDescriptors.TransposePaddingUnread,
        ProblemKind.InvalidEpsilon => DiagnosticDescriptors.InvalidEpsilon,
        _ => throw new System.ArgumentOutOfRangeException(nameof(kind), kind, "a shape problem without a diagnostic"),
    };
}
