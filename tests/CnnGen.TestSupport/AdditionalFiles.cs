using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.TestSupport;

/// <summary>An additional file that exists only in memory (its text is never needed by the generator).</summary>
public sealed class InMemoryAdditionalText(string path, string text = "") : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>
/// Analyzer config options as MSBuild would hand them over: per additional file, the metadata
/// keys CnnGen's build targets set (e.g. <c>build_metadata.AdditionalFiles.CnnGenByteLength</c>).
/// </summary>
public sealed class AdditionalFileOptions(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> byPath) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        byPath.TryGetValue(textFile.Path, out IReadOnlyDictionary<string, string>? values) ? new Options(values) : GlobalOptions;

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
