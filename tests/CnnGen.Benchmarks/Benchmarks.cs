using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;

namespace CnnGen.Benchmarks;

/// <summary>The single-thread FMA limit of this machine, measured as a benchmark.</summary>
[MemoryDiagnoser]
public class Peak
{
    private static readonly bool Use512 = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;
    private float _seed = 1f;

    /// <summary>FLOPs of one <see cref="Fma"/> call.</summary>
    public static double Flops => Use512 ? FmaPeak.Avx512Flops : FmaPeak.Avx2Flops;

    /// <summary>Independent FMA chains on registers (Vector512 × 16 if accelerated, else Vector256 × 12).</summary>
    [Benchmark(Description = "FMA peak")]
    public float Fma() => Use512 ? FmaPeak.Avx512x16(_seed) : FmaPeak.Avx2x12(_seed);
}

/// <summary>Batch 1, one thread: CnnGen vs ONNX Runtime vs the scalar loop on the four networks.</summary>
[MemoryDiagnoser]
public class SingleThread
{
    private INetwork _cnngen = null!;
    private NaiveNetwork _naive = null!;
    private OrtRunner _ort = null!;
    private float[] _input = [];
    private float[] _output = [];

    /// <summary>Network ids.</summary>
    public static IEnumerable<string> Networks => Catalog.Networks.Select(n => n.Id);

    /// <summary>The network under test.</summary>
    [ParamsSource(nameof(Networks))]
    public string Network { get; set; } = "";

    /// <summary>Builds the three implementations with the same weights and input, and checks they agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        NetworkCase network = Catalog.Get(Network);
        Agreement.Verify(network);
        float[] parameters = network.CreateParameters();
        _input = network.CreateInputs();
        _output = new float[network.OutputLength];
        _cnngen = network.CreateCnnGen(parameters);
        _naive = network.CreateNaive(parameters);
        _ort = new OrtRunner(network.ExportOnnx(parameters), network.Input, batch: 1, intraOpThreads: 1);
        _input.CopyTo(_ort.Input, 0);
    }

    /// <summary>Releases ONNX Runtime.</summary>
    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    /// <summary>ONNX Runtime, one intra-op thread, pre-allocated OrtValues.</summary>
    [Benchmark(Baseline = true, Description = "ONNX Runtime")]
    public void Ort() => _ort.Run();

    /// <summary>The generated network.</summary>
    [Benchmark(Description = "CnnGen")]
    public void CnnGen() => _cnngen.Forward(_input, _output);

    /// <summary>The scalar-loop baseline.</summary>
    [Benchmark(Description = "Scalar loop")]
    public void Scalar() => _naive.Forward(_input, _output);
}

/// <summary>
/// A batch on every core: CnnGen's <see cref="NetworkBatch"/> vs ONNX Runtime given the whole batch as
/// one N×C×H×W tensor (the exported model has a symbolic batch dimension), each also on one thread
/// to show the scaling.
/// </summary>
[MemoryDiagnoser]
public class Batch
{
    private INetwork _cnngen = null!;
    private OrtRunner _ortAll = null!;
    private OrtRunner _ortOne = null!;
    private float[] _inputs = [];
    private float[] _outputs = [];

    /// <summary>Network ids.</summary>
    public static IEnumerable<string> Networks => ["3-cifar", "4-vgg"];

    /// <summary>The network under test.</summary>
    [ParamsSource(nameof(Networks))]
    public string Network { get; set; } = "";

    /// <summary>Inputs per call.</summary>
    [Params(64)]
    public int Size { get; set; }

    /// <summary>Builds both implementations and checks their batch outputs against the scalar loop (first items).</summary>
    [GlobalSetup]
    public void Setup()
    {
        NetworkCase network = Catalog.Get(Network);
        float[] parameters = network.CreateParameters();
        _inputs = network.CreateInputs(Size);
        _outputs = new float[Size * network.OutputLength];
        _cnngen = network.CreateCnnGen(parameters);
        byte[] model = network.ExportOnnx(parameters);
        _ortAll = new OrtRunner(model, network.Input, Size, Environment.ProcessorCount);
        _ortOne = new OrtRunner(model, network.Input, Size, 1);
        _inputs.CopyTo(_ortAll.Input, 0);
        _inputs.CopyTo(_ortOne.Input, 0);

        NetworkBatch.Forward(_cnngen, _inputs, _outputs);
        _ortAll.Run();
        NaiveNetwork naive = network.CreateNaive(parameters);
        var expected = new float[network.OutputLength];
        int o = network.OutputLength, n = network.Input.Length;
        for (int i = 0; i < Size; i += Size / 4)
        {
            naive.Forward(_inputs.AsSpan(i * n, n), expected);
            Agreement.Check($"{Network} batch item {i}: CnnGen vs scalar", expected, _outputs.AsSpan(i * o, o));
            Agreement.Check($"{Network} batch item {i}: ONNX Runtime vs scalar", expected, _ortAll.Output.AsSpan(i * o, o));
        }
    }

