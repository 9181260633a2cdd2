// Written by `cnngen import` from vgg11.onnx. Re-run the import rather than editing the layers by hand:
// the weights in FullVgg11.weights are laid out for exactly these layers.
using CnnGen;

namespace CnnGen.Benchmarks.FullModels;

// The network of vgg11.onnx (graph torch_jit), imported from ONNX:
// 224×224×3 input, 1000 outputs, 132,863,336 parameters.
// Source: ONNX opset 13, IR version 7, written by pytorch 1.13.0. Input input [N,3,224,224] (one item per call, C,H,W order); output output [N,1000].
// Parameters: FullVgg11.weights, raw little-endian float32 in constructor order: new FullVgg11(NetworkParameters.ReadFile("FullVgg11.weights", FullVgg11.ParameterCount)).

[Network]
[Input(224, 224, 3)]                   // 224×224×3 ← input
[Conv(3, 3, 64, Padding = 1)]          // Conv1: 224×224×3 → 224×224×64 ← /features/features.0/Conv (Conv)
[Relu]                                 // Relu1: 224×224×64 → 224×224×64 ← /features/features.1/Relu (Relu)
[MaxPool(2, 2)]                        // MaxPool1: 224×224×64 → 112×112×64 ← /features/features.2/MaxPool (MaxPool)
[Conv(3, 3, 128, Padding = 1)]         // Conv2: 112×112×64 → 112×112×128 ← /features/features.3/Conv (Conv)
[Relu]                                 // Relu2: 112×112×128 → 112×112×128 ← /features/features.4/Relu (Relu)
[MaxPool(2, 2)]                        // MaxPool2: 112×112×128 → 56×56×128 ← /features/features.5/MaxPool (MaxPool)
[Conv(3, 3, 256, Padding = 1)]         // Conv3: 56×56×128 → 56×56×256 ← /features/features.6/Conv (Conv)
[Relu]                                 // Relu3: 56×56×256 → 56×56×256 ← /features/features.7/Relu (Relu)
[Conv(3, 3, 256, Padding = 1)]         // Conv4: 56×56×256 → 56×56×256 ← /features/features.8/Conv (Conv)
[Relu]                                 // Relu4: 56×56×256 → 56×56×256 ← /features/features.9/Relu (Relu)
[MaxPool(2, 2)]                        // MaxPool3: 56×56×256 → 28×28×256 ← /features/features.10/MaxPool (MaxPool)
[Conv(3, 3, 512, Padding = 1)]         // Conv5: 28×28×256 → 28×28×512 ← /features/features.11/Conv (Conv)
[Relu]                                 // Relu5: 28×28×512 → 28×28×512 ← /features/features.12/Relu (Relu)
[Conv(3, 3, 512, Padding = 1)]         // Conv6: 28×28×512 → 28×28×512 ← /features/features.13/Conv (Conv)
[Relu]                                 // Relu6: 28×28×512 → 28×28×512 ← /features/features.14/Relu (Relu)
[MaxPool(2, 2)]                        // MaxPool4: 28×28×512 → 14×14×512 ← /features/features.15/MaxPool (MaxPool)
[Conv(3, 3, 512, Padding = 1)]         // Conv7: 14×14×512 → 14×14×512 ← /features/features.16/Conv (Conv)
[Relu]                                 // Relu7: 14×14×512 → 14×14×512 ← /features/features.17/Relu (Relu)
[Conv(3, 3, 512, Padding = 1)]         // Conv8: 14×14×512 → 14×14×512 ← /features/features.18/Conv (Conv)
[Relu]                                 // Relu8: 14×14×512 → 14×14×512 ← /features/features.19/Relu (Relu)
[MaxPool(2, 2)]                        // MaxPool5: 14×14×512 → 7×7×512 ← /features/features.20/MaxPool (MaxPool)
[AvgPool(1, 1, ExcludePadding = true)] // AvgPool1: 7×7×512 → 7×7×512 ← /avgpool/AveragePool (AveragePool)
[FullyConnected(4096)]                 // Fc1: 7×7×512 → 1×1×4096 ← /classifier/classifier.0/Gemm (Gemm)
[Relu]                                 // Relu9: 1×1×4096 → 1×1×4096 ← /classifier/classifier.1/Relu (Relu)
[FullyConnected(4096)]                 // Fc2: 1×1×4096 → 1×1×4096 ← /classifier/classifier.3/Gemm (Gemm)
[Relu]                                 // Relu10: 1×1×4096 → 1×1×4096 ← /classifier/classifier.4/Relu (Relu)
[FullyConnected(1000)]                 // Fc3: 1×1×4096 → 1×1×1000 ← /classifier/classifier.6/Gemm (Gemm)
public partial class FullVgg11
{
}
