using System;
using Microsoft.ML.OnnxRuntime;

namespace CnnGen.Onnx.Tests;

/// <summary>Runs a serialized ONNX model in ONNX Runtime (CPU, one thread) on one [1, C, H, W] input.</summary>
internal sealed class OnnxRuntimeModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly string _output;

    /// <param name="model">The serialized model.</param>
    /// <param name="optimize">
    /// Let ONNX Runtime rewrite the graph first (its default). Off runs each node's own kernel: the reference for
    /// models its optimizer mishandles (it fuses a zero Pad into a following MaxPool and then rejects the padding).
    /// </param>
    public OnnxRuntimeModel(byte[] model, bool optimize = true)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        if (!optimize)
        {
            options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL;
        }
        _session = new InferenceSession(model, options);
        _input = _session.InputNames[0];
        _output = _session.OutputNames[0];
    }

    public float[] Run(float[] input, long[] shape)
    {
        using OrtValue value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, [_input], [value], [_output]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
