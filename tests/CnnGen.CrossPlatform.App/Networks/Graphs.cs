// The same networks as reference layers: tests/CnnGen.Samples.Tests/CrossPlatform/CrossPlatformNetworks.cs (change both).
using CnnGen;

namespace CnnGen.CrossPlatform.App.Networks;

/// <summary>The README's residual block: an Add of a ReLU branch, a Concat with a 1×1 side branch; rows of 32.</summary>
[Network]
[Input(32, 32, 16)]
[Conv(3, 3, 16, Padding = 1, Name = "a")]
[Relu]
[Conv(3, 3, 16, Padding = 1)]
[Relu]
[Conv(3, 3, 16, Padding = 1)]
[Add("Relu1")]
[Relu]
[Conv(1, 1, 8, Name = "side", From = "a")]
[Concat("Relu3")]
public partial class Residual { }

/// <summary>A ResNet block that halves the size (strided 1×1 shortcut), an 8×8 average pool, a fully connected layer.</summary>
[Network]
[Input(16, 16, 8)]
[Conv(3, 3, 16, Stride = 2, Padding = 1)]
[Relu]
[Conv(3, 3, 16, Padding = 1, Name = "body")]
[Conv(1, 1, 16, Stride = 2, Name = "shortcut", From = "Input")]
[Add("body")]
[Relu]
[AvgPool(8, 8, Stride = 8)]
[FullyConnected(10)]
public partial class ResidualDownsample { }

/// <summary>Inception-style branches from the input (a padded 3×3 max pool among them), concatenated, then a padded conv.</summary>
[Network]
[Input(10, 10, 4)]
[Conv(1, 1, 4, Name = "b1")]
[Conv(3, 3, 6, Padding = 1, From = "Input")]
[Relu(Name = "b2")]
[MaxPool(3, 3, Stride = 1, Padding = 1, From = "Input")]
[Conv(1, 1, 2, Name = "b3")]
[Concat("b1", "b2")]
[Conv(3, 3, 5, Padding = 1)]
public partial class Inception { }

/// <summary>Squeeze-and-excite: a 1×1×C sigmoid gate from an average pool and two fully connected layers multiplies the features.</summary>
[Network]
[Input(8, 8, 12)]
[Conv(3, 3, 12, Padding = 1)]
[Relu(Name = "features")]
[AvgPool(8, 8, Stride = 8)]
[FullyConnected(3)]
[Relu]
[FullyConnected(12)]
[Sigmoid]
[Mul("features")]
[Conv(1, 1, 4)]
[Relu6]
public partial class SqueezeExcite { }
