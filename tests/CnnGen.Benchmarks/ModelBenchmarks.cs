using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using CnnGen.Onnx;

namespace CnnGen.Benchmarks;

/// <summary>
/// Whole models, batch 1, one thread: the torchvision fixtures of the ONNX tests (reduced width, random weights,
/// 64×64 input) imported with <c>cnngen import</c> into <c>Models/*.cs</c> and generated at build time, against
/// ONNX Runtime running the original <c>.onnx</c> file. Both get the same weights (the import's) and input, and
/// the setup checks they agree before anything is timed.
/// </summary>
[MemoryDiagnoser]
public class WholeModels
{
    /// <summary>The suffix of the reduced fixtures' ids in <see cref="ModelCatalog.Reduced"/>.</summary>
    private const string ReducedSuffix = "@64-reduced";

    private INetwork _cnngen = null!;
    private OrtRunner _ort = null!;
    private float[] _input = [];
    private float[] _output = [];

    /// <summary>Model names (the fixtures' file names without the size).</summary>
    public static IEnumerable<string> Names => ModelCatalog.Reduced.Select(m => m.Id[..^ReducedSuffix.Length]).Where(Matrix.Selected);

    /// <summary>The model under test.</summary>
    [ParamsSource(nameof(Names))]
    public string Model { get; set; } = "";

    /// <summary>The fixture's path in the output folder (linked from the ONNX tests' models).</summary>
    public static string PathOf(string model) => Path.Combine(AppContext.BaseDirectory, "Models", model + "_64x64.onnx");

    /// <summary>Imports the fixture's weights, builds both, and checks they agree on a random input.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string path = PathOf(Model);
        ImportedNetwork imported = OnnxImporter.ImportFile(path);
        _cnngen = ModelCatalog.Get(Model + ReducedSuffix).CreateCnnGen(imported.Parameters);
        _input = new float[_cnngen.InputLength];
        var random = new Random(42);
        for (int i = 0; i < _input.Length; i++)
        {
            _input[i] = (float)(random.NextDouble() * 2 - 1);
        }
        _output = new float[_cnngen.OutputLength];
        _ort = new OrtRunner(File.ReadAllBytes(path), imported.Input, batch: 1, intraOpThreads: 1);
        _input.CopyTo(_ort.Input, 0);
        _cnngen.Forward(_input, _output);
        _ort.Run();
        ModelCatalog.CheckAgainstOrt(Model, _ort.Output, _output, 1);
    }

    /// <summary>Releases ONNX Runtime.</summary>
    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    /// <summary>ONNX Runtime on the original file, one intra-op thread, pre-allocated OrtValues.</summary>
    [Benchmark(Baseline = true, Description = "ONNX Runtime")]
    public void Ort() => _ort.Run();

    /// <summary>The generated network.</summary>
    [Benchmark(Description = "CnnGen")]
    public void CnnGen() => _cnngen.Forward(_input, _output);
}
