using System;
using System.Collections.Generic;
using System.Globalization;

namespace CnnGen.Samples.Tests.CrossPlatform;

/// <summary>
/// What one run of tests/CnnGen.CrossPlatform.App printed, parsed: its <c>fact name value</c> lines (the
/// process architecture, which instruction sets it has) and its <c>output network v v …</c> lines.
/// </summary>
public sealed record AppRun(string Name, IReadOnlyDictionary<string, string> Facts, IReadOnlyDictionary<string, float[]> Outputs)
{
    /// <summary>Parses the app's output; throws <see cref="FormatException"/> naming the line it cannot read.</summary>
    public static AppRun Parse(string name, string printed)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        var outputs = new Dictionary<string, float[]>(StringComparer.Ordinal);
        string[] lines = printed.Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (string line in lines)
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 3 && words[0] == "fact")
            {
                facts[words[1]] = words[2];
            }
            else if (words.Length >= 3 && words[0] == "output")
            {
                outputs[words[1]] = Array.ConvertAll(words[2..], w => float.Parse(w, NumberStyles.Float, CultureInfo.InvariantCulture));
            }
            else
            {
                throw new FormatException($"{name}: cannot read the line \"{(line.Length > 200 ? line[..200] + " …" : line)}\"");
            }
        }
        return new AppRun(name, facts, outputs);
    }

    /// <summary>A fact the app printed, or a message saying it printed none by that name.</summary>
    public string Fact(string fact) => Facts.TryGetValue(fact, out string? value) ? value : $"(no fact {fact} in the {Name} run)";

    /// <summary>
    /// Where <paramref name="actual"/> differs from <paramref name="expected"/> by more than 1e-5 + 1e-4·|expected|
    /// (FMA or multiply + add, and another summation order, move the last bits), at most
    /// <paramref name="limit"/> of them, each as "network[i]: got vs expected"; a length mismatch is one entry.
    /// </summary>
    public static List<string> Differences(string network, IReadOnlyList<float> actual, IReadOnlyList<double> expected, int limit = 5)
    {
        var differences = new List<string>();
        if (actual.Count != expected.Count)
        {
            differences.Add($"{network}: {actual.Count} values, expected {expected.Count}");
            return differences;
        }
        for (int i = 0; i < expected.Count && differences.Count < limit; i++)
        {
            double tolerance = 1e-5 + 1e-4 * Math.Abs(expected[i]);
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
            {
                differences.Add($"{network}[{i}]: {actual[i].ToString("G9", CultureInfo.InvariantCulture)} vs {expected[i].ToString("G9", CultureInfo.InvariantCulture)}");
            }
        }
        return differences;
    }
}
