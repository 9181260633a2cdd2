// Written by `cnngen import` from lenet.onnx. Re-run the import rather than editing the layers by hand:
// the weights in LeNet.weights are laid out for exactly these layers.
using CnnGen;

namespace Mnist;

/// <summary>
/// The network of <c>lenet.onnx</c> (graph <c>torch_jit</c>), imported from ONNX:
/// 28×28×1 input, 10 outputs, 54,314 parameters.
/// </summary>
/// <remarks>
/// <para>Source: ONNX opset 13, IR version 7, written by pytorch 1.13.0. Input <c>input</c> [N,1,28,28] (one item per call, C,H,W order); output <c>probabilities</c> [N,10].</para>
/// <para>Parameters: <c>Model/lenet.weights</c> (written by the training script; <c>cnngen import</c> writes the same bytes), raw little-endian float32 in constructor order, embedded at build time: <c>new LeNet()</c>.</para>
/// <list type="table">
/// <listheader><term>Layer</term><description>Shape in → out, parameters (ONNX nodes)</description></listheader>
/// <item><term>Conv1</term><description>28×28×1 → 28×28×8, 208 parameters (/conv1/Conv (Conv))</description></item>
/// <item><term>Relu1</term><description>28×28×8 → 28×28×8 (/relu1/Relu (Relu))</description></item>
/// <item><term>MaxPool1</term><description>28×28×8 → 14×14×8 (/pool1/MaxPool (MaxPool))</description></item>
/// <item><term>Conv2</term><description>14×14×8 → 14×14×16, 3,216 parameters (/conv2/Conv (Conv))</description></item>
/// <item><term>Relu2</term><description>14×14×16 → 14×14×16 (/relu2/Relu (Relu))</description></item>
/// <item><term>MaxPool2</term><description>14×14×16 → 7×7×16 (/pool2/MaxPool (MaxPool))</description></item>
/// <item><term>Fc1</term><description>7×7×16 → 1×1×64, 50,240 parameters (/fc1/Gemm (Gemm))</description></item>
/// <item><term>Relu3</term><description>1×1×64 → 1×1×64 (/relu3/Relu (Relu))</description></item>
/// <item><term>Fc2</term><description>1×1×64 → 1×1×10, 650 parameters (/fc2/Gemm (Gemm))</description></item>
/// <item><term>Softmax1</term><description>1×1×10 → 1×1×10 (/softmax/Softmax (Softmax))</description></item>
/// </list>
/// </remarks>
[Network(Weights = "Model/lenet.weights")]
[Input(28, 28, 1)]            // 28×28×1 ← input
[Conv(5, 5, 8, Padding = 2)]  // Conv1: 28×28×1 → 28×28×8 ← /conv1/Conv (Conv)
[Relu]                        // Relu1: 28×28×8 → 28×28×8 ← /relu1/Relu (Relu)
[MaxPool(2, 2)]               // MaxPool1: 28×28×8 → 14×14×8 ← /pool1/MaxPool (MaxPool)
[Conv(5, 5, 16, Padding = 2)] // Conv2: 14×14×8 → 14×14×16 ← /conv2/Conv (Conv)
[Relu]                        // Relu2: 14×14×16 → 14×14×16 ← /relu2/Relu (Relu)
[MaxPool(2, 2)]               // MaxPool2: 14×14×16 → 7×7×16 ← /pool2/MaxPool (MaxPool)
[FullyConnected(64)]          // Fc1: 7×7×16 → 1×1×64 ← /fc1/Gemm (Gemm)
[Relu]                        // Relu3: 1×1×64 → 1×1×64 ← /relu3/Relu (Relu)
[FullyConnected(10)]          // Fc2: 1×1×64 → 1×1×10 ← /fc2/Gemm (Gemm)
[Softmax]                     // Softmax1: 1×1×10 → 1×1×10 ← /softmax/Softmax (Softmax)
public partial class LeNet
{
}
