// The four networks of issue 5, declared with CnnGen attributes. This file is also embedded in the
// benchmark program: the compile-cost mode runs the generator on exactly this source.
using CnnGen;

namespace CnnGen.Benchmarks.Networks;

/// <summary>Network 1, the seed network: 32×32×3 → Conv 5×5×10 → ReLU → MaxPool 2/2 → FC 10 → Softmax.</summary>
[Network]
[Input(32, 32, 3)]
[Conv(5, 5, 10)]
[Relu]
[MaxPool(2, 2, Stride = 2)]
[FullyConnected(10)]
[Softmax]
public partial class SeedNet { }

/// <summary>
/// Network 2, LeNet-style MNIST: 28×28×1 → Conv 5×5×8 pad 2 → ReLU → MaxPool 2/2 → Conv 5×5×16 pad 2
/// → ReLU → MaxPool 3/3 → FC 10. The 3/3 pool on 14×14 leaves two rows and columns unread (CNN0012,
/// suppressed in the project file: this is the network the issue specifies).
/// </summary>
[Network]
[Input(28, 28, 1)]
[Conv(5, 5, 8, Padding = 2)]
[Relu]
[MaxPool(2, 2, Stride = 2)]
[Conv(5, 5, 16, Padding = 2)]
[Relu]
[MaxPool(3, 3, Stride = 3)]
[FullyConnected(10)]
public partial class LeNetMnist { }

/// <summary>
/// Network 3, the classic CIFAR-10 demo net: 32×32×3 → 3 × [Conv 5×5 pad 2 (16, 20, 20 filters), ReLU,
/// MaxPool 2/2] → FC 10 → Softmax.
/// </summary>
[Network]
[Input(32, 32, 3)]
[Conv(5, 5, 16, Padding = 2)]
[Relu]
[MaxPool(2, 2, Stride = 2)]
[Conv(5, 5, 20, Padding = 2)]
[Relu]
[MaxPool(2, 2, Stride = 2)]
[Conv(5, 5, 20, Padding = 2)]
[Relu]
[MaxPool(2, 2, Stride = 2)]
[FullyConnected(10)]
[Softmax]
public partial class CifarNet { }

/// <summary>
/// Network 4, VGG-style: 64×64×3 → 2 × Conv 3×3×32 pad 1 → MaxPool 2/2 → 2 × Conv 3×3×64 pad 1 →
/// MaxPool 2/2 → FC 128 → FC 10, with a ReLU after every Conv and after FC 128 (as VGG has; the
/// issue's list leaves the activations implicit).
/// </summary>
[Network]
[Input(64, 64, 3)]
[Conv(3, 3, 32, Padding = 1)]
[Relu]
[Conv(3, 3, 32, Padding = 1)]
[Relu]
[MaxPool(2, 2, Stride = 2)]
[Conv(3, 3, 64, Padding = 1)]
[Relu]
[Conv(3, 3, 64, Padding = 1)]
[Relu]
[MaxPool(2, 2, Stride = 2)]
[FullyConnected(128)]
[Relu]
[FullyConnected(10)]
public partial class VggNet { }
