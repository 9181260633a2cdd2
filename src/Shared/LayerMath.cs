// One source of truth for the arithmetic of layers, compiled into the generator (shape inference),
// CnnGen.Onnx (import and export) and their tests as a linked file: no formula exists twice.
namespace CnnGen.Geometry;

/// <summary>Output sizes, parameter counts and costs of layers: the PyTorch/ONNX rules, in <see langword="long"/> so callers can check for overflow.</summary>
internal static class LayerMath
{
    /// <summary>The window's extent once dilated: <c>dilation·(window − 1) + 1</c>.</summary>
    public static long DilatedWindow(int window, int dilation) => (long)dilation * (window - 1) + 1;

    /// <summary>
    /// Windows along one axis: <c>floor((size + padBefore + padAfter − dilation·(window − 1) − 1) / stride) + 1</c>;
    /// with <paramref name="ceil"/>, rounded up, except that a last window starting in the trailing padding
    /// is dropped (PyTorch's and ONNX's ceil mode). Less than 1 when the window does not fit the padded input.
    /// </summary>
    public static long OutputSize(int size, int window, int stride, int padBefore, int padAfter, int dilation = 1, bool ceil = false)
    {
        long span = (long)size + padBefore + padAfter - DilatedWindow(window, dilation);
        if (span < 0)
        {
            return 0;
        }
        if (!ceil)
        {
            return span / stride + 1;
        }
        long up = (span + stride - 1) / stride + 1;
        return (up - 1) * stride >= (long)size + padBefore ? up - 1 : up;
    }

    /// <summary>Columns or rows of the input that no window reads (the stride does not tile): <c>span mod stride</c>.</summary>
    public static long UnreadTail(int size, int window, int stride, int padBefore, int padAfter, int dilation = 1) =>
        ((long)size + padBefore + padAfter - DilatedWindow(window, dilation)) % stride;

    /// <summary>Weights of a convolution: <c>filters · (depth / groups) · height · width</c>.</summary>
    public static long ConvWeights(int kernelWidth, int kernelHeight, int inputDepth, int filters, int groups = 1) =>
        (long)filters * (inputDepth / groups) * kernelHeight * kernelWidth;

    /// <summary>Weights and biases of a convolution (PyTorch <c>Conv2d</c> with <c>bias=True</c>).</summary>
    public static long ConvParameters(int kernelWidth, int kernelHeight, int inputDepth, int filters, int groups = 1) =>
        ConvWeights(kernelWidth, kernelHeight, inputDepth, filters, groups) + filters;

    /// <summary>Parameters of a batch normalization: γ, β, running mean and running variance, one each per channel (<c>4 · depth</c>).</summary>
    public static long BatchNormParameters(int depth) => 4L * depth;

    /// <summary>
    /// Output size along one axis of a transposed convolution (PyTorch <c>ConvTranspose2d</c>, dilation 1):
    /// <c>(size − 1)·stride − 2·padding + (window − 1) + outputPadding + 1</c>. Less than 1 when the padding crops everything.
    /// </summary>
    public static long ConvTransposeOutputSize(int size, int window, int stride, int padding, int outputPadding) =>
        ((long)size - 1) * stride - 2L * padding + (window - 1) + outputPadding + 1;

    /// <summary>Weights of a transposed convolution, <c>[depth][filters][height][width]</c>: <c>depth · filters · height · width</c>.</summary>
    public static long ConvTransposeWeights(int kernelWidth, int kernelHeight, int inputDepth, int filters) =>
        (long)inputDepth * filters * kernelHeight * kernelWidth;

    /// <summary>Weights and biases of a transposed convolution (PyTorch <c>ConvTranspose2d</c> with <c>bias=True</c>).</summary>
    public static long ConvTransposeParameters(int kernelWidth, int kernelHeight, int inputDepth, int filters) =>
        ConvTransposeWeights(kernelWidth, kernelHeight, inputDepth, filters) + filters;

    /// <summary>Weights and biases of a fully connected layer: <c>outputs · inputs + outputs</c>.</summary>
    public static long FullyConnectedParameters(long inputs, int outputs) => (long)outputs * inputs + outputs;

    /// <summary>Multiply-adds of a layer whose every output reads <paramref name="weights"/> / outputs channels' weights once: <c>weights · outputWidth · outputHeight</c>.</summary>
    public static long MultiplyAdds(long weights, int outputWidth, int outputHeight) => weights * outputWidth * outputHeight;

    /// <summary>The default name of the <paramref name="number"/>-th layer of a kind whose names start with <paramref name="prefix"/>: <c>Conv2</c>.</summary>
    public static string DefaultName(string prefix, int number) =>
        prefix + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The prefix of default layer names for an attribute: <c>Fc</c> for <c>FullyConnected</c>, else the attribute's name.</summary>
    public static string NamePrefix(string attributeName) => attributeName == "FullyConnected" ? "Fc" : attributeName;
}
