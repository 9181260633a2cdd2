using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Benchmarks.Networks;

namespace CnnGen.Benchmarks;

/// <summary>A network under test: how to build the generated class, its layers, and its data.</summary>
public sealed class NetworkCase
{
    private readonly Func<float[], INetwork> _create;

    internal NetworkCase(string id, string title, IReadOnlyList<LayerInfo> layers, int parameterCount, Func<float[], INetwork> create)
    {
        Id = id;
        Title = title;
        Layers = layers;
        ParameterCount = parameterCount;
        _create = create;
        Input = layers[0].Input;
        OutputLength = layers[^1].Output.Length;
        MultiplyAdds = layers.Sum(l => l.MultiplyAdds);
    }

    /// <summary>Short id used as the benchmark parameter, e.g. <c>4-vgg</c>.</summary>
    public string Id { get; }

    /// <summary>Description for tables.</summary>
    public string Title { get; }

    /// <summary>The generated class's layer table.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>Input volume.</summary>
    public Shape Input { get; }

    /// <summary>Output values.</summary>
    public int OutputLength { get; }

    /// <summary>Parameters the constructor takes.</summary>
    public int ParameterCount { get; }

    /// <summary>Multiply-adds per inference (sum of <see cref="LayerInfo.MultiplyAdds"/>).</summary>
    public long MultiplyAdds { get; }

    /// <summary>Floating-point operations per inference: 2 × multiply-adds.</summary>
    public double Flops => 2.0 * MultiplyAdds;

    /// <summary>Deterministic He-uniform weights and small biases, the same for every implementation.</summary>
    public float[] CreateParameters()
    {
        var random = new Random(1234 + ParameterCount);
        var parameters = new float[ParameterCount];
        foreach (LayerInfo layer in Layers)
        {
            if (layer.ParameterCount == 0)
            {
                continue;
            }
            if (layer.Type == LayerType.BatchNorm)
            {
                // γ, β, running mean, running variance: a variance must be positive
                int depth = layer.Output.Depth;
                for (int i = 0; i < depth; i++)
                {
                    parameters[layer.ParameterOffset + i] = (float)(0.5 + random.NextDouble());
                    parameters[layer.ParameterOffset + depth + i] = (float)(random.NextDouble() * 0.2 - 0.1);
                    parameters[layer.ParameterOffset + 2 * depth + i] = (float)(random.NextDouble() * 0.2 - 0.1);
                    parameters[layer.ParameterOffset + 3 * depth + i] = (float)(0.5 + random.NextDouble());
                }
                continue;
            }
            int biases = layer.Output.Depth * (layer.Type == LayerType.FullyConnected ? layer.Output.Width * layer.Output.Height : 1);
            int weights = layer.ParameterCount - biases;
            int fanIn = layer.Type is LayerType.Conv or LayerType.ConvTranspose ? layer.Input.Depth / layer.Groups * layer.KernelWidth * layer.KernelHeight : layer.Input.Length;
            float limit = MathF.Sqrt(6f / fanIn);
            for (int i = 0; i < weights; i++)
            {
                parameters[layer.ParameterOffset + i] = (float)(random.NextDouble() * 2 - 1) * limit;
            }
            for (int i = 0; i < biases; i++)
            {
                parameters[layer.ParameterOffset + weights + i] = (float)(random.NextDouble() * 0.2 - 0.1);
            }
        }
        return parameters;
    }

    /// <summary><paramref name="count"/> deterministic inputs in [0, 1), one after the other.</summary>
    public float[] CreateInputs(int count = 1)
    {
        var random = new Random(99);
        var inputs = new float[count * Input.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble();
        }
        return inputs;
    }

    /// <summary>The generated network.</summary>
    public INetwork CreateCnnGen(float[] parameters) => _create(parameters);

    /// <summary>The scalar-loop baseline.</summary>
    public NaiveNetwork CreateNaive(float[] parameters) => new(Layers, parameters);

    /// <summary>The network as an ONNX model (batch dimension symbolic).</summary>
    public byte[] ExportOnnx(float[] parameters) => Onnx.OnnxExporter.ExportToBytes(Layers, Input, parameters, Id);

    /// <inheritdoc/>
    public override string ToString() => Id;
}

/// <summary>Every network the benchmarks know.</summary>
public static class Catalog
{
    /// <summary>The four networks of issue 5.</summary>
    public static readonly NetworkCase[] Networks =
    [
        new("1-seed", "Seed: 32×32×3 → Conv 5×5×10 → ReLU → MaxPool 2 → FC 10 → Softmax", SeedNet.Layers, SeedNet.ParameterCount, p => new SeedNet(p)),
        new("2-lenet", "LeNet MNIST: 28×28×1 → Conv 5×5×8 p2 → ReLU → Pool 2 → Conv 5×5×16 p2 → ReLU → Pool 3 → FC 10", LeNetMnist.Layers, LeNetMnist.ParameterCount, p => new LeNetMnist(p)),
        new("3-cifar", "CIFAR-10 demo: 32×32×3 → 3 × [Conv 5×5 p2 (16, 20, 20), ReLU, Pool 2] → FC 10 → Softmax", CifarNet.Layers, CifarNet.ParameterCount, p => new CifarNet(p)),
        new("4-vgg", "VGG-style: 64×64×3 → 2 × Conv 3×3×32 → Pool → 2 × Conv 3×3×64 → Pool → FC 128 → FC 10", VggNet.Layers, VggNet.ParameterCount, p => new VggNet(p)),
    ];

