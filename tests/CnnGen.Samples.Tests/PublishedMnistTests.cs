using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Samples.Tests;

/// <summary>
/// The MNIST sample published as a NativeAOT binary and as a trimmed self-contained app: both publish
/// without a warning, run, and print what the JIT build prints (the ten shipped digits with their
/// probabilities and the held-out accuracy over 2,000 MNIST images).
/// </summary>
public sealed class PublishedMnistTests : IClassFixture<PublishedMnistTests.JitOutput>
{
    private readonly JitOutput _jit;
    private readonly ITestOutputHelper _output;

    public PublishedMnistTests(JitOutput jit, ITestOutputHelper output)
    {
        _jit = jit;
        _output = output;
    }

    [Fact]
    public void NativeAotBinaryPrintsWhatTheJitBuildPrints() =>
        PublishRunAndCompare("aot", "-p:PublishAot=true");

    [Fact]
    public void TrimmedSelfContainedAppPrintsWhatTheJitBuildPrints() =>
        PublishRunAndCompare("trimmed", "--self-contained", "-p:PublishTrimmed=true");

    private void PublishRunAndCompare(string name, params string[] options)
    {
        string folder = Repository.CreateTemporaryFolder("cnngen-mnist-" + name);
        try
        {
            (int exit, string log) = Repository.Dotnet(new[] { "publish", "samples/Mnist/Mnist.csproj", "-c", Repository.Configuration,
                "-r", Rid(), "-o", folder, "-p:BuildProjectReferences=false" }.Concat(options).ToArray());
            Assert.True(exit == 0, $"dotnet publish ({name}) failed:\n{log}");
            string[] warnings = log.Split('\n').Where(line => Regex.IsMatch(line, @"\bwarning\b", RegexOptions.IgnoreCase)).ToArray();
            Assert.True(warnings.Length == 0, $"dotnet publish ({name}) warned:\n{string.Join("\n", warnings)}");

            string binary = Path.Combine(folder, OperatingSystem.IsWindows() ? "Mnist.exe" : "Mnist");
            (int status, string printed, string errors) = Repository.Execute(binary, Repository.Root);
            Assert.True(status == 0, $"{name} binary exited with {status}:\n{printed}{errors}");
            _output.WriteLine(printed);
            AssertSameOutput(_jit.Printed, printed, name);
        }
        finally
        {
            Repository.DeleteTemporaryFolder(folder);
        }
    }

    /// <summary>
    /// Line by line, the same text; numbers may differ by one unit in their last printed digit, since a
    /// build without AVX2 kernels (NativeAOT's default instruction set) sums in another order.
    /// </summary>
    private static void AssertSameOutput(string expected, string actual, string name)
    {
        string[] expectedLines = Lines(expected), actualLines = Lines(actual);
        Assert.True(expectedLines.Length == actualLines.Length, $"{name}: {actualLines.Length} lines, the JIT build printed {expectedLines.Length}:\n{actual}");
        Assert.Contains(expectedLines, line => line.StartsWith("Held-out MNIST accuracy", StringComparison.Ordinal));
        for (int i = 0; i < expectedLines.Length; i++)
        {
            string message = $"{name}, line {i + 1}:\n  JIT: {expectedLines[i]}\n  {name}: {actualLines[i]}";
            MatchCollection want = Number.Matches(expectedLines[i]), got = Number.Matches(actualLines[i]);
            Assert.True(Number.Replace(expectedLines[i], "#") == Number.Replace(actualLines[i], "#") && want.Count == got.Count, message);
            for (int k = 0; k < want.Count; k++)
            {
                int decimals = want[k].Value.Contains('.') ? want[k].Value.Length - want[k].Value.IndexOf('.') - 1 : 0;
                double difference = Math.Abs(double.Parse(want[k].Value, System.Globalization.CultureInfo.InvariantCulture)
                    - double.Parse(got[k].Value, System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(difference <= 1.001 * Math.Pow(10, -decimals), message);
            }
        }
    }

    private static readonly Regex Number = new(@"\d+(\.\d+)?", RegexOptions.Compiled);

    private static string[] Lines(string text) => text.Replace("\r\n", "\n").Trim().Split('\n');

    private static string Rid() =>
        (OperatingSystem.IsWindows() ? "win-" : OperatingSystem.IsMacOS() ? "osx-" : "linux-")
        + System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    /// <summary>What the JIT build of the sample prints, run from the repository root like the published ones.</summary>
    public sealed class JitOutput
    {
        public JitOutput()
        {
            string dll = Path.Combine(Repository.Root, "samples", "Mnist", "bin", Repository.Configuration, "net10.0", "Mnist.dll");
            Assert.True(File.Exists(dll), $"The sample is not built: {dll}");
            (int status, string printed, string errors) = Repository.Execute("dotnet", Repository.Root, dll);
            Assert.True(status == 0, $"The JIT build exited with {status}:\n{printed}{errors}");
            Printed = printed;
        }

        public string Printed { get; }
    }
}
