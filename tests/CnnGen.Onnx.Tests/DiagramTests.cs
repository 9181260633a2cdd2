using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using CnnGen.Tool;
using CnnGen.Tool.Diagram;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CnnGen.Onnx.Tests;

/// <summary>
/// <c>cnngen diagram</c>: the SVG is XML, renders with a real renderer (librsvg's rsvg-convert) to a
/// PNG of sane size, and its labels are the network's layers; the README's diagrams are up to date.
/// </summary>
public sealed class DiagramTests : IDisposable
{
    /// <summary>The README's first example.</summary>
    public const string TinyNetSource = """
        using CnnGen;

        [Network]
        [Input(32, 32, 3)]
        [Conv(5, 5, 10)]
        [Relu]
        [MaxPool(2, 2, Stride = 2)]
        [FullyConnected(10)]
        [Softmax]
        public partial class TinyNet { }
        """;

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cnngen-diagram-" + Guid.NewGuid().ToString("N"));

    public DiagramTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>TinyNet compiled by the generator into a .dll on disk, as a user's build would leave it.</summary>
    private string BuildTinyNetAssembly()
    {
        TestSupport.GeneratorRun run = TestSupport.GeneratorHarness.Run(TinyNetSource);
        string path = Path.Combine(_dir, "TinyNetApp.dll");
        Microsoft.CodeAnalysis.Emit.EmitResult result = run.Output.WithAssemblyName("TinyNetApp").Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return path;
    }

    private static IReadOnlyList<LayerInfo> TinyNetLayers()
    {
        using var compiled = TestSupport.GeneratorHarness.Compile([TinyNetSource], []);
        return (IReadOnlyList<LayerInfo>)compiled.StaticProperty("TinyNet", "Layers")!;
    }

    private static IReadOnlyList<LayerInfo> LeNetLayers() =>
        OnnxImporter.ImportFile(Path.Combine(Paths.RepositoryRoot, "samples", "Mnist", "Model", "lenet.onnx")).Layers;

    /// <summary>A small residual graph with a branch and a concat: Inputs name non-previous layers.</summary>
    internal static IReadOnlyList<LayerInfo> ResidualLayers()
    {
        Shape x = new(16, 16, 16), half = new(8, 8, 32), halfWide = new(8, 8, 64);
        LayerInfo Conv(string name, Shape input, Shape output, string from, int k = 3, int stride = 1) => new(LayerType.Conv, name, input, output)
        {
            Inputs = [from], KernelWidth = k, KernelHeight = k, StrideX = stride, StrideY = stride,
            PadLeft = k / 2, PadTop = k / 2, PadRight = k / 2, PadBottom = k / 2,
            ParameterCount = output.Depth * (input.Depth * k * k + 1),
            MultiplyAdds = (long)output.Length * input.Depth * k * k,
        };
        LayerInfo Op(LayerType type, string name, Shape input, Shape output, params string[] from) => new(type, name, input, output) { Inputs = from };
        return
        [
            Conv("Conv1", new Shape(32, 32, 3), x, "Input", stride: 2),
            Op(LayerType.Relu, "Relu1", x, x, "Conv1"),
            Conv("Conv2", x, x, "Relu1"),
            Op(LayerType.Relu, "Relu2", x, x, "Conv2"),
            Conv("Conv3", x, x, "Relu2"),
            Op(LayerType.Add, "Add1", x, x, "Conv3", "Relu1"),
            Op(LayerType.Relu, "Relu3", x, x, "Add1"),
            Conv("Conv4", x, half, "Relu3", stride: 2),
            Op(LayerType.Relu, "Relu4", half, half, "Conv4"),
            Conv("Conv5", half, half, "Relu4"),
            Conv("Conv6", x, half, "Relu3", k: 1, stride: 2),
            Op(LayerType.Add, "Add2", half, half, "Conv5", "Conv6"),
            Op(LayerType.Relu, "Relu5", half, half, "Add2"),
            Conv("Conv7", half, half, "Relu5", k: 1),
            Op(LayerType.Concat, "Concat1", half, halfWide, "Relu5", "Conv7"),
            new LayerInfo(LayerType.AvgPool, "AvgPool1", halfWide, new Shape(1, 1, 64)) { Inputs = ["Concat1"], KernelWidth = 8, KernelHeight = 8, StrideX = 8, StrideY = 8 },
            new LayerInfo(LayerType.FullyConnected, "Fc1", new Shape(1, 1, 64), new Shape(1, 1, 10)) { Inputs = ["AvgPool1"], ParameterCount = 650, MultiplyAdds = 640 },
            Op(LayerType.Softmax, "Softmax1", new Shape(1, 1, 10), new Shape(1, 1, 10), "Fc1"),
        ];
    }

