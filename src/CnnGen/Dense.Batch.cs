using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading;
using CnnGen.Internal;

namespace CnnGen;

public static partial class Dense
{
    /// <summary>
    /// Items per pass of the batched kernel: each weight vector loaded once is multiplied by 2 items' inputs, 8 vectors
    /// of outputs side by side (16 accumulators), so a pass reads whole 128-output rows of a block (512 contiguous bytes
    /// per input on AVX-512). Measured (AlexNet's three classifier layers, 4 items, one thread, CPU time, min of 30,
    /// load 110–210): 4 items × 4 vectors per pass (half rows, 256 bytes of every 512) 13.3 ms, 2 items × 8 vectors
    /// 7.9–8.1 ms, each item alone (<see cref="Forward"/> 4 times) 25–27 ms.
    /// </summary>
    private const int BatchItems = 2;

    /// <summary>
    /// Inputs per chunk of the batched kernel: a block's 512 × 128 weights (256 KB) stay in the core's L2 (1 MB here)
    /// while every pair of items runs over them, so a batch larger than 4 reads each weight from memory once.
    /// </summary>
    private const int ChunkInputs = 512;

    /// <summary>
    /// Weights (inputs × outputs) from which <see cref="ForwardBatch"/> splits a layer across cores: below it, waking
    /// the workers costs more than the layer.
    /// </summary>
    private const long ParallelWeights = 1 << 18;

    /// <summary>
    /// Computes every output (bias included, no activation) of <paramref name="count"/> items at once, from the layout
    /// <see cref="Pack"/> leaves: the GEMM behind a batched fully connected layer. Each block of 128 outputs is one unit
    /// of work (the outputs after the last block are one more), shared by up to <paramref name="maxDegreeOfParallelism"/>
    /// threads of <see cref="NetworkBatch"/>'s workers; a unit runs its block in chunks of 512 inputs, 2 items at a time,
    /// 8 vectors of outputs per pass, so each weight loaded is used for 2 items and a chunk read from memory once serves
    /// every item (from the L2 cache after the first pair). The outputs after the last block run item by item
    /// (<see cref="Forward"/>'s panels and rows).
    /// </summary>
    /// <param name="input">The items' inputs, <paramref name="inputs"/> floats each, one after the other.</param>
    /// <param name="output">Where the items' outputs go, <paramref name="outputs"/> floats each.</param>
    /// <param name="weights">The weights as <see cref="Pack"/> leaves them, then the biases.</param>
    /// <param name="inputs">Inputs (the length of a row).</param>
    /// <param name="outputs">Outputs (rows).</param>
    /// <param name="count">Items.</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use, the calling thread included (-1: every core).</param>
    /// <remarks>
    /// Zero allocation: the workers and the one job object are created once per process. If the workers are busy
    /// (another batch holds them) the layer runs on the calling thread.
    /// </remarks>
    public static unsafe void ForwardBatch(ref float input, ref float output, ref float weights, int inputs, int outputs, int count, int maxDegreeOfParallelism)
    {
        if (count <= 0)
        {
            return;
        }
        int blocks = outputs / BlockWidth;
        int units = blocks + (outputs % BlockWidth != 0 ? 1 : 0);
        int threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Math.Min(maxDegreeOfParallelism, Environment.ProcessorCount);
        threads = Math.Min(threads, units);
        if (threads > 1 && (long)inputs * outputs >= ParallelWeights)
        {
            BatchWorkers workers = BatchWorkers.Shared;
            if (workers.WorkerCount > 0 && workers.TryAcquire())
            {
                try
                {
                    fixed (float* x = &input)
                    fixed (float* y = &output)
                    fixed (float* w = &weights)
                    {
                        DenseBatchJob job = DenseBatchJob.Instance;
                        job.Set(x, y, w, inputs, outputs, count, units);
                        workers.Run(job, threads - 1);
                        job.Clear();
                    }
                }
                finally
                {
                    workers.Release();
                }
                return;
            }
        }
        for (int u = 0; u < units; u++)
        {
            Unit(u, ref input, ref output, ref weights, inputs, outputs, count);
        }
    }

