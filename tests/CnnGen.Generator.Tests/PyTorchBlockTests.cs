using System;
using CnnGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace CnnGen.Generator.Tests;

/// <summary>
/// Whole blocks of ResNet, MobileNetV2/V3, EfficientNet, SqueezeNet, ShuffleNet V2 and U-Net, declared in
/// attributes and compared with the outputs PyTorch computed for the same weights and input
/// (<see cref="PyTorchBlocks"/>). The recorded parameters are in the attributes' order, so a parameter
/// count that differs means the attributes do not describe the module.
/// </summary>
public sealed class PyTorchBlockTests(ITestOutputHelper output)
{
    /// <summary>
    /// Float32 drift: PyTorch and CnnGen sum in different orders, and CnnGen folds BatchNorm into the conv
    /// weights, which rounds differently from applying it after; over a few hundred terms per output that is
    /// a few float32 ulps of the partial sums, far below 1e-4 relative plus 1e-5 absolute (for values near 0).
    /// </summary>
    private const float Relative = 1e-4f;
    private const float Absolute = 1e-5f;

    [Theory]
    [InlineData("ResNetBasicDownsample")]
    [InlineData("MobileNetV2InvertedResidual")]
    [InlineData("MobileNetV3Block")]
    [InlineData("EfficientNetMBConv")]
    [InlineData("SqueezeNetFire")]
    [InlineData("ShuffleNetV2Unit")]
    [InlineData("UNetUpStep")]
    public void Block_MatchesPyTorch(string block)
    {
        Recording recording = PyTorchBlocks.Load(block);
        INetwork network = PyTorchBlocks.Compiled.Create(PyTorchBlocks.TypeName(block), recording.Parameters);
        Assert.Equal(recording.Parameters.Length, network.ParameterCount);
        Assert.Equal(recording.Input.Length, network.InputLength);
        Assert.Equal(recording.Output.Length, network.OutputLength);

        var actual = new float[network.OutputLength];
        network.Forward(recording.Input, actual);

        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            float expected = recording.Output[i];
            float error = MathF.Abs(actual[i] - expected);
            worst = Math.Max(worst, error / (Absolute + Relative * MathF.Abs(expected)));
            Assert.True(error <= Absolute + Relative * MathF.Abs(expected),
                $"{block} output {i}: CnnGen {actual[i]:R}, PyTorch {expected:R} (difference {error:E2})");
        }
        output.WriteLine($"{block}: {actual.Length} outputs, worst error {worst:F3} of the tolerance");
    }
}
