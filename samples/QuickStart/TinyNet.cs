using CnnGen;

namespace QuickStart;

/// <summary>The network from the README: INPUT → CONV → RELU → POOL → FC → SOFTMAX.</summary>
[Network]
[Input(32, 32, 3)]            // width × height × depth
[Conv(5, 5, 10)]              // 10 filters of 5×5×3 → 28×28×10
[Relu]
[MaxPool(2, 2, Stride = 2)]   // → 14×14×10
[FullyConnected(10)]          // → 10
[Softmax]
public partial class TinyNet { }
