using System;

namespace CnnGen;

/// <summary>
/// A network whose graph ends in a chain of fully connected layers (with the activations, dropout, flatten, softmax or
/// log-softmax between and after them), split so that <see cref="NetworkBatch"/> can run that tail for a whole batch at
/// once: every item's features in parallel, then each fully connected layer as one matrix product over all the items,
/// which reads each weight once per batch instead of once per item (AlexNet's classifier is 233 MB of weights).
/// </summary>
/// <remarks>
/// Generated networks implement it when their last layers form such a chain (see the README's batch section); the
/// single-item <see cref="INetwork.Forward"/> is unchanged. Running <see cref="ForwardFeatures"/> on an item and then
/// <see cref="ForwardTail"/> gives bit for bit the outputs of <see cref="INetwork.Forward"/>: each item's sums are the same
/// multiply-adds in the same order, with the bias added last.
/// </remarks>
public interface IBatchTail : INetwork
{
    /// <summary>Values per item at the start of the tail: the input length of its first fully connected layer.</summary>
    int TailInputLength { get; }

    /// <summary>Floats of scratch memory per item that <see cref="ForwardTail"/> needs for the vectors between its layers.</summary>
    int TailScratchLength { get; }

    /// <summary>
    /// Runs the network on one input up to the tail and writes the <see cref="TailInputLength"/> values the tail reads.
    /// Allocation-free after the first call on a thread; safe to call from several threads at once.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length; <paramref name="features"/> is left untouched.</exception>
    void ForwardFeatures(ReadOnlySpan<float> input, Span<float> features);

    /// <summary>
    /// Runs the tail on n items at once: <paramref name="features"/> holds n × <see cref="TailInputLength"/> values (what
    /// <see cref="ForwardFeatures"/> wrote for each item, one after the other), <paramref name="output"/> receives
    /// n × <see cref="INetwork.OutputLength"/>. Allocation-free; the fully connected layers may use
    /// <see cref="NetworkBatch"/>'s worker threads.
    /// </summary>
    /// <param name="features">n items' tail inputs.</param>
    /// <param name="output">Exactly n items' outputs.</param>
    /// <param name="scratch">At least n × <see cref="TailScratchLength"/> floats, overwritten.</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use, the calling thread included: -1 for every core, 1 for the calling thread only.</param>
    /// <exception cref="ArgumentException">A span has the wrong length (nothing is written).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or less than -1.</exception>
    void ForwardTail(ReadOnlySpan<float> features, Span<float> output, Span<float> scratch, int maxDegreeOfParallelism);
}
