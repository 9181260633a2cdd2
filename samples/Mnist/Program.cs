using System;
using System.IO;
using System.Linq;
using Mnist;

// Classifies the digits that ship with the sample, or the image files given as arguments;
// with ../shared beside the repository, also measures accuracy on the 2,000 held-out MNIST images.
var classifier = new DigitClassifier();
Console.WriteLine($"LeNet (CnnGen): {LeNet.InputWidth}×{LeNet.InputHeight}×{LeNet.InputDepth} → {LeNet.OutputLength}, {LeNet.ParameterCount:N0} parameters, weights embedded in the assembly");

string[] paths = args.Length > 0
    ? args
    : Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Digits"), "*.png").Order(StringComparer.Ordinal).ToArray();
int failures = 0;
foreach (string path in paths)
{
    try
    {
        Prediction prediction = classifier.Classify(DigitImage.Load(path));
        string probabilities = string.Join(" ", prediction.Probabilities.Select((p, digit) => $"{digit}:{p:0.00}"));
        Console.WriteLine($"{Path.GetFileName(path),-14} → {prediction.Digit} ({prediction.Confidence,7:P1})   {probabilities}");
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
    {
        Console.Error.WriteLine($"{path}: {e.Message}");
        failures++;
    }
}

string? shared = FindShared();
if (args.Length == 0 && shared is not null)
{
    MnistTestSet testSet = MnistTestSet.Load(Path.Combine(shared, "data", "mnist"));
    int correct = 0, total = testSet.Count - MnistTestSet.FirstHeldOut;
    for (int i = MnistTestSet.FirstHeldOut; i < testSet.Count; i++)
    {
        correct += classifier.Classify(testSet.Pixels(i)).Digit == testSet.Labels[i] ? 1 : 0;
    }
    Console.WriteLine($"Held-out MNIST accuracy: {correct}/{total} = {(double)correct / total:P2} (images {MnistTestSet.FirstHeldOut}–{testSet.Count - 1}, never used in training)");
}
return failures == 0 ? 0 : 1;

// ../shared beside the repository holds the MNIST test set; look for it above the current and the app's folders.
static string? FindShared()
{
    foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "mnist");
            if (Directory.Exists(candidate))
            {
                return Path.Combine(dir.FullName, "shared");
            }
        }
    }
    return null;
}
