using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnGen.Internal;

namespace CnnGen;

/// <summary>
/// The shape of a transposed convolution for <see cref="ConvTranspose.Gather{TEpilogue}"/>: sizes and strides in floats.
/// </summary>
/// <param name="Filters">Output channels.</param>
/// <param name="KernelWidth">Kernel columns.</param>
/// <param name="KernelHeight">Kernel rows.</param>
/// <param name="Stride">The stride along both axes.</param>
/// <param name="Padding">Columns (and rows) cropped from the left (and top) of the full output.</param>
/// <param name="InputWidth">Input columns.</param>
/// <param name="InputHeight">Input rows.</param>
/// <param name="OutputWidth">Output columns.</param>
/// <param name="OutputHeight">Output rows.</param>
/// <param name="OutputRowStride">Floats from one output row to the next.</param>
/// <param name="OutputPlaneStride">Floats from one output channel to the next.</param>
/// <param name="BiasOffset">Where the biases start, from the layer's parameters.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct ConvTransposeShape(
    int Filters, int KernelWidth, int KernelHeight, int Stride, int Padding,
    int InputWidth, int InputHeight, int OutputWidth, int OutputHeight,
    int OutputRowStride, int OutputPlaneStride, int BiasOffset);

/// <summary>
/// A transposed convolution for the code CnnGen generates, as ONNX Runtime computes it (a matrix product, then col2im):
/// <list type="number">
/// <item><description>At construction, <see cref="LowerWeights"/> turns the weights <c>[channels][filters][kh][kw]</c>
/// into those of a 1×1 convolution with <c>filters·kh·kw</c> outputs, <c>[filters][kh][kw][channels]</c>.</description></item>
/// <item><description>The generated code runs that 1×1 convolution (any of CnnGen's convolution kernels: every instruction
/// set, register tiles chosen for its size) into a workspace: <c>taps[o][ky][kx][iy][ix]</c>, what input pixel
/// (iy, ix) gives output (iy·S − P + ky, ix·S − P + kx) of channel o through tap (ky, kx). No multiply is wasted on
/// a zero (a stride that does not divide the kernel would leave zero taps in a sub-pixel decomposition).</description></item>
/// <item><description><see cref="Gather{TEpilogue}"/> sums, for each output, the taps that land on it, then adds the
/// bias and the fused activations and stores it once: output (oy, ox) with <c>oy + P = S·qy + ty</c>,
/// <c>ox + P = S·qx + tx</c> reads tap (ty + S·my, tx + S·mx) at input (qy − my, qx − mx). With strides 1 and 2
/// consecutive <c>qx</c> are one vector load per tap; stride 2 interleaves the two column phases as it stores, larger
/// strides each phase's vector through a small buffer on the stack (they summed every output one at a time before:
/// FCN's 16×16/8 up-sampling of 16×16×21 0.44× → 2.02× ONNX Runtime, 1829 → 689 µs, throwaway probe, best of 150 ms
/// of runs, load 80).</description></item>
/// </list>
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ConvTranspose
{
    /// <summary>
    /// Writes the weights of the equivalent 1×1 convolution, <c>[filters][kh·kw][channels]</c> (PyTorch's conv layout, the
    /// output channel <c>o·kh·kw + tap</c>), at <paramref name="loweredOffset"/>, and zero biases after them.
    /// </summary>
    /// <param name="parameters">The network's parameters (its private copy, with room for the lowered weights).</param>
    /// <param name="weightsOffset">Where the transposed convolution's weights <c>[channels][filters][kh][kw]</c> start.</param>
    /// <param name="channels">Input channels.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="taps">Kernel taps, <c>kh·kw</c>.</param>
    /// <param name="loweredOffset">Where the lowered weights go.</param>
    public static void LowerWeights(float[] parameters, int weightsOffset, int channels, int filters, int taps, int loweredOffset)
    {
        int outputs = filters * taps;
        for (int i = 0; i < channels; i++)
        {
            for (int f = 0; f < outputs; f++)
            {
                parameters[loweredOffset + f * channels + i] = parameters[weightsOffset + i * outputs + f];
            }
        }
        Array.Clear(parameters, loweredOffset + outputs * channels, outputs);
    }

    /// <summary>
    /// The output of a transposed convolution from its taps (see the class summary), bias and
    /// <typeparamref name="TEpilogue"/> included, on the widest vectors the machine has (scalar without vector hardware).
    /// </summary>
    /// <typeparam name="TEpilogue">The fused activations.</typeparam>
    /// <param name="layer">The layer's shape.</param>
    /// <param name="taps">The 1×1 convolution's output, <c>[filters][kh][kw][inputHeight][inputWidth]</c>, dense.</param>
    /// <param name="output">The output's first value.</param>
    /// <param name="weights">The layer's parameters (its biases are found from here).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather<TEpilogue>(in ConvTransposeShape layer, ref float taps, ref float output, ref float weights)
        where TEpilogue : struct, IWinogradEpilogue
    {
        // The widest vectors that fit the row's vector columns (16×16 taps of a 4×4/2 layer leave 15: 8-float vectors).
        int columns = Math.Min(layer.InputWidth, (layer.OutputWidth + layer.Padding) / layer.Stride) - FirstVectorColumn(layer);
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && columns >= 16)
        {
            Gather<WinogradLanes16, TEpilogue>(layer, ref taps, ref output, ref weights, vectors: true);
        }
        else if (Vector256.IsHardwareAccelerated && Avx2.IsSupported && columns >= 8)
        {
            Gather<WinogradLanes8, TEpilogue>(layer, ref taps, ref output, ref weights, vectors: true);
        }
        else
        {
            Gather<WinogradLanes4, TEpilogue>(layer, ref taps, ref output, ref weights, vectors: Vector128.IsHardwareAccelerated);
        }
    }

    /// <summary>
    /// The largest stride whose vector columns are vectorized: above it (a phase buffer of <c>stride · 16</c> floats on
    /// the stack) every output is summed one at a time.
    /// </summary>
    private const int MaxVectorStride = 64;

    /// <summary>The first input column whose taps are all inside the input and whose outputs are all inside the output.</summary>
    private static int FirstVectorColumn(in ConvTransposeShape layer) =>
        Math.Max((layer.KernelWidth - 1) / layer.Stride, (layer.Padding + layer.Stride - 1) / layer.Stride);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather<T, TEpilogue>(in ConvTransposeShape layer, ref float taps, ref float output, ref float weights, bool vectors)
        where T : struct, IWinogradLanes<T>
        where TEpilogue : struct, IWinogradEpilogue
    {
        int s = layer.Stride, p = layer.Padding, kw = layer.KernelWidth, kh = layer.KernelHeight;
        int width = layer.InputWidth, height = layer.InputHeight;
        int plane = width * height, filterSize = plane * kw * kh;
        int lanes = T.Width;
        // The vector columns: qx from first to end (exclusive), where every tap's input column qx − mx is inside the
        // input and every output column S·qx + tx − P inside the output; the rest, near the edges, one at a time.
        int first = FirstVectorColumn(layer);
        int end = Math.Min(width, (layer.OutputWidth + p) / s);
        bool vectorColumns = vectors && s <= MaxVectorStride && end - first >= lanes;
        int vectorStart = vectorColumns ? first * s - p : layer.OutputWidth; // output columns [vectorStart, vectorEnd) are the vectors'
        int vectorEnd = vectorColumns ? end * s - p : layer.OutputWidth;
        // The taps' rows that land on the output row: ky = ty + S·my from input row iy = qy − my, as offsets into a filter's taps.
        Span<int> rows = stackalloc int[(kh + s - 1) / s];
        // Strides above 2: each column phase's vector of outputs, interleaved into the row through here.
        Span<float> phases = stackalloc float[s > 2 && vectorColumns ? s * lanes : 0];
        for (int o = 0; o < layer.Filters; o++)
        {
            ref float filter = ref Unsafe.Add(ref taps, (nint)o * filterSize);
            float bias = Unsafe.Add(ref weights, layer.BiasOffset + o);
            T biasVector = T.Create(bias);
            for (int oy = 0; oy < layer.OutputHeight; oy++)
            {
                ref float row = ref Unsafe.Add(ref output, (nint)o * layer.OutputPlaneStride + (nint)oy * layer.OutputRowStride);
                int ty = (oy + p) % s, qy = (oy + p) / s, count = 0;
                for (int ky = ty, iy = qy; ky < kh && iy >= 0; ky += s, iy--)
                {
                    if (iy < height)
                    {
                        rows[count++] = ky * kw * plane + iy * width;
                    }
                }
                for (int ox = 0; ox < vectorStart; ox++)
                {
                    Unsafe.Add(ref row, ox) = Column<TEpilogue>(ref filter, rows[..count], layer, ox, bias, ref weights, o);
                }
                if (vectorColumns)
                {
                    for (int qx = first; ; qx += lanes)
                    {
                        qx = Math.Min(qx, end - lanes); // the last vector overlaps the one before (recomputed identically)
                        if (s == 1)
                        {
                            T sum = biasVector;
                            foreach (int r in rows[..count])
                            {
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    sum += T.Load(ref filter, r + kx * plane + qx - kx);
                                }
                            }
                            T.Store(T.Epilogue<TEpilogue>(sum, ref weights, o), ref row, qx - p);
                        }
                        else if (s > 2)
                        {
                            // Column phase tx: the outputs S·qx + tx − P for the vector's qx, from the taps kx = tx + S·m.
                            ref float phase = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(phases);
                            for (int tx = 0; tx < s; tx++)
                            {
                                T sum = biasVector;
                                foreach (int r in rows[..count])
                                {
                                    for (int kx = tx, m = 0; kx < kw; kx += s, m++)
                                    {
                                        sum += T.Load(ref filter, r + kx * plane + qx - m);
                                    }
                                }
                                T.Store(T.Epilogue<TEpilogue>(sum, ref weights, o), ref phase, tx * lanes);
                            }
                            ref float target = ref Unsafe.Add(ref row, s * qx - p);
                            for (int j = 0; j < lanes; j++)
                            {
                                for (int tx = 0; tx < s; tx++)
                                {
                                    Unsafe.Add(ref target, s * j + tx) = Unsafe.Add(ref phase, tx * lanes + j);
                                }
                            }
                        }
                        else
                        {
                            T even = biasVector, odd = biasVector; // the output columns 2·qx − P and 2·qx + 1 − P
                            foreach (int r in rows[..count])
                            {
                                for (int kx = 0, m = 0; kx < kw; kx += 2, m++)
                                {
                                    even += T.Load(ref filter, r + kx * plane + qx - m);
                                }
                                for (int kx = 1, m = 0; kx < kw; kx += 2, m++)
                                {
                                    odd += T.Load(ref filter, r + kx * plane + qx - m);
                                }
                            }
                            T.StoreInterleaved(T.Epilogue<TEpilogue>(even, ref weights, o), T.Epilogue<TEpilogue>(odd, ref weights, o),
                                ref Unsafe.Add(ref row, 2 * qx - p));
                        }
                        if (qx == end - lanes)
                        {
                            break;
                        }
                    }
                }
                for (int ox = vectorEnd; ox < layer.OutputWidth; ox++)
                {
                    Unsafe.Add(ref row, ox) = Column<TEpilogue>(ref filter, rows[..count], layer, ox, bias, ref weights, o);
                }
            }
        }
    }

    /// <summary>One output of the row whose taps' rows are <paramref name="rows"/>, scalar.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Column<TEpilogue>(ref float filter, ReadOnlySpan<int> rows, in ConvTransposeShape layer, int ox, float bias, ref float weights, int o)
        where TEpilogue : struct, IWinogradEpilogue
    {
        int s = layer.Stride, kw = layer.KernelWidth, width = layer.InputWidth;
        int plane = width * layer.InputHeight;
        int tx = (ox + layer.Padding) % s, qx = (ox + layer.Padding) / s;
        float sum = bias;
        foreach (int r in rows)
        {
            for (int kx = tx, ix = qx; kx < kw && ix >= 0; kx += s, ix--)
            {
                if (ix < width)
                {
                    sum += Unsafe.Add(ref filter, r + kx * plane + ix);
                }
            }
        }
        return TEpilogue.Apply(Vector128.CreateScalarUnsafe(sum), ref weights, o).ToScalar();
    }
}
