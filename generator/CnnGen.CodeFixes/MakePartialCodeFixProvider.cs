using CnnGen.Generator.Diagnostics;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes;

/// <summary>
/// CNN0001 and CNN0017: adds <c>partial</c> to the network class, or to every type around it that lacks
/// it. A type that is not partial has a single declaration, so the ones to change all enclose the
/// network class in the same file.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider))]
[Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.ClassNotPartial, DiagnosticIds.ContainingTypeNotPartial);

    /// <summary>No fix-all: each network class is fixed on its own.</summary>
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
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } network)
            {
                continue;
            }
            List<TypeDeclarationSyntax> targets = diagnostic.Id == DiagnosticIds.ClassNotPartial
                ? new List<TypeDeclarationSyntax> { network }
                : network.Ancestors().OfType<TypeDeclarationSyntax>().ToList();
            targets.RemoveAll(PartialModifier.IsPartial);
            if (targets.Count == 0)
            {
                continue;
            }
            string names = string.Join("', '", targets.Select(t => t.Identifier.ValueText).Reverse());
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Make '{names}' partial",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(
                        root.ReplaceNodes(targets, (original, rewritten) => PartialModifier.Add(rewritten)))),
                    equivalenceKey: nameof(MakePartialCodeFixProvider)),
                diagnostic);
        }
    }
}
