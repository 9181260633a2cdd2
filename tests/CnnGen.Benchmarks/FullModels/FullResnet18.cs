// Written by `cnngen import` from resnet18.onnx. Re-run the import rather than editing the layers by hand:
// the weights in FullResnet18.weights are laid out for exactly these layers.
// Conv1, MaxPool1, Conv6, Conv8, Conv11, Conv13, Conv16, Conv18: the stride does not tile the input, so the last rows or columns are never read,
// exactly as in the ONNX model. That is intended here, so the generator's warning about it is silenced.
#pragma warning disable CNN0012
using CnnGen;

namespace CnnGen.Benchmarks.FullModels;

// The network of resnet18.onnx (graph torch_jit), imported from ONNX:
// 224×224×3 input, 1000 outputs, 11,684,712 parameters.
// Source: ONNX opset 13, IR version 7, written by pytorch 1.13.0. Input input [N,3,224,224] (one item per call, C,H,W order); output output [N,1000].
// Parameters: FullResnet18.weights, raw little-endian float32 in constructor order: new FullResnet18(NetworkParameters.ReadFile("FullResnet18.weights", FullResnet18.ParameterCount)).

[Network]
[Input(224, 224, 3)]                           // 224×224×3 ← input
[Conv(7, 7, 64, Stride = 2, Padding = 3)]      // Conv1: 224×224×3 → 112×112×64 ← /conv1/Conv (Conv)
[Relu]                                         // Relu1: 112×112×64 → 112×112×64 ← /relu/Relu (Relu)
[MaxPool(3, 3, Stride = 2, Padding = 1)]       // MaxPool1: 112×112×64 → 56×56×64 ← /maxpool/MaxPool (MaxPool)
[Conv(3, 3, 64, Padding = 1)]                  // Conv2: 56×56×64 → 56×56×64 ← /layer1/layer1.0/conv1/Conv (Conv)
[Relu]                                         // Relu2: 56×56×64 → 56×56×64 ← /layer1/layer1.0/relu/Relu (Relu)
[Conv(3, 3, 64, Padding = 1)]                  // Conv3: 56×56×64 → 56×56×64 ← /layer1/layer1.0/conv2/Conv (Conv)
[Add("MaxPool1")]                              // Add1: 56×56×64 → 56×56×64 ← /layer1/layer1.0/Add (Add)
[Relu]                                         // Relu3: 56×56×64 → 56×56×64 ← /layer1/layer1.0/relu_1/Relu (Relu)
[Conv(3, 3, 64, Padding = 1)]                  // Conv4: 56×56×64 → 56×56×64 ← /layer1/layer1.1/conv1/Conv (Conv)
[Relu]                                         // Relu4: 56×56×64 → 56×56×64 ← /layer1/layer1.1/relu/Relu (Relu)
[Conv(3, 3, 64, Padding = 1)]                  // Conv5: 56×56×64 → 56×56×64 ← /layer1/layer1.1/conv2/Conv (Conv)
[Add("Relu3")]                                 // Add2: 56×56×64 → 56×56×64 ← /layer1/layer1.1/Add (Add)
[Relu]                                         // Relu5: 56×56×64 → 56×56×64 ← /layer1/layer1.1/relu_1/Relu (Relu)
[Conv(3, 3, 128, Stride = 2, Padding = 1)]     // Conv6: 56×56×64 → 28×28×128 ← /layer2/layer2.0/conv1/Conv (Conv)
[Relu]                                         // Relu6: 28×28×128 → 28×28×128 ← /layer2/layer2.0/relu/Relu (Relu)
[Conv(3, 3, 128, Padding = 1)]                 // Conv7: 28×28×128 → 28×28×128 ← /layer2/layer2.0/conv2/Conv (Conv)
[Conv(1, 1, 128, Stride = 2, From = "Relu5")]  // Conv8: 56×56×64 → 28×28×128 ← /layer2/layer2.0/downsample/downsample.0/Conv (Conv)
[Add("Conv8", From = "Conv7")]                 // Add3: 28×28×128 → 28×28×128 ← /layer2/layer2.0/Add (Add)
[Relu]                                         // Relu7: 28×28×128 → 28×28×128 ← /layer2/layer2.0/relu_1/Relu (Relu)
[Conv(3, 3, 128, Padding = 1)]                 // Conv9: 28×28×128 → 28×28×128 ← /layer2/layer2.1/conv1/Conv (Conv)
[Relu]                                         // Relu8: 28×28×128 → 28×28×128 ← /layer2/layer2.1/relu/Relu (Relu)
[Conv(3, 3, 128, Padding = 1)]                 // Conv10: 28×28×128 → 28×28×128 ← /layer2/layer2.1/conv2/Conv (Conv)
[Add("Relu7")]                                 // Add4: 28×28×128 → 28×28×128 ← /layer2/layer2.1/Add (Add)
[Relu]                                         // Relu9: 28×28×128 → 28×28×128 ← /layer2/layer2.1/relu_1/Relu (Relu)
[Conv(3, 3, 256, Stride = 2, Padding = 1)]     // Conv11: 28×28×128 → 14×14×256 ← /layer3/layer3.0/conv1/Conv (Conv)
[Relu]                                         // Relu10: 14×14×256 → 14×14×256 ← /layer3/layer3.0/relu/Relu (Relu)
[Conv(3, 3, 256, Padding = 1)]                 // Conv12: 14×14×256 → 14×14×256 ← /layer3/layer3.0/conv2/Conv (Conv)
[Conv(1, 1, 256, Stride = 2, From = "Relu9")]  // Conv13: 28×28×128 → 14×14×256 ← /layer3/layer3.0/downsample/downsample.0/Conv (Conv)
[Add("Conv13", From = "Conv12")]               // Add5: 14×14×256 → 14×14×256 ← /layer3/layer3.0/Add (Add)
[Relu]                                         // Relu11: 14×14×256 → 14×14×256 ← /layer3/layer3.0/relu_1/Relu (Relu)
[Conv(3, 3, 256, Padding = 1)]                 // Conv14: 14×14×256 → 14×14×256 ← /layer3/layer3.1/conv1/Conv (Conv)
[Relu]                                         // Relu12: 14×14×256 → 14×14×256 ← /layer3/layer3.1/relu/Relu (Relu)
[Conv(3, 3, 256, Padding = 1)]                 // Conv15: 14×14×256 → 14×14×256 ← /layer3/layer3.1/conv2/Conv (Conv)
[Add("Relu11")]                                // Add6: 14×14×256 → 14×14×256 ← /layer3/layer3.1/Add (Add)
[Relu]                                         // Relu13: 14×14×256 → 14×14×256 ← /layer3/layer3.1/relu_1/Relu (Relu)
[Conv(3, 3, 512, Stride = 2, Padding = 1)]     // Conv16: 14×14×256 → 7×7×512 ← /layer4/layer4.0/conv1/Conv (Conv)
[Relu]                                         // Relu14: 7×7×512 → 7×7×512 ← /layer4/layer4.0/relu/Relu (Relu)
[Conv(3, 3, 512, Padding = 1)]                 // Conv17: 7×7×512 → 7×7×512 ← /layer4/layer4.0/conv2/Conv (Conv)
[Conv(1, 1, 512, Stride = 2, From = "Relu13")] // Conv18: 14×14×256 → 7×7×512 ← /layer4/layer4.0/downsample/downsample.0/Conv (Conv)
[Add("Conv18", From = "Conv17")]               // Add7: 7×7×512 → 7×7×512 ← /layer4/layer4.0/Add (Add)
[Relu]                                         // Relu15: 7×7×512 → 7×7×512 ← /layer4/layer4.0/relu_1/Relu (Relu)
[Conv(3, 3, 512, Padding = 1)]                 // Conv19: 7×7×512 → 7×7×512 ← /layer4/layer4.1/conv1/Conv (Conv)
[Relu]                                         // Relu16: 7×7×512 → 7×7×512 ← /layer4/layer4.1/relu/Relu (Relu)
[Conv(3, 3, 512, Padding = 1)]                 // Conv20: 7×7×512 → 7×7×512 ← /layer4/layer4.1/conv2/Conv (Conv)
[Add("Relu15")]                                // Add8: 7×7×512 → 7×7×512 ← /layer4/layer4.1/Add (Add)
[Relu]                                         // Relu17: 7×7×512 → 7×7×512 ← /layer4/layer4.1/relu_1/Relu (Relu)
[AvgPool(7, 7)]                                // AvgPool1: 7×7×512 → 1×1×512 ← /avgpool/GlobalAveragePool (GlobalAveragePool)
[FullyConnected(1000)]                         // Fc1: 1×1×512 → 1×1×1000 ← /fc/Gemm (Gemm)
public partial class FullResnet18
{
}
