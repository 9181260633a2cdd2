using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using CnnGen.TestSupport;
using Xunit;

namespace CnnGen.Onnx.Tests;

/// <summary>
/// The project's own PyTorch-trained LeNet (samples/Mnist/Model/lenet.onnx): imported, generated and run
/// on held-out MNIST digits and random inputs, it must agree with ONNX Runtime on the same file and with
/// the probabilities PyTorch recorded when it trained the model.
/// </summary>
public class MnistModelTests
{
    private static string ModelPath => Path.Combine(Paths.RepositoryRoot, "samples", "Mnist", "Model", "lenet.onnx");

    private static float[][] HeldOutImages(int first, int count)
    {
        using var file = File.OpenRead(Paths.Shared("data", "mnist", "t10k-images-idx3-ubyte.gz"));
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var all = new MemoryStream();
        gzip.CopyTo(all);
        byte[] bytes = all.ToArray();
        return Enumerable.Range(first, count)
            .Select(i => bytes.AsSpan(16 + i * 784, 784).ToArray().Select(b => b / 255f).ToArray())
            .ToArray();
    }

    [Fact]
    public void ImportsWithTheTrainersLayersAndWeights()
    {
        ImportedNetwork network = OnnxImporter.ImportFile(ModelPath);
        Assert.Equal(new Shape(28, 28, 1), network.Input);
        Assert.Equal(
            ["[Conv(5, 5, 8, Padding = 2)]", "[Relu]", "[MaxPool(2, 2)]", "[Conv(5, 5, 16, Padding = 2)]", "[Relu]", "[MaxPool(2, 2)]", "[FullyConnected(64)]", "[Relu]", "[FullyConnected(10)]", "[Softmax]"],
            network.Layers.Select(CSharpNetworkWriter.Attribute));
        // The training script also wrote the raw weights in constructor order: the import must agree bit for bit.
        float[] trainer = NetworkParameters.ReadFile(Path.Combine(Paths.RepositoryRoot, "samples", "Mnist", "Model", "lenet.weights"), network.Parameters.Length);
        Assert.Equal(trainer, network.Parameters);
    }

    [Fact]
    public void GeneratedCodeAgreesWithOnnxRuntimeAndPyTorch()
    {
        ImportedNetwork network = OnnxImporter.ImportFile(ModelPath);
        using CompiledNetworks compiled = GeneratedCode.Compile([(network, "LeNetImported")]);
        INetwork net = GeneratedCode.Create(compiled, network, "LeNetImported");
        using var ort = new OnnxRuntimeModel(File.ReadAllBytes(ModelPath));

        float[][] digits = HeldOutImages(8000, 5);
        float[][] random = Enumerable.Range(0, 3).Select(s => RandomNetworks.Values(7000 + s, 784)).Select(v => v.Select(x => Math.Abs(x)).ToArray()).ToArray();
        foreach ((float[] image, int index) in digits.Concat(random).Select((x, i) => (x, i)))
        {
            float[] ours = GeneratedCode.Forward(net, image);
            float[] theirs = ort.Run(image, [1, 1, 28, 28]);
            Assert.True(Tolerance.Compare(ours, theirs) is null, $"input {index}: {Tolerance.Compare(ours, theirs)}");
        }

        using JsonDocument recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "samples", "Mnist", "Model", "reference-outputs.json")));
        var t10k = recorded.RootElement.GetProperty("outputs").EnumerateArray()
            .Where(o => o.GetProperty("source").GetString() == "t10k").ToList();
        Assert.NotEmpty(t10k);
        foreach (JsonElement entry in t10k)
        {
            int index = entry.GetProperty("index").GetInt32();
            float[] ours = GeneratedCode.Forward(net, HeldOutImages(index, 1)[0]);
            float[] torch = entry.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()).ToArray();
            Assert.True(Tolerance.Compare(ours, torch) is null, $"t10k #{index} vs PyTorch: {Tolerance.Compare(ours, torch)}");
            Assert.Equal(entry.GetProperty("predicted").GetInt32(), Array.IndexOf(ours, ours.Max()));
        }
    }
}
