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
            int biases = layer.Output.Depth * (layer.Type == LayerType.FullyConnected ? layer.Output.Width * layer.Output.Height : 1);
            int weights = layer.ParameterCount - biases;
            int fanIn = layer.Type == LayerType.Conv ? layer.Input.Depth * layer.KernelWidth * layer.KernelHeight : layer.Input.Length;
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
    /// The layer matrix of issue 11 (<c>LayerMatrix.cs</c>): every distinct dense conv, pool and FC layer
    /// shape of five common models at 64×64, and 1-D audio convs, as single-layer networks.
    /// </summary>
    public static readonly NetworkCase[] Matrix =
    [
        L("resnet18/conv1+Relu", M_resnet18_conv1.Layers, M_resnet18_conv1.ParameterCount, p => new M_resnet18_conv1(p)),
        L("resnet18/maxpool", M_resnet18_maxpool.Layers, M_resnet18_maxpool.ParameterCount, p => new M_resnet18_maxpool(p)),
        L("resnet18/layer1+Relu", M_resnet18_layer1.Layers, M_resnet18_layer1.ParameterCount, p => new M_resnet18_layer1(p)),
        L("resnet18/layer2.0.conv1+Relu", M_resnet18_layer2_0_conv1.Layers, M_resnet18_layer2_0_conv1.ParameterCount, p => new M_resnet18_layer2_0_conv1(p)),
        L("resnet18/layer2.conv+Relu", M_resnet18_layer2_conv.Layers, M_resnet18_layer2_conv.ParameterCount, p => new M_resnet18_layer2_conv(p)),
        L("resnet18/layer2.0.downsample", M_resnet18_layer2_0_downsample.Layers, M_resnet18_layer2_0_downsample.ParameterCount, p => new M_resnet18_layer2_0_downsample(p)),
        L("resnet18/layer3.0.conv1+Relu", M_resnet18_layer3_0_conv1.Layers, M_resnet18_layer3_0_conv1.ParameterCount, p => new M_resnet18_layer3_0_conv1(p)),
        L("resnet18/layer3.conv+Relu", M_resnet18_layer3_conv.Layers, M_resnet18_layer3_conv.ParameterCount, p => new M_resnet18_layer3_conv(p)),
        L("resnet18/layer3.0.downsample", M_resnet18_layer3_0_downsample.Layers, M_resnet18_layer3_0_downsample.ParameterCount, p => new M_resnet18_layer3_0_downsample(p)),
        L("resnet18/layer4.0.conv1+Relu", M_resnet18_layer4_0_conv1.Layers, M_resnet18_layer4_0_conv1.ParameterCount, p => new M_resnet18_layer4_0_conv1(p)),
        L("resnet18/layer4.conv+Relu", M_resnet18_layer4_conv.Layers, M_resnet18_layer4_conv.ParameterCount, p => new M_resnet18_layer4_conv(p)),
        L("resnet18/layer4.0.downsample", M_resnet18_layer4_0_downsample.Layers, M_resnet18_layer4_0_downsample.ParameterCount, p => new M_resnet18_layer4_0_downsample(p)),
        L("resnet18/avgpool", M_resnet18_avgpool.Layers, M_resnet18_avgpool.ParameterCount, p => new M_resnet18_avgpool(p)),
        L("resnet18/fc", M_resnet18_fc.Layers, M_resnet18_fc.ParameterCount, p => new M_resnet18_fc(p)),
        L("mobilenet_v2/stem+Relu", M_mobilenet_v2_stem.Layers, M_mobilenet_v2_stem.ParameterCount, p => new M_mobilenet_v2_stem(p)),
        L("mobilenet_v2/pw32to16@32", M_mobilenet_v2_pw32to16_32.Layers, M_mobilenet_v2_pw32to16_32.ParameterCount, p => new M_mobilenet_v2_pw32to16_32(p)),
        L("mobilenet_v2/pw16to96@32+Relu", M_mobilenet_v2_pw16to96_32.Layers, M_mobilenet_v2_pw16to96_32.ParameterCount, p => new M_mobilenet_v2_pw16to96_32(p)),
        L("mobilenet_v2/pw96to24@16", M_mobilenet_v2_pw96to24_16.Layers, M_mobilenet_v2_pw96to24_16.ParameterCount, p => new M_mobilenet_v2_pw96to24_16(p)),
        L("mobilenet_v2/pw24to144@16+Relu", M_mobilenet_v2_pw24to144_16.Layers, M_mobilenet_v2_pw24to144_16.ParameterCount, p => new M_mobilenet_v2_pw24to144_16(p)),
        L("mobilenet_v2/pw144to24@16", M_mobilenet_v2_pw144to24_16.Layers, M_mobilenet_v2_pw144to24_16.ParameterCount, p => new M_mobilenet_v2_pw144to24_16(p)),
        L("mobilenet_v2/pw144to32@8", M_mobilenet_v2_pw144to32_8.Layers, M_mobilenet_v2_pw144to32_8.ParameterCount, p => new M_mobilenet_v2_pw144to32_8(p)),
        L("mobilenet_v2/pw32to192@8+Relu", M_mobilenet_v2_pw32to192_8.Layers, M_mobilenet_v2_pw32to192_8.ParameterCount, p => new M_mobilenet_v2_pw32to192_8(p)),
        L("mobilenet_v2/pw192to32@8", M_mobilenet_v2_pw192to32_8.Layers, M_mobilenet_v2_pw192to32_8.ParameterCount, p => new M_mobilenet_v2_pw192to32_8(p)),
        L("mobilenet_v2/pw192to64@4", M_mobilenet_v2_pw192to64_4.Layers, M_mobilenet_v2_pw192to64_4.ParameterCount, p => new M_mobilenet_v2_pw192to64_4(p)),
        L("mobilenet_v2/pw64to384@4+Relu", M_mobilenet_v2_pw64to384_4.Layers, M_mobilenet_v2_pw64to384_4.ParameterCount, p => new M_mobilenet_v2_pw64to384_4(p)),
        L("mobilenet_v2/pw384to64@4", M_mobilenet_v2_pw384to64_4.Layers, M_mobilenet_v2_pw384to64_4.ParameterCount, p => new M_mobilenet_v2_pw384to64_4(p)),
        L("mobilenet_v2/pw384to96@4", M_mobilenet_v2_pw384to96_4.Layers, M_mobilenet_v2_pw384to96_4.ParameterCount, p => new M_mobilenet_v2_pw384to96_4(p)),
        L("mobilenet_v2/pw96to576@4+Relu", M_mobilenet_v2_pw96to576_4.Layers, M_mobilenet_v2_pw96to576_4.ParameterCount, p => new M_mobilenet_v2_pw96to576_4(p)),
        L("mobilenet_v2/pw576to96@4", M_mobilenet_v2_pw576to96_4.Layers, M_mobilenet_v2_pw576to96_4.ParameterCount, p => new M_mobilenet_v2_pw576to96_4(p)),
        L("mobilenet_v2/pw576to160@2", M_mobilenet_v2_pw576to160_2.Layers, M_mobilenet_v2_pw576to160_2.ParameterCount, p => new M_mobilenet_v2_pw576to160_2(p)),
        L("mobilenet_v2/pw160to960@2+Relu", M_mobilenet_v2_pw160to960_2.Layers, M_mobilenet_v2_pw160to960_2.ParameterCount, p => new M_mobilenet_v2_pw160to960_2(p)),
        L("mobilenet_v2/pw960to160@2", M_mobilenet_v2_pw960to160_2.Layers, M_mobilenet_v2_pw960to160_2.ParameterCount, p => new M_mobilenet_v2_pw960to160_2(p)),
        L("mobilenet_v2/pw960to320@2", M_mobilenet_v2_pw960to320_2.Layers, M_mobilenet_v2_pw960to320_2.ParameterCount, p => new M_mobilenet_v2_pw960to320_2(p)),
        L("mobilenet_v2/pw320to1280@2+Relu", M_mobilenet_v2_pw320to1280_2.Layers, M_mobilenet_v2_pw320to1280_2.ParameterCount, p => new M_mobilenet_v2_pw320to1280_2(p)),
        L("mobilenet_v2/classifier", M_mobilenet_v2_classifier.Layers, M_mobilenet_v2_classifier.ParameterCount, p => new M_mobilenet_v2_classifier(p)),
        L("squeezenet1_1/conv1+Relu", M_squeezenet1_1_conv1.Layers, M_squeezenet1_1_conv1.ParameterCount, p => new M_squeezenet1_1_conv1(p)),
        L("squeezenet1_1/pool1", M_squeezenet1_1_pool1.Layers, M_squeezenet1_1_pool1.ParameterCount, p => new M_squeezenet1_1_pool1(p)),
        L("squeezenet1_1/squeeze64to16@15+Relu", M_squeezenet1_1_squeeze64to16_15.Layers, M_squeezenet1_1_squeeze64to16_15.ParameterCount, p => new M_squeezenet1_1_squeeze64to16_15(p)),
        L("squeezenet1_1/expand1x1 16to64@15+Relu", M_squeezenet1_1_expand1x1_16to64_15.Layers, M_squeezenet1_1_expand1x1_16to64_15.ParameterCount, p => new M_squeezenet1_1_expand1x1_16to64_15(p)),
        L("squeezenet1_1/expand3x3 16to64@15+Relu", M_squeezenet1_1_expand3x3_16to64_15.Layers, M_squeezenet1_1_expand3x3_16to64_15.ParameterCount, p => new M_squeezenet1_1_expand3x3_16to64_15(p)),
        L("squeezenet1_1/squeeze128to16@15+Relu", M_squeezenet1_1_squeeze128to16_15.Layers, M_squeezenet1_1_squeeze128to16_15.ParameterCount, p => new M_squeezenet1_1_squeeze128to16_15(p)),
        L("squeezenet1_1/squeeze128to32@7+Relu", M_squeezenet1_1_squeeze128to32_7.Layers, M_squeezenet1_1_squeeze128to32_7.ParameterCount, p => new M_squeezenet1_1_squeeze128to32_7(p)),
        L("squeezenet1_1/expand1x1 32to128@7+Relu", M_squeezenet1_1_expand1x1_32to128_7.Layers, M_squeezenet1_1_expand1x1_32to128_7.ParameterCount, p => new M_squeezenet1_1_expand1x1_32to128_7(p)),
        L("squeezenet1_1/expand3x3 32to128@7+Relu", M_squeezenet1_1_expand3x3_32to128_7.Layers, M_squeezenet1_1_expand3x3_32to128_7.ParameterCount, p => new M_squeezenet1_1_expand3x3_32to128_7(p)),
        L("squeezenet1_1/squeeze256to32@7+Relu", M_squeezenet1_1_squeeze256to32_7.Layers, M_squeezenet1_1_squeeze256to32_7.ParameterCount, p => new M_squeezenet1_1_squeeze256to32_7(p)),
        L("squeezenet1_1/squeeze256to48@3+Relu", M_squeezenet1_1_squeeze256to48_3.Layers, M_squeezenet1_1_squeeze256to48_3.ParameterCount, p => new M_squeezenet1_1_squeeze256to48_3(p)),
        L("squeezenet1_1/expand1x1 48to192@3+Relu", M_squeezenet1_1_expand1x1_48to192_3.Layers, M_squeezenet1_1_expand1x1_48to192_3.ParameterCount, p => new M_squeezenet1_1_expand1x1_48to192_3(p)),
        L("squeezenet1_1/expand3x3 48to192@3+Relu", M_squeezenet1_1_expand3x3_48to192_3.Layers, M_squeezenet1_1_expand3x3_48to192_3.ParameterCount, p => new M_squeezenet1_1_expand3x3_48to192_3(p)),
        L("squeezenet1_1/squeeze384to48@3+Relu", M_squeezenet1_1_squeeze384to48_3.Layers, M_squeezenet1_1_squeeze384to48_3.ParameterCount, p => new M_squeezenet1_1_squeeze384to48_3(p)),
        L("squeezenet1_1/squeeze384to64@3+Relu", M_squeezenet1_1_squeeze384to64_3.Layers, M_squeezenet1_1_squeeze384to64_3.ParameterCount, p => new M_squeezenet1_1_squeeze384to64_3(p)),
        L("squeezenet1_1/expand1x1 64to256@3+Relu", M_squeezenet1_1_expand1x1_64to256_3.Layers, M_squeezenet1_1_expand1x1_64to256_3.ParameterCount, p => new M_squeezenet1_1_expand1x1_64to256_3(p)),
        L("squeezenet1_1/expand3x3 64to256@3+Relu", M_squeezenet1_1_expand3x3_64to256_3.Layers, M_squeezenet1_1_expand3x3_64to256_3.ParameterCount, p => new M_squeezenet1_1_expand3x3_64to256_3(p)),
        L("squeezenet1_1/squeeze512to64@3+Relu", M_squeezenet1_1_squeeze512to64_3.Layers, M_squeezenet1_1_squeeze512to64_3.ParameterCount, p => new M_squeezenet1_1_squeeze512to64_3(p)),
        L("squeezenet1_1/pool3", M_squeezenet1_1_pool3.Layers, M_squeezenet1_1_pool3.ParameterCount, p => new M_squeezenet1_1_pool3(p)),
        L("squeezenet1_1/pool5", M_squeezenet1_1_pool5.Layers, M_squeezenet1_1_pool5.ParameterCount, p => new M_squeezenet1_1_pool5(p)),
        L("squeezenet1_1/classifier+Relu", M_squeezenet1_1_classifier.Layers, M_squeezenet1_1_classifier.ParameterCount, p => new M_squeezenet1_1_classifier(p)),
        L("alexnet/conv1+Relu", M_alexnet_conv1.Layers, M_alexnet_conv1.ParameterCount, p => new M_alexnet_conv1(p)),
        L("alexnet/pool1", M_alexnet_pool1.Layers, M_alexnet_pool1.ParameterCount, p => new M_alexnet_pool1(p)),
        L("alexnet/conv2+Relu", M_alexnet_conv2.Layers, M_alexnet_conv2.ParameterCount, p => new M_alexnet_conv2(p)),
        L("alexnet/pool2", M_alexnet_pool2.Layers, M_alexnet_pool2.ParameterCount, p => new M_alexnet_pool2(p)),
        L("alexnet/conv3+Relu", M_alexnet_conv3.Layers, M_alexnet_conv3.ParameterCount, p => new M_alexnet_conv3(p)),
        L("alexnet/conv4+Relu", M_alexnet_conv4.Layers, M_alexnet_conv4.ParameterCount, p => new M_alexnet_conv4(p)),
        L("alexnet/conv5+Relu", M_alexnet_conv5.Layers, M_alexnet_conv5.ParameterCount, p => new M_alexnet_conv5(p)),
        L("alexnet/pool5", M_alexnet_pool5.Layers, M_alexnet_pool5.ParameterCount, p => new M_alexnet_pool5(p)),
        L("alexnet/fc3", M_alexnet_fc3.Layers, M_alexnet_fc3.ParameterCount, p => new M_alexnet_fc3(p)),
        L("vgg11/conv3to64@64+Relu", M_vgg11_conv3to64_64.Layers, M_vgg11_conv3to64_64.ParameterCount, p => new M_vgg11_conv3to64_64(p)),
        L("vgg11/conv64to128@32+Relu", M_vgg11_conv64to128_32.Layers, M_vgg11_conv64to128_32.ParameterCount, p => new M_vgg11_conv64to128_32(p)),
        L("vgg11/conv128to256@16+Relu", M_vgg11_conv128to256_16.Layers, M_vgg11_conv128to256_16.ParameterCount, p => new M_vgg11_conv128to256_16(p)),
        L("vgg11/conv256to256@16+Relu", M_vgg11_conv256to256_16.Layers, M_vgg11_conv256to256_16.ParameterCount, p => new M_vgg11_conv256to256_16(p)),
        L("vgg11/conv256to512@8+Relu", M_vgg11_conv256to512_8.Layers, M_vgg11_conv256to512_8.ParameterCount, p => new M_vgg11_conv256to512_8(p)),
        L("vgg11/conv512to512@8+Relu", M_vgg11_conv512to512_8.Layers, M_vgg11_conv512to512_8.ParameterCount, p => new M_vgg11_conv512to512_8(p)),
        L("vgg11/conv512to512@4+Relu", M_vgg11_conv512to512_4.Layers, M_vgg11_conv512to512_4.ParameterCount, p => new M_vgg11_conv512to512_4(p)),
        L("vgg11/pool@64x64", M_vgg11_pool_64x64.Layers, M_vgg11_pool_64x64.ParameterCount, p => new M_vgg11_pool_64x64(p)),
        L("vgg11/pool@32x128", M_vgg11_pool_32x128.Layers, M_vgg11_pool_32x128.ParameterCount, p => new M_vgg11_pool_32x128(p)),
        L("vgg11/pool@16x256", M_vgg11_pool_16x256.Layers, M_vgg11_pool_16x256.ParameterCount, p => new M_vgg11_pool_16x256(p)),
        L("vgg11/pool@8x512", M_vgg11_pool_8x512.Layers, M_vgg11_pool_8x512.ParameterCount, p => new M_vgg11_pool_8x512(p)),
        L("vgg11/pool@4x512", M_vgg11_pool_4x512.Layers, M_vgg11_pool_4x512.ParameterCount, p => new M_vgg11_pool_4x512(p)),
        L("audio/conv3 s1+Relu", M_audio_conv3_s1.Layers, M_audio_conv3_s1.ParameterCount, p => new M_audio_conv3_s1(p)),
        L("audio/conv3 s2+Relu", M_audio_conv3_s2.Layers, M_audio_conv3_s2.ParameterCount, p => new M_audio_conv3_s2(p)),
        L("audio/conv5 s1+Relu", M_audio_conv5_s1.Layers, M_audio_conv5_s1.ParameterCount, p => new M_audio_conv5_s1(p)),
        L("audio/conv5 s2+Relu", M_audio_conv5_s2.Layers, M_audio_conv5_s2.ParameterCount, p => new M_audio_conv5_s2(p)),
        L("audio/conv9 s1+Relu", M_audio_conv9_s1.Layers, M_audio_conv9_s1.ParameterCount, p => new M_audio_conv9_s1(p)),
        L("audio/conv9 s2+Relu", M_audio_conv9_s2.Layers, M_audio_conv9_s2.ParameterCount, p => new M_audio_conv9_s2(p)),
        L("audio/conv3 64to64+Relu", M_audio_conv3_64to64.Layers, M_audio_conv3_64to64.ParameterCount, p => new M_audio_conv3_64to64(p)),
        L("audio/conv5 s2 64to128+Relu", M_audio_conv5_s2_64to128.Layers, M_audio_conv5_s2_64to128.ParameterCount, p => new M_audio_conv5_s2_64to128(p)),
    ];

    private static NetworkCase L(string id, IReadOnlyList<LayerInfo> layers, int parameterCount, Func<float[], INetwork> create) =>
        new(id, id, layers, parameterCount, create);

    /// <summary>Finds a network or layer by id.</summary>
    public static NetworkCase Get(string id) =>
        Networks.Concat(Layers).Concat(Matrix).FirstOrDefault(c => c.Id == id) ?? throw new ArgumentException($"Unknown network '{id}'.", nameof(id));
}
