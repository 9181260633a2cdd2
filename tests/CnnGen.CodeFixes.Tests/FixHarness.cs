using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CnnGen.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CodeRefactorings;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace CnnGen.CodeFixes.Tests;

/// <summary>
/// Plays the IDE's part: one document in an <see cref="AdhocWorkspace"/> project that references the CnnGen
/// runtime, the real generator run over its compilation for the diagnostics, and a provider's code
/// actions applied to the document.
/// </summary>
internal static class FixHarness
{
    /// <summary>A one-document project compiled as <see cref="GeneratorHarness"/> compiles test networks.</summary>
    public static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        ProjectId projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                name: "Networks",
                assemblyName: "Networks",
                language: LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: GeneratorHarness.ParseOptions,
                metadataReferences: GeneratorHarness.References))
            .AddDocument(DocumentId.CreateNewId(projectId), "Network.cs", SourceText.From(source));
        return solution.Projects.Single().Documents.Single();
    }

    /// <summary>Runs the generator over the document's project and returns what it reported.</summary>
    public static async Task<GeneratorRun> RunGeneratorAsync(Document document)
    {
        Compilation compilation = await document.Project.GetCompilationAsync().ConfigureAwait(false)
            ?? throw new InvalidOperationException("No compilation.");
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(), compilation);
        Assert.Empty(run.Exceptions);
        Assert.Empty(run.DriverProblems);
        return run;
    }

    /// <summary>The one diagnostic with <paramref name="id"/> the generator reports on <paramref name="document"/>.</summary>
    public static async Task<Diagnostic> SingleDiagnosticAsync(Document document, string id)
    {
        GeneratorRun run = await RunGeneratorAsync(document).ConfigureAwait(false);
        return Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);
    }

    /// <summary>The code fixes <paramref name="provider"/> registers for <paramref name="diagnostic"/>.</summary>
    public static async Task<IReadOnlyList<CodeAction>> FixesAsync(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        Assert.Contains(diagnostic.Id, provider.FixableDiagnosticIds);
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        return actions;
    }

    /// <summary>The refactorings <paramref name="provider"/> offers with the caret just before <paramref name="caretBefore"/>.</summary>
    public static async Task<IReadOnlyList<CodeAction>> RefactoringsAsync(CodeRefactoringProvider provider, Document document, string caretBefore)
    {
        string text = (await document.GetTextAsync().ConfigureAwait(false)).ToString();
        int position = text.IndexOf(caretBefore, StringComparison.Ordinal);
        Assert.True(position >= 0, $"'{caretBefore}' is not in the source.");
        var actions = new List<CodeAction>();
        var context = new CodeRefactoringContext(document, new TextSpan(position, 0), actions.Add, CancellationToken.None);
        await provider.ComputeRefactoringsAsync(context).ConfigureAwait(false);
        return actions;
    }

    /// <summary>Applies <paramref name="action"/> as the IDE does (its single <see cref="ApplyChangesOperation"/>) and returns the edited document.</summary>
    public static async Task<Document> ApplyAsync(Document document, CodeAction action)
    {
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
        ApplyChangesOperation apply = Assert.IsType<ApplyChangesOperation>(Assert.Single(operations));
        return apply.ChangedSolution.GetDocument(document.Id) ?? throw new InvalidOperationException("The fix removed the document.");
    }

    /// <summary>
    /// Fixes the one <paramref name="id"/> diagnostic with <paramref name="provider"/>'s one action, checks its
    /// title and the new source exactly, and returns the fixed document.
    /// </summary>
    public static async Task<Document> FixAsync(CodeFixProvider provider, string source, string id, string title, string expected)
    {
        Document document = CreateDocument(source);
        Diagnostic diagnostic = await SingleDiagnosticAsync(document, id).ConfigureAwait(false);
        CodeAction action = Assert.Single(await FixesAsync(provider, document, diagnostic).ConfigureAwait(false));
        Assert.Equal(title, action.Title);
        Document fixedDocument = await ApplyAsync(document, action).ConfigureAwait(false);
        Assert.Equal(expected, (await fixedDocument.GetTextAsync().ConfigureAwait(false)).ToString());
        return fixedDocument;
    }

    /// <summary>The generator reports nothing on <paramref name="document"/> and what it generates compiles without error.</summary>
    public static async Task AssertCleanAsync(Document document)
    {
        GeneratorRun run = await RunGeneratorAsync(document).ConfigureAwait(false);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.NotEmpty(run.GeneratedSources);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
