using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnGen.Internal;

namespace CnnGen;

/// <summary>A number known when the JIT specializes a kernel for it (a struct type argument): strides and tile sizes.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IConstant
{
    /// <summary>The number.</summary>
    static abstract int Value { get; }
}

/// <summary>The constant 1 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant1 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 1;
}

/// <summary>The constant 2 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant2 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 2;
}

/// <summary>The constant 3 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant3 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 3;
}

/// <summary>The constant 4 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant4 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 4;
}

/// <summary>The constant 5 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant5 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 5;
}

/// <summary>The constant 6 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant6 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 6;
}

/// <summary>The constant 7 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant7 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 7;
}

/// <summary>The constant 8 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant8 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 8;
}

/// <summary>The constant 9 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant9 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 9;
}

/// <summary>The constant 10 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant10 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 10;
}

/// <summary>The constant 11 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant11 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 11;
}

/// <summary>The constant 12 (a stride or a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant12 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 12;
}

/// <summary>The constant 13 (a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant13 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 13;
}

/// <summary>The constant 14 (a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant14 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 14;
}

/// <summary>The constant 16 (a tile size of <see cref="DirectConv"/>).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Constant16 : IConstant
{
    /// <inheritdoc/>
    public static int Value => 16;
}

/// <summary>
/// The shape of a convolution for <see cref="DirectConv.Run{TStride, TPixels16, TPixels8, TEpilogue}"/>: sizes and
/// strides in floats, and the dilation of its kernel. The input is read from its top-left corner (the border of a padded input included: every window
/// is a plain read); the output is written at <c>channel · OutputPlaneStride + row · OutputRowStride + column</c>.
/// </summary>
/// <param name="Channels">Input channels.</param>
/// <param name="Filters">Output channels.</param>
/// <param name="KernelWidth">Kernel columns.</param>
/// <param name="KernelHeight">Kernel rows.</param>
/// <param name="StrideY">Vertical stride (the horizontal one is a type argument).</param>
/// <param name="InputRowStride">Floats from one input row to the next.</param>
/// <param name="InputPlaneStride">Floats from one input channel to the next.</param>
/// <param name="OutputWidth">Output columns (at least the pixel tile).</param>
/// <param name="OutputHeight">Output rows.</param>
/// <param name="OutputRowStride">Floats from one output row to the next.</param>
/// <param name="OutputPlaneStride">Floats from one output channel to the next.</param>
/// <param name="PanelsOffset">Where the weights repacked as panels <c>[filters / 16][channels][kh][kw][16]</c>, then the biases, start from the layer's parameters.</param>
/// <param name="DilationX">Columns from one kernel tap to the next in the input (1: adjacent).</param>
/// <param name="DilationY">Rows from one kernel tap to the next in the input (1: adjacent).</param>
/// <param name="PadTop">Rows of zero border above the input (with <paramref name="InputHeight"/>).</param>
/// <param name="PadLeft">Columns of zero border left of the input (with <paramref name="InputWidth"/>).</param>
/// <param name="InputHeight">
/// Rows of real input below the border, or 0: when set, the kernel leaves out the kernel rows that read only the zero
/// border (see <see cref="DirectConv"/>); the kernel needs the border to hold zeros either way.
/// </param>
/// <param name="InputWidth">Columns of real input right of the border, or 0: when set, kernel columns that read only the border are left out.</param>
/// <param name="FlatRowWidth">
/// 0, or the width of the rows of a layer walked as one flat row (<c>OutputWidth</c> is then the whole plane, <c>OutputHeight</c>
/// 1): a one-column kernel at stride 1 over rows without gaps, whose pixel tiles may span rows; with <paramref name="InputHeight"/>,
/// the kernel rows that read only the border for every row a tile spans are left out.
/// </param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct DirectConvShape(
    int Channels, int Filters, int KernelWidth, int KernelHeight, int StrideY,
    int InputRowStride, int InputPlaneStride,
    int OutputWidth, int OutputHeight, int OutputRowStride, int OutputPlaneStride,
    int PanelsOffset, int DilationX = 1, int DilationY = 1,
    int PadTop = 0, int PadLeft = 0, int InputHeight = 0, int InputWidth = 0, int FlatRowWidth = 0);

