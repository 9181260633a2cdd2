using System;

namespace CnnGen.Benchmarks;

/// <summary>Checks that CnnGen, ONNX Runtime and the scalar loop compute the same network.</summary>
public static class Agreement
{
    /// <summary>Relative tolerance.</summary>
    public const double Relative = 1e-4;

    /// <summary>Absolute tolerance.</summary>
    public const double Absolute = 1e-5;

    /// <summary>Throws unless every value of <paramref name="actual"/> is within tolerance of <paramref name="expected"/>.</summary>
    public static void Check(string what, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"{what}: {actual.Length} outputs, expected {expected.Length}.");
        }
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs((double)actual[i] - expected[i]);
            double allowed = Absolute + Relative * Math.Abs(expected[i]);
            if (!(error <= allowed))
            {
                throw new InvalidOperationException(
                    $"{what}: output {i} is {actual[i]:R}, the scalar reference gives {expected[i]:R} (difference {error:G3}, allowed {allowed:G3}). Benchmark aborted.");
            }
            worst = Math.Max(worst, error / allowed);
        }
        WorstFraction = Math.Max(WorstFraction, worst);
    }

    /// <summary>The largest error seen so far, as a fraction of the allowed error.</summary>
    public static double WorstFraction { get; private set; }

    /// <summary>
    /// Runs one input of <paramref name="network"/> through the scalar loop, CnnGen and ONNX Runtime
    /// (batch 1) and checks they agree. Throws <see cref="InvalidOperationException"/> otherwise.
    /// </summary>
    public static void Verify(NetworkCase network)
    {
        float[] parameters = network.CreateParameters();
        float[] input = network.CreateInputs();
        var expected = new float[network.OutputLength];
        network.CreateNaive(parameters).Forward(input, expected);

        var cnngen = new float[network.OutputLength];
        network.CreateCnnGen(parameters).Forward(input, cnngen);
        Check($"{network.Id}: CnnGen vs scalar", expected, cnngen);

        using var ort = new OrtRunner(network.ExportOnnx(parameters), network.Input, 1, 1);
        input.CopyTo(ort.Input, 0);
        ort.Run();
        Check($"{network.Id}: ONNX Runtime vs scalar", expected, ort.Output);
    }
}
