using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using CnnGen.Internal;

namespace CnnGen;

/// <summary>
/// Runs a generated network on a batch of inputs, spread over the machine's cores, without
/// allocating per call.
/// </summary>
/// <remarks>
/// <para>
/// The work is shared by the calling thread and a fixed set of background worker threads
/// (one fewer than <see cref="Environment.ProcessorCount"/>), created on the first parallel call and
/// reused for the life of the process. Items are handed out one at a time from an interlocked
/// counter, so a slow core never holds up the batch. The input and output memory is pinned only for
/// the duration of the call.
/// </para>
/// <para>
/// After warm-up (the first call on each thread allocates that thread's scratch buffers for the
/// network type) a call allocates nothing. One batch uses the workers at a time: a call made while
/// another batch is running (from another thread, or from inside a network) runs its items on its
/// own thread instead of waiting.
/// </para>
/// </remarks>
public static class NetworkBatch
{
    /// <summary>
    /// Runs <paramref name="network"/> on every input of a batch and writes the outputs in the same order.
    /// </summary>
    /// <typeparam name="TNetwork">The network type (a generated class, or any <see cref="INetwork"/>).</typeparam>
    /// <param name="network">The network; its <see cref="INetwork.Forward"/> must be safe to call from several threads at once (generated networks are).</param>
    /// <param name="inputs">
    /// n inputs of <see cref="INetwork.InputLength"/> values each, one after the other (item i starts at
    /// <c>i × InputLength</c>). Its length must be a multiple of <see cref="INetwork.InputLength"/>; n may be 0.
    /// </param>
    /// <param name="outputs">Receives n outputs of <see cref="INetwork.OutputLength"/> values each; its length must be exactly n × <see cref="INetwork.OutputLength"/>.</param>
    /// <param name="maxDegreeOfParallelism">
    /// The most threads to use, the calling thread included: -1 (the default) for every core, 1 to run
    /// on the calling thread only. Values above the processor count are capped to it, and no more
    /// threads than items are ever used.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The length of <paramref name="inputs"/> is not a multiple of the network's input length, or the
    /// length of <paramref name="outputs"/> does not match the number of inputs. Nothing is written.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or less than -1.</exception>
    /// <remarks>
    /// If a forward pass throws, no further items are started, the call waits for the running ones to
    /// finish and rethrows the first exception; outputs of items that were not run are left as they were.
    /// </remarks>
    public static unsafe void Forward<TNetwork>(TNetwork network, ReadOnlySpan<float> inputs, Span<float> outputs, int maxDegreeOfParallelism = -1)
        where TNetwork : INetwork
    {
        if (network is null)
        {
            ThrowNull();
        }
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            ThrowDegree(maxDegreeOfParallelism);
        }
        int inputLength = network.InputLength;
        int outputLength = network.OutputLength;
        int count = Count(inputs.Length, inputLength);
        if ((long)count * outputLength != outputs.Length)
        {
            ThrowOutputs(outputs.Length, count, outputLength);
        }
        if (count == 0)
        {
            return;
        }

        int threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Math.Min(maxDegreeOfParallelism, Environment.ProcessorCount);
        // Reference types only: a struct network would be boxed by the type test.
        if (!typeof(TNetwork).IsValueType && network is IBatchTail tail)
        {
            ForwardWithTail(network, tail, inputs, outputs, count, threads);
            return;
        }
        threads = Math.Min(threads, count);
        if (threads > 1)
        {
            BatchWorkers workers = BatchWorkers.Shared;
            // The job object is shared by every caller of this network type, but only the thread
            // that holds the workers touches it.
            if (workers.WorkerCount > 0 && workers.TryAcquire())
            {
                NetworkBatchJob<TNetwork> job = NetworkBatchJob<TNetwork>.Instance;
                ExceptionDispatchInfo? error;
                fixed (float* x = inputs)
                fixed (float* y = outputs)
                {
                    try
                    {
                        job.Set(network, x, y, count, inputLength, outputLength);
                        workers.Run(job, threads - 1);
                    }
                    finally
                    {
                        error = job.Clear();
                        workers.Release();
                    }
                }
                error?.Throw();
                return;
            }
        }

