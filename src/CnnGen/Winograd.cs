using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnGen.Geometry;
using CnnGen.Internal;

namespace CnnGen;

/// <summary>
/// The fused activations of one generated convolution, which the Winograd kernel applies to each vector of outputs
/// (after the bias) before it stores them. The generator emits one struct per layer; not meant to be implemented by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IWinogradEpilogue
{
    /// <summary>The activations on 16 outputs of output channel <paramref name="channel"/>.</summary>
    /// <param name="value">The outputs, bias included.</param>
    /// <param name="weights">The layer's parameters (per-channel activations read theirs from there).</param>
    /// <param name="channel">The output channel.</param>
    static abstract Vector512<float> Apply(Vector512<float> value, ref float weights, int channel);

    /// <summary>The activations on 8 outputs of output channel <paramref name="channel"/>.</summary>
    /// <param name="value">The outputs, bias included.</param>
    /// <param name="weights">The layer's parameters (per-channel activations read theirs from there).</param>
    /// <param name="channel">The output channel.</param>
    static abstract Vector256<float> Apply(Vector256<float> value, ref float weights, int channel);

    /// <summary>The activations on 4 outputs of output channel <paramref name="channel"/>.</summary>
    /// <param name="value">The outputs, bias included.</param>
    /// <param name="weights">The layer's parameters (per-channel activations read theirs from there).</param>
    /// <param name="channel">The output channel.</param>
    static abstract Vector128<float> Apply(Vector128<float> value, ref float weights, int channel);
}

/// <summary>No activation after the convolution: the outputs are stored as they are.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct WinogradIdentity : IWinogradEpilogue
{
    /// <inheritdoc/>
    public static Vector512<float> Apply(Vector512<float> value, ref float weights, int channel) => value;

    /// <inheritdoc/>
    public static Vector256<float> Apply(Vector256<float> value, ref float weights, int channel) => value;

    /// <inheritdoc/>
    public static Vector128<float> Apply(Vector128<float> value, ref float weights, int channel) => value;
}

/// <summary>
/// The shape of a 3×3, stride-1 convolution for <see cref="Winograd.Conv3x3{TEpilogue}"/>: sizes and strides in floats.
/// The input is read from its top-left corner (the border of a padded input included), <c>InputWidth × InputHeight</c>
/// of it; the output is written at <c>channel · OutputPlaneStride + row · OutputRowStride + column</c>.
/// </summary>
/// <param name="Channels">Input channels.</param>
/// <param name="Filters">Output channels.</param>
/// <param name="InputWidth">Readable input columns (padding included).</param>
/// <param name="InputHeight">Readable input rows (padding included).</param>
/// <param name="InputRowStride">Floats from one input row to the next.</param>
/// <param name="InputPlaneStride">Floats from one input channel to the next.</param>
/// <param name="OutputWidth">Output columns.</param>
/// <param name="OutputHeight">Output rows.</param>
/// <param name="OutputRowStride">Floats from one output row to the next.</param>
/// <param name="OutputPlaneStride">Floats from one output channel to the next.</param>
/// <param name="BiasOffset">Where the biases start, from the layer's parameters.</param>
/// <param name="TransformedOffset">Where the transformed weights (<see cref="Winograd.TransformWeights"/>) start, from the layer's parameters.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct WinogradConv(
    int Channels, int Filters,
    int InputWidth, int InputHeight, int InputRowStride, int InputPlaneStride,
    int OutputWidth, int OutputHeight, int OutputRowStride, int OutputPlaneStride,
    int BiasOffset, int TransformedOffset);

