using System;

namespace Mnist;

/// <summary>One classified image: the most likely digit and all ten probabilities.</summary>
public readonly record struct Prediction(int Digit, float[] Probabilities)
{
    /// <summary>Probability of the predicted digit.</summary>
    public float Confidence => Probabilities[Digit];
}

/// <summary>The LeNet network with its trained weights, loaded from the assembly's embedded resource.</summary>
public sealed class DigitClassifier
{
    private readonly LeNet _network;

    /// <summary>Builds the network with the weights embedded at build time (<c>[Network(Weights = "Model/lenet.weights")]</c>).</summary>
    public DigitClassifier() => _network = new LeNet();

    /// <summary>The network, for callers that want to run it directly.</summary>
    public LeNet Network => _network;

    /// <summary>Classifies a 28×28 image given as <see cref="LeNet.InputLength"/> values in [0, 1], white digit on black.</summary>
    public Prediction Classify(ReadOnlySpan<float> pixels)
    {
        var probabilities = new float[LeNet.OutputLength];
        _network.Forward(pixels, probabilities);
        int best = 0;
        for (int i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[best])
            {
                best = i;
            }
        }
        return new Prediction(best, probabilities);
    }
}
