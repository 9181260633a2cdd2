using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace CnnGen.Internal;

/// <summary>
/// A unit of batched work that several threads run at once: each call to <see cref="Run"/> takes
/// items from a shared counter until none are left.
/// </summary>
internal abstract class BatchJob
{
    /// <summary>Processes items until the batch is exhausted. Never throws: failures are recorded.</summary>
    public abstract void Run();
}

/// <summary>
/// A fixed set of background threads, created once, that help a calling thread run a
/// <see cref="BatchJob"/>. One job at a time: a caller that finds the workers busy runs its batch on
/// its own thread instead (no waiting, no deadlock if a job itself starts a batch).
/// </summary>
/// <remarks>
/// Nothing is allocated per job: the workers block on a <see cref="SemaphoreSlim"/>, the caller
/// releases as many of them as it wants help from, works too, and then waits on a second
/// <see cref="SemaphoreSlim"/> that the last helper releases.
/// </remarks>
internal sealed class BatchWorkers
{
    private static readonly object s_createLock = new();
    private static BatchWorkers? s_shared;

    private readonly SemaphoreSlim _start = new(0);
    // A SemaphoreSlim, not a ManualResetEventSlim: the latter creates its lock object lazily, on the
    // first wait that really blocks, which would be an allocation in the middle of a batch.
    private readonly SemaphoreSlim _done = new(0);
    private BatchJob? _job;
    private int _busy;
    private int _pending;

    private BatchWorkers(int workerCount)
    {
        WorkerCount = workerCount;
        for (int i = 0; i < workerCount; i++)
        {
            var thread = new Thread(WorkerLoop)
            {
                IsBackground = true,
                Name = $"CnnGen batch worker {i + 1}",
            };
            thread.Start();
        }
    }

    /// <summary>The process-wide workers: one fewer than the processor count (the caller is the last one).</summary>
    public static BatchWorkers Shared
    {
        get
        {
            BatchWorkers? shared = Volatile.Read(ref s_shared);
            if (shared is not null)
            {
                return shared;
            }
            lock (s_createLock)
            {
                return s_shared ??= new BatchWorkers(Math.Max(0, Environment.ProcessorCount - 1));
            }
        }
    }

    /// <summary>Number of helper threads (not counting callers).</summary>
    public int WorkerCount { get; }

    /// <summary>Takes the workers for one batch; <see langword="false"/> if another batch holds them.</summary>
    public bool TryAcquire() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    /// <summary>Gives the workers back after <see cref="TryAcquire"/> succeeded.</summary>
    public void Release() => Volatile.Write(ref _busy, 0);

    /// <summary>
    /// Runs <paramref name="job"/> on the calling thread plus up to <paramref name="helpers"/> workers
    /// and returns once every thread has finished with it. The caller must hold the workers
    /// (<see cref="TryAcquire"/>).
    /// </summary>
    public void Run(BatchJob job, int helpers)
    {
        helpers = Math.Clamp(helpers, 0, WorkerCount);
        _job = job;
        _pending = helpers;
        if (helpers > 0)
        {
            _start.Release(helpers); // full fence: the workers see _job and _pending
        }
        job.Run();
        if (helpers > 0)
        {
            _done.Wait();
        }
        _job = null;
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _start.Wait();
            BatchJob? job = Volatile.Read(ref _job);
            job?.Run();
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _done.Release();
            }
        }
    }
}

/// <summary>A batch of <typeparamref name="TNetwork"/> forward passes over pinned input and output memory.</summary>
internal sealed unsafe class NetworkBatchJob<TNetwork> : BatchJob
    where TNetwork : INetwork
{
    /// <summary>
    /// The one job object per network type. Only the thread that holds <see cref="BatchWorkers"/> uses
    /// it, so it never needs to be allocated again.
    /// </summary>
    public static readonly NetworkBatchJob<TNetwork> Instance = new();

    private TNetwork? _network;
    private IBatchTail? _tail;
    private float* _inputs;
    private float* _outputs;
    private int _count;
    private int _inputLength;
    private int _outputLength;
    private int _next;
    private ExceptionDispatchInfo? _error;

    /// <summary>Prepares the job; the memory must stay pinned until <see cref="Clear"/>.</summary>
    public void Set(TNetwork network, float* inputs, float* outputs, int count, int inputLength, int outputLength)
    {
        _network = network;
        _inputs = inputs;
        _outputs = outputs;
        _count = count;
        _inputLength = inputLength;
        _outputLength = outputLength;
        _next = 0;
        _error = null;
    }

    /// <summary>
    /// Prepares the job to run <paramref name="tail"/>'s <see cref="IBatchTail.ForwardFeatures"/> on each item instead
    /// (<paramref name="outputs"/> then receives <paramref name="featureLength"/> values per item).
    /// </summary>
    public void SetFeatures(TNetwork network, IBatchTail tail, float* inputs, float* outputs, int count, int inputLength, int featureLength)
    {
        Set(network, inputs, outputs, count, inputLength, featureLength);
        _tail = tail;
    }

    /// <summary>Forgets the network and the memory, and returns the first failure of any thread, if one failed.</summary>
    public ExceptionDispatchInfo? Clear()
    {
        ExceptionDispatchInfo? error = _error;
        _network = default;
        _tail = null;
        _inputs = null;
        _outputs = null;
        _error = null;
        return error;
    }

    public override void Run()
    {
        TNetwork network = _network!;
        IBatchTail? tail = _tail;
        int count = _count;
        int inputLength = _inputLength;
        int outputLength = _outputLength;
        while (true)
        {
            int i = Interlocked.Increment(ref _next) - 1;
            if (i >= count)
            {
                return;
            }
            try
            {
                var input = new ReadOnlySpan<float>(_inputs + (nint)i * inputLength, inputLength);
                var output = new Span<float>(_outputs + (nint)i * outputLength, outputLength);
                if (tail is null)
                {
                    network.Forward(input, output);
                }
                else
                {
                    tail.ForwardFeatures(input, output);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
                Volatile.Write(ref _next, count); // the others stop taking items
                return;
            }
        }
    }
}
