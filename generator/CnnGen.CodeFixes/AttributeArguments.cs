using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CnnGen.CodeFixes;

/// <summary>Reads and writes the named arguments of an attribute (<c>Name = value</c>) as a person would type them.</summary>
internal static class AttributeArguments
{
    /// <summary>The argument <c><paramref name="name"/> = …</c>, or <see langword="null"/>.</summary>
    public static AttributeArgumentSyntax? Named(AttributeSyntax attribute, string name) =>
        attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    /// <summary>
    /// <paramref name="attribute"/> with <c><paramref name="name"/> = <paramref name="value"/></c>: the value of an
    /// existing argument of that name is replaced in place; otherwise the argument is added at the end.
    /// </summary>
    public static AttributeSyntax Set(AttributeSyntax attribute, string name, ExpressionSyntax value)
    {
        if (Named(attribute, name) is { } existing)
        {
            ExpressionSyntax replacement = value.WithTriviaFrom(existing.Expression);
            return attribute.ReplaceNode(existing, existing.WithExpression(replacement));
        }

        AttributeArgumentSyntax added = SyntaxFactory.AttributeArgument(
            SyntaxFactory.NameEquals(
                SyntaxFactory.IdentifierName(name).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space)),
            nameColon: null,
            value);
        AttributeArgumentListSyntax list = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = list.Arguments.Count == 0
            ? SyntaxFactory.SingletonSeparatedList(added)
            : SyntaxFactory.SeparatedList<AttributeArgumentSyntax>(list.Arguments.GetWithSeparators()
                .Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space))
                .Add(added));
        return attribute.WithArgumentList(list.WithArguments(arguments));
    }
}
