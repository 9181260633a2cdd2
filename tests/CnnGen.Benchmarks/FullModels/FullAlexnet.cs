// Written by `cnngen import` from alexnet.onnx. Re-run the import rather than editing the layers by hand:
// the weights in FullAlexnet.weights are laid out for exactly these layers.
// Conv1: the stride does not tile the input, so the last rows or columns are never read,
// exactly as in the ONNX model. That is intended here, so the generator's warning about it is silenced.
#pragma warning disable CNN0012
using CnnGen;

namespace CnnGen.Benchmarks.FullModels;

// The network of alexnet.onnx (graph torch_jit), imported from ONNX:
// 224×224×3 input, 1000 outputs, 61,100,840 parameters.
// Source: ONNX opset 13, IR version 7, written by pytorch 1.13.0. Input input [N,3,224,224] (one item per call, C,H,W order); output output [N,1000].
// Parameters: FullAlexnet.weights, raw little-endian float32 in constructor order: new FullAlexnet(NetworkParameters.ReadFile("FullAlexnet.weights", FullAlexnet.ParameterCount)).

[Network]
[Input(224, 224, 3)]                        // 224×224×3 ← input
[Conv(11, 11, 64, Stride = 4, Padding = 2)] // Conv1: 224×224×3 → 55×55×64 ← /features/features.0/Conv (Conv)
[Relu]                                      // Relu1: 55×55×64 → 55×55×64 ← /features/features.1/Relu (Relu)
[MaxPool(3, 3, Stride = 2)]                 // MaxPool1: 55×55×64 → 27×27×64 ← /features/features.2/MaxPool (MaxPool)
[Conv(5, 5, 192, Padding = 2)]              // Conv2: 27×27×64 → 27×27×192 ← /features/features.3/Conv (Conv)
[Relu]                                      // Relu2: 27×27×192 → 27×27×192 ← /features/features.4/Relu (Relu)
[MaxPool(3, 3, Stride = 2)]                 // MaxPool2: 27×27×192 → 13×13×192 ← /features/features.5/MaxPool (MaxPool)
[Conv(3, 3, 384, Padding = 1)]              // Conv3: 13×13×192 → 13×13×384 ← /features/features.6/Conv (Conv)
[Relu]                                      // Relu3: 13×13×384 → 13×13×384 ← /features/features.7/Relu (Relu)
[Conv(3, 3, 256, Padding = 1)]              // Conv4: 13×13×384 → 13×13×256 ← /features/features.8/Conv (Conv)
[Relu]                                      // Relu4: 13×13×256 → 13×13×256 ← /features/features.9/Relu (Relu)
[Conv(3, 3, 256, Padding = 1)]              // Conv5: 13×13×256 → 13×13×256 ← /features/features.10/Conv (Conv)
[Relu]                                      // Relu5: 13×13×256 → 13×13×256 ← /features/features.11/Relu (Relu)
[MaxPool(3, 3, Stride = 2)]                 // MaxPool3: 13×13×256 → 6×6×256 ← /features/features.12/MaxPool (MaxPool)
[AvgPool(1, 1, ExcludePadding = true)]      // AvgPool1: 6×6×256 → 6×6×256 ← /avgpool/AveragePool (AveragePool)
[FullyConnected(4096)]                      // Fc1: 6×6×256 → 1×1×4096 ← /classifier/classifier.1/Gemm (Gemm)
[Relu]                                      // Relu6: 1×1×4096 → 1×1×4096 ← /classifier/classifier.2/Relu (Relu)
[FullyConnected(4096)]                      // Fc2: 1×1×4096 → 1×1×4096 ← /classifier/classifier.4/Gemm (Gemm)
[Relu]                                      // Relu7: 1×1×4096 → 1×1×4096 ← /classifier/classifier.5/Relu (Relu)
[FullyConnected(1000)]                      // Fc3: 1×1×4096 → 1×1×1000 ← /classifier/classifier.6/Gemm (Gemm)
public partial class FullAlexnet
{
}