    /// <summary>Single-layer networks (Conv and FC with their fused ReLU/Softmax).</summary>
    public static readonly NetworkCase[] Layers =
    [
        L("1-seed/Conv1+Relu", Seed_Conv1.Layers, Seed_Conv1.ParameterCount, p => new Seed_Conv1(p)),
        L("1-seed/Pool1", Seed_Pool1.Layers, Seed_Pool1.ParameterCount, p => new Seed_Pool1(p)),
        L("1-seed/Fc1+Softmax", Seed_Fc1.Layers, Seed_Fc1.ParameterCount, p => new Seed_Fc1(p)),
        L("2-lenet/Conv1+Relu", LeNet_Conv1.Layers, LeNet_Conv1.ParameterCount, p => new LeNet_Conv1(p)),
        L("2-lenet/Pool1", LeNet_Pool1.Layers, LeNet_Pool1.ParameterCount, p => new LeNet_Pool1(p)),
        L("2-lenet/Conv2+Relu", LeNet_Conv2.Layers, LeNet_Conv2.ParameterCount, p => new LeNet_Conv2(p)),
        L("2-lenet/Pool2", LeNet_Pool2.Layers, LeNet_Pool2.ParameterCount, p => new LeNet_Pool2(p)),
        L("2-lenet/Fc1", LeNet_Fc1.Layers, LeNet_Fc1.ParameterCount, p => new LeNet_Fc1(p)),
        L("3-cifar/Conv1+Relu", Cifar_Conv1.Layers, Cifar_Conv1.ParameterCount, p => new Cifar_Conv1(p)),
        L("3-cifar/Pool1", Cifar_Pool1.Layers, Cifar_Pool1.ParameterCount, p => new Cifar_Pool1(p)),
        L("3-cifar/Conv2+Relu", Cifar_Conv2.Layers, Cifar_Conv2.ParameterCount, p => new Cifar_Conv2(p)),
        L("3-cifar/Pool2", Cifar_Pool2.Layers, Cifar_Pool2.ParameterCount, p => new Cifar_Pool2(p)),
        L("3-cifar/Conv3+Relu", Cifar_Conv3.Layers, Cifar_Conv3.ParameterCount, p => new Cifar_Conv3(p)),
        L("3-cifar/Pool3", Cifar_Pool3.Layers, Cifar_Pool3.ParameterCount, p => new Cifar_Pool3(p)),
        L("3-cifar/Fc1+Softmax", Cifar_Fc1.Layers, Cifar_Fc1.ParameterCount, p => new Cifar_Fc1(p)),
        L("4-vgg/Conv1+Relu", Vgg_Conv1.Layers, Vgg_Conv1.ParameterCount, p => new Vgg_Conv1(p)),
        L("4-vgg/Conv2+Relu", Vgg_Conv2.Layers, Vgg_Conv2.ParameterCount, p => new Vgg_Conv2(p)),
        L("4-vgg/Pool1", Vgg_Pool1.Layers, Vgg_Pool1.ParameterCount, p => new Vgg_Pool1(p)),
        L("4-vgg/Conv3+Relu", Vgg_Conv3.Layers, Vgg_Conv3.ParameterCount, p => new Vgg_Conv3(p)),
        L("4-vgg/Conv4+Relu", Vgg_Conv4.Layers, Vgg_Conv4.ParameterCount, p => new Vgg_Conv4(p)),
        L("4-vgg/Pool2", Vgg_Pool2.Layers, Vgg_Pool2.ParameterCount, p => new Vgg_Pool2(p)),
        L("4-vgg/Fc1+Relu", Vgg_Fc1.Layers, Vgg_Fc1.ParameterCount, p => new Vgg_Fc1(p)),
        L("4-vgg/Fc2", Vgg_Fc2.Layers, Vgg_Fc2.ParameterCount, p => new Vgg_Fc2(p)),
    ];

    /// <summary>
    /// The layer matrix of issue 11 (<c>LayerMatrix.cs</c>, written by <c>make_layer_matrix.py</c>): every distinct conv,
    /// pool and fully connected layer shape of eight torchvision models at 64×64 and 224×224, and 1-D audio convs, as
    /// single-layer networks.
    /// </summary>
    public static readonly NetworkCase[] Matrix = [.. LayerMatrix.Rows.Select(r => L(r.Id, r.Layers, r.ParameterCount, r.Create))];

    /// <summary>
    /// The shape sweep (<c>ShapeSweep.cs</c>): layer shapes from architectures outside the matrix's eight models and odd
    /// shapes, as single-layer networks; no kernel was tuned on them.
    /// </summary>
    public static readonly NetworkCase[] Shapes = [.. ShapeSweep.Rows.Select(r => L(r.Id, r.Layers, r.ParameterCount, r.Create))];

    /// <summary>
    /// Transposed convolutions (<c>TransposedLayers.cs</c>), outside the matrix (whose rows are the eight models' layers):
    /// U-Net's 2×2/2 up-step, a 3×3/2 with output padding, a DCGAN-style 4×4/2 and a 3×3/1, as single-layer networks.
    /// </summary>
    public static readonly NetworkCase[] Transposed = [.. TransposedLayers.Rows.Select(r => L(r.Id, r.Layers, r.ParameterCount, r.Create))];

    private static NetworkCase L(string id, IReadOnlyList<LayerInfo> layers, int parameterCount, Func<float[], INetwork> create) =>
        new(id, id, layers, parameterCount, create);

    /// <summary>Finds a network or layer by id.</summary>
    public static NetworkCase Get(string id) =>
        Networks.Concat(Layers).Concat(Matrix).Concat(Shapes).Concat(Transposed).FirstOrDefault(c => c.Id == id) ?? throw new ArgumentException($"Unknown network '{id}'.", nameof(id));
}
