using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CnnGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>Generated code compiled and run: hand-worked examples, then random networks against the reference.</summary>
public sealed class CompileAndRunTests(ITestOutputHelper output)
{
    private static float[] Run(string name, float[] parameters, float[] input)
    {
        INetwork network = Networks.Fixed.Create(Networks.Namespace + "." + name, parameters);
        var result = new float[network.OutputLength];
        network.Forward(input, result);
        return result;
    }

    private static void AssertClose(double[] expected, float[] actual, string context = "")
    {
        Assert.True(expected.Length == actual.Length, $"{context}: expected {expected.Length} outputs, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = 1e-5 + 1e-4 * Math.Abs(expected[i]);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{context}: output {i} is {actual[i]:R} but should be {expected[i]:R}\n  expected: [{string.Join(", ", expected.Select(v => v.ToString("G6")))}]\n  actual:   [{string.Join(", ", actual.Select(v => v.ToString("G6")))}]");
        }
    }

    [Fact]
    public void Conv2x2_ByHand()
    {
        // input 1 2 3 / 4 5 6 / 7 8 9, kernel 1 2 / 3 4, bias 0.5:
        // (0,0) = 1·1 + 2·2 + 3·4 + 4·5 = 37, (0,1) = 2 + 6 + 15 + 24 = 47, (1,0) = 4 + 10 + 21 + 32 = 67, (1,1) = 5 + 12 + 24 + 36 = 77
        float[] y = Run("Conv2x2", new[] { 1f, 2, 3, 4, 0.5f }, new[] { 1f, 2, 3, 4, 5, 6, 7, 8, 9 });
        AssertClose(new[] { 37.5, 47.5, 67.5, 77.5 }, y);
    }

    [Fact]
    public void ChannelOrder_ByHand()
    {
        // input channels c0 = [1, 2], c1 = [3, 4]; weights [filter][channel] = [[1, 10], [100, 1000]], biases [0, 0.5]
        float[] y = Run("ChannelOrder", new[] { 1f, 10, 100, 1000, 0, 0.5f }, new[] { 1f, 2, 3, 4 });
        AssertClose(new[] { 1 + 30, 2 + 40, 100 + 3000 + 0.5, 200 + 4000 + 0.5 }, y);
    }

    [Fact]
    public void ConvPadded_ByHand()
    {
        // 3×3 kernel with a single 1 at (row 1, column 2): each output is the input one to its right, or the zero padding.
        var p = new float[10];
        p[1 * 3 + 2] = 1;
        float[] y = Run("ConvPadded", p, new[] { 1f, 2, 3, 4 });
        AssertClose(new[] { 2.0, 0, 4, 0 }, y);
    }

    [Fact]
    public void MaxPool_IgnoresPadding_EvenWhenEverythingIsNegative()
    {
        // [pad, −1 | −2, −3] → [−1, −2] (a zero pad would wrongly win the first window)
        AssertClose(new[] { -1.0, -2 }, Run("MaxPoolPadded", Array.Empty<float>(), new[] { -1f, -2, -3 }));
    }

    [Fact]
    public void AvgPool_CountsPadding_ByDefault()
    {
        // [pad, 3 | 6, 9] → [3/2, 15/2]
        AssertClose(new[] { 1.5, 7.5 }, Run("AvgPoolPadded", Array.Empty<float>(), new[] { 3f, 6, 9 }));
    }

    [Fact]
    public void AvgPool_ExcludePadding_DividesByRealElements()
    {
        // [pad, 3 | 6, 9] → [3/1, 15/2]
        AssertClose(new[] { 3.0, 7.5 }, Run("AvgPoolExcludePadding", Array.Empty<float>(), new[] { 3f, 6, 9 }));
    }

    [Fact]
    public void AvgPool_CeilMode_DividesByTheWindowClippedToTheInput()
    {
        // windows [3, 6] and [9, (past the end)] → [4.5, 9] (PyTorch avg_pool1d([3, 6, 9], 2, ceil_mode=True))
        AssertClose(new[] { 4.5, 9 }, Run("AvgPoolCeil", Array.Empty<float>(), new[] { 3f, 6, 9 }));
    }

    [Fact]
    public void AvgPool_CeilModeWithPadding_FollowsPyTorch()
    {
        // padded [p 1 2 3 4 p], window 3, stride 2, ceil: windows at −1, 1, 3.
        // include pad: [p 1 2]/3 = 1, [2 3 4]/3 = 3, [4 p]/2 = 2 (window clipped to the padded extent)
        AssertClose(new[] { 1.0, 3, 2 }, Run("AvgPoolCeilPadded", Array.Empty<float>(), new[] { 1f, 2, 3, 4 }));
        // exclude pad: 3/2, 9/3, 4/1
        AssertClose(new[] { 1.5, 3, 4 }, Run("AvgPoolCeilPaddedExclude", Array.Empty<float>(), new[] { 1f, 2, 3, 4 }));
    }

    [Fact]
    public void MaxPool_CeilMode_KeepsThePartialLastWindow()
    {
        // [1 5 | 2 −7 | −3] → [5, 2, −3]
        AssertClose(new[] { 5.0, 2, -3 }, Run("MaxPoolCeil", Array.Empty<float>(), new[] { 1f, 5, 2, -7, -3 }));
    }

    [Fact]
    public void Dense_ThenRelu_ByHand()
    {
        // W = [[1, 0, −1], [0.5, 0.5, 0.5]], b = [0, 1], x = [1, 2, 3] → [−2, 4] → relu [0, 4]
        AssertClose(new[] { 0.0, 4 }, Run("DenseRelu", new[] { 1f, 0, -1, 0.5f, 0.5f, 0.5f, 0, 1 }, new[] { 1f, 2, 3 }));
    }

    [Fact]
    public void Dense_ThenSoftmax_ByHand()
    {
        // logits [−2, 4] → [e^−2, e^4] / (e^−2 + e^4)
        double a = Math.Exp(-2), b = Math.Exp(4);
        float[] y = Run("DenseSoftmax", new[] { 1f, 0, -1, 0.5f, 0.5f, 0.5f, 0, 1 }, new[] { 1f, 2, 3 });
        AssertClose(new[] { a / (a + b), b / (a + b) }, y);
        Assert.Equal(1.0, y.Sum(), 5);
    }

    [Fact]
    public void Softmax_IsStable_ForLargeLogits()
    {
        // logits [1000, 1001] overflow exp() unless the maximum is subtracted first.
        float[] y = Run("DenseSoftmax", new[] { 1000f, 0, 0, 1001, 0, 0, 0, 0 }, new[] { 1f, 0, 0 });
        double e = Math.Exp(-1);
        AssertClose(new[] { e / (1 + e), 1 / (1 + e) }, y);
    }

    [Fact]
    public void Dilation_ByHand()
    {
        // taps at x and x + 2: [1+3, 2+4, 3+5]
        AssertClose(new[] { 4.0, 6, 8 }, Run("Dilated", new[] { 1f, 1, 0 }, new[] { 1f, 2, 3, 4, 5 }));
    }

    [Fact]
    public void Stride_ByHand()
    {
        AssertClose(new[] { 2.0, 6, 10 }, Run("Strided", new[] { 2f, 0 }, new[] { 1f, 2, 3, 4, 5 }));
    }

    [Fact]
    public void FullyConnected_FlattensChannelsFirst()
    {
        // conv maps: c0 = x = [1 2 3 4], c1 = −x; flattened C,H,W: [1 2 3 4 −1 −2 −3 −4] · [1..8] = 30 − 70
        float[] parameters = { 1, -1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0 };
        AssertClose(new[] { -40.0 }, Run("FlattenOrder", parameters, new[] { 1f, 2, 3, 4 }));
    }

    [Fact]
    public void Relu_WithoutParameters()
    {
        AssertClose(new[] { 0.0, 0, 2, 0 }, Run("ReluOnly", Array.Empty<float>(), new[] { -1f, 0, 2, -0.5f }));
    }

    [Fact]
    public void TopPadding_ByHand()
    {
        // rows [1 2] [3 4] [5 6], kernel (top 10, bottom 1), one zero row on top:
        // [0·10 + 1, 0·10 + 2], [10 + 3, 20 + 4], [30 + 5, 40 + 6]
        AssertClose(new[] { 1.0, 2, 13, 24, 35, 46 }, Run("PadTopOnly", new[] { 10f, 1, 0 }, new[] { 1f, 2, 3, 4, 5, 6 }));
    }

    [Fact]
    public void HandChecked_AgreeWithTheReferenceToo()
    {
        // The oracle itself is checked against the hand-worked numbers here, so the random test below can trust it.
        var reference = new ReferenceNetwork(new RefShape(4, 1, 1), new RefLayer[] { new RefPool(false, 3, 1, 2, 1) { PadLeft = 1, PadRight = 1, CeilMode = true } });
        Assert.Equal(new[] { 1.0, 3, 2 }, reference.Forward(Array.Empty<float>(), new[] { 1f, 2, 3, 4 }));
        var conv = new ReferenceNetwork(new RefShape(3, 3, 1), new RefLayer[] { new RefConv(2, 2, 1) });
        Assert.Equal(new[] { 37.5, 47.5, 67.5, 77.5 }, conv.Forward(new[] { 1f, 2, 3, 4, 0.5f }, new[] { 1f, 2, 3, 4, 5, 6, 7, 8, 9 }));
        var maxCeil = new ReferenceNetwork(new RefShape(5, 1, 1), new RefLayer[] { new RefPool(true, 2, 1, 2, 1) { CeilMode = true } });
        Assert.Equal(new[] { 5.0, 2, -3 }, maxCeil.Forward(Array.Empty<float>(), new[] { 1f, 5, 2, -7, -3 }));
    }

    [Fact]
    public void TinyNet_Constants()
    {
        CompiledNetworks c = Networks.Fixed;
        const string T = "Fixed.TinyNet";
        var expected = new Dictionary<string, int>
        {
            ["InputWidth"] = 32, ["InputHeight"] = 32, ["InputDepth"] = 3, ["InputLength"] = 3072,
            ["OutputLength"] = 10, ["ParameterCount"] = 20_370,
            ["Conv1OutputWidth"] = 28, ["Conv1OutputHeight"] = 28, ["Conv1OutputDepth"] = 10, ["Conv1OutputLength"] = 7840,
            ["MaxPool1OutputWidth"] = 14, ["MaxPool1OutputHeight"] = 14, ["MaxPool1OutputDepth"] = 10, ["MaxPool1OutputLength"] = 1960,
            ["Fc1OutputWidth"] = 1, ["Fc1OutputHeight"] = 1, ["Fc1OutputDepth"] = 10, ["Fc1OutputLength"] = 10,
        };
        foreach ((string name, int value) in expected)
        {
            Assert.True(value == c.Constant(T, name), $"{name}: expected {value}, got {c.Constant(T, name)}");
        }
        INetwork network = c.Create(T, new float[20_370]);
        Assert.Equal((3072, 10, 20_370), (network.InputLength, network.OutputLength, network.ParameterCount));
    }

    [Fact]
    public void TinyNet_Layers()
    {
        var layers = (IReadOnlyList<LayerInfo>)Networks.Fixed.StaticProperty("Fixed.TinyNet", "Layers")!;
        Assert.Equal(new[] { "Conv1", "Relu1", "MaxPool1", "Fc1", "Softmax1" }, layers.Select(l => l.Name));
        Assert.Equal(new[] { LayerType.Conv, LayerType.Relu, LayerType.MaxPool, LayerType.FullyConnected, LayerType.Softmax }, layers.Select(l => l.Type));
        Assert.Equal(new Shape(32, 32, 3), layers[0].Input);
        Assert.Equal(new Shape(28, 28, 10), layers[0].Output);
        Assert.Equal((5, 5, 760, 0), (layers[0].KernelWidth, layers[0].KernelHeight, layers[0].ParameterCount, layers[0].ParameterOffset));
        Assert.Equal(5L * 5 * 3 * 10 * 28 * 28, layers[0].MultiplyAdds);
        Assert.Equal(new Shape(14, 14, 10), layers[2].Output);
        Assert.Equal((2, 2, 2, 2), (layers[2].KernelWidth, layers[2].KernelHeight, layers[2].StrideX, layers[2].StrideY));
        Assert.Equal((760, 19_610), (layers[3].ParameterOffset, layers[3].ParameterCount));
        Assert.Equal(new Shape(1, 1, 10), layers[4].Output);
        Assert.Same(layers, Networks.Fixed.StaticProperty("Fixed.TinyNet", "Layers")); // built once
    }

    [Fact]
    public void Padded_Layers_DescribeEverySetting()
    {
        var layers = (IReadOnlyList<LayerInfo>)Networks.Fixed.StaticProperty("Fixed.Padded", "Layers")!;
        LayerInfo conv = layers[0], avg = layers[2], max = layers[3];
        Assert.Equal((1, 1, 1, 1, 2, 2), (conv.PadLeft, conv.PadTop, conv.PadRight, conv.PadBottom, conv.StrideX, conv.StrideY));
        Assert.Equal(new Shape(8, 7, 4), conv.Output); // (15 − 3 + 2)/2 + 1 = 8, (13 − 3 + 2)/2 + 1 = 7
        Assert.True(avg.CeilMode && avg.ExcludePadding);
        // width: ceil((8 + 2 − 3)/2) + 1 = 5, last start 8 < 8 + 1 keeps it; height: ceil((7 + 2 − 3)/2) + 1 = 4, last start 6 < 8
        Assert.Equal(new Shape(5, 4, 4), avg.Output);
        Assert.Equal(new Shape(3, 2, 4), max.Output); // (5 + 1 − 2)/2 + 1 = 3, (4 − 2)/2 + 1 = 2
        Assert.Equal((1, 0, 0, 0), (max.PadLeft, max.PadTop, max.PadRight, max.PadBottom));
    }

    [Fact]
    public void RandomNetworks_MatchTheReference()
    {
        (CompiledNetworks compiled, ReferenceNetwork[] references) = Networks.Random;
        var failures = new List<string>();
        for (int i = 0; i < references.Length; i++)
        {
            int seed = Networks.RandomSeedBase + i;
            ReferenceNetwork reference = references[i];
            string type = Networks.RandomTypeName(seed);
            try
            {
                Assert.Equal(reference.InputLength, compiled.Constant(type, "InputLength"));
                Assert.Equal(reference.OutputLength, compiled.Constant(type, "OutputLength"));
                Assert.Equal(reference.ParameterCount, compiled.Constant(type, "ParameterCount"));
                var layers = (IReadOnlyList<LayerInfo>)compiled.StaticProperty(type, "Layers")!;
                Assert.Equal(reference.Layers.Count, layers.Count);
                for (int l = 0; l < layers.Count; l++)
                {
                    RefShape s = reference.OutputShapes[l];
                    Assert.Equal(new Shape(s.Width, s.Height, s.Depth), layers[l].Output);
                }

                float[] parameters = RandomNetworks.Parameters(reference, seed);
                INetwork network = compiled.Create(type, parameters);
                // Two inputs in a row: the second must not see anything left over from the first.
                for (int k = 0; k < 2; k++)
                {
                    float[] input = RandomNetworks.Values(seed * 7 + k, reference.InputLength);
                    var actual = new float[reference.OutputLength];
                    network.Forward(input, actual);
                    AssertClose(reference.Forward(parameters, input), actual, $"input {k}");
                }
            }
            catch (Exception e)
            {
                failures.Add($"seed {seed} ({type}):\n{reference}{e.Message}\n");
            }
        }
        output.WriteLine($"{references.Length - failures.Count} of {references.Length} random networks match the reference.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {references.Length} random networks differ from the reference "
            + $"(reproduce with RandomNetworks.Create(seed)):\n\n{string.Join("\n", failures.Take(8))}");
    }

    [Fact]
    public void RandomNetworks_CoverEveryFeature()
    {
        // Guards the generator of random networks: the check above is only as good as what it covers.
        ReferenceNetwork[] references = Networks.Random.References;
        RefLayer[] layers = references.SelectMany(r => r.Layers).ToArray();
        var coverage = new StringBuilder();
        void Require(string what, int count, int minimum)
        {
            coverage.AppendLine($"{what}: {count}");
            Assert.True(count >= minimum, $"only {count} random layers with {what}");
        }
        Require("conv", layers.OfType<RefConv>().Count(), 40);
        Require("conv with stride > 1", layers.OfType<RefConv>().Count(c => c.StrideX > 1 || c.StrideY > 1), 10);
        Require("conv with asymmetric padding", layers.OfType<RefConv>().Count(c => c.PadLeft != c.PadRight || c.PadTop != c.PadBottom), 5);
        Require("conv with dilation", layers.OfType<RefConv>().Count(c => c.DilationX > 1 || c.DilationY > 1), 5);
        Require("rectangular conv", layers.OfType<RefConv>().Count(c => c.KernelWidth != c.KernelHeight), 10);
        Require("max pool", layers.OfType<RefPool>().Count(p => p.IsMax), 15);
        Require("avg pool", layers.OfType<RefPool>().Count(p => !p.IsMax), 15);
        Require("padded pool", layers.OfType<RefPool>().Count(p => p.PadLeft + p.PadTop + p.PadRight + p.PadBottom > 0), 10);
        Require("ceil-mode pool", layers.OfType<RefPool>().Count(p => p.CeilMode), 5);
        Require("avg pool excluding padding", layers.OfType<RefPool>().Count(p => p.ExcludePadding), 5);
        Require("fully connected", layers.OfType<RefFullyConnected>().Count(), 40);
        Require("softmax", layers.OfType<RefSoftmax>().Count(), 15);
        Require("relu", layers.OfType<RefRelu>().Count(), 30);
        Require("networks with several FC layers", references.Count(r => r.Layers.OfType<RefFullyConnected>().Count() > 1), 10);
        Require("networks without FC", references.Count(r => !r.Layers.OfType<RefFullyConnected>().Any()), 3);
        output.WriteLine(coverage.ToString());
    }
}
