using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using CnnGen.Benchmarks.FullModels;
using CnnGen.Benchmarks.Models;

namespace CnnGen.Benchmarks;

/// <summary>
/// The models of issue 11 as networks: the eight architectures at full width and 224×224 (<c>FullModels/*.cs</c>,
/// imported from torchvision by <c>import_full_models.sh</c>) and the reduced-width 64×64 fixtures of the ONNX
/// tests (<c>Models/*.cs</c>). Both engines get the same deterministic random weights (<see cref="NetworkCase.CreateParameters"/>)
/// and ONNX Runtime runs the network as <see cref="Onnx.OnnxExporter"/> writes it (batch dimension symbolic).
/// </summary>
public static class ModelCatalog
{
    /// <summary>Full width, 224×224: <c>model@224</c>.</summary>
    public static readonly NetworkCase[] Full =
    [
        M("resnet18@224", FullResnet18.Layers, FullResnet18.ParameterCount, p => new FullResnet18(p)),
        M("mobilenet_v2@224", FullMobilenetV2.Layers, FullMobilenetV2.ParameterCount, p => new FullMobilenetV2(p)),
        M("mobilenet_v3_small@224", FullMobilenetV3Small.Layers, FullMobilenetV3Small.ParameterCount, p => new FullMobilenetV3Small(p)),
        M("squeezenet1_1@224", FullSqueezenet11.Layers, FullSqueezenet11.ParameterCount, p => new FullSqueezenet11(p)),
        M("shufflenet_v2_x0_5@224", FullShufflenetV2X05.Layers, FullShufflenetV2X05.ParameterCount, p => new FullShufflenetV2X05(p)),
        M("efficientnet_b0@224", FullEfficientnetB0.Layers, FullEfficientnetB0.ParameterCount, p => new FullEfficientnetB0(p)),
        M("alexnet@224", FullAlexnet.Layers, FullAlexnet.ParameterCount, p => new FullAlexnet(p)),
        M("vgg11@224", FullVgg11.Layers, FullVgg11.ParameterCount, p => new FullVgg11(p)),
    ];

    /// <summary>The reduced-width 64×64 fixtures: <c>model@64-reduced</c>.</summary>
    public static readonly NetworkCase[] Reduced =
    [
        M("resnet18@64-reduced", ModelResnet18.Layers, ModelResnet18.ParameterCount, p => new ModelResnet18(p)),
        M("resnet50@64-reduced", ModelResnet50.Layers, ModelResnet50.ParameterCount, p => new ModelResnet50(p)),
        M("mobilenet_v2@64-reduced", ModelMobilenetV2.Layers, ModelMobilenetV2.ParameterCount, p => new ModelMobilenetV2(p)),
        M("mobilenet_v3_small@64-reduced", ModelMobilenetV3Small.Layers, ModelMobilenetV3Small.ParameterCount, p => new ModelMobilenetV3Small(p)),
        M("mobilenet_v3_large@64-reduced", ModelMobilenetV3Large.Layers, ModelMobilenetV3Large.ParameterCount, p => new ModelMobilenetV3Large(p)),
        M("squeezenet1_1@64-reduced", ModelSqueezenet11.Layers, ModelSqueezenet11.ParameterCount, p => new ModelSqueezenet11(p)),
        M("shufflenet_v2_x0_5@64-reduced", ModelShufflenetV2X05.Layers, ModelShufflenetV2X05.ParameterCount, p => new ModelShufflenetV2X05(p)),
        M("efficientnet_b0@64-reduced", ModelEfficientnetB0.Layers, ModelEfficientnetB0.ParameterCount, p => new ModelEfficientnetB0(p)),
        M("unet@64-reduced", ModelUnet.Layers, ModelUnet.ParameterCount, p => new ModelUnet(p)),
    ];

    /// <summary>Finds a model by id.</summary>
    public static NetworkCase Get(string id) =>
        Full.Concat(Reduced).FirstOrDefault(c => c.Id == id) ?? throw new ArgumentException($"Unknown model '{id}'.", nameof(id));

    /// <summary>
    /// Runs <paramref name="items"/> inputs through both engines' outputs and throws unless CnnGen agrees with ONNX
    /// Runtime within 1e-4 relative + 2e-5 × the largest output of the item (float32 sums over deep networks drift by
    /// more than the single-layer tolerance; the ONNX tests justify this bound).
    /// </summary>
    public static void CheckAgainstOrt(string what, ReadOnlySpan<float> ort, ReadOnlySpan<float> cnngen, int items)
    {
        int length = ort.Length / items;
        for (int item = 0; item < items; item++)
        {
            ReadOnlySpan<float> expected = ort.Slice(item * length, length), actual = cnngen.Slice(item * length, length);
            float largest = 0;
            foreach (float v in expected)
            {
                largest = Math.Max(largest, Math.Abs(v));
            }
            for (int i = 0; i < length; i++)
            {
                if (!(Math.Abs(actual[i] - expected[i]) <= 1e-4 * Math.Abs(expected[i]) + 2e-5 * largest))
                {
                    throw new InvalidOperationException($"{what}: item {item}, output {i}: CnnGen {actual[i]:R}, ONNX Runtime {expected[i]:R}. Benchmark aborted.");
                }
            }
        }
    }

