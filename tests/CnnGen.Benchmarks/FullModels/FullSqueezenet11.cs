// Written by `cnngen import` from squeezenet1_1.onnx. Re-run the import rather than editing the layers by hand:
// the weights in FullSqueezenet11.weights are laid out for exactly these layers.
// Conv1: the stride does not tile the input, so the last rows or columns are never read,
// exactly as in the ONNX model. That is intended here, so the generator's warning about it is silenced.
#pragma warning disable CNN0012
using CnnGen;

namespace CnnGen.Benchmarks.FullModels;

// The network of squeezenet1_1.onnx (graph torch_jit), imported from ONNX:
// 224×224×3 input, 1000 outputs, 1,235,496 parameters.
// Source: ONNX opset 13, IR version 7, written by pytorch 1.13.0. Input input [N,3,224,224] (one item per call, C,H,W order); output output [N,1000].
// Parameters: FullSqueezenet11.weights, raw little-endian float32 in constructor order: new FullSqueezenet11(NetworkParameters.ReadFile("FullSqueezenet11.weights", FullSqueezenet11.ParameterCount)).

[Network]
[Input(224, 224, 3)]                            // 224×224×3 ← input
[Conv(3, 3, 64, Stride = 2)]                    // Conv1: 224×224×3 → 111×111×64 ← /features/features.0/Conv (Conv)
[Relu]                                          // Relu1: 111×111×64 → 111×111×64 ← /features/features.1/Relu (Relu)
[MaxPool(3, 3, Stride = 2, CeilMode = true)]    // MaxPool1: 111×111×64 → 55×55×64 ← /features/features.2/MaxPool (MaxPool)
[Conv(1, 1, 16)]                                // Conv2: 55×55×64 → 55×55×16 ← /features/features.3/squeeze/Conv (Conv)
[Relu]                                          // Relu2: 55×55×16 → 55×55×16 ← /features/features.3/squeeze_activation/Relu (Relu)
[Conv(1, 1, 64)]                                // Conv3: 55×55×16 → 55×55×64 ← /features/features.3/expand1x1/Conv (Conv)
[Relu]                                          // Relu3: 55×55×64 → 55×55×64 ← /features/features.3/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 64, Padding = 1, From = "Relu2")]   // Conv4: 55×55×16 → 55×55×64 ← /features/features.3/expand3x3/Conv (Conv)
[Relu]                                          // Relu4: 55×55×64 → 55×55×64 ← /features/features.3/expand3x3_activation/Relu (Relu)
[Concat("Relu4", From = "Relu3")]               // Concat1: 55×55×64 → 55×55×128 ← /features/features.3/Concat (Concat)
[Conv(1, 1, 16)]                                // Conv5: 55×55×128 → 55×55×16 ← /features/features.4/squeeze/Conv (Conv)
[Relu]                                          // Relu5: 55×55×16 → 55×55×16 ← /features/features.4/squeeze_activation/Relu (Relu)
[Conv(1, 1, 64)]                                // Conv6: 55×55×16 → 55×55×64 ← /features/features.4/expand1x1/Conv (Conv)
[Relu]                                          // Relu6: 55×55×64 → 55×55×64 ← /features/features.4/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 64, Padding = 1, From = "Relu5")]   // Conv7: 55×55×16 → 55×55×64 ← /features/features.4/expand3x3/Conv (Conv)
[Relu]                                          // Relu7: 55×55×64 → 55×55×64 ← /features/features.4/expand3x3_activation/Relu (Relu)
[Concat("Relu7", From = "Relu6")]               // Concat2: 55×55×64 → 55×55×128 ← /features/features.4/Concat (Concat)
[MaxPool(3, 3, Stride = 2, CeilMode = true)]    // MaxPool2: 55×55×128 → 27×27×128 ← /features/features.5/MaxPool (MaxPool)
[Conv(1, 1, 32)]                                // Conv8: 27×27×128 → 27×27×32 ← /features/features.6/squeeze/Conv (Conv)
[Relu]                                          // Relu8: 27×27×32 → 27×27×32 ← /features/features.6/squeeze_activation/Relu (Relu)
[Conv(1, 1, 128)]                               // Conv9: 27×27×32 → 27×27×128 ← /features/features.6/expand1x1/Conv (Conv)
[Relu]                                          // Relu9: 27×27×128 → 27×27×128 ← /features/features.6/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 128, Padding = 1, From = "Relu8")]  // Conv10: 27×27×32 → 27×27×128 ← /features/features.6/expand3x3/Conv (Conv)
[Relu]                                          // Relu10: 27×27×128 → 27×27×128 ← /features/features.6/expand3x3_activation/Relu (Relu)
[Concat("Relu10", From = "Relu9")]              // Concat3: 27×27×128 → 27×27×256 ← /features/features.6/Concat (Concat)
[Conv(1, 1, 32)]                                // Conv11: 27×27×256 → 27×27×32 ← /features/features.7/squeeze/Conv (Conv)
[Relu]                                          // Relu11: 27×27×32 → 27×27×32 ← /features/features.7/squeeze_activation/Relu (Relu)
[Conv(1, 1, 128)]                               // Conv12: 27×27×32 → 27×27×128 ← /features/features.7/expand1x1/Conv (Conv)
[Relu]                                          // Relu12: 27×27×128 → 27×27×128 ← /features/features.7/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 128, Padding = 1, From = "Relu11")] // Conv13: 27×27×32 → 27×27×128 ← /features/features.7/expand3x3/Conv (Conv)
[Relu]                                          // Relu13: 27×27×128 → 27×27×128 ← /features/features.7/expand3x3_activation/Relu (Relu)
[Concat("Relu13", From = "Relu12")]             // Concat4: 27×27×128 → 27×27×256 ← /features/features.7/Concat (Concat)
[MaxPool(3, 3, Stride = 2, CeilMode = true)]    // MaxPool3: 27×27×256 → 13×13×256 ← /features/features.8/MaxPool (MaxPool)
[Conv(1, 1, 48)]                                // Conv14: 13×13×256 → 13×13×48 ← /features/features.9/squeeze/Conv (Conv)
[Relu]                                          // Relu14: 13×13×48 → 13×13×48 ← /features/features.9/squeeze_activation/Relu (Relu)
[Conv(1, 1, 192)]                               // Conv15: 13×13×48 → 13×13×192 ← /features/features.9/expand1x1/Conv (Conv)
[Relu]                                          // Relu15: 13×13×192 → 13×13×192 ← /features/features.9/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 192, Padding = 1, From = "Relu14")] // Conv16: 13×13×48 → 13×13×192 ← /features/features.9/expand3x3/Conv (Conv)
[Relu]                                          // Relu16: 13×13×192 → 13×13×192 ← /features/features.9/expand3x3_activation/Relu (Relu)
[Concat("Relu16", From = "Relu15")]             // Concat5: 13×13×192 → 13×13×384 ← /features/features.9/Concat (Concat)
[Conv(1, 1, 48)]                                // Conv17: 13×13×384 → 13×13×48 ← /features/features.10/squeeze/Conv (Conv)
[Relu]                                          // Relu17: 13×13×48 → 13×13×48 ← /features/features.10/squeeze_activation/Relu (Relu)
[Conv(1, 1, 192)]                               // Conv18: 13×13×48 → 13×13×192 ← /features/features.10/expand1x1/Conv (Conv)
[Relu]                                          // Relu18: 13×13×192 → 13×13×192 ← /features/features.10/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 192, Padding = 1, From = "Relu17")] // Conv19: 13×13×48 → 13×13×192 ← /features/features.10/expand3x3/Conv (Conv)
[Relu]                                          // Relu19: 13×13×192 → 13×13×192 ← /features/features.10/expand3x3_activation/Relu (Relu)
[Concat("Relu19", From = "Relu18")]             // Concat6: 13×13×192 → 13×13×384 ← /features/features.10/Concat (Concat)
[Conv(1, 1, 64)]                                // Conv20: 13×13×384 → 13×13×64 ← /features/features.11/squeeze/Conv (Conv)
[Relu]                                          // Relu20: 13×13×64 → 13×13×64 ← /features/features.11/squeeze_activation/Relu (Relu)
[Conv(1, 1, 256)]                               // Conv21: 13×13×64 → 13×13×256 ← /features/features.11/expand1x1/Conv (Conv)
[Relu]                                          // Relu21: 13×13×256 → 13×13×256 ← /features/features.11/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 256, Padding = 1, From = "Relu20")] // Conv22: 13×13×64 → 13×13×256 ← /features/features.11/expand3x3/Conv (Conv)
[Relu]                                          // Relu22: 13×13×256 → 13×13×256 ← /features/features.11/expand3x3_activation/Relu (Relu)
[Concat("Relu22", From = "Relu21")]             // Concat7: 13×13×256 → 13×13×512 ← /features/features.11/Concat (Concat)
[Conv(1, 1, 64)]                                // Conv23: 13×13×512 → 13×13×64 ← /features/features.12/squeeze/Conv (Conv)
[Relu]                                          // Relu23: 13×13×64 → 13×13×64 ← /features/features.12/squeeze_activation/Relu (Relu)
[Conv(1, 1, 256)]                               // Conv24: 13×13×64 → 13×13×256 ← /features/features.12/expand1x1/Conv (Conv)
[Relu]                                          // Relu24: 13×13×256 → 13×13×256 ← /features/features.12/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 256, Padding = 1, From = "Relu23")] // Conv25: 13×13×64 → 13×13×256 ← /features/features.12/expand3x3/Conv (Conv)
[Relu]                                          // Relu25: 13×13×256 → 13×13×256 ← /features/features.12/expand3x3_activation/Relu (Relu)
[Concat("Relu25", From = "Relu24")]             // Concat8: 13×13×256 → 13×13×512 ← /features/features.12/Concat (Concat)
[Conv(1, 1, 1000)]                              // Conv26: 13×13×512 → 13×13×1000 ← /classifier/classifier.1/Conv (Conv)
[Relu]                                          // Relu26: 13×13×1000 → 13×13×1000 ← /classifier/classifier.2/Relu (Relu)
[AvgPool(13, 13)]                               // AvgPool1: 13×13×1000 → 1×1×1000 ← /classifier/classifier.3/GlobalAveragePool (GlobalAveragePool)
public partial class FullSqueezenet11
{
}
