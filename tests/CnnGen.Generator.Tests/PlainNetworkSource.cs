using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Generator.Tests;

/// <summary>The generated source of a reference network declared as a plain class: what the kernel-choice tests search.</summary>
internal static class PlainNetworkSource
{
    /// <summary>
    /// Runs the generator on <paramref name="network"/> declared as <c>ns.name</c> and returns the class's generated source;
    /// fails the test when the generator throws or reports an error (warnings pass: strided layers that leave input unread get
    /// CNN0012, as ResNet's 4×4 → 2×2 does).
    /// </summary>
    public static string Generate(ReferenceNetwork network, string ns = "Plain", string name = "Net")
    {
        GeneratorRun run = GeneratorHarness.Run(network.ToPlainSource(ns, name));
        run.ThrowIfGeneratorFailed();
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        return run.Source(name);
    }
}
