using System;
using System.IO;
using System.Linq;
using CnnGen.Tool;
using Xunit;

namespace CnnGen.Onnx.Tests;

/// <summary>The <c>cnngen</c> command line: its name in help, exit code 2 for usage errors, clear messages, both files or neither.</summary>
public sealed class ToolCliTests : IDisposable
{
    private static readonly string LeNetModel = Path.Combine(Paths.RepositoryRoot, "samples", "Mnist", "Model", "lenet.onnx");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cnngen-cli-" + Guid.NewGuid().ToString("N"));

    public ToolCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CnnGen.Tool.Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void HelpNamesTheCommandCnngenAndListsExitCodes()
    {
        (int code, string stdout, _) = Cli("--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:" + Environment.NewLine + "  cnngen [command] [options]", stdout);
        Assert.Contains("Exit codes: 0 success, 1 the input cannot be read or imported, 2 wrong arguments, 3 the output cannot be written.", stdout);
        Assert.Contains("import <model>", stdout);
        Assert.Contains("diagram <input>", stdout);
        Assert.Contains("cnngen import <model> [options]", Cli("import", "--help").Out);
    }

    [Theory]
    [InlineData(new string[0], "error: Required command was not provided.", "cnngen --help")]
    [InlineData(new[] { "import" }, "error: Required argument missing for command: 'import'.", "cnngen import --help")]
    [InlineData(new[] { "import", "m.onnx", "--bogus" }, "error: Unrecognized command or argument '--bogus'.", "cnngen import --help")]
    [InlineData(new[] { "diagram", "a.onnx", "b.onnx" }, "error: Unrecognized command or argument 'b.onnx'.", "cnngen diagram --help")]
    public void UsageErrorsExitWithTwoAndPointToHelp(string[] args, string message, string help)
    {
        (int code, string stdout, string stderr) = Cli(args);
        Assert.Equal(ImportCommand.BadArguments, code);
        Assert.Equal("", stdout);
        Assert.StartsWith(message + Environment.NewLine, stderr);
        Assert.EndsWith($"Run '{help}' for usage." + Environment.NewLine, stderr);
    }

    [Fact]
    public void NoEmbedWeightsWritesAPlainNetworkAttribute()
    {
        var b = new ModelBuilder([1, 4]);
        b.Add("Relu");
        string model = Path.Combine(_dir, "relu.onnx");
        File.WriteAllBytes(model, b.Bytes());
        Assert.Equal(0, Cli("import", model, "-o", _dir).Code);
        Assert.Contains("\n[Network(Weights = \"Relu.weights\")]", File.ReadAllText(Path.Combine(_dir, "Relu.cs")));
        Assert.Equal(0, Cli("import", model, "-o", _dir, "--no-embed-weights").Code);
        Assert.Contains("\n[Network]\n", File.ReadAllText(Path.Combine(_dir, "Relu.cs")));
    }

    [Fact]
    public void UnknownCommandExitsWithTwo()
    {
        (int code, _, string stderr) = Cli("frobnicate");
        Assert.Equal(ImportCommand.BadArguments, code);
        Assert.Contains("error: Unrecognized command or argument 'frobnicate'.", stderr);
    }

    [Fact]
    public void DirectoryAsModelSaysSo()
    {
        (int code, _, string stderr) = Cli("import", _dir);
        Assert.Equal(ImportCommand.BadArguments, code);
        Assert.Equal($"error: '{_dir}' is a directory; give the .onnx model file." + Environment.NewLine, stderr);

        string folder = Path.Combine(_dir, "model.onnx");
        Directory.CreateDirectory(folder);
        (code, _, stderr) = Cli("diagram", folder);
        Assert.Equal(ImportCommand.BadArguments, code);
        Assert.Contains("is a directory; give an .onnx model or a built .dll.", stderr);
    }

    [Fact]
    public void ExistingFileAsOutputDirectorySaysSo()
    {
        string file = Path.Combine(_dir, "taken");
        File.WriteAllText(file, "keep me");
        (int code, string stdout, string stderr) = Cli("import", LeNetModel, "-o", file);
        Assert.Equal(ImportCommand.BadArguments, code);
        Assert.Equal("", stdout);
        Assert.Equal($"error: the output directory '{file}' is an existing file; give a folder with --output." + Environment.NewLine, stderr);
        Assert.Equal("keep me", File.ReadAllText(file));
    }

    [Fact]
    public void WhenTheSourceCannotBeWrittenTheOldWeightsStay()
    {
        string outDir = Path.Combine(_dir, "out");
        Directory.CreateDirectory(Path.Combine(outDir, "LeNet.cs")); // a folder where the .cs should go
        File.WriteAllBytes(Path.Combine(outDir, "LeNet.weights"), [1, 2, 3, 4]);
        (int code, _, string stderr) = Cli("import", LeNetModel, "-o", outDir, "--name", "LeNet");
        Assert.Equal(ImportCommand.WriteFailed, code);
        Assert.Contains("LeNet.cs' is a directory", stderr);
        Assert.EndsWith("No files were changed." + Environment.NewLine, stderr);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, File.ReadAllBytes(Path.Combine(outDir, "LeNet.weights")));
        Assert.Equal(new[] { "LeNet.cs", "LeNet.weights" }, Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void WhenTheSourceCannotBeWrittenNoWeightsAppear()
    {
        string outDir = Path.Combine(_dir, "fresh");
        Directory.CreateDirectory(Path.Combine(outDir, "LeNet.cs"));
        Assert.Equal(ImportCommand.WriteFailed, Cli("import", LeNetModel, "-o", outDir, "--name", "LeNet").Code);
        Assert.Equal(new[] { "LeNet.cs" }, Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName));
    }

    [Fact]
    public void ImportingAgainReplacesBothFilesAndLeavesNothingElse()
    {
        string outDir = Path.Combine(_dir, "again");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "LeNet.cs"), "old");
        File.WriteAllBytes(Path.Combine(outDir, "LeNet.weights"), [9]);
        (int code, _, string stderr) = Cli("import", LeNetModel, "-o", outDir, "--name", "LeNet");
        Assert.True(code == 0, stderr);
        Assert.Equal(new[] { "LeNet.cs", "LeNet.weights" }, Directory.GetFileSystemEntries(outDir).Select(Path.GetFileName).Order());
        Assert.Contains("public partial class LeNet", File.ReadAllText(Path.Combine(outDir, "LeNet.cs")));
        Assert.Equal(217_256, new FileInfo(Path.Combine(outDir, "LeNet.weights")).Length);
    }

    [Fact]
    public void ToolRollsForwardToNewerRuntimes()
    {
        string config = Path.Combine(AppContext.BaseDirectory, "CnnGen.Tool.runtimeconfig.json");
        Assert.True(File.Exists(config), $"{config} is missing (the test project copies the tool's build output)");
        Assert.Contains("\"rollForward\": \"Major\"", File.ReadAllText(config));
    }
}
