using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnGen.Internal;

namespace CnnGen;

/// <summary>
/// The shape of a convolution for <see cref="ChannelDot.Run{TEpilogue}"/>: sizes and strides in floats. The input is
/// read from its top-left corner (the border of a padded input included: every window is a plain read); the output is
/// written at <c>channel · OutputPlaneStride + row · OutputRowStride + column</c>.
/// </summary>
/// <param name="Channels">Input channels.</param>
/// <param name="Filters">Output channels.</param>
/// <param name="KernelWidth">Kernel columns.</param>
/// <param name="KernelHeight">Kernel rows.</param>
/// <param name="StrideX">Horizontal stride.</param>
/// <param name="StrideY">Vertical stride.</param>
/// <param name="DilationX">Columns from one kernel tap to the next in the input (1: adjacent).</param>
/// <param name="DilationY">Rows from one kernel tap to the next in the input (1: adjacent).</param>
/// <param name="InputRowStride">Floats from one input row to the next.</param>
/// <param name="InputPlaneStride">Floats from one input channel to the next.</param>
/// <param name="OutputWidth">Output columns.</param>
/// <param name="OutputHeight">Output rows.</param>
/// <param name="OutputRowStride">Floats from one output row to the next.</param>
/// <param name="OutputPlaneStride">Floats from one output channel to the next.</param>
/// <param name="WeightsOffset">
/// Where the weights repacked as <c>[filters][channels / 16][kh][kw][16]</c> (channels past the last padded with zero
/// weights), then the biases, start from the layer's parameters.
/// </param>
/// <param name="PadTop">Rows of zero border above the input (with <paramref name="InputHeight"/>).</param>
/// <param name="PadLeft">Columns of zero border left of the input (with <paramref name="InputWidth"/>).</param>
/// <param name="InputHeight">
/// Rows of real input below the border, or 0: when set, the kernel leaves out the kernel rows and columns that read only
/// the zero border for every pixel of a tile (the border must hold zeros either way).
/// </param>
/// <param name="InputWidth">Columns of real input right of the border, or 0 (with <paramref name="InputHeight"/>).</param>
/// <param name="WorkspacePitch">
/// 0, or <paramref name="InputRowStride"/> for rows narrower than a vector: the transposed rows then keep the input's row
/// stride and each block is transposed as one run over all its rows (one call, whole vectors), not row by row.
/// </param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct ChannelDotShape(
    int Channels, int Filters, int KernelWidth, int KernelHeight, int StrideX, int StrideY, int DilationX, int DilationY,
    int InputRowStride, int InputPlaneStride,
    int OutputWidth, int OutputHeight, int OutputRowStride, int OutputPlaneStride,
    int WeightsOffset, int PadTop = 0, int PadLeft = 0, int InputHeight = 0, int InputWidth = 0, int WorkspacePitch = 0)
{
    /// <summary>Blocks of 16 input channels (the last one padded).</summary>
    public int Blocks => (Channels + ChannelDot.BlockWidth - 1) / ChannelDot.BlockWidth;

    /// <summary>Input rows the windows read.</summary>
    public int Rows => (OutputHeight - 1) * StrideY + (KernelHeight - 1) * DilationY + 1;

    /// <summary>Input columns the windows read.</summary>
    public int Columns => (OutputWidth - 1) * StrideX + (KernelWidth - 1) * DilationX + 1;

    /// <summary>Pixels from one transposed row to the next: <see cref="WorkspacePitch"/>, else <see cref="Columns"/>.</summary>
    public int Pitch => WorkspacePitch > 0 ? WorkspacePitch : Columns;

    /// <summary>Floats of one filter's repacked weights: <c>blocks · kh · kw · 16</c>.</summary>
    public int FilterSize => Blocks * KernelHeight * KernelWidth * ChannelDot.BlockWidth;

    /// <summary>Floats of workspace the transposed input takes: <c>blocks · rows · pitch · 16</c>.</summary>
    public int WorkspaceLength => Blocks * Rows * Pitch * ChannelDot.BlockWidth;
}

/// <summary>
/// A convolution with <b>input channels</b> in the vector, for the code CnnGen generates for convolutions onto few
/// filters from many channels (a strided layer onto 2–31 filters from 64–512 channels), where neither a vector of output
/// columns (few and strided) nor one of output channels (few) is filled. The input's rows that the windows read are
/// first transposed once into blocks of 16 channels a pixel (<c>[block][row][column][16]</c>, <see cref="ChannelBlocks"/>),
/// so the 16 channels of a window's pixel, and the whole kernel row of them when it is not dilated (<c>kw · 16</c>
/// floats), are contiguous. Each output is then a dot product of its window with its filter, as a matrix product with
/// the reduction in the vector: a register tile of 4 output pixels × up to 6 filters (AVX-512; 3 with 16 registers)
/// accumulates, per 16 floats of the window, 4 input loads and one weight load per filter; at the end each
/// accumulator's lanes are summed (4 pixels into one 128-bit vector a filter), the bias and activations added, and the
/// 4 values stored. Like im2col and a matrix product (ONNX Runtime's way) but with the input copied once, not once per
/// tap. Not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ChannelDot
{
    /// <summary>Channels per block of the transposed input and of the repacked weights.</summary>
    public const int BlockWidth = 16;

    /// <summary>
    /// The convolution of <paramref name="input"/> into <paramref name="output"/>, bias and <typeparamref name="TEpilogue"/>
    /// included, on the widest vectors the machine has. Needs <see cref="Vector128.IsHardwareAccelerated"/> (the generated
    /// code runs its scalar kernel otherwise).
    /// </summary>
    /// <typeparam name="TEpilogue">The fused activations (none that reads per-channel parameters).</typeparam>
    /// <param name="layer">The layer's shape.</param>
    /// <param name="input">The input's top-left corner (its border's, when it is padded).</param>
    /// <param name="output">The output's first value.</param>
    /// <param name="weights">The layer's parameters (its repacked weights are found from here).</param>
    /// <param name="workspace">At least <see cref="ChannelDotShape.WorkspaceLength"/> floats for the transposed input.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TEpilogue>(in ChannelDotShape layer, ref float input, ref float output, ref float weights, ref float workspace)
        where TEpilogue : struct, IWinogradEpilogue
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            ChannelDotKernel<WinogradLanes16, TEpilogue>.Run(layer, ref input, ref output, ref weights, ref workspace);
        }
        else if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            ChannelDotKernel<WinogradLanes8, TEpilogue>.Run(layer, ref input, ref output, ref weights, ref workspace);
        }
        else
        {
            ChannelDotKernel<WinogradLanes4, TEpilogue>.Run(layer, ref input, ref output, ref weights, ref workspace);
        }
    }
}
