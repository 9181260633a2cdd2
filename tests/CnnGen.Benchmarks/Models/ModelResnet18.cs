// Written by `cnngen import` from resnet18_64x64.onnx. Re-run the import rather than editing the layers by hand:
// the weights in ModelResnet18.weights are laid out for exactly these layers.
// Conv1, MaxPool1, Conv6, Conv8, Conv11, Conv13, Conv16, Conv18: the stride does not tile the input, so the last rows or columns are never read,
// exactly as in the ONNX model. That is intended here, so the generator's warning about it is silenced.
#pragma warning disable CNN0012
using CnnGen;

namespace CnnGen.Benchmarks.Models;

// The network of resnet18_64x64.onnx (graph torch_jit), imported from ONNX:
// 64×64×3 input, 10 outputs, 44,802 parameters.
// Source: ONNX opset 11, IR version 6, written by pytorch 1.13.0. Input input [N,3,64,64] (one item per call, C,H,W order); output output [N,10].
// Parameters: ModelResnet18.weights, raw little-endian float32 in constructor order: new ModelResnet18(NetworkParameters.ReadFile("ModelResnet18.weights", ModelResnet18.ParameterCount)).

[Network]
[Input(64, 64, 3)]                            // 64×64×3 ← input
[Conv(7, 7, 4, Stride = 2, Padding = 3)]      // Conv1: 64×64×3 → 32×32×4 ← /conv1/Conv (Conv)
[Relu]                                        // Relu1: 32×32×4 → 32×32×4 ← /relu/Relu (Relu)
[MaxPool(3, 3, Stride = 2, Padding = 1)]      // MaxPool1: 32×32×4 → 16×16×4 ← /maxpool/MaxPool (MaxPool)
[Conv(3, 3, 4, Padding = 1)]                  // Conv2: 16×16×4 → 16×16×4 ← /layer1/layer1.0/conv1/Conv (Conv)
[Relu]                                        // Relu2: 16×16×4 → 16×16×4 ← /layer1/layer1.0/relu/Relu (Relu)
[Conv(3, 3, 4, Padding = 1)]                  // Conv3: 16×16×4 → 16×16×4 ← /layer1/layer1.0/conv2/Conv (Conv)
[Add("MaxPool1")]                             // Add1: 16×16×4 → 16×16×4 ← /layer1/layer1.0/Add (Add)
[Relu]                                        // Relu3: 16×16×4 → 16×16×4 ← /layer1/layer1.0/relu_1/Relu (Relu)
[Conv(3, 3, 4, Padding = 1)]                  // Conv4: 16×16×4 → 16×16×4 ← /layer1/layer1.1/conv1/Conv (Conv)
[Relu]                                        // Relu4: 16×16×4 → 16×16×4 ← /layer1/layer1.1/relu/Relu (Relu)
[Conv(3, 3, 4, Padding = 1)]                  // Conv5: 16×16×4 → 16×16×4 ← /layer1/layer1.1/conv2/Conv (Conv)
[Add("Relu3")]                                // Add2: 16×16×4 → 16×16×4 ← /layer1/layer1.1/Add (Add)
[Relu]                                        // Relu5: 16×16×4 → 16×16×4 ← /layer1/layer1.1/relu_1/Relu (Relu)
[Conv(3, 3, 8, Stride = 2, Padding = 1)]      // Conv6: 16×16×4 → 8×8×8 ← /layer2/layer2.0/conv1/Conv (Conv)
[Relu]                                        // Relu6: 8×8×8 → 8×8×8 ← /layer2/layer2.0/relu/Relu (Relu)
[Conv(3, 3, 8, Padding = 1)]                  // Conv7: 8×8×8 → 8×8×8 ← /layer2/layer2.0/conv2/Conv (Conv)
[Conv(1, 1, 8, Stride = 2, From = "Relu5")]   // Conv8: 16×16×4 → 8×8×8 ← /layer2/layer2.0/downsample/downsample.0/Conv (Conv)
[Add("Conv8", From = "Conv7")]                // Add3: 8×8×8 → 8×8×8 ← /layer2/layer2.0/Add (Add)
[Relu]                                        // Relu7: 8×8×8 → 8×8×8 ← /layer2/layer2.0/relu_1/Relu (Relu)
[Conv(3, 3, 8, Padding = 1)]                  // Conv9: 8×8×8 → 8×8×8 ← /layer2/layer2.1/conv1/Conv (Conv)
[Relu]                                        // Relu8: 8×8×8 → 8×8×8 ← /layer2/layer2.1/relu/Relu (Relu)
[Conv(3, 3, 8, Padding = 1)]                  // Conv10: 8×8×8 → 8×8×8 ← /layer2/layer2.1/conv2/Conv (Conv)
[Add("Relu7")]                                // Add4: 8×8×8 → 8×8×8 ← /layer2/layer2.1/Add (Add)
[Relu]                                        // Relu9: 8×8×8 → 8×8×8 ← /layer2/layer2.1/relu_1/Relu (Relu)
[Conv(3, 3, 16, Stride = 2, Padding = 1)]     // Conv11: 8×8×8 → 4×4×16 ← /layer3/layer3.0/conv1/Conv (Conv)
[Relu]                                        // Relu10: 4×4×16 → 4×4×16 ← /layer3/layer3.0/relu/Relu (Relu)
[Conv(3, 3, 16, Padding = 1)]                 // Conv12: 4×4×16 → 4×4×16 ← /layer3/layer3.0/conv2/Conv (Conv)
[Conv(1, 1, 16, Stride = 2, From = "Relu9")]  // Conv13: 8×8×8 → 4×4×16 ← /layer3/layer3.0/downsample/downsample.0/Conv (Conv)
[Add("Conv13", From = "Conv12")]              // Add5: 4×4×16 → 4×4×16 ← /layer3/layer3.0/Add (Add)
[Relu]                                        // Relu11: 4×4×16 → 4×4×16 ← /layer3/layer3.0/relu_1/Relu (Relu)
[Conv(3, 3, 16, Padding = 1)]                 // Conv14: 4×4×16 → 4×4×16 ← /layer3/layer3.1/conv1/Conv (Conv)
[Relu]                                        // Relu12: 4×4×16 → 4×4×16 ← /layer3/layer3.1/relu/Relu (Relu)
[Conv(3, 3, 16, Padding = 1)]                 // Conv15: 4×4×16 → 4×4×16 ← /layer3/layer3.1/conv2/Conv (Conv)
[Add("Relu11")]                               // Add6: 4×4×16 → 4×4×16 ← /layer3/layer3.1/Add (Add)
[Relu]                                        // Relu13: 4×4×16 → 4×4×16 ← /layer3/layer3.1/relu_1/Relu (Relu)
[Conv(3, 3, 32, Stride = 2, Padding = 1)]     // Conv16: 4×4×16 → 2×2×32 ← /layer4/layer4.0/conv1/Conv (Conv)
[Relu]                                        // Relu14: 2×2×32 → 2×2×32 ← /layer4/layer4.0/relu/Relu (Relu)
[Conv(3, 3, 32, Padding = 1)]                 // Conv17: 2×2×32 → 2×2×32 ← /layer4/layer4.0/conv2/Conv (Conv)
[Conv(1, 1, 32, Stride = 2, From = "Relu13")] // Conv18: 4×4×16 → 2×2×32 ← /layer4/layer4.0/downsample/downsample.0/Conv (Conv)
[Add("Conv18", From = "Conv17")]              // Add7: 2×2×32 → 2×2×32 ← /layer4/layer4.0/Add (Add)
[Relu]                                        // Relu15: 2×2×32 → 2×2×32 ← /layer4/layer4.0/relu_1/Relu (Relu)
[Conv(3, 3, 32, Padding = 1)]                 // Conv19: 2×2×32 → 2×2×32 ← /layer4/layer4.1/conv1/Conv (Conv)
[Relu]                                        // Relu16: 2×2×32 → 2×2×32 ← /layer4/layer4.1/relu/Relu (Relu)
[Conv(3, 3, 32, Padding = 1)]                 // Conv20: 2×2×32 → 2×2×32 ← /layer4/layer4.1/conv2/Conv (Conv)
[Add("Relu15")]                               // Add8: 2×2×32 → 2×2×32 ← /layer4/layer4.1/Add (Add)
[Relu]                                        // Relu17: 2×2×32 → 2×2×32 ← /layer4/layer4.1/relu_1/Relu (Relu)
[AvgPool(2, 2)]                               // AvgPool1: 2×2×32 → 1×1×32 ← /avgpool/GlobalAveragePool (GlobalAveragePool)
[FullyConnected(10)]                          // Fc1: 1×1×32 → 1×1×10 ← /fc/Gemm (Gemm)
public partial class ModelResnet18
{
}