    /// <summary>Every text of the SVG (it must parse as XML).</summary>
    private static string[] Texts(string svg) =>
        XDocument.Parse(svg).Descendants(Svg + "text").Select(t => t.Value).ToArray();

    private static void AssertLabelsMatch(string svg, IReadOnlyList<LayerInfo> layers)
    {
        string[] texts = Texts(svg);
        string all = string.Join("\n", texts);
        foreach (LayerInfo l in layers)
        {
            Assert.Contains(texts, t => t.Split(" + ").Contains(l.Name));
            Assert.Contains(l.Output.ToString(), texts);
            if (l.ParameterCount > 0)
            {
                Assert.Contains($"{l.ParameterCount:N0} params", all);
            }
            if (l.Type is LayerType.Conv or LayerType.MaxPool or LayerType.AvgPool)
            {
                Assert.Contains($"{l.KernelWidth}×{l.KernelHeight}", all);
                Assert.Contains($"stride {l.StrideX}", all);
            }
        }
        Assert.Contains($"{layers.Sum(l => (long)l.ParameterCount):N0} parameters · {layers.Sum(l => l.MultiplyAdds):N0} multiply-adds", all);
    }

    /// <summary>Renders with rsvg-convert and returns the PNG's width and height.</summary>
    private (int Width, int Height) Render(string svgPath)
    {
        string png = Path.ChangeExtension(svgPath, ".png");
        ProcessStartInfo start = new("rsvg-convert") { RedirectStandardError = true };
        foreach (string a in new[] { svgPath, "-o", png })
        {
            start.ArgumentList.Add(a);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("rsvg-convert is not installed: the diagram tests render SVGs with it (Debian: apt-get install librsvg2-bin; .ci/run installs it).");
            throw;
        }
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "rsvg-convert failed: " + error);
        Assert.Equal("", error);
        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void DrawsTheNetworkOfABuiltAssembly()
    {
        string dll = BuildTinyNetAssembly();
        string svgPath = Path.Combine(_dir, "tiny.svg");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Run(["diagram", dll, "-o", svgPath], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        Assert.Equal($"Wrote {svgPath}" + Environment.NewLine, stdout.ToString());
        string svg = File.ReadAllText(svgPath);
        AssertLabelsMatch(svg, TinyNetLayers());
        Assert.Contains("20,370 parameters · 607,600 multiply-adds", svg);
        (int width, int height) = Render(svgPath);
        Assert.InRange(width, 400, 1400);
        Assert.InRange(height, 150, 1000);
    }

    [Fact]
    public void DrawsAnOnnxModel()
    {
        string svgPath = Path.Combine(_dir, "lenet.svg");
        var stderr = new StringWriter();
        int code = Cli.Run(["diagram", Path.Combine(Paths.RepositoryRoot, "samples", "Mnist", "Model", "lenet.onnx"), "-o", svgPath], new StringWriter(), stderr);
        Assert.True(code == 0, stderr.ToString());
        AssertLabelsMatch(File.ReadAllText(svgPath), LeNetLayers());
        (int width, int height) = Render(svgPath);
        Assert.InRange(width, 400, 1400);
        Assert.InRange(height, 150, 1200);
    }

    [Fact]
    public void DrawsBranchesAndMergesAsArcs()
    {
        IReadOnlyList<LayerInfo> layers = ResidualLayers();
        string svg = NetworkDiagram.ToSvg("ResidualNet", layers);
        AssertLabelsMatch(svg, layers);
        // Arcs for the inputs that are not the volume drawn just before: Relu1 → Add1 (the identity
        // shortcut), Relu3 → Conv6 (the projection branch), Conv5 → Add2, Relu5 → Concat1.
        XElement[] skips = XDocument.Parse(svg).Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "skip").ToArray();
        Assert.Equal(4, skips.Length);
        string path = Path.Combine(Environment.GetEnvironmentVariable("CNNGEN_DIAGRAM_DIR") ?? _dir, "residual.svg");
        File.WriteAllText(path, svg);
        (int width, int height) = Render(path);
        Assert.InRange(width, 400, 1400);
        Assert.InRange(height, 150, 1400);
    }

