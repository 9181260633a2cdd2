using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeRefactorings;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes;

/// <summary>
/// On a <c>[Conv(F, F, n)]</c> with an odd square kernel and no padding, offers
/// <c>Padding = (F − 1)/2</c>: the "same" padding, which keeps the width and height at stride 1.
/// With a dilation d the kernel spans d·(F − 1) + 1 and the padding is d·(F − 1)/2.
/// </summary>
[ExportCodeRefactoringProvider(LanguageNames.CSharp, Name = nameof(SamePaddingRefactoringProvider))]
[Shared]
public sealed class SamePaddingRefactoringProvider : CodeRefactoringProvider
{
    private const string ConvAttribute = "CnnGen.ConvAttribute";

    private static readonly string[] PaddingArguments = { "Padding", "PadLeft", "PadTop", "PadRight", "PadBottom" };

    /// <inheritdoc />
    public override async Task ComputeRefactoringsAsync(CodeRefactoringContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<AttributeSyntax>() is not { ArgumentList: not null } attribute
            || PaddingArguments.Any(name => AttributeArguments.Named(attribute, name) is not null))
        {
            return;
        }
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (model is null || SamePadding(model, attribute, context.CancellationToken) is not int padding)
        {
            return;
        }
        context.RegisterRefactoring(CodeAction.Create(
            $"Pad to keep the size: Padding = {padding}",
            _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(
                attribute,
                AttributeArguments.Set(attribute, "Padding", SyntaxFactory.ParseExpression(padding.ToString(System.Globalization.CultureInfo.InvariantCulture)))))),
            equivalenceKey: nameof(SamePaddingRefactoringProvider)));
    }

    /// <summary>
    /// The "same" padding of a <c>[Conv]</c> whose kernel is square with an odd side above 1 and whose
    /// dilations agree, or <see langword="null"/> when there is none or the arguments are not constants.
    /// </summary>
    private static int? SamePadding(SemanticModel model, AttributeSyntax attribute, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(attribute, cancellationToken).Symbol is not IMethodSymbol constructor
            || constructor.ContainingType.ToDisplayString() != ConvAttribute)
        {
            return null;
        }
        int? Constant(ExpressionSyntax? expression) =>
            expression is not null && model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: int value } ? value : null;
        int? Named(string name) => AttributeArguments.Named(attribute, name) is { } argument ? Constant(argument.Expression) : null;
        bool Has(string name) => AttributeArguments.Named(attribute, name) is not null;

        int? width = Constant(Positional(attribute, constructor, 0));
        int? height = Constant(Positional(attribute, constructor, 1));
        if (width is not int kernel || height != kernel || kernel < 3 || kernel % 2 == 0)
        {
            return null;
        }
        // A dilation that is written but not a constant leaves the span unknown.
        int? shared = Has("Dilation") ? Named("Dilation") : 1;
        int? dilationX = Has("DilationX") ? Named("DilationX") : shared;
        int? dilationY = Has("DilationY") ? Named("DilationY") : shared;
        if (dilationX is not int dilation || dilationY != dilation || dilation < 1)
        {
            return null;
        }
        return dilation * (kernel - 1) / 2;
    }

    /// <summary>The expression given for the constructor parameter at <paramref name="index"/>, by position or by <c>name:</c>.</summary>
    private static ExpressionSyntax? Positional(AttributeSyntax attribute, IMethodSymbol constructor, int index)
    {
        if (index >= constructor.Parameters.Length)
        {
            return null;
        }
        string name = constructor.Parameters[index].Name;
        var positional = attribute.ArgumentList!.Arguments.Where(a => a.NameEquals is null).ToList();
        AttributeArgumentSyntax? byName = positional.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == name);
        if (byName is not null)
        {
            return byName.Expression;
        }
        return index < positional.Count && positional[index].NameColon is null ? positional[index].Expression : null;
    }
}
