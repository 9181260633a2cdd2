using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CnnGen.Generator.Parsing;

/// <summary>A <c>*.weights</c> additional file: where it is and how many bytes it holds.</summary>
/// <param name="Path">Full path as the compiler sees it.</param>
/// <param name="ByteLength">Size in bytes, measured by CnnGen's build targets; -1 when the file is missing, <see langword="null"/> when the targets did not run.</param>
internal sealed record WeightsFile(string Path, long? ByteLength)
{
    public const string Extension = ".weights";

    /// <summary>The item metadata CnnGen's build targets set (build/CnnGen.targets).</summary>
    private const string ByteLengthKey = "build_metadata.AdditionalFiles.CnnGenByteLength";

    /// <summary>
    /// Reads the size CnnGen's build targets measured. The generator never reads the file: the
    /// compiler can only hand additional files over as text, and rejects binary ones (CS2015).
    /// </summary>
    public static WeightsFile Describe(AdditionalText file, AnalyzerConfigOptionsProvider options)
    {
        long? length = options.GetOptions(file).TryGetValue(ByteLengthKey, out string? value)
            && long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long parsed)
            ? parsed
            : null;
        return new WeightsFile(file.Path, length);
    }

    /// <summary>Whether this file is the one <c>[Network(Weights = <paramref name="requested"/>)]</c> names: same path tail, either separator.</summary>
    public bool Matches(string requested)
    {
        string path = Path.Replace('\\', '/');
        string wanted = requested.Replace('\\', '/').TrimStart('.', '/');
        return wanted.Length > 0
            && path.EndsWith(wanted, StringComparison.OrdinalIgnoreCase)
            && (path.Length == wanted.Length || path[path.Length - wanted.Length - 1] == '/');
    }
}
