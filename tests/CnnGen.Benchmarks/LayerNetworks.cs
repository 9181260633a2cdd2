// Single-layer networks: each layer of networks 3 and 4 on its own, to time layers one by one
// (CnnGen fuses a ReLU into the Conv or FC before it, so those pairs are timed together).
using CnnGen;

namespace CnnGen.Benchmarks.Networks;

#pragma warning disable CS1591

[Network, Input(32, 32, 3), Conv(5, 5, 16, Padding = 2), Relu] public partial class Cifar_Conv1 { }
[Network, Input(32, 32, 16), MaxPool(2, 2, Stride = 2)] public partial class Cifar_Pool1 { }
[Network, Input(16, 16, 16), Conv(5, 5, 20, Padding = 2), Relu] public partial class Cifar_Conv2 { }
[Network, Input(16, 16, 20), MaxPool(2, 2, Stride = 2)] public partial class Cifar_Pool2 { }
[Network, Input(8, 8, 20), Conv(5, 5, 20, Padding = 2), Relu] public partial class Cifar_Conv3 { }
[Network, Input(8, 8, 20), MaxPool(2, 2, Stride = 2)] public partial class Cifar_Pool3 { }
[Network, Input(4, 4, 20), FullyConnected(10), Softmax] public partial class Cifar_Fc1 { }

[Network, Input(64, 64, 3), Conv(3, 3, 32, Padding = 1), Relu] public partial class Vgg_Conv1 { }
[Network, Input(64, 64, 32), Conv(3, 3, 32, Padding = 1), Relu] public partial class Vgg_Conv2 { }
[Network, Input(64, 64, 32), MaxPool(2, 2, Stride = 2)] public partial class Vgg_Pool1 { }
[Network, Input(32, 32, 32), Conv(3, 3, 64, Padding = 1), Relu] public partial class Vgg_Conv3 { }
[Network, Input(32, 32, 64), Conv(3, 3, 64, Padding = 1), Relu] public partial class Vgg_Conv4 { }
[Network, Input(32, 32, 64), MaxPool(2, 2, Stride = 2)] public partial class Vgg_Pool2 { }
[Network, Input(16, 16, 64), FullyConnected(128), Relu] public partial class Vgg_Fc1 { }
[Network, Input(1, 1, 128), FullyConnected(10)] public partial class Vgg_Fc2 { }

[Network, Input(32, 32, 3), Conv(5, 5, 10), Relu] public partial class Seed_Conv1 { }
[Network, Input(28, 28, 10), MaxPool(2, 2, Stride = 2)] public partial class Seed_Pool1 { }
[Network, Input(14, 14, 10), FullyConnected(10), Softmax] public partial class Seed_Fc1 { }

[Network, Input(28, 28, 1), Conv(5, 5, 8, Padding = 2), Relu] public partial class LeNet_Conv1 { }
[Network, Input(28, 28, 8), MaxPool(2, 2, Stride = 2)] public partial class LeNet_Pool1 { }
[Network, Input(14, 14, 8), Conv(5, 5, 16, Padding = 2), Relu] public partial class LeNet_Conv2 { }
[Network, Input(14, 14, 16), MaxPool(3, 3, Stride = 3)] public partial class LeNet_Pool2 { }
[Network, Input(4, 4, 16), FullyConnected(10)] public partial class LeNet_Fc1 { }