/// <summary>
/// A direct convolution with <b>output channels</b> in the vector, looping over tiles of output pixels, for the code
/// CnnGen generates for strided convolutions on large maps (stems, downsampling 3×3 and 1×1, 1-D audio convs): one
/// or two vectors of output channels (16 on AVX-512, 8 on AVX2, 4 on <c>Vector128</c>) × up to 14 consecutive pixels
/// of an output row in registers, one broadcast input value per pixel and tap and one weight load per vector, the input
/// channels and the taps streamed through them. Unlike a vector of output columns, a stride costs nothing here (the
/// pixels' inputs are broadcast from constant offsets) and 3 input channels fill the vectors as well as 300.
/// The tile goes through a small stack buffer to the C,H,W output: on AVX-512 transposed back in registers, 16 channels
/// at a time, and stored as runs of pixels (see <c>DirectConvKernel.Scatter16</c>); elsewhere one scalar store per value.
/// AVX-512, one scalar load and store per value → transposed (throwaway harness, CnnGen and ONNX Runtime alternating in
/// one process, best of 150 ms of runs, two rounds, load 57–66; 14-pixel × 32-channel tiles; ONNX Runtime ÷ CnnGen):
/// AlexNet's 11×11/4 stem at 224 0.89× → 0.98–0.99× (622–626 → 563–571 µs), at 64 0.96–0.97× → 1.08–1.09× (48.8–49.1 →
/// 43.5–43.8), ResNet's 3×3/2 <c>layer2.0.conv1</c> (56×56×64 → 128) 0.91–0.93× → 1.00–1.01× (490–498 → 455–460),
/// AlexNet's 5×5 <c>features.3</c> 1.06–1.08× → 1.08–1.09×. Given where the input lies in its zero border
/// (<see cref="DirectConvShape.InputHeight"/>), the kernel leaves out the kernel rows of an output row, and the kernel
/// columns of a pixel tile, that read only the border: dilated windows (DeepLab's ASPP) read it with up to half their taps.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DirectConv
{
    /// <summary>Output channels per weight panel.</summary>
    public const int PanelWidth = 16;

    /// <summary>
    /// The convolution of <paramref name="input"/> into <paramref name="output"/>, bias and <typeparamref name="TEpilogue"/>
    /// included, on the widest vectors the machine has. Needs <see cref="Vector128.IsHardwareAccelerated"/> (the generated
    /// code runs its scalar kernel otherwise).
    /// </summary>
    /// <typeparam name="TStride">The horizontal stride.</typeparam>
    /// <typeparam name="TPixels16">Pixels per tile with 512-bit vectors (32 registers): 16 for tiles of one vector of channels transposed in registers, up to 14 for two vectors.</typeparam>
    /// <typeparam name="TPixels8">Pixels per tile with 256- and 128-bit vectors (16 registers).</typeparam>
    /// <typeparam name="TEpilogue">The fused activations (none that reads per-channel parameters).</typeparam>
    /// <param name="layer">The layer's shape.</param>
    /// <param name="input">The input's top-left corner (its border's, when it is padded).</param>
    /// <param name="output">The output's first value.</param>
    /// <param name="weights">The layer's parameters (its panels are found from here).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TStride, TPixels16, TPixels8, TEpilogue>(in DirectConvShape layer, ref float input, ref float output, ref float weights)
        where TStride : struct, IConstant
        where TPixels16 : struct, IConstant
        where TPixels8 : struct, IConstant
        where TEpilogue : struct, IWinogradEpilogue
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported && TPixels16.Value == DirectConvWide<TStride, TEpilogue>.Pixels)
        {
            DirectConvWide<TStride, TEpilogue>.Run(layer, ref input, ref output, ref weights);
        }
        else if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            DirectConvKernel<WinogradLanes16, TStride, TPixels16, TEpilogue>.Run(layer, ref input, ref output, ref weights);
        }
        else if (Vector256.IsHardwareAccelerated && Fma.IsSupported)
        {
            DirectConvKernel<WinogradLanes8, TStride, TPixels8, TEpilogue>.Run(layer, ref input, ref output, ref weights);
        }
        else
        {
            DirectConvKernel<WinogradLanes4, TStride, TPixels8, TEpilogue>.Run(layer, ref input, ref output, ref weights);
        }
    }
}