/// <summary>
/// Winograd F(2×2, 3×3) convolution (Lavin &amp; Gray, arXiv 1509.09308) for the code CnnGen generates: each 2×2 block
/// of outputs is computed from a 4×4 tile of input with 16 multiplications per input channel and filter instead of 36.
/// <list type="number">
/// <item><description>At construction, <see cref="TransformWeights"/> turns each 3×3 filter into <c>U = G·g·Gᵀ</c> (4×4), in double.</description></item>
/// <item><description>Per block of up to 6 vectors of tiles (96 on AVX-512): the input transform <c>V = Bᵀ·d·B</c> of every
/// tile and channel, vectorized across tiles (lane i holds tile i).</description></item>
/// <item><description>16 matrix products, one per transform point: <c>M[filter][tile] = Σ U[filter][channel] · V[channel][tile]</c>,
/// register-blocked 8 filters × 3 vectors of tiles (AVX-512) or 4 × 3 (AVX2, Vector128), a block's tiles in one or
/// two register tiles, its filters in groups (<c>WinogradSizes.FilterGroup</c>) whose products are computed point by
/// point: this is where the time goes.</description></item>
/// <item><description>The output transform <c>Y = Aᵀ·M·A</c> with the bias and the fused activations, stored straight into
/// the destination (which may be the interior of the next layer's bordered buffer).</description></item>
/// </list>
/// Rounding, measured against a float64 reference over random weights (scaled 1/√fan-in) and inputs in [−1, 1): the
/// largest error relative to the output's largest magnitude is 1.7e-7 (32 → 32 channels), 3.2e-7 (64 → 64), 5.0e-7
/// (256 → 16) and 6.9e-7 (512 → 16), at most 9% of the generator tests' tolerance (1e-4 relative + 1e-5 absolute) and
/// below a direct float32 convolution summed in order (the transforms only add, subtract and halve; see WinogradTests).
/// The tiles are numbered over the whole map, so maps narrower than a vector of tiles (down to 7 columns) fill their
/// vectors with the tiles of several rows.
/// <para>
/// <see cref="Conv3x3F4{TEpilogue}"/> is F(4×4, 3×3): 36 multiplications per 4×4 outputs (2.25 per output against
/// F(2×2)'s 4), at about 10× the rounding error (see <see cref="TransformWeightsF4"/> and the generator's limits).
/// </para>
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Winograd
{
    /// <summary>
    /// Writes the transformed weights of a conv with <paramref name="filters"/> × <paramref name="channels"/> 3×3 filters
    /// (PyTorch layout, at <paramref name="weightsOffset"/>) at <paramref name="transformedOffset"/> of the same array:
    /// <c>[16 points][filters / 8][channels][8 filters]</c>, filters past the last zero.
    /// </summary>
    /// <param name="parameters">The network's parameters (its private copy, with room for the transformed weights).</param>
    /// <param name="weightsOffset">Where the layer's weights start.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="channels">Input channels.</param>
    /// <param name="transformedOffset">Where the transformed weights go.</param>
    public static void TransformWeights(float[] parameters, int weightsOffset, int filters, int channels, int transformedOffset)
    {
        int padded = (int)WinogradSizes.PaddedFilters(filters);
        Span<double> g = stackalloc double[9];
        Span<double> t = stackalloc double[12];
        Span<double> row = stackalloc double[4];
        for (int k = 0; k < padded; k++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < 9; i++)
                {
                    g[i] = k < filters ? parameters[weightsOffset + ((k * channels) + c) * 9 + i] : 0;
                }
                // G·g (4×3): G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
                for (int j = 0; j < 3; j++)
                {
                    t[j] = g[j];
                    t[3 + j] = (g[j] + g[3 + j] + g[6 + j]) / 2;
                    t[6 + j] = (g[j] - g[3 + j] + g[6 + j]) / 2;
                    t[9 + j] = g[6 + j];
                }
                // (G·g)·Gᵀ (4×4), stored per transform point 4·i + j.
                for (int i = 0; i < 4; i++)
                {
                    double a = t[3 * i], b = t[3 * i + 1], d = t[3 * i + 2];
                    row[0] = a;
                    row[1] = (a + b + d) / 2;
                    row[2] = (a - b + d) / 2;
                    row[3] = d;
                    for (int j = 0; j < 4; j++)
                    {
                        int point = 4 * i + j;
                        parameters[transformedOffset + ((point * padded) + (k / 8 * 8)) * channels + c * 8 + k % 8] = (float)row[j];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Writes the F(4×4, 3×3) transformed weights of a conv (as <see cref="TransformWeights"/>, with 36 points):
    /// <c>U = G·g·Gᵀ</c> (6×6), <c>G = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1/24 1/12 ⅙; 1/24 −1/12 ⅙; 0 0 1]</c>, computed in double,
    /// laid out <c>[36 points][filters / 8][channels][8 filters]</c>.
    /// </summary>
    /// <param name="parameters">The network's parameters (its private copy, with room for the transformed weights).</param>
    /// <param name="weightsOffset">Where the layer's weights start.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="channels">Input channels.</param>
    /// <param name="transformedOffset">Where the transformed weights go.</param>
    public static void TransformWeightsF4(float[] parameters, int weightsOffset, int filters, int channels, int transformedOffset)
    {
        int padded = (int)WinogradSizes.PaddedFilters(filters);
        Span<double> g = stackalloc double[9];
        Span<double> t = stackalloc double[18];
        Span<double> row = stackalloc double[6];
        for (int k = 0; k < padded; k++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < 9; i++)
                {
                    g[i] = k < filters ? parameters[weightsOffset + ((k * channels) + c) * 9 + i] : 0;
                }
                // G·g (6×3), column by column.
                for (int j = 0; j < 3; j++)
                {
                    Apply(g[j], g[3 + j], g[6 + j], t, j, 3);
                }
                // (G·g)·Gᵀ (6×6), row by row, stored per transform point 6·i + j.
                for (int i = 0; i < 6; i++)
                {
                    Apply(t[3 * i], t[3 * i + 1], t[3 * i + 2], row, 0, 1);
                    for (int j = 0; j < 6; j++)
                    {
                        int point = 6 * i + j;
                        parameters[transformedOffset + ((point * padded) + (k / 8 * 8)) * channels + c * 8 + k % 8] = (float)row[j];
                    }
                }
            }
        }

        // G times (a, b, d): six values, written at target[start + step · i].
        static void Apply(double a, double b, double d, Span<double> target, int start, int step)
        {
            target[start] = a / 4;
            target[start + step] = -(a + b + d) / 6;
            target[start + 2 * step] = -(a - b + d) / 6;
            target[start + 3 * step] = a / 24 + b / 12 + d / 6;
            target[start + 4 * step] = a / 24 - b / 12 + d / 6;
            target[start + 5 * step] = d;
        }
    }

    /// <summary>
    /// The convolution of <paramref name="input"/> into <paramref name="output"/> as Winograd F(4×4, 3×3) (36 products
    /// per 4×4 outputs, input channel and filter), with the weights of <see cref="TransformWeightsF4"/>; otherwise as
    /// <see cref="Conv3x3{TEpilogue}"/>. The output's width and height must be multiples of 4.
    /// </summary>
    /// <typeparam name="TEpilogue">The fused activations.</typeparam>
    /// <param name="layer">The layer's shape.</param>
    /// <param name="input">The input's top-left corner (its border's, when it is padded).</param>
    /// <param name="output">The output's first value.</param>
    /// <param name="weights">The layer's parameters (its transformed weights and biases are found from here).</param>
    /// <param name="workspace">Scratch memory of the generator's planned size, free during the call.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Conv3x3F4<TEpilogue>(in WinogradConv layer, ref float input, ref float output, ref float weights, ref float workspace)
        where TEpilogue : struct, IWinogradEpilogue
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            WinogradKernel4<WinogradLanes16, TEpilogue>.Run(layer, ref input, ref output, ref weights, ref workspace);
        }
        else if (Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported)
        {
            WinogradKernel4<WinogradLanes8, TEpilogue>.Run(layer, ref input, ref output, ref weights, ref workspace);
        }
        else
        {
            WinogradKernel4<WinogradLanes4, TEpilogue>.Run(layer, ref input, ref output, ref weights, ref workspace);
        }
    }

    /// <summary>
    /// The convolution of <paramref name="input"/> into <paramref name="output"/>, bias and <typeparamref name="TEpilogue"/>
    /// included, on the widest vectors the machine has. Needs <see cref="Vector128.IsHardwareAccelerated"/> (the generated
    /// code runs its scalar direct kernel otherwise).
    /// </summary>
    /// <typeparam name="TEpilogue">The fused activations.</typeparam>
    /// <param name="layer">The layer's shape.</param>
    /// <param name="input">The input's top-left corner (its border's, when it is padded).</param>
    /// <param name="output">The output's first value.</param>
    /// <param name="weights">The layer's parameters (its transformed weights and biases are found from here).</param>
    /// <param name="workspace">Scratch memory of the generator's planned size, free during the call.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Conv3x3<TEpilogue>(in WinogradConv layer, ref float input, ref float output, ref float weights, ref float workspace)
        where TEpilogue : struct, IWinogradEpilogue
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            WinogradKernel<WinogradLanes16, TEpilogue>.Run(layer, ref input, ref output, ref weights, ref workspace);
        }
        else if (Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported)
        {
            WinogradKernel<WinogradLanes8, TEpilogue>.Run(layer, ref input, ref output, ref weights, ref workspace);
        }
        else
        {
            WinogradKernel<WinogradLanes4, TEpilogue>.Run(layer, ref input, ref output, ref weights, ref workspace);
        }
    }
}
