using System;
using System.IO;
using System.Linq;
using CnnGen.Tool;
using Xunit;
using static CnnGen.Onnx.Tests.ModelBuilder;

namespace CnnGen.Onnx.Tests;

/// <summary><c>cnngen import</c>: both files or neither, a report, and errors without stack traces.</summary>
public sealed class ToolTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cnngen-tool-" + Guid.NewGuid().ToString("N"));

    public ToolTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (int Code, string Out, string Err) Run(string model, string? name = null, string? ns = null, string? output = null, bool embed = true)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ImportCommand.Run(new FileInfo(model), new DirectoryInfo(output ?? Path.Combine(_dir, "out")), name, ns, stdout, stderr, embed);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Write(string fileName, byte[] bytes)
    {
        string path = Path.Combine(_dir, fileName);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ImportsLeNetIntoSourceWeightsAndReport()
    {
        string model = Path.Combine(Paths.RepositoryRoot, "samples", "Mnist", "Model", "lenet.onnx");
        (int code, string stdout, string stderr) = Run(model, "LeNet", "Mnist.Models");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        string outDir = Path.Combine(_dir, "out");
        Assert.Equal(new[] { "LeNet.cs", "LeNet.weights" }, Directory.GetFiles(outDir).Select(f => Path.GetFileName(f)).Order());
        Assert.Equal(File.ReadAllBytes(Path.Combine(Paths.RepositoryRoot, "samples", "Mnist", "Model", "lenet.weights")), File.ReadAllBytes(Path.Combine(outDir, "LeNet.weights")));
        string source = File.ReadAllText(Path.Combine(outDir, "LeNet.cs"));
        Assert.Contains("namespace Mnist.Models;", source);
        Assert.Contains("public partial class LeNet", source);
        Assert.Contains("Fc1       7×7×16    1×1×64    50,240     50,176  /fc1/Gemm (Gemm)", stdout);
        Assert.Contains("54,314 parameters (217,256 bytes of float32)", stdout);
    }

    [Fact]
    public void GeneratedSourceCompilesAndRunsWithItsWeightsFile()
    {
        var b = new ModelBuilder([1, 1, 6, 6]);
        b.Add("Conv", [b.Initializer("w", [2, 1, 3, 3], Values(1, 18)), b.Initializer("bias", [2], [0.1f, -0.2f])]);
        b.Add("Relu");
        b.Add("Flatten");
        b.Add("Gemm", [b.Initializer("B", [3, 32], Values(2, 96))], Int("transB", 1));
        string model = Write("small.onnx", b.Bytes());
        Assert.Equal(0, Run(model, ns: "Tool.Test", embed: false).Code);
        string source = File.ReadAllText(Path.Combine(_dir, "out", "Small.cs"));
        Assert.Contains("\n[Network]\n", source);
        using var compiled = TestSupport.GeneratorHarness.Compile([source], ["Tool.Test.Small"]);
        int count = compiled.Constant("Tool.Test.Small", "ParameterCount");
        float[] weights = NetworkParameters.ReadFile(Path.Combine(_dir, "out", "Small.weights"), count);
        INetwork net = compiled.Create("Tool.Test.Small", weights);
        float[] input = Values(3, 36);
        using var ort = new OnnxRuntimeModel(File.ReadAllBytes(model));
        Assert.Null(Tolerance.Compare(GeneratedCode.Forward(net, input), ort.Run(input, [1, 1, 6, 6])));
    }

    [Fact]
    public void DeclaresItsWeightsFileSoTheBuildEmbedsIt()
    {
        var b = new ModelBuilder([1, 1, 6, 6]);
        b.Add("Conv", [b.Initializer("w", [2, 1, 3, 3], Values(1, 18))]);
        (int code, string stdout, _) = Run(Write("small.onnx", b.Bytes()));
        Assert.Equal(0, code);
        Assert.Contains("Add <AdditionalFiles Include=\"Small.weights\" /> to the project", stdout);
        string source = File.ReadAllText(Path.Combine(_dir, "out", "Small.cs"));
        Assert.Contains("\n[Network(Weights = \"Small.weights\")]", source);

        // The generator, given the weights file as MSBuild hands it over, accepts it and adds the parameterless constructor.
        string weights = Path.Combine(_dir, "out", "Small.weights");
        var driver = TestSupport.GeneratorHarness.CreateDriver(
            null,
            [new TestSupport.InMemoryAdditionalText(weights)],
            new TestSupport.AdditionalFileOptions(new System.Collections.Generic.Dictionary<string, System.Collections.Generic.IReadOnlyDictionary<string, string>>
            {
                [weights] = new System.Collections.Generic.Dictionary<string, string> { ["build_metadata.AdditionalFiles.CnnGenByteLength"] = new FileInfo(weights).Length.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            }));
        TestSupport.GeneratorRun run = TestSupport.GeneratorHarness.Run(driver, TestSupport.GeneratorHarness.CreateCompilation([source]));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(run.GeneratedSources, g => g.SourceText.ToString().Contains("public Small()", StringComparison.Ordinal));
    }

    [Fact]
    public void UnsupportedModelWritesNothingAndNamesTheNode()
    {
        var b = new ModelBuilder([1, 3, 4, 5]);
        b.Add("Softmax", null, Int("axis", 2));
        string model = Write("bad.onnx", b.Bytes());
        (int code, string stdout, string stderr) = Run(model);
        Assert.Equal(ImportCommand.ImportFailed, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: bad.onnx: node 'softmax0' (Softmax), attribute 'axis': softmax over axis 2", stderr);
        Assert.EndsWith("No files were written." + Environment.NewLine, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public void CorruptFileWritesNothing()
    {
        var b = new ModelBuilder([1, 4]);
        b.Add("Relu");
        byte[] bytes = b.Bytes();
        string model = Write("cut.onnx", bytes.AsSpan(0, bytes.Length / 2).ToArray());
        string outDir = Path.Combine(_dir, "existing");
        Directory.CreateDirectory(outDir);
        (int code, _, string stderr) = Run(model, output: outDir);
        Assert.Equal(ImportCommand.ImportFailed, code);
        Assert.StartsWith("error: cut.onnx: 'cut.onnx' is not a valid ONNX model (it may be truncated or corrupt)", stderr);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
    }

    [Fact]
    public void MissingFileIsAClearError()
    {
        (int code, _, string stderr) = Run(Path.Combine(_dir, "nope.onnx"));
        Assert.Equal(ImportCommand.ImportFailed, code);
        Assert.StartsWith("error: nope.onnx: Cannot read '", stderr);
    }

    [Fact]
    public void InvalidClassNameIsRejectedBeforeReading()
    {
        (int code, _, string stderr) = Run(Path.Combine(_dir, "x.onnx"), name: "class");
        Assert.Equal(ImportCommand.BadArguments, code);
        Assert.Equal("error: 'class' is not a valid C# class name; pass one with --name." + Environment.NewLine, stderr);
    }

    [Fact]
    public void NanWeightsWarnOnStandardError()
    {
        var b = new ModelBuilder([1, 2]);
        b.Add("Gemm", [b.Initializer("B", [1, 2], [float.NaN, 1])], Int("transB", 1));
        (int code, _, string stderr) = Run(Write("nan.onnx", b.Bytes()));
        Assert.Equal(0, code);
        Assert.Equal("warning: Fc1 (from gemm0 (Gemm)) has 1 NaN and 0 infinite parameter(s) of 3: its outputs will be NaN or infinite." + Environment.NewLine, stderr);
    }
}
