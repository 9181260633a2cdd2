using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;

namespace CnnGen.Benchmarks;

/// <summary>
/// ONNX Runtime on the CPU, set up for its fastest path: graph optimizations all, sequential
/// execution, a fixed number of intra-op threads, and input/output <see cref="OrtValue"/>s created
/// once over pinned managed arrays, run with
/// <c>session.Run(runOptions, inputNames, inputValues, outputNames, outputValues)</c>.
/// </summary>
public sealed class OrtRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;

    /// <summary>Loads <paramref name="model"/> for batches of <paramref name="batch"/> inputs.</summary>
    public OrtRunner(byte[] model, Shape input, int batch, int intraOpThreads)
    {
        _options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, _options);
        Batch = batch;
        _inputNames = [_session.InputMetadata.Keys.Single()];
        _outputNames = [_session.OutputMetadata.Keys.Single()];
        long[] outputShape = [.. _session.OutputMetadata[_outputNames[0]].Dimensions.Select(d => d < 0 ? (long)batch : d)];
        Input = new float[batch * input.Length];
        Output = new float[(int)outputShape.Aggregate(1L, (a, b) => a * b)];
        _inputValues = [OrtValue.CreateTensorValueFromMemory(Input, [batch, input.Depth, input.Height, input.Width])];
        _outputValues = [OrtValue.CreateTensorValueFromMemory(Output, outputShape)];
    }

    /// <summary>Inputs in N,C,H,W order: fill before <see cref="Run"/>.</summary>
    public float[] Input { get; }

    /// <summary>Outputs of the last <see cref="Run"/>.</summary>
    public float[] Output { get; }

    /// <summary>Inputs per run.</summary>
    public int Batch { get; }

    /// <summary>Runs the session on <see cref="Input"/> into <see cref="Output"/>.</summary>
    public void Run() => _session.Run(_runOptions, _inputNames, _inputValues, _outputNames, _outputValues);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (OrtValue value in _inputValues.Concat(_outputValues))
        {
            value.Dispose();
        }
        _session.Dispose();
        _runOptions.Dispose();
        _options.Dispose();
    }
}
