using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using CnnGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnGen.Benchmarks;

/// <summary>
/// The <c>model-cost</c> mode: what each model costs as code (issue 11's "cost of the code"). For every model of
/// <see cref="ModelCatalog"/>: the generated source's size, the generator's time on that model alone (in-process
/// <see cref="CSharpGeneratorDriver"/>, median of 5 runs after a warm-up, as a build would pay it), and the first
/// <c>Forward</c>'s latency in a fresh process (<c>first-run model &lt;id&gt;</c>: JIT compilation of every kernel
/// included), with the target of a full-width ResNet-18 at 224×224 checked: under 1.5 MB of source, first call
/// under 300 ms.
/// </summary>
public static class ModelCost
{
    private const int Runs = 5;

    /// <summary>Runs the measurement and prints a table; returns 1 if the ResNet-18 target is missed.</summary>
    public static int Run()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var references = CompileCost.References();
        Console.WriteLine("| Model | Generated source | Generator time (median of 5, warm) | First Forward, fresh process (create + first call) |");
        Console.WriteLine("|---|---:|---:|---:|");
        bool ok = true;
        foreach (NetworkCase model in ModelCatalog.Full.Concat(ModelCatalog.Reduced))
        {
            string file = SourceFileOf(model);
            SyntaxTree tree = CSharpSyntaxTree.ParseText(CompileCost.ReadEmbedded(file), parse, path: file, encoding: Encoding.UTF8);
            CSharpCompilation compilation = CSharpCompilation.Create("ModelCost", [tree], references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            GeneratorDriver Driver() => CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: parse);
            GeneratorRunResult run = Driver().RunGenerators(compilation).GetRunResult().Results.Single(); // warm-up
            var times = new double[Runs];
            for (int i = 0; i < Runs; i++)
            {
                long start = Stopwatch.GetTimestamp();
                Driver().RunGenerators(compilation);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(times);
            long bytes = run.GeneratedSources.Sum(g => (long)Encoding.UTF8.GetByteCount(g.SourceText.ToString()));
            string firstCall = FirstCallInChild(model.Id, out double firstMs);
            Console.WriteLine($"| {model.Id} | {bytes / 1024.0 / 1024.0:F2} MB | {times[Runs / 2]:F0} ms | {firstCall} |");
            if (model.Id == "resnet18@224" && (bytes >= 1.5 * 1024 * 1024 || !(firstMs < 300)))
            {
                ok = false;
            }
        }
        Console.WriteLine();
        Console.WriteLine($"ResNet-18 at 224×224: under 1.5 MB of source and first Forward under 300 ms: {(ok ? "met" : "NOT met")}.");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// The embedded declaration file of a model, named as the imports name their classes: <c>resnet18@224</c> →
    /// <c>FullModels/FullResnet18.cs</c>, <c>shufflenet_v2_x0_5@64-reduced</c> → <c>Models/ModelShufflenetV2X05.cs</c>.
    /// </summary>
    private static string SourceFileOf(NetworkCase model)
    {
        string[] idParts = model.Id.Split('@');
        string pascal = string.Concat(idParts[0].Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        return idParts[1] == "224" ? $"FullModels/Full{pascal}.cs" : $"Models/Model{pascal}.cs";
    }

    private static string FirstCallInChild(string id, out double firstMs)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ModelCost).Assembly.Location); // run as `dotnet CnnGen.Benchmarks.dll`, not the app host
        }
        start.ArgumentList.Add("first-run");
        start.ArgumentList.Add("model:" + id);
        using Process child = Process.Start(start)!;
        string line = child.StandardOutput.ReadToEnd().Trim();
        child.WaitForExit();
        // "model:<id>: create X ms + first inference Y ms = Z ms; ..."
        int at = line.IndexOf("first inference ", StringComparison.Ordinal);
        firstMs = at < 0 ? double.NaN : double.Parse(line[(at + 16)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        int colon = line.IndexOf(": ", StringComparison.Ordinal);
        return child.ExitCode == 0 && colon >= 0 ? line[(colon + 2)..line.IndexOf(';', StringComparison.Ordinal)] : $"failed: {line}";
    }
}
