using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using CnnGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CnnGen.Benchmarks;

/// <summary>
/// The generator's compile-time cost, measured in-process with <see cref="CSharpGeneratorDriver"/> on
/// the four networks of <c>Networks.cs</c> (embedded in this program): time to generate all four
/// (cold, and after warm-up), generated source size per network, and what an unrelated edit (and,
/// as a control, an edit of one network) regenerates.
/// </summary>
public static class CompileCost
{
    private const int Runs = 30;

    /// <summary>The framework's System assemblies and the CnnGen runtime library, which generated code compiles against.</summary>
    internal static List<MetadataReference> References()
    {
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return
        [
            .. tpa.Split(Path.PathSeparator).Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
                  .Select(p => MetadataReference.CreateFromFile(p)),
            MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location),
        ];
    }

    /// <summary>Runs the measurement and prints the figures; returns 1 if a target is missed.</summary>
    public static int Run()
    {
        string source = ReadEmbedded("Networks.cs");
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        List<MetadataReference> references = References();
        SyntaxTree networks = CSharpSyntaxTree.ParseText(source, parse, path: "Networks.cs", encoding: Encoding.UTF8);
        SyntaxTree unrelated = CSharpSyntaxTree.ParseText(
            "namespace App;\n\npublic static class Unrelated\n{\n    public static int Answer() => 42;\n}\n", parse, path: "Unrelated.cs", encoding: Encoding.UTF8);
        CSharpCompilation compilation = CSharpCompilation.Create("CompileCost", [networks, unrelated], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()], parseOptions: parse,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        // Cold: the first run in this process pays for loading and JIT-compiling the generator.
        long start = Stopwatch.GetTimestamp();
        GeneratorDriver driver = NewDriver().RunGenerators(compilation);
        TimeSpan cold = Stopwatch.GetElapsedTime(start);

        for (int i = 0; i < 5; i++)
        {
            NewDriver().RunGenerators(compilation);
        }
        var times = new List<double>();
        for (int i = 0; i < Runs; i++)
        {
            start = Stopwatch.GetTimestamp();
            NewDriver().RunGenerators(compilation);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();

        GeneratorDriverRunResult result = driver.GetRunResult();
        GeneratorRunResult run = result.Results.Single();
        if (run.Exception is not null)
        {
            Console.Error.WriteLine($"The generator threw: {run.Exception}");
            return 1;
        }

        Console.WriteLine("Compile-time cost of the CnnGen generator (CSharpGeneratorDriver, in-process, the four networks of issue 5)");
        Console.WriteLine();
        Console.WriteLine($"Generate all four networks, cold (first run in the process, includes JIT of the generator): {cold.TotalMilliseconds:F1} ms");
        Console.WriteLine($"Generate all four networks, warm (fresh driver, {Runs} runs after 5 warm-ups): median {times[Runs / 2]:F1} ms, min {times[0]:F1} ms, max {times[^1]:F1} ms");
        Console.WriteLine();
        Console.WriteLine("| Generated file | Lines | Size (UTF-8 bytes) |");
        Console.WriteLine("|---|---:|---:|");
        bool ok = true;
        foreach (GeneratedSourceResult generated in run.GeneratedSources)
        {
            string text = generated.SourceText.ToString();
            int bytes = Encoding.UTF8.GetByteCount(text);
            int lines = generated.SourceText.Lines.Count;
            Console.WriteLine($"| {generated.HintName} | {lines:N0} | {bytes:N0} ({bytes / 1024.0:F1} KB) |");
            if (generated.HintName.Contains("VggNet", StringComparison.Ordinal) && bytes >= 300 * 1024)
            {
                ok = false;
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Diagnostics: {(run.Diagnostics.IsEmpty ? "none" : string.Join("; ", run.Diagnostics.Select(d => $"{d.Id} {d.GetMessage()}")))}");

        // Compile the generated code once (not timed) to be sure what we measured builds.
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Console.WriteLine($"Generated code compiles: {(errors.Count == 0 ? "yes" : $"no, {errors.Count} errors, first: {errors[0]}")}");
        Console.WriteLine();

        // An unrelated edit: change a method body in another file and rerun the same driver.
        SyntaxTree edited = unrelated.WithChangedText(SourceText.From(unrelated.ToString().Replace("42", "43", StringComparison.Ordinal), Encoding.UTF8));
        CSharpCompilation afterEdit = compilation.ReplaceSyntaxTree(unrelated, edited);
        start = Stopwatch.GetTimestamp();
        GeneratorDriver rerun = driver.RunGenerators(afterEdit);
        TimeSpan incremental = Stopwatch.GetElapsedTime(start);
        var (regenerated, total, reports) = Regenerated(rerun.GetRunResult());
        Console.WriteLine($"Unrelated edit (method body in another file), same driver: {incremental.TotalMilliseconds:F1} ms, {regenerated} of {total} generated files regenerated" +
                          $" ({reports} diagnostic report(s) re-run)");
        if (regenerated != 0)
        {
            ok = false;
        }

        // Control: editing one network must regenerate that network only.
        SyntaxTree changedNetwork = networks.WithChangedText(SourceText.From(source.Replace("[Conv(5, 5, 10)]", "[Conv(5, 5, 12)]", StringComparison.Ordinal), Encoding.UTF8));
        start = Stopwatch.GetTimestamp();
        GeneratorDriver control = rerun.RunGenerators(afterEdit.ReplaceSyntaxTree(networks, changedNetwork));
        TimeSpan controlTime = Stopwatch.GetElapsedTime(start);
        var (controlRegenerated, controlTotal, controlReports) = Regenerated(control.GetRunResult());
        Console.WriteLine($"Control: edit of network 1's Conv (10 → 12 filters): {controlTime.TotalMilliseconds:F1} ms, {controlRegenerated} of {controlTotal} generated files regenerated" +
                          $" ({controlReports} diagnostic report(s) re-run)");
        Console.WriteLine();
        Console.WriteLine(ok ? "Targets met: network 4's source < 300 KB, an unrelated edit regenerates nothing." : "TARGET MISSED (see above).");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// Source outputs that ran as New or Modified: generated files (outputs fed by the generator's
    /// <c>CnnGen.Plan</c> step) and diagnostic reports (every other output).
    /// </summary>
    private static (int Files, int Total, int DiagnosticReports) Regenerated(GeneratorDriverRunResult result)
    {
        GeneratorRunResult run = result.Results.Single();
        int files = 0, reports = 0;
        foreach (IncrementalGeneratorRunStep step in run.TrackedOutputSteps.SelectMany(s => s.Value))
        {
            bool ran = step.Outputs.Any(o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified);
            // Source files are emitted from the network plan; other outputs (fed by the diagnostics
            // pipeline, named or not) only report diagnostics.
            bool diagnostics = !step.Inputs.Any(i => i.Source.Name?.Contains("Plan", StringComparison.Ordinal) == true);
            if (Environment.GetEnvironmentVariable("CNNGEN_TRACE_STEPS") == "1")
            {
                Console.WriteLine($"  output step fed by {string.Join(", ", step.Inputs.Select(i => i.Source.Name))}: {string.Join(", ", step.Outputs.Select(o => o.Reason))}");
            }
            if (ran)
            {
                if (diagnostics)
                {
                    reports++;
                }
                else
                {
                    files++;
                }
            }
        }
        return (files, run.GeneratedSources.Length, reports);
    }

    private static string Describe(object? value)
    {
        string text = value?.ToString() ?? "null";
        return text.Length > 60 ? text[..60] : text;
    }

    /// <summary>Reads a file embedded in this program.</summary>
    internal static string ReadEmbedded(string name)
    {
        using Stream stream = typeof(CompileCost).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
