// The same networks as reference layers: tests/CnnGen.Samples.Tests/CrossPlatform/CrossPlatformNetworks.cs (change both).
using CnnGen;

namespace CnnGen.CrossPlatform.App.Networks;

/// <summary>MobileNetV2's inverted residual (BatchNorms folded, depthwise 3×3, Add), then grouped 5×5 stride 2 and grouped 3×3; ReLU6, HardSwish, HardSigmoid.</summary>
[Network]
[Input(14, 14, 8)]
[Conv(1, 1, 16)]
[BatchNorm]
[Relu6]
[Conv(3, 3, 16, Padding = 1, Groups = 16)]
[BatchNorm]
[Relu6]
[Conv(1, 1, 8)]
[BatchNorm]
[Add("Input")]
[Conv(5, 5, 16, Stride = 2, PadLeft = 2, PadTop = 2, PadRight = 1, PadBottom = 1, Groups = 8)]
[HardSwish]
[Conv(3, 3, 32, Padding = 1, Groups = 4)]
[HardSigmoid]
public partial class Depthwise { }

/// <summary>Grouped convolutions with 2 and 4 channels per group, a grouped 1×1, and 32 channels per group (weights streamed).</summary>
[Network]
[Input(20, 6, 8)]
[Conv(3, 3, 12, Padding = 1, Groups = 4)]
[Relu]
[Conv(1, 1, 8, Groups = 2)]
[Conv(3, 3, 64, Padding = 1)]
[Conv(3, 3, 32, Padding = 1, Groups = 2)]
public partial class Grouped { }
