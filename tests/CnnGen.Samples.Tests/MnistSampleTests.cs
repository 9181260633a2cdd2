using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Mnist;
using Xunit;

namespace CnnGen.Samples.Tests;

/// <summary>
/// The MNIST sample end to end: the CnnGen network with its embedded weights against the numbers
/// of independent implementations (ONNX Runtime on the exported model, PyTorch's recorded outputs)
/// and against the labels.
/// </summary>
public sealed class MnistSampleTests
{
    private static readonly DigitClassifier Classifier = new();

    private static MnistTestSet TestSet()
    {
        string folder = Path.Combine(Repository.Root, "..", "shared", "data", "mnist");
        Assert.True(Directory.Exists(folder), $"The MNIST test set is missing: expected ../shared/data/mnist beside the repository ({Path.GetFullPath(folder)}).");
        return MnistTestSet.Load(folder);
    }

    [Fact]
    public void HeldOutAccuracyIsAbove97Percent()
    {
        MnistTestSet testSet = TestSet();
        int correct = 0, total = 0;
        for (int i = MnistTestSet.FirstHeldOut; i < testSet.Count; i++)
        {
            correct += Classifier.Classify(testSet.Pixels(i)).Digit == testSet.Labels[i] ? 1 : 0;
            total++;
        }
        Assert.Equal(2000, total);
        double accuracy = (double)correct / total;
        Assert.True(accuracy >= 0.97, $"Held-out accuracy {accuracy:P2} ({correct}/{total}) is below 97%.");
    }

    [Fact]
    public void AgreesWithOnnxRuntimeOnEveryHeldOutImage()
    {
        MnistTestSet testSet = TestSet();
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(Path.Combine(Repository.Root, "samples", "Mnist", "Model", "lenet.onnx"), options);
        for (int i = MnistTestSet.FirstHeldOut; i < testSet.Count; i++)
        {
            float[] pixels = testSet.Pixels(i);
            float[] ours = Classifier.Classify(pixels).Probabilities;
            var input = new DenseTensor<float>(pixels, new[] { 1, 1, 28, 28 });
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("input", input) });
            float[] theirs = results.First().AsEnumerable<float>().ToArray();
            Assert.Equal(10, theirs.Length);
            for (int k = 0; k < 10; k++)
            {
                double difference = Math.Abs(ours[k] - theirs[k]);
                Assert.True(difference <= 1e-5 + 1e-4 * Math.Abs(theirs[k]),
                    $"Image {i}, class {k}: CnnGen {ours[k]} vs ONNX Runtime {theirs[k]}");
            }
        }
    }

    public static IEnumerable<object[]> RecordedOutputs()
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "samples", "Mnist", "Model", "reference-outputs.json")));
        foreach (JsonElement output in json.RootElement.GetProperty("outputs").EnumerateArray())
        {
            string source = output.GetProperty("source").GetString()!;
            string id = source == "t10k" ? output.GetProperty("index").GetInt32().ToString() : output.GetProperty("file").GetString()!;
            float[] probabilities = output.GetProperty("probabilities").EnumerateArray().Select(e => e.GetSingle()).ToArray();
            yield return new object[] { source, id, output.GetProperty("predicted").GetInt32(), probabilities };
        }
    }

    /// <summary>PyTorch's outputs, recorded when the model was trained, for the shipped digits and five held-out images.</summary>
    [Theory]
    [MemberData(nameof(RecordedOutputs))]
    public void MatchesPyTorchRecordedOutputs(string source, string id, int predicted, float[] probabilities)
    {
        float[] pixels = source == "t10k"
            ? TestSet().Pixels(int.Parse(id))
            : DigitImage.Load(Path.Combine(Repository.Root, "samples", "Mnist", "Digits", Path.GetFileName(id)));
        Prediction ours = Classifier.Classify(pixels);
        Assert.Equal(predicted, ours.Digit);
        for (int k = 0; k < 10; k++)
        {
            Assert.True(Math.Abs(ours.Probabilities[k] - probabilities[k]) <= 1e-5 + 1e-4 * Math.Abs(probabilities[k]),
                $"{id}, class {k}: CnnGen {ours.Probabilities[k]} vs PyTorch {probabilities[k]}");
        }
    }
}
