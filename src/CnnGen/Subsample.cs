using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnGen;

/// <summary>
/// Gathers every stride-th row and column of each channel into a dense C,H,W volume: a strided 1×1 convolution, or one
/// whose windows do not overlap (<see cref="Patches"/>), is then a stride-1 1×1 one over it (generated code calls this
/// before its plane kernel).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Subsample
{
    /// <summary>
    /// Writes <c>output[c][y][x] = input[c · planeStride + y · strideY · rowStride + x · strideX]</c> for every channel,
    /// row below <paramref name="height"/> and column below <paramref name="width"/>. Reads nothing else: at stride 2 a
    /// row goes by 8 columns with AVX2 (two loads, a shuffle and a permute), else by 4 with <c>Kernels.Columns</c>, the
    /// row's last vector shifted left to end on its last column; rows narrower than a vector one value at a time.
    /// </summary>
    /// <param name="input">Element (0, 0, 0) of the input (the first window's origin).</param>
    /// <param name="output">The dense output, <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/>.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="width">Output columns.</param>
    /// <param name="height">Output rows.</param>
    /// <param name="strideX">Input columns per output column.</param>
    /// <param name="strideY">Input rows per output row.</param>
    /// <param name="rowStride">Distance between input rows.</param>
    /// <param name="planeStride">Distance between input channels.</param>
    public static void Run(ref float input, ref float output, int channels, int width, int height, int strideX, int strideY, int rowStride, int planeStride) =>
        Patches(ref input, ref output, channels, width, height, 1, 1, strideX, strideY, rowStride, planeStride);

    /// <summary>
    /// Lays out every window of a convolution whose windows do not overlap (a ConvNeXt or ViT patch stem, a 2×2 stride-2
    /// down-step) as the channels of a dense C,H,W volume, so the convolution is a 1×1 one over it: window tap (ky, kx)
    /// of input channel c becomes channel <c>(c · kernelHeight + ky) · kernelWidth + kx</c>, the index of that tap's
    /// weight in a filter, so the weights keep their layout. Writes
    /// <c>output[(c · kernelHeight + ky) · kernelWidth + kx][y][x] = input[c · planeStride + (y · strideY + ky) · rowStride + x · strideX + kx]</c>
    /// and reads nothing else (each tap's row as <see cref="Run"/> reads one).
    /// </summary>
    /// <param name="input">Element (0, 0, 0) of the input (the first window's origin).</param>
    /// <param name="output">The dense output, <paramref name="channels"/> · <paramref name="kernelHeight"/> · <paramref name="kernelWidth"/> planes of <paramref name="height"/> × <paramref name="width"/>.</param>
    /// <param name="channels">Input channels.</param>
    /// <param name="width">Output columns.</param>
    /// <param name="height">Output rows.</param>
    /// <param name="kernelWidth">Window columns.</param>
    /// <param name="kernelHeight">Window rows.</param>
    /// <param name="strideX">Input columns per output column.</param>
    /// <param name="strideY">Input rows per output row.</param>
    /// <param name="rowStride">Distance between input rows.</param>
    /// <param name="planeStride">Distance between input channels.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Patches(ref float input, ref float output, int channels, int width, int height, int kernelWidth, int kernelHeight,
        int strideX, int strideY, int rowStride, int planeStride)
    {
        nint plane = (nint)height * width;
        for (int c = 0; c < channels; c++)
        {
            for (int ky = 0; ky < kernelHeight; ky++)
            {
                for (int kx = 0; kx < kernelWidth; kx++)
                {
                    ref float source = ref Unsafe.Add(ref input, (nint)c * planeStride + (nint)ky * rowStride + kx);
                    ref float target = ref Unsafe.Add(ref output, ((nint)c * kernelHeight + ky) * kernelWidth * plane + kx * plane);
                    for (int y = 0; y < height; y++)
                    {
                        Gather(ref Unsafe.Add(ref source, (nint)y * strideY * rowStride), ref Unsafe.Add(ref target, y * (nint)width), width, strideX);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Splits each input row into its even and odd columns (a stride-2 conv's two phases), so a stride-2 column kernel
    /// reads every tap with one contiguous load instead of two loads and a shuffle per vector per tap. Row y of channel c
    /// becomes <c>output[(c · rows + y) · 2 · half]</c>: its <c>half = ⌈width / 2⌉</c> even columns, then its
    /// <c>⌊width / 2⌋</c> odd ones (and, for an odd <paramref name="width"/>, one zero to fill the row). Reads only columns
    /// below <paramref name="width"/> of rows below <paramref name="rows"/>.
    /// </summary>
    /// <param name="input">Element (0, 0, 0) of the input (the first window's origin).</param>
    /// <param name="output">The split rows, <paramref name="channels"/> × <paramref name="rows"/> × 2 · ⌈width / 2⌉.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="width">Input columns the conv reads.</param>
    /// <param name="rows">Input rows the conv reads.</param>
    /// <param name="rowStride">Distance between input rows.</param>
    /// <param name="planeStride">Distance between input channels.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Phases(ref float input, ref float output, int channels, int width, int rows, int rowStride, int planeStride)
    {
        Phases2(ref input, ref output, channels, width, rows, rowStride, planeStride);
    }

    /// <summary>
    /// Splits each input row into <paramref name="stride"/> phases, its columns by their remainder mod the stride, so a
    /// strided column kernel reads every tap with one contiguous load. Row y of channel c becomes
    /// <c>output[(c · rows + y) · stride · phase]</c> with <c>phase = ⌈width / stride⌉</c>: phase p holds columns
    /// p, p + stride, … (and zeros to fill it to <c>phase</c> floats). Reads only columns below <paramref name="width"/>
    /// of rows below <paramref name="rows"/>. Stride 2 is <see cref="Phases(ref float, ref float, int, int, int, int, int)"/>.
    /// </summary>
    /// <param name="input">Element (0, 0, 0) of the input (the first window's origin).</param>
    /// <param name="output">The split rows, <paramref name="channels"/> × <paramref name="rows"/> × stride · ⌈width / stride⌉.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="width">Input columns the conv reads.</param>
    /// <param name="rows">Input rows the conv reads.</param>
    /// <param name="rowStride">Distance between input rows.</param>
    /// <param name="planeStride">Distance between input channels.</param>
    /// <param name="stride">The conv's stride across (2 or more).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Phases(ref float input, ref float output, int channels, int width, int rows, int rowStride, int planeStride, int stride)
    {
        if (stride == 2)
        {
            Phases2(ref input, ref output, channels, width, rows, rowStride, planeStride);
            return;
        }
        int phase = (width + stride - 1) / stride;
        for (int c = 0; c < channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, (nint)c * planeStride);
            for (int y = 0; y < rows; y++)
            {
                ref float row = ref Unsafe.Add(ref plane, (nint)y * rowStride);
                ref float target = ref Unsafe.Add(ref output, ((nint)c * rows + y) * stride * phase);
                for (int p = 0; p < stride; p++)
                {
                    int count = (width - p + stride - 1) / stride;
                    ref float part = ref Unsafe.Add(ref target, (nint)p * phase);
                    Gather(ref Unsafe.Add(ref row, p), ref part, count, stride);
                    for (int x = count; x < phase; x++)
                    {
                        Unsafe.Add(ref part, x) = 0;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The permute indices of <see cref="PhasePlanes"/>'s AVX-512 path, by stride across (2 to 8): for column phase px,
    /// strideX − 1 indices; lane j of the phase is column <c>strideX · j + px</c> of the loads L0, L1, …, each 16 wide.
    /// Step 1 permutes L0 with L1 (the lanes whose column is under 32), step k ≥ 2 the result so far with L(k), taking
    /// from L(k) the lanes whose column falls in it and keeping the others.
    /// </summary>
    private static readonly Vector512<int>[][] PhaseChains = BuildPhaseChains();

    private static Vector512<int>[][] BuildPhaseChains()
    {
        var all = new Vector512<int>[9][];
        var index = new int[16];
        for (int stride = 0; stride <= 8; stride++)
        {
            all[stride] = new Vector512<int>[Math.Max(0, stride * (stride - 1))];
            for (int px = 0; px < stride; px++)
            {
                for (int k = 1; k < stride; k++)
                {
                    for (int j = 0; j < 16; j++)
                    {
                        int column = stride * j + px;
                        index[j] = k == 1 ? (column < 32 ? column : j) : (column >= 16 * k && column < 16 * k + 16 ? 16 + column - 16 * k : j);
                    }
                    all[stride][px * (stride - 1) + k - 1] = Vector512.Create<int>(index);
                }
            }
        }
        return all;
    }

    /// <summary>
    /// Splits a region of each channel into its <paramref name="strideY"/> × <paramref name="strideX"/> phases, the
    /// rows and columns by their remainders mod the strides, so a conv strided both ways (or dilated) reads every tap
    /// as one contiguous run of one phase: phase (py, px) of channel c starts at
    /// <c>output[((c · strideY + py) · strideX + px) · phaseSize]</c>, its row i at <c>i · phaseRowStride</c> holding
    /// input row <c>py + i · strideY</c>, columns <c>px, px + strideX, …</c>. Only the phases whose bits are set in
    /// <paramref name="rowPhases"/> and <paramref name="columnPhases"/> are written (a 1×1 or 3×3 filter at stride 4
    /// reads a quarter or less of them); in those, rows and columns past the region's <paramref name="rows"/> and
    /// <paramref name="columns"/>, and the floats from <c>phaseRows · phaseRowStride</c> to <paramref name="phaseSize"/>,
    /// are zeros. Reads nothing outside the region. With AVX-512, 16 columns of every column phase at a time: the row's
    /// <c>16 · strideX</c> floats in strideX loads, each phase's vector chained out of them by strideX − 1 two-source
    /// permutes; with AVX2, 8 columns of a phase by one gather.
    /// </summary>
    /// <param name="input">Element (0, 0) of the region in the first channel.</param>
    /// <param name="rowStride">Distance between input rows.</param>
    /// <param name="planeStride">Distance between input channels.</param>
    /// <param name="channels">Channels.</param>
    /// <param name="rows">Input rows of the region.</param>
    /// <param name="columns">Input columns of the region.</param>
    /// <param name="strideX">Columns per phase column (1 to 8).</param>
    /// <param name="strideY">Rows per phase row (1 or more).</param>
    /// <param name="output">The phases, <paramref name="channels"/> · strideY · strideX of <paramref name="phaseSize"/> floats.</param>
    /// <param name="phaseRowStride">Floats of a phase row (at least ⌈columns / strideX⌉).</param>
    /// <param name="phaseRows">Rows of a phase (at least ⌈rows / strideY⌉).</param>
    /// <param name="phaseSize">Floats of a phase (at least phaseRows · phaseRowStride).</param>
    /// <param name="rowPhases">Bit py set: row phase py is read.</param>
    /// <param name="columnPhases">Bit px set: column phase px is read.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PhasePlanes(ref float input, int rowStride, int planeStride, int channels, int rows, int columns, int strideX, int strideY,
        ref float output, int phaseRowStride, int phaseRows, int phaseSize, int rowPhases, int columnPhases)
    {
        if (strideX < 1 || strideX > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(strideX));
        }
        bool avx512 = Vector512.IsHardwareAccelerated && Avx512F.IsSupported && strideX > 1;
        Vector512<int>[] chains = avx512 ? PhaseChains[strideX] : [];
        Chains indices = avx512 && strideX is 3 or 4 ? new Chains(chains, strideX) : default;
        for (int c = 0; c < channels; c++)
        {
            for (int py = 0; py < strideY; py++)
            {
                if ((rowPhases >> py & 1) == 0)
                {
                    continue;
                }
                ref float first = ref Unsafe.Add(ref output, ((nint)c * strideY + py) * strideX * phaseSize);
                for (int i = 0; i < phaseRows; i++)
                {
                    int y = py + i * strideY;
                    ref float target = ref Unsafe.Add(ref first, (nint)i * phaseRowStride);
                    ref float row = ref Unsafe.Add(ref input, (nint)c * planeStride + (nint)Math.Min(y, rows - 1) * rowStride);
                    int j = 0;
                    if (y >= rows)
                    {
                        j = phaseRowStride; // a row past the region: zeros below
                        for (int px = 0; px < strideX; px++)
                        {
                            if ((columnPhases >> px & 1) != 0)
                            {
                                MemoryMarshal.CreateSpan(ref Unsafe.Add(ref target, (nint)px * phaseSize), phaseRowStride).Clear();
                            }
                        }
                    }
                    else if (strideX == 1)
                    {
                        j = Math.Min(columns, phaseRowStride);
                        MemoryMarshal.CreateReadOnlySpan(ref row, j).CopyTo(MemoryMarshal.CreateSpan(ref target, j));
                    }
                    else if (avx512)
                    {
                        // 16 columns of every phase from 16 · strideX floats, loads masked at the region's last column
                        // (zeros past it); a store past the row's end lands in the next row, written after, or in the tail.
                        for (; j < phaseRowStride; j += 16)
                        {
                            unsafe
                            {
                                fixed (float* from = &Unsafe.Add(ref row, (nint)j * strideX), to = &Unsafe.Add(ref target, j))
                                {
                                    int room = columns - j * strideX;
                                    if (strideX == 3)
                                    {
                                        Chunk3(from, room, to, phaseSize, columnPhases, in indices);
                                    }
                                    else if (strideX == 4)
                                    {
                                        Chunk4(from, room, to, phaseSize, columnPhases, in indices);
                                    }
                                    else
                                    {
                                        Vector512<float> l0 = LoadBefore(from, room), l1 = LoadBefore(from + 16, room - 16);
                                        for (int px = 0; px < strideX; px++)
                                        {
                                            if ((columnPhases >> px & 1) == 0)
                                            {
                                                continue;
                                            }
                                            ref Vector512<int> chain = ref chains[px * (strideX - 1)]; // see PhaseChains
                                            Vector512<float> v = Avx512F.PermuteVar16x32x2(l0, chain, l1);
                                            for (int k = 2; k < strideX; k++)
                                            {
                                                v = Avx512F.PermuteVar16x32x2(v, Unsafe.Add(ref chain, k - 1), LoadBefore(from + 16 * k, room - 16 * k));
                                            }
                                            v.Store(to + px * phaseSize);
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if (y < rows && strideX > 1 && Avx2.IsSupported)
                    {
                        // The rest of each phase's row by masked gathers of 8 (lanes past its last column read nothing and
                        // store zeros; a store past the row's end lands in the next row, written after, or in the phase's tail).
                        for (int px = 0; px < strideX; px++)
                        {
                            if ((columnPhases >> px & 1) == 0)
                            {
                                continue;
                            }
                            Vector256<int> count = Vector256.Create(px < columns ? Math.Min(phaseRowStride, (columns - px + strideX - 1) / strideX) : 0);
                            for (int at = j; at < phaseRowStride; at += 8)
                            {
                                Vector256<int> lanes = Vector256.Create(at) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                                Vector256<float> mask = Vector256.LessThan(lanes, count).AsSingle();
                                unsafe
                                {
                                    fixed (float* from = &Unsafe.Add(ref row, px))
                                    Avx2.GatherMaskVector256(Vector256<float>.Zero, from, lanes * strideX, mask, 4).StoreUnsafe(ref Unsafe.Add(ref target, (nint)px * phaseSize + at));
                                }
                            }
                        }
                        j = phaseRowStride;
                    }
                    for (; j < phaseRowStride; j++)
                    {
                        for (int px = 0; px < strideX; px++)
                        {
                            int column = j * strideX + px;
                            Unsafe.Add(ref target, (nint)px * phaseSize + j) = column < columns ? Unsafe.Add(ref row, column) : 0;
                        }
                    }
                }
                for (int px = 0; px < strideX; px++)
                {
                    if ((columnPhases >> px & 1) != 0)
                    {
                        int tail = phaseRows * phaseRowStride;
                        MemoryMarshal.CreateSpan(ref Unsafe.Add(ref first, (nint)px * phaseSize + tail), phaseSize - tail).Clear();
                    }
                }
            }
        }
    }

    /// <summary>16 columns of each of the 3 phases of 48 floats (<see cref="PhasePlanes"/> at stride 3): 3 loads, 2 permutes a phase.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Chunk3(float* from, int room, float* to, int phaseSize, int columnPhases, in Chains c)
    {
        Vector512<float> l0 = LoadBefore(from, room), l1 = LoadBefore(from + 16, room - 16), l2 = LoadBefore(from + 32, room - 32);
        if ((columnPhases & 1) != 0)
        {
            Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(l0, c.A0, l1), c.B0, l2).Store(to);
        }
        if ((columnPhases & 2) != 0)
        {
            Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(l0, c.A1, l1), c.B1, l2).Store(to + phaseSize);
        }
        if ((columnPhases & 4) != 0)
        {
            Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(l0, c.A2, l1), c.B2, l2).Store(to + 2 * phaseSize);
        }
    }

    /// <summary>16 columns of each of the 4 phases of 64 floats (<see cref="PhasePlanes"/> at stride 4): 4 loads, 3 permutes a phase.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Chunk4(float* from, int room, float* to, int phaseSize, int columnPhases, in Chains c)
    {
        Vector512<float> l0 = LoadBefore(from, room), l1 = LoadBefore(from + 16, room - 16), l2 = LoadBefore(from + 32, room - 32), l3 = LoadBefore(from + 48, room - 48);
        if ((columnPhases & 1) != 0)
        {
            Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(l0, c.A0, l1), c.B0, l2), c.C0, l3).Store(to);
        }
        if ((columnPhases & 2) != 0)
        {
            Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(l0, c.A1, l1), c.B1, l2), c.C1, l3).Store(to + phaseSize);
        }
        if ((columnPhases & 4) != 0)
        {
            Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(l0, c.A2, l1), c.B2, l2), c.C2, l3).Store(to + 2 * phaseSize);
        }
        if ((columnPhases & 8) != 0)
        {
            Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(l0, c.A3, l1), c.B3, l2), c.C3, l3).Store(to + 3 * phaseSize);
        }
    }

    /// <summary>The permute indices of <see cref="Chunk3"/> and <see cref="Chunk4"/>, read from <see cref="PhaseChains"/> once a call into locals (registers).</summary>
    private readonly struct Chains
    {
        public readonly Vector512<int> A0, B0, C0, A1, B1, C1, A2, B2, C2, A3, B3, C3;

        public Chains(Vector512<int>[] chains, int stride)
        {
            Vector512<int> At(int px, int k) => px < stride && k < stride ? chains[px * (stride - 1) + k - 1] : default;
            (A0, B0, C0) = (At(0, 1), At(0, 2), At(0, 3));
            (A1, B1, C1) = (At(1, 1), At(1, 2), At(1, 3));
            (A2, B2, C2) = (At(2, 1), At(2, 2), At(2, 3));
            (A3, B3, C3) = (At(3, 1), At(3, 2), At(3, 3));
        }
    }

    /// <summary>
    /// The 16 floats from <paramref name="address"/>, those from <paramref name="room"/> on read as zeros without touching
    /// memory (two AVX masked loads when the vector would cross the end).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> LoadBefore(float* address, int room)
    {
        if (room >= 16)
        {
            return Vector512.Load(address);
        }
        if (room <= 0)
        {
            return Vector512<float>.Zero;
        }
        Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), limit = Vector256.Create(room);
        Vector256<float> low = Avx.MaskLoad(address, Vector256.LessThan(lanes, limit).AsSingle());
        Vector256<float> high = Avx.MaskLoad(address + 8, Vector256.LessThan(lanes + Vector256.Create(8), limit).AsSingle());
        return Vector512.Create(low, high);
    }

    /// <summary>The even and odd columns of <see cref="Phases(ref float, ref float, int, int, int, int, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Phases2(ref float input, ref float output, int channels, int width, int rows, int rowStride, int planeStride)
    {
        int even = (width + 1) / 2, odd = width / 2;
        for (int c = 0; c < channels; c++)
        {
            ref float plane = ref Unsafe.Add(ref input, (nint)c * planeStride);
            for (int y = 0; y < rows; y++)
            {
                ref float row = ref Unsafe.Add(ref plane, (nint)y * rowStride);
                ref float target = ref Unsafe.Add(ref output, ((nint)c * rows + y) * 2 * even);
                if (odd >= 16 && Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
                {
                    // 32 inputs, two permutes: 16 even and 16 odd columns (the last step shifted left to end on the last odd one)
                    for (int x = 0; ; x += 16)
                    {
                        int at = Math.Min(x, odd - 16);
                        Vector512<float> a = Vector512.LoadUnsafe(ref row, (nuint)(2 * at)), b = Vector512.LoadUnsafe(ref row, (nuint)(2 * at + 16));
                        Avx512F.PermuteVar16x32x2(a, Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), b).StoreUnsafe(ref target, (nuint)at);
                        Avx512F.PermuteVar16x32x2(a, Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31), b).StoreUnsafe(ref target, (nuint)(even + at));
                        if (at == odd - 16)
                        {
                            break;
                        }
                    }
                }
                else if (odd >= 8 && Avx2.IsSupported)
                {
                    // 16 inputs: a shuffle takes columns 0, 2, 8, 10 | 4, 6, 12, 14 (or the odd ones), a permute puts them in order
                    for (int x = 0; ; x += 8)
                    {
                        int at = Math.Min(x, odd - 8);
                        Vector256<float> a = Vector256.LoadUnsafe(ref row, (nuint)(2 * at)), b = Vector256.LoadUnsafe(ref row, (nuint)(2 * at + 8));
                        Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref target, (nuint)at);
                        Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref target, (nuint)(even + at));
                        if (at == odd - 8)
                        {
                            break;
                        }
                    }
                }
                else
                {
                    Gather(ref row, ref target, odd, 2);
                    Gather(ref Unsafe.Add(ref row, 1), ref Unsafe.Add(ref target, even), odd, 2);
                }
                if (odd < even)
                {
                    Unsafe.Add(ref target, odd) = Unsafe.Add(ref row, 2 * odd); // the last even column of an odd width
                    Unsafe.Add(ref target, even + odd) = 0;
                }
            }
        }
    }

    /// <summary>
    /// Writes <c>target[x] = row[x · strideX]</c> for x below <paramref name="width"/>, reading nothing else: at stride 2
    /// by 8 columns with AVX2 (two loads, a shuffle and a permute), else by 4 with <c>Kernels.Columns</c>, the last vector
    /// shifted left to end on the last column; rows narrower than a vector one value at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather(ref float row, ref float target, int width, int strideX)
    {
        if (strideX == 2 && width >= 8 && Avx2.IsSupported)
        {
            for (int x = 0; ; x += 8)
            {
                int at = Math.Min(x, width - 8);
                // inputs 0..7 and 7..14: lanes 0, 2 | 8, 10 of the 128-bit halves, then 4, 6 | 12, 14; the permute puts them in order
                Vector256<float> even = Avx.Shuffle(Vector256.LoadUnsafe(ref row, (nuint)(2 * at)), Vector256.LoadUnsafe(ref row, (nuint)(2 * at + 7)), 0b11_01_10_00);
                Avx2.Permute4x64(even.AsDouble(), 0b11_01_10_00).AsSingle().StoreUnsafe(ref target, (nuint)at);
                if (at == width - 8)
                {
                    break;
                }
            }
        }
        else if (width >= 4 && Vector128.IsHardwareAccelerated)
        {
            for (int x = 0; ; x += 4)
            {
                int at = Math.Min(x, width - 4);
                Kernels.Columns(ref Unsafe.Add(ref row, (nint)strideX * at), strideX).StoreUnsafe(ref target, (nuint)at);
                if (at == width - 4)
                {
                    break;
                }
            }
        }
        else
        {
            for (int x = 0; x < width; x++)
            {
                Unsafe.Add(ref target, x) = Unsafe.Add(ref row, (nint)x * strideX);
            }
        }
    }
}
