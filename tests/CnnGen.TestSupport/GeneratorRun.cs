using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace CnnGen.TestSupport;

/// <summary>One run of the generator: what went in, what came out, and what it reported.</summary>
public sealed class GeneratorRun
{
    internal GeneratorRun(Compilation input, Compilation output, GeneratorDriver driver, GeneratorDriverRunResult result, ImmutableArray<Diagnostic> driverDiagnostics)
    {
        Input = input;
        Output = output;
        Driver = driver;
        Result = result;
        DriverDiagnostics = driverDiagnostics;
    }

    /// <summary>The compilation the generator ran on.</summary>
    public Compilation Input { get; }

    /// <summary>The compilation with the generated sources added.</summary>
    public Compilation Output { get; }

    /// <summary>The driver after the run: run it again on an edited compilation to test caching.</summary>
    public GeneratorDriver Driver { get; }

    /// <summary>The raw run result (steps, sources, diagnostics, exceptions).</summary>
    public GeneratorDriverRunResult Result { get; }

    /// <summary>Everything the driver returned: the generator's own diagnostics plus the driver's (e.g. CS8785 when a generator throws).</summary>
    public ImmutableArray<Diagnostic> DriverDiagnostics { get; }

    /// <summary>What the driver reported about the generator itself (CS8784, CS8785, …), not the generator's CNN diagnostics.</summary>
    public ImmutableArray<Diagnostic> DriverProblems => DriverDiagnostics.Where(d => !d.Id.StartsWith("CNN", StringComparison.Ordinal)).ToImmutableArray();

    /// <summary>The diagnostics the generator reported (CNNxxxx).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    /// <summary>Every source the generator added.</summary>
    public ImmutableArray<GeneratedSourceResult> GeneratedSources => Result.Results.SelectMany(r => r.GeneratedSources).ToImmutableArray();

    /// <summary>Exceptions the generator threw (there must be none, whatever the input).</summary>
    public IReadOnlyList<Exception> Exceptions => Result.Results.Where(r => r.Exception is not null).Select(r => r.Exception!).ToList();

    /// <summary>The one generated source whose hint name contains <paramref name="hintNamePart"/>.</summary>
    public string Source(string hintNamePart)
    {
        GeneratedSourceResult[] matches = GeneratedSources.Where(s => s.HintName.Contains(hintNamePart, StringComparison.Ordinal)).ToArray();
        if (matches.Length != 1)
        {
            throw new InvalidOperationException(
                $"Expected one generated source matching '{hintNamePart}' but found {matches.Length}: {string.Join(", ", GeneratedSources.Select(s => s.HintName))}");
        }
        return matches[0].SourceText.ToString();
    }

    /// <summary>Throws when the generator threw or the driver reported a problem with it (CS8785 and the like).</summary>
    public void ThrowIfGeneratorFailed()
    {
        if (Exceptions.Count > 0)
        {
            throw new InvalidOperationException("The generator threw: " + Exceptions[0], Exceptions[0]);
        }
        if (DriverProblems.Length > 0)
        {
            throw new InvalidOperationException("The driver reported: " + string.Join("\n", DriverProblems));
        }
    }

    /// <summary>Compiler diagnostics of the output compilation at warning level or above (generator diagnostics excluded).</summary>
    public ImmutableArray<Diagnostic> CompilationProblems() =>
        Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();

    /// <summary>
    /// Emits the output compilation to memory and loads it in a collectible context. Fails when the
    /// compilation has any warning or error: generated code must compile cleanly at the highest warning level.
    /// </summary>
    public CompiledNetworks Load()
    {
        ImmutableArray<Diagnostic> problems = CompilationProblems();
        if (problems.Length > 0)
        {
            throw new InvalidOperationException(
                $"The generated code does not compile cleanly ({problems.Length} problems):\n"
                + string.Join("\n", problems.Take(30).Select(p => p.ToString())));
        }
        using var stream = new MemoryStream();
        EmitResult emitted = Output.Emit(stream);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("Emit failed:\n" + string.Join("\n", emitted.Diagnostics.Take(30)));
        }
        stream.Position = 0;
        return new CompiledNetworks(stream);
    }
}
