// Written by `cnngen import` from unet_64x64.onnx. Re-run the import rather than editing the layers by hand:
// the weights in ModelUnet.weights are laid out for exactly these layers.
using CnnGen;

namespace CnnGen.Benchmarks.Models;

// The network of unet_64x64.onnx (graph torch_jit), imported from ONNX:
// 64×64×3 input, 8192 outputs, 30,114 parameters.
// Source: ONNX opset 11, IR version 6, written by pytorch 1.13.0. Input input [N,3,64,64] (one item per call, C,H,W order); output output [N,2,64,64].
// Parameters: ModelUnet.weights, raw little-endian float32 in constructor order: new ModelUnet(NetworkParameters.ReadFile("ModelUnet.weights", ModelUnet.ParameterCount)).

[Network]
[Input(64, 64, 3)]                                                                          // 64×64×3 ← input
[Normalize(new float[] { 0.485f, 0.456f, 0.406f }, new float[] { 0.229f, 0.224f, 0.225f })] // Normalize1: 64×64×3 → 64×64×3 ← /Sub (Sub) + /Div (Div)
[Conv(3, 3, 8, Padding = 1)]                                                                // Conv1: 64×64×3 → 64×64×8 ← /enc1/enc1.0/Conv (Conv)
[Relu]                                                                                      // Relu1: 64×64×8 → 64×64×8 ← /enc1/enc1.2/Relu (Relu)
[Conv(3, 3, 8, Padding = 1)]                                                                // Conv2: 64×64×8 → 64×64×8 ← /enc1/enc1.3/Conv (Conv)
[Relu]                                                                                      // Relu2: 64×64×8 → 64×64×8 ← /enc1/enc1.5/Relu (Relu)
[MaxPool(2, 2)]                                                                             // MaxPool1: 64×64×8 → 32×32×8 ← /pool/MaxPool (MaxPool)
[Conv(3, 3, 16, Padding = 1)]                                                               // Conv3: 32×32×8 → 32×32×16 ← /enc2/enc2.0/Conv (Conv)
[Relu]                                                                                      // Relu3: 32×32×16 → 32×32×16 ← /enc2/enc2.2/Relu (Relu)
[Conv(3, 3, 16, Padding = 1)]                                                               // Conv4: 32×32×16 → 32×32×16 ← /enc2/enc2.3/Conv (Conv)
[Relu]                                                                                      // Relu4: 32×32×16 → 32×32×16 ← /enc2/enc2.5/Relu (Relu)
[MaxPool(2, 2)]                                                                             // MaxPool2: 32×32×16 → 16×16×16 ← /pool_1/MaxPool (MaxPool)
[Conv(3, 3, 32, Padding = 1)]                                                               // Conv5: 16×16×16 → 16×16×32 ← /bottom/bottom.0/Conv (Conv)
[Relu]                                                                                      // Relu5: 16×16×32 → 16×16×32 ← /bottom/bottom.2/Relu (Relu)
[Conv(3, 3, 32, Padding = 1)]                                                               // Conv6: 16×16×32 → 16×16×32 ← /bottom/bottom.3/Conv (Conv)
[Relu]                                                                                      // Relu6: 16×16×32 → 16×16×32 ← /bottom/bottom.5/Relu (Relu)
[ConvTranspose(2, 2, 16, Stride = 2)]                                                       // ConvTranspose1: 16×16×32 → 32×32×16 ← /up2/ConvTranspose (ConvTranspose)
[Concat("Relu4")]                                                                           // Concat1: 32×32×16 → 32×32×32 ← /Concat (Concat)
[Conv(3, 3, 16, Padding = 1)]                                                               // Conv7: 32×32×32 → 32×32×16 ← /dec2/dec2.0/Conv (Conv)
[Relu]                                                                                      // Relu7: 32×32×16 → 32×32×16 ← /dec2/dec2.2/Relu (Relu)
[Conv(3, 3, 16, Padding = 1)]                                                               // Conv8: 32×32×16 → 32×32×16 ← /dec2/dec2.3/Conv (Conv)
[Relu]                                                                                      // Relu8: 32×32×16 → 32×32×16 ← /dec2/dec2.5/Relu (Relu)
[Upsample(2, Mode = UpsampleMode.Bilinear)]                                                 // Upsample1: 32×32×16 → 64×64×16 ← /up1/Resize (Resize)
[Conv(3, 3, 8, Padding = 1)]                                                                // Conv9: 64×64×16 → 64×64×8 ← /reduce1/reduce1.0/Pad (Pad) + /reduce1/reduce1.1/Conv (Conv)
[LeakyRelu(Slope = 0.1f)]                                                                   // LeakyRelu1: 64×64×8 → 64×64×8 ← /reduce1/reduce1.2/LeakyRelu (LeakyRelu)
[Concat("Relu2")]                                                                           // Concat2: 64×64×8 → 64×64×16 ← /Concat_1 (Concat)
[Conv(3, 3, 8, Padding = 1)]                                                                // Conv10: 64×64×16 → 64×64×8 ← /dec1/dec1.0/Conv (Conv)
[Relu]                                                                                      // Relu9: 64×64×8 → 64×64×8 ← /dec1/dec1.2/Relu (Relu)
[Conv(3, 3, 8, Padding = 1)]                                                                // Conv11: 64×64×8 → 64×64×8 ← /dec1/dec1.3/Conv (Conv)
[Relu]                                                                                      // Relu10: 64×64×8 → 64×64×8 ← /dec1/dec1.5/Relu (Relu)
[Conv(1, 1, 2)]                                                                             // Conv12: 64×64×8 → 64×64×2 ← /head/Conv (Conv)
public partial class ModelUnet
{
}
