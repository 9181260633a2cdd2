using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes;

/// <summary>Adds the <c>partial</c> modifier to a type declaration, where C# requires it: last, just before the keyword.</summary>
internal static class PartialModifier
{
    /// <summary>Whether <paramref name="declaration"/> already says <c>partial</c>.</summary>
    public static bool IsPartial(TypeDeclarationSyntax declaration) => declaration.Modifiers.Any(SyntaxKind.PartialKeyword);

    /// <summary>
    /// <paramref name="declaration"/> with <c>partial</c> after its other modifiers. With no modifiers,
    /// <c>partial</c> takes over the indentation in front of the keyword.
    /// </summary>
    public static TypeDeclarationSyntax Add(TypeDeclarationSyntax declaration)
    {
        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count > 0)
        {
            return declaration.WithModifiers(declaration.Modifiers.Add(partial));
        }
        SyntaxToken keyword = declaration.Keyword;
        return declaration
            .WithKeyword(keyword.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
    }
}
