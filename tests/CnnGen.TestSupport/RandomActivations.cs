using System;

namespace CnnGen.TestSupport;

public static partial class RandomNetworks
{
    /// <summary>Whether <paramref name="layer"/> is an element-wise activation (folded into its producer when it can be), not a no-op or a whole-vector layer.</summary>
    public static bool IsElementWise(RefLayer layer) =>
        layer is RefRelu or RefRelu6 or RefActivation { Kind: not ("Dropout" or "Flatten" or "LogSoftmax") };

    /// <summary>
    /// An element-wise layer for the random networks: ReLU a third of the time (the random networks were built around
    /// it), otherwise any other activation or no-op, with PyTorch's defaults or drawn arguments, spelled one of
    /// the ways the attributes allow.
    /// </summary>
    public static RefLayer RandomActivation(Random random)
    {
        if (random.Next(3) == 0)
        {
            return new RefRelu();
        }
        float[] slopes = { 0.01f, 0.1f, 0.2f, 0.3f };
        switch (random.Next(14))
        {
            case 0:
                return random.Next(2) == 0 ? new RefLeakyRelu() with { Attribute = "[LeakyRelu]" } : new RefLeakyRelu(slopes[random.Next(slopes.Length)]);
            case 1:
            {
                int form = random.Next(4);
                return form switch
                {
                    0 => new RefClip(0, 6) { Attribute = "[Clip(0, 6)]" },
                    1 => new RefClip(-1.5f, 2.25f) { Attribute = "[Clip(max: 2.25f, min: -1.5f)]" },
                    2 => new RefClip(float.NegativeInfinity, 0.5f),
                    _ => new RefClip(-0.5f, 0.75f),
                };
            }
            case 2:
                return new RefSigmoid();
            case 3:
                return new RefTanh();
            case 4:
                return random.Next(2) == 0 ? new RefHardSigmoid() with { Attribute = "[HardSigmoid]" } : new RefHardSigmoid(0.2f, 0.5f);
            case 5:
                return new RefHardSwish();
            case 6:
                return new RefSilu();
            case 7:
                return random.Next(2) == 0 ? new RefGelu() : new RefGelu(Tanh: true);
            case 8:
                return random.Next(2) == 0 ? new RefElu() with { Attribute = "[Elu]" } : new RefElu(0.5f);
            case 9:
            case 10:
                return new RefPRelu();
            case 11:
                return random.Next(2) == 0 ? new RefDropout() : new RefDropout() with { Attribute = "[Dropout(Probability = 0.2f)]" };
            case 12:
                return new RefFlatten();
            default:
                return new RefRelu6();
        }
    }
}
