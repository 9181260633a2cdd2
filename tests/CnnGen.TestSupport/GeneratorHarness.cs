using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CnnGen.TestSupport;

/// <summary>
/// Runs the CnnGen generator the way a compiler would (a <see cref="CSharpGeneratorDriver"/> over an
/// in-memory compilation against the .NET 8 reference assemblies and the CnnGen runtime), and
/// compiles, loads and instantiates what it generates.
/// </summary>
public static class GeneratorHarness
{
    /// <summary>
    /// C# 12: the language of the oldest compiler the generator supports (Roslyn 4.8, .NET 8 SDK).
    /// Generated code must compile there, not only with the newest compiler.
    /// </summary>
    public static CSharpParseOptions ParseOptions { get; } = new CSharpParseOptions(LanguageVersion.CSharp12);

    /// <summary>The usual header of test sources.</summary>
    public const string Usings = "using System;\nusing CnnGen;\n";

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(BuildReferences);

    /// <summary>.NET 8 reference assemblies, the CnnGen runtime and whatever the runtime depends on outside the framework.</summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    private static ImmutableArray<MetadataReference> BuildReferences()
    {
        string directory = typeof(GeneratorHarness).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Net80ReferenceDirectory").Value!;
        string[] framework = Directory.GetFiles(directory, "*.dll");
        if (framework.Length < 100)
        {
            throw new InvalidOperationException($"No .NET 8 reference assemblies in {directory}: restore the test projects.");
        }
        var references = framework.Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToList();
        Assembly runtime = typeof(INetwork).Assembly;
        references.Add(MetadataReference.CreateFromFile(runtime.Location));
        // Packages the runtime uses (e.g. System.Numerics.Tensors) sit next to the test assembly.
        var frameworkNames = new HashSet<string>(framework.Select(Path.GetFileNameWithoutExtension)!, StringComparer.OrdinalIgnoreCase);
        // Generated code calls into packages the runtime depends on (TensorPrimitives) that the runtime itself may not
        // reference in metadata; a .NET 8 user project gets their net8.0 assets transitively from the CnnGen package.
        string packages = typeof(GeneratorHarness).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Net80PackageDirectories").Value!;
        foreach (string packageDirectory in packages.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string file in Directory.GetFiles(packageDirectory, "*.dll"))
            {
                if (!frameworkNames.Contains(Path.GetFileNameWithoutExtension(file)))
                {
                    references.Add(MetadataReference.CreateFromFile(file));
                }
            }
        }
        return references.ToImmutableArray();
    }

    /// <summary>Creates the generator under test (a fresh instance each time, as each compiler run would).</summary>
    public static IIncrementalGenerator CreateGenerator()
    {
        Type? type = GeneratorAssembly.GetType("CnnGen.Generator.NetworkGenerator", throwOnError: false);
        if (type is null)
        {
            throw new InvalidOperationException("CnnGen.Generator.NetworkGenerator does not exist (yet) in " + GeneratorAssembly.Location);
        }
        return (IIncrementalGenerator)Activator.CreateInstance(type)!;
    }

    /// <summary>The generator assembly as a normal reference of the test projects.</summary>
    public static Assembly GeneratorAssembly { get; } = Assembly.Load("CnnGen.Generator");

    /// <summary>A compilation of <paramref name="sources"/> (file names <c>Source0.cs</c>, …) against <see cref="References"/>.</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, bool allowUnsafe = false, string assemblyName = "CnnGenTests")
    {
        SyntaxTree[] trees = sources
            .Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs", encoding: Encoding.UTF8))
            .ToArray();
        return CSharpCompilation.Create(
            assemblyName,
            trees,
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                allowUnsafe: allowUnsafe,
                optimizationLevel: OptimizationLevel.Release,
                deterministic: true));
    }

    /// <summary>A driver for the generator that records every pipeline step (for incremental tests).</summary>
    public static GeneratorDriver CreateDriver(IIncrementalGenerator? generator = null) => CreateDriver(generator, null, null);

    /// <summary>A driver that also sees <paramref name="additionalTexts"/> with their MSBuild metadata <paramref name="options"/>.</summary>
    public static GeneratorDriver CreateDriver(IIncrementalGenerator? generator, IEnumerable<AdditionalText>? additionalTexts, Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider? options) =>
        CSharpGeneratorDriver.Create(
            new[] { (generator ?? CreateGenerator()).AsSourceGenerator() },
            additionalTexts,
            ParseOptions,
            options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(params string[] sources) => Run(sources, allowUnsafe: false);

    /// <summary>Runs the generator once over <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(IEnumerable<string> sources, bool allowUnsafe)
    {
        CSharpCompilation compilation = CreateCompilation(sources, allowUnsafe);
        return Run(CreateDriver(), compilation);
    }

    /// <summary>Runs <paramref name="driver"/> over <paramref name="compilation"/> (keep the returned driver for a next, incremental run).</summary>
    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);
        return new GeneratorRun(compilation, output, driver, driver.GetRunResult(), driverDiagnostics);
    }

    /// <summary>
    /// Generates, compiles and loads <paramref name="sources"/>, requiring no generator error and no compiler
    /// warning or error (highest warning level) in the result. <paramref name="networkTypes"/> are the full names of
    /// the network classes to make constructible through <see cref="CompiledNetworks.Create"/>.
    /// </summary>
    public static CompiledNetworks Compile(IEnumerable<string> sources, IEnumerable<string> networkTypes, bool allowUnsafe = false, bool implicitUsings = false)
    {
        string[] names = networkTypes.ToArray();
        var all = sources.Append(FactorySource(names)).ToList();
        if (implicitUsings)
        {
            all.Add(ImplicitUsingsSource);
        }
        GeneratorRun run = Run(all, allowUnsafe);
        run.ThrowIfGeneratorFailed();
        Diagnostic[] errors = run.GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            throw new InvalidOperationException("The generator reported errors:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        }
        return run.Load();
    }

    /// <summary>
    /// The global usings the .NET SDK adds to a project with <c>&lt;ImplicitUsings&gt;enable&lt;/ImplicitUsings&gt;</c>
    /// (the default of <c>dotnet new classlib</c>/<c>console</c>). Generated code must not need them, but tests of
    /// numerical behaviour may compile as such a project does.
    /// </summary>
    public const string ImplicitUsingsSource = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    /// <summary>Name of the factory class <see cref="FactorySource"/> emits.</summary>
    public const string FactoryType = "CnnGenTestSupport.NetworkFactory";

    /// <summary>
    /// The constructor of a generated network takes a <see cref="ReadOnlySpan{T}"/>, which reflection cannot pass;
    /// this small class calls it for the tests.
    /// </summary>
    public static string FactorySource(IEnumerable<string> networkTypes)
    {
        var b = new StringBuilder();
        b.AppendLine("namespace CnnGenTestSupport");
        b.AppendLine("{");
        b.AppendLine("    public static class NetworkFactory");
        b.AppendLine("    {");
        b.AppendLine("        public static global::CnnGen.INetwork Create(string name, float[] parameters)");
        b.AppendLine("        {");
        b.AppendLine("            switch (name)");
        b.AppendLine("            {");
        foreach (string type in networkTypes)
        {
            b.AppendLine($"                case \"{type}\": return new global::{type}(parameters);");
        }
        b.AppendLine("                default: throw new global::System.ArgumentException(\"Unknown network \" + name, nameof(name));");
        b.AppendLine("            }");
        b.AppendLine("        }");
        b.AppendLine("    }");
        b.AppendLine("}");
        return b.ToString();
    }
}
