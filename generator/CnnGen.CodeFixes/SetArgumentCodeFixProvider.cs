using CnnGen.Generator.Diagnostics;
using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes;

/// <summary>
/// CNN0009, CNN0010 and CNN0012: sets the named argument the diagnostic names to the value it carries
/// (properties <see cref="FixProperties.Argument"/> and <see cref="FixProperties.Value"/>), e.g.
/// <c>Depth = 3</c>, <c>Inputs = 250</c> or <c>PadRight = 1</c>, on the attribute the diagnostic is on.
/// The generator works the value out; this provider only writes it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetArgumentCodeFixProvider))]
[Shared]
public sealed class SetArgumentCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.DepthMismatch, DiagnosticIds.InputsMismatch, DiagnosticIds.InexactDivision);

    /// <summary>
    /// No fix-all: two diagnostics on one attribute (PadRight and PadBottom) would both append at the same
    /// place, which a batch of independent text changes cannot merge.
    /// </summary>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(FixProperties.Argument, out string? name)
                || !diagnostic.Properties.TryGetValue(FixProperties.Value, out string? value)
                || name is null || value is null
                || !SyntaxFacts.IsValidIdentifier(name))
            {
                continue;
            }
            ExpressionSyntax expression = SyntaxFactory.ParseExpression(value);
            if (expression.ContainsDiagnostics
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute)
            {
                continue;
            }
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Set {name} = {value}",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(
                        root.ReplaceNode(attribute, AttributeArguments.Set(attribute, name, expression)))),
                    equivalenceKey: $"{nameof(SetArgumentCodeFixProvider)}.{name}"),
                diagnostic);
        }
    }
}
