using System;
using Microsoft.ML.OnnxRuntime;

namespace CnnGen.Onnx.Tests;

/// <summary>
/// Runs a serialized ONNX model in ONNX Runtime (CPU, one thread) on one [1, C, H, W] input.
/// </summary>
/// <remarks>
/// Every call into ONNX Runtime, from creating its process-wide environment to disposing a session, holds one lock.
/// The test classes run in parallel, and ONNX Runtime's own C# tests keep its environment and sessions out of
/// concurrently running tests (microsoft/onnxruntime#19042: sessions created while another test builds one crashed
/// the whole test process). The reference runs on tiny models, so the lock costs nothing measurable.
/// </remarks>
internal sealed class OnnxRuntimeModel : IDisposable
{
    private static readonly object s_lock = new();

    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly string _output;

    static OnnxRuntimeModel()
    {
        lock (s_lock)
        {
            _ = OrtEnv.Instance(); // the environment, created once, before any session
        }
    }

    /// <param name="model">The serialized model.</param>
    /// <param name="optimize">
    /// Let ONNX Runtime rewrite the graph first (its default). Off runs each node's own kernel: the reference for
    /// models its optimizer mishandles (it fuses a zero Pad into a following MaxPool and then rejects the padding).
    /// </param>
    public OnnxRuntimeModel(byte[] model, bool optimize = true)
    {
        lock (s_lock)
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
    }

    public float[] Run(float[] input, long[] shape)
    {
        lock (s_lock)
        {
            using OrtValue value = OrtValue.CreateTensorValueFromMemory(input, shape);
            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, [_input], [value], [_output]);
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }
    }

    public void Dispose()
    {
        lock (s_lock)
        {
            _session.Dispose();
        }
    }
}