        // One thread, or the workers are busy with another batch: run the items here.
        for (int i = 0; i < count; i++)
        {
            network.Forward(inputs.Slice(i * inputLength, inputLength), outputs.Slice(i * outputLength, outputLength));
        }
    }

    /// <summary>
    /// Items per chunk of a network with a batched tail: the features of up to 64 items, then their tail at once (so
    /// the tail's weights are read once per 64 items, and the buffer stays a few MB).
    /// </summary>
    internal const int TailChunk = 64;

    /// <summary>
    /// Each thread's buffer for batched tails: a chunk's features, then the tail's scratch. Created on the first call
    /// on a thread and grown (once) whenever a network type and chunk need more; shared by every network type.
    /// </summary>
    [ThreadStatic]
    private static float[]? t_tailBuffer;

    /// <summary>
    /// The batch of a network with a batched tail, chunk by chunk: every item's features on the workers (item by item,
    /// as <see cref="Forward{TNetwork}"/> does without a tail), then the tail for the whole chunk on the calling thread,
    /// its fully connected layers split across the workers by blocks of outputs.
    /// </summary>
    private static unsafe void ForwardWithTail<TNetwork>(TNetwork network, IBatchTail tail, ReadOnlySpan<float> inputs, Span<float> outputs, int count, int threads)
        where TNetwork : INetwork
    {
        int inputLength = network.InputLength, outputLength = network.OutputLength;
        int featureLength = tail.TailInputLength, scratchLength = tail.TailScratchLength;
        int chunk = Math.Min(count, TailChunk);
        long needed = (long)chunk * (featureLength + scratchLength);
        float[] buffer = t_tailBuffer is { } existing && existing.Length >= needed ? existing : (t_tailBuffer = new float[needed]);
        Span<float> features = buffer.AsSpan(0, chunk * featureLength);
        Span<float> scratch = buffer.AsSpan(chunk * featureLength, chunk * scratchLength);
        for (int start = 0; start < count; start += chunk)
        {
            int n = Math.Min(chunk, count - start);
            ReadOnlySpan<float> x = inputs.Slice(start * inputLength, n * inputLength);
            Span<float> f = features.Slice(0, n * featureLength);
            int helpers = Math.Min(threads, n);
            BatchWorkers workers = BatchWorkers.Shared;
            if (helpers > 1 && workers.WorkerCount > 0 && workers.TryAcquire())
            {
                NetworkBatchJob<TNetwork> job = NetworkBatchJob<TNetwork>.Instance;
                ExceptionDispatchInfo? error;
                fixed (float* px = x)
                fixed (float* pf = f)
                {
                    try
                    {
                        job.SetFeatures(network, tail, px, pf, n, inputLength, featureLength);
                        workers.Run(job, helpers - 1);
                    }
                    finally
                    {
                        error = job.Clear();
                        workers.Release();
                    }
                }
                error?.Throw();
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    tail.ForwardFeatures(x.Slice(i * inputLength, inputLength), f.Slice(i * featureLength, featureLength));
                }
            }
            tail.ForwardTail(f, outputs.Slice(start * outputLength, n * outputLength), scratch.Slice(0, n * scratchLength), threads);
        }
    }

    private static int Count(int inputValues, int inputLength)
    {
        if (inputLength <= 0 || inputValues % inputLength != 0)
        {
            ThrowInputs(inputValues, inputLength);
        }
        return inputValues / inputLength;
    }

    [DoesNotReturn]
    private static void ThrowNull() => throw new ArgumentNullException("network");

    [DoesNotReturn]
    private static void ThrowDegree(int value) =>
        throw new ArgumentOutOfRangeException("maxDegreeOfParallelism", value, "Expected -1 (every core) or a positive number of threads.");

    [DoesNotReturn]
    private static void ThrowInputs(int inputValues, int inputLength) =>
        throw new ArgumentException(
            $"Expected a multiple of the network's {inputLength} input values (n inputs one after the other) but got {inputValues} values.", "inputs");

    [DoesNotReturn]
    private static void ThrowOutputs(int outputValues, int count, int outputLength) =>
        throw new ArgumentException(
            $"Expected {(long)count * outputLength} output values ({count} inputs × {outputLength}) but got {outputValues}.", "outputs");
}
