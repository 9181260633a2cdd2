using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen;

/// <summary>
/// The fully connected layer at batch 1 for the code CnnGen generates, written once here instead of emitted per
/// layer: <c>output[o] = bias[o] + Σₖ W[o][k] · input[k]</c>. The generated constructor repacks each layer's weights in
/// place with <see cref="Pack"/> (same size, so no second copy of a 16 MB classifier); <see cref="Forward"/> reads that
/// layout: the first <c>128·⌊outputs/128⌋</c> outputs as blocks <c>[inputs][128]</c> (128 outputs side by side for
/// each input), the next <c>16·⌊(outputs mod 128)/16⌋</c> as panels <c>[inputs][16]</c>, the last
/// <c>outputs mod 16</c> as plain rows <c>[inputs]</c>, then the biases.
/// </summary>
/// <remarks>
/// At batch 1 the layer reads each weight once (2–16 MB in ImageNet classifiers, 151 MB in AlexNet's first), so it
/// is bound by memory. A block is one contiguous stream of weights: each input is broadcast once and multiplied into
/// 8 vectors of outputs (8 independent FMA chains, one load per FMA; a block is one such pass on AVX-512, two on AVX2,
/// four on 128-bit vectors), and the sums leave the registers once, as whole vectors, with no horizontal reduction per
/// output. A panel after the last block takes 4 chains over consecutive inputs. The former kernel read 4 rows of
/// <c>[outputs][inputs]</c> at once (4 streams, two accumulators per row, a horizontal sum per output); it stays for
/// the last <c>outputs mod 16</c> rows.
/// <para>
/// Measured (AVX-512, one thread, the shared 2-core machine under load 40–100, min of 30–200; rows → this layout):
/// a stand-alone GEMV 4096 → 1000 (AlexNet's classifier.6, 16 MB, fits the L3) 231–233 → 152–190 µs; 4096 → 4096
/// and 9216 → 4096 (67 and 151 MB, from DRAM) 32.8 → 38.6 and 33.6 → 35.9 GB/s, about the speed of
/// <c>TensorPrimitives.Sum</c> over the same weights (35–37 GB/s); 576 → 1024 22.3 → 18.9 µs; 1280 → 1000 equal
/// within the noise. Generated networks, A/B in turn: 4096 → 1000 195–245 → 152–186 µs; AlexNet's three classifier
/// layers (58 M weights) min 7.0–9.6 → 6.3–7.0 ms; 576 → 1024 + HardSwish 22.6–24.4 → 21–23.5 µs; 512, 1024 and
/// 1280 → 1000 equal (18–19, 39–42, 43–52 µs). Separate panels of 16 (8 streams 16·inputs floats apart) were as fast
/// on 4096 → 1000 but 4–25% slower than the rows from DRAM: one stream per pass is what the prefetchers want.
/// </para>
/// <para>
/// Small output counts with long inputs (issue 5's VGG-64 classifier, 16384 → 128), A/B against the former row kernel
/// in one process (AVX-512, min of 400 alternated calls, load 40–110, session 6): weights hot in the L3 cache, as in a
/// network that runs again and again, the blocks are faster: 1024, 4096, 9216 and 16384 → 128 1.24, 1.09–1.19, 1.19
/// and 1.17–1.24×; 4096 and 9216 → 256 1.20 and 1.25×. From DRAM (the cache flushed before each call) the rows are
/// 0–11% faster (16384 → 128 0.96–1.03×, 9216 → 128 0.89×, 16384 → 256 0.93×), and 25088 → 128 (12.8 MB, hot) 0.89×.
/// No threshold: the blocks stay for every layer with a whole block; the row kernel only takes the last
/// <c>outputs mod 16</c> rows.
/// </para>
/// <para>
/// For a batch (<see cref="NetworkBatch"/> and <see cref="IBatchTail"/>), <see cref="ForwardBatch"/> runs the same
/// layout for several items at once, each weight loaded once for 2 items.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class Dense
{
    /// <summary>Outputs per panel (after the last block): one AVX-512 vector, two AVX2 vectors, four 128-bit vectors.</summary>
    public const int PanelWidth = 16;

    /// <summary>Outputs per block: 8 panels interleaved, <c>[inputs][128]</c>, one contiguous stream of weights.</summary>
    public const int BlockWidth = 128;

    /// <summary>Vector accumulators per pass over the inputs (independent FMA chains).</summary>
    private const int Chains = 8;

    /// <summary>Rows per pass of the row kernel (the outputs after the last whole panel).</summary>
    private const int Rows = 4;

    /// <summary>
    /// Repacks a layer's weights in place from PyTorch's <c>[outputs][inputs]</c> rows to the layout
    /// <see cref="Forward"/> reads (see the class summary); the biases after them stay where they are.
    /// </summary>
    /// <param name="parameters">The network's copy of its parameters.</param>
    /// <param name="offset">Where the layer's weights start.</param>
    /// <param name="inputs">Inputs (the length of a row).</param>
    /// <param name="outputs">Outputs (rows).</param>
    public static void Pack(float[] parameters, int offset, int inputs, int outputs)
    {
        int blocks = outputs / BlockWidth, panels = outputs % BlockWidth / PanelWidth;
        if (blocks + panels == 0)
        {
            return;
        }
        var rows = new float[(blocks > 0 ? BlockWidth : PanelWidth) * inputs];
        Transpose(parameters.AsSpan(offset), rows, blocks, BlockWidth, inputs);
        Transpose(parameters.AsSpan(offset + blocks * BlockWidth * inputs), rows, panels, PanelWidth, inputs);
    }

    /// <summary>Rows and inputs per tile of <see cref="Transpose"/>: 16 × 16 floats read and written, 16 cache lines each way.</summary>
    private const int TransposeTile = 16;

    /// <summary>
    /// Transposes <paramref name="count"/> consecutive groups of <paramref name="width"/> rows in place,
    /// <c>[width][inputs]</c> → <c>[inputs][width]</c> (a group and its transpose occupy the same floats): each group is
    /// copied to <paramref name="rows"/> (one group, not the whole layer), then written back in tiles of 16 rows × 16
    /// inputs, so that both the reads (16 rows) and the writes (16 inputs' lines of the group) stay in the L1 cache.
    /// </summary>
    /// <remarks>
    /// The former loop wrote one float per weight <c>width</c> floats apart (a new cache line on every write, 512 bytes
    /// apart for a block): construction of AlexNet@224 (58 M classifier weights) took 310 ms against 117 ms before the
    /// repacking, VGG-11 631 against 296 (<c>model-cost</c>). Measured with the tiles (session 6, the shared machine at
    /// load 60–130, so only the ratios mean much): AlexNet's three classifier layers alone, min of 5, 3440 → 285 ms
    /// (outputs identical); <c>first-run</c> create, A/B builds in turn, AlexNet@224 4191 → 3194 ms and VGG-11@224
    /// 12913 → 9880 ms.
    /// </remarks>
    private static void Transpose(Span<float> weights, float[] rows, int count, int width, int inputs)
    {
        for (int g = 0; g < count; g++)
        {
            Span<float> group = weights.Slice(g * width * inputs, width * inputs);
            group.CopyTo(rows);
            ref float to = ref MemoryMarshal.GetReference(group);
            ref float from = ref MemoryMarshal.GetArrayDataReference(rows);
            for (int i0 = 0; i0 < width; i0 += TransposeTile) // width is 128 or 16: whole tiles of rows
            {
                for (int k0 = 0; k0 < inputs; k0 += TransposeTile)
                {
                    int k1 = Math.Min(k0 + TransposeTile, inputs);
                    for (int k = k0; k < k1; k++)
                    {
                        ref float line = ref Unsafe.Add(ref to, (nint)k * width + i0);
                        ref float column = ref Unsafe.Add(ref from, (nint)i0 * inputs + k);
                        for (int i = 0; i < TransposeTile; i++)
                        {
                            Unsafe.Add(ref line, i) = Unsafe.Add(ref column, (nint)i * inputs);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Computes every output (bias included, no activation).</summary>
    /// <param name="input">The <paramref name="inputs"/> inputs.</param>
    /// <param name="output">Where the <paramref name="outputs"/> outputs go.</param>
    /// <param name="weights">The weights as <see cref="Pack"/> leaves them, then the biases.</param>
    /// <param name="inputs">Inputs (the length of a row).</param>
    /// <param name="outputs">Outputs (rows).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ref float input, ref float output, ref float weights, int inputs, int outputs)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            Forward<Lanes16>(ref input, ref output, ref weights, inputs, outputs);
        }
        else if (Fma.IsSupported && Vector256.IsHardwareAccelerated)
        {
            Forward<Lanes8>(ref input, ref output, ref weights, inputs, outputs);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Forward<Lanes4>(ref input, ref output, ref weights, inputs, outputs);
        }
        else
        {
            Scalar(ref input, ref output, ref weights, inputs, outputs);
        }
    }

    /// <summary>The fallback without vectors: the same layout, one output at a time.</summary>
    private static void Scalar(ref float input, ref float output, ref float weights, int inputs, int outputs) =>
        Scalar(ref input, ref output, ref weights, inputs, outputs, 0, outputs);

    /// <summary>The fallback without vectors for outputs <paramref name="first"/> to <paramref name="end"/> (exclusive).</summary>
    private static void Scalar(ref float input, ref float output, ref float weights, int inputs, int outputs, int first, int end)
    {
        ReadOnlySpan<float> x = MemoryMarshal.CreateReadOnlySpan(ref input, inputs);
        ref float bias = ref Unsafe.Add(ref weights, (nint)outputs * inputs);
        int blocked = outputs / BlockWidth * BlockWidth, panelled = Math.Min(outputs / PanelWidth * PanelWidth, end);
        for (int o = first; o < panelled; o++)
        {
            // Output o's weights: every width-th float from its lane of its block or panel.
            int width = o < blocked ? BlockWidth : PanelWidth;
            int group = o < blocked ? o / BlockWidth * BlockWidth : o - o % PanelWidth;
            ref float column = ref Unsafe.Add(ref weights, (nint)group * inputs + (o - group));
            float s = 0;
            for (int k = 0; k < inputs; k++)
            {
                s += Unsafe.Add(ref column, (nint)k * width) * x[k];
            }
            Unsafe.Add(ref output, o) = s + Unsafe.Add(ref bias, o);
        }
        for (int o = Math.Max(panelled, first); o < end; o++)
        {
            ReadOnlySpan<float> row = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref weights, (nint)o * inputs), inputs);
            Unsafe.Add(ref output, o) = System.Numerics.Tensors.TensorPrimitives.Dot(row, x) + Unsafe.Add(ref bias, o);
        }
    }

    /// <summary>One vector width: what the kernel needs of it (the JIT specializes <see cref="Forward{T}"/> per struct).</summary>
    private interface ILanes<T>
        where T : struct, ILanes<T>
    {
        static abstract int Width { get; }

        static abstract T Zero { get; }

        static abstract T Broadcast(float value);

        static abstract T Load(ref float source, nuint offset);

        static abstract void Store(T value, ref float destination, nuint offset);

        static abstract T Add(T a, T b);

        /// <summary><paramref name="a"/> · <paramref name="b"/> + <paramref name="c"/>.</summary>
        static abstract T MultiplyAdd(T a, T b, T c);

        /// <summary>The sum of the lanes of <paramref name="a"/> + <paramref name="b"/>.</summary>
        static abstract float Sum(T a, T b);
    }

    private readonly struct Lanes16 : ILanes<Lanes16>
    {
        private readonly Vector512<float> _v;

        private Lanes16(Vector512<float> v) => _v = v;

        public static int Width => 16;

        public static Lanes16 Zero => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes16 Broadcast(float value) => new(Vector512.Create(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes16 Load(ref float source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Lanes16 value, ref float destination, nuint offset) => value._v.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes16 Add(Lanes16 a, Lanes16 b) => new(a._v + b._v);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes16 MultiplyAdd(Lanes16 a, Lanes16 b, Lanes16 c) => new(Avx512F.FusedMultiplyAdd(a._v, b._v, c._v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Sum(Lanes16 a, Lanes16 b) => Vector512.Sum(a._v + b._v);
    }

    private readonly struct Lanes8 : ILanes<Lanes8>
    {
        private readonly Vector256<float> _v;

        private Lanes8(Vector256<float> v) => _v = v;

        public static int Width => 8;

        public static Lanes8 Zero => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes8 Broadcast(float value) => new(Vector256.Create(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes8 Load(ref float source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Lanes8 value, ref float destination, nuint offset) => value._v.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes8 Add(Lanes8 a, Lanes8 b) => new(a._v + b._v);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes8 MultiplyAdd(Lanes8 a, Lanes8 b, Lanes8 c) => new(Fma.MultiplyAdd(a._v, b._v, c._v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Sum(Lanes8 a, Lanes8 b) => Vector256.Sum(a._v + b._v);
    }

    private readonly struct Lanes4 : ILanes<Lanes4>
    {
        private readonly Vector128<float> _v;

        private Lanes4(Vector128<float> v) => _v = v;

        public static int Width => 4;

        public static Lanes4 Zero => default;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes4 Broadcast(float value) => new(Vector128.Create(value));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes4 Load(ref float source, nuint offset) => new(Vector128.LoadUnsafe(ref source, offset));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(Lanes4 value, ref float destination, nuint offset) => value._v.StoreUnsafe(ref destination, offset);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes4 Add(Lanes4 a, Lanes4 b) => new(a._v + b._v);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Lanes4 MultiplyAdd(Lanes4 a, Lanes4 b, Lanes4 c) => new(Kernels.MultiplyAdd(a._v, b._v, c._v));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Sum(Lanes4 a, Lanes4 b) => Vector128.Sum(a._v + b._v);
    }

    // Not inlined into the public Forward: inlined there with Blocks (as it was after the batch refactoring), the
    // JIT's inlining budget ran out and every lane operation of the blocks and the rest became a call (see Rest).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Forward<T>(ref float input, ref float output, ref float weights, int inputs, int outputs)
        where T : struct, ILanes<T>
    {
        int blocks = outputs / BlockWidth;
        Blocks<T>(ref input, ref output, ref weights, inputs, outputs, 0, blocks);
        Rest<T>(ref input, ref output, ref weights, inputs, outputs);
    }

    /// <summary>Blocks <paramref name="firstBlock"/> to <paramref name="endBlock"/> (exclusive) of one item.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Blocks<T>(ref float input, ref float output, ref float weights, int inputs, int outputs, int firstBlock, int endBlock)
        where T : struct, ILanes<T>
    {
        nuint n = (nuint)inputs, width = (nuint)T.Width;
        ref float bias = ref Unsafe.Add(ref weights, (nint)outputs * inputs);
        // A pass: Chains vectors side by side (128 outputs on AVX-512; a block takes 2 passes on AVX2, 4 on 128 bits).
        nuint pass = (nuint)(Chains * T.Width), blockSize = (nuint)BlockWidth * n;
        for (int b = firstBlock; b < endBlock; b++)
        {
            ref float block = ref Unsafe.Add(ref weights, (nuint)b * blockSize);
            for (nuint h = 0; h < BlockWidth; h += pass)
            {
                ref float w = ref Unsafe.Add(ref block, h);
                T a0 = T.Zero, a1 = T.Zero, a2 = T.Zero, a3 = T.Zero, a4 = T.Zero, a5 = T.Zero, a6 = T.Zero, a7 = T.Zero;
                for (nuint k = 0; k < n; k++)
                {
                    T x = T.Broadcast(Unsafe.Add(ref input, k));
                    nuint at = k * BlockWidth;
                    a0 = T.MultiplyAdd(T.Load(ref w, at), x, a0);
                    a1 = T.MultiplyAdd(T.Load(ref w, at + width), x, a1);
                    a2 = T.MultiplyAdd(T.Load(ref w, at + 2 * width), x, a2);
                    a3 = T.MultiplyAdd(T.Load(ref w, at + 3 * width), x, a3);
                    a4 = T.MultiplyAdd(T.Load(ref w, at + 4 * width), x, a4);
                    a5 = T.MultiplyAdd(T.Load(ref w, at + 5 * width), x, a5);
                    a6 = T.MultiplyAdd(T.Load(ref w, at + 6 * width), x, a6);
                    a7 = T.MultiplyAdd(T.Load(ref w, at + 7 * width), x, a7);
                }
                nuint first = (nuint)b * BlockWidth + h;
                T.Store(T.Add(a0, T.Load(ref bias, first)), ref output, first);
                T.Store(T.Add(a1, T.Load(ref bias, first + width)), ref output, first + width);
                T.Store(T.Add(a2, T.Load(ref bias, first + 2 * width)), ref output, first + 2 * width);
                T.Store(T.Add(a3, T.Load(ref bias, first + 3 * width)), ref output, first + 3 * width);
                T.Store(T.Add(a4, T.Load(ref bias, first + 4 * width)), ref output, first + 4 * width);
                T.Store(T.Add(a5, T.Load(ref bias, first + 5 * width)), ref output, first + 5 * width);
                T.Store(T.Add(a6, T.Load(ref bias, first + 6 * width)), ref output, first + 6 * width);
                T.Store(T.Add(a7, T.Load(ref bias, first + 7 * width)), ref output, first + 7 * width);
            }
        }
    }

    /// <summary>The outputs after the last block of one item: the panels, then the rows.</summary>
    /// <remarks>
    /// Compiled on its own with full optimization, not inlined: inlined into <see cref="Forward{T}"/> after
    /// <see cref="Blocks{T}"/> (999 bytes of IL after 600), it exceeded the JIT's inlining budget, so it and
    /// <see cref="RowsForward{T}"/> ran as tiered code: unoptimized, every lane operation a call, for the first
    /// 100–150 calls of a process (MobileNetV3-Small's 1024 → 1000 classifier, 896 outputs in blocks and 104 after:
    /// 220–280 µs instead of 67 at load 10, which put the model's whole run 10 % behind session 5 in the short
    /// benchmark runs), and as instrumented tier-0 code for the rows even after (37 → 47 µs steady).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rest<T>(ref float input, ref float output, ref float weights, int inputs, int outputs)
        where T : struct, ILanes<T>
    {
        nuint n = (nuint)inputs, width = (nuint)T.Width, panelSize = (nuint)PanelWidth * n;
        ref float bias = ref Unsafe.Add(ref weights, (nint)outputs * inputs);
        int blocks = outputs / BlockWidth;
        // The panels after the last block: [K][16] each, after the blocks' weights.
        int perPanel = PanelWidth / T.Width;
        int panels = outputs / PanelWidth;
        int p = blocks * (BlockWidth / PanelWidth);
        for (; p < panels; p++)
        {
            // One panel: 4 accumulators over perPanel vectors × 4 / perPanel consecutive inputs (so still 4 chains).
            ref float w = ref Unsafe.Add(ref weights, (nuint)p * panelSize); // the blocks before it hold 8 panels' weights each
            nuint steps = (nuint)(Rows / perPanel);
            nuint o1 = Offset<T>(1, PanelWidth), o2 = Offset<T>(2, PanelWidth), o3 = Offset<T>(3, PanelWidth);
            T a0 = T.Zero, a1 = T.Zero, a2 = T.Zero, a3 = T.Zero;
            nuint k = 0;
            for (; k + steps <= n; k += steps)
            {
                nuint at = k * PanelWidth;
                a0 = T.MultiplyAdd(T.Load(ref w, at), T.Broadcast(Unsafe.Add(ref input, k)), a0);
                a1 = T.MultiplyAdd(T.Load(ref w, at + o1), T.Broadcast(Unsafe.Add(ref input, k + o1 / PanelWidth)), a1);
                a2 = T.MultiplyAdd(T.Load(ref w, at + o2), T.Broadcast(Unsafe.Add(ref input, k + o2 / PanelWidth)), a2);
                a3 = T.MultiplyAdd(T.Load(ref w, at + o3), T.Broadcast(Unsafe.Add(ref input, k + o3 / PanelWidth)), a3);
            }
            for (; k < n; k++)
            {
                // The last inputs (fewer than steps): the accumulators of the first input of a step.
                T x = T.Broadcast(Unsafe.Add(ref input, k));
                nuint at = k * PanelWidth;
                a0 = T.MultiplyAdd(T.Load(ref w, at), x, a0);
                if (perPanel > 1)
                {
                    a1 = T.MultiplyAdd(T.Load(ref w, at + o1), x, a1);
                }
                if (perPanel > 2)
                {
                    a2 = T.MultiplyAdd(T.Load(ref w, at + o2), x, a2);
                    a3 = T.MultiplyAdd(T.Load(ref w, at + o3), x, a3);
                }
            }
            // Fold the accumulators of the same vector of outputs: j and j + perPanel.
            if (perPanel == 1)
            {
                a0 = T.Add(T.Add(a0, a1), T.Add(a2, a3));
            }
            else if (perPanel == 2)
            {
                a0 = T.Add(a0, a2);
                a1 = T.Add(a1, a3);
            }
            nuint first = (nuint)p * PanelWidth;
            T.Store(T.Add(a0, T.Load(ref bias, first)), ref output, first);
            if (perPanel > 1)
            {
                T.Store(T.Add(a1, T.Load(ref bias, first + width)), ref output, first + width);
            }
            if (perPanel > 2)
            {
                T.Store(T.Add(a2, T.Load(ref bias, first + 2 * width)), ref output, first + 2 * width);
                T.Store(T.Add(a3, T.Load(ref bias, first + 3 * width)), ref output, first + 3 * width);
            }
        }
        int panelled = panels * PanelWidth;
        RowsForward<T>(ref input, ref Unsafe.Add(ref output, panelled), ref Unsafe.Add(ref weights, (nuint)panelled * n),
            ref Unsafe.Add(ref bias, panelled), inputs, outputs - panelled);
    }

    /// <summary>
    /// Where accumulator <paramref name="j"/> of a one-panel pass reads, from the pass's first weight: vector
    /// <c>j mod perPanel</c> of the step's input <c>j / perPanel</c>, inputs <paramref name="blockSize"/> (16) floats apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint Offset<T>(int j, nuint blockSize)
        where T : struct, ILanes<T>
    {
        int perPanel = PanelWidth / T.Width;
        return (nuint)(j / perPanel) * blockSize + (nuint)(j % perPanel * T.Width);
    }

    /// <summary>The row kernel: <paramref name="outputs"/> rows of <c>[outputs][inputs]</c>, 4 at a time against one load of the input, two accumulators per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // its own method, optimized from the first call (see Rest)
    private static void RowsForward<T>(ref float input, ref float output, ref float weights, ref float bias, int inputs, int outputs)
        where T : struct, ILanes<T>
    {
        nuint step = (nuint)(2 * T.Width), width = (nuint)T.Width;
        nuint n = (nuint)inputs, vectorized = n / step * step;
        int o = 0;
        for (; o <= outputs - Rows; o += Rows)
        {
            ref float row0 = ref Unsafe.Add(ref weights, (nint)o * inputs);
            ref float row1 = ref Unsafe.Add(ref row0, n);
            ref float row2 = ref Unsafe.Add(ref row1, n);
            ref float row3 = ref Unsafe.Add(ref row2, n);
            T a0 = T.Zero, b0 = T.Zero, a1 = T.Zero, b1 = T.Zero, a2 = T.Zero, b2 = T.Zero, a3 = T.Zero, b3 = T.Zero;
            for (nuint k = 0; k < vectorized; k += step)
            {
                T xa = T.Load(ref input, k), xb = T.Load(ref input, k + width);
                a0 = T.MultiplyAdd(T.Load(ref row0, k), xa, a0);
                b0 = T.MultiplyAdd(T.Load(ref row0, k + width), xb, b0);
                a1 = T.MultiplyAdd(T.Load(ref row1, k), xa, a1);
                b1 = T.MultiplyAdd(T.Load(ref row1, k + width), xb, b1);
                a2 = T.MultiplyAdd(T.Load(ref row2, k), xa, a2);
                b2 = T.MultiplyAdd(T.Load(ref row2, k + width), xb, b2);
                a3 = T.MultiplyAdd(T.Load(ref row3, k), xa, a3);
                b3 = T.MultiplyAdd(T.Load(ref row3, k + width), xb, b3);
            }
            float s0 = T.Sum(a0, b0), s1 = T.Sum(a1, b1), s2 = T.Sum(a2, b2), s3 = T.Sum(a3, b3);
            for (nuint k = vectorized; k < n; k++)
            {
                float x = Unsafe.Add(ref input, k);
                s0 += Unsafe.Add(ref row0, k) * x;
                s1 += Unsafe.Add(ref row1, k) * x;
                s2 += Unsafe.Add(ref row2, k) * x;
                s3 += Unsafe.Add(ref row3, k) * x;
            }
            Unsafe.Add(ref output, o) = s0 + Unsafe.Add(ref bias, o);
            Unsafe.Add(ref output, o + 1) = s1 + Unsafe.Add(ref bias, o + 1);
            Unsafe.Add(ref output, o + 2) = s2 + Unsafe.Add(ref bias, o + 2);
            Unsafe.Add(ref output, o + 3) = s3 + Unsafe.Add(ref bias, o + 3);
        }
        for (; o < outputs; o++)
        {
            ref float row = ref Unsafe.Add(ref weights, (nint)o * inputs);
            T a = T.Zero, b = T.Zero;
            for (nuint k = 0; k < vectorized; k += step)
            {
                a = T.MultiplyAdd(T.Load(ref row, k), T.Load(ref input, k), a);
                b = T.MultiplyAdd(T.Load(ref row, k + width), T.Load(ref input, k + width), b);
            }
            float s = T.Sum(a, b);
            for (nuint k = vectorized; k < n; k++)
            {
                s += Unsafe.Add(ref row, k) * Unsafe.Add(ref input, k);
            }
            Unsafe.Add(ref output, o) = s + Unsafe.Add(ref bias, o);
        }
    }
}