    private static NetworkCase M(string id, IReadOnlyList<LayerInfo> layers, int parameterCount, Func<float[], INetwork> create) =>
        new(id, id, layers, parameterCount, create);
}

/// <summary>
/// The eight architectures of issue 11 at full width and 224×224, batch 1, one thread, CnnGen vs ONNX Runtime (the same
/// random weights; the setup checks the outputs agree before anything is timed).
/// </summary>
[MemoryDiagnoser]
public class FullModelsSingle
{
    private INetwork _cnngen = null!;
    private OrtRunner _ort = null!;
    private float[] _input = [];
    private float[] _output = [];

    /// <summary>Model ids.</summary>
    public static IEnumerable<string> Ids => ModelCatalog.Full.Select(m => m.Id).Where(Matrix.Selected);

    /// <summary>The model under test.</summary>
    [ParamsSource(nameof(Ids))]
    public string Model { get; set; } = "";

    /// <summary>Builds both engines and checks they agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        NetworkCase model = ModelCatalog.Get(Model);
        float[] parameters = model.CreateParameters();
        _input = model.CreateInputs();
        _output = new float[model.OutputLength];
        _cnngen = model.CreateCnnGen(parameters);
        _ort = new OrtRunner(model.ExportOnnx(parameters), model.Input, batch: 1, intraOpThreads: 1);
        _input.CopyTo(_ort.Input, 0);
        _cnngen.Forward(_input, _output);
        _ort.Run();
        ModelCatalog.CheckAgainstOrt(Model, _ort.Output, _output, 1);
    }

    /// <summary>Releases ONNX Runtime.</summary>
    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    /// <summary>ONNX Runtime, one intra-op thread.</summary>
    [Benchmark(Baseline = true, Description = "ONNX Runtime")]
    public void Ort() => _ort.Run();

    /// <summary>The generated network.</summary>
    [Benchmark(Description = "CnnGen")]
    public void CnnGen() => _cnngen.Forward(_input, _output);
}

/// <summary>
/// Batch throughput on all cores for every model: <see cref="NetworkBatch.Forward"/> against ONNX Runtime given the
/// same batch as one N×C×H×W tensor with intra-op threads = core count. 32 inputs for the reduced 64×64 fixtures,
/// 4 for the full-width 224×224 models (VGG-11 is 7.6 G multiply-adds per image).
/// </summary>
[MemoryDiagnoser]
public class ModelBatch
{
    private INetwork _cnngen = null!;
    private OrtRunner _ort = null!;
    private float[] _inputs = [];
    private float[] _outputs = [];

    /// <summary>Model ids.</summary>
    public static IEnumerable<string> Ids => ModelCatalog.Reduced.Concat(ModelCatalog.Full).Select(m => m.Id).Where(Matrix.Selected);

    /// <summary>The model under test.</summary>
    [ParamsSource(nameof(Ids))]
    public string Model { get; set; } = "";

    /// <summary>Inputs per call.</summary>
    public int Size => Model.EndsWith("@224", StringComparison.Ordinal) ? 4 : 32;

    /// <summary>Builds both engines and checks every item agrees.</summary>
    [GlobalSetup]
    public void Setup()
    {
        NetworkCase model = ModelCatalog.Get(Model);
        float[] parameters = model.CreateParameters();
        _inputs = model.CreateInputs(Size);
        _outputs = new float[Size * model.OutputLength];
        _cnngen = model.CreateCnnGen(parameters);
        _ort = new OrtRunner(model.ExportOnnx(parameters), model.Input, Size, Environment.ProcessorCount);
        _inputs.CopyTo(_ort.Input, 0);
        NetworkBatch.Forward(_cnngen, _inputs, _outputs);
        _ort.Run();
        ModelCatalog.CheckAgainstOrt(Model + " batch", _ort.Output, _outputs, Size);
    }

    /// <summary>Releases ONNX Runtime.</summary>
    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    /// <summary>ONNX Runtime, the batch as one tensor, intra-op threads = processor count.</summary>
    [Benchmark(Baseline = true, Description = "ONNX Runtime, all cores")]
    public void Ort() => _ort.Run();

    /// <summary>NetworkBatch on every core.</summary>
    [Benchmark(Description = "CnnGen, all cores")]
    public void CnnGen() => NetworkBatch.Forward(_cnngen, _inputs, _outputs);
}
