// The same networks as reference layers: tests/CnnGen.Samples.Tests/CrossPlatform/CrossPlatformNetworks.cs (change both).
using CnnGen;

namespace CnnGen.CrossPlatform.App.Networks;

/// <summary>3×3, 5×5, 7×7 stride 2 (BatchNorm folded), 1×1 and 3×3 stride 3 convolutions on rows of 24, 12 and 4; ReLU, SiLU, HardSwish, Sigmoid, GELU.</summary>
[Network]
[Input(24, 20, 3)]
[Conv(3, 3, 8, Padding = 1)]
[Relu]
[Conv(5, 5, 12, Padding = 2)]
[Silu]
[Conv(7, 7, 16, Stride = 2, PadLeft = 3, PadTop = 3, PadRight = 2, PadBottom = 2)]
[BatchNorm]
[HardSwish]
[Conv(1, 1, 24)]
[Sigmoid]
[Conv(3, 3, 16, Stride = 3, PadTop = 1, PadBottom = 1)]
[Gelu]
public partial class Convolutions { }

/// <summary>A 4×4 stride-4 convolution (rows of 64 in, 16 out), a 3×3 stride 2 padded on one side, a 3×3 with dilation 2; LeakyReLU, Tanh, ELU.</summary>
[Network]
[Input(64, 32, 4)]
[Conv(4, 4, 8, Stride = 4)]
[LeakyRelu(Slope = 0.01f)]
[Conv(3, 3, 12, Stride = 2, PadLeft = 1, PadTop = 1)]
[Tanh]
[Conv(3, 3, 16, Padding = 2, Dilation = 2)]
[Elu(Alpha = 1f)]
public partial class Strides { }

/// <summary>Maps of 7×7 down to 2×2 with 48 to 128 channels, both global pools concatenated, a fully connected layer.</summary>
[Network]
[Input(7, 7, 48)]
[Conv(3, 3, 64, Padding = 1)]
[Relu]
[Conv(2, 2, 64)]
[Relu6]
[Conv(2, 2, 96)]
[Conv(2, 2, 64)]
[Relu]
[Conv(2, 2, 128)]
[Conv(2, 2, 64)]
[Silu(Name = "narrowest")]
[GlobalAvgPool(Name = "mean")]
[GlobalMaxPool(From = "narrowest")]
[Concat("mean")]
[FullyConnected(32)]
public partial class NarrowMaps { }

/// <summary>Height 1: 5×1 and strided 3×1 convolutions, 2×1 max and padded 3×1 average pools, tanh GELU, fully connected, Softmax.</summary>
[Network]
[Input(64, 1, 8)]
[Conv(5, 1, 16, PadLeft = 2, PadRight = 2)]
[Relu]
[Conv(3, 1, 16, StrideX = 2, PadLeft = 1)]
[Gelu]
[MaxPool(2, 1, StrideX = 2, StrideY = 1)]
[AvgPool(3, 1, Stride = 1, PadLeft = 1, PadRight = 1)]
[Conv(1, 1, 8)]
[Gelu(Approximate = GeluApproximation.Tanh)]
[FullyConnected(10)]
[Softmax]
public partial class OneDimensional { }

/// <summary>Overlapping stride-2 max pools (the runtime library's separable kernel: on Arm64 its uzp1/uzp2 path), padded, then in ceil mode; a fully connected layer (the runtime library's GEMV) on what is left.</summary>
[Network]
[Input(17, 15, 3)]
[MaxPool(3, 3, Stride = 2, Padding = 1)]
[MaxPool(3, 3, Stride = 2, CeilMode = true)]
[FullyConnected(5)]
public partial class Pools { }