    /// <summary>Every torchvision fixture (every layer kind the importer produces) draws, parses and renders, with its kernels named.</summary>
    [Theory]
    [MemberData(nameof(TorchvisionModels))]
    public void DrawsEveryTorchvisionModel(string model)
    {
        IReadOnlyList<LayerInfo> layers = OnnxImporter.ImportFile(TorchvisionModelTests.PathOf(model, "64x64")).Layers;
        string svg = NetworkDiagram.ToSvg(model, layers);
        AssertLabelsMatch(svg, layers);
        string all = string.Join("\n", Texts(svg));
        if (layers.Any(l => l.Type == LayerType.Conv && l.Groups > 1 && l.Groups == l.Input.Depth))
        {
            Assert.Contains("depthwise conv 3×3", all);
        }
        if (layers.Any(l => l.Type == LayerType.ConvTranspose))
        {
            Assert.Contains("transposed conv 2×2", all);
        }
        if (layers.Any(l => l.Type == LayerType.ChannelShuffle))
        {
            Assert.Contains("channel shuffle, 2 groups", all);
        }
        string path = Path.Combine(_dir, model + ".svg");
        File.WriteAllText(path, svg);
        (int width, int height) = Render(path);
        Assert.InRange(width, 400, 4000);
        Assert.InRange(height, 150, 20000);
    }

    public static TheoryData<string> TorchvisionModels() => new(TorchvisionModelTests.Models);

    [Fact]
    public void LongNetworksWrapIntoRows()
    {
        var layers = new List<LayerInfo>();
        Shape s = new(64, 64, 8);
        for (int i = 1; i <= 24; i++)
        {
            layers.Add(new LayerInfo(LayerType.Conv, $"Conv{i}", s, s) { Inputs = [i == 1 ? "Input" : $"Conv{i - 1}"], KernelWidth = 3, KernelHeight = 3, PadLeft = 1, PadTop = 1, PadRight = 1, PadBottom = 1, ParameterCount = 584, MultiplyAdds = 64 * 64 * 8 * 72 });
        }
        string svg = NetworkDiagram.ToSvg("Deep", layers);
        XElement root = XDocument.Parse(svg).Root!;
        Assert.InRange(double.Parse((string)root.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture), 600, DiagramLayout.MaxRowWidth + 1);
        Assert.True(double.Parse((string)root.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture) > 600, "24 layers should take several rows");
        AssertLabelsMatch(svg, layers);
    }

    /// <summary>
    /// docs/diagrams/*.svg (shown in the README) are what the tool draws today. Set
    /// CNNGEN_UPDATE_DIAGRAMS=1 to rewrite them after changing the layout.
    /// </summary>
    [Theory]
    [InlineData("tinynet.svg")]
    [InlineData("lenet.svg")]
    public void CheckedInDiagramsAreUpToDate(string file)
    {
        string svg = file == "tinynet.svg" ? NetworkDiagram.ToSvg("TinyNet", TinyNetLayers()) : NetworkDiagram.ToSvg("LeNet", LeNetLayers());
        string path = Path.Combine(Paths.RepositoryRoot, "docs", "diagrams", file);
        if (Environment.GetEnvironmentVariable("CNNGEN_UPDATE_DIAGRAMS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, svg);
        }
        Assert.True(File.Exists(path), $"{path} is missing; run the tests with CNNGEN_UPDATE_DIAGRAMS=1 to write it.");
        Assert.True(File.ReadAllText(path) == svg, $"{path} differs from what cnngen diagram draws now; run the tests with CNNGEN_UPDATE_DIAGRAMS=1 to update it.");
    }
}