    /// <summary>One unit of <see cref="ForwardBatch"/>: block <paramref name="unit"/>, or the outputs after the last block.</summary>
    private static void Unit(int unit, ref float input, ref float output, ref float weights, int inputs, int outputs, int count)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            Unit<Lanes16>(unit, ref input, ref output, ref weights, inputs, outputs, count);
        }
        else if (Fma.IsSupported && Vector256.IsHardwareAccelerated)
        {
            Unit<Lanes8>(unit, ref input, ref output, ref weights, inputs, outputs, count);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Unit<Lanes4>(unit, ref input, ref output, ref weights, inputs, outputs, count);
        }
        else
        {
            int first = unit * BlockWidth, end = Math.Min(first + BlockWidth, outputs); // a block, or the outputs after the last one
            for (int i = 0; i < count; i++)
            {
                Scalar(ref Unsafe.Add(ref input, (nint)i * inputs), ref Unsafe.Add(ref output, (nint)i * outputs), ref weights, inputs, outputs, first, end);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Unit<T>(int unit, ref float input, ref float output, ref float weights, int inputs, int outputs, int count)
        where T : struct, ILanes<T>
    {
        if (unit == outputs / BlockWidth)
        {
            // The panels and rows after the last block, item by item.
            for (int i = 0; i < count; i++)
            {
                Rest<T>(ref Unsafe.Add(ref input, (nint)i * inputs), ref Unsafe.Add(ref output, (nint)i * outputs), ref weights, inputs, outputs);
            }
            return;
        }
        nuint n = (nuint)inputs, stride = (nuint)outputs, first = (nuint)unit * BlockWidth;
        ref float block = ref Unsafe.Add(ref weights, first * n);
        ref float bias = ref Unsafe.Add(ref weights, (nuint)outputs * n + first);
        ref float y = ref Unsafe.Add(ref output, first);
        // The sums start at 0 and get the bias at the end, as in Forward: the same operations in the same order, so
        // each item's outputs are bit for bit those of Forward.
        for (int i = 0; i < count; i++)
        {
            Unsafe.InitBlockUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref y, (nuint)i * stride)), 0, BlockWidth * sizeof(float));
        }
        nuint pass = (nuint)(Chains * T.Width); // a whole block on AVX-512, half of one on AVX2, a quarter on 128 bits
        for (nuint k0 = 0; k0 < n; k0 += ChunkInputs)
        {
            nuint k1 = Math.Min(k0 + ChunkInputs, n);
            int i = 0;
            for (; i + BatchItems <= count; i += BatchItems)
            {
                ref float x = ref Unsafe.Add(ref input, (nuint)i * n);
                for (nuint h = 0; h < BlockWidth; h += pass)
                {
                    Pass2<T>(ref x, n, ref Unsafe.Add(ref y, (nuint)i * stride + h), stride, ref Unsafe.Add(ref block, h), k0, k1);
                }
            }
            for (; i < count; i++)
            {
                ref float x = ref Unsafe.Add(ref input, (nuint)i * n);
                for (nuint h = 0; h < BlockWidth; h += pass)
                {
                    Pass1<T>(ref x, ref Unsafe.Add(ref y, (nuint)i * stride + h), ref Unsafe.Add(ref block, h), k0, k1);
                }
            }
        }
        nuint width = (nuint)T.Width;
        for (int i = 0; i < count; i++)
        {
            ref float item = ref Unsafe.Add(ref y, (nuint)i * stride);
            for (nuint o = 0; o < BlockWidth; o += width)
            {
                T.Store(T.Add(T.Load(ref item, o), T.Load(ref bias, o)), ref item, o);
            }
        }
    }

    /// <summary>
    /// 2 items × 8 vectors of outputs (a whole 128-output row of the block on AVX-512) over inputs <paramref name="k0"/>
    /// to <paramref name="k1"/>: per input, 8 weight loads of one contiguous 512-byte row and 16 FMAs (16 accumulators,
    /// added to what <paramref name="y"/> holds).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pass2<T>(ref float x, nuint n, ref float y, nuint stride, ref float w, nuint k0, nuint k1)
        where T : struct, ILanes<T>
    {
        nuint v = (nuint)T.Width;
        ref float x1 = ref Unsafe.Add(ref x, n);
        ref float y1 = ref Unsafe.Add(ref y, stride);
        T a0 = T.Load(ref y, 0), a1 = T.Load(ref y, v), a2 = T.Load(ref y, 2 * v), a3 = T.Load(ref y, 3 * v);
        T a4 = T.Load(ref y, 4 * v), a5 = T.Load(ref y, 5 * v), a6 = T.Load(ref y, 6 * v), a7 = T.Load(ref y, 7 * v);
        T b0 = T.Load(ref y1, 0), b1 = T.Load(ref y1, v), b2 = T.Load(ref y1, 2 * v), b3 = T.Load(ref y1, 3 * v);
        T b4 = T.Load(ref y1, 4 * v), b5 = T.Load(ref y1, 5 * v), b6 = T.Load(ref y1, 6 * v), b7 = T.Load(ref y1, 7 * v);
        for (nuint k = k0; k < k1; k++)
        {
            nuint at = k * BlockWidth;
            T p = T.Broadcast(Unsafe.Add(ref x, k)), q = T.Broadcast(Unsafe.Add(ref x1, k));
            T w0 = T.Load(ref w, at); a0 = T.MultiplyAdd(w0, p, a0); b0 = T.MultiplyAdd(w0, q, b0);
            T w1 = T.Load(ref w, at + v); a1 = T.MultiplyAdd(w1, p, a1); b1 = T.MultiplyAdd(w1, q, b1);
            T w2 = T.Load(ref w, at + 2 * v); a2 = T.MultiplyAdd(w2, p, a2); b2 = T.MultiplyAdd(w2, q, b2);
            T w3 = T.Load(ref w, at + 3 * v); a3 = T.MultiplyAdd(w3, p, a3); b3 = T.MultiplyAdd(w3, q, b3);
            T w4 = T.Load(ref w, at + 4 * v); a4 = T.MultiplyAdd(w4, p, a4); b4 = T.MultiplyAdd(w4, q, b4);
            T w5 = T.Load(ref w, at + 5 * v); a5 = T.MultiplyAdd(w5, p, a5); b5 = T.MultiplyAdd(w5, q, b5);
            T w6 = T.Load(ref w, at + 6 * v); a6 = T.MultiplyAdd(w6, p, a6); b6 = T.MultiplyAdd(w6, q, b6);
            T w7 = T.Load(ref w, at + 7 * v); a7 = T.MultiplyAdd(w7, p, a7); b7 = T.MultiplyAdd(w7, q, b7);
        }
        T.Store(a0, ref y, 0); T.Store(a1, ref y, v); T.Store(a2, ref y, 2 * v); T.Store(a3, ref y, 3 * v);
        T.Store(a4, ref y, 4 * v); T.Store(a5, ref y, 5 * v); T.Store(a6, ref y, 6 * v); T.Store(a7, ref y, 7 * v);
        T.Store(b0, ref y1, 0); T.Store(b1, ref y1, v); T.Store(b2, ref y1, 2 * v); T.Store(b3, ref y1, 3 * v);
        T.Store(b4, ref y1, 4 * v); T.Store(b5, ref y1, 5 * v); T.Store(b6, ref y1, 6 * v); T.Store(b7, ref y1, 7 * v);
    }

    /// <summary>One item × 8 vectors of outputs over inputs <paramref name="k0"/> to <paramref name="k1"/> (the last item of an odd count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pass1<T>(ref float x, ref float y, ref float w, nuint k0, nuint k1)
        where T : struct, ILanes<T>
    {
        nuint v = (nuint)T.Width;
        T a0 = T.Load(ref y, 0), a1 = T.Load(ref y, v), a2 = T.Load(ref y, 2 * v), a3 = T.Load(ref y, 3 * v);
        T a4 = T.Load(ref y, 4 * v), a5 = T.Load(ref y, 5 * v), a6 = T.Load(ref y, 6 * v), a7 = T.Load(ref y, 7 * v);
        for (nuint k = k0; k < k1; k++)
        {
            nuint at = k * BlockWidth;
            T b = T.Broadcast(Unsafe.Add(ref x, k));
            a0 = T.MultiplyAdd(T.Load(ref w, at), b, a0);
            a1 = T.MultiplyAdd(T.Load(ref w, at + v), b, a1);
            a2 = T.MultiplyAdd(T.Load(ref w, at + 2 * v), b, a2);
            a3 = T.MultiplyAdd(T.Load(ref w, at + 3 * v), b, a3);
            a4 = T.MultiplyAdd(T.Load(ref w, at + 4 * v), b, a4);
            a5 = T.MultiplyAdd(T.Load(ref w, at + 5 * v), b, a5);
            a6 = T.MultiplyAdd(T.Load(ref w, at + 6 * v), b, a6);
            a7 = T.MultiplyAdd(T.Load(ref w, at + 7 * v), b, a7);
        }
        T.Store(a0, ref y, 0); T.Store(a1, ref y, v); T.Store(a2, ref y, 2 * v); T.Store(a3, ref y, 3 * v);
        T.Store(a4, ref y, 4 * v); T.Store(a5, ref y, 5 * v); T.Store(a6, ref y, 6 * v); T.Store(a7, ref y, 7 * v);
    }

    /// <summary>One batched layer shared by the workers: units (blocks) handed out from an interlocked counter.</summary>
    private sealed unsafe class DenseBatchJob : BatchJob
    {
        /// <summary>The one job object: only the thread that holds the workers uses it.</summary>
        public static readonly DenseBatchJob Instance = new();

        private float* _input;
        private float* _output;
        private float* _weights;
        private int _inputs;
        private int _outputs;
        private int _count;
        private int _units;
        private int _next;

        public void Set(float* input, float* output, float* weights, int inputs, int outputs, int count, int units)
        {
            _input = input;
            _output = output;
            _weights = weights;
            _inputs = inputs;
            _outputs = outputs;
            _count = count;
            _units = units;
            _next = 0;
        }

        public void Clear()
        {
            _input = null;
            _output = null;
            _weights = null;
        }

        public override void Run()
        {
            while (true)
            {
                int unit = Interlocked.Increment(ref _next) - 1;
                if (unit >= _units)
                {
                    return;
                }
                Unit(unit, ref *_input, ref *_output, ref *_weights, _inputs, _outputs, _count);
            }
        }
    }
}