    /// <summary>Releases ONNX Runtime.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _ortAll.Dispose();
        _ortOne.Dispose();
    }

    /// <summary>ONNX Runtime, the batch as one tensor, intra-op threads = processor count.</summary>
    [Benchmark(Baseline = true, Description = "ONNX Runtime, all cores")]
    public void OrtAllCores() => _ortAll.Run();

    /// <summary>ONNX Runtime, the batch as one tensor, one thread.</summary>
    [Benchmark(Description = "ONNX Runtime, 1 thread")]
    public void OrtOneThread() => _ortOne.Run();

    /// <summary>NetworkBatch over every core.</summary>
    [Benchmark(Description = "CnnGen NetworkBatch, all cores")]
    public void CnnGenAllCores() => NetworkBatch.Forward(_cnngen, _inputs, _outputs);

    /// <summary>NetworkBatch on the calling thread only.</summary>
    [Benchmark(Description = "CnnGen NetworkBatch, 1 thread")]
    public void CnnGenOneThread() => NetworkBatch.Forward(_cnngen, _inputs, _outputs, maxDegreeOfParallelism: 1);
}

/// <summary>One single-layer network per parameter value, CnnGen vs ONNX Runtime, one thread (the layer is checked against the scalar loop first).</summary>
public abstract class SingleLayer
{
    private INetwork _cnngen = null!;
    private OrtRunner _ort = null!;
    private float[] _input = [];
    private float[] _output = [];

    /// <summary>The catalog id of the layer under test (the derived class's <c>Network</c> parameter).</summary>
    protected abstract string Id { get; }

    /// <summary>Builds both implementations and checks them against the scalar loop.</summary>
    [GlobalSetup]
    public void Setup()
    {
        NetworkCase network = Catalog.Get(Id);
        Agreement.Verify(network);
        float[] parameters = network.CreateParameters();
        _input = network.CreateInputs();
        _output = new float[network.OutputLength];
        _cnngen = network.CreateCnnGen(parameters);
        _ort = new OrtRunner(network.ExportOnnx(parameters), network.Input, batch: 1, intraOpThreads: 1);
        _input.CopyTo(_ort.Input, 0);
    }

    /// <summary>Releases ONNX Runtime.</summary>
    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    /// <summary>ONNX Runtime, one thread.</summary>
    [Benchmark(Baseline = true, Description = "ONNX Runtime")]
    public void Ort() => _ort.Run();

    /// <summary>The generated single-layer network.</summary>
    [Benchmark(Description = "CnnGen")]
    public void CnnGen() => _cnngen.Forward(_input, _output);
}

/// <summary>Each layer of the four networks as its own network: where the time goes, CnnGen vs ONNX Runtime.</summary>
[MemoryDiagnoser]
public class Layers : SingleLayer
{
    /// <summary>Layer ids (network/layer).</summary>
    public static IEnumerable<string> Ids => Catalog.Layers.Select(n => n.Id);

    /// <summary>The layer under test.</summary>
    [ParamsSource(nameof(Ids))]
    public string Network { get; set; } = "";

    /// <inheritdoc/>
    protected override string Id => Network;
}

/// <summary>
/// The shape sweep (<see cref="Catalog.Shapes"/>): layer shapes of architectures outside the matrix's models and odd
/// shapes, each as its own network, CnnGen vs ONNX Runtime, one thread; <c>--rows</c> selects rows as in <see cref="Matrix"/>.
/// </summary>
[MemoryDiagnoser]
public class Shapes : SingleLayer
{
    /// <summary>Layer ids (architecture@size/layer), restricted like the matrix's.</summary>
    public static IEnumerable<string> Ids => Catalog.Shapes.Select(n => n.Id).Where(Matrix.Selected);

    /// <summary>The layer under test.</summary>
    [ParamsSource(nameof(Ids))]
    public string Network { get; set; } = "";

    /// <inheritdoc/>
    protected override string Id => Network;
}

/// <summary>
/// The layer matrix of issue 11 (<see cref="Catalog.Matrix"/>): each layer shape of eight common models at two
/// input sizes and the 1-D audio convs as its own network, CnnGen vs ONNX Runtime, one thread.
/// </summary>
[MemoryDiagnoser]
public class Matrix : SingleLayer
{
    /// <summary>Environment variable that restricts the rows to those whose id contains its value, or one of its <c>|</c>-separated values (<c>--rows</c>).</summary>
    public const string RowsVariable = "CNNGEN_MATRIX_ROWS";

    /// <summary>Layer ids (model@size/layer), restricted by <see cref="RowsVariable"/> when it is set.</summary>
    public static IEnumerable<string> Ids => Catalog.Matrix.Select(n => n.Id).Where(Selected);

    /// <summary>Whether <paramref name="id"/> (a matrix row or a model) is selected by <see cref="RowsVariable"/>: all are when it is not set.</summary>
    public static bool Selected(string id) =>
        Environment.GetEnvironmentVariable(RowsVariable) is not { Length: > 0 } rows || rows.Split('|').Any(r => id.Contains(r, StringComparison.Ordinal));

    /// <summary>The layer under test.</summary>
    [ParamsSource(nameof(Ids))]
    public string Network { get; set; } = "";

    /// <inheritdoc/>
    protected override string Id => Network;
}

/// <summary>
/// Transposed convolutions (<see cref="Catalog.Transposed"/>), each as its own network, CnnGen vs ONNX Runtime, one
/// thread (the <c>transposed</c> mode; <c>--rows</c> selects among them as in the matrix).
/// </summary>
[MemoryDiagnoser]
public class Transposed : SingleLayer
{
    /// <summary>Row ids, restricted by <see cref="Matrix.RowsVariable"/> when it is set.</summary>
    public static IEnumerable<string> Ids => Catalog.Transposed.Select(n => n.Id).Where(Matrix.Selected);

    /// <summary>The layer under test.</summary>
    [ParamsSource(nameof(Ids))]
    public string Network { get; set; } = "";

    /// <inheritdoc/>
    protected override string Id => Network;
}
