// Written by `cnngen import` from squeezenet1_1_64x64.onnx. Re-run the import rather than editing the layers by hand:
// the weights in ModelSqueezenet11.weights are laid out for exactly these layers.
// Conv1: the stride does not tile the input, so the last rows or columns are never read,
// exactly as in the ONNX model. That is intended here, so the generator's warning about it is silenced.
#pragma warning disable CNN0012
using CnnGen;

namespace CnnGen.Benchmarks.Models;

// The network of squeezenet1_1_64x64.onnx (graph torch_jit), imported from ONNX:
// 64×64×3 input, 10 outputs, 47,322 parameters.
// Source: ONNX opset 11, IR version 6, written by pytorch 1.13.0. Input input [N,3,64,64] (one item per call, C,H,W order); output output [N,10].
// Parameters: ModelSqueezenet11.weights, raw little-endian float32 in constructor order: new ModelSqueezenet11(NetworkParameters.ReadFile("ModelSqueezenet11.weights", ModelSqueezenet11.ParameterCount)).

[Network]
[Input(64, 64, 3)]                             // 64×64×3 ← input
[Conv(3, 3, 16, Stride = 2)]                   // Conv1: 64×64×3 → 31×31×16 ← /features/features.0/Conv (Conv)
[Relu]                                         // Relu1: 31×31×16 → 31×31×16 ← /features/features.1/Relu (Relu)
[MaxPool(3, 3, Stride = 2, CeilMode = true)]   // MaxPool1: 31×31×16 → 15×15×16 ← /features/features.2/MaxPool (MaxPool)
[Conv(1, 1, 4)]                                // Conv2: 15×15×16 → 15×15×4 ← /features/features.3/squeeze/Conv (Conv)
[Relu]                                         // Relu2: 15×15×4 → 15×15×4 ← /features/features.3/squeeze_activation/Relu (Relu)
[Conv(1, 1, 16)]                               // Conv3: 15×15×4 → 15×15×16 ← /features/features.3/expand1x1/Conv (Conv)
[Relu]                                         // Relu3: 15×15×16 → 15×15×16 ← /features/features.3/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 16, Padding = 1, From = "Relu2")]  // Conv4: 15×15×4 → 15×15×16 ← /features/features.3/expand3x3/Conv (Conv)
[Relu]                                         // Relu4: 15×15×16 → 15×15×16 ← /features/features.3/expand3x3_activation/Relu (Relu)
[Concat("Relu4", From = "Relu3")]              // Concat1: 15×15×16 → 15×15×32 ← /features/features.3/Concat (Concat)
[Conv(1, 1, 4)]                                // Conv5: 15×15×32 → 15×15×4 ← /features/features.4/squeeze/Conv (Conv)
[Relu]                                         // Relu5: 15×15×4 → 15×15×4 ← /features/features.4/squeeze_activation/Relu (Relu)
[Conv(1, 1, 16)]                               // Conv6: 15×15×4 → 15×15×16 ← /features/features.4/expand1x1/Conv (Conv)
[Relu]                                         // Relu6: 15×15×16 → 15×15×16 ← /features/features.4/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 16, Padding = 1, From = "Relu5")]  // Conv7: 15×15×4 → 15×15×16 ← /features/features.4/expand3x3/Conv (Conv)
[Relu]                                         // Relu7: 15×15×16 → 15×15×16 ← /features/features.4/expand3x3_activation/Relu (Relu)
[Concat("Relu7", From = "Relu6")]              // Concat2: 15×15×16 → 15×15×32 ← /features/features.4/Concat (Concat)
[MaxPool(3, 3, Stride = 2, CeilMode = true)]   // MaxPool2: 15×15×32 → 7×7×32 ← /features/features.5/MaxPool (MaxPool)
[Conv(1, 1, 8)]                                // Conv8: 7×7×32 → 7×7×8 ← /features/features.6/squeeze/Conv (Conv)
[Relu]                                         // Relu8: 7×7×8 → 7×7×8 ← /features/features.6/squeeze_activation/Relu (Relu)
[Conv(1, 1, 32)]                               // Conv9: 7×7×8 → 7×7×32 ← /features/features.6/expand1x1/Conv (Conv)
[Relu]                                         // Relu9: 7×7×32 → 7×7×32 ← /features/features.6/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 32, Padding = 1, From = "Relu8")]  // Conv10: 7×7×8 → 7×7×32 ← /features/features.6/expand3x3/Conv (Conv)
[Relu]                                         // Relu10: 7×7×32 → 7×7×32 ← /features/features.6/expand3x3_activation/Relu (Relu)
[Concat("Relu10", From = "Relu9")]             // Concat3: 7×7×32 → 7×7×64 ← /features/features.6/Concat (Concat)
[Conv(1, 1, 8)]                                // Conv11: 7×7×64 → 7×7×8 ← /features/features.7/squeeze/Conv (Conv)
[Relu]                                         // Relu11: 7×7×8 → 7×7×8 ← /features/features.7/squeeze_activation/Relu (Relu)
[Conv(1, 1, 32)]                               // Conv12: 7×7×8 → 7×7×32 ← /features/features.7/expand1x1/Conv (Conv)
[Relu]                                         // Relu12: 7×7×32 → 7×7×32 ← /features/features.7/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 32, Padding = 1, From = "Relu11")] // Conv13: 7×7×8 → 7×7×32 ← /features/features.7/expand3x3/Conv (Conv)
[Relu]                                         // Relu13: 7×7×32 → 7×7×32 ← /features/features.7/expand3x3_activation/Relu (Relu)
[Concat("Relu13", From = "Relu12")]            // Concat4: 7×7×32 → 7×7×64 ← /features/features.7/Concat (Concat)
[MaxPool(3, 3, Stride = 2, CeilMode = true)]   // MaxPool3: 7×7×64 → 3×3×64 ← /features/features.8/MaxPool (MaxPool)
[Conv(1, 1, 12)]                               // Conv14: 3×3×64 → 3×3×12 ← /features/features.9/squeeze/Conv (Conv)
[Relu]                                         // Relu14: 3×3×12 → 3×3×12 ← /features/features.9/squeeze_activation/Relu (Relu)
[Conv(1, 1, 48)]                               // Conv15: 3×3×12 → 3×3×48 ← /features/features.9/expand1x1/Conv (Conv)
[Relu]                                         // Relu15: 3×3×48 → 3×3×48 ← /features/features.9/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 48, Padding = 1, From = "Relu14")] // Conv16: 3×3×12 → 3×3×48 ← /features/features.9/expand3x3/Conv (Conv)
[Relu]                                         // Relu16: 3×3×48 → 3×3×48 ← /features/features.9/expand3x3_activation/Relu (Relu)
[Concat("Relu16", From = "Relu15")]            // Concat5: 3×3×48 → 3×3×96 ← /features/features.9/Concat (Concat)
[Conv(1, 1, 12)]                               // Conv17: 3×3×96 → 3×3×12 ← /features/features.10/squeeze/Conv (Conv)
[Relu]                                         // Relu17: 3×3×12 → 3×3×12 ← /features/features.10/squeeze_activation/Relu (Relu)
[Conv(1, 1, 48)]                               // Conv18: 3×3×12 → 3×3×48 ← /features/features.10/expand1x1/Conv (Conv)
[Relu]                                         // Relu18: 3×3×48 → 3×3×48 ← /features/features.10/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 48, Padding = 1, From = "Relu17")] // Conv19: 3×3×12 → 3×3×48 ← /features/features.10/expand3x3/Conv (Conv)
[Relu]                                         // Relu19: 3×3×48 → 3×3×48 ← /features/features.10/expand3x3_activation/Relu (Relu)
[Concat("Relu19", From = "Relu18")]            // Concat6: 3×3×48 → 3×3×96 ← /features/features.10/Concat (Concat)
[Conv(1, 1, 16)]                               // Conv20: 3×3×96 → 3×3×16 ← /features/features.11/squeeze/Conv (Conv)
[Relu]                                         // Relu20: 3×3×16 → 3×3×16 ← /features/features.11/squeeze_activation/Relu (Relu)
[Conv(1, 1, 64)]                               // Conv21: 3×3×16 → 3×3×64 ← /features/features.11/expand1x1/Conv (Conv)
[Relu]                                         // Relu21: 3×3×64 → 3×3×64 ← /features/features.11/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 64, Padding = 1, From = "Relu20")] // Conv22: 3×3×16 → 3×3×64 ← /features/features.11/expand3x3/Conv (Conv)
[Relu]                                         // Relu22: 3×3×64 → 3×3×64 ← /features/features.11/expand3x3_activation/Relu (Relu)
[Concat("Relu22", From = "Relu21")]            // Concat7: 3×3×64 → 3×3×128 ← /features/features.11/Concat (Concat)
[Conv(1, 1, 16)]                               // Conv23: 3×3×128 → 3×3×16 ← /features/features.12/squeeze/Conv (Conv)
[Relu]                                         // Relu23: 3×3×16 → 3×3×16 ← /features/features.12/squeeze_activation/Relu (Relu)
[Conv(1, 1, 64)]                               // Conv24: 3×3×16 → 3×3×64 ← /features/features.12/expand1x1/Conv (Conv)
[Relu]                                         // Relu24: 3×3×64 → 3×3×64 ← /features/features.12/expand1x1_activation/Relu (Relu)
[Conv(3, 3, 64, Padding = 1, From = "Relu23")] // Conv25: 3×3×16 → 3×3×64 ← /features/features.12/expand3x3/Conv (Conv)
[Relu]                                         // Relu25: 3×3×64 → 3×3×64 ← /features/features.12/expand3x3_activation/Relu (Relu)
[Concat("Relu25", From = "Relu24")]            // Concat8: 3×3×64 → 3×3×128 ← /features/features.12/Concat (Concat)
[Conv(1, 1, 10)]                               // Conv26: 3×3×128 → 3×3×10 ← /classifier/classifier.1/Conv (Conv)
[Relu]                                         // Relu26: 3×3×10 → 3×3×10 ← /classifier/classifier.2/Relu (Relu)
[AvgPool(3, 3)]                                // AvgPool1: 3×3×10 → 1×1×10 ← /classifier/classifier.3/GlobalAveragePool (GlobalAveragePool)
public partial class ModelSqueezenet11
{
}
