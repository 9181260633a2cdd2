using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace CnnGen.TestSupport;

/// <summary>
/// Checked-in snapshots: <c>Snapshots/NAME.verified.EXT</c> next to the calling test file. A mismatch or a
/// missing snapshot fails and writes <c>NAME.received.EXT</c> beside it; run with <c>CNNGEN_ACCEPT=1</c> to
/// write the received text over the verified file instead (then review the diff before committing).
/// </summary>
public static class Snapshot
{
    /// <summary>Set to 1 to accept the received output as the new verified snapshot.</summary>
    public const string AcceptVariable = "CNNGEN_ACCEPT";

    /// <summary>Compares <paramref name="actual"/> to the verified snapshot; throws <see cref="SnapshotMismatchException"/> when they differ.</summary>
    public static void Verify(string name, string actual, string extension = "cs", [CallerFilePath] string callerFile = "")
    {
        string directory = Path.Combine(Path.GetDirectoryName(callerFile) ?? ".", "Snapshots");
        string verified = Path.Combine(directory, $"{name}.verified.{extension}");
        string received = Path.Combine(directory, $"{name}.received.{extension}");
        string normalized = Normalize(actual);
        bool accept = Environment.GetEnvironmentVariable(AcceptVariable) == "1";

        if (accept)
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, normalized);
            File.Delete(received);
            return;
        }
        if (!File.Exists(verified))
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(received, normalized);
            throw new SnapshotMismatchException($"No verified snapshot {verified}. The output was written to {received}; review it and run with {AcceptVariable}=1 to accept.");
        }
        string expected = Normalize(File.ReadAllText(verified));
        if (expected == normalized)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, normalized);
        throw new SnapshotMismatchException($"Snapshot {verified} differs from the output (written to {received}); {FirstDifference(expected, normalized)}. Run with {AcceptVariable}=1 to accept if the change is intended.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end of file>", al = i < a.Length ? a[i] : "<end of file>";
            if (el != al)
            {
                return $"first difference at line {i + 1}:\n  verified: {el}\n  received: {al}";
            }
        }
        return "they differ only in line endings";
    }
}

/// <summary>A snapshot did not match (or did not exist).</summary>
public sealed class SnapshotMismatchException(string message) : Exception(message);
