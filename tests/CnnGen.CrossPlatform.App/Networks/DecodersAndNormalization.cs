// The same networks as reference layers: tests/CnnGen.Samples.Tests/CrossPlatform/CrossPlatformNetworks.cs (change both).
using CnnGen;

namespace CnnGen.CrossPlatform.App.Networks;

/// <summary>A U-Net up-step (stride-2 ConvTranspose with a folded BatchNorm, Concat with the skip), then nearest and bilinear Upsample.</summary>
[Network]
[Input(16, 16, 4)]
[Conv(3, 3, 8, Padding = 1)]
[Relu(Name = "skip")]
[MaxPool(2, 2, Stride = 2)]
[Conv(3, 3, 8, Padding = 1)]
[Relu]
[ConvTranspose(2, 2, 4, Stride = 2)]
[BatchNorm]
[Relu]
[Concat("skip")]
[Conv(1, 1, 2)]
[Upsample(2)]
[Conv(3, 3, 4, Padding = 1)]
[Upsample(1, ScaleX = 3, ScaleY = 2, Mode = UpsampleMode.Bilinear)]
public partial class UNet { }

/// <summary>ConvTranspose with padding 1 as an Add operand, then 3×2 stride 3 with output padding.</summary>
[Network]
[Input(6, 5, 2)]
[ConvTranspose(3, 3, 3, Padding = 1, Name = "t")]
[Conv(3, 3, 3, Padding = 1, From = "Input")]
[Add("t")]
[ConvTranspose(3, 2, 2, Stride = 3, OutputPadding = 2)]
[Relu]
public partial class Transpose { }

/// <summary>Normalize, BatchNorm of the input and after a ReLU (passes of their own), BatchNorms folded into convs and a fully connected layer.</summary>
[Network]
[Input(10, 10, 3)]
[Normalize(new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f })]
[BatchNorm]
[Conv(3, 3, 8, Padding = 1)]
[BatchNorm(Epsilon = 0.001f)]
[Relu]
[BatchNorm]
[Conv(3, 3, 4, Padding = 1)]
[FullyConnected(6)]
[BatchNorm]
[Relu]
public partial class Normalization { }
